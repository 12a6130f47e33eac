/* satori-sim-routers.c: the router table; adding a router is one line
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-sim-routers.h"

#include <string.h>

#include "satori-sim-flood-fixture.h"
#include "satori-sim-rng.h"

#ifdef SATORI_SIM_HAVE_GOSSIPSUB
#include "satori-gossipsub-session.h"
#include "satori-peer-id.h"
#endif

/* An identity multihash of "sim-host-<index>": unique, readable in traces. */
static GBytes *
sim_peer_id (guint index)
{
  g_autofree char *name = g_strdup_printf ("sim-host-%u", index);
  gsize len = strlen (name);
  GByteArray *id = g_byte_array_sized_new (len + 2);
  guint8 prefix[] = { 0x00, (guint8) len };
  g_byte_array_append (id, prefix, sizeof prefix);
  g_byte_array_append (id, (const guint8 *) name, len);
  return g_byte_array_free_to_bytes (id);
}

static SatoriPubsubCore *
create_flood_fixture (const SatoriSimRouterSetup *setup, GBytes **peer_id_out)
{
  *peer_id_out = sim_peer_id (setup->index);
  return satori_sim_flood_fixture_new (*peer_id_out);
}

#ifdef SATORI_SIM_HAVE_GOSSIPSUB
/* P3 (mesh message deliveries) and P3b for a topic of @rate messages per
 * second, after the v1.1 spec's tuning guidelines and Lighthouse's
 * parameters: the counter remembers about 10 s (decay 0.9 a second); a
 * mesh peer must deliver at least a tenth of the topic's messages, first
 * or within 2 s of the first; below that, from 10 s after its GRAFT, the
 * deficit squared costs up to 20 points (under the gossip threshold, above
 * the publish one), and a peer pruned owing it carries the same into P3b. */
static void
topic_score_set_p3 (SatoriGossipsubTopicScoreParams *topic, double rate)
{
  double threshold = 0.1 * rate / (1 - 0.9);

  topic->mesh_message_deliveries_threshold = threshold;
  topic->mesh_message_deliveries_cap = 4 * threshold;
  topic->mesh_message_deliveries_decay = 0.9;
  topic->mesh_message_deliveries_weight = -20 / (threshold * threshold);
  topic->mesh_message_deliveries_window_us = 2 * G_USEC_PER_SEC;
  topic->mesh_message_deliveries_activation_us = 10 * G_USEC_PER_SEC;
  topic->mesh_failure_penalty_weight = topic->mesh_message_deliveries_weight;
  topic->mesh_failure_penalty_decay = 0.9;
}

/* The spec's defaults (D=6, D_low=4, D_high=12, heartbeat 1 s), scoring on
 * with the default topic parameters for the run's topics (P1, P2, P4), and
 * P3/P3b when the run tells the topics' rate. */
static void
gossipsub_params_init (SatoriGossipsubParams *params, const SatoriSimRouterSetup *setup)
{
  SatoriGossipsubTopicScoreParams topic_score;

  satori_gossipsub_params_init_default (params);
  satori_gossipsub_topic_score_params_init_default (&topic_score);
  if (setup->topic_rate > 0)
    topic_score_set_p3 (&topic_score, setup->topic_rate);
  for (guint i = 0; setup->topics != NULL && setup->topics[i] != NULL; i++)
    satori_gossipsub_params_set_topic_score (params, setup->topics[i], &topic_score);
}

/* StrictNoSign with content ids: virtual time does not see signatures, and
 * thousands of hosts verifying each other's would only slow the run. */
static SatoriPubsubCore *
create_gossipsub (const SatoriSimRouterSetup *setup, GBytes **peer_id_out)
{
  SatoriGossipsubParams params;
  gossipsub_params_init (&params, setup);
  params.signature_policy = SATORI_PUBSUB_STRICT_NO_SIGN;
  params.message_id_fn = satori_pubsub_content_message_id;
  *peer_id_out = sim_peer_id (setup->index);
  SatoriPubsubCore *core = satori_gossipsub_session_new (&params, NULL, setup->provider);
  satori_gossipsub_params_clear (&params);
  return core;
}

/* The same with StrictSign and a secp256k1 key drawn from the seed: what
 * signing and verifying cost the routers. */
static SatoriPubsubCore *
create_gossipsub_signed (const SatoriSimRouterSetup *setup, GBytes **peer_id_out)
{
  guint8 secret[SATORI_SECP256K1_SECRET_LENGTH];
  SatoriSimRng rng;
  g_autoptr(GError) error = NULL;

  satori_sim_rng_init (&rng, setup->seed ^ ((guint64) setup->index << 32));
  for (guint i = 0; i < sizeof secret; i += 8)
    {
      guint64 x = satori_sim_rng_next (&rng);
      memcpy (secret + i, &x, 8);
    }
  g_autoptr(SatoriPrivateKey) key = satori_private_key_new_secp256k1 (secret, &error);
  g_assert_no_error (error);
  g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_public_key (
    satori_private_key_get_public_key (key));
  *peer_id_out = g_bytes_ref (satori_peer_id_get_bytes (id));

  SatoriGossipsubParams params;
  gossipsub_params_init (&params, setup);
  SatoriPubsubCore *core = satori_gossipsub_session_new (&params, key, setup->provider);
  satori_gossipsub_params_clear (&params);
  return core;
}
#endif

static const SatoriSimRouter routers[] = {
  { "flood-fixture", "/floodsub/1.0.0", create_flood_fixture },
#ifdef SATORI_SIM_HAVE_GOSSIPSUB
  { "gossipsub", SATORI_GOSSIPSUB_PROTOCOL_1_2, create_gossipsub },
  { "gossipsub-signed", SATORI_GOSSIPSUB_PROTOCOL_1_2, create_gossipsub_signed },
#endif
};

const SatoriSimRouter *
satori_sim_router_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (routers); i++)
    if (g_str_equal (routers[i].name, name))
      return &routers[i];
  return NULL;
}

char *
satori_sim_router_list_names (void)
{
  GString *names = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (routers); i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", routers[i].name);
  return g_string_free (names, FALSE);
}
