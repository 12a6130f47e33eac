/* satori-bootstrap-session.h — the sans-I/O bootstrap policy: which
 * configured peers to dial when, with backoff, and which `/dnsaddr/`
 * names to resolve
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-multiaddr.h"

G_BEGIN_DECLS

/**
 * SatoriBootstrapConfig:
 * @min_connections: below this many connections the bootstrap peers that
 *   are not connected are dialed (4)
 * @interval_us: how often the connection count is looked at while it is
 *   low (30 s)
 * @backoff_initial_us: wait after a peer's first failed dial (1 s); it
 *   doubles with each further failure
 * @backoff_max_us: the longest wait (10 min)
 * @max_dnsaddr_depth: `/dnsaddr/` records naming further `/dnsaddr/`
 *   names are followed this deep (4)
 * @max_peers: bootstrap peers kept at most, configured and resolved (64)
 *
 * The policy's parameters; satori_bootstrap_config_init() sets the
 * defaults given.
 */
typedef struct {
  guint  min_connections;
  gint64 interval_us;
  gint64 backoff_initial_us;
  gint64 backoff_max_us;
  guint  max_dnsaddr_depth;
  guint  max_peers;
} SatoriBootstrapConfig;

void satori_bootstrap_config_init (SatoriBootstrapConfig *config);

/**
 * SatoriBootstrapActionType:
 * @SATORI_BOOTSTRAP_DIAL: dial @peer_id at @addresses (in order, until
 *   one works), then report with satori_bootstrap_session_dial_done()
 * @SATORI_BOOTSTRAP_RESOLVE: look up the TXT records of @name and report
 *   with satori_bootstrap_session_handle_txt()
 *
 * What satori_bootstrap_session_poll_action() asks for.
 */
typedef enum {
  SATORI_BOOTSTRAP_DIAL,
  SATORI_BOOTSTRAP_RESOLVE,
} SatoriBootstrapActionType;

/**
 * SatoriBootstrapAction:
 * @type: what to do
 * @peer_id: (nullable): the binary peer id to dial
 * @addresses: (element-type SatoriMultiaddr) (nullable): its addresses,
 *   each ending in `/p2p/<peer_id>`
 * @name: (nullable): the DNS name to look up (`_dnsaddr.<host>`)
 *
 * One action; free its members with satori_bootstrap_action_clear().
 */
typedef struct {
  SatoriBootstrapActionType type;
  GBytes *peer_id;
  GPtrArray *addresses;
  char *name;
} SatoriBootstrapAction;

void satori_bootstrap_action_clear (SatoriBootstrapAction *action);

typedef struct _SatoriBootstrapSession SatoriBootstrapSession;

SatoriBootstrapSession *satori_bootstrap_session_new (const SatoriBootstrapConfig *config,
                                                      gint64 now_us);
void     satori_bootstrap_session_free (SatoriBootstrapSession *session);

gboolean satori_bootstrap_session_add_address (SatoriBootstrapSession *session,
                                               const SatoriMultiaddr *address,
                                               GError **error);
guint    satori_bootstrap_session_get_n_peers (SatoriBootstrapSession *session);

void     satori_bootstrap_session_set_connection_count (SatoriBootstrapSession *session,
                                                        guint count, gint64 now_us);
void     satori_bootstrap_session_peer_connected (SatoriBootstrapSession *session,
                                                  GBytes *peer_id, gint64 now_us);
void     satori_bootstrap_session_peer_disconnected (SatoriBootstrapSession *session,
                                                     GBytes *peer_id, gint64 now_us);
void     satori_bootstrap_session_dial_done (SatoriBootstrapSession *session,
                                             GBytes *peer_id, gboolean connected,
                                             gint64 now_us);
void     satori_bootstrap_session_handle_txt (SatoriBootstrapSession *session,
                                              const char *name, GPtrArray *records,
                                              gint64 now_us);

gboolean satori_bootstrap_session_poll_action (SatoriBootstrapSession *session,
                                               SatoriBootstrapAction *action);
gint64   satori_bootstrap_session_next_deadline_us (SatoriBootstrapSession *session);
void     satori_bootstrap_session_handle_timeout (SatoriBootstrapSession *session,
                                                  gint64 now_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriBootstrapSession, satori_bootstrap_session_free)

G_END_DECLS
