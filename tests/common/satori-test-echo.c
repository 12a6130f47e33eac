#include "satori-test-echo.h"

#include "satori-peer-id.h"

/* Splices every stream it is given back into itself: what the remote
 * writes comes back, and its end-of-file closes our side. */
struct _SatoriTestEcho
{
  GObject parent_instance;
  guint streams;
  SatoriPeerId *last_peer;
};

static void
satori_test_echo_handle_stream (SatoriProtocolHandler *handler, GIOStream *stream,
                                const char *protocol_id, SatoriPeerId *remote_peer,
                                SatoriMultiaddr *remote_address)
{
  SatoriTestEcho *self = SATORI_TEST_ECHO (handler);

  self->streams++;
  g_clear_pointer (&self->last_peer, satori_peer_id_unref);
  self->last_peer = satori_peer_id_ref (remote_peer);
  /* The splice holds the halves; the stream itself rides along with them. */
  g_object_set_data_full (G_OBJECT (g_io_stream_get_output_stream (stream)), "stream",
                          g_object_ref (stream), g_object_unref);
  g_output_stream_splice_async (g_io_stream_get_output_stream (stream),
                                g_io_stream_get_input_stream (stream),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

static void
satori_test_echo_iface_init (SatoriProtocolHandlerInterface *iface)
{
  iface->handle_stream = satori_test_echo_handle_stream;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriTestEcho, satori_test_echo, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PROTOCOL_HANDLER, satori_test_echo_iface_init))

static void
satori_test_echo_finalize (GObject *object)
{
  g_clear_pointer (&SATORI_TEST_ECHO (object)->last_peer, satori_peer_id_unref);
  G_OBJECT_CLASS (satori_test_echo_parent_class)->finalize (object);
}

static void
satori_test_echo_class_init (SatoriTestEchoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_test_echo_finalize;
}

static void
satori_test_echo_init (SatoriTestEcho *self)
{
}

SatoriTestEcho *
satori_test_echo_new (void)
{
  return g_object_new (SATORI_TYPE_TEST_ECHO, NULL);
}

guint
satori_test_echo_get_streams (SatoriTestEcho *echo)
{
  return echo->streams;
}

SatoriPeerId *
satori_test_echo_get_last_peer (SatoriTestEcho *echo)
{
  return echo->last_peer;
}
