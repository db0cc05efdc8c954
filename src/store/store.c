/* store.c - the SQLite database: open, migrate, write reports and rejected messages
 *
 * Durability: exit 0 tells the MTA to delete its copy, so a report must be on disk when
 * tr_store_commit() returns.  In WAL mode, synchronous=FULL means exactly one thing more than
 * NORMAL: the WAL is fsynced at every commit.  tr_store_commit() does that fsync itself, after
 * COMMIT, so that tr_store_commit_relaxed() can skip it for a transaction that only counted a
 * repeat delivery (the report itself was made durable by an earlier commit).  Checkpoints, as
 * in NORMAL and FULL alike, sync the WAL before and the database after copying; the WAL is then
 * rewound, not truncated (store_wal_hook).  The directory is fsynced once when the database
 * file is created.  One IMMEDIATE transaction per message makes a report whole or absent, and
 * serialises racing ingests before they read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "schema.h"
#include "store.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

enum
{
  STMT_FIND_REPORT,
  STMT_INSERT_REPORT,
  STMT_REPEAT_REPORT,
  STMT_AUTHENTICATE_REPORT,
  STMT_INSERT_POLICY,
  STMT_INSERT_FAILURE,
  STMT_SUMMARIZE_FAILURES,
  STMT_FIND_REJECTED,
  STMT_REPEAT_REJECTED,
  STMT_REJECTED_BYTES,
  STMT_KEEP_REJECTED_BYTES,
  STMT_INSERT_REJECTED,
  N_STMTS
};

/* AUTHENTICATED - a report whose DKIM signature our MTA verified, aligned with the reporter */
#define AUTHENTICATED "(dkim_result = 'pass' AND dkim_aligned = 1)"

static const char *const stmt_sql[N_STMTS] = {
  /* the stored reports with the same key: is one the same content (or stored before content
   * was compared, schema step 5)?  The exact match first. */
  [STMT_FIND_REPORT]
  = "SELECT id, content_sha256 IS ?3 OR content_sha256 IS NULL, " AUTHENTICATED " IS 1"
    " FROM reports WHERE reporter_key = ?1 AND report_id = ?2"
    " ORDER BY content_sha256 IS ?3 DESC, id",
  [STMT_INSERT_REPORT]
  = "INSERT INTO reports (reporter_key, organization_name, contact_info, report_id,"
    " report_id_synthesized, start_datetime, end_datetime, report_day, raw_json, message_id,"
    " subject, mail_from, mail_date, tls_report_domain, tls_report_submitter, received_at,"
    " last_received_at, dkim_result, dkim_domain, dkim_aligned, content_sha256)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?19, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16,"
    " ?17, ?18, ?20)",
  [STMT_REPEAT_REPORT] = "UPDATE reports SET deliveries = deliveries + 1, last_received_at = ?2"
                         " WHERE id = ?1 RETURNING deliveries",
  /* a repeat that our MTA authenticated where the stored copy was not: the verdict and the
   * mail facts of the authenticated delivery replace the others */
  [STMT_AUTHENTICATE_REPORT]
  = "UPDATE reports SET dkim_result = ?2, dkim_domain = ?3, dkim_aligned = ?4, message_id = ?5,"
    " subject = ?6, mail_from = ?7, mail_date = ?8, tls_report_domain = ?9,"
    " tls_report_submitter = ?10 WHERE id = ?1",
  [STMT_INSERT_POLICY]
  = "INSERT INTO policies (report_ref, policy_index, policy_type, policy_domain, policy_string,"
    " mx_host, total_successful_session_count, total_failure_session_count)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
  [STMT_INSERT_FAILURE]
  = "INSERT INTO failures (policy_ref, result_type, sending_mta_ip, receiving_mx_hostname,"
    " receiving_mx_helo, receiving_ip, failed_session_count, additional_information,"
    " failure_reason_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
  /* the summary of a policy's failure details (doc/schema.md, summary_policy_failures); the
   * conflict clause only guards against rows left by hand */
  [STMT_SUMMARIZE_FAILURES]
  = "INSERT INTO summary_policy_failures (policy_ref, result_type, receiving_mx, failed)"
    " SELECT policy_ref, coalesce(result_type, '(none)'),"
    "  lower(coalesce(receiving_mx_hostname, '')), sum(coalesce(failed_session_count, 0))"
    " FROM failures WHERE policy_ref = ?1 GROUP BY 2, 3"
    " ON CONFLICT (policy_ref, result_type, receiving_mx) DO UPDATE SET failed = excluded.failed",
  [STMT_FIND_REJECTED] = "SELECT id, raw_dropped FROM rejected WHERE fingerprint = ?1"
                         " ORDER BY id LIMIT 1",
  [STMT_REPEAT_REJECTED] = "UPDATE rejected SET deliveries = deliveries + 1,"
                           " last_received_at = ?2, reason = ?3 WHERE id = ?1",
  [STMT_REJECTED_BYTES] = "SELECT value FROM counters WHERE name = 'rejected_bytes'",
  [STMT_KEEP_REJECTED_BYTES] = "UPDATE rejected SET raw_message = ?2, raw_dropped = 0"
                               " WHERE id = ?1",
  [STMT_INSERT_REJECTED]
  = "INSERT INTO rejected (received_at, last_received_at, reason, raw_message, message_size,"
    " truncated, message_id, subject, mail_from, fingerprint, raw_dropped)"
    " VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
};

/* TR_STORE_CHECKPOINT_FRAMES - WAL length (pages) that triggers a checkpoint: three or four small
 * reports, or one large one.  Every process reads the whole WAL when it opens the database, and
 * a checkpoint costs an fsync of the database: 64 measured a little better than 128 or 256 */
#define TR_STORE_CHECKPOINT_FRAMES 64
/* TR_STORE_WAL_KEEP_BYTES - how much of the WAL file a rewind keeps (PRAGMA journal_size_limit):
 * room for TR_STORE_CHECKPOINT_FRAMES pages and the commit that passes them, so that an
 * ingest's WAL file stops growing; a large report's WAL is cut back to it */
#define TR_STORE_WAL_KEEP_BYTES 4194304

struct _TrStore
{
  sqlite3 *db;
  char *path;
  gboolean in_transaction;
  int checkpoint_frames; /* checkpoint the WAL once it holds this many pages */
  guint64
      rejected_budget; /* bytes of messages `rejected` may hold (tr_store_set_rejected_budget) */
  gboolean rewind_due; /* the whole WAL was checkpointed and nothing written since */
  sqlite3_stmt *stmts[N_STMTS];
};

/* set_sqlite_error - turn the connection's last error into a GError: for a delivery agent every
 * database failure is something the administrator can fix, so all are TEMPORARY except misuse */
static gboolean
set_sqlite_error (TrStore *store, int rc, const char *what, GError **error)
{
  int primary = rc & 0xff;
  TrError code = TR_ERROR_TEMPORARY;

  if (primary == SQLITE_MISUSE || primary == SQLITE_RANGE || primary == SQLITE_ERROR)
    code = TR_ERROR_INTERNAL;
  if (primary == SQLITE_ERROR && store->db != NULL
      && g_str_has_prefix (sqlite3_errmsg (store->db), "no such table"))
    code = TR_ERROR_TEMPORARY;
  g_set_error (error, TR_ERROR, code, "%s: %s: %s", store->path, what,
               store->db ? sqlite3_errmsg (store->db) : sqlite3_errstr (rc));
  return FALSE;
}

/* exec - run SQL without results */
static gboolean
exec (TrStore *store, const char *sql, GError **error)
{
  int rc = sqlite3_exec (store->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_sqlite_error (store, rc, sql, error);
  return TRUE;
}

/* pragma_int - the integer value of PRAGMA @name */
static gboolean
pragma_int (TrStore *store, const char *name, gint64 *value, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA %s", name); /* a constant of ours */
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc = sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (store, rc, sql, error);
  *value = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* count_tables - how many tables the database has, to tell an empty file from a foreign one */
static gboolean
count_tables (TrStore *store, gint64 *n, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  const char *sql = "SELECT count(*) FROM sqlite_master";
  int rc = sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (store, rc, "reading the schema", error);
  *n = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* check_version - refuse foreign databases and ones newer than this program */
static gboolean
check_version (TrStore *store, gint64 *version, GError **error)
{
  gint64 app_id = 0, n_tables = 0;

  if (!pragma_int (store, "application_id", &app_id, error)
      || !pragma_int (store, "user_version", version, error))
    return FALSE;
  if (app_id != 0 && app_id != TR_SCHEMA_APPLICATION_ID)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                   "%s: not a tlsrptdb database (application_id %" G_GINT64_FORMAT ")", store->path,
                   app_id);
      return FALSE;
    }
  if (*version > (gint64) tr_schema_version)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                   "%s: database schema version %" G_GINT64_FORMAT
                   " is newer than this program (%u): upgrade tlsrptdb",
                   store->path, *version, tr_schema_version);
      return FALSE;
    }
  if (*version == 0 && app_id == 0)
    {
      if (!count_tables (store, &n_tables, error))
        return FALSE;
      if (n_tables > 0)
        {
          g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                       "%s: not a tlsrptdb database (it has other tables)", store->path);
          return FALSE;
        }
    }
  return TRUE;
}

/* migrate - apply the pending schema steps in one transaction */
static gboolean
migrate (TrStore *store, GError **error)
{
  gint64 version;
  g_autofree char *set_version = NULL;
  g_autofree char *set_app_id = NULL;

  if (!check_version (store, &version, error))
    return FALSE;
  if (version == (gint64) tr_schema_version)
    return TRUE;

  if (!exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  /* another ingest may have migrated while we waited for the lock */
  if (!check_version (store, &version, error))
    goto fail;
  for (guint step = (guint) version; step < tr_schema_version; step++)
    if (!exec (store, tr_schema_migrations[step], error))
      {
        g_prefix_error (error, "schema step %u: ", step + 1);
        goto fail;
      }
  set_version = g_strdup_printf ("PRAGMA user_version = %u", tr_schema_version);
  set_app_id = g_strdup_printf ("PRAGMA application_id = %d", TR_SCHEMA_APPLICATION_ID);
  if (!exec (store, set_version, error) || !exec (store, set_app_id, error)
      || !exec (store, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* sync_directory - make the creation of a file in @dir durable */
static void
sync_directory (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      (void) fsync (fd);
      close (fd);
    }
}

/* The modes of what we create, whatever the MTA's umask (Postfix: 077): the directory 0750
 * and the database 0640 (SQLite gives its -wal and -shm files the database's mode), so that
 * a group of administrators can read it (doc/schema.md, "Permissions"). */
#define TR_STORE_UMASK (S_IWGRP | S_IRWXO)

static TrStore *open_store (const char *path, TrStoreMode mode, GError **error);
static int store_wal_hook (void *data, sqlite3 *db, const char *schema, int n_frames);
static void rewind_wal (TrStore *store);

/* configure_sqlite - process-wide settings, before SQLite's first use: no memory statistics
 * (nothing reads them, and keeping them takes a global mutex at every allocation) */
static void
configure_sqlite (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&done, 1);
    }
}

/* tr_store_open - open (and for writing, create and migrate) the database at @path */
TrStore *
tr_store_open (const char *path, TrStoreMode mode, GError **error)
{
  mode_t saved;
  TrStore *store;

  configure_sqlite ();
  if (mode == TR_STORE_READ_ONLY)
    return open_store (path, mode, error);
  saved = umask (TR_STORE_UMASK);
  store = open_store (path, mode, error);
  umask (saved);
  return store;
}

/* reopen_immutable - a read-only connection to a WAL database whose -shm file is missing and
 * cannot be created (a directory we may not write): SQLite cannot read it in WAL mode then.
 * Without a -wal file everything is in the main file, so open it as immutable (no locks, no
 * -shm); with a -wal file that would miss committed data, so give up. */
static gboolean
reopen_immutable (TrStore *store)
{
  g_autofree char *wal = g_strconcat (store->path, "-wal", NULL);
  g_autofree char *absolute = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *uri = NULL;
  int rc = sqlite3_extended_errcode (store->db);

  if ((rc & 0xff) != SQLITE_READONLY && (rc & 0xff) != SQLITE_CANTOPEN)
    return FALSE;
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    return FALSE;
  absolute = g_canonicalize_filename (store->path, NULL);
  escaped = g_uri_escape_string (absolute, "/", FALSE);
  uri = g_strconcat ("file://", escaped, "?immutable=1", NULL);
  sqlite3_close_v2 (store->db);
  store->db = NULL;
  rc = sqlite3_open_v2 (
      uri, &store->db,
      SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
  return rc == SQLITE_OK;
}

/* check_path - refuse what cannot be a database file: a URI, a device, a directory, a
 * symbolic link that leads nowhere (SQLite would create the file at its target, and its
 * -journal beside /dev/null).  *@exists says whether there is a file to open. */
static gboolean
check_path (const char *path, gboolean *exists, GError **error)
{
  GStatBuf st;
  const char *why = NULL;

  *exists = FALSE;
  if (*path == '\0')
    why = "an empty database path";
  else if (strstr (path, "://") != NULL || g_str_has_prefix (path, "file:"))
    why = "looks like a URI, not a file name: give the path of the database file";
  else if (g_lstat (path, &st) != 0)
    return TRUE; /* a path to create */
  else if (S_ISLNK (st.st_mode) && g_stat (path, &st) != 0)
    why = "a symbolic link to nothing";
  else if (S_ISDIR (st.st_mode))
    why = "a directory, not a database file";
  else if (!S_ISREG (st.st_mode))
    why = "not a regular file (a device, pipe or socket)";
  if (why != NULL)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "%s: %s", path, why);
      return FALSE;
    }
  *exists = TRUE;
  return TRUE;
}

/* open_store - tr_store_open with the umask in place */
static TrStore *
open_store (const char *path, TrStoreMode mode, GError **error)
{
  g_autoptr (TrStore) store = g_new0 (TrStore, 1);
  g_autofree char *dir = g_path_get_dirname (path);
  gboolean existed;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc;

  if (!check_path (path, &existed, error))
    return NULL;
  store->path = g_strdup (path);
  store->rejected_budget = G_MAXUINT64;
  if (mode == TR_STORE_READ_ONLY)
    {
      if (!existed)
        {
          g_set_error (error, TR_ERROR, TR_ERROR_NOT_FOUND,
                       "%s: no such database (tlsrptdb ingest creates it)", path);
          return NULL;
        }
      flags |= SQLITE_OPEN_READONLY;
    }
  else
    {
      if (!existed && g_mkdir_with_parents (dir, 0750) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY, "%s: cannot create directory: %s", dir,
                       g_strerror (saved_errno));
          return NULL;
        }
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    }

  rc = sqlite3_open_v2 (path, &store->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (store, rc, "cannot open database", error);
      return NULL;
    }
  sqlite3_extended_result_codes (store->db, 1);
  sqlite3_busy_timeout (store->db, TR_STORE_BUSY_TIMEOUT_MS);

  if (mode == TR_STORE_READ_ONLY)
    {
      gint64 version;
      g_autoptr (GError) local_error = NULL;

      if (check_version (store, &version, &local_error))
        return g_steal_pointer (&store);
      if (!reopen_immutable (store))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (!check_version (store, &version, error))
        return NULL;
      return g_steal_pointer (&store);
    }

  /* Foreign keys are turned on after the migration: a step that builds a table again drops the
   * old one, which with foreign keys on would delete the rows that refer to it.
   * temp_store = MEMORY: the statement journal of every row a trigger upserts went to a file
   * in /var/tmp, twenty writes per policy (a report with 16,000 policy domains made 315,000);
   * a statement journal holds the pages of one statement, so it stays small.
   * Checkpoints: not at every close (that costs two fsyncs per ingest), but by store_wal_hook
   * once the WAL is long.  PRAGMA synchronous=NORMAL, because tr_store_commit syncs the WAL
   * itself: see the comment at the top.  A rewound WAL keeps its file, cut back to
   * TR_STORE_WAL_KEEP_BYTES after a large transaction. */
  store->checkpoint_frames = TR_STORE_CHECKPOINT_FRAMES;
  sqlite3_db_config (store->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_wal_hook (store->db, store_wal_hook, store);
  if (!exec (store, "PRAGMA journal_mode = WAL", error)
      || !exec (store, "PRAGMA journal_size_limit = " G_STRINGIFY (TR_STORE_WAL_KEEP_BYTES), error)
      || !exec (store, "PRAGMA synchronous = NORMAL", error)
      || !exec (store, "PRAGMA temp_store = MEMORY", error) || !migrate (store, error)
      || !exec (store, "PRAGMA foreign_keys = ON", error))
    return NULL;
  if (!existed)
    sync_directory (dir);
  return g_steal_pointer (&store);
}

/* tr_store_close - finalize statements and close; an open transaction is rolled back */
void
tr_store_close (TrStore *store)
{
  if (store == NULL)
    return;
  if (store->rewind_due && !store->in_transaction)
    rewind_wal (store);
  for (guint i = 0; i < N_STMTS; i++)
    sqlite3_finalize (store->stmts[i]);
  sqlite3_close_v2 (store->db); /* rolls back an open transaction */
  g_free (store->path);
  g_free (store);
}

sqlite3 *
tr_store_db (TrStore *store)
{
  return store->db;
}

/* tr_store_begin - BEGIN IMMEDIATE: one transaction per message */
gboolean
tr_store_begin (TrStore *store, GError **error)
{
  g_return_val_if_fail (!store->in_transaction, FALSE);
  if (!exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  store->in_transaction = TRUE;
  return TRUE;
}

/* store_wal_hook - after each commit: checkpoint a long WAL.  Left to itself, a WAL that is not
 * checkpointed at close only grows, because every new process rebuilds its index and never
 * rewinds it (doc/performance.md).  The checkpoint does not truncate the WAL: after it, the next
 * write starts the WAL again from its beginning, over the blocks the file already has, and an
 * fdatasync that does not grow a file is much cheaper.  A busy or partial checkpoint is simply
 * tried again after a later commit. */
static int
store_wal_hook (void *data, sqlite3 *db, const char *schema, int n_frames)
{
  TrStore *store = data;
  int n_log = 0, n_copied = 0;

  store->rewind_due = FALSE; /* this commit rewound the WAL if an earlier checkpoint allowed */
  if (n_frames >= store->checkpoint_frames
      && sqlite3_wal_checkpoint_v2 (db, schema, SQLITE_CHECKPOINT_PASSIVE, &n_log, &n_copied)
             == SQLITE_OK
      && n_copied == n_log)
    store->rewind_due = TRUE;
  return SQLITE_OK;
}

/* rewind_wal - write once after a complete checkpoint, so that the WAL is rewound now.  SQLite
 * rewinds a checkpointed WAL at the next write of a connection that saw the checkpoint; the next
 * process rebuilds the WAL index from the file, finds every frame still valid, and would append
 * and read them all again.  The write sets PRAGMA user_version to its own value, under the write
 * lock.  Nothing is lost if it fails: the database already holds every page of the WAL, and busy
 * means that another writer is at work, whose write rewinds the WAL. */
static void
rewind_wal (TrStore *store)
{
  g_autofree char *set_version = NULL;
  gint64 version;

  sqlite3_busy_timeout (store->db, 0);
  if (!exec (store, "BEGIN IMMEDIATE", NULL))
    return;
  if (pragma_int (store, "user_version", &version, NULL))
    {
      set_version = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, version);
      if (exec (store, set_version, NULL) && exec (store, "COMMIT", NULL))
        return;
    }
  sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
}

/* sync_wal - fsync the WAL: what synchronous=FULL does at every commit */
static gboolean
sync_wal (TrStore *store, GError **error)
{
  sqlite3_file *wal = NULL;
  int rc = sqlite3_file_control (store->db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal);

  if (rc == SQLITE_OK && wal != NULL && wal->pMethods != NULL)
    rc = wal->pMethods->xSync (wal, SQLITE_SYNC_FULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY, "%s: cannot sync the WAL: %s", store->path,
                   sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

/* tr_store_commit - COMMIT and fsync the WAL: durable when it returns TRUE */
gboolean
tr_store_commit (TrStore *store, GError **error)
{
  return tr_store_commit_relaxed (store, error) && sync_wal (store, error);
}

/* tr_store_commit_relaxed - COMMIT without waiting for the disk: for a transaction that only
 * counts a repeat delivery, whose report an earlier, synchronous commit made durable already.
 * A power cut may lose the count, never a report. */
gboolean
tr_store_commit_relaxed (TrStore *store, GError **error)
{
  g_return_val_if_fail (store->in_transaction, FALSE);
  if (!exec (store, "COMMIT", error))
    {
      tr_store_rollback (store);
      return FALSE;
    }
  store->in_transaction = FALSE;
  return TRUE;
}

/* tr_store_rollback - undo the open transaction, if any */
void
tr_store_rollback (TrStore *store)
{
  if (store->in_transaction)
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
  store->in_transaction = FALSE;
}

/* statement - the cached prepared statement @which, reset and unbound */
static sqlite3_stmt *
statement (TrStore *store, int which, GError **error)
{
  if (store->stmts[which] == NULL)
    {
      int rc = sqlite3_prepare_v3 (store->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                                   &store->stmts[which], NULL);
      if (rc != SQLITE_OK)
        {
          set_sqlite_error (store, rc, "preparing a statement", error);
          return NULL;
        }
    }
  sqlite3_reset (store->stmts[which]);
  sqlite3_clear_bindings (store->stmts[which]);
  return store->stmts[which];
}

static void
bind_text (sqlite3_stmt *stmt, int index, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

static void
bind_count (sqlite3_stmt *stmt, int index, gint64 count)
{
  if (count != TR_COUNT_ABSENT)
    sqlite3_bind_int64 (stmt, index, count);
}

/* step_done - run an INSERT or UPDATE to completion */
static gboolean
step_done (TrStore *store, sqlite3_stmt *stmt, const char *what, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, what, error);
  return TRUE;
}

/* insert_policy - one policy and its failure details */
static gboolean
insert_policy (TrStore *store, gint64 report_row, const TrPolicy *policy, guint *n_failures,
               GError **error)
{
  sqlite3_stmt *stmt = statement (store, STMT_INSERT_POLICY, error);
  gint64 policy_row;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report_row);
  sqlite3_bind_int (stmt, 2, (int) policy->index);
  bind_text (stmt, 3, policy->policy_type);
  bind_text (stmt, 4, policy->policy_domain);
  bind_text (stmt, 5, policy->policy_string);
  bind_text (stmt, 6, policy->mx_host);
  bind_count (stmt, 7, policy->total_successful_session_count);
  bind_count (stmt, 8, policy->total_failure_session_count);
  if (!step_done (store, stmt, "inserting a policy", error))
    return FALSE;
  policy_row = sqlite3_last_insert_rowid (store->db);

  for (guint i = 0; i < policy->failures->len; i++)
    {
      const TrFailure *failure = g_ptr_array_index (policy->failures, i);

      stmt = statement (store, STMT_INSERT_FAILURE, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, policy_row);
      bind_text (stmt, 2, failure->result_type);
      bind_text (stmt, 3, failure->sending_mta_ip);
      bind_text (stmt, 4, failure->receiving_mx_hostname);
      bind_text (stmt, 5, failure->receiving_mx_helo);
      bind_text (stmt, 6, failure->receiving_ip);
      bind_count (stmt, 7, failure->failed_session_count);
      bind_text (stmt, 8, failure->additional_information);
      bind_text (stmt, 9, failure->failure_reason_code);
      if (!step_done (store, stmt, "inserting a failure detail", error))
        return FALSE;
    }
  if (policy->failures->len > 0)
    {
      stmt = statement (store, STMT_SUMMARIZE_FAILURES, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, policy_row);
      if (!step_done (store, stmt, "summarising failure details", error))
        return FALSE;
    }
  *n_failures += policy->failures->len;
  return TRUE;
}

/* find_report - the stored report that @report repeats (*@row, 0 if none), whether that one is
 * authenticated, and how many reports with the same reporter and report-id there are */
static gboolean
find_report (TrStore *store, const TrReport *report, gint64 *row, gboolean *authenticated,
             guint *n_same_key, GError **error)
{
  sqlite3_stmt *stmt = statement (store, STMT_FIND_REPORT, error);
  int rc;

  *row = 0;
  *authenticated = FALSE;
  *n_same_key = 0;
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, report->reporter_key);
  bind_text (stmt, 2, report->report_id);
  bind_text (stmt, 3, report->fingerprint);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      (*n_same_key)++;
      if (*row == 0 && sqlite3_column_int (stmt, 1))
        {
          *row = sqlite3_column_int64 (stmt, 0);
          *authenticated = sqlite3_column_int (stmt, 2);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, "looking up a report", error);
  return TRUE;
}

/* is_authenticated - whether our MTA verified @report's DKIM signature, aligned with it */
static gboolean
is_authenticated (const TrReport *report)
{
  return g_strcmp0 (report->dkim_result, "pass") == 0 && report->dkim_aligned == 1;
}

/* authenticate - the verdict and mail facts of @report's delivery replace those of row @row */
static gboolean
authenticate (TrStore *store, gint64 row, const TrReport *report, const TrMailInfo *info,
              GError **error)
{
  sqlite3_stmt *stmt = statement (store, STMT_AUTHENTICATE_REPORT, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row);
  bind_text (stmt, 2, report->dkim_result);
  bind_text (stmt, 3, report->dkim_domain);
  sqlite3_bind_int (stmt, 4, report->dkim_aligned);
  bind_text (stmt, 5, info->message_id);
  bind_text (stmt, 6, info->subject);
  bind_text (stmt, 7, info->from);
  bind_text (stmt, 8, info->date);
  bind_text (stmt, 9, info->tls_report_domain);
  bind_text (stmt, 10, info->tls_report_submitter);
  return step_done (store, stmt, "recording an authenticated delivery", error);
}

/* count_repeat - a delivery of the stored report @row: count it; an authenticated delivery of
 * a report stored unauthenticated records its verdict */
static gboolean
count_repeat (TrStore *store, gint64 row, gboolean row_authenticated, const TrReport *report,
              const TrMailInfo *info, const char *received_at, TrStoreResult *result,
              GError **error)
{
  sqlite3_stmt *stmt = statement (store, STMT_REPEAT_REPORT, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row);
  bind_text (stmt, 2, received_at);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (store, rc, "counting a repeat delivery", error);
  result->outcome = TR_STORE_DUPLICATE;
  result->report_row = row;
  result->deliveries = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt); /* finish the RETURNING statement */
  if (!row_authenticated && is_authenticated (report))
    {
      if (!authenticate (store, row, report, info, error))
        return FALSE;
      result->authenticated_now = TRUE;
    }
  return TRUE;
}

/* insert_report - @report as a new row, with its policies and failure details */
static gboolean
insert_report (TrStore *store, const TrReport *report, const TrMailInfo *info,
               const char *received_at, TrStoreResult *result, GError **error)
{
  sqlite3_stmt *stmt = statement (store, STMT_INSERT_REPORT, error);
  gsize json_len;
  const char *json = g_bytes_get_data (report->raw_json, &json_len);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, report->reporter_key);
  bind_text (stmt, 2, report->organization_name);
  bind_text (stmt, 3, report->contact_info);
  bind_text (stmt, 4, report->report_id);
  sqlite3_bind_int (stmt, 5, report->report_id_synthesized ? 1 : 0);
  bind_text (stmt, 6, report->start_datetime);
  bind_text (stmt, 7, report->end_datetime);
  sqlite3_bind_text64 (stmt, 8, json ? json : "", json_len, SQLITE_STATIC, SQLITE_UTF8);
  bind_text (stmt, 9, info->message_id);
  bind_text (stmt, 10, info->subject);
  bind_text (stmt, 11, info->from);
  bind_text (stmt, 12, info->date);
  bind_text (stmt, 13, info->tls_report_domain);
  bind_text (stmt, 14, info->tls_report_submitter);
  bind_text (stmt, 15, received_at);
  bind_text (stmt, 16, report->dkim_result);
  bind_text (stmt, 17, report->dkim_domain);
  if (report->dkim_aligned >= 0)
    sqlite3_bind_int (stmt, 18, report->dkim_aligned);
  bind_text (stmt, 19, report->report_day);
  bind_text (stmt, 20, report->fingerprint);
  if (!step_done (store, stmt, "inserting a report", error))
    return FALSE;

  result->outcome = TR_STORE_STORED;
  result->report_row = sqlite3_last_insert_rowid (store->db);
  result->deliveries = 1;
  for (guint i = 0; i < report->policies->len; i++)
    if (!insert_policy (store, result->report_row, g_ptr_array_index (report->policies, i),
                        &result->n_failures, error))
      return FALSE;
  result->n_policies = report->policies->len;
  return TRUE;
}

/* tr_store_add_report - insert @report with its mail facts, or count a repeat delivery */
gboolean
tr_store_add_report (TrStore *store, const TrReport *report, const TrMailInfo *info,
                     const char *received_at, TrStoreResult *result, GError **error)
{
  static const TrMailInfo no_info;
  gint64 row;
  gboolean row_authenticated;
  guint n_same_key;

  g_return_val_if_fail (store->in_transaction, FALSE);
  g_return_val_if_fail (report->reporter_key != NULL && report->report_id != NULL, FALSE);
  g_return_val_if_fail (report->fingerprint != NULL && report->report_day != NULL, FALSE);
  if (info == NULL)
    info = &no_info;
  memset (result, 0, sizeof *result);

  /* Under BEGIN IMMEDIATE nobody else writes between this look-up and the write. */
  if (!find_report (store, report, &row, &row_authenticated, &n_same_key, error))
    return FALSE;
  if (row != 0)
    {
      result->same_key = n_same_key - 1;
      return count_repeat (store, row, row_authenticated, report, info, received_at, result, error);
    }
  result->same_key = n_same_key;
  return insert_report (store, report, info, received_at, result, error);
}

/* rejected_bytes - the bytes of messages `rejected` holds now */
static gboolean
rejected_bytes (TrStore *store, gint64 *bytes, GError **error)
{
  sqlite3_stmt *stmt = statement (store, STMT_REJECTED_BYTES, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *bytes = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, "reading the size of rejected", error);
  return TRUE;
}

/* fits_budget - whether @len more bytes of messages fit in the rejected budget */
static gboolean
fits_budget (TrStore *store, gsize len, gboolean *fits, GError **error)
{
  gint64 used;

  if (!rejected_bytes (store, &used, error))
    return FALSE;
  *fits = used >= 0 && (guint64) used <= store->rejected_budget
          && len <= store->rejected_budget - (guint64) used;
  return TRUE;
}

/* repeat_rejected - a message that is in `rejected` already (row @id): count the delivery (if
 * @count), take today's reason, and keep its bytes now if they were dropped and now fit */
static gboolean
repeat_rejected (TrStore *store, gint64 id, gboolean dropped, const TrRejectedMessage *message,
                 gboolean count, TrRejectedOutcome *outcome, GError **error)
{
  sqlite3_stmt *stmt;
  gsize len;
  const void *data = g_bytes_get_data (message->raw, &len);
  gboolean fits = FALSE;

  *outcome = count ? TR_REJECTED_REPEAT : TR_REJECTED_KNOWN;
  if (count)
    {
      stmt = statement (store, STMT_REPEAT_REJECTED, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      bind_text (stmt, 2, message->received_at);
      bind_text (stmt, 3, message->reason);
      if (!step_done (store, stmt, "counting a rejected message", error))
        return FALSE;
    }
  if (!dropped)
    return TRUE;
  if (!fits_budget (store, len, &fits, error))
    return FALSE;
  if (!fits)
    return TRUE;
  stmt = statement (store, STMT_KEEP_REJECTED_BYTES, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_blob64 (stmt, 2, data ? data : "", len, SQLITE_STATIC);
  return step_done (store, stmt, "keeping a rejected message", error);
}

/* tr_store_add_rejected - keep a message that yielded no usable report, once */
gboolean
tr_store_add_rejected (TrStore *store, const TrRejectedMessage *message, gboolean count_repeat,
                       TrRejectedOutcome *outcome, GError **error)
{
  sqlite3_stmt *stmt;
  gsize len;
  const void *data = g_bytes_get_data (message->raw, &len);
  gboolean fits = FALSE;
  int rc;

  g_return_val_if_fail (store->in_transaction, FALSE);
  if (message->fingerprint != NULL)
    {
      stmt = statement (store, STMT_FIND_REJECTED, error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, message->fingerprint);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          gboolean dropped = sqlite3_column_int (stmt, 1);

          sqlite3_reset (stmt);
          return repeat_rejected (store, id, dropped, message, count_repeat, outcome, error);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return set_sqlite_error (store, rc, "looking up a rejected message", error);
    }
  if (!fits_budget (store, len, &fits, error))
    return FALSE;
  stmt = statement (store, STMT_INSERT_REJECTED, error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, message->received_at);
  bind_text (stmt, 2, message->reason);
  sqlite3_bind_blob64 (stmt, 3, fits && data ? data : "", fits ? len : 0, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) message->message_size);
  sqlite3_bind_int (stmt, 5, message->message_size > len ? 1 : 0);
  if (message->info != NULL)
    {
      bind_text (stmt, 6, message->info->message_id);
      bind_text (stmt, 7, message->info->subject);
      bind_text (stmt, 8, message->info->from);
    }
  bind_text (stmt, 9, message->fingerprint);
  sqlite3_bind_int (stmt, 10, fits ? 0 : 1);
  *outcome = fits ? TR_REJECTED_KEPT : TR_REJECTED_KEPT_WITHOUT_BYTES;
  return step_done (store, stmt, "keeping a rejected message", error);
}

/* tr_store_set_rejected_budget - the bytes of messages `rejected` may hold */
void
tr_store_set_rejected_budget (TrStore *store, guint64 bytes)
{
  store->rejected_budget = bytes;
}

/* tr_store_now - the current time as "YYYY-MM-DDTHH:MM:SSZ" */
char *
tr_store_now (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* --- import, reprocess and prune ------------------------------------------------------------ */

/* prepare - a one-off statement (the statements below run once per report at most) */
static sqlite3_stmt *
prepare (TrStore *store, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (store, rc, "preparing a statement", error);
      return NULL;
    }
  return stmt;
}

/* tr_store_has_report - whether the report (@reporter_key, @report_id, @fingerprint) is stored */
gboolean
tr_store_has_report (TrStore *store, const TrReport *report, gboolean *found, GError **error)
{
  gint64 row;
  gboolean authenticated;
  guint n_same_key;

  if (!find_report (store, report, &row, &authenticated, &n_same_key, error))
    return FALSE;
  *found = row != 0;
  return TRUE;
}

void
tr_rejected_row_clear (TrRejectedRow *row)
{
  g_clear_pointer (&row->raw, g_bytes_unref);
  g_clear_pointer (&row->received_at, g_free);
  g_clear_pointer (&row->reason, g_free);
  memset (row, 0, sizeof *row);
}

/* tr_store_next_rejected - the row of `rejected` after @after_id */
gboolean
tr_store_next_rejected (TrStore *store, gint64 after_id, TrRejectedRow *row, gboolean *found,
                        GError **error)
{
  g_autoptr (sqlite3_stmt) stmt
      = prepare (store,
                 "SELECT id, raw_message, message_size, received_at, reason, raw_dropped"
                 " FROM rejected"
                 " WHERE id > ?1 ORDER BY id LIMIT 1",
                 error);
  int rc;

  tr_rejected_row_clear (row);
  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return set_sqlite_error (store, rc, "reading rejected messages", error);
  row->id = sqlite3_column_int64 (stmt, 0);
  row->raw = g_bytes_new (sqlite3_column_blob (stmt, 1), (gsize) sqlite3_column_bytes (stmt, 1));
  row->message_size = (guint64) MAX (sqlite3_column_int64 (stmt, 2), 0);
  row->received_at = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  row->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  row->raw_dropped = sqlite3_column_int (stmt, 5);
  *found = TRUE;
  return TRUE;
}

/* run_on_row - run @sql with ?1 = @id and ?2 = @text (if not NULL) to completion */
static gboolean
run_on_row (TrStore *store, const char *sql, gint64 id, const char *text, const char *what,
            GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = prepare (store, sql, error);

  g_return_val_if_fail (store->in_transaction, FALSE);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  bind_text (stmt, 2, text);
  return step_done (store, stmt, what, error);
}

/* tr_store_delete_rejected - remove row @id of `rejected` */
gboolean
tr_store_delete_rejected (TrStore *store, gint64 id, GError **error)
{
  return run_on_row (store, "DELETE FROM rejected WHERE id = ?1", id, NULL,
                     "removing a rejected message", error);
}

/* tr_store_set_rejected_reason - change the reason of row @id */
gboolean
tr_store_set_rejected_reason (TrStore *store, gint64 id, const char *reason, GError **error)
{
  return run_on_row (store, "UPDATE rejected SET reason = ?2 WHERE id = ?1", id, reason,
                     "updating a rejected message", error);
}

/* count_rows - the single integer that @sql with ?1 = @day and ?2 = @limit returns */
static gboolean
count_rows (TrStore *store, const char *sql, const char *day, gint64 limit, gint64 *n,
            GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, day);
  sqlite3_bind_int64 (stmt, 2, limit);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (store, rc, "counting old rows", error);
  *n = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

#define OLD_REPORTS "SELECT id FROM reports WHERE report_day < ?1 ORDER BY id LIMIT ?2"
#define OLD_REJECTED "SELECT id FROM rejected WHERE received_at < ?1 ORDER BY id LIMIT ?2"

/* tr_store_prune_reports - delete (or count) up to @limit reports from before @before_day */
gboolean
tr_store_prune_reports (TrStore *store, const char *before_day, gint64 limit, gboolean dry_run,
                        TrPruneCounts *counts, GError **error)
{
  gint64 reports, policies, failures;

  /* the same transaction sees the same rows in every statement */
  if (!count_rows (store, "SELECT count(*) FROM (" OLD_REPORTS ")", before_day, limit, &reports,
                   error))
    return FALSE;
  if (reports == 0)
    return TRUE;
  if (!count_rows (store, "SELECT count(*) FROM policies WHERE report_ref IN (" OLD_REPORTS ")",
                   before_day, limit, &policies, error)
      || !count_rows (store,
                      "SELECT count(*) FROM failures WHERE policy_ref IN (SELECT id FROM"
                      " policies WHERE report_ref IN (" OLD_REPORTS "))",
                      before_day, limit, &failures, error))
    return FALSE;
  if (!dry_run)
    {
      g_autoptr (sqlite3_stmt) stmt
          = prepare (store, "DELETE FROM reports WHERE id IN (" OLD_REPORTS ")", error);

      g_return_val_if_fail (store->in_transaction, FALSE);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, before_day);
      sqlite3_bind_int64 (stmt, 2, limit);
      if (!step_done (store, stmt, "deleting old reports", error))
        return FALSE;
    }
  counts->reports += reports;
  counts->policies += policies;
  counts->failures += failures;
  return TRUE;
}

/* tr_store_prune_rejected - delete (or count) up to @limit rejected messages */
gboolean
tr_store_prune_rejected (TrStore *store, const char *before_day, gint64 limit, gboolean dry_run,
                         TrPruneCounts *counts, GError **error)
{
  gint64 rejected;

  if (!count_rows (store, "SELECT count(*) FROM (" OLD_REJECTED ")", before_day, limit, &rejected,
                   error))
    return FALSE;
  if (rejected > 0 && !dry_run)
    {
      g_autoptr (sqlite3_stmt) stmt
          = prepare (store, "DELETE FROM rejected WHERE id IN (" OLD_REJECTED ")", error);

      g_return_val_if_fail (store->in_transaction, FALSE);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, before_day);
      sqlite3_bind_int64 (stmt, 2, limit);
      if (!step_done (store, stmt, "deleting old rejected messages", error))
        return FALSE;
    }
  counts->rejected += rejected;
  return TRUE;
}

/* tr_store_set_checkpoint_frames - checkpoint the WAL once it is @frames pages long */
void
tr_store_set_checkpoint_frames (TrStore *store, int frames)
{
  store->checkpoint_frames = MAX (frames, 1);
}
