/* satori-kad-dht-routing-iface.c — SatoriRouting on the DHT
 *
 * Each call runs the DHT operation of the same name. A cancelled call
 * completes at once with %G_IO_ERROR_CANCELLED (the lookup itself ends in
 * the background). Found functions get each better value and each new
 * provider as the lookup meets them; FIND_PROVIDERS stops at its limit.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-kad-dht-private.h"

/* What a call waits with. */
typedef struct
{
  GSource *cancelled;        /* completes the call early */
  gboolean done;
  SatoriRoutingPeerFunc found_peer;
  SatoriRoutingValueFunc found_value;
  gpointer found_data;
} Call;

static void
call_free (Call *call)
{
  if (call->cancelled != NULL)
    {
      g_source_destroy (call->cancelled);
      g_source_unref (call->cancelled);
    }
  g_free (call);
}

static gboolean
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  if (!call->done)
    {
      call->done = TRUE;
      g_task_return_error_if_cancelled (task);
    }
  return G_SOURCE_REMOVE;
}

/* Returns: (transfer full): the caller's task; the DHT's callback takes it. */
static GTask *
call_new (SatoriRouting *routing, GCancellable *cancellable, GAsyncReadyCallback callback,
          gpointer user_data, gpointer source_tag)
{
  GTask *task = g_task_new (routing, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  if (cancellable != NULL)
    {
      call->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (call->cancelled, G_SOURCE_FUNC (on_cancelled), g_object_ref (task),
                             g_object_unref);
      g_source_attach (call->cancelled, g_task_get_context (task));
    }
  return task;
}

/* The DHT's operation ended: whether the caller still waits for it. */
static gboolean
call_pending (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  if (call->cancelled != NULL)
    g_source_destroy (call->cancelled);
  if (call->done)
    return FALSE;
  call->done = TRUE;
  return TRUE;
}

/* Completes @task with @value (taken; freed by @free_value) or @error
 * (taken), unless it was cancelled meanwhile. */
static void
complete_pointer (GTask *task, gpointer value, GDestroyNotify free_value, GError *error)
{
  if (!call_pending (task))
    {
      if (value != NULL)
        free_value (value);
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, free_value);
}

static void
complete_count (GTask *task, guint count, GError *error)
{
  if (!call_pending (task))
    g_clear_error (&error);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, count);
}

static guint
propagate_count (GAsyncResult *result, GError **error)
{
  gssize n = g_task_propagate_int (G_TASK (result), error);
  return n < 0 ? 0 : (guint) n;
}

/* --- find_peer --- */

static void
on_peer_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError *error = NULL;
  SatoriPeerInfo *info = satori_kad_dht_find_peer_finish (SATORI_KAD_DHT (source), result,
                                                          &error);

  complete_pointer (user_data, info, (GDestroyNotify) satori_peer_info_unref, error);
  g_object_unref (user_data);
}

static void
find_peer_async (SatoriRouting *routing, SatoriPeerId *peer, GCancellable *cancellable,
                 GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = call_new (routing, cancellable, callback, user_data, find_peer_async);

  satori_kad_dht_find_peer_async (SATORI_KAD_DHT (routing), peer, NULL, on_peer_found, task);
}

static SatoriPeerInfo *
find_peer_finish (SatoriRouting *routing, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, routing), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- get_closest_peers --- */

static void
on_closest_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError *error = NULL;
  GPtrArray *peers = satori_kad_dht_get_closest_peers_finish (SATORI_KAD_DHT (source), result,
                                                              &error);

  complete_pointer (user_data, peers, (GDestroyNotify) g_ptr_array_unref, error);
  g_object_unref (user_data);
}

static void
get_closest_peers_async (SatoriRouting *routing, GBytes *key, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = call_new (routing, cancellable, callback, user_data, get_closest_peers_async);

  satori_kad_dht_get_closest_peers_async (SATORI_KAD_DHT (routing), key, NULL, on_closest_found,
                                          task);
}

static GPtrArray *
get_closest_peers_finish (SatoriRouting *routing, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, routing), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- get_value --- */

/* Each better value, as the lookup finds it; the last is the result. */
static void
stream_value (SatoriKadDht *dht, SatoriKadEvent *event, gpointer user_data)
{
  Call *call = g_task_get_task_data (user_data);

  if (call->found_value != NULL && !call->done)
    call->found_value (SATORI_ROUTING (dht), event->value, call->found_data);
}

static void
on_value_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  GBytes *value = satori_kad_dht_get_value_finish (SATORI_KAD_DHT (source), result, &error);

  complete_pointer (task, value, (GDestroyNotify) g_bytes_unref, error);
  g_object_unref (task);
}

static void
get_value_async (SatoriRouting *routing, GBytes *key, SatoriRoutingValueFunc found,
                 gpointer found_data, GCancellable *cancellable, GAsyncReadyCallback callback,
                 gpointer user_data)
{
  GTask *task = call_new (routing, cancellable, callback, user_data, get_value_async);
  Call *call = g_task_get_task_data (task);

  call->found_value = found;
  call->found_data = found_data;
  _satori_kad_dht_search_value_async (SATORI_KAD_DHT (routing), key, stream_value, task, NULL,
                                      on_value_found, task);
}

static GBytes *
get_value_finish (SatoriRouting *routing, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, routing), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- put_value, provide --- */

static void
on_value_put (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError *error = NULL;
  guint count = satori_kad_dht_put_value_finish (SATORI_KAD_DHT (source), result, &error);

  complete_count (user_data, count, error);
  g_object_unref (user_data);
}

static void
put_value_async (SatoriRouting *routing, GBytes *key, GBytes *value, GCancellable *cancellable,
                 GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = call_new (routing, cancellable, callback, user_data, put_value_async);

  satori_kad_dht_put_value_async (SATORI_KAD_DHT (routing), key, value, NULL, on_value_put,
                                  task);
}

static guint
put_value_finish (SatoriRouting *routing, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, routing), 0);
  return propagate_count (result, error);
}

static void
on_provided (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError *error = NULL;
  guint count = satori_kad_dht_provide_finish (SATORI_KAD_DHT (source), result, &error);

  complete_count (user_data, count, error);
  g_object_unref (user_data);
}

static void
provide_async (SatoriRouting *routing, GBytes *key, GCancellable *cancellable,
               GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = call_new (routing, cancellable, callback, user_data, provide_async);

  satori_kad_dht_provide_async (SATORI_KAD_DHT (routing), key, NULL, on_provided, task);
}

static guint
provide_finish (SatoriRouting *routing, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, routing), 0);
  return propagate_count (result, error);
}

/* --- find_providers --- */

/* Each new provider, as the lookup finds it. */
static void
stream_provider (SatoriKadDht *dht, SatoriKadEvent *event, gpointer user_data)
{
  Call *call = g_task_get_task_data (user_data);

  if (call->found_peer == NULL || call->done)
    return;
  g_autoptr(SatoriPeerInfo) info = _satori_kad_dht_learn_peer (dht, event->peer);
  if (info != NULL)
    call->found_peer (SATORI_ROUTING (dht), info, call->found_data);
}

static void
on_providers_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError *error = NULL;
  GPtrArray *peers = satori_kad_dht_find_providers_finish (SATORI_KAD_DHT (source), result,
                                                          &error);

  complete_pointer (user_data, peers, (GDestroyNotify) g_ptr_array_unref, error);
  g_object_unref (user_data);
}

static void
find_providers_async (SatoriRouting *routing, GBytes *key, guint limit,
                      SatoriRoutingPeerFunc found, gpointer found_data,
                      GCancellable *cancellable, GAsyncReadyCallback callback,
                      gpointer user_data)
{
  GTask *task = call_new (routing, cancellable, callback, user_data, find_providers_async);
  Call *call = g_task_get_task_data (task);

  call->found_peer = found;
  call->found_data = found_data;
  _satori_kad_dht_search_providers_async (SATORI_KAD_DHT (routing), key, limit, stream_provider,
                                          task, NULL, on_providers_found, task);
}

static GPtrArray *
find_providers_finish (SatoriRouting *routing, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, routing), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- get_public_key --- */

static void
on_public_key_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError *error = NULL;
  SatoriPublicKey *key = satori_kad_dht_get_public_key_finish (SATORI_KAD_DHT (source), result,
                                                               &error);

  complete_pointer (user_data, key, g_object_unref, error);
  g_object_unref (user_data);
}

static void
get_public_key_async (SatoriRouting *routing, SatoriPeerId *peer, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = call_new (routing, cancellable, callback, user_data, get_public_key_async);

  satori_kad_dht_get_public_key_async (SATORI_KAD_DHT (routing), peer, NULL,
                                       on_public_key_found, task);
}

static SatoriPublicKey *
get_public_key_finish (SatoriRouting *routing, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, routing), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_satori_kad_dht_routing_iface_init (SatoriRoutingInterface *iface)
{
  iface->find_peer_async = find_peer_async;
  iface->find_peer_finish = find_peer_finish;
  iface->get_closest_peers_async = get_closest_peers_async;
  iface->get_closest_peers_finish = get_closest_peers_finish;
  iface->get_value_async = get_value_async;
  iface->get_value_finish = get_value_finish;
  iface->put_value_async = put_value_async;
  iface->put_value_finish = put_value_finish;
  iface->provide_async = provide_async;
  iface->provide_finish = provide_finish;
  iface->find_providers_async = find_providers_async;
  iface->find_providers_finish = find_providers_finish;
  iface->get_public_key_async = get_public_key_async;
  iface->get_public_key_finish = get_public_key_finish;
}
