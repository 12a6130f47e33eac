/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-multistream-io.h"

#include "satori-multistream.h"

/* Runs a SatoriMultistream over a GIOStream. Reads ask for exactly what
 * the core wants next (one byte of a length prefix, then the rest of the
 * message), so nothing after the negotiation's last message is read and
 * the caller can hand the stream on with no bytes lost. */

typedef struct
{
  SatoriMultistream *core;
  GBytes *sending;
  guint8 buf[SATORI_MULTISTREAM_MAX_MESSAGE];
} Negotiation;

static void
negotiation_free (gpointer data)
{
  Negotiation *negotiation = data;

  satori_multistream_free (negotiation->core);
  g_clear_pointer (&negotiation->sending, g_bytes_unref);
  g_free (negotiation);
}

static void negotiation_step (GTask *task);

static void
write_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Negotiation *negotiation = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_pointer (&negotiation->sending, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  negotiation_step (g_steal_pointer (&task));
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Negotiation *negotiation = g_task_get_task_data (task);
  GError *error = NULL;
  gsize consumed;

  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  if (n == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                               "connection closed during protocol negotiation");
      return;
    }
  if (!satori_multistream_handle_input (negotiation->core, negotiation->buf, n,
                                        &consumed, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* We asked for no more than the core wanted. */
  g_assert (consumed == (gsize) n);
  negotiation_step (g_steal_pointer (&task));
}

/* Sends what the core has queued, then finishes or reads what it wants. */
static void
negotiation_step (GTask *task)
{
  Negotiation *negotiation = g_task_get_task_data (task);
  GIOStream *stream = g_task_get_source_object (task);

  negotiation->sending = satori_multistream_poll_transmit_bytes (negotiation->core);
  if (negotiation->sending != NULL)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (negotiation->sending, &size);
      g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), data, size,
                                       G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                       write_done, task);
      return;
    }

  if (satori_multistream_is_done (negotiation->core))
    {
      const char *selected = satori_multistream_get_selected_protocol (negotiation->core);
      g_task_return_pointer (task, g_strdup (selected), g_free);
      g_object_unref (task);
      return;
    }

  gsize wanted = satori_multistream_get_wanted (negotiation->core);
  g_assert (wanted > 0 && wanted <= sizeof negotiation->buf);
  g_input_stream_read_async (g_io_stream_get_input_stream (stream), negotiation->buf, wanted,
                             G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                             read_done, task);
}

static void
negotiate_async (GIOStream *stream, SatoriMultistreamRole role,
                 const char * const *protocols, GCancellable *cancellable,
                 GAsyncReadyCallback callback, gpointer user_data, gpointer source_tag)
{
  SatoriMultistream *core = satori_multistream_new (role, protocols);
  g_return_if_fail (core != NULL);

  Negotiation *negotiation = g_new0 (Negotiation, 1);
  negotiation->core = core;

  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, negotiation, negotiation_free);
  negotiation_step (task);
}

/**
 * satori_multistream_select_async:
 * @stream: a stream to the peer, positioned at the start of negotiation
 * @protocols: (array zero-terminated=1): protocol ids to propose, in order
 *   of preference (at least one)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when a protocol is agreed or negotiation failed
 * @user_data: data for @callback
 *
 * Negotiates a protocol as the dialer: sends the multistream header with
 * the first proposal, then proposes the next protocol after each `na`.
 * Completes once the peer echoes a proposal. Nothing after the echo is
 * read from @stream.
 */
void
satori_multistream_select_async (GIOStream *stream, const char * const *protocols,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_return_if_fail (G_IS_IO_STREAM (stream));
  g_return_if_fail (protocols != NULL && protocols[0] != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  negotiate_async (stream, SATORI_MULTISTREAM_ROLE_DIALER, protocols, cancellable,
                   callback, user_data, satori_multistream_select_async);
}

/**
 * satori_multistream_select_finish:
 * @stream: the stream given to satori_multistream_select_async()
 * @result: the result passed to the callback
 * @error: %SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED when the peer refused
 *   every proposal, %SATORI_MULTISTREAM_ERROR_PROTOCOL when it broke the
 *   protocol, or a %G_IO_ERROR (%G_IO_ERROR_CONNECTION_CLOSED when the
 *   stream ended first)
 *
 * Returns: (transfer full): the agreed protocol id, or %NULL on error
 */
char *
satori_multistream_select_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, satori_multistream_select_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * satori_multistream_handle_async:
 * @stream: a stream from the peer, positioned at the start of negotiation
 * @protocols: (array zero-terminated=1): the protocol ids we accept
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when a protocol is agreed or negotiation failed
 * @user_data: data for @callback
 *
 * Negotiates a protocol as the listener: answers the header, `na` to each
 * proposal we do not accept and the list of @protocols to `ls`, and
 * completes once it has echoed an accepted proposal. Nothing after that
 * proposal is read from @stream.
 */
void
satori_multistream_handle_async (GIOStream *stream, const char * const *protocols,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_return_if_fail (G_IS_IO_STREAM (stream));
  g_return_if_fail (protocols != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  negotiate_async (stream, SATORI_MULTISTREAM_ROLE_LISTENER, protocols, cancellable,
                   callback, user_data, satori_multistream_handle_async);
}

/**
 * satori_multistream_handle_finish:
 * @stream: the stream given to satori_multistream_handle_async()
 * @result: the result passed to the callback
 * @error: %SATORI_MULTISTREAM_ERROR_PROTOCOL when the peer broke the
 *   protocol, or a %G_IO_ERROR (%G_IO_ERROR_CONNECTION_CLOSED when the
 *   peer gave up and closed the stream)
 *
 * Returns: (transfer full): the protocol id the peer chose, or %NULL on error
 */
char *
satori_multistream_handle_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, satori_multistream_handle_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
