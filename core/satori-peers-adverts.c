/* satori-peers-adverts.c — one advertisement per (namespace, discovery),
 * each renewed at three quarters of the TTL the discovery granted, so it
 * never lapses while wanted (rendezvous registrations expire at their TTL;
 * DHT provider records at the DHT's). A failed advertisement is retried
 * after SATORI_PEERS_ADVERT_RETRY seconds; a discovery that cannot
 * advertise (G_IO_ERROR_NOT_SUPPORTED: bootstrap, mDNS) is not asked again.
 * Removing a namespace stops renewing it and withdraws it from every
 * discovery that can advertise (a rendezvous UNREGISTER); what a
 * discovery cannot take back (DHT provider records others hold) runs out
 * at its TTL.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-peers-adverts.h"

#include <glib/gi18n-lib.h>

#include "satori-peers-namespace.h"

typedef struct
{
  SatoriPeersAdverts *owner;
  SatoriDiscovery *discovery;
  char *namespace_;     /* as the application names it */
  GCancellable *cancellable;
  GSource *timer;
  gboolean granted;     /* the last advertisement succeeded */
  gboolean unsupported; /* the discovery cannot advertise: nothing to withdraw */
  gboolean removed;     /* no longer wanted; a reply in flight holds it */
} Advert;

struct _SatoriPeersAdverts
{
  guint ttl;
  GPtrArray *discoveries;
  GPtrArray *namespaces;  /* char *, wanted */
  GPtrArray *adverts;     /* Advert, reference-counted boxes */
};

static void
advert_clear (Advert *advert)
{
  g_object_unref (advert->cancellable);
  g_object_unref (advert->discovery);
  g_free (advert->namespace_);
}

static void
advert_release (Advert *advert)
{
  g_rc_box_release_full (advert, (GDestroyNotify) advert_clear);
}

/* Stops it; a discovery that ignores the cancellation finds it removed. */
static void
advert_remove (Advert *advert)
{
  advert->removed = TRUE;
  g_cancellable_cancel (advert->cancellable);
  if (advert->timer != NULL)
    {
      g_source_destroy (advert->timer);
      g_clear_pointer (&advert->timer, g_source_unref);
    }
  advert_release (advert);
}

SatoriPeersAdverts *
satori_peers_adverts_new (guint ttl)
{
  SatoriPeersAdverts *adverts = g_new0 (SatoriPeersAdverts, 1);

  adverts->ttl = ttl;
  adverts->discoveries = g_ptr_array_new_with_free_func (g_object_unref);
  adverts->namespaces = g_ptr_array_new_with_free_func (g_free);
  adverts->adverts = g_ptr_array_new_with_free_func ((GDestroyNotify) advert_remove);
  return adverts;
}

void
satori_peers_adverts_free (SatoriPeersAdverts *adverts)
{
  g_ptr_array_unref (adverts->adverts);
  g_ptr_array_unref (adverts->namespaces);
  g_ptr_array_unref (adverts->discoveries);
  g_free (adverts);
}

guint
satori_peers_adverts_get_ttl (SatoriPeersAdverts *adverts)
{
  return adverts->ttl;
}

/* The TTL asked for from the next advertisement on. */
void
satori_peers_adverts_set_ttl (SatoriPeersAdverts *adverts, guint ttl)
{
  adverts->ttl = ttl;
}

/* Seconds after a grant of @granted_ttl seconds to renew it. */
guint
satori_peers_advert_renew_delay (guint granted_ttl)
{
  return MAX (granted_ttl / 4 * 3, 1);
}

static void advertise (Advert *advert);

static gboolean
on_timer (gpointer user_data)
{
  Advert *advert = user_data;

  g_clear_pointer (&advert->timer, g_source_unref);
  advertise (advert);
  return G_SOURCE_REMOVE;
}

static void
schedule (Advert *advert, guint seconds)
{
  advert->timer = g_timeout_source_new_seconds (seconds);
  g_source_set_callback (advert->timer, on_timer, advert, NULL);
  g_source_set_static_name (advert->timer, "[satori] peers re-advertise");
  g_source_attach (advert->timer, g_main_context_get_thread_default ());
}

static void
on_advertised (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Advert *advert = user_data;
  g_autoptr(GError) error = NULL;
  guint ttl = satori_discovery_advertise_finish (SATORI_DISCOVERY (source), result, &error);

  if (advert->removed)
    {
      advert_release (advert);
      return;
    }
  advert_release (advert);
  advert->granted = error == NULL;
  if (error == NULL)
    {
      g_debug ("Advertised %s on %s for %u s", advert->namespace_, G_OBJECT_TYPE_NAME (source),
               ttl);
      if (ttl > 0)
        schedule (advert, satori_peers_advert_renew_delay (ttl));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      advert->unsupported = TRUE;
      g_debug ("%s does not advertise: %s", G_OBJECT_TYPE_NAME (source), error->message);
      return;
    }
  g_message (_("Cannot advertise %s on %s, retrying in %u s: %s"), advert->namespace_,
             G_OBJECT_TYPE_NAME (source), SATORI_PEERS_ADVERT_RETRY, error->message);
  schedule (advert, SATORI_PEERS_ADVERT_RETRY);
}

static void
advertise (Advert *advert)
{
  g_autofree char *name = satori_peers_discovery_namespace (advert->discovery,
                                                            advert->namespace_);

  satori_discovery_advertise_async (advert->discovery, name, advert->owner->ttl,
                                    advert->cancellable, on_advertised,
                                    g_rc_box_acquire (advert));
}

static void
start_advert (SatoriPeersAdverts *adverts, SatoriDiscovery *discovery, const char *namespace_)
{
  Advert *advert = g_rc_box_new0 (Advert);

  advert->owner = adverts;
  advert->discovery = g_object_ref (discovery);
  advert->namespace_ = g_strdup (namespace_);
  advert->cancellable = g_cancellable_new ();
  g_ptr_array_add (adverts->adverts, advert);
  advertise (advert);
}

static gboolean
has_namespace (SatoriPeersAdverts *adverts, const char *namespace_)
{
  return g_ptr_array_find_with_equal_func (adverts->namespaces, namespace_, g_str_equal, NULL);
}

/* Advertises the namespaces wanted on @discovery too. */
void
satori_peers_adverts_add_discovery (SatoriPeersAdverts *adverts, SatoriDiscovery *discovery)
{
  if (g_ptr_array_find (adverts->discoveries, discovery, NULL))
    return;
  g_ptr_array_add (adverts->discoveries, g_object_ref (discovery));
  for (guint i = 0; i < adverts->namespaces->len; i++)
    start_advert (adverts, discovery, g_ptr_array_index (adverts->namespaces, i));
}

/* Advertises @namespace_ on every discovery, unless it already is. */
void
satori_peers_adverts_add (SatoriPeersAdverts *adverts, const char *namespace_)
{
  if (has_namespace (adverts, namespace_))
    return;
  g_ptr_array_add (adverts->namespaces, g_strdup (namespace_));
  for (guint i = 0; i < adverts->discoveries->len; i++)
    start_advert (adverts, g_ptr_array_index (adverts->discoveries, i), namespace_);
}

static void
on_withdrawn (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autofree char *namespace_ = user_data;
  g_autoptr(GError) error = NULL;

  /* Not worth more than a debug line: what stays runs out at its TTL. */
  if (!satori_discovery_withdraw_finish (SATORI_DISCOVERY (source), result, &error))
    g_debug ("Cannot withdraw %s from %s: %s", namespace_, G_OBJECT_TYPE_NAME (source),
             error->message);
  else
    g_debug ("Withdrew %s from %s", namespace_, G_OBJECT_TYPE_NAME (source));
}

/* Withdraws the advertisement at index @i and forgets it. */
static void
withdraw_at (SatoriPeersAdverts *adverts, guint i)
{
  Advert *advert = g_ptr_array_index (adverts->adverts, i);

  if (!advert->unsupported)
    {
      g_autofree char *name = satori_peers_discovery_namespace (advert->discovery,
                                                                advert->namespace_);
      satori_discovery_withdraw_async (advert->discovery, name, NULL, on_withdrawn,
                                       g_strdup (name));
    }
  g_ptr_array_remove_index (adverts->adverts, i);
}

/* Stops advertising @namespace_ and withdraws it everywhere. */
void
satori_peers_adverts_remove (SatoriPeersAdverts *adverts, const char *namespace_)
{
  guint index;

  if (g_ptr_array_find_with_equal_func (adverts->namespaces, namespace_, g_str_equal, &index))
    g_ptr_array_remove_index (adverts->namespaces, index);
  for (guint i = adverts->adverts->len; i > 0; i--)
    if (g_str_equal (((Advert *) g_ptr_array_index (adverts->adverts, i - 1))->namespace_,
                     namespace_))
      withdraw_at (adverts, i - 1);
}

void
satori_peers_adverts_remove_all (SatoriPeersAdverts *adverts)
{
  for (guint i = adverts->adverts->len; i > 0; i--)
    withdraw_at (adverts, i - 1);
  g_ptr_array_set_size (adverts->namespaces, 0);
}

/* On how many discoveries @namespace_ is currently granted. */
guint
satori_peers_adverts_count (SatoriPeersAdverts *adverts, const char *namespace_)
{
  guint count = 0;

  for (guint i = 0; i < adverts->adverts->len; i++)
    {
      Advert *advert = g_ptr_array_index (adverts->adverts, i);
      count += advert->granted && g_str_equal (advert->namespace_, namespace_);
    }
  return count;
}
