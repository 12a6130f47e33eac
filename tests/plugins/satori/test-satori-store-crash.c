/* The offline store across a crash of the holder: satorip2pd (TCP on
 * 127.0.0.1, Noise, yamux, the satori plugin) holds a message that a
 * sender in this process replicated to it for a target that is offline;
 * the daemon is killed with SIGKILL and restarted on the same store; the
 * target connects and the message is pushed to it. */
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "satorip2p.h"
#include "satori-store-service.h"
#include "satori-store-test-inbox.h"
#include "satori-store-test-util.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_tcp_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_noise_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_satori_register (SatoriRegistry *registry, GError **error);

#define PAYLOAD "{\"params\": {\"uuid\": \"stream-7\"}, \"data\": \"kept across a crash\"}"

typedef struct
{
  char *dir;
  char *config;
  char *key;
  GSubprocess *daemon;
  SatoriMultiaddr *address;   /* the daemon's, with /p2p/ */
} Holder;

/* A TCP port free on 127.0.0.1 now. */
static guint16
free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, TRUE, &error));
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
holder_init (Holder *holder)
{
  g_autoptr(GError) error = NULL;

  holder->dir = g_dir_make_tmp ("satori-store-crash-XXXXXX", &error);
  g_assert_no_error (error);
  holder->config = g_build_filename (holder->dir, "holder.conf", NULL);
  holder->key = g_build_filename (holder->dir, "holder.key", NULL);
  g_autofree char *store = g_build_filename (holder->dir, "store.db", NULL);
  g_autofree char *text = g_strdup_printf (
    "[plugins]\nload=tcp;noise;yamux;satori\n"
    "[host]\ntransports=tcp\nsecurity=noise\nmuxers=yamux\nlisten=/ip4/127.0.0.1/tcp/%u\n"
    "[satori-store]\npath=%s\nretrieve-delay=0\n"
    "[rest]\nenabled=false\n", free_port (), store);
  g_assert_true (g_file_set_contents (holder->config, text, -1, &error));
}

/* Starts satorip2pd and waits for the line that says where it listens. */
static void
holder_start (Holder *holder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", holder->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", holder->dir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  holder->daemon = g_subprocess_launcher_spawn (launcher, &error, SATORIP2PD, "--config",
                                                holder->config, "--key", holder->key, NULL);
  g_assert_no_error (error);

  g_autoptr(GDataInputStream) lines =
    g_data_input_stream_new (g_subprocess_get_stderr_pipe (holder->daemon));
  char *line;
  while (holder->address == NULL &&
         (line = g_data_input_stream_read_line (lines, NULL, NULL, &error)) != NULL)
    {
      const char *at = strstr (line, "Listening on ");
      g_test_message ("holder: %s", line);
      if (at != NULL)
        holder->address = satori_multiaddr_new_from_string (at + strlen ("Listening on "),
                                                            &error);
      g_free (line);
    }
  g_assert_no_error (error);
  g_assert_nonnull (holder->address);
}

static void
holder_wait (Holder *holder)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_wait (holder->daemon, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&holder->daemon);
  g_clear_pointer (&holder->address, satori_multiaddr_unref);
}

static void
holder_clear (Holder *holder)
{
  g_autoptr(GDir) dir = g_dir_open (holder->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (holder->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (holder->dir);
  g_free (holder->dir);
  g_free (holder->config);
  g_free (holder->key);
}

static SatoriStoreService *
add_store (SatoriRegistry *registry, SatoriHost *host)
{
  SatoriStoreService *service = satori_test_create (registry, SATORI_TYPE_PROTOCOL_HANDLER,
                                                    "satori-store");

  g_object_set (service, "path", ":memory:", "retrieve-delay", 0, NULL);
  satori_host_set_handler (host, SATORI_STORE_PROTOCOL, SATORI_PROTOCOL_HANDLER (service));
  return service;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_sigkill (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  Holder holder = { 0 };

  g_test_summary ("A message for an offline peer, replicated to a satorip2pd holder, is pushed "
                  "to the peer when it connects, also after the holder was killed with SIGKILL "
                  "and restarted on the same store");
  g_assert_true (satori_plugin_tcp_register (registry, &error));
  g_assert_true (satori_plugin_noise_register (registry, &error));
  g_assert_true (satori_plugin_yamux_register (registry, &error));
  g_assert_true (satori_plugin_satori_register (registry, &error));
  holder_init (&holder);
  holder_start (&holder);

  /* The sender replicates its message to the holder, then goes away. */
  g_autoptr(SatoriHost) target = satori_test_host_new (registry, "tcp", "noise", "yamux");
  SatoriHost *sender = satori_test_host_new (registry, "tcp", "noise", "yamux");
  g_autoptr(SatoriPeerId) sender_id = satori_peer_id_ref (satori_host_get_peer_id (sender));
  SatoriStoreService *sender_store = add_store (registry, sender);
  g_autofree char *relay = satori_multiaddr_to_string (holder.address);
  const char *relays[] = { relay, NULL };
  g_object_set (sender_store, "relays", relays, NULL);
  /* Relays are read when the handler is attached: attach again. */
  satori_host_remove_handler (sender, SATORI_STORE_PROTOCOL);
  satori_host_set_handler (sender, SATORI_STORE_PROTOCOL, SATORI_PROTOCOL_HANDLER (sender_store));
  g_autoptr(GBytes) payload = g_bytes_new_static (PAYLOAD, strlen (PAYLOAD));
  guint replicas = 0;
  satori_offline_store_store_for_peer_async (STORE (sender_store), satori_host_get_peer_id (target),
                                             payload, "stream-7", SATORI_MESSENGER_FLAGS_NONE,
                                             NULL, satori_test_store_result, &result);
  g_assert_true (satori_offline_store_store_for_peer_finish (STORE (sender_store),
                                                             satori_test_wait (&result),
                                                             &replicas, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (replicas, ==, 1);
  satori_host_close (sender);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (sender);
  g_object_unref (sender_store);

  /* The configured store, not the default one under $XDG_DATA_HOME. */
  g_autofree char *store = g_build_filename (holder.dir, "store.db", NULL);
  g_autofree char *fallback = g_build_filename (holder.dir, "satorip2p", NULL);
  g_assert_true (g_file_test (store, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (fallback, G_FILE_TEST_EXISTS));

  /* Acknowledged means on disk: a crash right after loses nothing. */
  g_subprocess_force_exit (holder.daemon);
  g_assert_true (g_subprocess_wait (holder.daemon, NULL, &error));
  g_assert_true (g_subprocess_get_if_signaled (holder.daemon));
  g_assert_cmpint (g_subprocess_get_term_sig (holder.daemon), ==, SIGKILL);
  holder_wait (&holder);
  holder_start (&holder);

  g_autoptr(TestInbox) inbox = g_object_new (TEST_TYPE_INBOX, NULL);
  satori_host_set_handler (target, SATORI_STORE_MESSAGE_PROTOCOL,
                           SATORI_PROTOCOL_HANDLER (inbox));
  g_autoptr(SatoriConnection) connection = satori_test_connect (target, holder.address, &error);
  g_assert_no_error (error);
  g_assert_nonnull (connection);
  gboolean expired = FALSE;
  guint timeout = g_timeout_add_seconds (20, on_timeout, &expired);
  while (inbox->messages->len == 0 && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (timeout);
  store_test_assert_pushed (g_ptr_array_index (inbox->messages, 0), PAYLOAD, sender_id);

  satori_host_close (target);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_subprocess_send_signal (holder.daemon, SIGTERM);
  g_assert_true (g_subprocess_wait (holder.daemon, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (holder.daemon));
  g_assert_cmpint (g_subprocess_get_exit_status (holder.daemon), ==, 0);
  holder_wait (&holder);
  holder_clear (&holder);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/satori-store/crash/sigkill", test_sigkill);
  return g_test_run ();
}
