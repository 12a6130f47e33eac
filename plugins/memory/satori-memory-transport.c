/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-memory-transport.h"

#include "satori-memory-hub.h"
#include "satori-memory-listener.h"
#include "satori-multiaddr.h"
#include "satori-pipe.h"

/**
 * SatoriMemoryTransport:
 *
 * Connections between hosts of one process over in-memory pipes, at
 * addresses `/memory/<id>` (optionally followed by `/p2p/<peer>`). Host-level
 * tests and the network simulator use it: no sockets, no ports.
 */
struct _SatoriMemoryTransport
{
  GObject parent_instance;

  guint buffer_size;
};

enum
{
  PROP_0,
  PROP_BUFFER_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void satori_memory_transport_iface_init (SatoriTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriMemoryTransport, satori_memory_transport, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_TRANSPORT, satori_memory_transport_iface_init))

/* The id of `/memory/<id>` or `/memory/<id>/p2p/<peer>`. */
static gboolean
parse_memory_address (SatoriMultiaddr *address, guint64 *id)
{
  guint32 code;
  const guint8 *value;
  gsize len;
  guint n = satori_multiaddr_get_n_components (address);

  if (n == 0 || n > 2 ||
      !satori_multiaddr_get_component (address, 0, &code, &value, &len) ||
      code != SATORI_PROTO_MEMORY || len != 8)
    return FALSE;
  if (n == 2 && (!satori_multiaddr_get_component (address, 1, &code, NULL, NULL) ||
                 code != SATORI_PROTO_P2P))
    return FALSE;

  *id = 0;
  for (gsize i = 0; i < 8; i++)
    *id = (*id << 8) | value[i];
  return TRUE;
}

static gboolean
satori_memory_transport_can_dial (SatoriTransport *transport, SatoriMultiaddr *address)
{
  guint64 id;
  return parse_memory_address (address, &id);
}

static void
satori_memory_transport_dial_async (SatoriTransport *transport, SatoriMultiaddr *address,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  SatoriMemoryTransport *self = SATORI_MEMORY_TRANSPORT (transport);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  guint64 id;

  g_task_set_source_tag (task, satori_memory_transport_dial_async);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (!parse_memory_address (address, &id))
    {
      g_autofree char *text = satori_multiaddr_to_string (address);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "%s is not a memory address", text);
      return;
    }

  g_autoptr(SatoriMemoryListener) listener = satori_memory_hub_lookup (id);
  if (listener == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                               "nothing listens on /memory/%" G_GUINT64_FORMAT, id);
      return;
    }

  g_autoptr(GIOStream) dialer_end = NULL;
  g_autoptr(GIOStream) listener_end = NULL;
  satori_pipe_new_pair (self->buffer_size, &dialer_end, &listener_end);
  if (!satori_memory_listener_deliver (listener, listener_end,
                                       satori_memory_hub_next_dialer_id (), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, satori_multiaddr_new_memory (id),
                        (GDestroyNotify) satori_multiaddr_unref);
  g_task_return_pointer (task, g_steal_pointer (&dialer_end), g_object_unref);
}

static GObject *
satori_memory_transport_dial_finish (SatoriTransport *transport, GAsyncResult *result,
                                     SatoriMultiaddr **remote_address, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), NULL);

  GObject *stream = g_task_propagate_pointer (G_TASK (result), error);
  if (stream != NULL && remote_address != NULL)
    *remote_address = satori_multiaddr_ref (g_task_get_task_data (G_TASK (result)));
  return stream;
}

static void
satori_memory_transport_listen_async (SatoriTransport *transport, SatoriMultiaddr *address,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (transport, cancellable, callback, user_data);
  GError *error = NULL;
  guint64 id;

  g_task_set_source_tag (task, satori_memory_transport_listen_async);
  if (!parse_memory_address (address, &id))
    {
      g_autofree char *text = satori_multiaddr_to_string (address);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "%s is not a memory address", text);
      return;
    }
  SatoriMemoryListener *listener = satori_memory_listener_new (id, &error);
  if (listener == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, listener, g_object_unref);
}

static SatoriListener *
satori_memory_transport_listen_finish (SatoriTransport *transport, GAsyncResult *result,
                                       GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
satori_memory_transport_iface_init (SatoriTransportInterface *iface)
{
  iface->can_dial = satori_memory_transport_can_dial;
  iface->dial_async = satori_memory_transport_dial_async;
  iface->dial_finish = satori_memory_transport_dial_finish;
  iface->listen_async = satori_memory_transport_listen_async;
  iface->listen_finish = satori_memory_transport_listen_finish;
}

static void
satori_memory_transport_get_property (GObject *object, guint prop_id, GValue *value,
                                      GParamSpec *pspec)
{
  SatoriMemoryTransport *self = SATORI_MEMORY_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_BUFFER_SIZE:
      g_value_set_uint (value, self->buffer_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_memory_transport_set_property (GObject *object, guint prop_id, const GValue *value,
                                      GParamSpec *pspec)
{
  SatoriMemoryTransport *self = SATORI_MEMORY_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_BUFFER_SIZE:
      self->buffer_size = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_memory_transport_class_init (SatoriMemoryTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = satori_memory_transport_get_property;
  object_class->set_property = satori_memory_transport_set_property;

  /**
   * SatoriMemoryTransport:buffer-size:
   *
   * Bytes buffered in each direction of a connection before a writer waits.
   */
  properties[PROP_BUFFER_SIZE] =
    g_param_spec_uint ("buffer-size", NULL, NULL, 1024, 64 * 1024 * 1024, 256 * 1024,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
satori_memory_transport_init (SatoriMemoryTransport *self)
{
  self->buffer_size = 256 * 1024;
}
