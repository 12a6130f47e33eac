/* bench-pubsub-route: how many messages per second one gossipsub host can
 * route, printing one JSON line of figures.
 *
 *   bench-pubsub-route [--peers 50] [--messages 20000] [--size 100]
 *                      [--rate 1000] [--signed] [--seed 1]
 *
 * One real gossipsub core (plugins/gossipsub, the spec's defaults, scoring
 * on) with --peers peers, all subscribed to one topic: it meshes with D of
 * them. Then each peer in turn sends it a new message (one RPC frame), as
 * if --rate messages per second arrived; the core validates it, delivers
 * it and forwards it to its mesh, and the frames it writes are drained.
 * --signed: StrictSign, every message signed by its sender's secp256k1 key
 * and verified by the core; otherwise StrictNoSign with content ids. The
 * frames are built (and signed) before the clock starts: the figures are
 * the router's own CPU time per message, message handling to encoded
 * output frames.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>

#include "satori-gossipsub-session.h"
#include "satori-peer-id.h"
#include "satori-pubsub-rpc-writer.h"
#include "satori-pubsub-signing.h"
#include "satori-sim-metrics.h"
#include "satori-sim-rng.h"

#define TOPIC "bench"

typedef struct {
  gint    peers, messages, size;
  double  rate;
  gboolean sign;
  gint64  seed;
} Options;

typedef struct {
  SatoriPubsubCore *core;
  guint64 frames_out, bytes_out, delivered;
} Router;

static guint32
random_u32 (gpointer user_data)
{
  return (guint32) satori_sim_rng_next (user_data);
}

static SatoriPrivateKey *
key_from_rng (SatoriSimRng *rng)
{
  guint8 secret[SATORI_SECP256K1_SECRET_LENGTH];
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < sizeof secret; i += 8)
    {
      guint64 x = satori_sim_rng_next (rng);
      memcpy (secret + i, &x, 8);
    }
  SatoriPrivateKey *key = satori_private_key_new_secp256k1 (secret, &error);
  g_assert_no_error (error);
  return key;
}

static GBytes *
peer_id_of (SatoriPrivateKey *key)
{
  g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_public_key (
    satori_private_key_get_public_key (key));
  return g_bytes_ref (satori_peer_id_get_bytes (id));
}

/* Everything the core wants to write or tell, taken and counted. */
static void
drain (Router *router)
{
  GBytes *peer, *frame;
  SatoriPubsubCoreEvent event;

  while (router->core->klass->poll_transmit (router->core, &peer, &frame))
    {
      router->frames_out++;
      router->bytes_out += g_bytes_get_size (frame);
      g_bytes_unref (peer);
      g_bytes_unref (frame);
    }
  while (router->core->klass->poll_event (router->core, &event))
    {
      router->delivered += event.type == SATORI_PUBSUB_CORE_EVENT_MESSAGE;
      satori_pubsub_core_event_clear (&event);
    }
}

static void
feed (Router *router, GBytes *peer, GBytes *frame, gint64 now_us)
{
  g_autoptr(GError) error = NULL;
  SatoriPubsubCore *core = router->core;

  while (core->klass->next_deadline_us (core) <= now_us)
    core->klass->handle_timeout (core, now_us);
  if (!core->klass->handle_input (core, peer, g_bytes_get_data (frame, NULL),
                                  g_bytes_get_size (frame), now_us, &error))
    g_error ("the router refused a frame: %s", error->message);
  drain (router);
}

static GBytes *
subscription_frame (void)
{
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();
  satori_pubsub_rpc_writer_add_subscription (writer, TOPIC, TRUE);
  return satori_pubsub_rpc_writer_finish (writer);
}

/* Message @m from @key (NULL: unsigned), @size bytes of data. */
static GBytes *
message_frame (guint m, SatoriPrivateKey *key, gint size)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *data = g_malloc0 (size);
  guint64 seqno_be = GUINT64_TO_BE ((guint64) m + 1);
  g_autoptr(GBytes) seqno = g_bytes_new (&seqno_be, sizeof seqno_be);
  g_autoptr(GBytes) payload = NULL;

  g_snprintf ((char *) data, size, "message %u", m);
  payload = g_bytes_new (data, size);
  g_autoptr(GBytes) message = satori_pubsub_build_message (TOPIC, payload,
                                                           key != NULL ? seqno : NULL,
                                                           key, &error);
  g_assert_no_error (error);
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();
  satori_pubsub_rpc_writer_add_message (writer, message);
  return satori_pubsub_rpc_writer_finish (writer);
}

int
main (int argc, char **argv)
{
  Options o = { .peers = 50, .messages = 20000, .size = 100, .rate = 1000, .seed = 1 };
  GOptionEntry entries[] = {
    { "peers", 0, 0, G_OPTION_ARG_INT, &o.peers, "Peers sending to the host", "N" },
    { "messages", 0, 0, G_OPTION_ARG_INT, &o.messages, "Messages to route", "M" },
    { "size", 0, 0, G_OPTION_ARG_INT, &o.size, "Payload bytes", "B" },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &o.rate, "Messages per second of router time (caches, heartbeats)", "R" },
    { "signed", 0, 0, G_OPTION_ARG_NONE, &o.sign, "StrictSign: sign and verify", NULL },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o.seed, "PRNG seed", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- messages one gossipsub host routes per second");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (o.peers < 1 || o.messages < 1 || o.size < 16 || o.rate <= 0)
    {
      g_printerr ("bad arguments\n");
      return 2;
    }

  SatoriSimRng rng;
  satori_sim_rng_init (&rng, o.seed);
  SatoriPubsubCoreProvider provider = { random_u32, &rng };
  SatoriGossipsubParams params;
  SatoriGossipsubTopicScoreParams topic_score;
  satori_gossipsub_params_init_default (&params);
  satori_gossipsub_topic_score_params_init_default (&topic_score);
  satori_gossipsub_params_set_topic_score (&params, TOPIC, &topic_score);
  g_autoptr(SatoriPrivateKey) own_key = key_from_rng (&rng);
  if (!o.sign)
    {
      params.signature_policy = SATORI_PUBSUB_STRICT_NO_SIGN;
      params.message_id_fn = satori_pubsub_content_message_id;
    }
  Router router = { satori_gossipsub_session_new (&params, o.sign ? own_key : NULL, &provider) };
  SatoriPubsubCore *core = router.core;

  /* The peers subscribe, we subscribe; heartbeats graft our mesh. */
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_object_unref);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GBytes) subscription = subscription_frame ();
  gint64 now_us = 0;
  for (gint p = 0; p < o.peers; p++)
    {
      g_ptr_array_add (keys, key_from_rng (&rng));
      g_ptr_array_add (ids, peer_id_of (keys->pdata[p]));
      core->klass->add_peer (core, ids->pdata[p], SATORI_GOSSIPSUB_PROTOCOL_1_2, p % 2 == 0, now_us);
      feed (&router, ids->pdata[p], subscription, now_us);
    }
  core->klass->subscribe (core, TOPIC, now_us);
  for (now_us = 0; now_us <= 3 * G_USEC_PER_SEC; now_us += G_USEC_PER_SEC / 10)
    {
      while (core->klass->next_deadline_us (core) <= now_us)
        core->klass->handle_timeout (core, now_us);
      drain (&router);
    }
  g_autoptr(GPtrArray) mesh = satori_gossipsub_session_get_mesh_peers (core, TOPIC);

  /* The messages, built before the clock starts. */
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (gint m = 0; m < o.messages; m++)
    g_ptr_array_add (frames, message_frame (m, o.sign ? keys->pdata[m % o.peers] : NULL, o.size));

  guint64 frames0 = router.frames_out, bytes0 = router.bytes_out;
  gint64 start_us = now_us, step_us = (gint64) (G_USEC_PER_SEC / o.rate);
  gint64 wall0 = g_get_monotonic_time ();
  double cpu0 = satori_sim_cpu_seconds ();
  for (gint m = 0; m < o.messages; m++)
    feed (&router, ids->pdata[m % o.peers], frames->pdata[m], start_us + m * step_us);
  double cpu_s = satori_sim_cpu_seconds () - cpu0;
  double wall_s = (g_get_monotonic_time () - wall0) / 1e6;

  printf ("{\"peers\":%d,\"mesh\":%u,\"messages\":%d,\"size\":%d,\"rate\":%g,\"signed\":%s,"
          "\"delivered\":%" G_GUINT64_FORMAT ",\"frames_out_per_message\":%.2f,"
          "\"bytes_out_per_message\":%.0f,\"cpu_s\":%.3f,\"wall_s\":%.3f,"
          "\"messages_per_cpu_s\":%.0f,\"us_per_message\":%.2f}\n",
          o.peers, mesh->len, o.messages, o.size, o.rate, o.sign ? "true" : "false",
          router.delivered, (double) (router.frames_out - frames0) / o.messages,
          (double) (router.bytes_out - bytes0) / o.messages, cpu_s, wall_s,
          o.messages / MAX (cpu_s, 1e-9), cpu_s * 1e6 / o.messages);

  core->klass->free (core);
  satori_gossipsub_params_clear (&params);
  return router.delivered == (guint64) o.messages ? 0 : 1;
}
