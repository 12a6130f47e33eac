/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-memory-listener.h"

#include "satori-memory-hub.h"
#include "satori-multiaddr.h"

/* Connections wait in @pending until an accept takes them; accepts wait in
 * @waiting until a connection comes. Dialers may be on other threads, so
 * both queues are under @lock; tasks are completed outside it. */
struct _SatoriMemoryListener
{
  GObject parent_instance;

  GMutex lock;
  guint64 id;
  gboolean closed;
  GQueue pending;   /* PendingConnection */
  GQueue waiting;   /* GTask */
};

typedef struct
{
  GIOStream *stream;
  guint64 dialer_id;
} PendingConnection;

static void satori_memory_listener_iface_init (SatoriListenerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriMemoryListener, satori_memory_listener, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_LISTENER, satori_memory_listener_iface_init))

static void
pending_connection_free (PendingConnection *pending)
{
  g_object_unref (pending->stream);
  g_free (pending);
}

/* A waiting accept remembers its cancellation handler, disconnected when
 * the accept completes any other way. */
static void
forget_cancellation (GTask *task)
{
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (task), "cancel-handler"));
  if (handler != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), handler);
}

static void
complete_accept (GTask *task, PendingConnection *pending)
{
  forget_cancellation (task);
  g_task_set_task_data (task, satori_multiaddr_new_memory (pending->dialer_id),
                        (GDestroyNotify) satori_multiaddr_unref);
  g_task_return_pointer (task, g_object_ref (pending->stream), g_object_unref);
  g_object_unref (task);
  pending_connection_free (pending);
}

static void
satori_memory_listener_close (SatoriListener *listener)
{
  SatoriMemoryListener *self = SATORI_MEMORY_LISTENER (listener);
  GQueue waiting = G_QUEUE_INIT;
  GQueue pending = G_QUEUE_INIT;

  g_mutex_lock (&self->lock);
  if (self->closed)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->closed = TRUE;
  waiting = self->waiting;
  pending = self->pending;
  g_queue_init (&self->waiting);
  g_queue_init (&self->pending);
  g_mutex_unlock (&self->lock);

  satori_memory_hub_unbind (self->id);
  GTask *task;
  while ((task = g_queue_pop_head (&waiting)) != NULL)
    {
      forget_cancellation (task);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               "/memory/%" G_GUINT64_FORMAT " was closed", self->id);
      g_object_unref (task);
    }
  /* Connections nobody accepted are dropped: their dialers see EOF. */
  g_queue_clear_full (&pending, (GDestroyNotify) pending_connection_free);
}

/* Runs on the cancelling thread; the task is completed only if it was
 * still waiting, so a racing delivery wins cleanly. */
static void
on_accept_cancelled (GCancellable *cancellable, GTask *task)
{
  SatoriMemoryListener *self = g_task_get_source_object (task);

  g_mutex_lock (&self->lock);
  gboolean was_waiting = g_queue_remove (&self->waiting, task);
  g_mutex_unlock (&self->lock);
  if (was_waiting)
    {
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }
}

static void
satori_memory_listener_accept_async (SatoriListener *listener, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  SatoriMemoryListener *self = SATORI_MEMORY_LISTENER (listener);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_memory_listener_accept_async);
  /* Connected before the task is queued, so a delivery on another thread
   * always finds the handler to disconnect. */
  if (cancellable != NULL)
    g_object_set_data (G_OBJECT (task), "cancel-handler",
                       GSIZE_TO_POINTER (g_cancellable_connect (cancellable,
                                                                G_CALLBACK (on_accept_cancelled),
                                                                task, NULL)));

  g_mutex_lock (&self->lock);
  gboolean closed = self->closed;
  gboolean cancelled = g_cancellable_is_cancelled (cancellable);
  PendingConnection *pending = NULL;
  if (!closed && !cancelled)
    {
      pending = g_queue_pop_head (&self->pending);
      if (pending == NULL)
        g_queue_push_tail (&self->waiting, task);
    }
  g_mutex_unlock (&self->lock);

  if (pending != NULL)
    complete_accept (task, pending);
  else if (closed || cancelled)
    {
      forget_cancellation (task);
      if (!g_task_return_error_if_cancelled (task))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                                 "/memory/%" G_GUINT64_FORMAT " is closed", self->id);
      g_object_unref (task);
    }
}

static GObject *
satori_memory_listener_accept_finish (SatoriListener *listener, GAsyncResult *result,
                                      SatoriMultiaddr **remote_address, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, listener), NULL);

  GObject *stream = g_task_propagate_pointer (G_TASK (result), error);
  if (stream != NULL && remote_address != NULL)
    *remote_address = satori_multiaddr_ref (g_task_get_task_data (G_TASK (result)));
  return stream;
}

static GPtrArray *
satori_memory_listener_get_addresses (SatoriListener *listener)
{
  SatoriMemoryListener *self = SATORI_MEMORY_LISTENER (listener);
  GPtrArray *addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);

  g_ptr_array_add (addresses, satori_multiaddr_new_memory (self->id));
  return addresses;
}

static void
satori_memory_listener_iface_init (SatoriListenerInterface *iface)
{
  iface->accept_async = satori_memory_listener_accept_async;
  iface->accept_finish = satori_memory_listener_accept_finish;
  iface->get_addresses = satori_memory_listener_get_addresses;
  iface->close = satori_memory_listener_close;
}

static void
satori_memory_listener_dispose (GObject *object)
{
  satori_memory_listener_close (SATORI_LISTENER (object));
  G_OBJECT_CLASS (satori_memory_listener_parent_class)->dispose (object);
}

static void
satori_memory_listener_finalize (GObject *object)
{
  g_mutex_clear (&SATORI_MEMORY_LISTENER (object)->lock);
  G_OBJECT_CLASS (satori_memory_listener_parent_class)->finalize (object);
}

static void
satori_memory_listener_class_init (SatoriMemoryListenerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = satori_memory_listener_dispose;
  G_OBJECT_CLASS (klass)->finalize = satori_memory_listener_finalize;
}

static void
satori_memory_listener_init (SatoriMemoryListener *self)
{
  g_mutex_init (&self->lock);
  g_queue_init (&self->pending);
  g_queue_init (&self->waiting);
}

/**
 * satori_memory_listener_new:
 * @requested_id: the id to listen on, or 0 for a free one
 * @error: %G_IO_ERROR_ADDRESS_IN_USE when taken
 *
 * Returns: (transfer full) (nullable): a listener bound to its id
 */
SatoriMemoryListener *
satori_memory_listener_new (guint64 requested_id, GError **error)
{
  SatoriMemoryListener *self = g_object_new (SATORI_TYPE_MEMORY_LISTENER, NULL);

  if (!satori_memory_hub_bind (self, requested_id, &self->id, error))
    {
      self->closed = TRUE;
      g_object_unref (self);
      return NULL;
    }
  return self;
}

/**
 * satori_memory_listener_get_id:
 * @listener: a #SatoriMemoryListener
 *
 * Returns: the id it is bound to
 */
guint64
satori_memory_listener_get_id (SatoriMemoryListener *listener)
{
  return listener->id;
}

/**
 * satori_memory_listener_deliver:
 * @listener: a #SatoriMemoryListener
 * @stream: the listening end of a new connection
 * @dialer_id: the id naming the dialing end
 * @error: %G_IO_ERROR_CONNECTION_REFUSED when the listener is closed
 *
 * Hands a dialed connection to the next accept. Thread-safe.
 *
 * Returns: %TRUE when queued or accepted
 */
gboolean
satori_memory_listener_deliver (SatoriMemoryListener *listener, GIOStream *stream,
                                guint64 dialer_id, GError **error)
{
  g_mutex_lock (&listener->lock);
  if (listener->closed)
    {
      g_mutex_unlock (&listener->lock);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                   "/memory/%" G_GUINT64_FORMAT " is closed", listener->id);
      return FALSE;
    }
  PendingConnection *pending = g_new0 (PendingConnection, 1);
  pending->stream = g_object_ref (stream);
  pending->dialer_id = dialer_id;
  GTask *task = g_queue_pop_head (&listener->waiting);
  if (task == NULL)
    g_queue_push_tail (&listener->pending, pending);
  g_mutex_unlock (&listener->lock);

  if (task != NULL)
    complete_accept (task, pending);
  return TRUE;
}
