/* satori-p2pd-splice.c — copies two GIOStreams into each other, passing
 * on half-closes
 *
 * Unlike g_io_stream_splice_async(), the end of one direction closes the
 * write side of the other stream (a socket shutdown, or the output
 * stream's close, which is a FIN on a muxed stream), so protocols that
 * wait for the remote's end of input, such as echo, work across the splice.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-p2pd-splice.h"

#define CHUNK_SIZE (64 * 1024)

typedef struct _Splice Splice;

typedef struct
{
  Splice *splice;
  GIOStream *from;
  GIOStream *to;
  guint8 buffer[CHUNK_SIZE];
} Direction;

struct _Splice
{
  GTask *task;
  GCancellable *cancellable;
  GCancellable *outer;
  gulong outer_handler;
  Direction directions[2];
  guint running;
  guint closing;
  GError *error;
};

static void
splice_free (Splice *splice)
{
  if (splice->outer != NULL)
    g_cancellable_disconnect (splice->outer, splice->outer_handler);
  g_clear_object (&splice->outer);
  g_clear_object (&splice->cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (splice->directions); i++)
    g_clear_object (&splice->directions[i].from);
  g_clear_error (&splice->error);
  g_free (splice);
}

static void
on_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Splice *splice = user_data;

  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  if (--splice->closing > 0)
    return;
  GTask *task = g_steal_pointer (&splice->task);
  if (splice->error != NULL)
    g_task_return_error (task, g_steal_pointer (&splice->error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Called once per direction: when the last one ends, close both streams. */
static void
direction_done (Direction *direction, GError *error)
{
  Splice *splice = direction->splice;

  if (error != NULL)
    {
      if (splice->error == NULL)
        splice->error = error;
      else
        g_error_free (error);
      g_cancellable_cancel (splice->cancellable);
    }
  if (--splice->running > 0)
    return;
  splice->closing = G_N_ELEMENTS (splice->directions);
  for (guint i = 0; i < G_N_ELEMENTS (splice->directions); i++)
    g_io_stream_close_async (splice->directions[i].from, G_PRIORITY_DEFAULT, NULL, on_closed,
                             splice);
}

static void
on_write_side_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, NULL);
  direction_done (user_data, NULL);
}

static void
close_write_side (Direction *direction)
{
  if (G_IS_SOCKET_CONNECTION (direction->to))
    {
      GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (direction->to));
      /* The peer may be gone already; closing both sides follows anyway. */
      g_socket_shutdown (socket, FALSE, TRUE, NULL);
      direction_done (direction, NULL);
      return;
    }
  g_output_stream_close_async (g_io_stream_get_output_stream (direction->to),
                               G_PRIORITY_DEFAULT, direction->splice->cancellable,
                               on_write_side_closed, direction);
}

static void read_next (Direction *direction);

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Direction *direction = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    direction_done (direction, error);
  else
    read_next (direction);
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Direction *direction = user_data;
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0)
    direction_done (direction, error);
  else if (n == 0)
    close_write_side (direction);
  else
    g_output_stream_write_all_async (g_io_stream_get_output_stream (direction->to),
                                     direction->buffer, n, G_PRIORITY_DEFAULT,
                                     direction->splice->cancellable, on_written, direction);
}

static void
read_next (Direction *direction)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (direction->from), direction->buffer,
                             sizeof direction->buffer, G_PRIORITY_DEFAULT,
                             direction->splice->cancellable, on_read, direction);
}

static void
on_cancelled (GCancellable *outer, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

/**
 * satori_p2pd_splice_async:
 * @a: a stream
 * @b: another stream
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when both directions ended and both streams are closed
 * @user_data: data for @callback
 *
 * Copies what @a reads into @b and what @b reads into @a. When one side
 * reaches the end of its input, the other side's write side is closed.
 * When both directions are done, or either fails, both streams are closed.
 */
void
satori_p2pd_splice_async (GIOStream *a, GIOStream *b, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  Splice *splice = g_new0 (Splice, 1);

  g_return_if_fail (G_IS_IO_STREAM (a));
  g_return_if_fail (G_IS_IO_STREAM (b));

  splice->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (splice->task, satori_p2pd_splice_async);
  g_task_set_task_data (splice->task, splice, (GDestroyNotify) splice_free);
  splice->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      splice->outer = g_object_ref (cancellable);
      splice->outer_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                     splice->cancellable, NULL);
    }
  splice->directions[0] = (Direction) { splice, g_object_ref (a), b, { 0 } };
  splice->directions[1] = (Direction) { splice, g_object_ref (b), a, { 0 } };
  splice->running = G_N_ELEMENTS (splice->directions);
  for (guint i = 0; i < G_N_ELEMENTS (splice->directions); i++)
    read_next (&splice->directions[i]);
}

/**
 * satori_p2pd_splice_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: a #GError: the first failure of either direction
 *
 * Returns: %TRUE when both directions ended cleanly
 */
gboolean
satori_p2pd_splice_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
