/* The SQLite store of held messages, on a fake wall clock: the cap per
 * target, TTL expiry and purge, duplicates, response budgets, and what a
 * reopened file still holds. */
#include <glib/gstdio.h>

#include "satori-store-db.h"
#include "satori-store-test-util.h"

static SatoriStoreDb *
open_memory (guint max_per_target)
{
  g_autoptr(GError) error = NULL;
  SatoriStoreDb *db = satori_store_db_open (":memory:", max_per_target, &error);

  g_assert_no_error (error);
  return db;
}

static void
add (SatoriStoreDb *db, const char *id, guint8 target, const char *payload, gint64 timestamp_us)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriStoreEnvelope) envelope = store_test_envelope (id, target, 2, payload,
                                                                 timestamp_us);

  g_assert_true (satori_store_db_add (db, envelope, &error));
  g_assert_no_error (error);
}

static GPtrArray *
get (SatoriStoreDb *db, guint8 target, gint64 now_us, gsize max_bytes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *peer = store_test_peer (target);
  GPtrArray *messages = satori_store_db_get (db, peer, now_us, max_bytes, &error);

  g_assert_no_error (error);
  return messages;
}

static void
test_cap (void)
{
  g_autoptr(SatoriStoreDb) db = open_memory (1000);
  g_autofree char *peer = store_test_peer (1);

  g_test_summary ("A target holds at most 1000 messages: the oldest go first; other targets "
                  "keep theirs");
  add (db, "other", 3, "kept", STORE_TEST_NOW);
  for (guint i = 0; i < 1005; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%u", i);
      add (db, id, 1, id, STORE_TEST_NOW);
    }
  g_assert_cmpuint (satori_store_db_count (db, peer), ==, 1000);
  g_assert_cmpuint (satori_store_db_count (db, NULL), ==, 1001);
  g_autoptr(GPtrArray) messages = get (db, 1, STORE_TEST_NOW, G_MAXSIZE);
  g_assert_cmpuint (messages->len, ==, 1000);
  g_assert_cmpstr (((SatoriStoreEnvelope *) g_ptr_array_index (messages, 0))->message_id, ==,
                   "m5");
  g_assert_cmpstr (((SatoriStoreEnvelope *) g_ptr_array_index (messages, 999))->message_id, ==,
                   "m1004");
}

static void
test_expiry (void)
{
  g_autoptr(SatoriStoreDb) db = open_memory (10);
  gint64 hour = SATORI_STORE_HOUR_US;

  g_test_summary ("Past its TTL a message is no longer handed out, and a purge deletes it");
  add (db, "old", 1, "old", STORE_TEST_NOW - 23 * hour);
  add (db, "new", 1, "new", STORE_TEST_NOW);
  g_autoptr(GPtrArray) before = get (db, 1, STORE_TEST_NOW, G_MAXSIZE);
  g_assert_cmpuint (before->len, ==, 2);

  gint64 later = STORE_TEST_NOW + 2 * hour;
  g_autoptr(GPtrArray) after = get (db, 1, later, G_MAXSIZE);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpstr (((SatoriStoreEnvelope *) g_ptr_array_index (after, 0))->message_id, ==,
                   "new");
  g_auto(GStrv) targets = satori_store_db_get_targets (db, later);
  g_assert_cmpuint (g_strv_length (targets), ==, 1);
  g_assert_cmpuint (satori_store_db_count (db, NULL), ==, 2);
  g_assert_cmpuint (satori_store_db_purge (db, later), ==, 1);
  g_assert_cmpuint (satori_store_db_count (db, NULL), ==, 1);
  g_assert_cmpuint (satori_store_db_purge (db, STORE_TEST_NOW + 25 * hour), ==, 1);
  g_auto(GStrv) none = satori_store_db_get_targets (db, STORE_TEST_NOW + 25 * hour);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

static void
test_duplicate (void)
{
  g_autoptr(SatoriStoreDb) db = open_memory (10);

  g_test_summary ("A message id stored twice for one target (a replica sent again) is held once");
  add (db, "same", 1, "one", STORE_TEST_NOW);
  add (db, "same", 1, "one", STORE_TEST_NOW);
  add (db, "same", 3, "one", STORE_TEST_NOW);
  g_assert_cmpuint (satori_store_db_count (db, NULL), ==, 2);
}

static void
test_budget_and_remove (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriStoreDb) db = open_memory (10);
  g_autofree char *big = g_strnfill (3000, 'x');

  g_test_summary ("A response budget lets out the oldest message whatever its size, then what "
                  "fits; removal deletes exactly what was handed out");
  add (db, "a", 1, big, STORE_TEST_NOW);
  add (db, "b", 1, "small", STORE_TEST_NOW);
  add (db, "c", 1, "small", STORE_TEST_NOW);
  g_autoptr(GPtrArray) first = get (db, 1, STORE_TEST_NOW, 0);
  g_assert_cmpuint (first->len, ==, 1);
  g_autoptr(GPtrArray) two = get (db, 1, STORE_TEST_NOW, 6000);
  g_assert_cmpuint (two->len, ==, 2);
  g_assert_true (satori_store_db_remove (db, two, &error));
  g_assert_no_error (error);
  g_autoptr(GPtrArray) rest = get (db, 1, STORE_TEST_NOW, G_MAXSIZE);
  g_assert_cmpuint (rest->len, ==, 1);
  g_assert_cmpstr (((SatoriStoreEnvelope *) g_ptr_array_index (rest, 0))->message_id, ==, "c");
}

static void
test_reopen (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("satori-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "deeper", "store.db", NULL);

  g_test_summary ("A file store creates its folder (mode 0700) and still holds its messages, "
                  "payload and times intact, once reopened");
  SatoriStoreDb *db = satori_store_db_open (path, 10, &error);
  g_assert_no_error (error);
  add (db, "kept", 1, "payload \x01\x02", STORE_TEST_NOW - 7);
  satori_store_db_free (db);

  GStatBuf st;
  g_autofree char *folder = g_path_get_dirname (path);
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  db = satori_store_db_open (path, 10, &error);
  g_assert_no_error (error);
  g_autoptr(GPtrArray) messages = get (db, 1, STORE_TEST_NOW, G_MAXSIZE);
  g_assert_cmpuint (messages->len, ==, 1);
  SatoriStoreEnvelope *envelope = g_ptr_array_index (messages, 0);
  g_assert_cmpmem (g_bytes_get_data (envelope->payload, NULL),
                   g_bytes_get_size (envelope->payload), "payload \x01\x02", 10);
  g_assert_cmpint (envelope->timestamp_us, ==, STORE_TEST_NOW - 7);
  g_assert_cmpint (envelope->ttl_us, ==, 24 * SATORI_STORE_HOUR_US);
  g_assert_cmpstr (envelope->stream_id, ==, "stream-1");
  satori_store_db_free (db);

  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
  g_rmdir (folder);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/satori-store/db/cap", test_cap);
  g_test_add_func ("/satori-store/db/expiry", test_expiry);
  g_test_add_func ("/satori-store/db/duplicate", test_duplicate);
  g_test_add_func ("/satori-store/db/budget-and-remove", test_budget_and_remove);
  g_test_add_func ("/satori-store/db/reopen", test_reopen);
  return g_test_run ();
}
