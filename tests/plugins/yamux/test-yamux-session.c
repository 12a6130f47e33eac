/* Tests of the sans-I/O yamux core: two sessions wired by in-memory queues
 * with a fake clock, bytes delivered in arbitrary chunks; and sessions fed
 * hand-written frames from the spec. */
#include <string.h>

#include "satori-yamux-session.h"

/* The plugin's last log line: g_test_expect_message() does not see
 * structured logging. */
static char *last_log;

static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
    else if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;
  if (g_strcmp0 (domain, "satori-yamux") != 0 || message == NULL)
    return g_log_writer_default (level, fields, n_fields, user_data);
  g_free (last_log);
  last_log = g_strdup (message);
  return G_LOG_WRITER_HANDLED;
}

static void
assert_logged (const char *text)
{
  g_assert_nonnull (last_log);
  g_assert_nonnull (strstr (last_log, text));
  g_clear_pointer (&last_log, g_free);
}

typedef struct {
  SatoriYamuxSession *session;
  GByteArray *inbox;          /* transmitted by the peer, not yet fed */
  GArray *events;             /* of SatoriYamuxEvent, data events excepted */
  GHashTable *received;       /* stream id -> GByteArray */
  gboolean auto_consume;
} Side;

typedef struct {
  Side side[2];               /* 0: client, 1: server */
  gint64 now;
  GRand *rand;
  guint max_chunk;            /* deliver in random chunks of 1..max_chunk */
} Pair;

static void
side_init (Side *side, gboolean is_client, const SatoriYamuxConfig *config)
{
  side->session = satori_yamux_session_new (is_client, config);
  side->inbox = g_byte_array_new ();
  side->events = g_array_new (FALSE, TRUE, sizeof (SatoriYamuxEvent));
  g_array_set_clear_func (side->events, (GDestroyNotify) satori_yamux_event_clear);
  side->received = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_byte_array_unref);
  side->auto_consume = TRUE;
}

static void
side_clear (Side *side)
{
  satori_yamux_session_free (side->session);
  g_byte_array_unref (side->inbox);
  g_array_unref (side->events);
  g_hash_table_unref (side->received);
}

static void
pair_init (Pair *pair, const SatoriYamuxConfig *client, const SatoriYamuxConfig *server)
{
  side_init (&pair->side[0], TRUE, client);
  side_init (&pair->side[1], FALSE, server);
  pair->now = 1000;
  pair->rand = g_rand_new_with_seed (g_test_rand_int ());
  pair->max_chunk = 100000;
}

static void
pair_clear (Pair *pair)
{
  side_clear (&pair->side[0]);
  side_clear (&pair->side[1]);
  g_rand_free (pair->rand);
}

static GByteArray *
received (Side *side, guint32 id)
{
  GByteArray *bytes = g_hash_table_lookup (side->received, GUINT_TO_POINTER (id));

  if (bytes == NULL)
    {
      bytes = g_byte_array_new ();
      g_hash_table_insert (side->received, GUINT_TO_POINTER (id), bytes);
    }
  return bytes;
}

static void
collect_events (Pair *pair, Side *side)
{
  SatoriYamuxEvent event;

  while (satori_yamux_session_poll_event (side->session, &event))
    {
      if (event.type == SATORI_YAMUX_EVENT_STREAM_DATA)
        {
          gsize size;
          const guint8 *data = g_bytes_get_data (event.data, &size);

          g_byte_array_append (received (side, event.stream_id), data, size);
          if (side->auto_consume)
            satori_yamux_session_consume (side->session, event.stream_id, size, pair->now);
          satori_yamux_event_clear (&event);
        }
      else
        g_array_append_val (side->events, event);
    }
}

/* Moves bytes both ways until nothing moves; returns whether anything did. */
static gboolean
pump (Pair *pair)
{
  gboolean any = FALSE;
  gboolean moved = TRUE;

  while (moved)
    {
      moved = FALSE;
      for (guint i = 0; i < 2; i++)
        {
          Side *from = &pair->side[i], *to = &pair->side[1 - i];
          guint8 buf[4096];
          gsize n;

          collect_events (pair, from);
          while ((n = satori_yamux_session_poll_transmit (from->session, buf,
                                                          g_rand_int_range (pair->rand, 1,
                                                                            sizeof buf + 1))) > 0)
            {
              g_byte_array_append (to->inbox, buf, n);
              moved = TRUE;
            }
          while (to->inbox->len > 0 && !satori_yamux_session_is_closed (to->session))
            {
              gsize chunk = g_rand_int_range (pair->rand, 1, pair->max_chunk + 1);
              gsize consumed;

              chunk = MIN (chunk, to->inbox->len);
              satori_yamux_session_handle_input (to->session, to->inbox->data, chunk, pair->now,
                                                 &consumed, NULL);
              g_byte_array_remove_range (to->inbox, 0, consumed);
              moved = TRUE;
              if (consumed < chunk)
                break;
            }
          collect_events (pair, to);
        }
      any |= moved;
    }
  return any;
}

/* The index of the first event of @type (and @stream_id unless 0), or -1. */
static gint
find_event (Side *side, SatoriYamuxEventType type, guint32 stream_id)
{
  for (guint i = 0; i < side->events->len; i++)
    {
      SatoriYamuxEvent *event = &g_array_index (side->events, SatoriYamuxEvent, i);
      if (event->type == type && (stream_id == 0 || event->stream_id == stream_id))
        return i;
    }
  return -1;
}

static void
fill_random (GRand *rand, guint8 *data, gsize len)
{
  for (gsize i = 0; i < len; i++)
    data[i] = g_rand_int (rand);
}

/* Sends all of @data, pumping while the window is shut. */
static void
send_all (Pair *pair, guint side, guint32 id, const guint8 *data, gsize len)
{
  gsize sent = 0;

  while (sent < len)
    {
      g_autoptr(GError) error = NULL;
      gsize n = satori_yamux_session_send (pair->side[side].session, id, data + sent,
                                           len - sent, &error);
      g_assert_no_error (error);
      sent += n;
      if (n == 0)
        g_assert_true (pump (pair));
    }
}

static void
test_open_accept (void)
{
  gsize chunks[] = { 1, 7, 12, 13, 100000 };

  for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
    {
      Pair pair;
      g_autoptr(GError) error = NULL;
      guint8 data[3000];

      pair_init (&pair, NULL, NULL);
      pair.max_chunk = chunks[c];
      fill_random (pair.rand, data, sizeof data);

      guint32 id = satori_yamux_session_open_stream (pair.side[0].session, pair.now, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (id, ==, 1);
      send_all (&pair, 0, id, data, sizeof data);
      g_assert_true (satori_yamux_session_close_stream (pair.side[0].session, id, &error));
      pump (&pair);
      g_assert_cmpint (find_event (&pair.side[1], SATORI_YAMUX_EVENT_STREAM_OPENED, 1), >=, 0);
      g_assert_cmpint (find_event (&pair.side[1], SATORI_YAMUX_EVENT_STREAM_FINISHED, 1), >=, 0);
      g_assert_cmpmem (received (&pair.side[1], 1)->data, received (&pair.side[1], 1)->len,
                       data, sizeof data);

      /* The server's streams are even; it answers on stream 1 and closes. */
      guint32 id2 = satori_yamux_session_open_stream (pair.side[1].session, pair.now, &error);
      g_assert_cmpuint (id2, ==, 2);
      send_all (&pair, 1, 1, data, 100);
      g_assert_true (satori_yamux_session_close_stream (pair.side[1].session, 1, &error));
      pump (&pair);
      g_assert_cmpint (find_event (&pair.side[0], SATORI_YAMUX_EVENT_STREAM_OPENED, 2), >=, 0);
      g_assert_cmpmem (received (&pair.side[0], 1)->data, 100, data, 100);
      g_assert_cmpint (find_event (&pair.side[0], SATORI_YAMUX_EVENT_STREAM_FINISHED, 1), >=, 0);
      /* Stream 1 is closed both ways on both sides; stream 2 is open. */
      g_assert_cmpuint (satori_yamux_session_get_n_streams (pair.side[0].session), ==, 1);
      g_assert_cmpuint (satori_yamux_session_get_n_streams (pair.side[1].session), ==, 1);
      pair_clear (&pair);
    }
}

static void
append_frame (GByteArray *bytes, guint8 type, guint16 flags, guint32 id, guint32 length)
{
  guint8 header[12] = { 0, type, flags >> 8, flags & 0xff,
                        id >> 24, id >> 16, id >> 8, id, length >> 24, length >> 16, length >> 8,
                        length };
  g_byte_array_append (bytes, header, sizeof header);
}

/* A big-endian header field; frames sit at any offset in a buffer. */
static guint32
read_be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* Takes all output, dropping ping frames (the RTT ping at start). */
static GByteArray *
transmitted_without_pings (SatoriYamuxSession *session)
{
  GByteArray *all = g_byte_array_new (), *out = g_byte_array_new ();
  guint8 buf[1024];
  gsize n;

  while ((n = satori_yamux_session_poll_transmit (session, buf, sizeof buf)) > 0)
    g_byte_array_append (all, buf, n);
  for (gsize pos = 0; pos + 12 <= all->len;)
    {
      guint32 length = read_be32 (all->data + pos + 8);
      gsize size = 12 + (all->data[pos + 1] == 0 ? length : 0);

      if (all->data[pos + 1] != 2)
        g_byte_array_append (out, all->data + pos, size);
      pos += size;
    }
  g_byte_array_unref (all);
  return out;
}

/* Frames as the spec writes them, in and out. */
static void
test_frames (void)
{
  static const guint8 syn_data_fin[] = {
    0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0,                    /* window update, SYN, 1, +0 */
    0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o', /* data, 1, 5 */
    0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0,                    /* data, FIN, 1, 0 */
  };
  static const guint8 ack[] = { 0, 1, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  SatoriYamuxEvent event;
  gsize consumed;

  /* Out: open, "hello", close; FIN on a frame of its own, never on the
   * data (js-libp2p drops the payload of a data frame carrying FIN). */
  SatoriYamuxSession *client = satori_yamux_session_new (TRUE, NULL);
  guint32 id = satori_yamux_session_open_stream (client, 0, &error);
  g_assert_cmpuint (satori_yamux_session_send (client, id, (const guint8 *) "hello", 5, &error),
                    ==, 5);
  g_assert_true (satori_yamux_session_close_stream (client, id, &error));
  g_autoptr(GByteArray) out = transmitted_without_pings (client);
  g_assert_cmpmem (out->data, out->len, syn_data_fin, sizeof syn_data_fin);
  satori_yamux_session_free (client);

  /* In: FIN riding on the data frame, as the spec allows, is taken too:
   * the data first, then the end. */
  SatoriYamuxSession *server = satori_yamux_session_new (FALSE, NULL);
  g_autoptr(GByteArray) in = g_byte_array_new ();
  g_byte_array_append (in, syn_data_fin, 29);
  in->data[15] = 4;
  g_assert_true (satori_yamux_session_handle_input (server, in->data, in->len, 0, &consumed,
                                                    &error));
  g_assert_cmpuint (consumed, ==, in->len);
  g_assert_true (satori_yamux_session_poll_event (server, &event));
  g_assert_cmpint (event.type, ==, SATORI_YAMUX_EVENT_STREAM_OPENED);
  g_assert_cmpuint (event.stream_id, ==, 1);
  g_assert_true (satori_yamux_session_poll_event (server, &event));
  g_assert_cmpint (event.type, ==, SATORI_YAMUX_EVENT_STREAM_DATA);
  g_assert_cmpmem (g_bytes_get_data (event.data, NULL), g_bytes_get_size (event.data), "hello", 5);
  satori_yamux_event_clear (&event);
  g_assert_true (satori_yamux_session_poll_event (server, &event));
  g_assert_cmpint (event.type, ==, SATORI_YAMUX_EVENT_STREAM_FINISHED);
  g_assert_false (satori_yamux_session_poll_event (server, &event));
  g_autoptr(GByteArray) answer = transmitted_without_pings (server);
  g_assert_cmpmem (answer->data, answer->len, ack, sizeof ack);
  satori_yamux_session_free (server);
}

/* What a receiver gets that, like js-libp2p (@libp2p/yamux 8), acts on a
 * frame's flags before its payload and ignores bytes once FIN was seen:
 * the payload of stream @id up to its FIN. Checks the frames on the way. */
static GByteArray *
received_flags_first (const GByteArray *wire, guint32 id, gboolean *fin_seen)
{
  GByteArray *got = g_byte_array_new ();
  gsize pos = 0;

  *fin_seen = FALSE;
  while (pos + 12 <= wire->len)
    {
      const guint8 *h = wire->data + pos;
      guint16 flags = (guint16) (h[2] << 8 | h[3]);
      guint32 sid = read_be32 (h + 4);
      guint32 length = read_be32 (h + 8);
      gsize payload = h[1] == 0 ? length : 0;

      g_assert_cmpuint (pos + 12 + payload, <=, wire->len);
      if (sid == id && (flags & 4))
        {
          /* The regression: FIN must not ride on bytes. */
          g_assert_cmpuint (payload, ==, 0);
          *fin_seen = TRUE;
        }
      else if (sid == id && h[1] == 0 && !*fin_seen)
        g_byte_array_append (got, h + 12, payload);
      else if (sid == id && h[1] == 0)
        g_assert_cmpuint (payload, ==, 0); /* no data after FIN */
      pos += 12 + payload;
    }
  g_assert_cmpuint (pos, ==, wire->len);
  return got;
}

/* Closing while data is still queued, in whole or in part (the output
 * drained in odd chunks, partly into the last data frame): FIN goes out
 * after all the data, on a zero-length frame. The we-dial interop test lost
 * the tail of an echo under load when FIN rode on the last queued frame. */
static void
test_fin_after_queued_data (void)
{
  static const gsize drained[] = { 0, 1, 11, 12, 13, 5000, 65536 + 12, 65536 + 100, 100000 };
  static const gsize tail[] = { 0, 1, 5580, 70000 };

  for (gsize d = 0; d < G_N_ELEMENTS (drained); d++)
    for (gsize t = 0; t < G_N_ELEMENTS (tail); t++)
      {
        g_autoptr(GError) error = NULL;
        gsize head = 150000, len = head + tail[t];
        g_autofree guint8 *data = g_malloc (len);
        g_autoptr(GByteArray) wire = g_byte_array_new ();
        guint8 buf[4096];
        gsize n;
        gboolean fin;

        for (gsize i = 0; i < len; i++)
          data[i] = (guint8) (i * 131 + (i >> 13));
        SatoriYamuxSession *client = satori_yamux_session_new (TRUE, NULL);
        guint32 id = satori_yamux_session_open_stream (client, 0, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (satori_yamux_session_send (client, id, data, head, &error), ==, head);
        /* Part of the queue goes out, maybe ending inside a frame. */
        for (gsize left = drained[d]; left > 0; left -= n)
          {
            n = satori_yamux_session_poll_transmit (client, buf, MIN (left, sizeof buf));
            g_assert_cmpuint (n, >, 0);
            g_byte_array_append (wire, buf, n);
          }
        if (tail[t] > 0)
          g_assert_cmpuint (satori_yamux_session_send (client, id, data + head, tail[t], &error),
                            ==, tail[t]);
        g_assert_true (satori_yamux_session_close_stream (client, id, &error));
        g_assert_no_error (error);
        while ((n = satori_yamux_session_poll_transmit (client, buf, 1000)) > 0)
          g_byte_array_append (wire, buf, n);

        g_autoptr(GByteArray) got = received_flags_first (wire, id, &fin);
        g_assert_true (fin);
        g_assert_cmpmem (got->data, got->len, data, len);
        satori_yamux_session_free (client);
      }
}

/* Feeds @in to a fresh server; expects a protocol error and a GoAway. */
static void
expect_protocol_error (GByteArray *in)
{
  g_autoptr(GError) error = NULL;
  SatoriYamuxSession *server = satori_yamux_session_new (FALSE, NULL);
  static const guint8 go_away_protocol[] = { 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
  gsize consumed;

  g_assert_false (satori_yamux_session_handle_input (server, in->data, in->len, 0, &consumed,
                                                     &error));
  assert_logged ("protocol error");
  g_assert_error (error, SATORI_YAMUX_ERROR, SATORI_YAMUX_ERROR_PROTOCOL);
  g_assert_true (satori_yamux_session_is_closed (server));
  g_autoptr(GByteArray) out = transmitted_without_pings (server);
  g_assert_cmpuint (out->len, >=, sizeof go_away_protocol);
  g_assert_cmpmem (out->data + out->len - 12, 12, go_away_protocol, sizeof go_away_protocol);

  /* Later input is refused at once. */
  g_clear_error (&error);
  g_assert_false (satori_yamux_session_handle_input (server, in->data, 1, 0, &consumed, &error));
  g_assert_cmpuint (consumed, ==, 0);
  satori_yamux_session_free (server);
}

static void
test_bad_version (void)
{
  g_autoptr(GByteArray) in = g_byte_array_new ();
  append_frame (in, 2, 1, 0, 7);
  in->data[0] = 1;
  expect_protocol_error (in);
}

static void
test_bad_type (void)
{
  g_autoptr(GByteArray) in = g_byte_array_new ();
  append_frame (in, 4, 0, 0, 0);
  expect_protocol_error (in);
}

static void
test_bad_streams (void)
{
  g_autoptr(GByteArray) own_parity = g_byte_array_new ();
  g_autoptr(GByteArray) twice = g_byte_array_new ();
  g_autoptr(GByteArray) absurd = g_byte_array_new ();
  g_autoptr(GByteArray) zero = g_byte_array_new ();

  append_frame (own_parity, 1, 1, 2, 0);
  expect_protocol_error (own_parity);
  append_frame (twice, 1, 1, 3, 0);
  append_frame (twice, 1, 1, 3, 0);
  expect_protocol_error (twice);
  append_frame (absurd, 0, 0, 5, 0xffffffff);
  expect_protocol_error (absurd);
  append_frame (zero, 0, 0, 0, 1);
  expect_protocol_error (zero);
}

static void
test_over_window (void)
{
  g_autoptr(GByteArray) in = g_byte_array_new ();

  append_frame (in, 1, 1, 1, 0);
  append_frame (in, 0, 0, 1, SATORI_YAMUX_DEFAULT_WINDOW);
  g_byte_array_set_size (in, in->len + SATORI_YAMUX_DEFAULT_WINDOW);
  append_frame (in, 0, 0, 1, 1);
  expect_protocol_error (in);
}

static void
test_window_update (void)
{
  Pair pair;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *data = g_malloc0 (1024 * 1024);

  pair_init (&pair, NULL, NULL);
  pair.side[1].auto_consume = FALSE;
  guint32 id = satori_yamux_session_open_stream (pair.side[0].session, pair.now, &error);
  pump (&pair);

  /* Without consumption, the window caps what may be sent. */
  gsize n = satori_yamux_session_send (pair.side[0].session, id, data, 1024 * 1024, &error);
  g_assert_cmpuint (n, ==, SATORI_YAMUX_DEFAULT_WINDOW);
  g_assert_cmpuint (satori_yamux_session_send (pair.side[0].session, id, data, 1, &error), ==, 0);
  pump (&pair);
  g_assert_cmpuint (received (&pair.side[1], id)->len, ==, SATORI_YAMUX_DEFAULT_WINDOW);
  g_assert_cmpuint (satori_yamux_session_get_send_capacity (pair.side[0].session, id), ==, 0);

  /* Using less than half gives nothing back; half does (long after the
   * RTT, so no auto-tuning). */
  pair.now += 10 * G_USEC_PER_SEC;
  satori_yamux_session_consume (pair.side[1].session, id, 100 * 1024, pair.now);
  pump (&pair);
  g_assert_cmpuint (satori_yamux_session_get_send_capacity (pair.side[0].session, id), ==, 0);
  satori_yamux_session_consume (pair.side[1].session, id, 28 * 1024, pair.now);
  pump (&pair);
  g_assert_cmpint (find_event (&pair.side[0], SATORI_YAMUX_EVENT_STREAM_WRITABLE, id), >=, 0);
  g_assert_cmpuint (satori_yamux_session_get_send_capacity (pair.side[0].session, id), ==,
                    128 * 1024);
  g_assert_cmpuint (satori_yamux_session_get_receive_window (pair.side[1].session, id), ==,
                    SATORI_YAMUX_DEFAULT_WINDOW);
  pair_clear (&pair);
}

static void
test_window_autotune (void)
{
  Pair pair;
  g_autoptr(GError) error = NULL;
  SatoriYamuxConfig config;
  gsize total = 48 * 1024 * 1024, sent = 0;
  g_autofree guint8 *data = g_malloc0 (1024 * 1024);

  satori_yamux_config_init (&config);
  pair_init (&pair, &config, &config);
  satori_yamux_session_handle_timeout (pair.side[0].session, pair.now);
  satori_yamux_session_handle_timeout (pair.side[1].session, pair.now);
  guint32 id = satori_yamux_session_open_stream (pair.side[0].session, pair.now, &error);
  /* The RTT pings come back 10 ms later. */
  pair.now += 10000;
  pump (&pair);
  g_assert_cmpint (satori_yamux_session_get_rtt_us (pair.side[1].session), ==, 10000);

  gsize max_sent = 0;
  while (sent < total)
    {
      gsize n = satori_yamux_session_send (pair.side[0].session, id, data,
                                           MIN (1024 * 1024, total - sent), &error);
      g_assert_no_error (error);
      max_sent = MAX (max_sent, n);
      sent += n;
      pair.now += 1000;
      pump (&pair);
    }
  g_assert_cmpuint (received (&pair.side[1], id)->len, ==, total);
  g_assert_cmpuint (satori_yamux_session_get_receive_window (pair.side[1].session, id), ==,
                    config.max_window);
  g_assert_cmpuint (max_sent, >, SATORI_YAMUX_DEFAULT_WINDOW);
  pair_clear (&pair);
}

static void
test_ping (void)
{
  Pair pair;
  SatoriYamuxConfig config;

  satori_yamux_config_init (&config);
  config.keepalive_interval_us = G_USEC_PER_SEC;
  config.keepalive_timeout_us = G_USEC_PER_SEC / 2;
  pair_init (&pair, &config, &config);

  /* The first deadline starts the session, which pings to learn the RTT. */
  g_assert_cmpint (satori_yamux_session_next_deadline_us (pair.side[0].session), ==, 0);
  satori_yamux_session_handle_timeout (pair.side[0].session, pair.now);
  pair.now += 7000;
  pump (&pair);
  gint i = find_event (&pair.side[0], SATORI_YAMUX_EVENT_PING_RTT, 0);
  g_assert_cmpint (i, >=, 0);
  g_assert_cmpint (g_array_index (pair.side[0].events, SatoriYamuxEvent, i).rtt_us, ==, 7000);

  /* Keep-alive: a ping per interval; one left unanswered closes the session. */
  gint64 deadline = satori_yamux_session_next_deadline_us (pair.side[0].session);
  g_assert_cmpint (deadline, ==, 1000 + G_USEC_PER_SEC);
  satori_yamux_session_handle_timeout (pair.side[0].session, deadline);
  g_assert_cmpuint (satori_yamux_session_get_pending_output (pair.side[0].session), ==, 12);
  deadline = satori_yamux_session_next_deadline_us (pair.side[0].session);
  g_assert_cmpint (deadline, ==, 1000 + G_USEC_PER_SEC + G_USEC_PER_SEC / 2);
  satori_yamux_session_handle_timeout (pair.side[0].session, deadline);
  assert_logged ("keep-alive");
  g_assert_true (satori_yamux_session_is_closed (pair.side[0].session));
  collect_events (&pair, &pair.side[0]);
  i = find_event (&pair.side[0], SATORI_YAMUX_EVENT_SESSION_CLOSED, 0);
  g_assert_cmpint (i, >=, 0);
  g_assert_error (g_array_index (pair.side[0].events, SatoriYamuxEvent, i).error,
                  SATORI_YAMUX_ERROR, SATORI_YAMUX_ERROR_KEEPALIVE_TIMEOUT);
  g_assert_cmpint (satori_yamux_session_next_deadline_us (pair.side[0].session), ==, -1);
  pair_clear (&pair);
}

static void
test_go_away (void)
{
  Pair pair;
  g_autoptr(GError) error = NULL;

  pair_init (&pair, NULL, NULL);
  guint32 id = satori_yamux_session_open_stream (pair.side[0].session, pair.now, &error);
  pump (&pair);

  /* A normal GoAway: no new streams, the old ones go on. */
  satori_yamux_session_go_away (pair.side[1].session, SATORI_YAMUX_GO_AWAY_NORMAL);
  pump (&pair);
  gint i = find_event (&pair.side[0], SATORI_YAMUX_EVENT_GO_AWAY, 0);
  g_assert_cmpint (i, >=, 0);
  g_assert_cmpuint (g_array_index (pair.side[0].events, SatoriYamuxEvent, i).code, ==, 0);
  g_assert_cmpuint (satori_yamux_session_open_stream (pair.side[0].session, pair.now, &error),
                    ==, 0);
  g_assert_error (error, SATORI_YAMUX_ERROR, SATORI_YAMUX_ERROR_CLOSED);
  g_clear_error (&error);
  send_all (&pair, 0, id, (const guint8 *) "still", 5);
  pump (&pair);
  g_assert_cmpuint (received (&pair.side[1], id)->len, ==, 5);

  /* An error GoAway ends the session. */
  satori_yamux_session_go_away (pair.side[0].session, SATORI_YAMUX_GO_AWAY_INTERNAL_ERROR);
  g_assert_true (satori_yamux_session_is_closed (pair.side[0].session));
  pump (&pair);
  g_assert_true (satori_yamux_session_is_closed (pair.side[1].session));
  i = find_event (&pair.side[1], SATORI_YAMUX_EVENT_SESSION_CLOSED, 0);
  g_assert_cmpint (i, >=, 0);
  g_assert_error (g_array_index (pair.side[1].events, SatoriYamuxEvent, i).error,
                  SATORI_YAMUX_ERROR, SATORI_YAMUX_ERROR_GO_AWAY);
  pair_clear (&pair);
}

static void
test_max_streams (void)
{
  Pair pair;
  SatoriYamuxConfig client, server;
  g_autoptr(GError) error = NULL;

  satori_yamux_config_init (&client);
  satori_yamux_config_init (&server);
  client.max_streams = 6;
  server.max_streams = 3;
  pair_init (&pair, &client, &server);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (satori_yamux_session_open_stream (pair.side[0].session, pair.now, &error),
                      ==, 2 * i + 1);
  pump (&pair);
  for (guint32 id = 1; id <= 5; id += 2)
    g_assert_cmpint (find_event (&pair.side[1], SATORI_YAMUX_EVENT_STREAM_OPENED, id), >=, 0);
  g_assert_cmpuint (satori_yamux_session_get_n_streams (pair.side[1].session), ==, 3);
  g_assert_cmpint (find_event (&pair.side[0], SATORI_YAMUX_EVENT_STREAM_RESET, 7), >=, 0);
  g_assert_cmpint (find_event (&pair.side[0], SATORI_YAMUX_EVENT_STREAM_RESET, 9), >=, 0);
  g_assert_cmpuint (satori_yamux_session_get_n_streams (pair.side[0].session), ==, 3);

  /* The local limit. */
  for (guint i = 0; i < 3; i++)
    satori_yamux_session_open_stream (pair.side[0].session, pair.now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (satori_yamux_session_open_stream (pair.side[0].session, pair.now, &error),
                    ==, 0);
  g_assert_error (error, SATORI_YAMUX_ERROR, SATORI_YAMUX_ERROR_TOO_MANY_STREAMS);
  pair_clear (&pair);
}

static void
test_reset (void)
{
  Pair pair;
  g_autoptr(GError) error = NULL;

  pair_init (&pair, NULL, NULL);
  guint32 id = satori_yamux_session_open_stream (pair.side[0].session, pair.now, &error);
  send_all (&pair, 0, id, (const guint8 *) "abc", 3);
  satori_yamux_session_reset_stream (pair.side[0].session, id);
  g_assert_cmpuint (satori_yamux_session_get_n_streams (pair.side[0].session), ==, 0);
  pump (&pair);
  g_assert_cmpint (find_event (&pair.side[1], SATORI_YAMUX_EVENT_STREAM_RESET, id), >=, 0);
  g_assert_cmpuint (satori_yamux_session_get_n_streams (pair.side[1].session), ==, 0);
  g_assert_cmpuint (satori_yamux_session_send (pair.side[0].session, id,
                                               (const guint8 *) "x", 1, &error), ==, 0);
  g_assert_error (error, SATORI_YAMUX_ERROR, SATORI_YAMUX_ERROR_CLOSED);
  pair_clear (&pair);
}


/* Takes all output in pieces of @chunk bytes. */
static void
drain_into (SatoriYamuxSession *session, GByteArray *wire, gsize chunk)
{
  guint8 buf[4096];
  gsize n;

  g_assert_cmpuint (chunk, <=, sizeof buf);
  while ((n = satori_yamux_session_poll_transmit (session, buf, chunk)) > 0)
    g_byte_array_append (wire, buf, n);
}

/* How many payload bytes of stream @bulk precede the first data of stream
 * @id on @wire. */
static gsize
bulk_before (const GByteArray *wire, guint32 bulk, guint32 id)
{
  gsize before = 0;

  for (gsize pos = 0; pos + 12 <= wire->len;)
    {
      const guint8 *h = wire->data + pos;
      guint32 sid = read_be32 (h + 4), length = read_be32 (h + 8);

      if (h[1] == 0 && sid == id && length > 0)
        return before;
      if (h[1] == 0 && sid == bulk)
        before += length;
      pos += 12 + (h[1] == 0 ? length : 0);
    }
  g_assert_not_reached ();
}

/* Stream A has a lot queued, maybe part of a frame of it is out; stream B
 * then writes a short message. B's bytes go out within the next frame or
 * two of A's, not after all of A's: both when A's bulk took the whole
 * output room (B's write is still taken) and when it did not. The we-dial
 * interop test had js-libp2p reset streams whose multistream proposal
 * waited 10 s behind other streams' echo data. */
static void
test_small_write_not_behind_bulk (void)
{
  static const struct { gsize max_pending, first_out; } cases[] = {
    { 192 * 1024, 0 }, { 192 * 1024, 1000 }, { 1024 * 1024, 1000 },
  };

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = NULL;
      SatoriYamuxConfig config;
      gsize bulk = SATORI_YAMUX_DEFAULT_WINDOW;
      g_autofree guint8 *data = g_malloc (bulk);
      g_autoptr(GByteArray) wire = g_byte_array_new ();
      guint8 buf[1000];
      gboolean fin;

      for (gsize i = 0; i < bulk; i++)
        data[i] = (guint8) (i * 7 + (i >> 11));
      satori_yamux_config_init (&config);
      config.max_pending_output = cases[c].max_pending;
      SatoriYamuxSession *client = satori_yamux_session_new (TRUE, &config);
      guint32 a = satori_yamux_session_open_stream (client, 0, &error);
      guint32 b = satori_yamux_session_open_stream (client, 0, &error);
      g_assert_no_error (error);
      gsize taken = satori_yamux_session_send (client, a, data, bulk, &error);
      /* Room was left for the two SYNs and the RTT ping only. */
      g_assert_cmpuint (taken, ==, MIN (bulk, cases[c].max_pending - 3 * 12));
      gsize n = satori_yamux_session_poll_transmit (client, buf, cases[c].first_out);
      g_byte_array_append (wire, buf, n);

      g_assert_cmpuint (satori_yamux_session_send (client, b, (const guint8 *) "/echo\n", 6,
                                                   &error), ==, 6);
      g_assert_true (satori_yamux_session_close_stream (client, a, &error));
      drain_into (client, wire, 1000);
      g_assert_cmpuint (bulk_before (wire, a, b), <=, 2 * config.max_message_size);

      g_autoptr(GByteArray) got_a = received_flags_first (wire, a, &fin);
      g_assert_true (fin);
      g_assert_cmpmem (got_a->data, got_a->len, data, taken);
      g_autoptr(GByteArray) got_b = received_flags_first (wire, b, &fin);
      g_assert_cmpmem (got_b->data, got_b->len, "/echo\n", 6);
      satori_yamux_session_free (client);
    }
}

/* Three streams with bulk queued take turns frame by frame: none waits
 * for another to finish, and each one's bytes arrive whole and in order
 * through a real receiver. */
static void
test_streams_take_turns (void)
{
  Pair pair;
  g_autoptr(GError) error = NULL;
  gsize len = 200 * 1024;
  g_autofree guint8 *data = g_malloc (len);
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  guint32 ids[3];

  pair_init (&pair, NULL, NULL);
  fill_random (pair.rand, data, len);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      ids[i] = satori_yamux_session_open_stream (pair.side[0].session, pair.now, &error);
      g_assert_cmpuint (satori_yamux_session_send (pair.side[0].session, ids[i], data, len,
                                                   &error), ==, len);
      g_assert_no_error (error);
    }
  drain_into (pair.side[0].session, wire, 4096);

  /* The data frames in order of transmission: 0, 1, 2, 0, 1, 2, ... */
  guint k = 0;
  for (gsize pos = 0; pos + 12 <= wire->len; k++)
    {
      const guint8 *h = wire->data + pos;
      guint32 length = read_be32 (h + 8);

      if (h[1] != 0)
        k--;
      else
        g_assert_cmpuint (read_be32 (h + 4), ==, ids[k % 3]);
      pos += 12 + (h[1] == 0 ? length : 0);
    }
  g_assert_cmpuint (k, ==, 3 * ((len + 65535) / 65536));

  g_byte_array_append (pair.side[1].inbox, wire->data, wire->len);
  pump (&pair);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpmem (received (&pair.side[1], ids[i])->data,
                     received (&pair.side[1], ids[i])->len, data, len);
  pair_clear (&pair);
}

/* A stream reset while one of its frames is partly out: that frame is
 * finished (the remote reads frames whole), the rest of its data is
 * dropped, and the other stream's data and the RST follow intact. */
static void
test_reset_mid_frame (void)
{
  Pair pair;
  g_autoptr(GError) error = NULL;
  gsize len = 100 * 1024;
  g_autofree guint8 *data = g_malloc (len);
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  guint8 buf[100];

  pair_init (&pair, NULL, NULL);
  fill_random (pair.rand, data, len);
  guint32 a = satori_yamux_session_open_stream (pair.side[0].session, pair.now, &error);
  guint32 b = satori_yamux_session_open_stream (pair.side[0].session, pair.now, &error);
  g_assert_cmpuint (satori_yamux_session_send (pair.side[0].session, a, data, len, &error), ==,
                    len);
  g_assert_cmpuint (satori_yamux_session_send (pair.side[0].session, b, data, 10, &error), ==,
                    10);
  /* The SYNs, the RTT ping and the start of A's first frame. */
  gsize n = satori_yamux_session_poll_transmit (pair.side[0].session, buf, sizeof buf);
  g_byte_array_append (wire, buf, n);
  satori_yamux_session_reset_stream (pair.side[0].session, a);
  drain_into (pair.side[0].session, wire, 1000);
  g_assert_cmpuint (satori_yamux_session_get_pending_output (pair.side[0].session), ==, 0);

  g_byte_array_append (pair.side[1].inbox, wire->data, wire->len);
  pump (&pair);
  g_assert_false (satori_yamux_session_is_closed (pair.side[1].session));
  g_assert_cmpint (find_event (&pair.side[1], SATORI_YAMUX_EVENT_STREAM_RESET, a), >=, 0);
  g_assert_cmpmem (received (&pair.side[1], a)->data, received (&pair.side[1], a)->len, data,
                   65536);
  g_assert_cmpmem (received (&pair.side[1], b)->data, received (&pair.side[1], b)->len, data,
                   10);
  pair_clear (&pair);
}

/* How many frames of @bytes (as transmitted_without_pings() returns them)
 * carry SYN. */
static guint
count_syns (GByteArray *bytes)
{
  guint n = 0;

  for (gsize pos = 0; pos + 12 <= bytes->len;)
    {
      if (bytes->data[pos + 3] & 1)
        n++;
      pos += 12 + (bytes->data[pos + 1] == 0 ? read_be32 (bytes->data + pos + 8) : 0);
    }
  return n;
}

/* Until the remote has answered on one of our streams (or opened one), at
 * most 8 SYNs go out, ACKed or not: js-libp2p ACKs streams that arrive
 * before its side of the connection is set up, and aborts the connection
 * past 10 of them. Then the ACK backlog bounds the streams waiting for an
 * ACK. Waiting streams take no data, become writable when their SYN goes,
 * and one closed or reset while waiting keeps the order. */
static void
test_ack_backlog (void)
{
  Pair pair;
  SatoriYamuxConfig client;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) input_error = NULL;
  guint32 ids[20];
  gsize consumed;

  satori_yamux_config_init (&client);
  client.max_unacked_streams = 10;
  pair_init (&pair, &client, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = satori_yamux_session_open_stream (pair.side[0].session, pair.now, &error);
  g_assert_no_error (error);

  g_autoptr(GByteArray) first = transmitted_without_pings (pair.side[0].session);
  g_assert_cmpuint (count_syns (first), ==, 8);
  g_assert_cmpuint (satori_yamux_session_get_send_capacity (pair.side[0].session, ids[8]), ==, 0);
  g_assert_cmpuint (satori_yamux_session_send (pair.side[0].session, ids[8],
                                               (const guint8 *) "x", 1, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_true (satori_yamux_session_close_stream (pair.side[0].session, ids[9], &error));
  satori_yamux_session_reset_stream (pair.side[0].session, ids[10]);

  /* The server acknowledges the 8 without a word: still no more SYNs. */
  satori_yamux_session_handle_input (pair.side[1].session, first->data, first->len, pair.now,
                                     &consumed, &input_error);
  g_assert_no_error (input_error);
  g_autoptr(GByteArray) acks = transmitted_without_pings (pair.side[1].session);
  satori_yamux_session_handle_input (pair.side[0].session, acks->data, acks->len, pair.now,
                                     &consumed, &input_error);
  g_assert_no_error (input_error);
  g_autoptr(GByteArray) none = transmitted_without_pings (pair.side[0].session);
  g_assert_cmpuint (count_syns (none), ==, 0);

  /* It answers on one of them: the rest go, 10 at most without an ACK. */
  g_assert_cmpuint (satori_yamux_session_send (pair.side[1].session, ids[0],
                                               (const guint8 *) "hi", 2, &error), ==, 2);
  g_autoptr(GByteArray) answer = transmitted_without_pings (pair.side[1].session);
  satori_yamux_session_handle_input (pair.side[0].session, answer->data, answer->len, pair.now,
                                     &consumed, &input_error);
  g_assert_no_error (input_error);
  collect_events (&pair, &pair.side[0]);
  g_assert_cmpint (find_event (&pair.side[0], SATORI_YAMUX_EVENT_STREAM_WRITABLE, ids[8]), >=, 0);
  g_autoptr(GByteArray) rest = transmitted_without_pings (pair.side[0].session);
  g_assert_cmpuint (count_syns (rest), ==, 10);
  g_byte_array_append (pair.side[1].inbox, rest->data, rest->len);

  pump (&pair);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpint (find_event (&pair.side[1], SATORI_YAMUX_EVENT_STREAM_OPENED, ids[i]) >= 0,
                     ==, i != 10);
  g_assert_cmpint (find_event (&pair.side[1], SATORI_YAMUX_EVENT_STREAM_FINISHED, ids[9]), >=, 0);
  send_all (&pair, 0, ids[8], (const guint8 *) "late", 4);
  pump (&pair);
  g_assert_cmpmem (received (&pair.side[1], ids[8])->data, 4, "late", 4);
  pair_clear (&pair);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_test_summary ("The yamux core against itself and against frames from the spec");
  g_test_add_func ("/yamux/session/open-accept", test_open_accept);
  g_test_add_func ("/yamux/session/frames", test_frames);
  g_test_add_func ("/yamux/session/fin-after-queued-data", test_fin_after_queued_data);
  g_test_add_func ("/yamux/session/bad-version", test_bad_version);
  g_test_add_func ("/yamux/session/bad-type", test_bad_type);
  g_test_add_func ("/yamux/session/bad-streams", test_bad_streams);
  g_test_add_func ("/yamux/session/over-window", test_over_window);
  g_test_add_func ("/yamux/session/window-update", test_window_update);
  g_test_add_func ("/yamux/session/window-autotune", test_window_autotune);
  g_test_add_func ("/yamux/session/ping", test_ping);
  g_test_add_func ("/yamux/session/go-away", test_go_away);
  g_test_add_func ("/yamux/session/max-streams", test_max_streams);
  g_test_add_func ("/yamux/session/reset", test_reset);
  g_test_add_func ("/yamux/session/ack-backlog", test_ack_backlog);
  g_test_add_func ("/yamux/session/small-write-not-behind-bulk", test_small_write_not_behind_bulk);
  g_test_add_func ("/yamux/session/streams-take-turns", test_streams_take_turns);
  g_test_add_func ("/yamux/session/reset-mid-frame", test_reset_mid_frame);
  return g_test_run ();
}
