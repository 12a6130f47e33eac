/* The SQLite store: records, providers and what we publish ourselves
 * survive a restart, expire, and stay within their limits; databases of
 * the first schema are brought up to date, others refused by name.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "kad-test-util.h"
#include "satori-kad-error.h"
#include "satori-kad-store.h"

static const SatoriKadStoreLimits limits = {
  .max_records = 3, .max_provider_keys = 2, .max_providers_per_key = 2,
};

static void
test_persist (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kad-store-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (dir, "dht.sqlite", NULL);
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/a", 7);
  g_autoptr(GBytes) value = g_bytes_new_static ("value-a", 7);
  g_autoptr(GBytes) raw_key = g_bytes_new_static ("/satori/sub/x", 13);
  g_autoptr(SatoriKadPeer) provider = kad_test_peer (1);

  {
    g_autoptr(SatoriKadStore) store = satori_kad_store_open (path, &limits, &error);
    g_assert_no_error (error);
    g_assert_true (satori_kad_store_put_record (store, key, value, 1000, &error));
    g_assert_true (satori_kad_store_add_provider (store, raw_key, provider, 5000, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(SatoriKadStore) store = satori_kad_store_open (path, &limits, &error);
    g_assert_no_error (error);
    gint64 received = 0;
    g_autoptr(GBytes) back = satori_kad_store_get_record (store, key, &received);
    g_assert_nonnull (back);
    g_assert_true (g_bytes_equal (back, value));
    g_assert_cmpint (received, ==, 1000);
    g_autoptr(GPtrArray) providers = satori_kad_store_get_providers (store, raw_key, 4000, 10);
    g_assert_cmpuint (providers->len, ==, 1);
    SatoriKadPeer *got = providers->pdata[0];
    g_assert_true (g_bytes_equal (got->id, provider->id));
    g_assert_cmpuint (got->addrs->len, ==, 1);
    g_assert_true (g_bytes_equal (got->addrs->pdata[0], provider->addrs->pdata[0]));
  }
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_expiry (void)
{
  g_autoptr(SatoriKadStore) store = satori_kad_store_open (":memory:", &limits, NULL);
  g_autoptr(GBytes) old_key = g_bytes_new_static ("/test/old", 9);
  g_autoptr(GBytes) new_key = g_bytes_new_static ("/test/new", 9);
  g_autoptr(GBytes) value = g_bytes_new_static ("v", 1);
  g_autoptr(GBytes) cid = g_bytes_new_static ("\x12\x01x", 3);
  g_autoptr(SatoriKadPeer) early = kad_test_peer (1);
  g_autoptr(SatoriKadPeer) late = kad_test_peer (2);

  g_assert_true (satori_kad_store_put_record (store, old_key, value, 100, NULL));
  g_assert_true (satori_kad_store_put_record (store, new_key, value, 900, NULL));
  g_assert_true (satori_kad_store_add_provider (store, cid, early, 500, NULL));
  g_assert_true (satori_kad_store_add_provider (store, cid, late, 2000, NULL));

  /* Expired providers are not returned even before the cleanup. */
  g_autoptr(GPtrArray) before = satori_kad_store_get_providers (store, cid, 600, 10);
  g_assert_cmpuint (before->len, ==, 1);
  g_assert_cmpuint (satori_kad_store_count_providers (store), ==, 2);

  /* At 1000 with a maximum age of 500: the record of 100 and the
   * provider expiring at 500 go. */
  g_assert_cmpuint (satori_kad_store_remove_expired (store, 1000, 500), ==, 2);
  g_assert_cmpuint (satori_kad_store_count_records (store), ==, 1);
  g_assert_cmpuint (satori_kad_store_count_providers (store), ==, 1);
  g_autoptr(GBytes) gone = satori_kad_store_get_record (store, old_key, NULL);
  g_assert_null (gone);
}

static void
test_limits (void)
{
  g_autoptr(SatoriKadStore) store = satori_kad_store_open (":memory:", &limits, NULL);
  g_autoptr(GBytes) value = g_bytes_new_static ("v", 1);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *k = g_strdup_printf ("/test/%u", i);
      g_autoptr(GBytes) key = g_bytes_new (k, strlen (k));
      g_assert_true (satori_kad_store_put_record (store, key, value, 0, NULL));
    }
  g_autoptr(GBytes) fourth = g_bytes_new_static ("/test/3", 7);
  g_assert_false (satori_kad_store_put_record (store, fourth, value, 0, &error));
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_FULL);
  g_clear_error (&error);
  /* Replacing a record is still allowed. */
  g_autoptr(GBytes) first = g_bytes_new_static ("/test/0", 7);
  g_assert_true (satori_kad_store_put_record (store, first, value, 1, NULL));

  g_autoptr(GBytes) key_a = g_bytes_new_static ("/a", 2);
  g_autoptr(GBytes) key_b = g_bytes_new_static ("/b", 2);
  g_autoptr(GBytes) key_c = g_bytes_new_static ("/c", 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SatoriKadPeer) peer = kad_test_peer (i);
      g_assert_true (satori_kad_store_add_provider (store, key_a, peer, 100, NULL));
    }
  g_autoptr(SatoriKadPeer) third = kad_test_peer (2);
  g_assert_false (satori_kad_store_add_provider (store, key_a, third, 100, &error));
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_FULL);
  g_clear_error (&error);
  g_assert_true (satori_kad_store_add_provider (store, key_b, third, 100, NULL));
  g_assert_false (satori_kad_store_add_provider (store, key_c, third, 100, &error));
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_FULL);
  /* Renewing a known provider is allowed. */
  g_autoptr(SatoriKadPeer) renew = kad_test_peer (0);
  g_assert_true (satori_kad_store_add_provider (store, key_a, renew, 200, NULL));
  g_assert_cmpuint (satori_kad_store_count_providers (store), ==, 3);
  /* Once expired, room is made for new keys. */
  satori_kad_store_remove_expired (store, 150, G_MAXINT64 / 2);
  g_assert_true (satori_kad_store_add_provider (store, key_c, third, 300, NULL));
}

/* A temporary directory and a database path in it, removed by the test. */
static char *
temp_db (char **dir_out)
{
  g_autoptr(GError) error = NULL;
  *dir_out = g_dir_make_tmp ("kad-store-XXXXXX", &error);
  g_assert_no_error (error);
  return g_build_filename (*dir_out, "dht.sqlite", NULL);
}

static void
remove_temp_db (char *dir, char *path)
{
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static SatoriKadOwnEntry *
find_own (GPtrArray *own, SatoriKadOwnKind kind, GBytes *key)
{
  for (guint i = 0; i < own->len; i++)
    {
      SatoriKadOwnEntry *entry = own->pdata[i];
      if (entry->kind == kind && g_bytes_equal (entry->key, key))
        return entry;
    }
  return NULL;
}

/* The records we put and the keys we provide, with their next republish
 * time, are there after a reopen; updates replace, removals stay removed. */
static void
test_own (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_db (&dir);
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/mine", 10);
  g_autoptr(GBytes) value = g_bytes_new_static ("v1", 2);
  g_autoptr(GBytes) other = g_bytes_new_static ("/test/other", 11);
  g_autoptr(GBytes) provided = g_bytes_new_static ("/satori/sub/mine", 16);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(SatoriKadStore) store = satori_kad_store_open (path, &limits, &error);
    g_assert_no_error (error);
    g_assert_true (satori_kad_store_set_own (store, SATORI_KAD_OWN_RECORD, key, value, 10, &error));
    g_assert_true (satori_kad_store_set_own (store, SATORI_KAD_OWN_RECORD, other, value, 10, &error));
    g_assert_true (satori_kad_store_set_own (store, SATORI_KAD_OWN_PROVIDER, provided, NULL, 20,
                                             &error));
    /* The same key as a record and as a provided key are two entries. */
    g_assert_true (satori_kad_store_set_own (store, SATORI_KAD_OWN_PROVIDER, key, NULL, 30, &error));
    g_assert_true (satori_kad_store_set_own (store, SATORI_KAD_OWN_RECORD, key, value, 40, &error));
    satori_kad_store_remove_own (store, SATORI_KAD_OWN_RECORD, other);
    g_assert_no_error (error);
  }
  {
    g_autoptr(SatoriKadStore) store = satori_kad_store_open (path, &limits, &error);
    g_assert_no_error (error);
    g_autoptr(GPtrArray) own = satori_kad_store_list_own (store);
    g_assert_cmpuint (own->len, ==, 3);
    SatoriKadOwnEntry *record = find_own (own, SATORI_KAD_OWN_RECORD, key);
    g_assert_nonnull (record);
    g_assert_true (g_bytes_equal (record->value, value));
    g_assert_cmpint (record->next_us, ==, 40);
    SatoriKadOwnEntry *provider = find_own (own, SATORI_KAD_OWN_PROVIDER, provided);
    g_assert_nonnull (provider);
    g_assert_null (provider->value);
    g_assert_cmpint (provider->next_us, ==, 20);
    g_assert_nonnull (find_own (own, SATORI_KAD_OWN_PROVIDER, key));
    g_assert_null (find_own (own, SATORI_KAD_OWN_RECORD, other));
  }
  remove_temp_db (dir, path);
}

static void
exec_sql (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A database written before the schema had a version (records and
 * providers only) opens with its contents, and takes what is ours. */
static void
test_old_schema (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_db (&dir);
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/a", 7);
  g_autoptr(GError) error = NULL;

  exec_sql (path,
            "CREATE TABLE records (key BLOB PRIMARY KEY, value BLOB NOT NULL,"
            "  received INTEGER NOT NULL);"
            "CREATE TABLE providers (key BLOB NOT NULL, peer BLOB NOT NULL, addrs BLOB NOT NULL,"
            "  expires INTEGER NOT NULL, PRIMARY KEY (key, peer));"
            "CREATE INDEX providers_expires ON providers (expires);"
            "CREATE INDEX records_received ON records (received);"
            "INSERT INTO records VALUES (CAST('/test/a' AS BLOB), CAST('old' AS BLOB), 7);");
  {
    g_autoptr(SatoriKadStore) store = satori_kad_store_open (path, &limits, &error);
    g_assert_no_error (error);
    gint64 received = 0;
    g_autoptr(GBytes) value = satori_kad_store_get_record (store, key, &received);
    g_assert_nonnull (value);
    g_assert_cmpmem (g_bytes_get_data (value, NULL), g_bytes_get_size (value), "old", 3);
    g_assert_cmpint (received, ==, 7);
    g_assert_true (satori_kad_store_set_own (store, SATORI_KAD_OWN_RECORD, key, value, 1, &error));
    g_assert_no_error (error);
  }
  /* Migrated once: it opens again as it is. */
  {
    g_autoptr(SatoriKadStore) store = satori_kad_store_open (path, &limits, &error);
    g_assert_no_error (error);
    g_autoptr(GPtrArray) own = satori_kad_store_list_own (store);
    g_assert_cmpuint (own->len, ==, 1);
  }
  remove_temp_db (dir, path);
}

/* A file that is not a database, and a database of a newer schema, are
 * refused with an error that names the file; neither is changed. */
static void
test_refused (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_db (&dir);
  g_autoptr(GError) error = NULL;
  static const char garbage[] = "this is not an SQLite database, not at all, not even close..";

  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  g_autoptr(SatoriKadStore) corrupt = satori_kad_store_open (path, &limits, &error);
  g_assert_null (corrupt);
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_STORE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "not a database"));
  g_clear_error (&error);
  g_autofree char *contents = NULL;
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, garbage);
  g_assert_cmpint (g_unlink (path), ==, 0);

  exec_sql (path, "PRAGMA user_version = 99;");
  g_autoptr(SatoriKadStore) newer = satori_kad_store_open (path, &limits, &error);
  g_assert_null (newer);
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_STORE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "schema version 99"));
  remove_temp_db (dir, path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_summary ("The DHT's SQLite store");
  g_test_add_func ("/kad/store/persist", test_persist);
  g_test_add_func ("/kad/store/expiry", test_expiry);
  g_test_add_func ("/kad/store/limits", test_limits);
  g_test_add_func ("/kad/store/own", test_own);
  g_test_add_func ("/kad/store/old-schema", test_old_schema);
  g_test_add_func ("/kad/store/refused", test_refused);
  return g_test_run ();
}
