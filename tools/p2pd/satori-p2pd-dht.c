/* satori-p2pd-dht.c — DHT requests of the libp2p daemon protocol, served
 * through the host's SatoriRouting (go-libp2p-daemon's `specs/DHT.md` and
 * `dht.go`)
 *
 * Single answers (FIND_PEER, GET_PUBLIC_KEY, GET_VALUE) are one `Response`
 * carrying a VALUE; PUT_VALUE and PROVIDE answer a bare OK. Streams
 * (FIND_PROVIDERS, GET_CLOSEST_PEERS, SEARCH_VALUE) are a `Response`
 * carrying BEGIN, a bare `DHTResponse` per value, and one carrying END;
 * a stream cut short by the request's timeout still ends with END.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-p2pd-dht.h"

#include <glib/gi18n.h>

#include "satori-p2pd-dht-response.h"

/* go-libp2p-kad-dht's default for FIND_PROVIDERS (its KValue). */
#define DEFAULT_PROVIDER_COUNT 20

typedef struct
{
  SatoriRouting *routing;
  GOutputStream *output;
  GByteArray *pending;          /* frames not written yet */
  GBytes *writing;
  gboolean complete;            /* the answer's last frame is queued */
  gboolean returned;
} Serve;

static void
serve_free (Serve *serve)
{
  g_object_unref (serve->routing);
  g_object_unref (serve->output);
  g_byte_array_unref (serve->pending);
  g_clear_pointer (&serve->writing, g_bytes_unref);
  g_free (serve);
}

static void
finish (GTask *task, GError *error)
{
  Serve *serve = g_task_get_task_data (task);

  if (serve->returned)
    {
      g_clear_error (&error);
      return;
    }
  serve->returned = TRUE;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void write_next (GTask *task);

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Serve *serve = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_pointer (&serve->writing, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    finish (task, error);
  else
    write_next (task);
}

/* One write in flight at a time, of everything queued meanwhile. */
static void
write_next (GTask *task)
{
  Serve *serve = g_task_get_task_data (task);
  gsize len;

  if (serve->returned || serve->writing != NULL)
    return;
  if (serve->pending->len == 0)
    {
      if (serve->complete)
        finish (task, NULL);
      return;
    }
  serve->writing = g_byte_array_free_to_bytes (g_steal_pointer (&serve->pending));
  serve->pending = g_byte_array_new ();
  const guint8 *data = g_bytes_get_data (serve->writing, &len);
  g_output_stream_write_all_async (serve->output, data, len, G_PRIORITY_DEFAULT, NULL,
                                   on_written, g_object_ref (task));
}

/* Queues @frame (taken); @last completes the answer. */
static void
queue_frame (GTask *task, GBytes *frame, gboolean last)
{
  Serve *serve = g_task_get_task_data (task);
  gsize len;
  const guint8 *data = g_bytes_get_data (frame, &len);

  g_byte_array_append (serve->pending, data, len);
  g_bytes_unref (frame);
  serve->complete |= last;
  write_next (task);
}

static void
send_error (GTask *task, GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    queue_frame (task, satori_p2pd_response_error (_("The DHT request timed out")), TRUE);
  else
    queue_frame (task, satori_p2pd_response_error (error->message), TRUE);
  g_error_free (error);
}

static void
end_stream (GTask *task, GError *error)
{
  if (error != NULL)
    {
      g_debug ("DHT stream ended early: %s", error->message);
      g_error_free (error);
    }
  queue_frame (task, satori_p2pd_dht_item (SATORI_P2PD_DHT_END, NULL, NULL), TRUE);
}

static SatoriRouting *
routing_of (GTask *task)
{
  return ((Serve *) g_task_get_task_data (task))->routing;
}

/* --- single answers --- */

static void
on_peer_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(SatoriPeerInfo) peer = satori_routing_find_peer_finish (SATORI_ROUTING (source),
                                                                    result, &error);

  if (peer == NULL)
    send_error (task, error);
  else
    queue_frame (task, satori_p2pd_response_dht (SATORI_P2PD_DHT_VALUE, peer, NULL), TRUE);
}

static void
on_public_key_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(SatoriPublicKey) key = satori_routing_get_public_key_finish (SATORI_ROUTING (source),
                                                                         result, &error);

  if (key == NULL)
    {
      send_error (task, error);
      return;
    }
  g_autoptr(GBytes) value = satori_public_key_to_protobuf (key);
  queue_frame (task, satori_p2pd_response_dht (SATORI_P2PD_DHT_VALUE, NULL, value), TRUE);
}

static void
on_value_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) value = satori_routing_get_value_finish (SATORI_ROUTING (source), result,
                                                            &error);

  if (value == NULL)
    send_error (task, error);
  else
    queue_frame (task, satori_p2pd_response_dht (SATORI_P2PD_DHT_VALUE, NULL, value), TRUE);
}

/* PUT_VALUE and PROVIDE: OK once a peer took it. */
static void
answer_count (GTask *task, guint count, GError *error, const char *nobody)
{
  if (error != NULL)
    send_error (task, error);
  else if (count == 0)
    queue_frame (task, satori_p2pd_response_error (nobody), TRUE);
  else
    queue_frame (task, satori_p2pd_response_ok (), TRUE);
}

static void
on_value_put (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  guint count = satori_routing_put_value_finish (SATORI_ROUTING (source), result, &error);

  answer_count (task, count, error, _("No DHT peer took the record (it is kept here only)"));
}

static void
on_provided (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  guint count = satori_routing_provide_finish (SATORI_ROUTING (source), result, &error);

  answer_count (task, count, error, _("No DHT peer was told (no peer is known)"));
}

/* --- streams --- */

static void
on_closest_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(GPtrArray) peers = satori_routing_get_closest_peers_finish (SATORI_ROUTING (source),
                                                                        result, &error);

  /* A lookup that fails is an error, as go's GetClosestPeers. */
  if (peers == NULL)
    {
      send_error (task, error);
      return;
    }
  queue_frame (task, satori_p2pd_response_dht (SATORI_P2PD_DHT_BEGIN, NULL, NULL), FALSE);
  for (guint i = 0; i < peers->len; i++)
    {
      SatoriPeerId *id = satori_peer_info_get_peer_id (g_ptr_array_index (peers, i));
      queue_frame (task, satori_p2pd_dht_item (SATORI_P2PD_DHT_VALUE, NULL,
                                               satori_peer_id_get_bytes (id)), FALSE);
    }
  end_stream (task, NULL);
}

static void
stream_provider (SatoriRouting *routing, SatoriPeerInfo *peer, gpointer user_data)
{
  queue_frame (user_data, satori_p2pd_dht_item (SATORI_P2PD_DHT_VALUE, peer, NULL), FALSE);
}

static void
on_providers_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GPtrArray *providers = satori_routing_find_providers_finish (SATORI_ROUTING (source), result,
                                                               &error);

  /* Each was streamed as it was found. */
  g_clear_pointer (&providers, g_ptr_array_unref);
  end_stream (task, error);
}

static void
stream_value (SatoriRouting *routing, GBytes *value, gpointer user_data)
{
  queue_frame (user_data, satori_p2pd_dht_item (SATORI_P2PD_DHT_VALUE, NULL, value), FALSE);
}

static void
on_search_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GBytes *best = satori_routing_get_value_finish (SATORI_ROUTING (source), result, &error);

  /* It was streamed as it was found. */
  g_clear_pointer (&best, g_bytes_unref);
  end_stream (task, error);
}

static void
serve_request (GTask *task, SatoriP2pdRequest *request)
{
  SatoriRouting *routing = routing_of (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  switch (request->dht_type)
    {
    case SATORI_P2PD_DHT_FIND_PEER:
      satori_routing_find_peer_async (routing, request->peer, cancellable, on_peer_found,
                                      g_object_ref (task));
      break;
    case SATORI_P2PD_DHT_FIND_PEERS_CONNECTED_TO_PEER:
      queue_frame (task, satori_p2pd_response_error (
                     _("FIND_PEERS_CONNECTED_TO_PEER is not supported: the kad-dht protocol "
                       "has no query for the peers a peer is connected to")), TRUE);
      break;
    case SATORI_P2PD_DHT_FIND_PROVIDERS:
      queue_frame (task, satori_p2pd_response_dht (SATORI_P2PD_DHT_BEGIN, NULL, NULL), FALSE);
      satori_routing_find_providers_async (routing, request->key,
                                           request->count > 0 ? request->count
                                                              : DEFAULT_PROVIDER_COUNT,
                                           stream_provider, task, cancellable,
                                           on_providers_found, g_object_ref (task));
      break;
    case SATORI_P2PD_DHT_GET_CLOSEST_PEERS:
      satori_routing_get_closest_peers_async (routing, request->key, cancellable,
                                              on_closest_found, g_object_ref (task));
      break;
    case SATORI_P2PD_DHT_GET_PUBLIC_KEY:
      satori_routing_get_public_key_async (routing, request->peer, cancellable,
                                           on_public_key_found, g_object_ref (task));
      break;
    case SATORI_P2PD_DHT_GET_VALUE:
      satori_routing_get_value_async (routing, request->key, NULL, NULL, cancellable,
                                      on_value_found, g_object_ref (task));
      break;
    case SATORI_P2PD_DHT_SEARCH_VALUE:
      queue_frame (task, satori_p2pd_response_dht (SATORI_P2PD_DHT_BEGIN, NULL, NULL), FALSE);
      satori_routing_get_value_async (routing, request->key, stream_value, task, cancellable,
                                      on_search_done, g_object_ref (task));
      break;
    case SATORI_P2PD_DHT_PUT_VALUE:
      satori_routing_put_value_async (routing, request->key, request->data, cancellable,
                                      on_value_put, g_object_ref (task));
      break;
    case SATORI_P2PD_DHT_PROVIDE:
      satori_routing_provide_async (routing, request->key, cancellable, on_provided,
                                    g_object_ref (task));
      break;
    default:
      /* The decoder lets only the types above through. */
      g_assert_not_reached ();
    }
}

/**
 * satori_p2pd_dht_serve_async:
 * @routing: the host's routing
 * @request: a DHT request; it must live until @callback runs
 * @output: the control connection's output
 * @cancellable: (nullable): cancelled when the request times out: single
 *   answers become an error, streams end
 * @callback: called once the whole answer is written (or failed to be)
 * @user_data: data for @callback
 *
 * Answers @request on @output.
 */
void
satori_p2pd_dht_serve_async (SatoriRouting *routing, SatoriP2pdRequest *request,
                             GOutputStream *output, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Serve *serve = g_new0 (Serve, 1);

  g_return_if_fail (request->type == SATORI_P2PD_REQUEST_DHT);
  g_task_set_source_tag (task, satori_p2pd_dht_serve_async);
  /* Writing the answer goes on after a timeout. */
  g_task_set_check_cancellable (task, FALSE);
  serve->routing = g_object_ref (routing);
  serve->output = g_object_ref (output);
  serve->pending = g_byte_array_new ();
  g_task_set_task_data (task, serve, (GDestroyNotify) serve_free);
  serve_request (task, request);
}

/**
 * satori_p2pd_dht_serve_finish:
 * @result: the result
 * @error: why the answer could not be written
 *
 * Returns: %TRUE when the whole answer was written
 */
gboolean
satori_p2pd_dht_serve_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
