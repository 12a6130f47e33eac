/* bench-yamux-session: bytes the sans-I/O yamux core moves per CPU second,
 * two sessions in one process (no I/O): --streams streams (default 1) each
 * send --mib MiB (default 256 in all) to the other side, which consumes
 * them at once. Output is drained in 256 KiB writes, as the GIO adapter
 * does. Deterministic, so callgrind's instruction counts compare versions
 * independently of machine load. One JSON line.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <time.h>

#include "satori-yamux-session.h"

#define IO_SIZE (256 * 1024)

/* Feeds what @from transmits to @to; returns whether anything moved. */
static gboolean
transfer (SatoriYamuxSession *from, SatoriYamuxSession *to, guint8 *buf, guint64 *received)
{
  gboolean moved = FALSE;
  gsize n;

  while ((n = satori_yamux_session_poll_transmit (from, buf, IO_SIZE)) > 0)
    {
      gsize pos = 0;

      moved = TRUE;
      while (pos < n)
        {
          gsize consumed;
          SatoriYamuxEvent event;

          /* Input is refused only for a pile of control frames, which
           * this exchange never provokes. */
          if (!satori_yamux_session_handle_input (to, buf + pos, n - pos, 0, &consumed, NULL) ||
              consumed == 0)
            g_error ("input refused");
          pos += consumed;
          while (satori_yamux_session_poll_event (to, &event))
            {
              if (event.type == SATORI_YAMUX_EVENT_STREAM_DATA)
                {
                  gsize size = g_bytes_get_size (event.data);
                  *received += size;
                  satori_yamux_session_consume (to, event.stream_id, size, 0);
                }
              satori_yamux_event_clear (&event);
            }
        }
    }
  return moved;
}

int
main (int argc, char **argv)
{
  gint streams = 1, mib = 256;
  GOptionEntry entries[] = {
    { "streams", 0, 0, G_OPTION_ARG_INT, &streams, "streams sending at once", "N" },
    { "mib", 0, 0, G_OPTION_ARG_INT, &mib, "MiB sent in all", "M" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || streams < 1 || mib < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "bad arguments");
      return 1;
    }

  g_autoptr(SatoriYamuxSession) client = satori_yamux_session_new (TRUE, NULL);
  g_autoptr(SatoriYamuxSession) server = satori_yamux_session_new (FALSE, NULL);
  g_autofree guint8 *buf = g_malloc (IO_SIZE);
  g_autofree guint8 *chunk = g_malloc0 (IO_SIZE);
  g_autofree guint32 *ids = g_new (guint32, streams);
  g_autofree guint64 *left = g_new (guint64, streams);
  guint64 total = (guint64) mib * 1024 * 1024, received = 0;

  for (gint i = 0; i < streams; i++)
    {
      ids[i] = satori_yamux_session_open_stream (client, 0, NULL);
      left[i] = total / streams;
    }
  /* The server answers so that every SYN may go (the ACK backlog). */
  transfer (client, server, buf, &received);
  satori_yamux_session_send (server, ids[0], (const guint8 *) "x", 1, NULL);
  transfer (server, client, buf, &received);
  received = 0;

  struct timespec t0, t1;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &t0);
  gboolean busy = TRUE;
  while (busy)
    {
      busy = FALSE;
      for (gint i = 0; i < streams; i++)
        if (left[i] > 0)
          {
            gsize n = satori_yamux_session_send (client, ids[i], chunk, MIN (left[i], IO_SIZE),
                                                 NULL);
            left[i] -= n;
            busy = TRUE;
          }
      busy |= transfer (client, server, buf, &received);
      busy |= transfer (server, client, buf, &received);
    }
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &t1);
  double cpu = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  g_assert_cmpuint (received, ==, total / streams * streams);
  g_print ("{\"streams\": %d, \"mib\": %d, \"cpu_s\": %.3f, \"mib_per_cpu_s\": %.0f}\n", streams,
           mib, cpu, mib / cpu);
  return 0;
}
