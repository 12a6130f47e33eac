/* The connection manager's trimming policy, with a fake clock. */
#include "satorip2p.h"
#include "satori-conn-manager.h"
#include "satori-test-util.h"

#define SECOND G_USEC_PER_SEC

static SatoriPeerId *
peer_new (guint8 fill)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (fill);
  return satori_peer_id_new_from_public_key (satori_private_key_get_public_key (key));
}

/* Connections are opaque to the manager: small integers will do. */
#define CONN(n) GUINT_TO_POINTER (n)

static gboolean
contains (GPtrArray *array, gpointer connection)
{
  return g_ptr_array_find (array, connection, NULL);
}

static void
test_below_high_water (void)
{
  g_autoptr(SatoriConnManager) manager = satori_conn_manager_new (2, 3, 10 * SECOND);
  g_autoptr(SatoriPeerId) peer = peer_new (1);

  g_test_summary ("Nothing is trimmed up to the high watermark");
  for (guint i = 1; i <= 3; i++)
    satori_conn_manager_add (manager, CONN (i), peer, 0);
  g_autoptr(GPtrArray) victims = satori_conn_manager_trim (manager, 100 * SECOND);
  g_assert_cmpuint (victims->len, ==, 0);
  g_assert_cmpuint (satori_conn_manager_get_count (manager), ==, 3);
  g_assert_cmpint (satori_conn_manager_next_deadline_us (manager), ==, G_MAXINT64);
}

static void
test_trim_to_low_water (void)
{
  g_autoptr(SatoriConnManager) manager = satori_conn_manager_new (2, 4, 10 * SECOND);
  g_autoptr(SatoriPeerId) peer = peer_new (1);

  g_test_summary ("Above high water, the idle, longest idle, oldest go first, down to low water");
  /* 1 is oldest and idle, 2 busy, 3 idle but active lately, 4 and 5 idle. */
  for (guint i = 1; i <= 5; i++)
    satori_conn_manager_add (manager, CONN (i), peer, i * SECOND);
  satori_conn_manager_update (manager, CONN (2), 1, FALSE, 20 * SECOND);
  satori_conn_manager_update (manager, CONN (3), 1, FALSE, 30 * SECOND);
  satori_conn_manager_update (manager, CONN (3), 0, FALSE, 40 * SECOND);

  g_autoptr(GPtrArray) victims = satori_conn_manager_trim (manager, 60 * SECOND);
  g_assert_cmpuint (victims->len, ==, 3);
  g_assert_true (g_ptr_array_index (victims, 0) == CONN (1));
  g_assert_true (g_ptr_array_index (victims, 1) == CONN (4));
  g_assert_true (g_ptr_array_index (victims, 2) == CONN (5));
  g_assert_false (contains (victims, CONN (2)));
  g_assert_cmpuint (satori_conn_manager_get_count (manager), ==, 2);

  /* What was picked is no longer tracked: a second trim picks nothing. */
  g_autoptr(GPtrArray) again = satori_conn_manager_trim (manager, 61 * SECOND);
  g_assert_cmpuint (again->len, ==, 0);
}

static void
test_grace_period (void)
{
  g_autoptr(SatoriConnManager) manager = satori_conn_manager_new (1, 2, 30 * SECOND);
  g_autoptr(SatoriPeerId) peer = peer_new (1);

  g_test_summary ("Connections younger than the grace period are kept, and the deadline says when");
  satori_conn_manager_add (manager, CONN (1), peer, 0);
  satori_conn_manager_add (manager, CONN (2), peer, 20 * SECOND);
  satori_conn_manager_add (manager, CONN (3), peer, 25 * SECOND);

  g_autoptr(GPtrArray) first = satori_conn_manager_trim (manager, 40 * SECOND);
  g_assert_cmpuint (first->len, ==, 1);
  g_assert_true (g_ptr_array_index (first, 0) == CONN (1));
  /* Still 2 ≤ high water: nothing more is due. */
  g_assert_cmpint (satori_conn_manager_next_deadline_us (manager), ==, G_MAXINT64);

  satori_conn_manager_add (manager, CONN (4), peer, 41 * SECOND);
  g_autoptr(GPtrArray) second = satori_conn_manager_trim (manager, 42 * SECOND);
  g_assert_cmpuint (second->len, ==, 0);
  g_assert_cmpint (satori_conn_manager_next_deadline_us (manager), ==, 50 * SECOND);
  g_autoptr(GPtrArray) third = satori_conn_manager_trim (manager, 50 * SECOND);
  g_assert_cmpuint (third->len, ==, 1);
  g_assert_true (g_ptr_array_index (third, 0) == CONN (2));
}

static void
test_protect (void)
{
  g_autoptr(SatoriConnManager) manager = satori_conn_manager_new (0, 1, 0);
  g_autoptr(SatoriPeerId) kept = peer_new (1);
  g_autoptr(SatoriPeerId) other = peer_new (2);

  g_test_summary ("A protected peer's connections are never trimmed until every tag is removed");
  satori_conn_manager_protect (manager, kept, "relay");
  satori_conn_manager_protect (manager, kept, "mesh");
  satori_conn_manager_add (manager, CONN (1), kept, 0);
  satori_conn_manager_add (manager, CONN (2), other, 5);
  satori_conn_manager_add (manager, CONN (3), kept, 10);

  g_autoptr(GPtrArray) victims = satori_conn_manager_trim (manager, SECOND);
  g_assert_cmpuint (victims->len, ==, 1);
  g_assert_true (g_ptr_array_index (victims, 0) == CONN (2));

  g_assert_true (satori_conn_manager_unprotect (manager, kept, "relay"));
  g_assert_true (satori_conn_manager_is_protected (manager, kept));
  g_autoptr(GPtrArray) none = satori_conn_manager_trim (manager, 2 * SECOND);
  g_assert_cmpuint (none->len, ==, 0);

  g_assert_false (satori_conn_manager_unprotect (manager, kept, "mesh"));
  g_assert_false (satori_conn_manager_is_protected (manager, kept));
  g_autoptr(GPtrArray) both = satori_conn_manager_trim (manager, 3 * SECOND);
  g_assert_cmpuint (both->len, ==, 2);
}

static void
test_redundant_first (void)
{
  g_autoptr(SatoriConnManager) manager = satori_conn_manager_new (1, 1, 0);
  g_autoptr(SatoriPeerId) peer = peer_new (1);

  g_test_summary ("A redundant second connection to a peer goes before a busier primary");
  satori_conn_manager_add (manager, CONN (1), peer, 0);
  satori_conn_manager_add (manager, CONN (2), peer, SECOND);
  satori_conn_manager_update (manager, CONN (1), 1, TRUE, 2 * SECOND);
  satori_conn_manager_update (manager, CONN (2), 0, FALSE, 2 * SECOND);

  g_autoptr(GPtrArray) victims = satori_conn_manager_trim (manager, 3 * SECOND);
  g_assert_cmpuint (victims->len, ==, 1);
  g_assert_true (g_ptr_array_index (victims, 0) == CONN (1));

  /* Removing a connection that was already picked is harmless. */
  satori_conn_manager_remove (manager, CONN (1));
  satori_conn_manager_remove (manager, CONN (2));
  g_assert_cmpuint (satori_conn_manager_get_count (manager), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/conn-manager/trim/below-high-water", test_below_high_water);
  g_test_add_func ("/conn-manager/trim/to-low-water", test_trim_to_low_water);
  g_test_add_func ("/conn-manager/trim/grace-period", test_grace_period);
  g_test_add_func ("/conn-manager/protect/tags", test_protect);
  g_test_add_func ("/conn-manager/trim/redundant-first", test_redundant_first);
  return g_test_run ();
}
