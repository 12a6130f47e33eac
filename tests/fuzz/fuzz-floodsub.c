/* Fuzz target: the floodsub core's input. The bytes arrive from one peer,
 * cut where the first byte says; a second peer and the core itself
 * subscribe to the topics of the seed corpus, so accepted messages are
 * delivered and forwarded. Nothing may crash, leak, or keep output that
 * was not drained.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-floodsub-session.h"
#include "satori-test-util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint32
fixed_random (gpointer user_data)
{
  return 7;
}

static void
drain (SatoriPubsubCore *core)
{
  GBytes *peer, *frame;
  SatoriPubsubCoreEvent event;

  while (core->klass->poll_transmit (core, &peer, &frame))
    {
      g_bytes_unref (peer);
      g_bytes_unref (frame);
    }
  while (core->klass->poll_event (core, &event))
    satori_pubsub_core_event_clear (&event);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const SatoriPubsubCoreProvider provider = { fixed_random, NULL };
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (0x42);
  SatoriFloodsubConfig config = {
    .key = key,
    .policy = (size > 0 && data[0] & 0x80) ? SATORI_PUBSUB_STRICT_NO_SIGN
                                           : SATORI_PUBSUB_STRICT_SIGN,
    .max_rpc_size = 64 * 1024,
    .seen_ttl_us = 1000,
  };
  g_autoptr(GBytes) sender = g_bytes_new_static ("sender", 6);
  g_autoptr(GBytes) other = g_bytes_new_static ("other", 5);
  SatoriPubsubCore *core = satori_floodsub_session_new (&config, &provider);
  const SatoriPubsubCoreClass *klass = core->klass;
  gsize cut = size > 0 ? 1 + data[0] % 64 : 1;
  gint64 now_us = 0;

  klass->add_peer (core, sender, SATORI_FLOODSUB_PROTOCOL, FALSE, now_us);
  klass->add_peer (core, other, SATORI_FLOODSUB_PROTOCOL, TRUE, now_us);
  klass->subscribe (core, "satori/test", now_us);
  klass->set_topic_validated (core, "validated", TRUE);
  /* The other peer subscribes the way a peer does: with an RPC. */
  static const guint8 subscribe_other[] = {
    0x0f, 0x0a, 0x0d, 0x08, 0x01, 0x12, 0x09, 'v', 'a', 'l', 'i', 'd', 'a', 't', 'e', 'd',
  };
  g_assert_true (klass->handle_input (core, other, subscribe_other, sizeof subscribe_other,
                                      now_us, NULL));
  for (gsize offset = size > 0 ? 1 : 0; offset < size; offset += cut)
    {
      now_us += 100;
      if (!klass->handle_input (core, sender, data + offset, MIN (cut, size - offset), now_us,
                                NULL))
        break;
      drain (core);
      if (now_us >= klass->next_deadline_us (core))
        klass->handle_timeout (core, now_us);
    }
  drain (core);
  klass->free (core);
  return 0;
}
