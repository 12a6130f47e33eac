/* Fuzz target: signed envelopes as identify's signedPeerRecord carries
 * them. Nothing may crash or leak; what decodes must encode and decode
 * again to the same payload, and its signature is checked.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satorip2p.h"
#include "satori-envelope.h"
#include "satori-peer-record.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(SatoriEnvelope) envelope = satori_envelope_decode (data, size, NULL);

  if (envelope != NULL)
    {
      satori_envelope_verify (envelope, SATORI_PEER_RECORD_DOMAIN, NULL);
      g_autoptr(GBytes) again = satori_envelope_encode (envelope);
      gsize len;
      const guint8 *bytes = g_bytes_get_data (again, &len);
      g_autoptr(SatoriEnvelope) back = satori_envelope_decode (bytes, len, NULL);
      g_assert_nonnull (back);
      g_assert_true (g_bytes_equal (satori_envelope_get_payload (back),
                                    satori_envelope_get_payload (envelope)));
    }
  g_autoptr(SatoriPeerRecord) record = satori_peer_record_open (data, size, NULL);
  if (record != NULL)
    g_assert_true (satori_peer_id_matches_public_key (record->peer_id,
                                                      satori_envelope_get_public_key (envelope)));
  return 0;
}
