/* The sans-I/O perf core: two sessions against each other, no I/O. */
#include "satori-perf-session.h"

#include <gio/gio.h>

/* Moves everything one side sends to the other, in chunks of @chunk. */
static void
pump (SatoriPerfSession *from, SatoriPerfSession *to, gsize chunk)
{
  g_autofree guint8 *buffer = g_malloc0 (chunk);
  gsize n;

  while ((n = satori_perf_session_poll_transmit (from, buffer, chunk)) > 0)
    satori_perf_session_handle_input (to, buffer, n);
  g_assert_cmpint (satori_perf_session_get_state (from), ==, SATORI_PERF_STATE_CLOSING);
  satori_perf_session_write_closed (from);
}

static void
exchange (guint64 upload, guint64 download, gsize chunk)
{
  g_autoptr(SatoriPerfSession) client = satori_perf_session_new_client (upload, download);
  g_autoptr(SatoriPerfSession) server = satori_perf_session_new_server ();
  g_autoptr(GError) error = NULL;

  pump (client, server, chunk);
  g_assert_cmpint (satori_perf_session_get_state (client), ==, SATORI_PERF_STATE_RECEIVING);
  g_assert_true (satori_perf_session_handle_eof (server, &error));
  g_assert_cmpuint (satori_perf_session_get_download_size (server), ==, download);
  g_assert_cmpuint (satori_perf_session_get_received (server), ==, upload);
  pump (server, client, chunk);
  g_assert_cmpint (satori_perf_session_get_state (server), ==, SATORI_PERF_STATE_DONE);
  g_assert_true (satori_perf_session_handle_eof (client, &error));
  g_assert_no_error (error);
  g_assert_cmpint (satori_perf_session_get_state (client), ==, SATORI_PERF_STATE_DONE);
  g_assert_cmpuint (satori_perf_session_get_sent (client), ==, upload);
  g_assert_cmpuint (satori_perf_session_get_received (client), ==, download);
  g_assert_cmpuint (satori_perf_session_get_sent (server), ==, download);
}

static void
test_sizes (void)
{
  g_test_summary ("Exact sizes each way, 0 included, whatever the chunk size");
  exchange (0, 0, 8);
  exchange (0, 5, 8);
  exchange (1, 0, 8);
  exchange (100000, 3, 9);
  exchange (3, 100000, 4096);
  exchange (G_GUINT64_CONSTANT (1) << 33, 7, 1 << 20);
}

static void
test_header_split (void)
{
  g_autoptr(SatoriPerfSession) server = satori_perf_session_new_server ();
  const guint8 request[] = { 0, 0, 0, 0, 0, 0, 1, 2, 0xaa, 0xbb };
  g_autoptr(GError) error = NULL;

  g_test_summary ("The header may arrive a byte at a time and share a read with payload");
  for (gsize i = 0; i < 7; i++)
    {
      satori_perf_session_handle_input (server, request + i, 1);
      g_assert_cmpint (satori_perf_session_get_state (server), ==, SATORI_PERF_STATE_HEADER);
    }
  satori_perf_session_handle_input (server, request + 7, 3);
  g_assert_cmpint (satori_perf_session_get_state (server), ==, SATORI_PERF_STATE_RECEIVING);
  g_assert_cmpuint (satori_perf_session_get_download_size (server), ==, 0x102);
  g_assert_cmpuint (satori_perf_session_get_received (server), ==, 2);
  g_assert_true (satori_perf_session_handle_eof (server, &error));
  g_assert_cmpint (satori_perf_session_get_state (server), ==, SATORI_PERF_STATE_SENDING);
}

static void
test_truncated_header (void)
{
  g_autoptr(SatoriPerfSession) server = satori_perf_session_new_server ();
  g_autoptr(GError) error = NULL;
  const guint8 partial[3] = { 0 };

  g_test_summary ("End of stream inside the header is an error and ends the session");
  satori_perf_session_handle_input (server, partial, sizeof partial);
  g_assert_false (satori_perf_session_handle_eof (server, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
  g_assert_cmpint (satori_perf_session_get_state (server), ==, SATORI_PERF_STATE_DONE);
}

static void
test_short_download (void)
{
  g_autoptr(SatoriPerfSession) client = satori_perf_session_new_client (0, 10);
  g_autoptr(GError) error = NULL;
  guint8 buffer[64];
  const guint8 some[9] = { 0 };

  g_test_summary ("A client that gets fewer bytes than asked for fails");
  g_assert_cmpuint (satori_perf_session_poll_transmit (client, buffer, sizeof buffer), ==, 8);
  g_assert_cmpuint (satori_perf_session_poll_transmit (client, buffer, sizeof buffer), ==, 0);
  satori_perf_session_write_closed (client);
  satori_perf_session_handle_input (client, some, sizeof some);
  g_assert_false (satori_perf_session_handle_eof (client, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/perf/session/sizes", test_sizes);
  g_test_add_func ("/perf/session/header-split", test_header_split);
  g_test_add_func ("/perf/session/truncated-header", test_truncated_header);
  g_test_add_func ("/perf/session/short-download", test_short_download);
  return g_test_run ();
}
