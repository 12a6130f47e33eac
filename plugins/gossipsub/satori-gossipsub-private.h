/* satori-gossipsub-private.h — the router's state, shared by its parts:
 * input and commands (satori-gossipsub-session.c), control messages
 * (-control.c), the heartbeat (-heartbeat.c) and introspection (-inspect.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-gossipsub-backoff.h"
#include "satori-gossipsub-mcache.h"
#include "satori-gossipsub-outbox.h"
#include "satori-gossipsub-promises.h"
#include "satori-gossipsub-score.h"
#include "satori-gossipsub-session.h"
#include "satori-private-key.h"
#include "satori-pubsub-rpc-reader.h"
#include "satori-pubsub-seen-cache.h"

G_BEGIN_DECLS

/* What a peer speaks: floodsub, or a meshsub version. */
typedef enum {
  PEER_FLOODSUB = 0,
  PEER_MESHSUB_1_0 = 10,
  PEER_MESHSUB_1_1 = 11,
  PEER_MESHSUB_1_2 = 12,
} PeerVersion;

typedef struct {
  GBytes *id;
  PeerVersion version;
  gboolean outbound;
  gboolean direct;             /* an explicit peering agreement */
  GHashTable *topics;          /* topic set */
  SatoriPubsubRpcReader *reader;
  SatoriGossipsubOutbox *outbox;
  GHashTable *dont_want;       /* message id -> heartbeat tick it expires at */
  guint ihave_count;           /* IHAVE messages this heartbeat */
  guint iasked;                /* ids asked with IWANT this heartbeat */
  guint idontwant_count;       /* IDONTWANT ids this heartbeat */
  gboolean dirty;              /* its outbox has something to flush */
  gboolean ready;              /* listed in the session's ready queue */
} Peer;

struct _SatoriGossipsubSession
{
  SatoriPubsubCore parent;
  SatoriGossipsubParams params;
  SatoriPrivateKey *key;
  SatoriPubsubCoreProvider provider;

  GHashTable *peers;            /* GBytes -> Peer */
  GHashTable *topic_peers;      /* topic -> set of GBytes: peers subscribed */
  GHashTable *subscriptions;    /* our topics */
  GHashTable *validated_topics; /* topics whose messages go to the validator */
  GHashTable *mesh;             /* topic -> set of GBytes */
  GHashTable *fanout;           /* topic -> set of GBytes */
  GHashTable *fanout_last_publish; /* topic -> gint64* */
  GHashTable *pending;          /* message id -> Pending */

  SatoriGossipsubMcache *mcache;
  SatoriPubsubSeenCache *seen;
  SatoriGossipsubScore *score;
  SatoriGossipsubBackoff *backoff;
  SatoriGossipsubPromises *promises;

  GQueue events;                /* SatoriPubsubCoreEvent* */
  GQueue ready;                 /* GBytes: peers with queued frames */
  guint n_flood_peers;          /* floodsub and direct peers: flood targets */
  guint64 seqno;
  gboolean started;
  gint64 next_heartbeat_us;
  gint64 next_decay_us;
  guint64 ticks;
  SatoriGossipsubStats stats;
};

static inline void
satori_gossipsub_message_free (Satori__Pubsub__Message *message)
{
  satori__pubsub__message__free_unpacked (message, NULL);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Satori__Pubsub__Message, satori_gossipsub_message_free)

#define SESSION(core) ((SatoriGossipsubSession *) (core))

/* Shared between the parts of the router. */
typedef gboolean (*PeerFilter) (SatoriGossipsubSession *self, Peer *peer, gpointer data,
                                gint64 now_us);

GHashTable *satori_gossipsub_peer_set_new (void);
GPtrArray  *satori_gossipsub_set_to_array (GHashTable *set);
GPtrArray  *satori_gossipsub_collect_peers (SatoriGossipsubSession *self, const char *topic,
                                            PeerFilter filter, gpointer data, gint64 now_us);
gboolean    satori_gossipsub_mesh_candidate (SatoriGossipsubSession *self, Peer *peer,
                                             gpointer topic, gint64 now_us);
gboolean    satori_gossipsub_fanout_candidate (SatoriGossipsubSession *self, Peer *peer,
                                               gpointer unused, gint64 now_us);
void        satori_gossipsub_shuffle (SatoriGossipsubSession *self, GPtrArray *array);
double      satori_gossipsub_peer_score (SatoriGossipsubSession *self, GBytes *peer,
                                         gint64 now_us);
Peer       *satori_gossipsub_outbox_of (SatoriGossipsubSession *self, GBytes *peer);
void        satori_gossipsub_send_graft (SatoriGossipsubSession *self, const char *topic,
                                         GBytes *peer, gint64 now_us);
void        satori_gossipsub_send_prune (SatoriGossipsubSession *self, const char *topic,
                                         GBytes *peer, gboolean px, gboolean unsubscribe,
                                         gint64 now_us);
void        satori_gossipsub_flush (SatoriGossipsubSession *self);
void        satori_gossipsub_push_event (SatoriGossipsubSession *self,
                                         SatoriPubsubCoreEvent *event);
GBytes     *satori_gossipsub_binary (const ProtobufCBinaryData *data);
void        satori_gossipsub_handle_control (SatoriGossipsubSession *self, Peer *peer,
                                             const Satori__Pubsub__ControlMessage *control,
                                             gint64 now_us);
void        satori_gossipsub_heartbeat (SatoriGossipsubSession *self, gint64 now_us);
void        satori_gossipsub_start (SatoriGossipsubSession *self, gint64 now_us);
void        satori_gossipsub_send_message (SatoriGossipsubSession *self, GBytes *peer,
                                           GBytes *id, GBytes *message, GBytes *exclude,
                                           GBytes *source);
gboolean    satori_gossipsub_flood_target (SatoriGossipsubSession *self, Peer *peer,
                                              gpointer unused, gint64 now_us);
void        satori_gossipsub_subscribe (SatoriPubsubCore *core, const char *topic,
                                        gint64 now_us);
void        satori_gossipsub_unsubscribe (SatoriPubsubCore *core, const char *topic,
                                          gint64 now_us);
gboolean    satori_gossipsub_publish (SatoriPubsubCore *core, const char *topic, GBytes *data,
                                      gint64 now_us, GBytes **message_id_out, GError **error);

G_END_DECLS
