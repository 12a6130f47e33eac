/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-tcp-listener.h"

#include <netinet/in.h>

#include "satori-multiaddr.h"
#include "satori-tcp-socket.h"

/**
 * SatoriTcpListener:
 *
 * A listening TCP socket, made by #SatoriTcpTransport. Its address is the
 * one it was asked for with the port filled in: a listener on `0.0.0.0` or
 * `::` reports that unspecified address, not the host's interfaces. IPv6
 * listeners are IPv6-only, so `/ip4/0.0.0.0/tcp/N` and `/ip6/::/tcp/N` can
 * both be listened on.
 *
 * Each accept waits on its own cancellable, cancelled by the caller's or
 * by satori_listener_close(), so that closing fails pending accepts with
 * %G_IO_ERROR_CLOSED.
 */
struct _SatoriTcpListener
{
  GObject parent_instance;

  GSocketListener *socket_listener;
  GInetSocketAddress *local_address;
  gboolean nodelay;
  gboolean closed;
  GPtrArray *pending;   /* GCancellable of each accept in progress */
};

typedef struct
{
  GCancellable *cancellable;   /* ours: cancelled by the caller's or by close */
  GCancellable *caller_cancellable;
  gulong cancelled_handler;
  SatoriMultiaddr *remote;
} Accept;

static void satori_tcp_listener_iface_init (SatoriListenerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriTcpListener, satori_tcp_listener, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_LISTENER, satori_tcp_listener_iface_init))

static void
accept_free (Accept *accept)
{
  if (accept->cancelled_handler != 0)
    g_cancellable_disconnect (accept->caller_cancellable, accept->cancelled_handler);
  g_clear_object (&accept->caller_cancellable);
  g_clear_object (&accept->cancellable);
  g_clear_pointer (&accept->remote, satori_multiaddr_unref);
  g_free (accept);
}

/* May run on the cancelling thread: only cancels ours, which is thread-safe. */
static void
on_caller_cancelled (GCancellable *caller, GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static void
on_accepted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SatoriTcpListener *self = g_task_get_source_object (task);
  Accept *accept = g_task_get_task_data (task);
  GError *error = NULL;

  g_ptr_array_remove_fast (self->pending, accept->cancellable);
  g_autoptr(GSocketConnection) connection =
    g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL, &error);
  if (self->closed)
    {
      g_clear_error (&error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "the listener was closed");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      g_clear_error (&error);
      return;
    }
  if (connection == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, &error);
  if (remote == NULL || (self->nodelay && !satori_tcp_socket_set_nodelay (socket, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  accept->remote = satori_tcp_socket_address_to_multiaddr (remote);
  g_task_return_pointer (task, g_steal_pointer (&connection), g_object_unref);
}

static void
satori_tcp_listener_accept_async (SatoriListener *listener, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  SatoriTcpListener *self = SATORI_TCP_LISTENER (listener);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_tcp_listener_accept_async);
  if (self->closed)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "the listener is closed");
      g_object_unref (task);
      return;
    }

  Accept *accept = g_new0 (Accept, 1);
  accept->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, accept, (GDestroyNotify) accept_free);
  if (cancellable != NULL)
    {
      accept->caller_cancellable = g_object_ref (cancellable);
      accept->cancelled_handler =
        g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                               g_object_ref (accept->cancellable), g_object_unref);
    }
  g_ptr_array_add (self->pending, accept->cancellable);
  g_socket_listener_accept_async (self->socket_listener, accept->cancellable, on_accepted, task);
}

static GObject *
satori_tcp_listener_accept_finish (SatoriListener *listener, GAsyncResult *result,
                                   SatoriMultiaddr **remote_address, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, listener), NULL);

  GObject *connection = g_task_propagate_pointer (G_TASK (result), error);
  if (connection != NULL && remote_address != NULL)
    {
      Accept *accept = g_task_get_task_data (G_TASK (result));
      *remote_address = satori_multiaddr_ref (accept->remote);
    }
  return connection;
}

static GPtrArray *
satori_tcp_listener_get_addresses (SatoriListener *listener)
{
  SatoriTcpListener *self = SATORI_TCP_LISTENER (listener);
  GPtrArray *addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);

  g_ptr_array_add (addresses,
                   satori_tcp_socket_address_to_multiaddr (G_SOCKET_ADDRESS (self->local_address)));
  return addresses;
}

static void
satori_tcp_listener_close (SatoriListener *listener)
{
  SatoriTcpListener *self = SATORI_TCP_LISTENER (listener);

  if (self->closed)
    return;
  self->closed = TRUE;
  /* The accepts complete later, from the main context, with G_IO_ERROR_CLOSED. */
  for (guint i = 0; i < self->pending->len; i++)
    g_cancellable_cancel (g_ptr_array_index (self->pending, i));
  g_socket_listener_close (self->socket_listener);
}

static void
satori_tcp_listener_iface_init (SatoriListenerInterface *iface)
{
  iface->accept_async = satori_tcp_listener_accept_async;
  iface->accept_finish = satori_tcp_listener_accept_finish;
  iface->get_addresses = satori_tcp_listener_get_addresses;
  iface->close = satori_tcp_listener_close;
}

static void
satori_tcp_listener_dispose (GObject *object)
{
  satori_tcp_listener_close (SATORI_LISTENER (object));
  G_OBJECT_CLASS (satori_tcp_listener_parent_class)->dispose (object);
}

static void
satori_tcp_listener_finalize (GObject *object)
{
  SatoriTcpListener *self = SATORI_TCP_LISTENER (object);

  g_clear_object (&self->socket_listener);
  g_clear_object (&self->local_address);
  g_ptr_array_unref (self->pending);
  G_OBJECT_CLASS (satori_tcp_listener_parent_class)->finalize (object);
}

static void
satori_tcp_listener_class_init (SatoriTcpListenerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = satori_tcp_listener_dispose;
  G_OBJECT_CLASS (klass)->finalize = satori_tcp_listener_finalize;
}

static void
satori_tcp_listener_init (SatoriTcpListener *self)
{
  self->socket_listener = g_socket_listener_new ();
  self->pending = g_ptr_array_new ();
}

/**
 * satori_tcp_listener_new:
 * @address: the address to listen on; port 0 picks a free port
 * @reuse_port: whether to set `SO_REUSEPORT`, so that dials can leave from
 *   the listening port (`SO_REUSEADDR` is always set)
 * @nodelay: whether accepted connections get `TCP_NODELAY`
 * @backlog: the length of the queue of connections not yet accepted
 * @error: %G_IO_ERROR_ADDRESS_IN_USE and other bind failures
 *
 * Returns: (transfer full) (nullable): a listener, bound and listening
 */
SatoriTcpListener *
satori_tcp_listener_new (GInetSocketAddress *address, gboolean reuse_port, gboolean nodelay,
                         guint backlog, GError **error)
{
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), NULL);

  GSocketFamily family = g_socket_address_get_family (G_SOCKET_ADDRESS (address));
  g_autoptr(GSocket) socket = g_socket_new (family, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL ||
      (family == G_SOCKET_FAMILY_IPV6 &&
       !g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, 1, error)) ||
      !satori_tcp_socket_bind (socket, G_SOCKET_ADDRESS (address), reuse_port, error))
    return NULL;
  g_socket_set_listen_backlog (socket, (int) backlog);
  g_autoptr(GSocketAddress) local = NULL;
  if (!g_socket_listen (socket, error) ||
      (local = g_socket_get_local_address (socket, error)) == NULL)
    return NULL;

  SatoriTcpListener *self = g_object_new (SATORI_TYPE_TCP_LISTENER, NULL);
  self->nodelay = nodelay;
  self->local_address = G_INET_SOCKET_ADDRESS (g_steal_pointer (&local));
  if (!g_socket_listener_add_socket (self->socket_listener, socket, NULL, error))
    g_clear_object (&self);
  return self;
}

/**
 * satori_tcp_listener_get_local_address:
 * @listener: a #SatoriTcpListener
 *
 * Returns: (transfer none): the address it is bound to, port included
 */
GInetSocketAddress *
satori_tcp_listener_get_local_address (SatoriTcpListener *listener)
{
  g_return_val_if_fail (SATORI_IS_TCP_LISTENER (listener), NULL);

  return listener->local_address;
}

/**
 * satori_tcp_listener_is_closed:
 * @listener: a #SatoriTcpListener
 *
 * Returns: whether satori_listener_close() was called
 */
gboolean
satori_tcp_listener_is_closed (SatoriTcpListener *listener)
{
  g_return_val_if_fail (SATORI_IS_TCP_LISTENER (listener), TRUE);

  return listener->closed;
}
