/* Fuzz target: the libp2p daemon control request decoder. Whatever
 * decodes carries what its type needs, and an error response can always
 * be made from a refusal.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-p2pd-request.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriP2pdRequest) request = satori_p2pd_request_decode (data, size, &error);

  if (request == NULL)
    {
      g_assert_nonnull (error);
      g_autoptr(GBytes) response = satori_p2pd_response_error (error->message);
      g_assert_cmpuint (g_bytes_get_size (response), >, 0);
      return 0;
    }
  g_assert_no_error (error);
  switch (request->type)
    {
    case SATORI_P2PD_REQUEST_CONNECT:
    case SATORI_P2PD_REQUEST_DISCONNECT:
      g_assert_nonnull (request->peer);
      break;
    case SATORI_P2PD_REQUEST_STREAM_OPEN:
      g_assert_nonnull (request->peer);
      g_assert_nonnull (request->protocols);
      g_assert_nonnull (request->protocols[0]);
      break;
    case SATORI_P2PD_REQUEST_STREAM_HANDLER:
      g_assert_nonnull (request->handler_address);
      g_assert_nonnull (request->protocols);
      g_assert_nonnull (request->protocols[0]);
      break;
    case SATORI_P2PD_REQUEST_PUBSUB:
      if (request->pubsub_type == SATORI_P2PD_PUBSUB_PUBLISH)
        g_assert_nonnull (request->data);
      if (request->pubsub_type == SATORI_P2PD_PUBSUB_PUBLISH ||
          request->pubsub_type == SATORI_P2PD_PUBSUB_SUBSCRIBE)
        g_assert_true (request->topic != NULL && request->topic[0] != '\0');
      break;
    case SATORI_P2PD_REQUEST_DHT:
      switch (request->dht_type)
        {
        case SATORI_P2PD_DHT_FIND_PEER:
        case SATORI_P2PD_DHT_FIND_PEERS_CONNECTED_TO_PEER:
        case SATORI_P2PD_DHT_GET_PUBLIC_KEY:
          g_assert_nonnull (request->peer);
          break;
        case SATORI_P2PD_DHT_PUT_VALUE:
          g_assert_nonnull (request->data);
          G_GNUC_FALLTHROUGH;
        default:
          g_assert_true (request->key != NULL && g_bytes_get_size (request->key) > 0);
          break;
        }
      break;
    default:
      break;
    }
  return 0;
}
