/* Fuzz target: the payload of a stream message, as SatoriPeers decodes it
 * from pubsub. Nothing may crash or leak; what decodes encodes again, and
 * if that decodes (json-glib writes no JSON for an overflowed number), to
 * an equal value.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-peers-payload.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GBytes) payload = g_bytes_new_static (data, size);
  g_autoptr(JsonNode) node = satori_peers_payload_decode (payload, NULL);

  if (node != NULL)
    {
      g_autoptr(GBytes) again = satori_peers_payload_encode (node);
      g_autoptr(JsonNode) back = satori_peers_payload_decode (again, NULL);
      g_assert_true (back == NULL || json_node_equal (node, back));
    }
  return 0;
}
