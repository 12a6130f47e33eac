/* Fuzzes the mDNS message decoder and the session reading it: a decoded
 * message encodes again and decodes to the same counts; fed to a session
 * as a datagram, it never grows the peer table past its bound, and every
 * peer discovered has addresses.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdint.h>

#include "satori-mdns-message.h"
#include "satori-mdns-session.h"
#include "satori-test-util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static SatoriPeerId *
local_peer (void)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (7);
  return satori_peer_id_new_from_public_key (satori_private_key_get_public_key (key));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriMdnsMessage) message = satori_mdns_message_decode (data, size, &error);

  g_assert_true ((message == NULL) == (error != NULL));
  if (message != NULL)
    {
      g_autoptr(GBytes) again = satori_mdns_message_encode (message, G_MAXSIZE, NULL);
      /* Names and TXT strings decoded are encodable; unknown types are not. */
      if (again != NULL)
        {
          g_autoptr(SatoriMdnsMessage) decoded =
            satori_mdns_message_decode (g_bytes_get_data (again, NULL), g_bytes_get_size (again),
                                        NULL);
          if (g_bytes_get_size (again) <= SATORI_MDNS_MAX_MESSAGE)
            {
              g_assert_nonnull (decoded);
              g_assert_cmpuint (decoded->questions->len, ==, message->questions->len);
              g_assert_cmpuint (decoded->answers->len, ==, message->answers->len);
              g_assert_cmpuint (decoded->additionals->len, ==, message->additionals->len);
            }
        }
    }

  SatoriMdnsConfig config;
  satori_mdns_config_init (&config);
  config.max_peers = 4;
  config.max_addresses = 3;
  g_autoptr(SatoriPeerId) local = local_peer ();
  g_autoptr(SatoriMdnsSession) session =
    satori_mdns_session_new (&config, local, "fuzzpeer", 0);
  satori_mdns_session_handle_datagram (session, data, size, 0, NULL);
  g_assert_cmpuint (satori_mdns_session_get_n_peers (session), <=, config.max_peers);

  SatoriMdnsEvent event;
  while (satori_mdns_session_poll_event (session, &event))
    {
      g_assert_false (satori_peer_id_equal (event.peer, local));
      g_assert_true (event.type != SATORI_MDNS_PEER_DISCOVERED || event.addresses->len > 0);
      g_assert_cmpuint (event.addresses->len, <=, config.max_addresses);
      satori_mdns_event_clear (&event);
    }
  GBytes *datagram;
  while ((datagram = satori_mdns_session_poll_transmit (session)) != NULL)
    {
      g_assert_cmpuint (g_bytes_get_size (datagram), <=, config.max_message);
      g_bytes_unref (datagram);
    }
  return 0;
}
