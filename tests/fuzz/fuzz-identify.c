/* Fuzz target: Identify messages as they arrive on a stream: varint
 * length-prefixed frames, each decoded, merged and validated against a
 * fixed peer. Nothing may crash or leak, and what decodes must encode and
 * decode again to the same protocols; a signed peer record is opened.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-identify-message.h"
#include "satori-test-util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static SatoriPeerId *peer;
  g_autoptr(SatoriFrameReader) frames = satori_frame_reader_new (SATORI_IDENTIFY_MAX_MESSAGE_SIZE);
  g_autoptr(SatoriIdentifyMessage) merged = satori_identify_message_new ();
  gsize offset = 0;

  if (peer == NULL)
    {
      g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (0x11);
      peer = satori_peer_id_new_from_public_key (satori_private_key_get_public_key (key));
    }

  /* The whole input, unframed. */
  g_autoptr(SatoriIdentifyMessage) whole = satori_identify_message_decode (data, size, NULL);
  if (whole != NULL)
    {
      satori_identify_message_validate (whole, peer, TRUE, NULL);
      g_autoptr(GBytes) again = satori_identify_message_encode (whole);
      gsize len;
      const guint8 *bytes = g_bytes_get_data (again, &len);
      g_autoptr(SatoriIdentifyMessage) back = satori_identify_message_decode (bytes, len, NULL);
      g_assert_nonnull (back);
      g_assert_true (g_strv_equal ((const char * const *) back->protocols,
                                   (const char * const *) whole->protocols));
      g_assert_true ((back->signed_peer_record == NULL) == (whole->signed_peer_record == NULL));
      if (whole->signed_peer_record != NULL)
        {
          g_autoptr(SatoriPeerRecord) record = satori_peer_record_open (
            g_bytes_get_data (whole->signed_peer_record, NULL),
            g_bytes_get_size (whole->signed_peer_record), NULL);
          g_assert_true (record == NULL || record->addresses->len <= SATORI_PEER_RECORD_MAX_ADDRESSES);
        }
    }

  /* As frames on a stream. */
  while (offset < size)
    {
      g_autoptr(GBytes) frame = NULL;
      gsize consumed = 0;
      if (!satori_frame_reader_feed (frames, data + offset, size - offset, &consumed, &frame,
                                     NULL))
        break;
      g_assert_cmpuint (consumed, <=, size - offset);
      offset += consumed;
      if (frame == NULL)
        continue;
      gsize len;
      const guint8 *payload = g_bytes_get_data (frame, &len);
      g_autoptr(SatoriIdentifyMessage) message = satori_identify_message_decode (payload, len,
                                                                                  NULL);
      if (message == NULL)
        break;
      satori_identify_message_merge (merged, message);
    }
  satori_identify_message_validate (merged, peer, FALSE, NULL);
  return 0;
}
