/* satori-store-test-inbox.c — a /satori/1.0.0 receiver for the store
 * tests: keeps each stream's bytes, read to its end, as a holder's push
 * delivers one message per stream */
#include "satori-store-test-inbox.h"

static void test_inbox_iface_init (SatoriProtocolHandlerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestInbox, test_inbox, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PROTOCOL_HANDLER, test_inbox_iface_init))

typedef struct
{
  TestInbox *inbox;
  GIOStream *stream;
  GByteArray *bytes;
} Reading;

static void
on_inbox_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Reading *reading = user_data;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              NULL);

  if (chunk != NULL && g_bytes_get_size (chunk) > 0)
    {
      g_byte_array_append (reading->bytes, g_bytes_get_data (chunk, NULL),
                           g_bytes_get_size (chunk));
      g_input_stream_read_bytes_async (G_INPUT_STREAM (source), 65536, G_PRIORITY_DEFAULT, NULL,
                                       on_inbox_read, reading);
      return;
    }
  if (chunk != NULL)
    g_ptr_array_add (reading->inbox->messages, g_byte_array_free_to_bytes (reading->bytes));
  else
    g_byte_array_unref (reading->bytes);
  g_io_stream_close_async (reading->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (reading->stream);
  g_object_unref (reading->inbox);
  g_free (reading);
}

static void
test_inbox_handle_stream (SatoriProtocolHandler *handler, GIOStream *stream,
                          const char *protocol_id, SatoriPeerId *remote_peer,
                          SatoriMultiaddr *remote_address)
{
  Reading *reading = g_new0 (Reading, 1);

  reading->inbox = g_object_ref (TEST_INBOX (handler));
  reading->stream = g_object_ref (stream);
  reading->bytes = g_byte_array_new ();
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (stream), 65536,
                                   G_PRIORITY_DEFAULT, NULL, on_inbox_read, reading);
}

static void
test_inbox_iface_init (SatoriProtocolHandlerInterface *iface)
{
  iface->handle_stream = test_inbox_handle_stream;
}

static void
test_inbox_finalize (GObject *object)
{
  g_ptr_array_unref (TEST_INBOX (object)->messages);
  G_OBJECT_CLASS (test_inbox_parent_class)->finalize (object);
}

static void
test_inbox_class_init (TestInboxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_inbox_finalize;
}

static void
test_inbox_init (TestInbox *self)
{
  self->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}
