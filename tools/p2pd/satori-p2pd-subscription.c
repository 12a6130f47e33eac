/* satori-p2pd-subscription.c — a SUBSCRIBE control connection: the OK
 * response, then every message of the topic as a delimited PSMessage,
 * until the client closes the connection (go-libp2p-daemon's behaviour).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-p2pd-subscription.h"

#include "satori-p2pd-request.h"

/* Messages waiting for a client that does not read, in bytes. */
#define MAX_QUEUED_BYTES (4 * 1024 * 1024)

typedef struct
{
  gatomicrefcount ref_count;
  SatoriPubsub *pubsub;
  char *topic;
  GIOStream *connection;
  GHashTable *clients;      /* topic → number of SUBSCRIBE connections */
  gulong message_id;
  GQueue queue;             /* GBytes */
  gsize queued_bytes;
  GBytes *writing;
  gboolean dropping;
  gboolean ended;
  guint8 byte;              /* what the client sends: only its end matters */
} Subscription;

static Subscription *
subscription_ref (Subscription *subscription)
{
  g_atomic_ref_count_inc (&subscription->ref_count);
  return subscription;
}

static void
subscription_unref (Subscription *subscription)
{
  if (!g_atomic_ref_count_dec (&subscription->ref_count))
    return;
  g_object_unref (subscription->pubsub);
  g_free (subscription->topic);
  g_object_unref (subscription->connection);
  g_hash_table_unref (subscription->clients);
  g_queue_clear_full (&subscription->queue, (GDestroyNotify) g_bytes_unref);
  g_clear_pointer (&subscription->writing, g_bytes_unref);
  g_free (subscription);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Subscription, subscription_unref)

/* The client left: the daemon leaves the topic when it was the last. */
static void
subscription_end (Subscription *subscription)
{
  if (subscription->ended)
    return;
  subscription->ended = TRUE;
  g_clear_signal_handler (&subscription->message_id, subscription->pubsub);
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (subscription->clients,
                                                       subscription->topic));
  if (count <= 1)
    {
      g_hash_table_remove (subscription->clients, subscription->topic);
      satori_pubsub_unsubscribe (subscription->pubsub, subscription->topic, NULL);
    }
  else
    g_hash_table_insert (subscription->clients, g_strdup (subscription->topic),
                         GUINT_TO_POINTER (count - 1));
  g_io_stream_close_async (subscription->connection, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  /* The reference the signal handler held. */
  subscription_unref (subscription);
}

static void write_next (Subscription *subscription);

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Subscription) subscription = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&subscription->writing, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_debug ("Subscription to %s ended: %s", subscription->topic, error->message);
      subscription_end (subscription);
      return;
    }
  write_next (subscription);
}

static void
write_next (Subscription *subscription)
{
  if (subscription->ended || subscription->writing != NULL)
    return;
  subscription->writing = g_queue_pop_head (&subscription->queue);
  if (subscription->writing == NULL)
    {
      subscription->dropping = FALSE;
      return;
    }
  gsize len;
  const guint8 *data = g_bytes_get_data (subscription->writing, &len);
  subscription->queued_bytes -= len;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (subscription->connection),
                                   data, len, G_PRIORITY_DEFAULT, NULL, on_written,
                                   subscription_ref (subscription));
}

static void
enqueue (Subscription *subscription, GBytes *frame)
{
  gsize len = g_bytes_get_size (frame);

  if (subscription->queued_bytes + len > MAX_QUEUED_BYTES)
    {
      if (!subscription->dropping)
        g_message ("A client of topic %s does not read: dropping its messages",
                   subscription->topic);
      subscription->dropping = TRUE;
      return;
    }
  g_queue_push_tail (&subscription->queue, g_bytes_ref (frame));
  subscription->queued_bytes += len;
  write_next (subscription);
}

static void
on_message (SatoriPubsub *pubsub, SatoriPubsubMessage *message, gpointer user_data)
{
  g_autoptr(GBytes) frame = satori_p2pd_pubsub_message (message);

  enqueue (user_data, frame);
}

static void watch_client (Subscription *subscription);

static void
on_client_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Subscription) subscription = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    subscription_end (subscription);
  else
    watch_client (subscription);
}

static void
watch_client (Subscription *subscription)
{
  if (subscription->ended)
    return;
  g_input_stream_read_async (g_io_stream_get_input_stream (subscription->connection),
                             &subscription->byte, 1, G_PRIORITY_DEFAULT, NULL, on_client_read,
                             subscription_ref (subscription));
}

/**
 * satori_p2pd_subscription_start:
 * @pubsub: the host's router
 * @topic: the topic
 * @connection: the control connection, past its request
 * @clients: topic → count of the connections subscribed to it; shared by
 *   every subscription of one server
 * @error: the subscription error
 *
 * Subscribes @pubsub to @topic (if no other connection has), answers OK
 * on @connection and then writes the topic's messages on it until the
 * client closes it. A client that does not read loses messages past 4 MiB.
 *
 * Returns: %TRUE once the subscription runs; %FALSE, with nothing
 *   written, when subscribing failed
 */
gboolean
satori_p2pd_subscription_start (SatoriPubsub *pubsub, const char *topic, GIOStream *connection,
                                GHashTable *clients, GError **error)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (clients, topic));

  if (count == 0 && !satori_pubsub_subscribe (pubsub, topic, error))
    return FALSE;
  g_hash_table_insert (clients, g_strdup (topic), GUINT_TO_POINTER (count + 1));

  Subscription *subscription = g_new0 (Subscription, 1);
  g_atomic_ref_count_init (&subscription->ref_count);
  subscription->pubsub = g_object_ref (pubsub);
  subscription->topic = g_strdup (topic);
  subscription->connection = g_object_ref (connection);
  subscription->clients = g_hash_table_ref (clients);
  g_queue_init (&subscription->queue);

  g_autofree char *signal = g_strdup_printf ("message::%s", topic);
  subscription->message_id = g_signal_connect (pubsub, signal, G_CALLBACK (on_message),
                                               subscription);
  g_autoptr(GBytes) ok = satori_p2pd_response_ok ();
  enqueue (subscription, ok);
  watch_client (subscription);
  return TRUE;
}
