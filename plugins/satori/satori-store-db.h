/* satori-store-db.h — messages held for offline peers, kept in SQLite
 * (a file, or ":memory:")
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-store-message.h"

G_BEGIN_DECLS

/**
 * SATORI_STORE_DEFAULT_MAX_PER_TARGET:
 *
 * Messages kept for one peer by default; the oldest go first.
 */
#define SATORI_STORE_DEFAULT_MAX_PER_TARGET 1000

typedef struct _SatoriStoreDb SatoriStoreDb;

SatoriStoreDb *satori_store_db_open (const char *path, guint max_per_target, GError **error);
void           satori_store_db_free (SatoriStoreDb *db);
gboolean       satori_store_db_add (SatoriStoreDb *db, const SatoriStoreEnvelope *envelope,
                                    GError **error);
GPtrArray     *satori_store_db_get (SatoriStoreDb *db, const char *target, gint64 now_us,
                                    gsize max_bytes, GError **error);
gboolean       satori_store_db_remove (SatoriStoreDb *db, GPtrArray *envelopes, GError **error);
guint          satori_store_db_purge (SatoriStoreDb *db, gint64 now_us);
guint          satori_store_db_count (SatoriStoreDb *db, const char *target);
GStrv          satori_store_db_get_targets (SatoriStoreDb *db, gint64 now_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriStoreDb, satori_store_db_free)

G_END_DECLS
