/* Fuzz target: what a peer may send a gossipsub router. One router,
 * subscribed to "satori/test", with the sender in its mesh, takes the
 * input as stream bytes (in chunks sized by the first byte), then runs
 * three heartbeats; every frame it writes must decode. Nothing may crash
 * or leak.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-gossipsub-session.h"
#include "satori-pubsub-rpc-reader.h"
#include "satori-test-util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint32
fixed_random (gpointer user_data)
{
  guint32 *state = user_data;
  *state = *state * 1664525u + 1013904223u;
  return *state;
}

static void
drain (SatoriPubsubCore *core)
{
  SatoriPubsubCoreEvent event = { 0 };
  GBytes *peer, *frame;

  while (core->klass->poll_event (core, &event))
    satori_pubsub_core_event_clear (&event);
  while (core->klass->poll_transmit (core, &peer, &frame))
    {
      gsize len, consumed;
      const guint8 *bytes = g_bytes_get_data (frame, &len);
      g_autoptr(SatoriPubsubRpcReader) reader = satori_pubsub_rpc_reader_new (G_MAXSIZE);
      g_autoptr(Satori__Pubsub__RPC) rpc = NULL;
      g_assert_true (satori_pubsub_rpc_reader_feed (reader, bytes, len, &consumed, &rpc, NULL));
      g_assert_nonnull (rpc);
      g_bytes_unref (peer);
      g_bytes_unref (frame);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static SatoriPrivateKey *key;
  static GBytes *peer, *other;
  SatoriGossipsubParams params;
  guint32 state = 7;
  SatoriPubsubCoreProvider provider = { fixed_random, &state };
  gint64 now = 1000000;

  if (key == NULL)
    {
      key = satori_test_secp256k1_key_filled (0x31);
      peer = g_bytes_new_static ("fuzzer", 6);
      other = g_bytes_new_static ("bystander", 9);
    }
  if (size == 0)
    return 0;

  satori_gossipsub_params_init_default (&params);
  params.max_rpc_size = 64 * 1024;
  SatoriPubsubCore *core = satori_gossipsub_session_new (&params, key, &provider);
  satori_gossipsub_params_clear (&params);
  core->klass->add_peer (core, peer, SATORI_GOSSIPSUB_PROTOCOL_1_2, TRUE, now);
  core->klass->add_peer (core, other, SATORI_GOSSIPSUB_PROTOCOL_1_1, FALSE, now);
  core->klass->subscribe (core, "satori/test", now);
  drain (core);

  gsize chunk = data[0] + 1;
  for (gsize offset = 1; offset < size; offset += chunk)
    {
      if (!core->klass->handle_input (core, peer, data + offset, MIN (chunk, size - offset),
                                      now, NULL))
        break;
      drain (core);
    }
  for (guint i = 0; i < 3; i++)
    {
      now += G_USEC_PER_SEC;
      core->klass->handle_timeout (core, now);
      drain (core);
    }
  core->klass->remove_peer (core, peer, now);
  core->klass->free (core);
  return 0;
}
