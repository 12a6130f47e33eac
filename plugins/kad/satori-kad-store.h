/* satori-kad-store.h — the DHT's records and provider records, kept in
 * SQLite (a file, or ":memory:")
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-kad-peer.h"

G_BEGIN_DECLS

/**
 * SatoriKadStoreLimits:
 * @max_records: records kept at most; new keys are refused beyond
 * @max_provider_keys: keys with providers kept at most
 * @max_providers_per_key: providers kept per key at most
 *
 * Bounds on what remote peers can make the store hold.
 */
typedef struct {
  guint max_records;
  guint max_provider_keys;
  guint max_providers_per_key;
} SatoriKadStoreLimits;

/**
 * SatoriKadOwnKind:
 * @SATORI_KAD_OWN_RECORD: a record we put
 * @SATORI_KAD_OWN_PROVIDER: a key we provide
 *
 * What of ours the store remembers, to republish after a restart.
 */
typedef enum {
  SATORI_KAD_OWN_RECORD,
  SATORI_KAD_OWN_PROVIDER,
} SatoriKadOwnKind;

/**
 * SatoriKadOwnEntry:
 * @kind: what it is
 * @key: the record or provider key
 * @value: (nullable): the record's value; %NULL for a provided key
 * @next_us: when it is due to be republished
 *
 * A record we put or a key we provide, as satori_kad_store_list_own()
 * returns them.
 */
typedef struct {
  SatoriKadOwnKind kind;
  GBytes *key;
  GBytes *value;
  gint64 next_us;
} SatoriKadOwnEntry;

void satori_kad_own_entry_free (SatoriKadOwnEntry *entry);

typedef struct _SatoriKadStore SatoriKadStore;

SatoriKadStore *satori_kad_store_open (const char *path, const SatoriKadStoreLimits *limits,
                                       GError **error);
void            satori_kad_store_free (SatoriKadStore *store);
gboolean        satori_kad_store_put_record (SatoriKadStore *store, GBytes *key, GBytes *value,
                                             gint64 received_us, GError **error);
GBytes         *satori_kad_store_get_record (SatoriKadStore *store, GBytes *key,
                                             gint64 *received_us_out);
gboolean        satori_kad_store_add_provider (SatoriKadStore *store, GBytes *key,
                                               SatoriKadPeer *provider, gint64 expires_us,
                                               GError **error);
GPtrArray      *satori_kad_store_get_providers (SatoriKadStore *store, GBytes *key,
                                                gint64 now_us, guint max);
void            satori_kad_store_remove_provider (SatoriKadStore *store, GBytes *key,
                                                  GBytes *peer);
guint           satori_kad_store_remove_expired (SatoriKadStore *store, gint64 now_us,
                                                 gint64 record_max_age_us);
guint           satori_kad_store_count_records (SatoriKadStore *store);
guint           satori_kad_store_count_providers (SatoriKadStore *store);
gboolean        satori_kad_store_set_own (SatoriKadStore *store, SatoriKadOwnKind kind,
                                          GBytes *key, GBytes *value, gint64 next_us,
                                          GError **error);
void            satori_kad_store_remove_own (SatoriKadStore *store, SatoriKadOwnKind kind,
                                             GBytes *key);
GPtrArray      *satori_kad_store_list_own (SatoriKadStore *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriKadStore, satori_kad_store_free)

G_END_DECLS
