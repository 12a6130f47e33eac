/* satori-store-db.c — messages held for offline peers, in SQLite
 *
 * What a holder has acknowledged must survive a crash: the database is
 * in WAL mode with synchronous=FULL, so a committed message is on disk
 * before the holder answers `{"status":"ok"}`. Times are wall-clock
 * microseconds, to keep their meaning across restarts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-store-db.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

enum {
  STMT_ADD,
  STMT_TRIM,
  STMT_GET,
  STMT_REMOVE,
  STMT_PURGE,
  STMT_COUNT,
  STMT_COUNT_ALL,
  STMT_TARGETS,
  N_STMTS
};

static const char *const statements[N_STMTS] = {
  [STMT_ADD] = "INSERT OR IGNORE INTO messages "
               "(message_id, target, source, stream_id, payload, timestamp, expires) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)",
  /* Keeps the newest max_per_target of a target. */
  [STMT_TRIM] = "DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE target = ? "
                "ORDER BY id DESC LIMIT -1 OFFSET ?)",
  [STMT_GET] = "SELECT message_id, source, stream_id, payload, timestamp, expires "
               "FROM messages WHERE target = ? AND expires > ? ORDER BY id",
  [STMT_REMOVE] = "DELETE FROM messages WHERE target = ? AND message_id = ?",
  [STMT_PURGE] = "DELETE FROM messages WHERE expires <= ?",
  [STMT_COUNT] = "SELECT COUNT(*) FROM messages WHERE target = ?",
  [STMT_COUNT_ALL] = "SELECT COUNT(*) FROM messages",
  [STMT_TARGETS] = "SELECT DISTINCT target FROM messages WHERE expires > ?",
};

/* id orders messages by arrival: the oldest is dropped when a target's
 * queue is full, as Python's list.pop(0). */
static const char schema[] =
  "PRAGMA journal_mode=WAL;"
  "PRAGMA synchronous=FULL;"
  "CREATE TABLE IF NOT EXISTS messages ("
  "  id INTEGER PRIMARY KEY, message_id TEXT NOT NULL, target TEXT NOT NULL,"
  "  source TEXT NOT NULL, stream_id TEXT, payload BLOB NOT NULL,"
  "  timestamp INTEGER NOT NULL, expires INTEGER NOT NULL,"
  "  UNIQUE (target, message_id));"
  "CREATE INDEX IF NOT EXISTS messages_expires ON messages (expires);"
  "CREATE INDEX IF NOT EXISTS messages_target ON messages (target, id);";

/* A framing allowance per message of a response, on top of its payload's
 * base64: ids, stream id, timestamp and JSON punctuation. */
#define MESSAGE_OVERHEAD (3 * SATORI_STORE_MAX_ID_LENGTH + 128)

struct _SatoriStoreDb {
  sqlite3 *db;
  sqlite3_stmt *stmts[N_STMTS];
  guint max_per_target;
};

static gboolean
fail (SatoriStoreDb *db, GError **error)
{
  g_set_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_DATABASE, _("Message store: %s"),
               sqlite3_errmsg (db->db));
  return FALSE;
}

static sqlite3_stmt *
reset (SatoriStoreDb *db, guint which)
{
  sqlite3_stmt *stmt = db->stmts[which];

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

static gboolean
step_done (SatoriStoreDb *db, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || fail (db, error);
}

static gboolean
exec (SatoriStoreDb *db, const char *sql, GError **error)
{
  return sqlite3_exec (db->db, sql, NULL, NULL, NULL) == SQLITE_OK || fail (db, error);
}

/**
 * satori_store_db_open:
 * @path: a database file, created if missing (its folder too, readable
 *   only by the user), or ":memory:"
 * @max_per_target: messages kept per target peer at most
 * @error: %SATORI_STORE_ERROR_DATABASE when the database cannot be used
 *
 * Returns: (transfer full) (nullable): the store, or %NULL on error
 */
SatoriStoreDb *
satori_store_db_open (const char *path, guint max_per_target, GError **error)
{
  g_return_val_if_fail (path != NULL && max_per_target > 0, NULL);

  if (strcmp (path, ":memory:") != 0)
    {
      g_autofree char *folder = g_path_get_dirname (path);
      if (g_mkdir_with_parents (folder, 0700) != 0)
        {
          int saved = errno;
          g_set_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_DATABASE,
                       _("Message store: cannot create %s: %s"), folder, g_strerror (saved));
          return NULL;
        }
    }

  g_autoptr(SatoriStoreDb) db = g_new0 (SatoriStoreDb, 1);
  db->max_per_target = max_per_target;
  if (sqlite3_open_v2 (path, &db->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK
      || !exec (db, schema, error))
    {
      if (error != NULL && *error == NULL)
        fail (db, error);
      return NULL;
    }
  for (guint i = 0; i < N_STMTS; i++)
    if (sqlite3_prepare_v2 (db->db, statements[i], -1, &db->stmts[i], NULL) != SQLITE_OK)
      {
        fail (db, error);
        return NULL;
      }
  return g_steal_pointer (&db);
}

/**
 * satori_store_db_free:
 * @db: (transfer full): a store; the database is closed
 */
void
satori_store_db_free (SatoriStoreDb *db)
{
  if (db == NULL)
    return;
  for (guint i = 0; i < N_STMTS; i++)
    sqlite3_finalize (db->stmts[i]);
  sqlite3_close (db->db);
  g_free (db);
}

/**
 * satori_store_db_add:
 * @db: a store
 * @envelope: a checked message, with its TTL
 * @error: %SATORI_STORE_ERROR_DATABASE
 *
 * Stores @envelope, durably once this returns. A message id already held
 * for the target (a replica sent twice) is kept once. When the target
 * has more than its maximum of messages, the oldest are dropped.
 *
 * Returns: %TRUE on success
 */
gboolean
satori_store_db_add (SatoriStoreDb *db, const SatoriStoreEnvelope *envelope, GError **error)
{
  gsize len;
  const guint8 *payload = g_bytes_get_data (envelope->payload, &len);

  if (!exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  sqlite3_stmt *stmt = reset (db, STMT_ADD);
  sqlite3_bind_text (stmt, 1, envelope->message_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, envelope->target_peer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, envelope->source_peer, -1, SQLITE_TRANSIENT);
  if (envelope->stream_id != NULL)
    sqlite3_bind_text (stmt, 4, envelope->stream_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 5, payload != NULL ? (const void *) payload : "", (int) len,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, envelope->timestamp_us);
  sqlite3_bind_int64 (stmt, 7, envelope->timestamp_us + envelope->ttl_us);
  gboolean ok = step_done (db, stmt, error);
  if (ok)
    {
      stmt = reset (db, STMT_TRIM);
      sqlite3_bind_text (stmt, 1, envelope->target_peer, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, db->max_per_target);
      ok = step_done (db, stmt, error);
      if (ok && sqlite3_changes (db->db) > 0)
        g_message (_("Message queue of %s full: dropped its oldest message"),
                   envelope->target_peer);
    }
  if (ok)
    return exec (db, "COMMIT", error);
  sqlite3_exec (db->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/**
 * satori_store_db_get:
 * @db: a store
 * @target: a peer id (base58)
 * @now_us: the wall clock: expired messages are left out
 * @max_bytes: roughly the most the messages may take in a response; the
 *   first message is returned whatever its size
 * @error: %SATORI_STORE_ERROR_DATABASE
 *
 * The messages held for @target, oldest first. They stay stored until
 * satori_store_db_remove().
 *
 * Returns: (transfer full) (element-type SatoriStoreEnvelope) (nullable):
 *   the messages, or %NULL on error
 */
GPtrArray *
satori_store_db_get (SatoriStoreDb *db, const char *target, gint64 now_us, gsize max_bytes,
                     GError **error)
{
  g_autoptr(GPtrArray) messages =
    g_ptr_array_new_with_free_func ((GDestroyNotify) satori_store_envelope_free);
  sqlite3_stmt *stmt = reset (db, STMT_GET);
  gsize total = 0;
  int rc;

  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gsize len = (gsize) sqlite3_column_bytes (stmt, 3);
      gsize size = (len + 2) / 3 * 4 + MESSAGE_OVERHEAD;
      if (messages->len > 0 && total + size > max_bytes)
        break;
      total += size;
      g_autoptr(GBytes) payload = g_bytes_new (sqlite3_column_blob (stmt, 3), len);
      gint64 timestamp = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (messages, satori_store_envelope_new (
                         (const char *) sqlite3_column_text (stmt, 0), target,
                         (const char *) sqlite3_column_text (stmt, 1),
                         (const char *) sqlite3_column_text (stmt, 2), payload, timestamp,
                         sqlite3_column_int64 (stmt, 5) - timestamp));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      fail (db, error);
      return NULL;
    }
  return g_steal_pointer (&messages);
}

/**
 * satori_store_db_remove:
 * @db: a store
 * @envelopes: (element-type SatoriStoreEnvelope): messages delivered, by
 *   target and message id
 * @error: %SATORI_STORE_ERROR_DATABASE
 *
 * Deletes @envelopes, all or none.
 *
 * Returns: %TRUE on success
 */
gboolean
satori_store_db_remove (SatoriStoreDb *db, GPtrArray *envelopes, GError **error)
{
  if (!exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = 0; i < envelopes->len; i++)
    {
      const SatoriStoreEnvelope *envelope = g_ptr_array_index (envelopes, i);
      sqlite3_stmt *stmt = reset (db, STMT_REMOVE);
      sqlite3_bind_text (stmt, 1, envelope->target_peer, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, envelope->message_id, -1, SQLITE_TRANSIENT);
      if (!step_done (db, stmt, error))
        {
          sqlite3_exec (db->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
  return exec (db, "COMMIT", error);
}

/**
 * satori_store_db_purge:
 * @db: a store
 * @now_us: the wall clock
 *
 * Deletes the messages whose TTL has passed.
 *
 * Returns: how many were deleted
 */
guint
satori_store_db_purge (SatoriStoreDb *db, gint64 now_us)
{
  sqlite3_stmt *stmt = reset (db, STMT_PURGE);

  sqlite3_bind_int64 (stmt, 1, now_us);
  if (!step_done (db, stmt, NULL))
    return 0;
  return (guint) sqlite3_changes (db->db);
}

/**
 * satori_store_db_count:
 * @db: a store
 * @target: (nullable): a peer id, or %NULL for all
 *
 * Returns: the messages held for @target, expired or not
 */
guint
satori_store_db_count (SatoriStoreDb *db, const char *target)
{
  sqlite3_stmt *stmt = reset (db, target != NULL ? STMT_COUNT : STMT_COUNT_ALL);

  if (target != NULL)
    sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
  guint n = sqlite3_step (stmt) == SQLITE_ROW ? (guint) sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return n;
}

/**
 * satori_store_db_get_targets:
 * @db: a store
 * @now_us: the wall clock
 *
 * Returns: (transfer full): the peers with unexpired messages
 */
GStrv
satori_store_db_get_targets (SatoriStoreDb *db, gint64 now_us)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt = reset (db, STMT_TARGETS);

  sqlite3_bind_int64 (stmt, 1, now_us);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return g_strv_builder_end (builder);
}
