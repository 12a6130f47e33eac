/* Fuzz target: peer record payloads (the inside of a signed envelope).
 * Nothing may crash or leak; what decodes must encode and decode again to
 * the same peer, sequence number and addresses.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satorip2p.h"
#include "satori-peer-record.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(SatoriPeerRecord) record = satori_peer_record_decode (data, size, NULL);

  if (record != NULL)
    {
      g_autoptr(GBytes) again = satori_peer_record_encode (record);
      gsize len;
      const guint8 *bytes = g_bytes_get_data (again, &len);
      g_autoptr(SatoriPeerRecord) back = satori_peer_record_decode (bytes, len, NULL);
      g_assert_nonnull (back);
      g_assert_true (satori_peer_id_equal (back->peer_id, record->peer_id));
      g_assert_cmpuint (back->seq, ==, record->seq);
      g_assert_cmpuint (back->addresses->len, ==, record->addresses->len);
      for (guint i = 0; i < record->addresses->len; i++)
        g_assert_true (satori_multiaddr_equal (g_ptr_array_index (back->addresses, i),
                                               g_ptr_array_index (record->addresses, i)));
    }
  return 0;
}
