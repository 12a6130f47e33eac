/* satori-mdns-session.h — libp2p mDNS discovery without I/O: when to
 * query `_p2p._udp.local`, what to answer, which peers the answers name
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-multiaddr.h"
#include "satori-peer-id.h"

G_BEGIN_DECLS

/* The DNS-SD service every libp2p peer answers for (libp2p/specs
 * discovery/mdns.md). */
#define SATORI_MDNS_SERVICE "_p2p._udp.local"
/* A peer name is one DNS label; 32 to 63 characters keep it unique. */
#define SATORI_MDNS_PEER_NAME_MIN 32
#define SATORI_MDNS_PEER_NAME_MAX 63

/**
 * SatoriMdnsConfig:
 * @query_interval_initial_us: wait after the first query (1 s, the least
 *   RFC 6762 §5.2 allows); it doubles after each query
 * @query_interval_max_us: the longest wait between queries (60 s, as
 *   go-libp2p)
 * @ttl_s: the TTL of our records (120 s, as js-libp2p)
 * @answer: whether queries are answered (advertise this peer)
 * @max_peers: peers remembered at most (64)
 * @max_addresses: addresses kept per peer (16)
 * @max_message: the largest response sent; addresses that do not fit
 *   are left out (1400 bytes: one Ethernet frame)
 *
 * The session's parameters; satori_mdns_config_init() sets the defaults
 * given.
 */
typedef struct {
  gint64   query_interval_initial_us;
  gint64   query_interval_max_us;
  guint32  ttl_s;
  gboolean answer;
  guint    max_peers;
  guint    max_addresses;
  gsize    max_message;
} SatoriMdnsConfig;

void satori_mdns_config_init (SatoriMdnsConfig *config);

/**
 * SatoriMdnsEventType:
 * @SATORI_MDNS_PEER_DISCOVERED: a peer answered, for the first time or
 *   with other addresses than before
 * @SATORI_MDNS_PEER_EXPIRED: a peer's records ran out or it said goodbye
 *   (TTL 0)
 */
typedef enum {
  SATORI_MDNS_PEER_DISCOVERED,
  SATORI_MDNS_PEER_EXPIRED,
} SatoriMdnsEventType;

/**
 * SatoriMdnsEvent:
 * @type: what happened
 * @peer: the peer
 * @addresses: (element-type SatoriMultiaddr): its addresses, without
 *   `/p2p/`; empty for %SATORI_MDNS_PEER_EXPIRED
 *
 * Clear with satori_mdns_event_clear().
 */
typedef struct {
  SatoriMdnsEventType type;
  SatoriPeerId *peer;
  GPtrArray    *addresses;
} SatoriMdnsEvent;

void satori_mdns_event_clear (SatoriMdnsEvent *event);

typedef struct _SatoriMdnsSession SatoriMdnsSession;

SatoriMdnsSession *satori_mdns_session_new (const SatoriMdnsConfig *config,
                                            SatoriPeerId *local_peer,
                                            const char *peer_name, gint64 now_us);
void     satori_mdns_session_free (SatoriMdnsSession *session);

void     satori_mdns_session_set_addresses (SatoriMdnsSession *session, GPtrArray *addresses,
                                            gint64 now_us);
void     satori_mdns_session_restart_queries (SatoriMdnsSession *session, gint64 now_us);
gboolean satori_mdns_session_handle_datagram (SatoriMdnsSession *session, const guint8 *data,
                                              gsize len, gint64 now_us, GError **error);
void     satori_mdns_session_handle_timeout (SatoriMdnsSession *session, gint64 now_us);
gint64   satori_mdns_session_next_deadline_us (SatoriMdnsSession *session);

GBytes  *satori_mdns_session_poll_transmit (SatoriMdnsSession *session);
GBytes  *satori_mdns_session_goodbye (SatoriMdnsSession *session);
gboolean satori_mdns_session_poll_event (SatoriMdnsSession *session, SatoriMdnsEvent *event);
guint    satori_mdns_session_get_n_peers (SatoriMdnsSession *session);
GPtrArray *satori_mdns_session_get_peers (SatoriMdnsSession *session, guint limit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriMdnsSession, satori_mdns_session_free)

G_END_DECLS
