/* The perf client and server between two hosts in one process, over the
 * memory transport with the real plaintext and yamux plugins. */
#include "satorip2p.h"
#include "satori-perf-client.h"
#include "satori-perf-server.h"
#include "satori-perf-session.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_perf_register (SatoriRegistry *registry, GError **error);

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *client;
  SatoriHost *server;
  SatoriPerfServer *perf;
  SatoriPeerId *server_id;       /* borrowed */
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_memory_register (fixture->registry, &error));
  g_assert_true (satori_plugin_plaintext_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_perf_register (fixture->registry, &error));
  g_assert_no_error (error);

  fixture->client = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
  fixture->server = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
  fixture->server_id = satori_host_get_peer_id (fixture->server);
  fixture->perf = satori_test_create (fixture->registry, SATORI_TYPE_PROTOCOL_HANDLER, "perf");
  g_assert_true (SATORI_IS_PERF_SERVER (fixture->perf));
  satori_host_set_handler (fixture->server, SATORI_PERF_PROTOCOL_ID,
                           SATORI_PROTOCOL_HANDLER (fixture->perf));

  g_autoptr(SatoriMultiaddr) bound = satori_test_listen_address (fixture->server, "/memory/0");
  satori_peerstore_add_address (satori_host_get_peerstore (fixture->client), fixture->server_id,
                                bound);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  satori_host_close (fixture->client);
  satori_host_close (fixture->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (fixture->client);
  g_object_unref (fixture->server);
  g_object_unref (fixture->perf);
  g_object_unref (fixture->registry);
}

static SatoriPerfResult *
run (Fixture *fixture, guint64 upload, guint64 download, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  satori_perf_run_async (fixture->client, fixture->server_id, upload, download, NULL,
                         satori_test_store_result, &result);
  return satori_perf_run_finish (fixture->client, satori_test_wait (&result), error);
}

static void
wait_served (Fixture *fixture, guint completed, guint failed)
{
  while (satori_perf_server_get_completed (fixture->perf) < completed ||
         satori_perf_server_get_failed (fixture->perf) < failed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (satori_perf_server_get_completed (fixture->perf), ==, completed);
  g_assert_cmpuint (satori_perf_server_get_failed (fixture->perf), ==, failed);
}

static void
test_sizes (Fixture *fixture, gconstpointer data)
{
  const guint64 sizes[][2] = {
    { 0, 0 }, { 0, 1 }, { 1, 0 }, { 300000, 0 }, { 0, 300000 }, { 5 << 20, 3 << 20 },
  };

  g_test_summary ("Upload and download sizes are exact, 0 included");
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SatoriPerfResult) measured = run (fixture, sizes[i][0], sizes[i][1], &error);

      g_assert_no_error (error);
      g_assert_cmpuint (measured->upload_bytes, ==, sizes[i][0]);
      g_assert_cmpuint (measured->download_bytes, ==, sizes[i][1]);
      g_assert_cmpfloat (measured->seconds, >, 0.0);
      g_assert_cmpfloat (measured->stream_open_seconds, <=, measured->seconds);
      if (sizes[i][1] > 0)
        g_assert_cmpfloat (measured->time_to_first_byte_seconds, >, 0.0);
      else
        g_assert_cmpfloat (measured->time_to_first_byte_seconds, ==, 0.0);
      wait_served (fixture, i + 1, 0);
    }
}

static void
test_truncated_header (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const char *protocols[] = { SATORI_PERF_PROTOCOL_ID, NULL };
  guint8 byte;

  g_test_summary ("A request cut short inside its header is closed, and the connection lives");
  satori_host_new_stream_async (fixture->client, fixture->server_id, protocols, NULL,
                                satori_test_store_result, &result);
  g_autoptr(GIOStream) stream = satori_host_new_stream_finish (fixture->client,
                                                               satori_test_wait (&result),
                                                               NULL, &error);
  g_assert_no_error (error);
  GOutputStream *out = g_io_stream_get_output_stream (stream);
  g_clear_object (&result);
  g_output_stream_write_all_async (out, "\0\0\0", 3, G_PRIORITY_DEFAULT, NULL,
                                   satori_test_store_result, &result);
  g_assert_true (g_output_stream_write_all_finish (out, satori_test_wait (&result), NULL,
                                                   &error));
  g_clear_object (&result);
  g_output_stream_close_async (out, G_PRIORITY_DEFAULT, NULL, satori_test_store_result, &result);
  g_assert_true (g_output_stream_close_finish (out, satori_test_wait (&result), &error));
  g_assert_no_error (error);
  wait_served (fixture, 0, 1);

  g_clear_object (&result);
  g_input_stream_read_async (g_io_stream_get_input_stream (stream), &byte, 1, G_PRIORITY_DEFAULT,
                             NULL, satori_test_store_result, &result);
  g_assert_cmpint (g_input_stream_read_finish (g_io_stream_get_input_stream (stream),
                                               satori_test_wait (&result), &error), ==, 0);
  g_assert_no_error (error);

  g_autoptr(SatoriPerfResult) measured = run (fixture, 10, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (measured->download_bytes, ==, 10);
  wait_served (fixture, 1, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/perf/host/sizes", Fixture, NULL, fixture_set_up, test_sizes, fixture_tear_down);
  g_test_add ("/perf/host/truncated-header", Fixture, NULL, fixture_set_up, test_truncated_header,
              fixture_tear_down);
  return g_test_run ();
}
