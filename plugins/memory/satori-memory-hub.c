/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-memory-hub.h"

/* Listeners by id; guarded by one lock because hosts on several threads may
 * share the process. Listeners unbind themselves when closed or disposed;
 * the table holds weak references so a lookup racing a listener's last
 * unref gets NULL, not a dying object. Ids of listeners and of dialers come
 * from one counter, so a dialer's address never names a listener. */
static GMutex hub_lock;
static GHashTable *hub_listeners;
static guint64 hub_next_id = 1;

static void
free_weak_ref (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
ensure_table_locked (void)
{
  if (hub_listeners == NULL)
    hub_listeners = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, free_weak_ref);
}

static guint64
take_free_id_locked (void)
{
  while (g_hash_table_contains (hub_listeners, &hub_next_id))
    hub_next_id++;
  return hub_next_id++;
}

/**
 * satori_memory_hub_bind:
 * @listener: the listener
 * @requested_id: the id to listen on, or 0 for a free one
 * @bound_id: (out): the id bound
 * @error: %G_IO_ERROR_ADDRESS_IN_USE when @requested_id is taken
 *
 * Returns: %TRUE when bound
 */
gboolean
satori_memory_hub_bind (SatoriMemoryListener *listener, guint64 requested_id,
                        guint64 *bound_id, GError **error)
{
  g_mutex_lock (&hub_lock);
  ensure_table_locked ();
  guint64 id = requested_id != 0 ? requested_id : take_free_id_locked ();
  gboolean taken = g_hash_table_contains (hub_listeners, &id);
  if (!taken)
    {
      GWeakRef *ref = g_new0 (GWeakRef, 1);
      g_weak_ref_init (ref, listener);
      g_hash_table_insert (hub_listeners, g_memdup2 (&id, sizeof id), ref);
    }
  g_mutex_unlock (&hub_lock);

  if (taken)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                   "/memory/%" G_GUINT64_FORMAT " is already listened on", id);
      return FALSE;
    }
  *bound_id = id;
  return TRUE;
}

/**
 * satori_memory_hub_unbind:
 * @id: a bound id
 *
 * Frees @id. Unbinding an unbound id does nothing.
 */
void
satori_memory_hub_unbind (guint64 id)
{
  g_mutex_lock (&hub_lock);
  if (hub_listeners != NULL)
    g_hash_table_remove (hub_listeners, &id);
  g_mutex_unlock (&hub_lock);
}

/**
 * satori_memory_hub_lookup:
 * @id: an id
 *
 * Returns: (transfer full) (nullable): the listener bound to @id
 */
SatoriMemoryListener *
satori_memory_hub_lookup (guint64 id)
{
  g_mutex_lock (&hub_lock);
  GWeakRef *ref = hub_listeners ? g_hash_table_lookup (hub_listeners, &id) : NULL;
  SatoriMemoryListener *listener = ref ? g_weak_ref_get (ref) : NULL;
  g_mutex_unlock (&hub_lock);
  return listener;
}

/**
 * satori_memory_hub_next_dialer_id:
 *
 * Returns: a fresh id naming a dialing end, never bound by a listener
 */
guint64
satori_memory_hub_next_dialer_id (void)
{
  g_mutex_lock (&hub_lock);
  ensure_table_locked ();
  guint64 id = take_free_id_locked ();
  g_mutex_unlock (&hub_lock);
  return id;
}
