/* Fuzz target: the lazy dialer (SatoriMultistreamLazyStream) reading the
 * peer's answer from an in-memory pipe, checked against the sans-I/O core
 * fed the same bytes at once: after a confirmed echo the reader gets
 * exactly the bytes behind it; otherwise the same error (or
 * CONNECTION_CLOSED when the answer stops short). The first byte picks
 * the read sizes; the rest is the answer, followed by the end.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gio/gio.h>
#include <stdint.h>

#include "satori-errors.h"
#include "satori-multistream-lazy-stream.h"
#include "satori-multistream.h"
#include "satori-pipe.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define PROTOCOL "/noise"

/* What the core makes of @answer: NULL and *after set when confirmed. */
static GError *
expected_outcome (const uint8_t *answer, size_t size, gsize *after)
{
  const char *protocols[] = { PROTOCOL, NULL };
  g_autoptr(SatoriMultistream) core = satori_multistream_new (SATORI_MULTISTREAM_ROLE_DIALER,
                                                              protocols);
  GError *error = NULL;
  gsize consumed;

  if (!satori_multistream_handle_input (core, answer, size, &consumed, &error))
    return error;
  if (!satori_multistream_is_done (core))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "short");
  *after = consumed;
  return NULL;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  gsize read_size = data[0] % 17 + 1;
  const uint8_t *answer = data + 1;
  gsize answer_len = size - 1;
  g_autoptr(GIOStream) ours = NULL;
  g_autoptr(GIOStream) theirs = NULL;
  g_autoptr(GError) error = NULL;

  /* Room for everything, so that no call blocks. */
  satori_pipe_new_pair (answer_len + 64, &ours, &theirs);
  g_output_stream_write_all (g_io_stream_get_output_stream (theirs), answer, answer_len, NULL,
                             NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_io_stream_get_output_stream (theirs), NULL, &error);
  g_assert_no_error (error);

  g_autoptr(GIOStream) lazy = satori_multistream_lazy_stream_new (ours, PROTOCOL);
  GInputStream *input = g_io_stream_get_input_stream (lazy);
  g_autoptr(GByteArray) got = g_byte_array_new ();
  guint8 buf[17];
  gssize n;
  while ((n = g_input_stream_read (input, buf, read_size, NULL, &error)) > 0)
    g_byte_array_append (got, buf, n);

  gsize after = 0;
  g_autoptr(GError) expected = expected_outcome (answer, answer_len, &after);
  if (expected == NULL)
    {
      g_assert_no_error (error);
      g_assert_cmpmem (got->data, got->len, answer + after, answer_len - after);
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == expected->domain);
      g_assert_cmpint (error->code, ==, expected->code);
      g_assert_cmpuint (got->len, ==, 0);
    }
  return 0;
}
