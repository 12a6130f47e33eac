/* satori-ping-responder.c — serves one inbound /ipfs/ping/1.0.0 stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-ping-responder.h"

typedef struct
{
  GIOStream *stream;
  GCancellable *cancellable;
  GDestroyNotify done;
  gpointer done_data;
  guint8 payload[SATORI_PING_PAYLOAD_SIZE];
} Responder;

static void
responder_finish (Responder *responder)
{
  g_io_stream_close_async (responder->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (responder->done != NULL)
    responder->done (responder->done_data);
  g_object_unref (responder->stream);
  g_clear_object (&responder->cancellable);
  g_free (responder);
}

static void read_next (Responder *responder);

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Responder *responder = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_debug ("Ping echo failed: %s", error->message);
      responder_finish (responder);
      return;
    }
  read_next (responder);
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Responder *responder = user_data;
  g_autoptr(GError) error = NULL;
  gsize got = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &got, &error) ||
      got != SATORI_PING_PAYLOAD_SIZE)
    {
      /* End of file between pings is the normal end; anything else is not. */
      if (error != NULL || got != 0)
        g_debug ("Ping stream ended after %" G_GSIZE_FORMAT " of %d bytes%s%s", got,
                 SATORI_PING_PAYLOAD_SIZE, error ? ": " : "", error ? error->message : "");
      responder_finish (responder);
      return;
    }
  g_output_stream_write_all_async (g_io_stream_get_output_stream (responder->stream),
                                   responder->payload, sizeof responder->payload,
                                   G_PRIORITY_DEFAULT, responder->cancellable, on_written,
                                   responder);
}

static void
read_next (Responder *responder)
{
  g_input_stream_read_all_async (g_io_stream_get_input_stream (responder->stream),
                                 responder->payload, sizeof responder->payload,
                                 G_PRIORITY_DEFAULT, responder->cancellable, on_read, responder);
}

/**
 * satori_ping_responder_serve:
 * @stream: an inbound stream negotiated to `/ipfs/ping/1.0.0`
 * @cancellable: (nullable): stops serving
 * @done: (nullable): called once when the stream is finished with
 * @done_data: its argument
 *
 * Echoes every 32-byte payload the remote sends for as long as it keeps
 * the stream open, then closes it. A partial payload ends the stream.
 */
void
satori_ping_responder_serve (GIOStream *stream, GCancellable *cancellable, GDestroyNotify done,
                             gpointer done_data)
{
  g_return_if_fail (G_IS_IO_STREAM (stream));
  Responder *responder = g_new0 (Responder, 1);

  responder->stream = g_object_ref (stream);
  responder->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  responder->done = done;
  responder->done_data = done_data;
  read_next (responder);
}
