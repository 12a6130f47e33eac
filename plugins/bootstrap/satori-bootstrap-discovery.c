/* satori-bootstrap-discovery.c — the GIO adapter of the bootstrap policy:
 * host signals and the clock in, dials and DNS TXT lookups out
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-bootstrap-discovery.h"

#include "satori-bootstrap-session.h"
#include <glib/gi18n-lib.h>

/**
 * SatoriBootstrapDiscovery:
 *
 * A #SatoriDiscovery that dials the bootstrap peers of #SatoriBootstrapDiscovery:peers
 * (`/dnsaddr/` names resolved through the default #GResolver's TXT
 * lookups) while the #SatoriBootstrapDiscovery:host has fewer than
 * #SatoriBootstrapDiscovery:min-connections connections. Configured by
 * the `[bootstrap]` group.
 */
struct _SatoriBootstrapDiscovery
{
  GObject parent_instance;

  SatoriHost             *host;
  GStrv                   peers;
  guint                   min_connections;
  guint                   interval_s;
  SatoriBootstrapSession *session;
  GCancellable           *cancellable;  /* of the running dials and lookups */
  GSource                *timer;
  gulong                  connected_id;
  gulong                  disconnected_id;
};

enum {
  PROP_0,
  PROP_HOST,
  PROP_PEERS,
  PROP_MIN_CONNECTIONS,
  PROP_INTERVAL,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void discovery_iface_init (SatoriDiscoveryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriBootstrapDiscovery, satori_bootstrap_discovery,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SATORI_TYPE_DISCOVERY,
                                                      discovery_iface_init))

/* One dial: the addresses of one peer, tried in order. */
typedef struct {
  SatoriBootstrapDiscovery *self;
  GBytes                   *peer_id;
  GPtrArray                *addresses;
  guint                     next;
} Dial;

static void pump (SatoriBootstrapDiscovery *self);

static void
dial_free (Dial *dial)
{
  g_object_unref (dial->self);
  g_bytes_unref (dial->peer_id);
  g_ptr_array_unref (dial->addresses);
  g_free (dial);
}

static void dial_next (Dial *dial);

static void
dial_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Dial *dial = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriConnection) connection =
    satori_host_connect_finish (SATORI_HOST (source), result, &error);

  /* Stopped meanwhile: nobody to tell. */
  if (dial->self->session == NULL)
    {
      dial_free (dial);
      return;
    }
  if (connection == NULL)
    {
      g_autofree char *text = satori_multiaddr_to_string (dial->addresses->pdata[dial->next - 1]);
      g_debug ("bootstrap dial to %s failed: %s", text, error->message);
      dial_next (dial);
      return;
    }
  satori_bootstrap_session_dial_done (dial->self->session, dial->peer_id, TRUE,
                                      g_get_monotonic_time ());
  pump (dial->self);
  dial_free (dial);
}

static void
dial_next (Dial *dial)
{
  SatoriBootstrapDiscovery *self = dial->self;
  if (dial->next == dial->addresses->len)
    {
      satori_bootstrap_session_dial_done (self->session, dial->peer_id, FALSE,
                                          g_get_monotonic_time ());
      pump (self);
      dial_free (dial);
      return;
    }
  satori_host_connect_async (self->host, dial->addresses->pdata[dial->next++],
                             self->cancellable, dial_cb, dial);
}

static void
start_dial (SatoriBootstrapDiscovery *self, SatoriBootstrapAction *action)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (action->peer_id, &len);
  g_autoptr(SatoriPeerId) peer = satori_peer_id_new_from_bytes (data, len, &error);

  if (peer != NULL)
    {
      g_autoptr(SatoriPeerInfo) info = satori_peer_info_new (peer, action->addresses);
      g_signal_emit_by_name (self, "peer-discovered", info);
    }
  Dial *dial = g_new0 (Dial, 1);
  dial->self = g_object_ref (self);
  dial->peer_id = g_steal_pointer (&action->peer_id);
  dial->addresses = g_steal_pointer (&action->addresses);
  dial_next (dial);
}

typedef struct {
  SatoriBootstrapDiscovery *self;
  char                     *name;
} Lookup;

static void
lookup_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autofree Lookup *lookup = user_data;
  g_autoptr(SatoriBootstrapDiscovery) self = lookup->self;
  g_autofree char *name = lookup->name;
  g_autoptr(GError) error = NULL;
  GList *answers = g_resolver_lookup_records_finish (G_RESOLVER (source), result, &error);
  g_autoptr(GPtrArray) records = NULL;

  if (error != NULL)
    g_debug ("bootstrap: TXT lookup of %s failed: %s", name, error->message);
  else
    {
      records = g_ptr_array_new_with_free_func (g_free);
      for (GList *l = answers; l != NULL; l = l->next)
        {
          /* A TXT record is several strings; dnsaddr entries are one, but
           * a resolver may split a long one. */
          g_autofree const char **strings = NULL;
          g_variant_get (l->data, "(^a&s)", &strings);
          g_ptr_array_add (records, g_strjoinv ("", (char **) strings));
        }
      g_list_free_full (answers, (GDestroyNotify) g_variant_unref);
    }
  if (self->session == NULL)
    return;  /* stopped meanwhile */
  satori_bootstrap_session_handle_txt (self->session, name, records, g_get_monotonic_time ());
  pump (self);
}

static void
start_lookup (SatoriBootstrapDiscovery *self, SatoriBootstrapAction *action)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  Lookup *lookup = g_new0 (Lookup, 1);
  lookup->self = g_object_ref (self);
  lookup->name = g_steal_pointer (&action->name);
  g_resolver_lookup_records_async (resolver, lookup->name, G_RESOLVER_RECORD_TXT,
                                   self->cancellable, lookup_cb, lookup);
}

static gboolean
timer_cb (gpointer user_data)
{
  SatoriBootstrapDiscovery *self = user_data;
  g_clear_pointer (&self->timer, g_source_unref);
  satori_bootstrap_session_handle_timeout (self->session, g_get_monotonic_time ());
  pump (self);
  return G_SOURCE_REMOVE;
}

/* Carries out the session's actions and sets the timer to its deadline. */
static void
pump (SatoriBootstrapDiscovery *self)
{
  SatoriBootstrapAction action = { 0 };

  if (self->session == NULL)
    return;
  while (satori_bootstrap_session_poll_action (self->session, &action))
    {
      if (action.type == SATORI_BOOTSTRAP_DIAL)
        start_dial (self, &action);
      else
        start_lookup (self, &action);
      satori_bootstrap_action_clear (&action);
    }

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  gint64 deadline = satori_bootstrap_session_next_deadline_us (self->session);
  if (deadline == G_MAXINT64)
    return;
  gint64 wait_ms = MAX (deadline - g_get_monotonic_time (), 0) / 1000;
  self->timer = g_timeout_source_new ((guint) MIN (wait_ms, G_MAXUINT));
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_attach (self->timer, g_main_context_get_thread_default ());
}

static void
count_connections (SatoriBootstrapDiscovery *self)
{
  g_autoptr(GPtrArray) connections = satori_host_get_connections (self->host);
  satori_bootstrap_session_set_connection_count (self->session, connections->len,
                                                 g_get_monotonic_time ());
}

static void
peer_connected_cb (SatoriHost *host, SatoriConnection *connection, gpointer user_data)
{
  SatoriBootstrapDiscovery *self = user_data;
  GBytes *id = satori_peer_id_get_bytes (satori_connection_get_remote_peer (connection));
  satori_bootstrap_session_peer_connected (self->session, id, g_get_monotonic_time ());
  count_connections (self);
  pump (self);
}

static void
peer_disconnected_cb (SatoriHost *host, SatoriConnection *connection, gpointer user_data)
{
  SatoriBootstrapDiscovery *self = user_data;
  SatoriPeerId *peer = satori_connection_get_remote_peer (connection);
  GBytes *id = satori_peer_id_get_bytes (peer);

  count_connections (self);
  if (satori_host_get_connection (host, peer) == NULL)
    satori_bootstrap_session_peer_disconnected (self->session, id, g_get_monotonic_time ());
  pump (self);
}

static gboolean
setup (SatoriBootstrapDiscovery *self, GError **error)
{
  SatoriBootstrapConfig config;
  satori_bootstrap_config_init (&config);
  config.min_connections = self->min_connections;
  config.interval_us = (gint64) self->interval_s * G_USEC_PER_SEC;
  g_autoptr(SatoriBootstrapSession) session =
    satori_bootstrap_session_new (&config, g_get_monotonic_time ());

  for (guint i = 0; self->peers != NULL && self->peers[i] != NULL; i++)
    {
      g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string (self->peers[i], error);
      if (address == NULL || !satori_bootstrap_session_add_address (session, address, error))
        {
          g_prefix_error (error, _("Bootstrap peer “%s”: "), self->peers[i]);
          return FALSE;
        }
    }
  self->session = g_steal_pointer (&session);
  return TRUE;
}

static void
bootstrap_start_async (SatoriDiscovery *discovery, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  SatoriBootstrapDiscovery *self = SATORI_BOOTSTRAP_DISCOVERY (discovery);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, bootstrap_start_async);
  if (self->host == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The bootstrap discovery has no host"));
      return;
    }
  if (self->session != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!setup (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  self->cancellable = g_cancellable_new ();
  self->connected_id = g_signal_connect (self->host, "peer-connected",
                                         G_CALLBACK (peer_connected_cb), self);
  self->disconnected_id = g_signal_connect (self->host, "peer-disconnected",
                                            G_CALLBACK (peer_disconnected_cb), self);
  count_connections (self);
  pump (self);
  g_task_return_boolean (task, TRUE);
}

static gboolean
bootstrap_start_finish (SatoriDiscovery *discovery, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
bootstrap_stop (SatoriDiscovery *discovery)
{
  SatoriBootstrapDiscovery *self = SATORI_BOOTSTRAP_DISCOVERY (discovery);

  if (self->session == NULL)
    return;
  g_clear_signal_handler (&self->connected_id, self->host);
  g_clear_signal_handler (&self->disconnected_id, self->host);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  g_clear_pointer (&self->session, satori_bootstrap_session_free);
}

static void
bootstrap_find_peers_async (SatoriDiscovery *discovery, const char *namespace_, guint limit,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (discovery, cancellable, callback, user_data);
  g_task_set_source_tag (task, bootstrap_find_peers_async);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The bootstrap discovery only dials its configured peers"));
}

static GPtrArray *
bootstrap_find_peers_finish (SatoriDiscovery *discovery, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
bootstrap_advertise_async (SatoriDiscovery *discovery, const char *namespace_, guint ttl_seconds,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (discovery, cancellable, callback, user_data);
  g_task_set_source_tag (task, bootstrap_advertise_async);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The bootstrap discovery cannot advertise"));
}

static guint
bootstrap_advertise_finish (SatoriDiscovery *discovery, GAsyncResult *result, GError **error)
{
  g_autoptr(GError) local = NULL;
  gssize ttl = g_task_propagate_int (G_TASK (result), &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return 0;
    }
  return (guint) ttl;
}

static void
discovery_iface_init (SatoriDiscoveryInterface *iface)
{
  iface->start_async = bootstrap_start_async;
  iface->start_finish = bootstrap_start_finish;
  iface->stop = bootstrap_stop;
  iface->find_peers_async = bootstrap_find_peers_async;
  iface->find_peers_finish = bootstrap_find_peers_finish;
  iface->advertise_async = bootstrap_advertise_async;
  iface->advertise_finish = bootstrap_advertise_finish;
}

static void
satori_bootstrap_discovery_dispose (GObject *object)
{
  SatoriBootstrapDiscovery *self = SATORI_BOOTSTRAP_DISCOVERY (object);
  bootstrap_stop (SATORI_DISCOVERY (self));
  g_clear_object (&self->host);
  G_OBJECT_CLASS (satori_bootstrap_discovery_parent_class)->dispose (object);
}

static void
satori_bootstrap_discovery_finalize (GObject *object)
{
  SatoriBootstrapDiscovery *self = SATORI_BOOTSTRAP_DISCOVERY (object);
  g_strfreev (self->peers);
  G_OBJECT_CLASS (satori_bootstrap_discovery_parent_class)->finalize (object);
}

static void
satori_bootstrap_discovery_get_property (GObject *object, guint prop_id, GValue *value,
                                         GParamSpec *pspec)
{
  SatoriBootstrapDiscovery *self = SATORI_BOOTSTRAP_DISCOVERY (object);
  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_object (value, self->host);
      break;
    case PROP_PEERS:
      g_value_set_boxed (value, self->peers);
      break;
    case PROP_MIN_CONNECTIONS:
      g_value_set_uint (value, self->min_connections);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval_s);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_bootstrap_discovery_set_property (GObject *object, guint prop_id, const GValue *value,
                                         GParamSpec *pspec)
{
  SatoriBootstrapDiscovery *self = SATORI_BOOTSTRAP_DISCOVERY (object);
  switch (prop_id)
    {
    case PROP_HOST:
      g_set_object (&self->host, g_value_get_object (value));
      break;
    case PROP_PEERS:
      g_strfreev (self->peers);
      self->peers = g_value_dup_boxed (value);
      break;
    case PROP_MIN_CONNECTIONS:
      self->min_connections = g_value_get_uint (value);
      break;
    case PROP_INTERVAL:
      self->interval_s = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_bootstrap_discovery_class_init (SatoriBootstrapDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = satori_bootstrap_discovery_dispose;
  object_class->finalize = satori_bootstrap_discovery_finalize;
  object_class->get_property = satori_bootstrap_discovery_get_property;
  object_class->set_property = satori_bootstrap_discovery_set_property;

  /**
   * SatoriBootstrapDiscovery:host:
   *
   * The host that dials and whose connections are counted.
   */
  props[PROP_HOST] =
    g_param_spec_object ("host", NULL, NULL, SATORI_TYPE_HOST,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SatoriBootstrapDiscovery:peers:
   *
   * The bootstrap multiaddrs, each with `/p2p/<id>` or `/dnsaddr/<name>`.
   */
  props[PROP_PEERS] =
    g_param_spec_boxed ("peers", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SatoriBootstrapDiscovery:min-connections:
   *
   * Below this many connections the bootstrap peers are dialed.
   */
  props[PROP_MIN_CONNECTIONS] =
    g_param_spec_uint ("min-connections", NULL, NULL, 1, 1000, 4,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * SatoriBootstrapDiscovery:interval:
   *
   * Seconds between looks at a low connection count.
   */
  props[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 1, 24 * 3600, 30,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
satori_bootstrap_discovery_init (SatoriBootstrapDiscovery *self)
{
}
