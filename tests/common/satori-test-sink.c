/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-test-sink.h"

struct _SatoriTestSink
{
  GObject parent_instance;
  GPtrArray *streams;
};

static void
satori_test_sink_handle_stream (SatoriProtocolHandler *handler, GIOStream *stream,
                                const char *protocol_id, SatoriPeerId *remote_peer,
                                SatoriMultiaddr *remote_address)
{
  g_ptr_array_add (SATORI_TEST_SINK (handler)->streams, g_object_ref (stream));
}

static void
satori_test_sink_iface_init (SatoriProtocolHandlerInterface *iface)
{
  iface->handle_stream = satori_test_sink_handle_stream;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriTestSink, satori_test_sink, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PROTOCOL_HANDLER, satori_test_sink_iface_init))

static void
satori_test_sink_finalize (GObject *object)
{
  g_ptr_array_unref (SATORI_TEST_SINK (object)->streams);
  G_OBJECT_CLASS (satori_test_sink_parent_class)->finalize (object);
}

static void
satori_test_sink_class_init (SatoriTestSinkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_test_sink_finalize;
}

static void
satori_test_sink_init (SatoriTestSink *self)
{
  self->streams = g_ptr_array_new_with_free_func (g_object_unref);
}

SatoriTestSink *
satori_test_sink_new (void)
{
  return g_object_new (SATORI_TYPE_TEST_SINK, NULL);
}

/* Returns: (transfer none) (element-type GIOStream): the streams taken */
GPtrArray *
satori_test_sink_get_streams (SatoriTestSink *sink)
{
  return sink->streams;
}
