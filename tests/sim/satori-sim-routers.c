/* satori-sim-routers.c: the router table; adding a router is one line
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-sim-routers.h"

#include <string.h>

#include "satori-sim-flood-fixture.h"

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

static const SatoriSimRouter routers[] = {
  { "flood-fixture", "/floodsub/1.0.0", create_flood_fixture },
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
