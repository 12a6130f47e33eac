/* satori-store-push.c — delivers the messages held for a connected peer
 *
 * Each payload goes out as the Python holder's deliver_to_peer() would
 * send it: alone on a /satori/1.0.0 stream, whose end marks its end, with
 * a `_stored` member that says which message it is and who sent it
 * (satori_message_envelope_new_stored()), for the target to tell repeats
 * and the source apart; Python targets ignore it. A
 * message is deleted once the peer accepted the stream and it was written
 * and closed, not before:
 * a failure leaves it, and the rest, for the next time the peer connects.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-store-push.h"

#include "satori-message-envelope.h"
#include "satori-store-service.h"
#include "satori-store-stream.h"

typedef struct
{
  SatoriStoreDb *db;          /* owned by the caller, who outlives the push */
  SatoriPeerId *target;
  char *target_id;
  GPtrArray *current;         /* the message being delivered, alone */
  GIOStream *stream;
  guint delivered;
} Push;

static void
push_free (Push *push)
{
  satori_peer_id_unref (push->target);
  g_free (push->target_id);
  g_clear_pointer (&push->current, g_ptr_array_unref);
  g_clear_object (&push->stream);
  g_free (push);
}

static void push_next (GTask *task);

static void
fail (GTask *task, GError *error)
{
  Push *push = g_task_get_task_data (task);

  if (push->stream != NULL)
    g_io_stream_close_async (push->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Push *push = g_task_get_task_data (task);
  GError *error = NULL;

  if (!satori_store_stream_write_finish (push->stream, result, &error) ||
      !satori_store_db_remove (push->db, push->current, &error))
    {
      fail (task, error);
      return;
    }
  push->delivered++;
  g_io_stream_close_async (push->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&push->stream);
  push_next (task);
}

static void
on_stream (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Push *push = g_task_get_task_data (task);
  GError *error = NULL;

  push->stream = satori_host_new_stream_finish (SATORI_HOST (source), result, NULL, &error);
  if (push->stream == NULL)
    {
      fail (task, error);
      return;
    }
  const SatoriStoreEnvelope *envelope = g_ptr_array_index (push->current, 0);
  g_autoptr(GBytes) pushed = satori_message_envelope_new_stored (envelope->payload,
                                                                 envelope->message_id,
                                                                 envelope->source_peer,
                                                                 envelope->stream_id);
  satori_store_stream_write_async (push->stream, pushed, TRUE,
                                   g_task_get_cancellable (task), on_written, task);
}

static void
push_next (GTask *task)
{
  /* Proposed twice so that the host negotiates before handing over the
   * stream: with one proposal it is lazy, and a refusal would only fail
   * a read after the write, which would already have looked delivered. */
  const char *protocols[] = { SATORI_STORE_MESSAGE_PROTOCOL, SATORI_STORE_MESSAGE_PROTOCOL, NULL };
  Push *push = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_pointer (&push->current, g_ptr_array_unref);
  /* No room but for the oldest message: one at a time. */
  push->current = satori_store_db_get (push->db, push->target_id, g_get_real_time (), 0, &error);
  if (push->current == NULL)
    {
      fail (task, error);
      return;
    }
  if (push->current->len == 0)
    {
      g_task_return_int (task, push->delivered);
      g_object_unref (task);
      return;
    }
  satori_host_new_stream_async (g_task_get_source_object (task), push->target, protocols,
                                g_task_get_cancellable (task), on_stream, task);
}

/**
 * satori_store_push_async:
 * @host: the host to open streams from
 * @db: the store; it must outlive the push
 * @target: the peer whose messages to deliver
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once every message was delivered, or one failed
 * @user_data: its data
 *
 * Delivers the messages held for @target, oldest first, until none is
 * left: messages stored meanwhile go too.
 */
void
satori_store_push_async (SatoriHost *host, SatoriStoreDb *db, SatoriPeerId *target,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  GTask *task = g_task_new (host, cancellable, callback, user_data);
  Push *push = g_new0 (Push, 1);

  g_task_set_source_tag (task, satori_store_push_async);
  push->db = db;
  push->target = satori_peer_id_ref (target);
  push->target_id = satori_peer_id_to_string (target);
  g_task_set_task_data (task, push, (GDestroyNotify) push_free);
  push_next (task);
}

/**
 * satori_store_push_finish:
 * @host: the host
 * @result: the result passed to the callback
 * @error: the stream's or the store's error
 *
 * Returns: how many messages were delivered (0 on error: those delivered
 *   before it are deleted all the same)
 */
guint
satori_store_push_finish (SatoriHost *host, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, host), 0);
  gssize n = g_task_propagate_int (G_TASK (result), error);
  return n < 0 ? 0 : (guint) n;
}
