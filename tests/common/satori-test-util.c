#include "satori-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

/* Hex text (even length, no separators) to bytes; a bad digit fails the test. */
GBytes *
satori_test_bytes_from_hex (const char *hex)
{
  gsize len = strlen (hex);
  g_assert_cmpuint (len % 2, ==, 0);
  guint8 *out = g_malloc (len / 2 + 1);

  for (gsize i = 0; i < len / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);
      g_assert_true (hi >= 0 && lo >= 0);
      out[i] = (guint8) (hi << 4 | lo);
    }
  return g_bytes_new_take (out, len / 2);
}

/* The Satori wallet fixtures: a secp256k1 key whose 32 secret bytes all
 * equal @fill (0x01 gives 16Uiu2HAmEWQnHq2jLKJypwVnVoQeFCULuyop6atvq2eWjYSUjzNi). */
SatoriPrivateKey *
satori_test_secp256k1_key_filled (guint8 fill)
{
  guint8 secret[SATORI_SECP256K1_SECRET_LENGTH];
  g_autoptr(GError) error = NULL;

  memset (secret, fill, sizeof secret);
  SatoriPrivateKey *key = satori_private_key_new_secp256k1 (secret, &error);
  g_assert_no_error (error);
  return key;
}

/* A PrivateKey protobuf in hex; one that does not parse fails the test. */
SatoriPrivateKey *
satori_test_private_key_from_hex (const char *hex)
{
  g_autoptr(GBytes) pb = satori_test_bytes_from_hex (hex);
  g_autoptr(GError) error = NULL;
  SatoriPrivateKey *key = satori_private_key_new_from_protobuf (g_bytes_get_data (pb, NULL),
                                                                g_bytes_get_size (pb), &error);
  g_assert_no_error (error);
  return key;
}

/* A PublicKey protobuf in hex; one that does not parse fails the test. */
SatoriPublicKey *
satori_test_public_key_from_hex (const char *hex)
{
  g_autoptr(GBytes) pb = satori_test_bytes_from_hex (hex);
  g_autoptr(GError) error = NULL;
  SatoriPublicKey *key = satori_public_key_new_from_protobuf (g_bytes_get_data (pb, NULL),
                                                              g_bytes_get_size (pb), &error);
  g_assert_no_error (error);
  return key;
}

/* A GAsyncReadyCallback that stores a reference to the result in the
 * GAsyncResult * that @user_data points to. */
void
satori_test_store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Iterates the thread-default main context until satori_test_store_result()
 * filled @slot. */
GAsyncResult *
satori_test_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* Runs the main context until @done (with @data) is true; fails the test
 * after @limit_s seconds. Never blocks, so the limit is checked even when
 * no source is ready. */
void
satori_test_wait_until (SatoriTestDone done, gpointer data, guint limit_s)
{
  gint64 limit = g_get_monotonic_time () + limit_s * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

typedef struct
{
  GPtrArray *array;
  guint len;
} Length;

static gboolean
has_length (gpointer data)
{
  Length *want = data;

  return want->array->len >= want->len;
}

/* Runs the main context until @array holds @len elements or more. */
void
satori_test_wait_length (GPtrArray *array, guint len, guint limit_s)
{
  Length want = { array, len };

  satori_test_wait_until (has_length, &want, limit_s);
}

/* Reads until end-of-file, asynchronously, while the writer goes on: an
 * echo fills both flow-control windows otherwise. */
typedef struct
{
  GInputStream *input;
  GByteArray *received;
  gboolean done;
  guint8 buffer[65536];
} Reader;

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Reader *reader = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (reader->input, result, &error);

  g_assert_no_error (error);
  if (n == 0)
    {
      reader->done = TRUE;
      return;
    }
  g_byte_array_append (reader->received, reader->buffer, n);
  g_input_stream_read_async (reader->input, reader->buffer, sizeof reader->buffer,
                             G_PRIORITY_DEFAULT, NULL, on_read, reader);
}

/* Writes @len bytes, closes the write side, and returns what came back
 * before end-of-file. */
GBytes *
satori_test_echo_round_trip (GIOStream *stream, const guint8 *data, gsize len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) written = NULL;
  g_autoptr(GAsyncResult) closed = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (stream);
  g_autofree Reader *reader = g_new0 (Reader, 1);

  reader->input = g_io_stream_get_input_stream (stream);
  reader->received = g_byte_array_new ();
  g_input_stream_read_async (reader->input, reader->buffer, sizeof reader->buffer,
                             G_PRIORITY_DEFAULT, NULL, on_read, reader);

  g_output_stream_write_all_async (out, data, len, G_PRIORITY_DEFAULT, NULL,
                                   satori_test_store_result, &written);
  g_assert_true (g_output_stream_write_all_finish (out, satori_test_wait (&written), NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close_async (out, G_PRIORITY_DEFAULT, NULL, satori_test_store_result, &closed);
  g_assert_true (g_output_stream_close_finish (out, satori_test_wait (&closed), &error));

  while (!reader->done)
    g_main_context_iteration (NULL, TRUE);
  return g_byte_array_free_to_bytes (reader->received);
}

/* Removes @path and everything below it. */
void
satori_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        satori_test_remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}
