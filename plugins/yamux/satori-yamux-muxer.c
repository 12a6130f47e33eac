/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-yamux-muxer.h"

#include "satori-yamux-connection.h"

/**
 * SatoriYamuxMuxer:
 *
 * The `/yamux/1.0.0` stream muxer. Its properties are the `[yamux]`
 * configuration group; the defaults are go-yamux's.
 */
struct _SatoriYamuxMuxer
{
  GObject parent_instance;

  guint initial_window;
  guint max_window;
  guint max_streams;
  guint max_message_size;
  guint keepalive_interval;
  guint keepalive_timeout;
};

enum
{
  PROP_0,
  PROP_INITIAL_WINDOW,
  PROP_MAX_WINDOW,
  PROP_MAX_STREAMS,
  PROP_MAX_MESSAGE_SIZE,
  PROP_KEEPALIVE_INTERVAL,
  PROP_KEEPALIVE_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void satori_yamux_muxer_iface_init (SatoriMuxerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriYamuxMuxer, satori_yamux_muxer, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_MUXER, satori_yamux_muxer_iface_init))

static SatoriMuxedConnection *
satori_yamux_muxer_create_connection (SatoriMuxer *muxer, GIOStream *secured,
                                      gboolean is_initiator, GError **error)
{
  SatoriYamuxMuxer *self = SATORI_YAMUX_MUXER (muxer);
  SatoriYamuxConfig config;

  satori_yamux_config_init (&config);
  config.initial_window = self->initial_window;
  config.max_window = MAX (self->max_window, self->initial_window);
  config.max_streams = self->max_streams;
  config.max_message_size = self->max_message_size;
  config.keepalive_interval_us = (gint64) self->keepalive_interval * G_USEC_PER_SEC;
  config.keepalive_timeout_us = (gint64) self->keepalive_timeout * G_USEC_PER_SEC;
  return SATORI_MUXED_CONNECTION (satori_yamux_connection_new (secured, is_initiator, &config));
}

static void
satori_yamux_muxer_iface_init (SatoriMuxerInterface *iface)
{
  iface->create_connection = satori_yamux_muxer_create_connection;
}

static guint *
property_field (SatoriYamuxMuxer *self, guint prop_id)
{
  switch (prop_id)
    {
    case PROP_INITIAL_WINDOW: return &self->initial_window;
    case PROP_MAX_WINDOW: return &self->max_window;
    case PROP_MAX_STREAMS: return &self->max_streams;
    case PROP_MAX_MESSAGE_SIZE: return &self->max_message_size;
    case PROP_KEEPALIVE_INTERVAL: return &self->keepalive_interval;
    case PROP_KEEPALIVE_TIMEOUT: return &self->keepalive_timeout;
    default: return NULL;
    }
}

static void
satori_yamux_muxer_get_property (GObject *object, guint prop_id, GValue *value,
                                 GParamSpec *pspec)
{
  guint *field = property_field (SATORI_YAMUX_MUXER (object), prop_id);

  if (field == NULL)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else
    g_value_set_uint (value, *field);
}

static void
satori_yamux_muxer_set_property (GObject *object, guint prop_id, const GValue *value,
                                 GParamSpec *pspec)
{
  guint *field = property_field (SATORI_YAMUX_MUXER (object), prop_id);

  if (field == NULL)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else
    *field = g_value_get_uint (value);
}

static GParamSpec *
uint_property (const char *name, const char *blurb, guint min, guint max, guint def)
{
  return g_param_spec_uint (name, NULL, blurb, min, max, def,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
}

static void
satori_yamux_muxer_class_init (SatoriYamuxMuxerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = satori_yamux_muxer_get_property;
  object_class->set_property = satori_yamux_muxer_set_property;

  /**
   * SatoriYamuxMuxer:initial-window:
   *
   * The receive window of each new stream, in bytes (at least the
   * protocol's 256 KiB).
   */
  properties[PROP_INITIAL_WINDOW] =
    uint_property ("initial-window", "Receive window of new streams, in bytes",
                   SATORI_YAMUX_DEFAULT_WINDOW, 1024 * 1024 * 1024, SATORI_YAMUX_DEFAULT_WINDOW);
  /**
   * SatoriYamuxMuxer:max-window:
   *
   * How far window auto-tuning may grow a stream's receive window, in bytes.
   */
  properties[PROP_MAX_WINDOW] =
    uint_property ("max-window", "Largest auto-tuned receive window, in bytes",
                   SATORI_YAMUX_DEFAULT_WINDOW, 1024 * 1024 * 1024, 16 * 1024 * 1024);
  /**
   * SatoriYamuxMuxer:max-streams:
   *
   * Most streams open at once on a connection; more inbound ones are reset.
   */
  properties[PROP_MAX_STREAMS] =
    uint_property ("max-streams", "Most streams open at once", 1, 65536, 1000);
  /**
   * SatoriYamuxMuxer:max-message-size:
   *
   * The largest data frame payload sent, in bytes.
   */
  properties[PROP_MAX_MESSAGE_SIZE] =
    uint_property ("max-message-size", "Largest data frame sent, in bytes",
                   1024, 16 * 1024 * 1024, 64 * 1024);
  /**
   * SatoriYamuxMuxer:keepalive-interval:
   *
   * Seconds between keep-alive pings; 0 turns them off.
   */
  properties[PROP_KEEPALIVE_INTERVAL] =
    uint_property ("keepalive-interval", "Seconds between keep-alive pings, 0 for none",
                   0, 3600, 30);
  /**
   * SatoriYamuxMuxer:keepalive-timeout:
   *
   * Seconds a keep-alive ping may stay unanswered before the connection
   * is closed.
   */
  properties[PROP_KEEPALIVE_TIMEOUT] =
    uint_property ("keepalive-timeout", "Seconds a keep-alive ping may stay unanswered",
                   1, 600, 10);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
satori_yamux_muxer_init (SatoriYamuxMuxer *self)
{
}
