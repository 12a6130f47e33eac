/* Fuzz target: the /plaintext/2.0.0 session reading a peer's Exchange
 * (varint length prefix, protobuf, key, peer id and their match). The
 * input is fed whole and, to a second session, byte by byte as a stream
 * adapter would: both must agree, and neither may take bytes past the
 * Exchange.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-plaintext-session.h"
#include "satori-private-key.h"
#include "satori-test-util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Feeds @data as the adapter does, asking the session how much it wants.
 * Returns whether it finished; *@taken is how many bytes it read. */
static gboolean
feed_wanted (SatoriPlaintextSession *session, const uint8_t *data, size_t size, gsize *taken)
{
  gsize consumed;

  *taken = 0;
  while (*taken < size)
    {
      gsize wanted = satori_plaintext_session_get_wanted (session);
      if (wanted == 0)
        break;
      gsize n = MIN (wanted, size - *taken);
      if (!satori_plaintext_session_handle_input (session, data + *taken, n, &consumed, NULL))
        return FALSE;
      g_assert_cmpuint (consumed, ==, n);
      *taken += consumed;
    }
  return satori_plaintext_session_is_done (session);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static SatoriPrivateKey *local;
  gsize consumed = 0, taken;

  if (local == NULL)
    local = satori_test_secp256k1_key_filled (0x11);
  SatoriPublicKey *local_public = satori_private_key_get_public_key (local);

  g_autoptr(SatoriPlaintextSession) whole = satori_plaintext_session_new (local_public, NULL);
  gboolean ok = satori_plaintext_session_handle_input (whole, data, size, &consumed, NULL);
  gboolean done = ok && satori_plaintext_session_is_done (whole);
  g_assert_cmpuint (consumed, <=, size);

  g_autoptr(SatoriPlaintextSession) stepped = satori_plaintext_session_new (local_public, NULL);
  g_assert_cmpint (feed_wanted (stepped, data, size, &taken), ==, done);
  if (done)
    {
      g_assert_cmpuint (taken, ==, consumed);
      g_assert_true (satori_peer_id_matches_public_key (
                       satori_plaintext_session_get_remote_peer (whole),
                       satori_plaintext_session_get_remote_public_key (whole)));
      g_assert_true (satori_peer_id_equal (satori_plaintext_session_get_remote_peer (whole),
                                           satori_plaintext_session_get_remote_peer (stepped)));
      g_assert_cmpuint (satori_plaintext_session_get_wanted (whole), ==, 0);
    }
  else if (!ok)
    g_assert_false (satori_plaintext_session_handle_input (whole, data, size, &consumed, NULL));
  return 0;
}
