/* Fuzz target: AutoNAT v1 messages as a server and a client read them
 * from a stream: varint length-prefixed frames, each decoded. What
 * decodes must encode again (a DIAL with its peer id and addresses, a
 * response with its status, text and address) and decode to the same;
 * the dial targets a server would derive stay on the observed IP.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-autonat-message.h"
#include "satori-autonat-targets.h"
#include "satori-peers-nat.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_message (const SatoriAutonatMessage *message)
{
  static SatoriMultiaddr *observed;
  g_autoptr(GBytes) again = NULL;

  if (observed == NULL)
    observed = satori_multiaddr_new_from_string ("/ip4/8.8.4.4/tcp/4001", NULL);
  g_assert_cmpuint (message->addrs->len, <=, SATORI_AUTONAT_MAX_ADDRS);
  if (message->type == SATORI_AUTONAT_MESSAGE_DIAL)
    {
      g_autoptr(GPtrArray) targets = satori_autonat_dial_targets (message->addrs, observed,
                                                                  FALSE, NULL);
      g_autoptr(GInetAddress) ip = satori_nat_address_ip (observed);
      g_assert_cmpuint (targets->len, <=, SATORI_AUTONAT_MAX_DIALS);
      for (guint i = 0; i < targets->len; i++)
        {
          g_autoptr(GInetAddress) target_ip = satori_nat_address_ip (targets->pdata[i]);
          g_assert_true (target_ip != NULL && g_inet_address_equal (target_ip, ip));
        }
      if (message->peer_id == NULL)
        return;
      again = satori_autonat_message_encode_dial (message->peer_id, message->addrs);
    }
  else if (message->has_status)
    again = satori_autonat_message_encode_response (message->status, message->status_text,
                                                    message->addr);
  else
    return;
  g_autoptr(SatoriAutonatMessage) back = satori_autonat_message_decode (
    g_bytes_get_data (again, NULL), g_bytes_get_size (again), NULL);
  g_assert_nonnull (back);
  g_assert_cmpint (back->type, ==, message->type);
  g_assert_cmpuint (back->addrs->len, ==, message->addrs->len);
  g_assert_cmpint (back->status, ==, message->status);
  g_assert_cmpstr (back->status_text, ==, message->status_text);
  g_assert_true ((back->addr == NULL) == (message->addr == NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(SatoriFrameReader) frames = satori_frame_reader_new (SATORI_AUTONAT_MAX_MESSAGE_SIZE);
  gsize offset = 0;

  /* The whole input, unframed. */
  g_autoptr(SatoriAutonatMessage) whole = satori_autonat_message_decode (data, size, NULL);
  if (whole != NULL)
    check_message (whole);

  /* As frames on a stream. */
  while (offset < size)
    {
      g_autoptr(GBytes) frame = NULL;
      gsize consumed = 0;
      if (!satori_frame_reader_feed (frames, data + offset, size - offset, &consumed, &frame,
                                     NULL))
        break;
      offset += consumed;
      if (frame == NULL)
        continue;
      g_autoptr(SatoriAutonatMessage) message = satori_autonat_message_decode (
        g_bytes_get_data (frame, NULL), g_bytes_get_size (frame), NULL);
      if (message == NULL)
        break;
      check_message (message);
    }
  return 0;
}
