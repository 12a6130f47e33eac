/* satori-kad-session-private.h — the session's state, shared by the
 * client side (satori-kad-session.c) and the server side
 * (satori-kad-server.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-kad-session.h"

/* A record we put ourselves, re-put every record_republish_us. The time
 * comes first, as in the values of provided. */
typedef struct {
  gint64 next_us;
  GBytes *value;
} SatoriKadPublished;

struct _SatoriKadSession {
  GBytes *local_id;
  SatoriKadKey local_key;
  SatoriKadConfig config;
  SatoriKadProvider provider;
  SatoriKadStore *store;
  SatoriKadValidator *validator;
  SatoriKadRoutingTable *table;
  GPtrArray *local_addrs;      /* GBytes */

  GHashTable *ops;             /* op id -> Op */
  GHashTable *requests;        /* request id -> Request */
  GHashTable *checks;          /* peer id -> deadline (gint64 *) */
  GHashTable *provided;        /* key -> next republish time (gint64 *) */
  GHashTable *published;       /* key -> SatoriKadPublished, our own records */
  GQueue transmits;            /* SatoriKadTransmit */
  GQueue events;               /* SatoriKadEvent */
  guint64 next_op_id;
  guint64 next_request_id;
  gint64 next_cleanup_us;
};

GPtrArray *satori_kad_session_sanitize_peers (SatoriKadSession *session, GPtrArray *peers);
gboolean   satori_kad_session_accept_record (SatoriKadSession *session, GBytes *key,
                                             GBytes *value, GError **error);
