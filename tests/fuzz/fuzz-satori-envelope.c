/* Fuzz target: one /satori/1.0.0 message as the service reads it (the whole
 * stream). Nothing may crash or leak; what parses is self-consistent, and
 * a request, response or stored message rebuilt from it parses back to the
 * same id.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-message-envelope.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(SatoriMessageEnvelope) envelope = satori_message_envelope_parse (data, size, NULL);

  if (envelope == NULL)
    return 0;
  switch (envelope->kind)
    {
    case SATORI_MESSAGE_PLAIN:
      g_assert_nonnull (envelope->body);
      g_assert_true (envelope->route == SATORI_MESSAGE_ROUTE_NONE ||
                     envelope->stream_id != NULL || envelope->peer_id != NULL);
      break;
    case SATORI_MESSAGE_REQUEST:
      {
        g_assert_nonnull (envelope->id);
        g_autoptr(GBytes) again = satori_message_envelope_new_request (envelope->body,
                                                                       envelope->id, NULL);
        g_assert_nonnull (again);
        g_autoptr(SatoriMessageEnvelope) back = satori_message_envelope_parse (
          g_bytes_get_data (again, NULL), g_bytes_get_size (again), NULL);
        g_assert_nonnull (back);
        g_assert_cmpint (back->kind, ==, SATORI_MESSAGE_REQUEST);
        g_assert_cmpstr (back->id, ==, envelope->id);
        break;
      }
    case SATORI_MESSAGE_RESPONSE:
      g_assert_nonnull (envelope->id);
      g_assert_true ((envelope->error != NULL) != (envelope->body != NULL));
      if (envelope->body != NULL)
        {
          g_autoptr(GBytes) again = satori_message_envelope_new_response (envelope->id,
                                                                          envelope->body, NULL);
          g_assert_nonnull (again);
        }
      break;
    case SATORI_MESSAGE_ENCRYPTED:
      g_assert_nonnull (envelope->body);
      break;
    case SATORI_MESSAGE_STORED:
      {
        g_assert_nonnull (envelope->id);
        g_assert_nonnull (envelope->source_peer);
        g_assert_nonnull (envelope->body);
        g_autoptr(GBytes) again = satori_message_envelope_new_stored (envelope->body, envelope->id,
                                                                      envelope->source_peer,
                                                                      envelope->stream_id);
        g_autoptr(SatoriMessageEnvelope) back = satori_message_envelope_parse (
          g_bytes_get_data (again, NULL), g_bytes_get_size (again), NULL);
        g_assert_nonnull (back);
        g_assert_cmpint (back->kind, ==, SATORI_MESSAGE_STORED);
        g_assert_cmpstr (back->id, ==, envelope->id);
        g_assert_cmpstr (back->source_peer, ==, envelope->source_peer);
        break;
      }
    }
  return 0;
}
