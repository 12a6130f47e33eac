/* satori-kad-store.c — records and provider records in SQLite
 *
 * Times are whatever clock the caller passes; the DHT core passes its
 * `now`, which the driver must take from the wall clock for stored times
 * to keep their meaning across restarts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-kad-store.h"

#include <sqlite3.h>

#include "satori-frame.h"
#include "satori-kad-error.h"
#include "satori-kad-message.h"

G_DEFINE_QUARK (satori-kad-error-quark, satori_kad_error)

enum {
  STMT_PUT_RECORD,
  STMT_GET_RECORD,
  STMT_HAS_RECORD,
  STMT_PUT_PROVIDER,
  STMT_GET_PROVIDERS,
  STMT_HAS_PROVIDER,
  STMT_COUNT_KEY_PROVIDERS,
  STMT_EXPIRE_RECORDS,
  STMT_EXPIRE_PROVIDERS,
  STMT_COUNT_RECORDS,
  STMT_COUNT_PROVIDERS,
  STMT_COUNT_PROVIDER_KEYS,
  STMT_SET_OWN,
  STMT_REMOVE_OWN,
  STMT_REMOVE_PROVIDER,
  STMT_LIST_OWN,
  N_STMTS
};

static const char *const statements[N_STMTS] = {
  [STMT_PUT_RECORD] = "INSERT OR REPLACE INTO records (key, value, received) VALUES (?, ?, ?)",
  [STMT_GET_RECORD] = "SELECT value, received FROM records WHERE key = ?",
  [STMT_HAS_RECORD] = "SELECT 1 FROM records WHERE key = ?",
  [STMT_PUT_PROVIDER] = "INSERT OR REPLACE INTO providers (key, peer, addrs, expires) "
                        "VALUES (?, ?, ?, ?)",
  [STMT_GET_PROVIDERS] = "SELECT peer, addrs FROM providers WHERE key = ? AND expires > ? "
                         "ORDER BY expires DESC LIMIT ?",
  [STMT_HAS_PROVIDER] = "SELECT 1 FROM providers WHERE key = ? AND peer = ?",
  [STMT_COUNT_KEY_PROVIDERS] = "SELECT COUNT(*) FROM providers WHERE key = ?",
  [STMT_EXPIRE_RECORDS] = "DELETE FROM records WHERE received < ?",
  [STMT_EXPIRE_PROVIDERS] = "DELETE FROM providers WHERE expires <= ?",
  [STMT_COUNT_RECORDS] = "SELECT COUNT(*) FROM records",
  [STMT_COUNT_PROVIDERS] = "SELECT COUNT(*) FROM providers",
  [STMT_COUNT_PROVIDER_KEYS] = "SELECT COUNT(DISTINCT key) FROM providers",
  [STMT_SET_OWN] = "INSERT OR REPLACE INTO own (kind, key, value, next) VALUES (?, ?, ?, ?)",
  [STMT_REMOVE_OWN] = "DELETE FROM own WHERE kind = ? AND key = ?",
  [STMT_REMOVE_PROVIDER] = "DELETE FROM providers WHERE key = ? AND peer = ?",
  [STMT_LIST_OWN] = "SELECT kind, key, value, next FROM own",
};

/* migrations[n] takes a database from schema version n (PRAGMA
 * user_version) to n + 1. Databases from before the versioning are at 0
 * with the tables of the first step already there, hence IF NOT EXISTS. */
static const char *const migrations[] = {
  "CREATE TABLE IF NOT EXISTS records ("
  "  key BLOB PRIMARY KEY, value BLOB NOT NULL, received INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS providers ("
  "  key BLOB NOT NULL, peer BLOB NOT NULL, addrs BLOB NOT NULL, expires INTEGER NOT NULL,"
  "  PRIMARY KEY (key, peer));"
  "CREATE INDEX IF NOT EXISTS providers_expires ON providers (expires);"
  "CREATE INDEX IF NOT EXISTS records_received ON records (received);",
  /* What we put and provide ourselves, with the time of the next republish. */
  "CREATE TABLE own ("
  "  kind INTEGER NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL, next INTEGER NOT NULL,"
  "  PRIMARY KEY (kind, key));",
};

struct _SatoriKadStore {
  char *path;
  sqlite3 *db;
  sqlite3_stmt *stmts[N_STMTS];
  SatoriKadStoreLimits limits;
  guint n_provider_keys;
};

static gboolean
fail (SatoriKadStore *store, GError **error)
{
  g_set_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_STORE, "DHT store %s: %s",
               store->path, sqlite3_errmsg (store->db));
  return FALSE;
}

/* Resets @stmt and binds blobs and integers by position: 'b' takes a
 * GBytes *, 'i' a gint64. */
static sqlite3_stmt *
bind (SatoriKadStore *store, guint which, const char *types, ...)
{
  sqlite3_stmt *stmt = store->stmts[which];
  va_list args;

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  va_start (args, types);
  for (int i = 0; types[i] != '\0'; i++)
    {
      if (types[i] == 'b')
        {
          gsize len;
          const guint8 *data = g_bytes_get_data (va_arg (args, GBytes *), &len);
          /* An empty blob must still bind as a blob, not NULL. */
          sqlite3_bind_blob (stmt, i + 1, data != NULL ? (const void *) data : "", (int) len,
                             SQLITE_TRANSIENT);
        }
      else
        sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
    }
  va_end (args);
  return stmt;
}

static gint64
count (SatoriKadStore *store, sqlite3_stmt *stmt)
{
  gint64 n = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return n;
}

static GBytes *
column_bytes (sqlite3_stmt *stmt, int column)
{
  return g_bytes_new (sqlite3_column_blob (stmt, column), (gsize) sqlite3_column_bytes (stmt, column));
}

/* Brings the database to the newest schema, in one transaction; refuses
 * one written by a newer version. */
static gboolean
migrate (SatoriKadStore *store, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2 (store->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    return fail (store, error);
  gint64 version = count (store, stmt);
  sqlite3_finalize (stmt);
  if (version > (gint64) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_STORE,
                   "DHT store %s: schema version %" G_GINT64_FORMAT " is newer than this "
                   "version of satorip2p knows (%u)", store->path, version,
                   (guint) G_N_ELEMENTS (migrations));
      return FALSE;
    }
  if (version == (gint64) G_N_ELEMENTS (migrations))
    return TRUE;

  g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %u;",
                                           (guint) G_N_ELEMENTS (migrations));
  gboolean ok = sqlite3_exec (store->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
  for (gint64 v = version; ok && v < (gint64) G_N_ELEMENTS (migrations); v++)
    ok = sqlite3_exec (store->db, migrations[v], NULL, NULL, NULL) == SQLITE_OK;
  ok = ok && sqlite3_exec (store->db, bump, NULL, NULL, NULL) == SQLITE_OK
       && sqlite3_exec (store->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
  if (!ok)
    {
      fail (store, error);
      sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
    }
  return ok;
}

/**
 * satori_kad_store_open:
 * @path: a database file, created if missing, or ":memory:"
 * @limits: the bounds to apply
 * @error: %SATORI_KAD_ERROR_STORE, naming @path, when the database
 *   cannot be used: not a database, or of a newer schema
 *
 * Opens the store, bringing a database of an older schema up to date.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL on error
 */
SatoriKadStore *
satori_kad_store_open (const char *path, const SatoriKadStoreLimits *limits, GError **error)
{
  g_return_val_if_fail (path != NULL && limits != NULL, NULL);

  g_autoptr(SatoriKadStore) store = g_new0 (SatoriKadStore, 1);
  store->path = g_strdup (path);
  store->limits = *limits;
  if (sqlite3_open_v2 (path, &store->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      fail (store, error);
      return NULL;
    }
  if (!migrate (store, error))
    return NULL;
  for (guint i = 0; i < N_STMTS; i++)
    if (sqlite3_prepare_v2 (store->db, statements[i], -1, &store->stmts[i], NULL) != SQLITE_OK)
      {
        fail (store, error);
        return NULL;
      }
  store->n_provider_keys = (guint) count (store, store->stmts[STMT_COUNT_PROVIDER_KEYS]);
  return g_steal_pointer (&store);
}

/**
 * satori_kad_store_free:
 * @store: (transfer full): a store; the database is closed
 */
void
satori_kad_store_free (SatoriKadStore *store)
{
  if (store == NULL)
    return;
  for (guint i = 0; i < N_STMTS; i++)
    sqlite3_finalize (store->stmts[i]);
  sqlite3_close (store->db);
  g_free (store->path);
  g_free (store);
}

/**
 * satori_kad_store_put_record:
 * @store: a store
 * @key: the record key
 * @value: the value, already validated and selected
 * @received_us: when it was received
 * @error: %SATORI_KAD_ERROR_FULL when @key is new and the store holds
 *   its maximum of records, or %SATORI_KAD_ERROR_STORE
 *
 * Stores or replaces the record of @key.
 *
 * Returns: %TRUE on success
 */
gboolean
satori_kad_store_put_record (SatoriKadStore *store, GBytes *key, GBytes *value,
                             gint64 received_us, GError **error)
{
  sqlite3_stmt *stmt = bind (store, STMT_HAS_RECORD, "b", key);
  gboolean exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (!exists && satori_kad_store_count_records (store) >= store->limits.max_records)
    {
      g_set_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_FULL,
                   "DHT store holds its maximum of %u records", store->limits.max_records);
      return FALSE;
    }

  stmt = bind (store, STMT_PUT_RECORD, "bbi", key, value, received_us);
  int rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || fail (store, error);
}

/**
 * satori_kad_store_get_record:
 * @store: a store
 * @key: the record key
 * @received_us_out: (out) (optional): when the record was received
 *
 * Returns: (transfer full) (nullable): the value, or %NULL if none
 */
GBytes *
satori_kad_store_get_record (SatoriKadStore *store, GBytes *key, gint64 *received_us_out)
{
  sqlite3_stmt *stmt = bind (store, STMT_GET_RECORD, "b", key);
  GBytes *value = NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      value = column_bytes (stmt, 0);
      if (received_us_out != NULL)
        *received_us_out = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  return value;
}

static GBytes *
pack_addrs (GPtrArray *addrs)
{
  GByteArray *packed = g_byte_array_new ();
  for (guint i = 0; i < addrs->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (addrs->pdata[i], &len);
      satori_frame_append (packed, data, len);
    }
  return g_byte_array_free_to_bytes (packed);
}

static GPtrArray *
unpack_addrs (const guint8 *data, gsize len)
{
  GPtrArray *addrs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const guint8 *payload;
  gsize payload_len, consumed;
  while (len > 0
         && satori_frame_decode (data, len, SATORI_KAD_MAX_MESSAGE_SIZE, &payload, &payload_len,
                                 &consumed, NULL))
    {
      g_ptr_array_add (addrs, g_bytes_new (payload, payload_len));
      data += consumed;
      len -= consumed;
    }
  return addrs;
}

/**
 * satori_kad_store_add_provider:
 * @store: a store
 * @key: the provider key (a multihash, or a raw key such as `/satori/sub/<id>`)
 * @provider: the provider and its addresses
 * @expires_us: when the provider record expires
 * @error: %SATORI_KAD_ERROR_FULL when a new provider would go over a
 *   limit, or %SATORI_KAD_ERROR_STORE
 *
 * Adds @provider to @key, or renews it.
 *
 * Returns: %TRUE on success
 */
gboolean
satori_kad_store_add_provider (SatoriKadStore *store, GBytes *key, SatoriKadPeer *provider,
                               gint64 expires_us, GError **error)
{
  sqlite3_stmt *stmt = bind (store, STMT_HAS_PROVIDER, "bb", key, provider->id);
  gboolean exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  gint64 n_for_key = exists ? 0 : count (store, bind (store, STMT_COUNT_KEY_PROVIDERS, "b", key));
  if (!exists && (n_for_key >= store->limits.max_providers_per_key
                  || (n_for_key == 0
                      && store->n_provider_keys >= store->limits.max_provider_keys)))
    {
      g_set_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_FULL,
                   "DHT store holds its maximum of providers (%u per key, %u keys)",
                   store->limits.max_providers_per_key, store->limits.max_provider_keys);
      return FALSE;
    }

  g_autoptr(GBytes) addrs = pack_addrs (provider->addrs);
  stmt = bind (store, STMT_PUT_PROVIDER, "bbbi", key, provider->id, addrs, expires_us);
  int rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fail (store, error);
  if (!exists && n_for_key == 0)
    store->n_provider_keys++;
  return TRUE;
}

/**
 * satori_kad_store_get_providers:
 * @store: a store
 * @key: the provider key
 * @now_us: the current time; expired providers are left out
 * @max: how many at most
 *
 * Returns: (transfer full) (element-type SatoriKadPeer): the providers,
 *   latest to expire first
 */
GPtrArray *
satori_kad_store_get_providers (SatoriKadStore *store, GBytes *key, gint64 now_us, guint max)
{
  GPtrArray *providers = satori_kad_peer_array_new ();
  sqlite3_stmt *stmt = bind (store, STMT_GET_PROVIDERS, "bii", key, now_us, (gint64) max);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GBytes) id = column_bytes (stmt, 0);
      g_autoptr(GPtrArray) addrs = unpack_addrs (sqlite3_column_blob (stmt, 1),
                                                 (gsize) sqlite3_column_bytes (stmt, 1));
      g_ptr_array_add (providers, satori_kad_peer_new (id, addrs, SATORI_KAD_NOT_CONNECTED));
    }
  sqlite3_reset (stmt);
  return providers;
}

/**
 * satori_kad_store_remove_expired:
 * @store: a store
 * @now_us: the current time
 * @record_max_age_us: records received longer ago than this go
 *
 * Returns: how many records and provider records were removed
 */
guint
satori_kad_store_remove_expired (SatoriKadStore *store, gint64 now_us, gint64 record_max_age_us)
{
  guint removed = 0;
  sqlite3_stmt *stmt = bind (store, STMT_EXPIRE_RECORDS, "i", now_us - record_max_age_us);
  if (sqlite3_step (stmt) == SQLITE_DONE)
    removed += (guint) sqlite3_changes (store->db);
  sqlite3_reset (stmt);
  stmt = bind (store, STMT_EXPIRE_PROVIDERS, "i", now_us);
  if (sqlite3_step (stmt) == SQLITE_DONE)
    removed += (guint) sqlite3_changes (store->db);
  sqlite3_reset (stmt);
  store->n_provider_keys = (guint) count (store, store->stmts[STMT_COUNT_PROVIDER_KEYS]);
  return removed;
}

/**
 * satori_kad_store_count_records:
 * @store: a store
 *
 * Returns: how many records the store holds
 */
guint
satori_kad_store_count_records (SatoriKadStore *store)
{
  return (guint) count (store, store->stmts[STMT_COUNT_RECORDS]);
}

/**
 * satori_kad_store_count_providers:
 * @store: a store
 *
 * Returns: how many provider records the store holds, expired or not
 */
guint
satori_kad_store_count_providers (SatoriKadStore *store)
{
  return (guint) count (store, store->stmts[STMT_COUNT_PROVIDERS]);
}

/**
 * satori_kad_own_entry_free:
 * @entry: (transfer full): an entry of satori_kad_store_list_own()
 */
void
satori_kad_own_entry_free (SatoriKadOwnEntry *entry)
{
  g_bytes_unref (entry->key);
  g_clear_pointer (&entry->value, g_bytes_unref);
  g_free (entry);
}

/**
 * satori_kad_store_set_own:
 * @store: a store
 * @kind: a record we put, or a key we provide
 * @key: its key
 * @value: (nullable): the record's value (%NULL for a provided key)
 * @next_us: when to republish it next
 * @error: %SATORI_KAD_ERROR_STORE
 *
 * Remembers, or updates, something of ours to republish, across restarts.
 *
 * Returns: %TRUE on success
 */
gboolean
satori_kad_store_set_own (SatoriKadStore *store, SatoriKadOwnKind kind, GBytes *key,
                          GBytes *value, gint64 next_us, GError **error)
{
  g_autoptr(GBytes) none = g_bytes_new (NULL, 0);
  sqlite3_stmt *stmt = bind (store, STMT_SET_OWN, "ibbi", (gint64) kind, key,
                             value != NULL ? value : none, next_us);
  int rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || fail (store, error);
}

/**
 * satori_kad_store_remove_own:
 * @store: a store
 * @kind: a record we put, or a key we provide
 * @key: its key
 *
 * Forgets something of ours: it is no longer republished.
 */
void
satori_kad_store_remove_own (SatoriKadStore *store, SatoriKadOwnKind kind, GBytes *key)
{
  sqlite3_stmt *stmt = bind (store, STMT_REMOVE_OWN, "ib", (gint64) kind, key);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_warning ("DHT store %s: %s", store->path, sqlite3_errmsg (store->db));
  sqlite3_reset (stmt);
}

/**
 * satori_kad_store_remove_provider:
 * @store: a store
 * @key: the provider key
 * @peer: the binary peer id of the provider
 *
 * Forgets that @peer provides @key (our own record, when we stop providing).
 */
void
satori_kad_store_remove_provider (SatoriKadStore *store, GBytes *key, GBytes *peer)
{
  sqlite3_stmt *stmt = bind (store, STMT_REMOVE_PROVIDER, "bb", key, peer);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_warning ("DHT store %s: %s", store->path, sqlite3_errmsg (store->db));
  sqlite3_reset (stmt);
}

/**
 * satori_kad_store_list_own:
 * @store: a store
 *
 * Returns: (transfer full) (element-type SatoriKadOwnEntry): the records
 *   we put and the keys we provide
 */
GPtrArray *
satori_kad_store_list_own (SatoriKadStore *store)
{
  GPtrArray *own = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_kad_own_entry_free);
  sqlite3_stmt *stmt = store->stmts[STMT_LIST_OWN];
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SatoriKadOwnEntry *entry = g_new0 (SatoriKadOwnEntry, 1);
      entry->kind = sqlite3_column_int64 (stmt, 0) == SATORI_KAD_OWN_RECORD
                      ? SATORI_KAD_OWN_RECORD : SATORI_KAD_OWN_PROVIDER;
      entry->key = column_bytes (stmt, 1);
      if (entry->kind == SATORI_KAD_OWN_RECORD)
        entry->value = column_bytes (stmt, 2);
      entry->next_us = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (own, entry);
    }
  sqlite3_reset (stmt);
  return own;
}
