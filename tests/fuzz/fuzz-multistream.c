/* Fuzz target: the multistream-select core, as dialer or listener, fed
 * the peer's bytes in chunks and all at once; both runs must agree. The
 * first byte picks the role (bit 0), whether to feed exactly what
 * get_wanted() asks (bit 1) and the chunk sizes; the rest is the input.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-errors.h"
#include "satori-multistream.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char * const protocols[] = { "/noise", "/tls/1.0.0", "/yamux/1.0.0", NULL };

typedef struct
{
  gboolean done;
  char *selected;
  GQuark error_domain;
  int error_code;
  gsize consumed;
  GByteArray *sent;
} Outcome;

static void
drain (SatoriMultistream *ms, GByteArray *sent)
{
  g_autoptr(GBytes) bytes = satori_multistream_poll_transmit_bytes (ms);
  if (bytes != NULL)
    g_byte_array_append (sent, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static const char *
check_selected (SatoriMultistream *ms)
{
  const char *selected = satori_multistream_get_selected_protocol (ms);

  g_assert_true (satori_multistream_is_done (ms) == (selected != NULL));
  if (selected != NULL)
    g_assert_true (g_strv_contains (protocols, selected));
  return selected;
}

static void
run (SatoriMultistreamRole role, const uint8_t *data, size_t size, guint chunk_seed,
     gboolean follow_wanted, Outcome *outcome)
{
  g_autoptr(SatoriMultistream) ms = satori_multistream_new (role, protocols);
  g_autoptr(GError) error = NULL;
  gsize pos = 0;

  outcome->sent = g_byte_array_new ();
  drain (ms, outcome->sent);
  while (pos < size)
    {
      gsize wanted = satori_multistream_get_wanted (ms);
      gsize chunk = chunk_seed == 0 ? size - pos : MIN ((chunk_seed + pos) % 13 + 1, size - pos);
      gsize consumed = G_MAXSIZE;

      g_assert_cmpuint (wanted, >=, 1);
      g_assert_cmpuint (wanted, <=, SATORI_MULTISTREAM_MAX_MESSAGE);
      if (follow_wanted)
        chunk = MIN (chunk, wanted);

      gboolean ok = satori_multistream_handle_input (ms, data + pos, chunk, &consumed, &error);
      g_assert_cmpuint (consumed, <=, chunk);
      pos += consumed;
      drain (ms, outcome->sent);
      if (!ok)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == SATORI_MULTISTREAM_ERROR);
          g_assert_cmpuint (satori_multistream_get_wanted (ms), ==, 0);
          g_assert_false (satori_multistream_is_done (ms));
          break;
        }
      g_assert_no_error (error);
      if (satori_multistream_is_done (ms))
        break;
      /* Still negotiating: all of the chunk was taken. */
      g_assert_cmpuint (consumed, ==, chunk);
    }

  outcome->done = satori_multistream_is_done (ms);
  outcome->selected = g_strdup (check_selected (ms));
  outcome->error_domain = error != NULL ? error->domain : 0;
  outcome->error_code = error != NULL ? error->code : -1;
  outcome->consumed = pos;

  /* Done and failed cores take nothing more. */
  if (outcome->done || error != NULL)
    {
      g_autoptr(GError) again = NULL;
      gsize consumed = G_MAXSIZE;
      gboolean ok = satori_multistream_handle_input (ms, data, size, &consumed, &again);

      g_assert_cmpuint (consumed, ==, 0);
      g_assert_true (ok == (error == NULL));
      drain (ms, outcome->sent);
    }
  /* Output grows with input, never much faster: at worst a protocol
   * list in reply to each 4-byte "ls". */
  g_assert_cmpuint (outcome->sent->len, <=, 64 + 16 * size);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  SatoriMultistreamRole role = (data[0] & 1) ? SATORI_MULTISTREAM_ROLE_LISTENER
                                             : SATORI_MULTISTREAM_ROLE_DIALER;
  gboolean follow_wanted = (data[0] & 2) != 0;
  guint chunk_seed = data[0] >> 2;
  Outcome chunked = { 0 }, whole = { 0 };

  run (role, data + 1, size - 1, chunk_seed, follow_wanted, &chunked);
  run (role, data + 1, size - 1, 0, FALSE, &whole);

  g_assert_true (chunked.done == whole.done);
  g_assert_cmpstr (chunked.selected, ==, whole.selected);
  g_assert_true (chunked.error_domain == whole.error_domain);
  g_assert_cmpint (chunked.error_code, ==, whole.error_code);
  g_assert_cmpuint (chunked.consumed, ==, whole.consumed);
  g_assert_cmpmem (chunked.sent->data, chunked.sent->len, whole.sent->data, whole.sent->len);

  g_free (chunked.selected);
  g_free (whole.selected);
  g_byte_array_unref (chunked.sent);
  g_byte_array_unref (whole.sent);
  return 0;
}
