/* satori-autonat-service.c — /libp2p/autonat/1.0.0 on a host: the GIO
 * driver of SatoriAutonatSession, and the host's reachability
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-autonat-service-private.h"

#include <glib/gi18n-lib.h>

/**
 * SatoriAutonatService:
 *
 * AutoNAT v1 (libp2p/specs `autonat/autonat-v1.md`) on a host.
 *
 * As a server it dials back peers that ask, on the IP address they are
 * observed at only, within #SatoriAutonatService:max-per-peer and
 * #SatoriAutonatService:max-requests a minute, each dial limited by
 * #SatoriAutonatService:dial-timeout.
 *
 * As a client it asks connected peers that serve the protocol (identify
 * tells) to dial its addresses back, in rounds (#SatoriAutonatSession),
 * and sets #SatoriHost:reachability once #SatoriAutonatService:threshold
 * of them agree. It asks again every
 * #SatoriAutonatService:refresh-interval seconds, and soon after the
 * host's addresses change.
 */

enum
{
  PROP_0,
  PROP_SERVER,
  PROP_ALLOW_PRIVATE,
  PROP_THRESHOLD,
  PROP_BOOT_DELAY,
  PROP_RETRY_INTERVAL,
  PROP_REFRESH_INTERVAL,
  PROP_REQUEST_TIMEOUT,
  PROP_DIAL_TIMEOUT,
  PROP_MAX_PER_PEER,
  PROP_MAX_REQUESTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void satori_autonat_service_handler_iface_init (SatoriProtocolHandlerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriAutonatService, satori_autonat_service, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PROTOCOL_HANDLER,
                         satori_autonat_service_handler_iface_init))

static void
log_verdict (SatoriReachability reachability)
{
  if (reachability == SATORI_REACHABILITY_PUBLIC)
    g_message (_("AutoNAT: other peers can dial this host (public)"));
  else if (reachability == SATORI_REACHABILITY_PRIVATE)
    g_message (_("AutoNAT: other peers cannot dial this host (private: behind a NAT or "
                 "firewall)"));
}

static gboolean
on_deadline (gpointer user_data)
{
  SatoriAutonatService *self = user_data;

  self->deadline_source = 0;
  satori_autonat_session_handle_timeout (self->session, g_get_monotonic_time ());
  _satori_autonat_service_drive (self);
  return G_SOURCE_REMOVE;
}

/* Acts on the session's events and follows its next deadline. */
void
_satori_autonat_service_drive (SatoriAutonatService *self)
{
  SatoriAutonatEvent event;

  if (self->session == NULL || self->host == NULL)
    return;
  while (satori_autonat_session_poll_event (self->session, &event))
    {
      if (event.type == SATORI_AUTONAT_EVENT_PROBE)
        _satori_autonat_service_probe (self, event.peer);
      else
        {
          log_verdict (event.reachability);
          satori_host_set_reachability (self->host, event.reachability);
        }
      satori_autonat_event_clear (&event);
    }
  g_clear_handle_id (&self->deadline_source, g_source_remove);
  gint64 deadline = satori_autonat_session_next_deadline_us (self->session);
  if (deadline == G_MAXINT64)
    return;
  gint64 delay_ms = MAX (0, deadline - g_get_monotonic_time () + 999) / 1000;
  self->deadline_source = g_timeout_add ((guint) MIN (delay_ms, G_MAXUINT), on_deadline, self);
}

static gboolean
serves_autonat (SatoriHost *host, SatoriPeerId *peer)
{
  g_auto(GStrv) protocols = satori_peerstore_get_protocols (satori_host_get_peerstore (host),
                                                            peer);

  return protocols != NULL &&
         g_strv_contains ((const char * const *) protocols, SATORI_AUTONAT_PROTOCOL);
}

static void
on_protocols_changed (SatoriPeerstore *store, SatoriPeerId *peer, SatoriAutonatService *self)
{
  if (satori_host_get_connection (self->host, peer) != NULL && serves_autonat (self->host, peer))
    satori_autonat_session_add_server (self->session, peer, g_get_monotonic_time ());
  else
    satori_autonat_session_remove_server (self->session, peer);
  _satori_autonat_service_drive (self);
}

static void
on_peer_disconnected (SatoriHost *host, SatoriConnection *connection, SatoriAutonatService *self)
{
  SatoriPeerId *peer = satori_connection_get_remote_peer (connection);

  if (satori_host_get_connection (host, peer) == NULL)
    satori_autonat_session_remove_server (self->session, peer);
  _satori_autonat_service_drive (self);
}

static void
on_addresses_changed (SatoriHost *host, SatoriAutonatService *self)
{
  satori_autonat_session_addresses_changed (self->session, g_get_monotonic_time ());
  _satori_autonat_service_drive (self);
}

static void
satori_autonat_service_attach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  SatoriAutonatService *self = SATORI_AUTONAT_SERVICE (handler);
  SatoriAutonatConfig config;

  g_return_if_fail (self->host == NULL);
  satori_autonat_config_init (&config);
  config.threshold = self->threshold;
  config.probes_per_round = self->threshold;
  config.boot_delay_us = (gint64) self->boot_delay * G_USEC_PER_SEC;
  config.retry_interval_us = (gint64) self->retry_interval * G_USEC_PER_SEC;
  config.refresh_interval_us = (gint64) self->refresh_interval * G_USEC_PER_SEC;
  config.peer_cooldown_us = config.refresh_interval_us;
  config.request_timeout_us = (gint64) self->request_timeout * G_USEC_PER_SEC;
  self->session = satori_autonat_session_new (&config, g_get_monotonic_time ());
  self->throttle = satori_autonat_throttle_new (self->max_per_peer, self->max_requests,
                                                60 * G_USEC_PER_SEC);
  self->cancellable = g_cancellable_new ();
  self->host = host;
  g_object_add_weak_pointer (G_OBJECT (host), (gpointer *) &self->host);
  self->protocols_changed_id = g_signal_connect_object (satori_host_get_peerstore (host),
                                                        "protocols-changed",
                                                        G_CALLBACK (on_protocols_changed),
                                                        self, 0);
  self->peer_disconnected_id = g_signal_connect_object (host, "peer-disconnected",
                                                        G_CALLBACK (on_peer_disconnected),
                                                        self, 0);
  self->addresses_changed_id = g_signal_connect_object (host, "addresses-changed",
                                                        G_CALLBACK (on_addresses_changed),
                                                        self, 0);
  _satori_autonat_service_drive (self);
}

static void
stop (SatoriAutonatService *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->deadline_source, g_source_remove);
  g_clear_pointer (&self->session, satori_autonat_session_free);
  g_clear_pointer (&self->throttle, satori_autonat_throttle_free);
}

static void
satori_autonat_service_detach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  SatoriAutonatService *self = SATORI_AUTONAT_SERVICE (handler);

  if (self->host != host)
    return;
  g_clear_signal_handler (&self->protocols_changed_id, satori_host_get_peerstore (host));
  g_clear_signal_handler (&self->peer_disconnected_id, host);
  g_clear_signal_handler (&self->addresses_changed_id, host);
  g_object_remove_weak_pointer (G_OBJECT (host), (gpointer *) &self->host);
  self->host = NULL;
  stop (self);
}

static void
satori_autonat_service_handle_stream (SatoriProtocolHandler *handler, GIOStream *stream,
                                      const char *protocol_id, SatoriPeerId *remote_peer,
                                      SatoriMultiaddr *remote_address)
{
  _satori_autonat_service_serve (SATORI_AUTONAT_SERVICE (handler), stream, remote_peer,
                                 remote_address);
}

static void
satori_autonat_service_handler_iface_init (SatoriProtocolHandlerInterface *iface)
{
  iface->attach = satori_autonat_service_attach;
  iface->detach = satori_autonat_service_detach;
  iface->handle_stream = satori_autonat_service_handle_stream;
}

static guint *
uint_field (SatoriAutonatService *self, guint prop_id)
{
  switch (prop_id)
    {
    case PROP_THRESHOLD:
      return &self->threshold;
    case PROP_BOOT_DELAY:
      return &self->boot_delay;
    case PROP_RETRY_INTERVAL:
      return &self->retry_interval;
    case PROP_REFRESH_INTERVAL:
      return &self->refresh_interval;
    case PROP_REQUEST_TIMEOUT:
      return &self->request_timeout;
    case PROP_DIAL_TIMEOUT:
      return &self->dial_timeout;
    case PROP_MAX_PER_PEER:
      return &self->max_per_peer;
    case PROP_MAX_REQUESTS:
      return &self->max_requests;
    default:
      return NULL;
    }
}

static void
satori_autonat_service_set_property (GObject *object, guint prop_id, const GValue *value,
                                     GParamSpec *pspec)
{
  SatoriAutonatService *self = SATORI_AUTONAT_SERVICE (object);
  guint *field = uint_field (self, prop_id);

  if (field != NULL)
    *field = g_value_get_uint (value);
  else if (prop_id == PROP_SERVER)
    self->server = g_value_get_boolean (value);
  else if (prop_id == PROP_ALLOW_PRIVATE)
    self->allow_private = g_value_get_boolean (value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
satori_autonat_service_get_property (GObject *object, guint prop_id, GValue *value,
                                     GParamSpec *pspec)
{
  SatoriAutonatService *self = SATORI_AUTONAT_SERVICE (object);
  guint *field = uint_field (self, prop_id);

  if (field != NULL)
    g_value_set_uint (value, *field);
  else if (prop_id == PROP_SERVER)
    g_value_set_boolean (value, self->server);
  else if (prop_id == PROP_ALLOW_PRIVATE)
    g_value_set_boolean (value, self->allow_private);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
satori_autonat_service_dispose (GObject *object)
{
  SatoriAutonatService *self = SATORI_AUTONAT_SERVICE (object);

  if (self->host != NULL)
    satori_autonat_service_detach (SATORI_PROTOCOL_HANDLER (self), self->host);
  stop (self);
  G_OBJECT_CLASS (satori_autonat_service_parent_class)->dispose (object);
}

static GParamSpec *
uint_spec (const char *name, guint min, guint max, guint def)
{
  return g_param_spec_uint (name, NULL, NULL, min, max, def,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
}

static void
satori_autonat_service_class_init (SatoriAutonatServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = satori_autonat_service_set_property;
  object_class->get_property = satori_autonat_service_get_property;
  object_class->dispose = satori_autonat_service_dispose;

  /**
   * SatoriAutonatService:server:
   *
   * Dial back the peers that ask (else they are refused, E_DIAL_REFUSED).
   */
  properties[PROP_SERVER] =
    g_param_spec_boolean ("server", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);

  /**
   * SatoriAutonatService:allow-private:
   *
   * Also dial back peers observed at private IP addresses (loopback,
   * RFC 1918, ...): for tests and private networks only.
   */
  properties[PROP_ALLOW_PRIVATE] =
    g_param_spec_boolean ("allow-private", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);

  /**
   * SatoriAutonatService:threshold:
   *
   * Peers that must agree before the host is deemed public or private
   * (the spec's "more than 3"); also the peers asked at once.
   */
  properties[PROP_THRESHOLD] = uint_spec ("threshold", 1, 32, 4);

  /**
   * SatoriAutonatService:boot-delay:
   *
   * Seconds after start before the first peers are asked.
   */
  properties[PROP_BOOT_DELAY] = uint_spec ("boot-delay", 0, 3600, 15);

  /**
   * SatoriAutonatService:retry-interval:
   *
   * Seconds between rounds of questions while the answer is not known.
   */
  properties[PROP_RETRY_INTERVAL] = uint_spec ("retry-interval", 1, 24 * 3600, 90);

  /**
   * SatoriAutonatService:refresh-interval:
   *
   * Seconds between rounds once it is.
   */
  properties[PROP_REFRESH_INTERVAL] = uint_spec ("refresh-interval", 1, 7 * 24 * 3600, 900);

  /**
   * SatoriAutonatService:request-timeout:
   *
   * Seconds a peer may take to answer (its dial back included).
   */
  properties[PROP_REQUEST_TIMEOUT] = uint_spec ("request-timeout", 1, 600, 30);

  /**
   * SatoriAutonatService:dial-timeout:
   *
   * Seconds one dial back may take, as a server.
   */
  properties[PROP_DIAL_TIMEOUT] = uint_spec ("dial-timeout", 1, 600, 15);

  /**
   * SatoriAutonatService:max-per-peer:
   *
   * Requests one peer may have served per minute, as a server.
   */
  properties[PROP_MAX_PER_PEER] = uint_spec ("max-per-peer", 0, 1000, 3);

  /**
   * SatoriAutonatService:max-requests:
   *
   * Requests served per minute, all peers together, as a server.
   */
  properties[PROP_MAX_REQUESTS] = uint_spec ("max-requests", 0, 100000, 30);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
satori_autonat_service_init (SatoriAutonatService *self)
{
}

/**
 * satori_autonat_service_new:
 *
 * Returns: (transfer full): a service with the default settings, to
 *   attach to a host (satori_host_set_handler())
 */
SatoriAutonatService *
satori_autonat_service_new (void)
{
  return g_object_new (SATORI_TYPE_AUTONAT_SERVICE, NULL);
}
