/* Fuzz target: pubsub RPC frames as they arrive on a stream. Each decoded
 * RPC's messages go through the checks of both signature policies and
 * every message id function; the RPC must encode and decode again to the
 * same counts. Nothing may crash or leak.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-protobuf.h"
#include "satori-pubsub-message-id.h"
#include "satori-pubsub-rpc-reader.h"
#include "satori-pubsub-validate.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
exercise (const Satori__Pubsub__RPC *rpc)
{
  for (gsize i = 0; i < rpc->n_publish; i++)
    {
      const Satori__Pubsub__Message *message = rpc->publish[i];
      satori_pubsub_check_message (message, SATORI_PUBSUB_STRICT_SIGN, NULL);
      satori_pubsub_check_message (message, SATORI_PUBSUB_STRICT_NO_SIGN, NULL);
      g_bytes_unref (satori_pubsub_default_message_id (message, NULL));
      g_bytes_unref (satori_pubsub_content_message_id (message, NULL));
      GBytes *key_id = satori_pubsub_key_message_id (message, NULL);
      g_clear_pointer (&key_id, g_bytes_unref);
    }

  g_autoptr(GBytes) again = satori_protobuf_pack (&rpc->base);
  gsize len;
  const guint8 *bytes = g_bytes_get_data (again, &len);
  g_autoptr(Satori__Pubsub__RPC) back = satori_pubsub_rpc_decode (bytes, len, G_MAXSIZE, NULL);
  g_assert_nonnull (back);
  g_assert_cmpuint (back->n_subscriptions, ==, rpc->n_subscriptions);
  g_assert_cmpuint (back->n_publish, ==, rpc->n_publish);
  g_assert_cmpint (back->control != NULL, ==, rpc->control != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(SatoriPubsubRpcReader) reader = satori_pubsub_rpc_reader_new (64 * 1024);
  gsize offset = 0;

  while (offset < size)
    {
      g_autoptr(Satori__Pubsub__RPC) rpc = NULL;
      gsize consumed = 0;
      if (!satori_pubsub_rpc_reader_feed (reader, data + offset, size - offset, &consumed,
                                          &rpc, NULL))
        break;
      g_assert_cmpuint (consumed, <=, size - offset);
      offset += consumed;
      if (rpc != NULL)
        exercise (rpc);
    }
  return 0;
}
