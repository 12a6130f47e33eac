/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-multistream.h"

#include <string.h>

#include "satori-frame.h"
#include "satori-varint.h"

#define MSG_NA "na"
#define MSG_LS "ls"

/* How much of a peer's line goes into an error message. */
#define QUOTE_CHARS 64

typedef enum {
  STATE_AWAIT_HEADER,
  STATE_NEGOTIATING,
  STATE_DONE,
} State;

struct _SatoriMultistream
{
  SatoriMultistreamRole role;
  GStrv protocols;
  guint next_proposal;      /* dialer: index of the protocol to propose next */
  State state;
  SatoriFrameReader *reader;
  GByteArray *out;
  const char *selected;     /* points into protocols */
  GError *error;            /* set once negotiation failed */
};

static gboolean
is_valid_protocol_id (const char *id)
{
  gsize len = strlen (id);

  return len > 0 && len < SATORI_MULTISTREAM_MAX_MESSAGE &&
         strchr (id, '\n') == NULL && g_utf8_validate (id, len, NULL) &&
         strcmp (id, MSG_NA) != 0 && strcmp (id, MSG_LS) != 0 &&
         strcmp (id, SATORI_MULTISTREAM_PROTOCOL_ID) != 0;
}

static gboolean
are_valid_protocol_ids (const char * const *protocols)
{
  for (gsize i = 0; protocols[i] != NULL; i++)
    if (!is_valid_protocol_id (protocols[i]))
      return FALSE;
  return TRUE;
}

static void
queue_message (SatoriMultistream *self, const char *text)
{
  gsize len = strlen (text);

  satori_varint_append (self->out, len + 1);
  g_byte_array_append (self->out, (const guint8 *) text, len);
  g_byte_array_append (self->out, (const guint8 *) "\n", 1);
}

/* The reply to "ls": one message holding each protocol id as a message of
 * its own, then a newline (the layout rust-libp2p reads and writes). */
static void
queue_protocol_list (SatoriMultistream *self)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();

  for (gsize i = 0; self->protocols[i] != NULL; i++)
    {
      gsize len = strlen (self->protocols[i]);
      satori_varint_append (body, len + 1);
      g_byte_array_append (body, (const guint8 *) self->protocols[i], len);
      g_byte_array_append (body, (const guint8 *) "\n", 1);
    }
  g_byte_array_append (body, (const guint8 *) "\n", 1);
  satori_frame_append (self->out, body->data, body->len);
}

/**
 * satori_multistream_new:
 * @role: dialer or listener
 * @protocols: (array zero-terminated=1): protocol ids; for a dialer, the
 *   ones to propose in order of preference (at least one), for a listener,
 *   the ones it accepts. Ids are non-empty UTF-8 without a newline, and
 *   are not `na`, `ls` or the multistream id itself.
 *
 * Creates a negotiation and queues its first bytes: the multistream header
 * and, for a dialer, its first proposal in the same write (the dialer does
 * not wait for the listener's header).
 *
 * Returns: (transfer full): a new negotiation
 */
SatoriMultistream *
satori_multistream_new (SatoriMultistreamRole role, const char * const *protocols)
{
  g_return_val_if_fail (role == SATORI_MULTISTREAM_ROLE_DIALER ||
                        role == SATORI_MULTISTREAM_ROLE_LISTENER, NULL);
  g_return_val_if_fail (protocols != NULL, NULL);
  g_return_val_if_fail (role == SATORI_MULTISTREAM_ROLE_LISTENER || protocols[0] != NULL, NULL);
  g_return_val_if_fail (are_valid_protocol_ids (protocols), NULL);

  SatoriMultistream *self = g_new0 (SatoriMultistream, 1);
  self->role = role;
  self->protocols = g_strdupv ((char **) protocols);
  self->state = STATE_AWAIT_HEADER;
  self->reader = satori_frame_reader_new (SATORI_MULTISTREAM_MAX_MESSAGE);
  self->out = g_byte_array_new ();

  queue_message (self, SATORI_MULTISTREAM_PROTOCOL_ID);
  if (role == SATORI_MULTISTREAM_ROLE_DIALER)
    queue_message (self, self->protocols[self->next_proposal++]);
  return self;
}

/**
 * satori_multistream_free:
 * @self: (transfer full) (nullable): a negotiation
 *
 * Frees @self.
 */
void
satori_multistream_free (SatoriMultistream *self)
{
  if (self == NULL)
    return;
  g_strfreev (self->protocols);
  satori_frame_reader_free (self->reader);
  g_byte_array_unref (self->out);
  g_clear_error (&self->error);
  g_free (self);
}

/* A short, printable rendering of a line the peer sent. */
static char *
quote_line (const char *line)
{
  glong chars = g_utf8_strlen (line, -1);
  /* g_utf8_substring() must not be asked for more than there is. */
  g_autofree char *head = g_utf8_substring (line, 0, MIN (chars, QUOTE_CHARS));
  g_autofree char *escaped = g_strescape (head, NULL);

  return g_strdup_printf ("\"%s\"%s", escaped, chars > QUOTE_CHARS ? "..." : "");
}

static gboolean
handle_dialer_line (SatoriMultistream *self, const char *line, GError **error)
{
  const char *proposed = self->protocols[self->next_proposal - 1];

  if (strcmp (line, proposed) == 0)
    {
      self->selected = proposed;
      self->state = STATE_DONE;
      return TRUE;
    }
  if (strcmp (line, MSG_NA) != 0)
    {
      g_autofree char *quoted = quote_line (line);
      g_set_error (error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_PROTOCOL,
                   "expected \"%s\" or \"na\" in reply to our proposal, got %s",
                   proposed, quoted);
      return FALSE;
    }
  if (self->protocols[self->next_proposal] == NULL)
    {
      g_autofree char *list = g_strjoinv (", ", self->protocols);
      g_set_error (error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED,
                   "the peer supports none of the protocols we proposed (%s)", list);
      return FALSE;
    }
  queue_message (self, self->protocols[self->next_proposal++]);
  return TRUE;
}

static void
handle_listener_line (SatoriMultistream *self, const char *line)
{
  if (strcmp (line, MSG_LS) == 0)
    {
      queue_protocol_list (self);
      return;
    }
  for (gsize i = 0; self->protocols[i] != NULL; i++)
    if (strcmp (line, self->protocols[i]) == 0)
      {
        queue_message (self, self->protocols[i]);
        self->selected = self->protocols[i];
        self->state = STATE_DONE;
        return;
      }
  queue_message (self, MSG_NA);
}

static gboolean
handle_message (SatoriMultistream *self, GBytes *message, GError **error)
{
  gsize size;
  const char *data = g_bytes_get_data (message, &size);

  if (size == 0 || data[size - 1] != '\n')
    {
      g_set_error_literal (error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_PROTOCOL,
                           "multistream message does not end in a newline");
      return FALSE;
    }
  /* Also refuses NUL bytes, so the line is a C string from here on. */
  if (!g_utf8_validate_len (data, size - 1, NULL))
    {
      g_set_error_literal (error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_PROTOCOL,
                           "multistream message is not UTF-8 text");
      return FALSE;
    }

  g_autofree char *line = g_strndup (data, size - 1);
  if (self->state == STATE_AWAIT_HEADER)
    {
      if (strcmp (line, SATORI_MULTISTREAM_PROTOCOL_ID) != 0)
        {
          g_autofree char *quoted = quote_line (line);
          g_set_error (error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_PROTOCOL,
                       "expected the header \"%s\", got %s",
                       SATORI_MULTISTREAM_PROTOCOL_ID, quoted);
          return FALSE;
        }
      self->state = STATE_NEGOTIATING;
      return TRUE;
    }
  if (self->role == SATORI_MULTISTREAM_ROLE_DIALER)
    return handle_dialer_line (self, line, error);
  handle_listener_line (self, line);
  return TRUE;
}

/**
 * satori_multistream_handle_input:
 * @self: a negotiation
 * @data: (array length=len): bytes from the peer
 * @len: how many bytes @data holds
 * @consumed: (out): how many bytes of @data belong to the negotiation
 * @error: a %SATORI_MULTISTREAM_ERROR: %SATORI_MULTISTREAM_ERROR_PROTOCOL
 *   when the peer breaks the protocol, %SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED
 *   when a dialer's last proposal is refused
 *
 * Feeds bytes from the peer. Partial messages are kept until the rest
 * arrives. Input stops being taken at the end of the message that
 * completes the negotiation: the bytes after it (from @consumed on) belong
 * to the selected protocol and stay with the caller. Once done, nothing
 * more is consumed.
 *
 * Afterwards, send what satori_multistream_poll_transmit() gives, even
 * when the negotiation is done (a listener's echo) or failed (nothing).
 * After an error, every later call fails again.
 *
 * Returns: %FALSE on error
 */
gboolean
satori_multistream_handle_input (SatoriMultistream *self, const guint8 *data, gsize len,
                                 gsize *consumed, GError **error)
{
  gsize pos = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (consumed != NULL, FALSE);

  *consumed = 0;
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }

  while (pos < len && self->state != STATE_DONE)
    {
      g_autoptr(GBytes) message = NULL;
      g_autoptr(GError) codec_error = NULL;
      gsize n;

      if (!satori_frame_reader_feed (self->reader, data + pos, len - pos, &n,
                                     &message, &codec_error))
        {
          pos += n;
          g_set_error (&self->error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_PROTOCOL,
                       "bad multistream message: %s", codec_error->message);
          break;
        }
      pos += n;
      if (message != NULL && !handle_message (self, message, &self->error))
        break;
    }

  *consumed = pos;
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return TRUE;
}

/**
 * satori_multistream_get_wanted:
 * @self: a negotiation
 *
 * How many bytes @self can take next without reaching past the end of the
 * message it is reading: a stream adapter that must leave the bytes after
 * the negotiation unread reads exactly this many at a time.
 *
 * Returns: the number of bytes, 0 once done or failed
 */
gsize
satori_multistream_get_wanted (SatoriMultistream *self)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->state == STATE_DONE || self->error != NULL)
    return 0;
  return satori_frame_reader_get_wanted (self->reader);
}

/**
 * satori_multistream_poll_transmit:
 * @self: a negotiation
 * @buf: (array length=cap) (out caller-allocates): where to write
 * @cap: the size of @buf
 *
 * Takes up to @cap of the bytes waiting to go to the peer. Call until it
 * returns 0.
 *
 * Returns: how many bytes were written to @buf
 */
gsize
satori_multistream_poll_transmit (SatoriMultistream *self, guint8 *buf, gsize cap)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (buf != NULL || cap == 0, 0);

  gsize n = MIN (cap, self->out->len);
  if (n > 0)
    {
      memcpy (buf, self->out->data, n);
      g_byte_array_remove_range (self->out, 0, n);
    }
  return n;
}

/**
 * satori_multistream_poll_transmit_bytes:
 * @self: a negotiation
 *
 * Takes all the bytes waiting to go to the peer.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL when there are none
 */
GBytes *
satori_multistream_poll_transmit_bytes (SatoriMultistream *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->out->len == 0)
    return NULL;
  GBytes *bytes = g_byte_array_free_to_bytes (g_steal_pointer (&self->out));
  self->out = g_byte_array_new ();
  return bytes;
}

/**
 * satori_multistream_is_done:
 * @self: a negotiation
 *
 * Whether a protocol was agreed. Pending output (a listener's echo) may
 * still have to be sent.
 *
 * Returns: %TRUE once a protocol is selected
 */
gboolean
satori_multistream_is_done (SatoriMultistream *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->state == STATE_DONE;
}

/**
 * satori_multistream_get_selected_protocol:
 * @self: a negotiation
 *
 * Returns: (nullable): the agreed protocol id, owned by @self, or %NULL
 *   until satori_multistream_is_done()
 */
const char *
satori_multistream_get_selected_protocol (SatoriMultistream *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->selected;
}
