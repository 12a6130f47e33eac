/* satori-pubsub-core.h: the shape every sans-I/O pubsub router has
 *
 * floodsub and gossipsub are both sans-I/O state machines (no GIO, no clock,
 * no RNG). One GIO adapter (the pubsub plugins' shared SatoriPubsub
 * implementation) and the network simulator drive either of them through this
 * table, so the adapter, the simulator and the tests are written once.
 *
 * Peers are named by their binary peer id (GBytes, the multihash bytes);
 * topics by UTF-8 strings. Times are microseconds of a monotonic clock the
 * driver owns (the real one in the adapter, a virtual one in tests).
 *
 * Input is what arrived on a peer's inbound pubsub stream: the raw bytes,
 * varint-length-prefixed RPC frames, in any split. Output is whole frames
 * (length prefix included) to write on the peer's outbound stream.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  /* A message passed validation and is for a topic we subscribe to:
   * deliver it to the application. */
  SATORI_PUBSUB_CORE_EVENT_MESSAGE,
  /* A message needs the application's validator before it is forwarded:
   * answer with report_validation(message_id, result). Only emitted for
   * topics the driver marked with set_topic_validated(). */
  SATORI_PUBSUB_CORE_EVENT_VALIDATE,
  /* A peer's subscription changed (subscribed is TRUE or FALSE). */
  SATORI_PUBSUB_CORE_EVENT_PEER_SUBSCRIPTION,
  /* The router wants the connection to this peer closed (graylisted, or
   * a protocol violation that calls for it). */
  SATORI_PUBSUB_CORE_EVENT_DISCONNECT_PEER,
  /* The router would like a connection to this peer (peer exchange). */
  SATORI_PUBSUB_CORE_EVENT_CONNECT_PEER,
} SatoriPubsubCoreEventType;

typedef struct {
  SatoriPubsubCoreEventType type;
  GBytes  *peer;        /* the peer concerned, or the one that forwarded the message */
  char    *topic;
  GBytes  *message_id;  /* MESSAGE, VALIDATE */
  GBytes  *from;        /* MESSAGE, VALIDATE: the author's peer id, NULL when unsigned */
  GBytes  *data;        /* MESSAGE, VALIDATE */
  GBytes  *seqno;       /* MESSAGE, VALIDATE, or NULL */
  GBytes  *signature;   /* MESSAGE, VALIDATE, or NULL */
  GBytes  *key;         /* MESSAGE, VALIDATE, or NULL */
  GBytes  *signed_peer_record; /* CONNECT_PEER, or NULL */
  gboolean subscribed;  /* PEER_SUBSCRIPTION */
  char    *reason;      /* DISCONNECT_PEER */
} SatoriPubsubCoreEvent;

void satori_pubsub_core_event_clear (SatoriPubsubCoreEvent *event);

/* The result of a validation, as SatoriValidationResult: accept, reject, ignore. */
typedef enum {
  SATORI_PUBSUB_CORE_ACCEPT,
  SATORI_PUBSUB_CORE_REJECT,
  SATORI_PUBSUB_CORE_IGNORE,
} SatoriPubsubCoreVerdict;

typedef struct _SatoriPubsubCore SatoriPubsubCore;

/* What a router may not do itself (sans-I/O): draw random numbers. The
 * driver passes one at construction; tests pass a seeded one. */
typedef struct {
  guint32  (*random_u32) (gpointer user_data);
  gpointer user_data;
} SatoriPubsubCoreProvider;

typedef struct {
  const char *name;   /* "floodsub", "gossipsub" */

  /* A pubsub stream to @peer is open (outbound: we dialed); @protocol is the
   * negotiated id, e.g. "/meshsub/1.2.0" or "/floodsub/1.0.0". */
  void     (*add_peer)       (SatoriPubsubCore *core, GBytes *peer, const char *protocol,
                              gboolean outbound, gint64 now_us);
  void     (*remove_peer)    (SatoriPubsubCore *core, GBytes *peer, gint64 now_us);
  /* FALSE with @error: the peer sent something that must close its stream. */
  gboolean (*handle_input)   (SatoriPubsubCore *core, GBytes *peer, const guint8 *data,
                              gsize len, gint64 now_us, GError **error);
  void     (*subscribe)      (SatoriPubsubCore *core, const char *topic, gint64 now_us);
  void     (*unsubscribe)    (SatoriPubsubCore *core, const char *topic, gint64 now_us);
  /* Signs (per the signature policy), assigns seqno and id, and routes. */
  gboolean (*publish)        (SatoriPubsubCore *core, const char *topic, GBytes *data,
                              gint64 now_us, GBytes **message_id_out, GError **error);
  void     (*set_topic_validated) (SatoriPubsubCore *core, const char *topic, gboolean validated);
  void     (*report_validation) (SatoriPubsubCore *core, GBytes *message_id,
                                 SatoriPubsubCoreVerdict verdict, gint64 now_us);
  /* Next frame to write: TRUE and the peer and frame (transfer full). */
  gboolean (*poll_transmit)  (SatoriPubsubCore *core, GBytes **peer_out, GBytes **frame_out);
  gboolean (*poll_event)     (SatoriPubsubCore *core, SatoriPubsubCoreEvent *event_out);
  /* G_MAXINT64 when nothing is scheduled. */
  gint64   (*next_deadline_us) (SatoriPubsubCore *core);
  void     (*handle_timeout) (SatoriPubsubCore *core, gint64 now_us);
  /* Peers that share @topic with us (gossipsub: mesh, else all subscribed). */
  GPtrArray *(*topic_peers)  (SatoriPubsubCore *core, const char *topic);
  void     (*free)           (SatoriPubsubCore *core);
  /* Next frame for @peer only (transfer full), so that an adapter can
   * pull per stream as each becomes writable and leave a slow peer's
   * frames in the router, whose per-peer queue is bounded. NULL when the
   * router has no per-peer queues: then use poll_transmit. */
  gboolean (*poll_transmit_peer) (SatoriPubsubCore *core, GBytes *peer, GBytes **frame_out);
} SatoriPubsubCoreClass;

struct _SatoriPubsubCore {
  const SatoriPubsubCoreClass *klass;
};

G_END_DECLS
