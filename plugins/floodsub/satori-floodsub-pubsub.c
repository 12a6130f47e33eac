/* satori-floodsub-pubsub.c — /floodsub/1.0.0 on a host
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-floodsub-pubsub.h"

#include "satori-floodsub-session.h"
#include "satori-pubsub-rpc-reader.h"
#include "satori-pubsub-seen-cache.h"

/**
 * SatoriFloodsubPubsub:
 *
 * The floodsub router (`/floodsub/1.0.0`): the #SatoriPubsubRouter adapter
 * around the sans-I/O core of satori-floodsub-session.c. Cross-implementation
 * test suites (and the libp2p daemon's `-pubsubRouter=floodsub`) use it.
 */
struct _SatoriFloodsubPubsub
{
  SatoriPubsubRouter parent_instance;

  gboolean strict_sign;
  guint64 max_message_size;
  guint seen_ttl;
};

enum
{
  PROP_0,
  PROP_SIGNATURE_POLICY,
  PROP_MAX_MESSAGE_SIZE,
  PROP_SEEN_TTL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SatoriFloodsubPubsub, satori_floodsub_pubsub, SATORI_TYPE_PUBSUB_ROUTER)

static const char * const floodsub_protocol_ids[] = { SATORI_FLOODSUB_PROTOCOL, NULL };

static SatoriPubsubCore *
satori_floodsub_pubsub_create_core (SatoriPubsubRouter *router, SatoriHost *host,
                                    const SatoriPubsubCoreProvider *provider)
{
  SatoriFloodsubPubsub *self = SATORI_FLOODSUB_PUBSUB (router);
  SatoriFloodsubConfig config = {
    .key = satori_host_get_private_key (host),
    .policy = self->strict_sign ? SATORI_PUBSUB_STRICT_SIGN : SATORI_PUBSUB_STRICT_NO_SIGN,
    .max_rpc_size = self->max_message_size,
    .seen_ttl_us = (gint64) self->seen_ttl * G_USEC_PER_SEC,
  };

  return satori_floodsub_session_new (&config, provider);
}

static void
satori_floodsub_pubsub_get_property (GObject *object, guint prop_id, GValue *value,
                                     GParamSpec *pspec)
{
  SatoriFloodsubPubsub *self = SATORI_FLOODSUB_PUBSUB (object);

  switch (prop_id)
    {
    case PROP_SIGNATURE_POLICY:
      g_value_set_string (value, self->strict_sign ? "strict-sign" : "strict-no-sign");
      break;
    case PROP_MAX_MESSAGE_SIZE:
      g_value_set_uint64 (value, self->max_message_size);
      break;
    case PROP_SEEN_TTL:
      g_value_set_uint (value, self->seen_ttl);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_floodsub_pubsub_set_property (GObject *object, guint prop_id, const GValue *value,
                                     GParamSpec *pspec)
{
  SatoriFloodsubPubsub *self = SATORI_FLOODSUB_PUBSUB (object);

  switch (prop_id)
    {
    case PROP_SIGNATURE_POLICY:
      {
        const char *policy = g_value_get_string (value);
        if (g_strcmp0 (policy, "strict-no-sign") == 0)
          self->strict_sign = FALSE;
        else
          {
            if (policy != NULL && g_strcmp0 (policy, "strict-sign") != 0)
              g_warning ("Unknown floodsub signature policy “%s”: using strict-sign", policy);
            self->strict_sign = TRUE;
          }
        break;
      }
    case PROP_MAX_MESSAGE_SIZE:
      self->max_message_size = g_value_get_uint64 (value);
      break;
    case PROP_SEEN_TTL:
      self->seen_ttl = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_floodsub_pubsub_class_init (SatoriFloodsubPubsubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SatoriPubsubRouterClass *router_class = SATORI_PUBSUB_ROUTER_CLASS (klass);

  object_class->get_property = satori_floodsub_pubsub_get_property;
  object_class->set_property = satori_floodsub_pubsub_set_property;
  router_class->protocol_ids = floodsub_protocol_ids;
  router_class->create_core = satori_floodsub_pubsub_create_core;

  /**
   * SatoriFloodsubPubsub:signature-policy:
   *
   * `strict-sign` (the default: messages carry our peer id, a sequence
   * number and a signature, and received ones must) or `strict-no-sign`
   * (none of these fields, on either side). Read when the router is
   * attached to its host.
   */
  properties[PROP_SIGNATURE_POLICY] =
    g_param_spec_string ("signature-policy", NULL, NULL, "strict-sign",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);

  /**
   * SatoriFloodsubPubsub:max-message-size:
   *
   * The largest RPC frame, and so message, accepted or published, in
   * bytes: a peer that sends a larger one loses its streams.
   */
  properties[PROP_MAX_MESSAGE_SIZE] =
    g_param_spec_uint64 ("max-message-size", NULL, NULL, 1024, G_MAXUINT32,
                         SATORI_PUBSUB_DEFAULT_MAX_RPC_SIZE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);

  /**
   * SatoriFloodsubPubsub:seen-ttl:
   *
   * How long, in seconds, a message id is remembered so that the message
   * is neither delivered nor forwarded twice.
   */
  properties[PROP_SEEN_TTL] =
    g_param_spec_uint ("seen-ttl", NULL, NULL, 1, 24 * 3600,
                       SATORI_PUBSUB_DEFAULT_SEEN_TTL_US / G_USEC_PER_SEC,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
satori_floodsub_pubsub_init (SatoriFloodsubPubsub *self)
{
}

/**
 * satori_floodsub_pubsub_new:
 *
 * Returns: (transfer full): a floodsub router with the default
 *   configuration; serve it with satori_host_set_handler() for
 *   %SATORI_FLOODSUB_PROTOCOL
 */
SatoriFloodsubPubsub *
satori_floodsub_pubsub_new (void)
{
  return g_object_new (SATORI_TYPE_FLOODSUB_PUBSUB, NULL);
}
