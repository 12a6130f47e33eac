/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-tcp-transport.h"

#include "satori-multiaddr.h"
#include "satori-tcp-listener.h"
#include "satori-tcp-socket.h"

/**
 * SatoriTcpTransport:
 *
 * TCP connections to and from `/ip4/<a>/tcp/<n>`, `/ip6/<a>/tcp/<n>` and,
 * for dialing only, `/dns/<name>/tcp/<n>`, `/dns4/…` (IPv4 answers only)
 * and `/dns6/…` (IPv6 only), each optionally followed by `/p2p/<peer>`.
 * Anything longer (`/ws`, `/p2p-circuit`) belongs to another transport.
 *
 * Dials try the resolved addresses in order, each with its own socket,
 * until one connects or #SatoriTcpTransport:connect-timeout runs out. With
 * #SatoriTcpTransport:reuse-port, a dial leaves from the port of one of the
 * transport's open listeners of the same family, so the peer (and any NAT
 * on the way) sees the port it can dial back: what hole punching needs.
 */
struct _SatoriTcpTransport
{
  GObject parent_instance;

  gboolean reuse_port;
  gboolean nodelay;
  guint connect_timeout;
  guint backlog;
  GPtrArray *listeners;   /* SatoriTcpListener, unowned: weak references */
};

enum
{
  PROP_0,
  PROP_REUSE_PORT,
  PROP_NODELAY,
  PROP_CONNECT_TIMEOUT,
  PROP_BACKLOG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define DEFAULT_CONNECT_TIMEOUT 5
#define DEFAULT_BACKLOG 128

static void satori_tcp_transport_iface_init (SatoriTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriTcpTransport, satori_tcp_transport, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_TRANSPORT, satori_tcp_transport_iface_init))

/* The host part and port of `/<ip4|ip6|dns|dns4|dns6>/<host>/tcp/<port>`,
 * optionally followed by `/p2p/<peer>`. */
typedef struct
{
  guint32 host_code;
  const guint8 *host;
  gsize host_len;
  guint16 port;
} TcpAddress;

static gboolean
parse_tcp_address (SatoriMultiaddr *address, gboolean allow_dns, TcpAddress *out)
{
  guint n = satori_multiaddr_get_n_components (address);
  const guint8 *port;
  gsize port_len;
  guint32 code;

  if (n < 2 || n > 3 ||
      !satori_multiaddr_get_component (address, 0, &out->host_code, &out->host, &out->host_len))
    return FALSE;
  switch (out->host_code)
    {
    case SATORI_PROTO_IP4:
    case SATORI_PROTO_IP6:
      break;
    case SATORI_PROTO_DNS:
    case SATORI_PROTO_DNS4:
    case SATORI_PROTO_DNS6:
      if (!allow_dns)
        return FALSE;
      break;
    default:
      return FALSE;
    }
  if (!satori_multiaddr_get_component (address, 1, &code, &port, &port_len) ||
      code != SATORI_PROTO_TCP || port_len != 2)
    return FALSE;
  out->port = (guint16) (port[0] << 8 | port[1]);
  return n == 2 || (satori_multiaddr_get_component (address, 2, &code, NULL, NULL) &&
                    code == SATORI_PROTO_P2P);
}

static gboolean
satori_tcp_transport_can_dial (SatoriTransport *transport, SatoriMultiaddr *address)
{
  TcpAddress parsed;
  return parse_tcp_address (address, TRUE, &parsed);
}

static gboolean
satori_tcp_transport_can_listen (SatoriTransport *transport, SatoriMultiaddr *address)
{
  TcpAddress parsed;
  return parse_tcp_address (address, FALSE, &parsed);
}

static void
listener_gone (gpointer data, GObject *where_the_listener_was)
{
  SatoriTcpTransport *self = data;
  g_ptr_array_remove_fast (self->listeners, where_the_listener_was);
}

/* The port of an open listener of @target's family to dial from, or 0.
 * Not when that would connect the socket to itself (TCP allows it): a
 * dial to the listener's own port on a loopback address or on the
 * listener's address. */
static guint16
find_listen_port (SatoriTcpTransport *self, GInetSocketAddress *target)
{
  GInetAddress *target_address = g_inet_socket_address_get_address (target);
  guint16 target_port = g_inet_socket_address_get_port (target);

  for (guint i = 0; i < self->listeners->len; i++)
    {
      SatoriTcpListener *listener = g_ptr_array_index (self->listeners, i);
      GInetSocketAddress *local = satori_tcp_listener_get_local_address (listener);
      guint16 port = g_inet_socket_address_get_port (local);
      if (satori_tcp_listener_is_closed (listener) ||
          g_inet_address_get_family (g_inet_socket_address_get_address (local)) !=
            g_inet_address_get_family (target_address))
        continue;
      if (port == target_port &&
          (g_inet_address_get_is_loopback (target_address) ||
           g_inet_address_equal (target_address, g_inet_socket_address_get_address (local))))
        return 0;
      return port;
    }
  return 0;
}

/* A dial in progress. Its own cancellable is cancelled by the caller's and
 * by the connect timeout, and is what every step waits on. */
typedef struct
{
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong cancelled_handler;
  GSource *timeout;
  gboolean timed_out;
  GPtrArray *candidates;   /* GInetSocketAddress, tried in order */
  guint next;
  guint16 port;   /* for the resolved names */
  GSocket *socket;
  GSource *ready;
  GError *last_error;
  SatoriMultiaddr *remote;
} Dial;

static void
dial_free (Dial *dial)
{
  if (dial->cancelled_handler != 0)
    g_cancellable_disconnect (dial->caller_cancellable, dial->cancelled_handler);
  if (dial->timeout != NULL)
    g_source_destroy (dial->timeout);
  g_clear_pointer (&dial->timeout, g_source_unref);
  if (dial->ready != NULL)
    g_source_destroy (dial->ready);
  g_clear_pointer (&dial->ready, g_source_unref);
  g_clear_object (&dial->caller_cancellable);
  g_clear_object (&dial->cancellable);
  g_clear_pointer (&dial->candidates, g_ptr_array_unref);
  g_clear_object (&dial->socket);
  g_clear_error (&dial->last_error);
  g_clear_pointer (&dial->remote, satori_multiaddr_unref);
  g_free (dial);
}

/* May run on the cancelling thread: only cancels ours, which is thread-safe. */
static void
on_caller_cancelled (GCancellable *caller, GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static gboolean
on_connect_timeout (gpointer data)
{
  Dial *dial = data;

  dial->timed_out = TRUE;
  g_cancellable_cancel (dial->cancellable);
  return G_SOURCE_REMOVE;
}

/* Completes @task (owned) with @error, or with why the dial was cut short. */
static void
dial_fail (GTask *task, GError *error)
{
  Dial *dial = g_task_get_task_data (task);
  SatoriTcpTransport *self = g_task_get_source_object (task);

  if (g_task_return_error_if_cancelled (task))
    g_error_free (error);
  else if (dial->timed_out)
    {
      g_error_free (error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               "no connection within %u seconds", self->connect_timeout);
    }
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

static void
dial_succeed (GTask *task, GInetSocketAddress *target)
{
  Dial *dial = g_task_get_task_data (task);

  g_socket_set_blocking (dial->socket, TRUE);
  dial->remote = satori_tcp_socket_address_to_multiaddr (G_SOCKET_ADDRESS (target));
  g_task_return_pointer (task, g_socket_connection_factory_create_connection (dial->socket),
                         g_object_unref);
  g_object_unref (task);
}

static GSocket *
open_dial_socket (SatoriTcpTransport *self, GInetSocketAddress *target, gboolean share_port,
                  GError **error)
{
  GSocketFamily family = g_socket_address_get_family (G_SOCKET_ADDRESS (target));
  g_autoptr(GSocket) socket = g_socket_new (family, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  if (self->nodelay && !satori_tcp_socket_set_nodelay (socket, error))
    return NULL;

  guint16 port = self->reuse_port && share_port ? find_listen_port (self, target) : 0;
  if (port != 0)
    {
      g_autoptr(GInetAddress) any = g_inet_address_new_any (family);
      g_autoptr(GSocketAddress) local = g_inet_socket_address_new (any, port);
      g_autoptr(GError) bind_error = NULL;
      /* Best effort: without the shared port the dial still works. */
      if (!satori_tcp_socket_bind (socket, local, TRUE, &bind_error))
        g_debug ("dialing from an ephemeral port, not %u: %s", port, bind_error->message);
    }
  g_socket_set_blocking (socket, FALSE);
  return g_steal_pointer (&socket);
}

static void dial_next (GTask *task);

static gboolean
on_socket_ready (GSocket *socket, GIOCondition condition, gpointer data)
{
  GTask *task = data;
  Dial *dial = g_task_get_task_data (task);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (dial->cancellable, &error))
    dial_fail (task, error);
  else if (g_socket_check_connect_result (socket, &error))
    dial_succeed (task, g_ptr_array_index (dial->candidates, dial->next - 1));
  else
    {
      g_clear_error (&dial->last_error);
      dial->last_error = error;
      dial_next (task);
    }
  return G_SOURCE_REMOVE;
}

/* Connects to the next candidate; owns @task until it completes. */
static void
dial_next (GTask *task)
{
  SatoriTcpTransport *self = g_task_get_source_object (task);
  Dial *dial = g_task_get_task_data (task);
  GError *error = NULL;

  while (dial->next < dial->candidates->len)
    {
      if (g_cancellable_set_error_if_cancelled (dial->cancellable, &error))
        {
          dial_fail (task, error);
          return;
        }
      GInetSocketAddress *target = g_ptr_array_index (dial->candidates, dial->next++);
      g_clear_object (&dial->socket);
      dial->socket = open_dial_socket (self, target, TRUE, &error);
      /* From the shared port, a connection the remote opened to us from
       * the target's port has the same four-tuple: EADDRNOTAVAIL at once
       * (an AutoNAT dial-back, for one). The dial leaves from another. */
      if (dial->socket != NULL &&
          !g_socket_connect (dial->socket, G_SOCKET_ADDRESS (target), NULL, &error) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
        {
          g_debug ("dialing from an ephemeral port: %s", error->message);
          g_clear_error (&error);
          g_object_unref (dial->socket);
          dial->socket = open_dial_socket (self, target, FALSE, &error);
          if (dial->socket != NULL)
            g_socket_connect (dial->socket, G_SOCKET_ADDRESS (target), NULL, &error);
        }
      if (dial->socket != NULL && error == NULL)
        {
          dial_succeed (task, target);
          return;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
        {
          g_clear_error (&error);
          if (dial->ready != NULL)
            g_source_destroy (dial->ready);
          g_clear_pointer (&dial->ready, g_source_unref);
          dial->ready = g_socket_create_source (dial->socket, G_IO_OUT, dial->cancellable);
          g_source_set_callback (dial->ready, G_SOURCE_FUNC (on_socket_ready), task, NULL);
          g_source_attach (dial->ready, g_task_get_context (task));
          return;
        }
      g_clear_error (&dial->last_error);
      dial->last_error = g_steal_pointer (&error);
    }
  if (dial->last_error == NULL)
    dial->last_error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no address to dial");
  dial_fail (task, g_steal_pointer (&dial->last_error));
}

static void
on_resolved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Dial *dial = g_task_get_task_data (task);
  GError *error = NULL;

  GList *addresses = g_resolver_lookup_by_name_with_flags_finish (G_RESOLVER (source), result,
                                                                  &error);
  if (addresses == NULL)
    {
      dial_fail (task, error);
      return;
    }
  for (GList *l = addresses; l != NULL; l = l->next)
    g_ptr_array_add (dial->candidates, g_inet_socket_address_new (l->data, dial->port));
  g_resolver_free_addresses (addresses);
  dial_next (task);
}

static void
satori_tcp_transport_dial_async (SatoriTransport *transport, SatoriMultiaddr *address,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  SatoriTcpTransport *self = SATORI_TCP_TRANSPORT (transport);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  TcpAddress parsed;

  g_task_set_source_tag (task, satori_tcp_transport_dial_async);
  if (!parse_tcp_address (address, TRUE, &parsed))
    {
      g_autofree char *text = satori_multiaddr_to_string (address);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "%s is not a TCP address", text);
      g_object_unref (task);
      return;
    }

  Dial *dial = g_new0 (Dial, 1);
  dial->cancellable = g_cancellable_new ();
  dial->candidates = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, dial, (GDestroyNotify) dial_free);
  dial->timeout = g_timeout_source_new_seconds (self->connect_timeout);
  g_source_set_callback (dial->timeout, on_connect_timeout, dial, NULL);
  g_source_attach (dial->timeout, g_task_get_context (task));
  if (cancellable != NULL)
    {
      dial->caller_cancellable = g_object_ref (cancellable);
      dial->cancelled_handler =
        g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                               g_object_ref (dial->cancellable), g_object_unref);
    }

  if (parsed.host_code == SATORI_PROTO_IP4 || parsed.host_code == SATORI_PROTO_IP6)
    {
      GSocketAddress *target = satori_multiaddr_to_inet_socket_address (address, NULL, &error);
      g_assert_no_error (error);
      g_ptr_array_add (dial->candidates, target);
      dial_next (task);
      return;
    }

  GResolverNameLookupFlags flags = G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT;
  if (parsed.host_code == SATORI_PROTO_DNS4)
    flags = G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY;
  else if (parsed.host_code == SATORI_PROTO_DNS6)
    flags = G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY;
  g_autofree char *name = g_strndup ((const char *) parsed.host, parsed.host_len);
  dial->port = parsed.port;
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_resolver_lookup_by_name_with_flags_async (resolver, name, flags, dial->cancellable,
                                              on_resolved, task);
}

static GObject *
satori_tcp_transport_dial_finish (SatoriTransport *transport, GAsyncResult *result,
                                  SatoriMultiaddr **remote_address, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), NULL);

  GObject *connection = g_task_propagate_pointer (G_TASK (result), error);
  if (connection != NULL && remote_address != NULL)
    {
      Dial *dial = g_task_get_task_data (G_TASK (result));
      *remote_address = satori_multiaddr_ref (dial->remote);
    }
  return connection;
}

static void
satori_tcp_transport_listen_async (SatoriTransport *transport, SatoriMultiaddr *address,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  SatoriTcpTransport *self = SATORI_TCP_TRANSPORT (transport);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  TcpAddress parsed;

  g_task_set_source_tag (task, satori_tcp_transport_listen_async);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (!parse_tcp_address (address, FALSE, &parsed))
    {
      g_autofree char *text = satori_multiaddr_to_string (address);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "%s is not a TCP address to listen on", text);
      return;
    }

  g_autoptr(GSocketAddress) local = satori_multiaddr_to_inet_socket_address (address, NULL,
                                                                            &error);
  g_assert_no_error (error);
  SatoriTcpListener *listener = satori_tcp_listener_new (G_INET_SOCKET_ADDRESS (local),
                                                         self->reuse_port, self->nodelay,
                                                         self->backlog, &error);
  if (listener == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_ptr_array_add (self->listeners, listener);
  g_object_weak_ref (G_OBJECT (listener), listener_gone, self);
  g_task_return_pointer (task, listener, g_object_unref);
}

static SatoriListener *
satori_tcp_transport_listen_finish (SatoriTransport *transport, GAsyncResult *result,
                                    GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
satori_tcp_transport_iface_init (SatoriTransportInterface *iface)
{
  iface->can_dial = satori_tcp_transport_can_dial;
  iface->can_listen = satori_tcp_transport_can_listen;
  iface->dial_async = satori_tcp_transport_dial_async;
  iface->dial_finish = satori_tcp_transport_dial_finish;
  iface->listen_async = satori_tcp_transport_listen_async;
  iface->listen_finish = satori_tcp_transport_listen_finish;
}

static void
satori_tcp_transport_get_property (GObject *object, guint prop_id, GValue *value,
                                   GParamSpec *pspec)
{
  SatoriTcpTransport *self = SATORI_TCP_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_REUSE_PORT:
      g_value_set_boolean (value, self->reuse_port);
      break;
    case PROP_NODELAY:
      g_value_set_boolean (value, self->nodelay);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_BACKLOG:
      g_value_set_uint (value, self->backlog);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_tcp_transport_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  SatoriTcpTransport *self = SATORI_TCP_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_REUSE_PORT:
      self->reuse_port = g_value_get_boolean (value);
      break;
    case PROP_NODELAY:
      self->nodelay = g_value_get_boolean (value);
      break;
    case PROP_CONNECT_TIMEOUT:
      self->connect_timeout = g_value_get_uint (value);
      break;
    case PROP_BACKLOG:
      self->backlog = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_tcp_transport_finalize (GObject *object)
{
  SatoriTcpTransport *self = SATORI_TCP_TRANSPORT (object);

  for (guint i = 0; i < self->listeners->len; i++)
    g_object_weak_unref (g_ptr_array_index (self->listeners, i), listener_gone, self);
  g_ptr_array_unref (self->listeners);
  G_OBJECT_CLASS (satori_tcp_transport_parent_class)->finalize (object);
}

static void
satori_tcp_transport_class_init (SatoriTcpTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = satori_tcp_transport_get_property;
  object_class->set_property = satori_tcp_transport_set_property;
  object_class->finalize = satori_tcp_transport_finalize;

  /**
   * SatoriTcpTransport:reuse-port:
   *
   * Whether listeners set `SO_REUSEPORT` and dials leave from the port of
   * an open listener of the same family. On by default, as in go-libp2p:
   * peers and NATs then see the port we listen on, which hole punching
   * and observed-address discovery need.
   */
  properties[PROP_REUSE_PORT] =
    g_param_spec_boolean ("reuse-port", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * SatoriTcpTransport:nodelay:
   *
   * Whether connections set `TCP_NODELAY` (no Nagle delay on small writes).
   */
  properties[PROP_NODELAY] =
    g_param_spec_boolean ("nodelay", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * SatoriTcpTransport:connect-timeout:
   *
   * Seconds a dial may take, name resolution included, before it fails
   * with %G_IO_ERROR_TIMED_OUT.
   */
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 1, 300, DEFAULT_CONNECT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * SatoriTcpTransport:backlog:
   *
   * The length of a listener's queue of connections not yet accepted
   * (the kernel caps it at `net.core.somaxconn`).
   */
  properties[PROP_BACKLOG] =
    g_param_spec_uint ("backlog", NULL, NULL, 1, 65535, DEFAULT_BACKLOG,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
satori_tcp_transport_init (SatoriTcpTransport *self)
{
  self->reuse_port = TRUE;
  self->nodelay = TRUE;
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  self->backlog = DEFAULT_BACKLOG;
  self->listeners = g_ptr_array_new ();
}
