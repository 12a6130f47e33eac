/* satori-kad-dht-private.h — what the DHT's files share: the object's
 * state, and what the operations, requests and answers need of the driver
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-kad-dht.h"

G_BEGIN_DECLS

struct _SatoriKadDht
{
  GObject parent_instance;

  char *protocol_id;
  SatoriKadMode mode;
  guint k;
  guint alpha;
  char *store_path;
  guint provider_ttl;         /* s */
  guint provider_republish;   /* s */
  guint dial_timeout;         /* ms */
  guint request_timeout;      /* ms */

  SatoriHost *host;           /* weak pointer, set while attached */
  SatoriKadSession *session;
  SatoriKadStore *store;      /* owned by the session */
  GCancellable *cancellable;  /* cancelled on dispose */
  GHashTable *ops;            /* guint64 query id → Op */
  GHashTable *new_peers;      /* SatoriPeerId set, to add to the table */
  guint new_peers_source;
  guint deadline_source;
  guint apply_mode_source;
  gulong protocols_changed_id;
  gulong addresses_changed_id;
  gulong reachability_id;
  gboolean driving;
  gboolean drive_again;
  gboolean withdrawing;       /* leaving the handler table on purpose */
};

/* Completes @task from the event that ends its lookup. */
typedef void (*SatoriKadDhtComplete) (SatoriKadDht *dht, GTask *task, SatoriKadEvent *event);
/* Takes a value or provider a lookup found on its way (the _FOUND events). */
typedef void (*SatoriKadDhtFound) (SatoriKadDht *dht, SatoriKadEvent *event, gpointer user_data);

SatoriKadSession *_satori_kad_dht_get_session (SatoriKadDht *dht, GError **error);
SatoriHost       *_satori_kad_dht_get_host (SatoriKadDht *dht);
void              _satori_kad_dht_drive (SatoriKadDht *dht);
void              _satori_kad_dht_start_op (SatoriKadDht *dht, GTask *task, guint64 query_id,
                                            SatoriKadDhtComplete complete,
                                            SatoriKadDhtFound found, gpointer found_data);
void              _satori_kad_dht_search_value_async (SatoriKadDht *dht, GBytes *key,
                                                      SatoriKadDhtFound found,
                                                      gpointer found_data,
                                                      GCancellable *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer user_data);
void              _satori_kad_dht_search_providers_async (SatoriKadDht *dht, GBytes *key,
                                                          guint limit,
                                                          SatoriKadDhtFound found,
                                                          gpointer found_data,
                                                          GCancellable *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer user_data);
void              _satori_kad_dht_fail_ops (SatoriKadDht *dht, GQuark domain, int code,
                                            const char *message);
SatoriPeerInfo   *_satori_kad_dht_learn_peer (SatoriKadDht *dht, SatoriKadPeer *peer);
gint64            _satori_kad_dht_get_provider_ttl (SatoriKadDht *dht);
void              _satori_kad_dht_discovery_iface_init (SatoriDiscoveryInterface *iface);
SatoriPeerId     *_satori_kad_dht_remember_peer (SatoriKadDht *dht, SatoriKadPeer *peer,
                                                 GPtrArray *addresses_out);
void              _satori_kad_dht_send_request (SatoriKadDht *dht, SatoriKadTransmit *transmit);
void              _satori_kad_dht_check_peer (SatoriKadDht *dht, SatoriKadPeer *peer);
void              _satori_kad_dht_handle_stream (SatoriProtocolHandler *handler,
                                                 GIOStream *stream, const char *protocol_id,
                                                 SatoriPeerId *remote_peer,
                                                 SatoriMultiaddr *remote_address);
void              _satori_kad_dht_routing_iface_init (SatoriRoutingInterface *iface);

G_END_DECLS
