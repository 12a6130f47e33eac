/* autonat-test-ask.c — one hand-made AutoNAT DIAL and its answer, for the
 * tests (the dial-back test, the js interop test)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "autonat-test-ask.h"

#include "satori-test-util.h"

typedef struct
{
  GIOStream *stream;
  SatoriAutonatMessage *answer;
  GError *error;
  gboolean done;       /* also when the stream ended without an answer */
} Ask;

static void
on_answer (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Ask *ask = user_data;
  g_autoptr(GBytes) frame = satori_frame_stream_read_finish (G_IO_STREAM (source), result,
                                                             &ask->error);
  if (frame != NULL)
    ask->answer = satori_autonat_message_decode (g_bytes_get_data (frame, NULL),
                                                 g_bytes_get_size (frame), &ask->error);
  ask->done = TRUE;
}

static void
on_asked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Ask *ask = user_data;

  if (satori_frame_stream_write_finish (G_IO_STREAM (source), result, &ask->error))
    satori_frame_stream_read_async (ask->stream, SATORI_AUTONAT_MAX_MESSAGE_SIZE, NULL,
                                    on_answer, ask);
  else
    ask->done = TRUE;
}

static gboolean
answered (gpointer data)
{
  Ask *ask = data;
  return ask->done;
}

/* Sends @from's DIAL for @address (a multiaddr) to @to on a new stream.
 * Returns: the answer, or %NULL with @error set, or unset when the stream
 * ended without one. */
SatoriAutonatMessage *
autonat_test_ask (SatoriHost *from, SatoriPeerId *to, const char *address, GError **error)
{
  const char *protocols[] = { SATORI_AUTONAT_PROTOCOL, NULL };
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (
    (GDestroyNotify) satori_multiaddr_unref);
  Ask ask = { 0 };

  g_ptr_array_add (addresses, satori_multiaddr_new_from_string (address, NULL));
  satori_host_new_stream_async (from, to, protocols, NULL, satori_test_store_result, &opened);
  ask.stream = satori_host_new_stream_finish (from, satori_test_wait (&opened), NULL, error);
  if (ask.stream == NULL)
    return NULL;
  g_autoptr(GBytes) request = satori_autonat_message_encode_dial (
    satori_peer_id_get_bytes (satori_host_get_peer_id (from)), addresses);
  satori_frame_stream_write_async (ask.stream, request, NULL, on_asked, &ask);
  satori_test_wait_until (answered, &ask, 20);
  g_object_unref (ask.stream);
  if (ask.error != NULL)
    g_propagate_error (error, ask.error);
  return ask.answer;
}
