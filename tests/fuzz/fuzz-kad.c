/* Fuzz target: kad-dht messages as they arrive on a stream: varint
 * length-prefixed frames, each decoded, re-encoded and decoded again to
 * the same message, then answered by a server-mode DHT core. Nothing may
 * crash or leak, and the core's store stays within its limits.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "satori-frame.h"
#include "satori-kad-session.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint32
fixed_random (gpointer user_data)
{
  return 4;   /* chosen by fair dice roll */
}

static SatoriKadSession *
server (void)
{
  static SatoriKadSession *session;
  if (session == NULL)
    {
      static const guint8 id[] = { 0x00, 0x04, 'k', 'a', 'd', '!' };
      g_autoptr(GBytes) local_id = g_bytes_new_static (id, sizeof id);
      SatoriKadStoreLimits limits = { 64, 64, 8 };
      SatoriKadConfig config;
      SatoriKadProvider provider = { fixed_random, NULL };
      satori_kad_config_init (&config);
      session = satori_kad_session_new (local_id,
                                        &config,
                                        satori_kad_store_open (":memory:", &limits, NULL),
                                        &provider, 0);
    }
  return session;
}

static void
check_round_trip (const SatoriKadMessage *message)
{
  g_autoptr(GBytes) again = satori_kad_message_encode (message);
  gsize len;
  const guint8 *bytes = g_bytes_get_data (again, &len);
  g_autoptr(SatoriKadMessage) back = satori_kad_message_decode (bytes, len, G_MAXSIZE, NULL);
  g_assert_nonnull (back);
  g_assert_cmpint (back->type, ==, message->type);
  g_assert_true ((back->key == NULL) == (message->key == NULL));
  g_assert_true (back->key == NULL || g_bytes_equal (back->key, message->key));
  g_assert_true ((back->record_value == NULL) == (message->record_value == NULL));
  g_assert_cmpuint (back->closer_peers->len, ==, message->closer_peers->len);
  g_assert_cmpuint (back->provider_peers->len, ==, message->provider_peers->len);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* A SHA-256 peer id: 0x12 0x20 and 32 bytes of 0x01. */
  static guint8 from_id[34] = { 0x12, 0x20 };
  memset (from_id + 2, 0x01, 32);
  g_autoptr(GBytes) from = g_bytes_new_static (from_id, sizeof from_id);
  g_autoptr(SatoriFrameReader) frames = satori_frame_reader_new (SATORI_KAD_MAX_MESSAGE_SIZE);
  gsize offset = 0;

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
      g_autoptr(SatoriKadMessage) message = satori_kad_message_decode (
        payload, len, SATORI_KAD_MAX_MESSAGE_SIZE, NULL);
      if (message == NULL)
        break;
      check_round_trip (message);

      g_autoptr(GBytes) response = NULL;
      satori_kad_session_handle_request (server (), from, payload, len, 1000, &response, NULL);
    }
  return 0;
}
