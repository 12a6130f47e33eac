/* Tests of the noise plugin through the SatoriSecurity contract, over an
 * in-memory pipe with both sides on one main context. */
#include <string.h>

#include "satori-feature.h"
#include "satori-noise-error.h"
#include "satori-peer-id.h"
#include "satori-pipe.h"
#include "satori-registry.h"
#include "satori-security.h"
#include "noise-test-log.h"
#include "satori-test-util.h"

gboolean satori_plugin_noise_register (SatoriRegistry *registry, GError **error);

#define YAMUX "/yamux/1.0.0"
#define TRANSFER_SIZE (8 * 1024 * 1024)

typedef struct
{
  SatoriRegistry *registry;
  SatoriSecurity *security;
  SatoriPrivateKey *keys[2];
  GIOStream *raw[2];
  SatoriSecureConnection *secure[2];
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_noise_register (fixture->registry, &error));
  g_assert_no_error (error);
  SatoriFeature *feature = satori_registry_lookup_protocol (fixture->registry,
                                                            SATORI_TYPE_SECURITY, "/noise");
  g_assert_nonnull (feature);
  g_assert_true (feature == satori_registry_lookup (fixture->registry, SATORI_TYPE_SECURITY,
                                                    "noise"));
  fixture->security = satori_feature_create (feature);
  fixture->keys[0] = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, &error);
  g_assert_no_error (error);
  fixture->keys[1] = satori_test_secp256k1_key_filled (5);
  satori_pipe_new_pair (64 * 1024, &fixture->raw[0], &fixture->raw[1]);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < 2; i++)
    {
      g_clear_object (&fixture->secure[i]);
      g_clear_object (&fixture->raw[i]);
      g_clear_object (&fixture->keys[i]);
    }
  g_object_unref (fixture->security);
  g_object_unref (fixture->registry);
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs both handshakes; side 0 dials. */
static void
secure_both (Fixture *fixture, SatoriPeerId *expected, const char * const *muxers,
             GError **errors)
{
  GAsyncResult *results[2] = { NULL, NULL };

  for (guint i = 0; i < 2; i++)
    satori_security_secure_async (fixture->security, fixture->raw[i], i == 0,
                                  fixture->keys[i], i == 0 ? expected : NULL, muxers, NULL,
                                  store_result, &results[i]);
  wait_for (&results[0]);
  fixture->secure[0] = satori_security_secure_finish (fixture->security, results[0], &errors[0]);
  if (fixture->secure[0] == NULL)
    g_io_stream_close (fixture->raw[0], NULL, NULL);   /* as a host would */
  wait_for (&results[1]);
  fixture->secure[1] = satori_security_secure_finish (fixture->security, results[1], &errors[1]);
  g_object_unref (results[0]);
  g_object_unref (results[1]);
}

static void
test_security_handshake (Fixture *fixture, gconstpointer data)
{
  GError *errors[2] = { NULL, NULL };
  const char *muxers[] = { YAMUX, NULL };
  g_autoptr(SatoriPeerId) expected = satori_peer_id_new_from_public_key (
    satori_private_key_get_public_key (fixture->keys[1]));

  secure_both (fixture, expected, muxers, errors);
  g_assert_no_error (errors[0]);
  g_assert_no_error (errors[1]);
  g_assert_true (G_IS_IO_STREAM (fixture->secure[0]));
  g_assert_true (satori_peer_id_equal (satori_secure_connection_get_remote_peer (fixture->secure[0]),
                                       expected));
  for (guint i = 0; i < 2; i++)
    {
      SatoriPublicKey *remote = satori_secure_connection_get_remote_public_key (fixture->secure[i]);
      g_assert_true (satori_public_key_equal (remote,
                                              satori_private_key_get_public_key (fixture->keys[1 - i])));
      g_assert_cmpstr (satori_secure_connection_get_early_muxer (fixture->secure[i]), ==, YAMUX);
    }
}

static void
test_security_wrong_peer (Fixture *fixture, gconstpointer data)
{
  GError *errors[2] = { NULL, NULL };
  g_autoptr(SatoriPrivateKey) other = satori_test_secp256k1_key_filled (6);
  g_autoptr(SatoriPeerId) expected = satori_peer_id_new_from_public_key (
    satori_private_key_get_public_key (other));

  noise_test_expect ("*not the expected*");
  noise_test_expect ("*closed the stream*");
  secure_both (fixture, expected, NULL, errors);
  noise_test_assert_logged ();
  g_assert_error (errors[0], SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_PEER_MISMATCH);
  g_assert_nonnull (errors[1]);
  g_assert_null (fixture->secure[0]);
  g_assert_null (fixture->secure[1]);
  g_clear_error (&errors[0]);
  g_clear_error (&errors[1]);
}

/* One direction of the transfer: writes TRANSFER_SIZE bytes in pieces of
 * varying size; the reader hashes what arrives until EOF. */
typedef struct
{
  GOutputStream *out;
  GInputStream *in;
  guint8 *data;
  gsize written;
  guint8 read_buffer[100000];
  GChecksum *received;
  gsize read_total;
  gboolean writer_done, reader_done;
} Transfer;

static void write_next (Transfer *t);

static void
closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Transfer *t = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error));
  g_assert_no_error (error);
  t->writer_done = TRUE;
}

static void
wrote (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Transfer *t = user_data;
  g_autoptr(GError) error = NULL;
  gsize n;

  g_assert_true (g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &n,
                                                   &error));
  g_assert_no_error (error);
  t->written += n;
  write_next (t);
}

static void
write_next (Transfer *t)
{
  if (t->written == TRANSFER_SIZE)
    {
      /* Closing the output half is the remote's EOF. */
      g_output_stream_close_async (t->out, G_PRIORITY_DEFAULT, NULL, closed, t);
      return;
    }
  gsize piece = MIN (TRANSFER_SIZE - t->written, 1 + (t->written * 31) % 300000);
  g_output_stream_write_all_async (t->out, t->data + t->written, piece, G_PRIORITY_DEFAULT,
                                   NULL, wrote, t);
}

static void
got (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Transfer *t = user_data;
  g_autoptr(GError) error = NULL;

  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  g_assert_no_error (error);
  if (n == 0)
    {
      t->reader_done = TRUE;
      return;
    }
  g_checksum_update (t->received, t->read_buffer, n);
  t->read_total += n;
  g_input_stream_read_async (t->in, t->read_buffer, sizeof t->read_buffer, G_PRIORITY_DEFAULT,
                             NULL, got, t);
}

static void
test_security_transfer (Fixture *fixture, gconstpointer data)
{
  GError *errors[2] = { NULL, NULL };
  Transfer transfers[2];

  secure_both (fixture, NULL, NULL, errors);
  g_assert_no_error (errors[0]);
  g_assert_no_error (errors[1]);
  g_assert_null (satori_secure_connection_get_early_muxer (fixture->secure[0]));

  memset (transfers, 0, sizeof transfers);
  for (guint i = 0; i < 2; i++)
    {
      Transfer *t = &transfers[i];
      t->out = g_io_stream_get_output_stream (G_IO_STREAM (fixture->secure[i]));
      t->in = g_io_stream_get_input_stream (G_IO_STREAM (fixture->secure[1 - i]));
      g_assert_true (G_IS_POLLABLE_INPUT_STREAM (t->in));
      g_assert_true (g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (t->in)));
      t->data = g_malloc (TRANSFER_SIZE);
      for (gsize j = 0; j < TRANSFER_SIZE; j++)
        t->data[j] = (j * 2654435761u + i) >> 13;
      t->received = g_checksum_new (G_CHECKSUM_SHA256);
      write_next (t);
      g_input_stream_read_async (t->in, t->read_buffer, sizeof t->read_buffer,
                                 G_PRIORITY_DEFAULT, NULL, got, t);
    }
  while (!(transfers[0].writer_done && transfers[0].reader_done
           && transfers[1].writer_done && transfers[1].reader_done))
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < 2; i++)
    {
      Transfer *t = &transfers[i];
      g_autofree char *sent = g_compute_checksum_for_data (G_CHECKSUM_SHA256, t->data,
                                                           TRANSFER_SIZE);
      g_assert_cmpuint (t->read_total, ==, TRANSFER_SIZE);
      g_assert_cmpstr (g_checksum_get_string (t->received), ==, sent);
      g_checksum_free (t->received);
      g_free (t->data);
    }
}

/* Blocking reads and writes, and closing the whole connection. */
static void
test_security_close (Fixture *fixture, gconstpointer data)
{
  GError *errors[2] = { NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  char buffer[16];

  secure_both (fixture, NULL, NULL, errors);
  g_assert_no_error (errors[0]);
  g_assert_no_error (errors[1]);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (fixture->secure[1]));
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (fixture->secure[0]));
  g_assert_true (g_output_stream_write_all (out, "ping", 4, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_input_stream_read (in, buffer, sizeof buffer, NULL, &error), ==, 4);
  g_assert_cmpmem (buffer, 4, "ping", 4);

  g_io_stream_close_async (G_IO_STREAM (fixture->secure[1]), G_PRIORITY_DEFAULT, NULL,
                           store_result, &result);
  wait_for (&result);
  g_assert_true (g_io_stream_close_finish (G_IO_STREAM (fixture->secure[1]), result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_input_stream_read (in, buffer, sizeof buffer, NULL, &error), ==, 0);
  g_assert_no_error (error);
}

/* The raw stream ends inside a transport message. */
static void
test_security_truncated (Fixture *fixture, gconstpointer data)
{
  GError *errors[2] = { NULL, NULL };
  g_autoptr(GError) error = NULL;
  char buffer[16];
  static const guint8 partial[] = { 0, 40, 1, 2, 3 };

  secure_both (fixture, NULL, NULL, errors);
  g_assert_no_error (errors[0]);
  g_assert_no_error (errors[1]);
  GOutputStream *raw_out = g_io_stream_get_output_stream (fixture->raw[1]);
  g_assert_true (g_output_stream_write_all (raw_out, partial, sizeof partial, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (raw_out, NULL, &error));
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (fixture->secure[0]));
  noise_test_expect ("*inside a message*");
  g_assert_cmpint (g_input_stream_read (in, buffer, sizeof buffer, NULL, &error), ==, -1);
  noise_test_assert_logged ();
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
}

/* A tampered transport message fails the reader's stream. */
static void
test_security_tampered (Fixture *fixture, gconstpointer data)
{
  GError *errors[2] = { NULL, NULL };
  g_autoptr(GError) error = NULL;
  char buffer[16];
  guint8 frame[2 + 5 + 16] = { 0, 21 };

  secure_both (fixture, NULL, NULL, errors);
  g_assert_no_error (errors[0]);
  g_assert_no_error (errors[1]);
  GOutputStream *raw_out = g_io_stream_get_output_stream (fixture->raw[1]);
  g_assert_true (g_output_stream_write_all (raw_out, frame, sizeof frame, NULL, NULL, &error));
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (fixture->secure[0]));
  noise_test_expect ("Noise transport failed*");
  g_assert_cmpint (g_input_stream_read (in, buffer, sizeof buffer, NULL, &error), ==, -1);
  noise_test_assert_logged ();
  g_assert_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_DECRYPT);
}

static gboolean
count_wakeup (GObject *stream, gpointer user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;   /* kept across reads, as the yamux connection does */
}

/* A pollable source made while plaintext is kept wakes its reader for it,
 * then no more once it is read: it follows the raw stream again (it used
 * to stay ready for ever, starving lower-priority sources). */
static void
test_security_kept_plaintext_source (Fixture *fixture, gconstpointer data)
{
  GError *errors[2] = { NULL, NULL };
  g_autoptr(GError) error = NULL;
  char buffer[16];
  guint wakeups = 0;

  secure_both (fixture, NULL, NULL, errors);
  g_assert_no_error (errors[0]);
  g_assert_no_error (errors[1]);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (fixture->secure[1]));
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (fixture->secure[0]));
  g_assert_true (g_output_stream_write_all (out, "hello world", 11, NULL, NULL, &error));
  g_assert_cmpint (g_input_stream_read (in, buffer, 5, NULL, &error), ==, 5);
  g_assert_no_error (error);

  g_autoptr(GSource) source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (in),
                                                                      NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (count_wakeup), &wakeups, NULL);
  g_source_attach (source, NULL);
  g_assert_true (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (wakeups, ==, 1);
  g_assert_cmpint (g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (in), buffer,
                                                             sizeof buffer, NULL, &error), ==, 6);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (wakeups, ==, 1);

  /* New data on the raw stream wakes it again. */
  g_assert_true (g_output_stream_write_all (out, "again", 5, NULL, NULL, &error));
  while (wakeups < 2)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (source);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  noise_test_log_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/noise/security/handshake", test_security_handshake);
  ADD ("/noise/security/wrong-peer", test_security_wrong_peer);
  ADD ("/noise/security/transfer", test_security_transfer);
  ADD ("/noise/security/close", test_security_close);
  ADD ("/noise/security/truncated", test_security_truncated);
  ADD ("/noise/security/tampered", test_security_tampered);
  ADD ("/noise/security/kept-plaintext-source", test_security_kept_plaintext_source);
#undef ADD

  return g_test_run ();
}
