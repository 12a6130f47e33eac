/* The bootstrap discovery on hosts in one process (memory transport,
 * plaintext, yamux): it connects to its configured peer, re-dials after a
 * disconnect, and resolves /dnsaddr/ through the default GResolver (a
 * test resolver answering TXT lookups, GIO's own way of testing them).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satorip2p.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_bootstrap_register (SatoriRegistry *registry, GError **error);

/* A resolver that answers TXT lookups of one name. */
#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

struct _TestResolver
{
  GResolver parent_instance;
  char     *name;
  char     *txt;
  guint     lookups;
};

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static void
test_resolver_lookup_records_async (GResolver *resolver, const char *rrname,
                                    GResolverRecordType record_type, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  TestResolver *self = TEST_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  self->lookups++;
  if (record_type != G_RESOLVER_RECORD_TXT || g_strcmp0 (rrname, self->name) != 0)
    {
      g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                               "no record for %s", rrname);
      return;
    }
  /* A TXT record as GIO gives it: its strings, here the entry split in two
   * and an unrelated record besides. */
  gsize half = strlen (self->txt) / 2;
  g_autofree char *head = g_strndup (self->txt, half);
  const char *split[] = { head, self->txt + half, NULL };
  const char *other[] = { "v=spf1 -all", NULL };
  GList *records = NULL;
  records = g_list_append (records, g_variant_ref_sink (g_variant_new ("(^as)", split)));
  records = g_list_append (records, g_variant_ref_sink (g_variant_new ("(^as)", other)));
  g_task_return_pointer (task, records, NULL);
}

static GList *
test_resolver_lookup_records_finish (GResolver *resolver, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_finalize (GObject *object)
{
  TestResolver *self = TEST_RESOLVER (object);
  g_free (self->name);
  g_free (self->txt);
  G_OBJECT_CLASS (test_resolver_parent_class)->finalize (object);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_resolver_finalize;
  G_RESOLVER_CLASS (klass)->lookup_records_async = test_resolver_lookup_records_async;
  G_RESOLVER_CLASS (klass)->lookup_records_finish = test_resolver_lookup_records_finish;
}

static void
test_resolver_init (TestResolver *self)
{
}

typedef struct
{
  SatoriRegistry  *registry;
  SatoriHost      *a;
  SatoriHost      *b;
  char            *b_address;  /* with /p2p/ */
  SatoriDiscovery *bootstrap;  /* of a */
  guint            discovered;
} Fixture;

static void
on_discovered (SatoriDiscovery *discovery, SatoriPeerInfo *peer, gpointer user_data)
{
  Fixture *fixture = user_data;
  g_assert_true (satori_peer_id_equal (satori_peer_info_get_peer_id (peer),
                                       satori_host_get_peer_id (fixture->b)));
  fixture->discovered++;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_memory_register (fixture->registry, &error));
  g_assert_true (satori_plugin_plaintext_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_bootstrap_register (fixture->registry, &error));
  g_assert_no_error (error);
  fixture->a = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
  fixture->b = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
  fixture->b_address = satori_test_listen (fixture->b, "/memory/0");
  fixture->bootstrap = satori_test_create (fixture->registry, SATORI_TYPE_DISCOVERY, "bootstrap");
  g_signal_connect (fixture->bootstrap, "peer-discovered", G_CALLBACK (on_discovered), fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  satori_discovery_stop (fixture->bootstrap);
  g_object_unref (fixture->bootstrap);
  satori_host_close (fixture->a);
  satori_host_close (fixture->b);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (fixture->a);
  g_object_unref (fixture->b);
  g_free (fixture->b_address);
  g_object_unref (fixture->registry);
}

static void
start (Fixture *fixture, const char *peer)
{
  const char *peers[] = { peer, NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (fixture->bootstrap, "host", fixture->a, "peers", peers, "min-connections", 1,
                NULL);
  satori_discovery_start_async (fixture->bootstrap, NULL, satori_test_store_result, &result);
  g_assert_true (satori_discovery_start_finish (fixture->bootstrap, satori_test_wait (&result),
                                                &error));
  g_assert_no_error (error);
}

static gboolean
timed_out (gpointer user_data)
{
  g_error ("no connection to the bootstrap peer after 10 s");
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until a is connected to b. */
static SatoriConnection *
wait_connected (Fixture *fixture)
{
  guint timeout = g_timeout_add_seconds (10, timed_out, NULL);
  SatoriConnection *connection;
  while ((connection = satori_host_get_connection (fixture->a,
                                                   satori_host_get_peer_id (fixture->b))) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  return connection;
}

static void
test_connects (Fixture *fixture, gconstpointer data)
{
  start (fixture, fixture->b_address);
  wait_connected (fixture);
  g_assert_cmpuint (fixture->discovered, ==, 1);
}

static void
test_redials_after_disconnect (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  start (fixture, fixture->b_address);
  g_autoptr(SatoriConnection) first = g_object_ref (wait_connected (fixture));
  satori_connection_close_async (first, NULL, satori_test_store_result, &result);
  g_assert_true (satori_connection_close_finish (first, satori_test_wait (&result), &error));
  g_assert_no_error (error);

  SatoriConnection *second = wait_connected (fixture);
  g_assert_true (second != first);
  g_assert_cmpuint (fixture->discovered, ==, 2);
}

static void
test_dnsaddr (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(TestResolver) resolver = g_object_new (TEST_TYPE_RESOLVER, NULL);
  g_autofree char *peer = satori_peer_id_to_string (satori_host_get_peer_id (fixture->b));
  g_autofree char *dnsaddr = g_strdup_printf ("/dnsaddr/boot.test/p2p/%s", peer);

  resolver->name = g_strdup ("_dnsaddr.boot.test");
  resolver->txt = g_strdup_printf ("dnsaddr=%s", fixture->b_address);
  g_resolver_set_default (G_RESOLVER (resolver));
  start (fixture, dnsaddr);
  wait_connected (fixture);
  g_resolver_set_default (previous);
  g_assert_cmpuint (resolver->lookups, ==, 1);
}

static void
test_bad_peer (Fixture *fixture, gconstpointer data)
{
  const char *peers[] = { "/memory/1", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (fixture->bootstrap, "host", fixture->a, "peers", peers, NULL);
  satori_discovery_start_async (fixture->bootstrap, NULL, satori_test_store_result, &result);
  g_assert_false (satori_discovery_start_finish (fixture->bootstrap, satori_test_wait (&result),
                                                 &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/memory/1"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/bootstrap/connects", Fixture, NULL, fixture_set_up, test_connects,
              fixture_tear_down);
  g_test_add ("/bootstrap/redials-after-disconnect", Fixture, NULL, fixture_set_up,
              test_redials_after_disconnect, fixture_tear_down);
  g_test_add ("/bootstrap/dnsaddr-through-resolver", Fixture, NULL, fixture_set_up,
              test_dnsaddr, fixture_tear_down);
  g_test_add ("/bootstrap/refuses-address-without-p2p", Fixture, NULL, fixture_set_up,
              test_bad_peer, fixture_tear_down);
  return g_test_run ();
}
