/* satori-gossipsub-pubsub.c — GossipSub on a host
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-gossipsub-pubsub.h"

#include <glib/gi18n-lib.h>

#include "satori-gossipsub-session.h"

/**
 * SatoriGossipsubPubsub:
 *
 * The GossipSub router (`/meshsub/1.2.0`, `/meshsub/1.1.0`,
 * `/meshsub/1.0.0`, and `/floodsub/1.0.0` peers served as the spec
 * allows): the #SatoriPubsubRouter adapter around the sans-I/O core of
 * satori-gossipsub-session.c.
 *
 * Every parameter is a property, so a `[gossipsub]` configuration group
 * sets it; the defaults are the spec's (satori_gossipsub_params_init_default()).
 * Durations are in milliseconds, except `seen-ttl` and the backoffs, in
 * seconds. Properties named `topic-…` are the score parameters of every
 * topic (#SatoriGossipsubScoreParams:default_topic); they apply when
 * `topic-weight` is not 0. `message-id` is `js` (the default: js-libp2p's
 * id, the author's key and the seqno, so that IHAVE, IWANT and IDONTWANT
 * name messages as js peers do), `from-seqno` (the spec's) or `content`;
 * under `signature-policy=strict-no-sign` it is always `content`.
 * `satori-inspect gossipsub` lists the properties with their ranges.
 */
struct _SatoriGossipsubPubsub
{
  SatoriPubsubRouter parent_instance;

  SatoriGossipsubParams params;
  char *message_id;
};

typedef enum
{
  FIELD_UINT,     /* guint, as guint */
  FIELD_SIZE,     /* gsize, as guint64 */
  FIELD_DOUBLE,   /* double, as double */
  FIELD_BOOLEAN,  /* gboolean, as gboolean */
  FIELD_MS,       /* gint64 µs, as guint ms */
  FIELD_SECONDS,  /* gint64 µs, as guint s */
} FieldKind;

typedef struct
{
  const char *name;
  FieldKind kind;
  gboolean topic;   /* offset into params.score.default_topic, not params */
  gsize offset;
  double min, max;
  const char *blurb;
} Field;

#define P(field) FALSE, G_STRUCT_OFFSET (SatoriGossipsubParams, field)
#define S(field) FALSE, G_STRUCT_OFFSET (SatoriGossipsubParams, score.field)
#define T(field) TRUE, G_STRUCT_OFFSET (SatoriGossipsubTopicScoreParams, field)
#define WEIGHT -G_MAXDOUBLE, G_MAXDOUBLE

static const Field fields[] = {
  { "d", FIELD_UINT, P (d), 0, 1000, N_("D: the desired mesh degree") },
  { "d-low", FIELD_UINT, P (d_low), 0, 1000, N_("D_low: below it, the heartbeat grafts") },
  { "d-high", FIELD_UINT, P (d_high), 0, 1000, N_("D_high: above it, the heartbeat prunes") },
  { "d-lazy", FIELD_UINT, P (d_lazy), 0, 1000, N_("D_lazy: the least peers gossip goes to") },
  { "d-score", FIELD_UINT, P (d_score), 0, 1000, N_("D_score: mesh peers kept by score when pruning") },
  { "d-out", FIELD_UINT, P (d_out), 0, 1000, N_("D_out: outbound peers the mesh keeps") },
  { "gossip-factor", FIELD_DOUBLE, P (gossip_factor), 0, 1, N_("Share of the other topic peers gossip goes to") },
  { "history-length", FIELD_UINT, P (history_length), 1, 1000, N_("Heartbeats the message cache keeps messages for") },
  { "history-gossip", FIELD_UINT, P (history_gossip), 1, 1000, N_("Heartbeats of messages announced in IHAVE") },
  { "gossip-retransmission", FIELD_UINT, P (gossip_retransmission), 1, 1000, N_("Times a message is sent to one peer through IWANT") },
  { "heartbeat-initial-delay", FIELD_MS, P (heartbeat_initial_delay_us), 0, 3600000, N_("Milliseconds before the first heartbeat") },
  { "heartbeat-interval", FIELD_MS, P (heartbeat_interval_us), 1, 3600000, N_("Milliseconds between heartbeats") },
  { "fanout-ttl", FIELD_MS, P (fanout_ttl_us), 1, 86400000, N_("Milliseconds a fanout topic lives after its last publish") },
  { "seen-ttl", FIELD_SECONDS, P (seen_ttl_us), 1, 86400, N_("Seconds a message id is remembered") },
  { "prune-peers", FIELD_UINT, P (prune_peers), 0, 1000, N_("Peers offered in a PRUNE (peer exchange)") },
  { "prune-backoff", FIELD_SECONDS, P (prune_backoff_us), 1, 86400, N_("Seconds of backoff after a PRUNE") },
  { "unsubscribe-backoff", FIELD_SECONDS, P (unsubscribe_backoff_us), 1, 86400, N_("Seconds of backoff in the PRUNE sent when leaving a topic") },
  { "graft-flood-threshold", FIELD_SECONDS, P (graft_flood_threshold_us), 0, 86400, N_("Seconds after a PRUNE within which a GRAFT costs an extra penalty") },
  { "opportunistic-graft-ticks", FIELD_UINT, P (opportunistic_graft_ticks), 1, 100000, N_("Heartbeats between opportunistic grafts") },
  { "opportunistic-graft-peers", FIELD_UINT, P (opportunistic_graft_peers), 0, 1000, N_("Peers grafted opportunistically") },
  { "max-ihave-length", FIELD_UINT, P (max_ihave_length), 1, G_MAXINT, N_("Message ids asked of one peer per heartbeat") },
  { "max-ihave-messages", FIELD_UINT, P (max_ihave_messages), 1, G_MAXINT, N_("IHAVE messages accepted from one peer per heartbeat") },
  { "max-idontwant-messages", FIELD_UINT, P (max_idontwant_messages), 0, G_MAXINT, N_("IDONTWANT ids accepted from one peer per heartbeat") },
  { "iwant-followup-time", FIELD_MS, P (iwant_followup_time_us), 1, 3600000, N_("Milliseconds a peer has to answer an IWANT") },
  { "idontwant-message-threshold", FIELD_SIZE, P (idontwant_message_threshold), 0, G_MAXUINT32, N_("Messages of this many bytes or more get an IDONTWANT") },
  { "max-message-size", FIELD_SIZE, P (max_rpc_size), 1024, G_MAXUINT32, N_("The largest RPC frame, and so message, accepted or sent, in bytes") },
  { "max-outbound-queue", FIELD_UINT, P (max_outbound_queue), 1, G_MAXINT, N_("Messages waiting for one peer before more are dropped") },
  { "max-pending-validations", FIELD_UINT, P (max_pending_validations), 1, G_MAXINT, N_("Messages waiting for validation at once") },
  { "flood-publish", FIELD_BOOLEAN, P (flood_publish), 0, 1, N_("Publish to every topic peer above the publish threshold") },
  { "do-px", FIELD_BOOLEAN, P (do_px), 0, 1, N_("Offer peers in PRUNE (peer exchange)") },
  { "score", FIELD_BOOLEAN, P (score_enabled), 0, 1, N_("Score peers") },
  { "topic-score-cap", FIELD_DOUBLE, S (topic_score_cap), 0, G_MAXDOUBLE, N_("Cap of the sum of the topic scores (0: none)") },
  { "app-specific-weight", FIELD_DOUBLE, S (app_specific_weight), WEIGHT, N_("P5 weight") },
  { "ip-colocation-factor-weight", FIELD_DOUBLE, S (ip_colocation_factor_weight), WEIGHT, N_("P6 weight") },
  { "ip-colocation-factor-threshold", FIELD_DOUBLE, S (ip_colocation_factor_threshold), 0, G_MAXDOUBLE, N_("Peers per IP address before P6 applies") },
  { "behaviour-penalty-weight", FIELD_DOUBLE, S (behaviour_penalty_weight), WEIGHT, N_("P7 weight") },
  { "behaviour-penalty-threshold", FIELD_DOUBLE, S (behaviour_penalty_threshold), 0, G_MAXDOUBLE, N_("Behaviour penalty below which P7 does not apply") },
  { "behaviour-penalty-decay", FIELD_DOUBLE, S (behaviour_penalty_decay), 0, 1, N_("P7 decay factor") },
  { "decay-interval", FIELD_MS, S (decay_interval_us), 1, 3600000, N_("Milliseconds between score counter decays") },
  { "decay-to-zero", FIELD_DOUBLE, S (decay_to_zero), 0, 1, N_("Counters below it decay to 0") },
  { "retain-score", FIELD_SECONDS, S (retain_score_us), 0, 86400 * 30, N_("Seconds a disconnected peer's score is kept") },
  { "gossip-threshold", FIELD_DOUBLE, S (gossip_threshold), -G_MAXDOUBLE, 0, N_("Score below which no gossip goes to or comes from a peer") },
  { "publish-threshold", FIELD_DOUBLE, S (publish_threshold), -G_MAXDOUBLE, 0, N_("Score below which a peer gets no flood publishing") },
  { "graylist-threshold", FIELD_DOUBLE, S (graylist_threshold), -G_MAXDOUBLE, 0, N_("Score below which a peer's RPCs are ignored") },
  { "accept-px-threshold", FIELD_DOUBLE, S (accept_px_threshold), 0, G_MAXDOUBLE, N_("Score at or above which a peer's PX is followed") },
  { "opportunistic-graft-threshold", FIELD_DOUBLE, S (opportunistic_graft_threshold), 0, G_MAXDOUBLE, N_("Median mesh score below which the heartbeat grafts opportunistically") },
  { "topic-weight", FIELD_DOUBLE, T (topic_weight), 0, G_MAXDOUBLE, N_("Every topic's weight in the score (0: topics are not scored)") },
  { "topic-time-in-mesh-weight", FIELD_DOUBLE, T (time_in_mesh_weight), 0, G_MAXDOUBLE, N_("P1 weight") },
  { "topic-time-in-mesh-quantum", FIELD_MS, T (time_in_mesh_quantum_us), 1, 3600000, N_("Milliseconds P1 counts in") },
  { "topic-time-in-mesh-cap", FIELD_DOUBLE, T (time_in_mesh_cap), 0, G_MAXDOUBLE, N_("P1 cap") },
  { "topic-first-message-deliveries-weight", FIELD_DOUBLE, T (first_message_deliveries_weight), 0, G_MAXDOUBLE, N_("P2 weight") },
  { "topic-first-message-deliveries-decay", FIELD_DOUBLE, T (first_message_deliveries_decay), 0, 1, N_("P2 decay factor") },
  { "topic-first-message-deliveries-cap", FIELD_DOUBLE, T (first_message_deliveries_cap), 0, G_MAXDOUBLE, N_("P2 cap") },
  { "topic-mesh-message-deliveries-weight", FIELD_DOUBLE, T (mesh_message_deliveries_weight), -G_MAXDOUBLE, 0, N_("P3 weight (0: P3 off)") },
  { "topic-mesh-message-deliveries-decay", FIELD_DOUBLE, T (mesh_message_deliveries_decay), 0, 1, N_("P3 decay factor") },
  { "topic-mesh-message-deliveries-cap", FIELD_DOUBLE, T (mesh_message_deliveries_cap), 0, G_MAXDOUBLE, N_("P3 cap") },
  { "topic-mesh-message-deliveries-threshold", FIELD_DOUBLE, T (mesh_message_deliveries_threshold), 0, G_MAXDOUBLE, N_("Deliveries below which P3 applies") },
  { "topic-mesh-message-deliveries-window", FIELD_MS, T (mesh_message_deliveries_window_us), 0, 3600000, N_("Milliseconds a late duplicate still counts for P3") },
  { "topic-mesh-message-deliveries-activation", FIELD_MS, T (mesh_message_deliveries_activation_us), 0, 86400000, N_("Milliseconds in the mesh before P3 applies") },
  { "topic-mesh-failure-penalty-weight", FIELD_DOUBLE, T (mesh_failure_penalty_weight), -G_MAXDOUBLE, 0, N_("P3b weight") },
  { "topic-mesh-failure-penalty-decay", FIELD_DOUBLE, T (mesh_failure_penalty_decay), 0, 1, N_("P3b decay factor") },
  { "topic-invalid-message-deliveries-weight", FIELD_DOUBLE, T (invalid_message_deliveries_weight), -G_MAXDOUBLE, 0, N_("P4 weight") },
  { "topic-invalid-message-deliveries-decay", FIELD_DOUBLE, T (invalid_message_deliveries_decay), 0, 1, N_("P4 decay factor") },
};

#undef P
#undef S
#undef T
#undef WEIGHT

enum
{
  PROP_0,
  PROP_SIGNATURE_POLICY,
  PROP_MESSAGE_ID,
  PROP_FIRST_FIELD,
};

static const char * const message_id_names[] = { "js", "from-seqno", "content", NULL };

G_DEFINE_FINAL_TYPE (SatoriGossipsubPubsub, satori_gossipsub_pubsub, SATORI_TYPE_PUBSUB_ROUTER)

static const char * const gossipsub_protocol_ids[] = {
  SATORI_GOSSIPSUB_PROTOCOL_1_2, SATORI_GOSSIPSUB_PROTOCOL_1_1, SATORI_GOSSIPSUB_PROTOCOL_1_0,
  SATORI_FLOODSUB_PROTOCOL, NULL
};

static SatoriPubsubMessageIdFunc
message_id_function (const char *name, SatoriPubsubSignaturePolicy policy)
{
  if (policy == SATORI_PUBSUB_STRICT_NO_SIGN || g_strcmp0 (name, "content") == 0)
    return satori_pubsub_content_message_id;
  if (g_strcmp0 (name, "from-seqno") == 0)
    return satori_pubsub_default_message_id;
  return satori_pubsub_key_message_id;
}

static SatoriPubsubCore *
satori_gossipsub_pubsub_create_core (SatoriPubsubRouter *router, SatoriHost *host,
                                     const SatoriPubsubCoreProvider *provider)
{
  SatoriGossipsubPubsub *self = SATORI_GOSSIPSUB_PUBSUB (router);
  SatoriGossipsubParams params = self->params;

  params.message_id_fn = message_id_function (self->message_id, params.signature_policy);
  params.message_id_data = NULL;
  return satori_gossipsub_session_new (&params, satori_host_get_private_key (host), provider);
}

static gpointer
field_address (SatoriGossipsubPubsub *self, const Field *field)
{
  guint8 *base = field->topic ? (guint8 *) &self->params.score.default_topic
                              : (guint8 *) &self->params;

  return base + field->offset;
}

static void
satori_gossipsub_pubsub_get_property (GObject *object, guint prop_id, GValue *value,
                                      GParamSpec *pspec)
{
  SatoriGossipsubPubsub *self = SATORI_GOSSIPSUB_PUBSUB (object);

  if (prop_id == PROP_SIGNATURE_POLICY)
    {
      g_value_set_string (value, self->params.signature_policy == SATORI_PUBSUB_STRICT_SIGN
                                 ? "strict-sign" : "strict-no-sign");
      return;
    }
  if (prop_id == PROP_MESSAGE_ID)
    {
      g_value_set_string (value, self->message_id);
      return;
    }
  if (prop_id < PROP_FIRST_FIELD || prop_id >= PROP_FIRST_FIELD + G_N_ELEMENTS (fields))
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  const Field *field = &fields[prop_id - PROP_FIRST_FIELD];
  gpointer address = field_address (self, field);
  switch (field->kind)
    {
    case FIELD_UINT:
      g_value_set_uint (value, *(guint *) address);
      break;
    case FIELD_SIZE:
      g_value_set_uint64 (value, *(gsize *) address);
      break;
    case FIELD_DOUBLE:
      g_value_set_double (value, *(double *) address);
      break;
    case FIELD_BOOLEAN:
      g_value_set_boolean (value, *(gboolean *) address);
      break;
    case FIELD_MS:
      g_value_set_uint (value, (guint) (*(gint64 *) address / 1000));
      break;
    case FIELD_SECONDS:
      g_value_set_uint (value, (guint) (*(gint64 *) address / G_USEC_PER_SEC));
      break;
    }
}

static void
set_signature_policy (SatoriGossipsubPubsub *self, const char *policy)
{
  if (g_strcmp0 (policy, "strict-no-sign") == 0)
    {
      self->params.signature_policy = SATORI_PUBSUB_STRICT_NO_SIGN;
      return;
    }
  if (policy != NULL && g_strcmp0 (policy, "strict-sign") != 0)
    g_warning (_("Unknown gossipsub signature policy “%s”: using strict-sign"), policy);
  self->params.signature_policy = SATORI_PUBSUB_STRICT_SIGN;
}

static void
set_message_id (SatoriGossipsubPubsub *self, const char *name)
{
  if (name != NULL && !g_strv_contains (message_id_names, name))
    {
      g_warning (_("Unknown gossipsub message id function “%s”: using js"), name);
      name = NULL;
    }
  g_free (self->message_id);
  self->message_id = g_strdup (name != NULL ? name : message_id_names[0]);
}

static void
satori_gossipsub_pubsub_set_property (GObject *object, guint prop_id, const GValue *value,
                                      GParamSpec *pspec)
{
  SatoriGossipsubPubsub *self = SATORI_GOSSIPSUB_PUBSUB (object);

  if (prop_id == PROP_SIGNATURE_POLICY)
    {
      set_signature_policy (self, g_value_get_string (value));
      return;
    }
  if (prop_id == PROP_MESSAGE_ID)
    {
      set_message_id (self, g_value_get_string (value));
      return;
    }
  if (prop_id < PROP_FIRST_FIELD || prop_id >= PROP_FIRST_FIELD + G_N_ELEMENTS (fields))
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  const Field *field = &fields[prop_id - PROP_FIRST_FIELD];
  gpointer address = field_address (self, field);
  switch (field->kind)
    {
    case FIELD_UINT:
      *(guint *) address = g_value_get_uint (value);
      break;
    case FIELD_SIZE:
      *(gsize *) address = g_value_get_uint64 (value);
      break;
    case FIELD_DOUBLE:
      *(double *) address = g_value_get_double (value);
      break;
    case FIELD_BOOLEAN:
      *(gboolean *) address = g_value_get_boolean (value);
      break;
    case FIELD_MS:
      *(gint64 *) address = (gint64) g_value_get_uint (value) * 1000;
      break;
    case FIELD_SECONDS:
      *(gint64 *) address = (gint64) g_value_get_uint (value) * G_USEC_PER_SEC;
      break;
    }
}

/* A property for @field whose default is its value in @defaults. */
static GParamSpec *
field_pspec (const Field *field, SatoriGossipsubPubsub *defaults)
{
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  gpointer address = field_address (defaults, field);

  switch (field->kind)
    {
    case FIELD_UINT:
      return g_param_spec_uint (field->name, NULL, field->blurb, field->min, field->max,
                                *(guint *) address, flags);
    case FIELD_SIZE:
      return g_param_spec_uint64 (field->name, NULL, field->blurb, field->min, field->max,
                                  *(gsize *) address, flags);
    case FIELD_DOUBLE:
      return g_param_spec_double (field->name, NULL, field->blurb, field->min, field->max,
                                  *(double *) address, flags);
    case FIELD_BOOLEAN:
      return g_param_spec_boolean (field->name, NULL, field->blurb, *(gboolean *) address, flags);
    case FIELD_MS:
      return g_param_spec_uint (field->name, NULL, field->blurb, field->min, field->max,
                                *(gint64 *) address / 1000, flags);
    case FIELD_SECONDS:
      return g_param_spec_uint (field->name, NULL, field->blurb, field->min, field->max,
                                *(gint64 *) address / G_USEC_PER_SEC, flags);
    }
  g_assert_not_reached ();
}

static void
satori_gossipsub_pubsub_finalize (GObject *object)
{
  SatoriGossipsubPubsub *self = SATORI_GOSSIPSUB_PUBSUB (object);

  g_free (self->message_id);
  satori_gossipsub_params_clear (&self->params);
  G_OBJECT_CLASS (satori_gossipsub_pubsub_parent_class)->finalize (object);
}

static void
satori_gossipsub_pubsub_class_init (SatoriGossipsubPubsubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SatoriPubsubRouterClass *router_class = SATORI_PUBSUB_ROUTER_CLASS (klass);
  SatoriGossipsubPubsub defaults = { 0 };

  object_class->get_property = satori_gossipsub_pubsub_get_property;
  object_class->set_property = satori_gossipsub_pubsub_set_property;
  object_class->finalize = satori_gossipsub_pubsub_finalize;
  router_class->protocol_ids = gossipsub_protocol_ids;
  router_class->create_core = satori_gossipsub_pubsub_create_core;

  g_object_class_install_property (object_class, PROP_SIGNATURE_POLICY,
    g_param_spec_string ("signature-policy", NULL,
                         N_("strict-sign (messages are signed, and must be) or strict-no-sign"),
                         "strict-sign", G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, PROP_MESSAGE_ID,
    g_param_spec_string ("message-id", NULL,
                         N_("The message id function: js, from-seqno or content"),
                         message_id_names[0], G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  satori_gossipsub_params_init_default (&defaults.params);
  satori_gossipsub_topic_score_params_init_default (&defaults.params.score.default_topic);
  defaults.params.score.default_topic.topic_weight = 0;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_object_class_install_property (object_class, PROP_FIRST_FIELD + i,
                                     field_pspec (&fields[i], &defaults));
  satori_gossipsub_params_clear (&defaults.params);
}

static void
satori_gossipsub_pubsub_init (SatoriGossipsubPubsub *self)
{
  satori_gossipsub_params_init_default (&self->params);
  /* The example values, so that setting topic-weight alone scores topics. */
  satori_gossipsub_topic_score_params_init_default (&self->params.score.default_topic);
  self->params.score.default_topic.topic_weight = 0;
  self->message_id = g_strdup (message_id_names[0]);
}

/**
 * satori_gossipsub_pubsub_new:
 *
 * Returns: (transfer full): a GossipSub router with the spec's defaults;
 *   attach it to a host with satori_host_set_handler() for each of its
 *   protocol ids, or name it in `[host] pubsub=`
 */
SatoriGossipsubPubsub *
satori_gossipsub_pubsub_new (void)
{
  return g_object_new (SATORI_TYPE_GOSSIPSUB_PUBSUB, NULL);
}
