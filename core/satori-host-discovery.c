/* satori-host-discovery.c — the discoveries a host runs: kept, started,
 * stopped with the host
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-host-discovery-private.h"

#include <glib/gi18n-lib.h>

/* The list lives on the host as object data so that the host's own file
 * stays about connections and streams. */
#define DISCOVERIES_KEY "satori-host-discoveries"

static GPtrArray *
discoveries_of (SatoriHost *host, gboolean create)
{
  GPtrArray *discoveries = g_object_get_data (G_OBJECT (host), DISCOVERIES_KEY);

  if (discoveries == NULL && create)
    {
      discoveries = g_ptr_array_new_with_free_func (g_object_unref);
      g_object_set_data_full (G_OBJECT (host), DISCOVERIES_KEY, discoveries,
                              (GDestroyNotify) g_ptr_array_unref);
    }
  return discoveries;
}

/**
 * satori_host_add_discovery:
 * @host: a #SatoriHost
 * @discovery: a discovery that works on @host (a protocol handler the host
 *   serves, or one given the host as its `host` property)
 *
 * Adds @discovery to the ones the host runs: satori_host_start_discoveries()
 * starts it, satori_host_close() stops it. Adding it twice adds it once.
 */
void
satori_host_add_discovery (SatoriHost *host, SatoriDiscovery *discovery)
{
  g_return_if_fail (SATORI_IS_HOST (host));
  g_return_if_fail (SATORI_IS_DISCOVERY (discovery));

  GPtrArray *discoveries = discoveries_of (host, TRUE);
  if (!g_ptr_array_find (discoveries, discovery, NULL))
    g_ptr_array_add (discoveries, g_object_ref (discovery));
}

/**
 * satori_host_get_discoveries:
 * @host: a #SatoriHost
 *
 * The discoveries added with satori_host_add_discovery() (a host built from
 * a configuration has the ones `[host] discovery=` names), in that order.
 *
 * Returns: (transfer container) (element-type SatoriDiscovery): the
 *   discoveries
 */
GPtrArray *
satori_host_get_discoveries (SatoriHost *host)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);

  GPtrArray *discoveries = discoveries_of (host, FALSE);
  GPtrArray *copy = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; discoveries != NULL && i < discoveries->len; i++)
    g_ptr_array_add (copy, g_object_ref (g_ptr_array_index (discoveries, i)));
  return copy;
}

static void
on_started (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!satori_discovery_start_finish (SATORI_DISCOVERY (source), result, &error))
    g_warning (_("Discovery %s did not start: %s"), G_OBJECT_TYPE_NAME (source), error->message);
}

/**
 * satori_host_start_discoveries:
 * @host: a #SatoriHost
 *
 * Starts every discovery of the host, in its order; one that cannot start
 * logs why and leaves the others running. Start them once the host listens,
 * so that what they advertise carries its addresses.
 */
void
satori_host_start_discoveries (SatoriHost *host)
{
  g_return_if_fail (SATORI_IS_HOST (host));

  g_autoptr(GPtrArray) discoveries = satori_host_get_discoveries (host);
  for (guint i = 0; i < discoveries->len; i++)
    satori_discovery_start_async (g_ptr_array_index (discoveries, i), NULL, on_started, NULL);
}

/* Called by satori_host_close(): stops and drops the discoveries, which may
 * hold the host. */
void
_satori_host_stop_discoveries (SatoriHost *host)
{
  g_autoptr(GPtrArray) discoveries = g_object_steal_data (G_OBJECT (host), DISCOVERIES_KEY);

  for (guint i = 0; discoveries != NULL && i < discoveries->len; i++)
    satori_discovery_stop (g_ptr_array_index (discoveries, i));
}
