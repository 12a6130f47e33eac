/* Fuzz target: rendezvous messages as a point reads them (a stream of
 * varint length-prefixed requests from one peer, with a clock that moves)
 * and as a client reads responses. Nothing may crash or leak, a point
 * never holds more registrations than its limits, and every response it
 * writes is one a client reads.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-rendezvous-client.h"
#include "satori-rendezvous-server.h"
#include "satori-test-util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A client reads @response as the answer to a register and to a discover. */
static void
read_as_client (const guint8 *response, gsize len)
{
  g_autoptr(GBytes) cookie = NULL;
  guint ttl;

  satori_rendezvous_read_register_response (response, len, &ttl, NULL);
  GPtrArray *peers = satori_rendezvous_read_discover_response (response, len, NULL, &cookie, NULL);

  g_clear_pointer (&peers, g_ptr_array_unref);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static SatoriPeerId *peer;
  SatoriRendezvousLimits limits;
  g_autoptr(SatoriFrameReader) frames = satori_frame_reader_new (SATORI_RENDEZVOUS_MAX_REQUEST_SIZE);
  gsize offset = 0;
  gint64 now = 0;

  if (peer == NULL)
    {
      g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (0x11);
      peer = satori_peer_id_new_from_public_key (satori_private_key_get_public_key (key));
    }
  satori_rendezvous_limits_init (&limits);
  limits.min_ttl = 1;
  limits.max_per_peer = 4;
  g_autoptr(SatoriRendezvousServer) server = satori_rendezvous_server_new (&limits);

  /* The whole input, as a response. */
  read_as_client (data, size);

  /* As requests on a stream, an hour apart. */
  while (offset < size)
    {
      g_autoptr(GBytes) frame = NULL;
      g_autoptr(GBytes) response = NULL;
      gsize consumed = 0;
      if (!satori_frame_reader_feed (frames, data + offset, size - offset, &consumed, &frame,
                                     NULL))
        break;
      offset += consumed;
      if (frame == NULL)
        continue;
      gsize len;
      const guint8 *request = g_bytes_get_data (frame, &len);
      if (!satori_rendezvous_server_handle (server, peer, request, len, now, &response, NULL))
        break;
      g_assert_cmpuint (satori_rendezvous_server_get_count (server), <=, limits.max_per_peer);
      if (response != NULL)
        {
          const guint8 *bytes = g_bytes_get_data (response, &len);
          g_assert_cmpuint (len, <=, SATORI_RENDEZVOUS_MAX_RESPONSE_SIZE);
          g_autoptr(SatoriRendezvousMessage) decoded = satori_rendezvous_message_decode (
            bytes, len, SATORI_RENDEZVOUS_MAX_RESPONSE_SIZE, NULL);
          g_assert_nonnull (decoded);
          read_as_client (bytes, len);
        }
      now += G_GINT64_CONSTANT (3600000000);
    }
  return 0;
}
