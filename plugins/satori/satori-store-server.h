/* satori-store-server.h — a holder's answers to store and retrieve
 * requests (pure: the database is the only state)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-store-db.h"

G_BEGIN_DECLS

/**
 * SatoriStoreReply:
 * @response: the response to write, always set
 * @stored_for: (nullable): the target of a message just stored
 * @retrieved: (nullable) (element-type SatoriStoreEnvelope): the messages
 *   the response carries, to remove from the store once it was delivered
 *
 * What a request asks of the holder's adapter.
 */
typedef struct {
  GBytes *response;
  char *stored_for;
  GPtrArray *retrieved;
} SatoriStoreReply;

SatoriStoreReply *satori_store_server_handle (SatoriStoreDb           *db,
                                              const SatoriStoreLimits *limits,
                                              const char              *remote_peer,
                                              const guint8            *request,
                                              gsize                    len,
                                              gint64                   now_us);
void              satori_store_reply_free (SatoriStoreReply *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriStoreReply, satori_store_reply_free)

G_END_DECLS
