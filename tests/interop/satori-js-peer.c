#include "satori-js-peer.h"

#include <gio/gio.h>
#include <string.h>

/* Events arrive as JSON lines on the peer's stdout; they are queued as
 * they come, and satori_js_peer_wait_event() takes the first of a kind,
 * running the main context (and so the C host) meanwhile. */
struct _SatoriJsPeer
{
  GSubprocess *process;
  GDataInputStream *lines;
  GOutputStream *commands;
  GQueue events;          /* JsonObject */
  gboolean eof;
};

#define EVENT_TIMEOUT_S 60

static void read_next (SatoriJsPeer *peer);

static void
on_line (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SatoriJsPeer *peer = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (peer->lines, result, NULL,
                                                                      &error);
  if (line == NULL)
    {
      peer->eof = TRUE;
      return;
    }
  g_test_message ("js: %s", line);
  g_autoptr(JsonParser) parser = json_parser_new ();
  if (json_parser_load_from_data (parser, line, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    g_queue_push_tail (&peer->events, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
  read_next (peer);
}

static void
read_next (SatoriJsPeer *peer)
{
  g_data_input_stream_read_line_async (peer->lines, G_PRIORITY_DEFAULT, NULL, on_line, peer);
}

SatoriJsPeer *
satori_js_peer_start (const char * const *args)
{
  return satori_js_peer_start_wrapped (NULL, args);
}

/* Runs the peer under @wrapper, a command that ends by executing its
 * arguments in the same process (e.g. `unshare --net --`), or none. */
SatoriJsPeer *
satori_js_peer_start_wrapped (const char * const *wrapper, const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_autofree char *script = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "interop",
                                              "js-peer.mjs", NULL);
  if (wrapper != NULL)
    g_strv_builder_addv (argv, (const char **) wrapper);
  g_strv_builder_add_many (argv, "node", script, "--max-lifetime", "300", NULL);
  g_strv_builder_addv (argv, (const char **) args);
  g_auto(GStrv) command = g_strv_builder_end (argv);

  SatoriJsPeer *peer = g_new0 (SatoriJsPeer, 1);
  peer->process = g_subprocess_newv ((const char * const *) command,
                                     G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                     &error);
  g_assert_no_error (error);
  peer->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (peer->process));
  peer->commands = g_subprocess_get_stdin_pipe (peer->process);
  g_queue_init (&peer->events);
  read_next (peer);
  return peer;
}

/* The process id of the peer (of its wrapper, which became it). */
const char *
satori_js_peer_get_pid (SatoriJsPeer *peer)
{
  return g_subprocess_get_identifier (peer->process);
}

void
satori_js_peer_send (SatoriJsPeer *peer, const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strconcat (json, "\n", NULL);

  g_test_message ("to js: %s", json);
  g_assert_true (g_output_stream_write_all (peer->commands, line, strlen (line), NULL, NULL,
                                            &error));
  g_assert_no_error (error);
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The first queued event named @event, waiting for it; an "error" event
 * in reply to a command fails the test with its message. */
JsonObject *
satori_js_peer_wait_event (SatoriJsPeer *peer, const char *event)
{
  gboolean timed_out = FALSE;
  guint timer = g_timeout_add_seconds (EVENT_TIMEOUT_S, on_timeout, &timed_out);

  for (;;)
    {
      for (GList *l = peer->events.head; l != NULL; l = l->next)
        {
          JsonObject *object = l->data;
          const char *name = json_object_get_string_member_with_default (object, "event", "");
          if (strcmp (name, "error") == 0 && json_object_has_member (object, "cmd") &&
              !json_object_get_null_member (object, "cmd"))
            g_error ("js peer failed %s: %s",
                     json_object_get_string_member (object, "cmd"),
                     json_object_get_string_member_with_default (object, "message", "?"));
          if (strcmp (name, event) == 0)
            {
              g_queue_delete_link (&peer->events, l);
              g_source_remove (timer);
              return object;
            }
        }
      if (peer->eof)
        g_error ("js peer exited while we waited for '%s'", event);
      if (timed_out)
        g_error ("no '%s' from the js peer within %d s", event, EVENT_TIMEOUT_S);
      g_main_context_iteration (NULL, TRUE);
    }
}

void
satori_js_peer_stop (SatoriJsPeer *peer)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_close (peer->commands, NULL, NULL);
  g_subprocess_send_signal (peer->process, SIGTERM);
  g_subprocess_wait (peer->process, NULL, &error);
  while (!peer->eof)
    g_main_context_iteration (NULL, TRUE);
  g_queue_clear_full (&peer->events, (GDestroyNotify) json_object_unref);
  g_object_unref (peer->lines);
  g_object_unref (peer->process);
  g_free (peer);
}
