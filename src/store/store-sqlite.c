/* store-sqlite.c - the SQLite backend: one file, opened, migrated, written in transactions
 *
 * Durability: exit 0 tells the MTA to delete its copy, so a report must be on disk when
 * tr_store_commit() returns.  In WAL mode, synchronous=FULL means exactly one thing more than
 * NORMAL: the WAL is fsynced at every commit.  commit() does that fsync itself, after COMMIT, so
 * that a relaxed commit can skip it for a transaction that only counted a repeat delivery (the
 * report itself was made durable by an earlier commit).  Checkpoints, as in NORMAL and FULL
 * alike, sync the WAL before and the database after copying; the WAL is then rewound, not
 * truncated (store_wal_hook).  The directory is fsynced once when the database file is
 * created.  One IMMEDIATE transaction per message makes a report whole or absent, and serialises
 * racing ingests before they read.  Every SQL statement of the backend is in store-sqlite*.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "schema-sqlite.h"
#include "store-sqlite.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* TR_STORE_CHECKPOINT_FRAMES - WAL length (pages) that triggers a checkpoint: three or four small
 * reports, or one large one.  Every process reads the whole WAL when it opens the database, and
 * a checkpoint costs an fsync of the database: 64 measured a little better than 128 or 256 */
#define TR_STORE_CHECKPOINT_FRAMES 64
/* A checkpoint after every batch of an import would write each page three times (WAL, read
 * back, database); once the WAL is 16 MiB (4 KiB pages) is a tenth of the cost. */
#define TR_STORE_BATCH_CHECKPOINT_FRAMES 4096
/* TR_STORE_WAL_KEEP_BYTES - how much of the WAL file a rewind keeps (PRAGMA journal_size_limit):
 * room for TR_STORE_CHECKPOINT_FRAMES pages and the commit that passes them, so that an
 * ingest's WAL file stops growing; a large report's WAL is cut back to it */
#define TR_STORE_WAL_KEEP_BYTES 4194304

/* TR_STORE_READ_MMAP_BYTES - a read-only connection maps the database file (PRAGMA mmap_size)
 * instead of reading it a page at a time: the reads of check and metrics come back to the same
 * pages of reports, policies and the summaries, and with SQLite's 2 MiB page cache the benchmark
 * database (100,000 reports) took 7,160 preads for one check; mapped, the pages are in the
 * kernel's page cache already and cost no copy (query summary too: 160 against 110 ms of CPU,
 * doc/performance.md).  Writers keep pread: a mapping turns an I/O error into SIGBUS, which for
 * ingest would be a lost delivery instead of a 75. */
#define TR_STORE_READ_MMAP_BYTES 1073741824

static const TrStoreBackend sqlite_backend;

/* tr_sqlite_error - turn the connection's last error into a GError: for a delivery agent every
 * database failure is something the administrator can fix, so all are TEMPORARY except misuse */
gboolean
tr_sqlite_error (TrSqliteStore *s, int rc, const char *what, GError **error)
{
  int primary = rc & 0xff;
  TrError code = TR_ERROR_TEMPORARY;

  if (primary == SQLITE_MISUSE || primary == SQLITE_RANGE || primary == SQLITE_ERROR)
    code = TR_ERROR_INTERNAL;
  if (primary == SQLITE_ERROR && s->db != NULL
      && g_str_has_prefix (sqlite3_errmsg (s->db), "no such table"))
    code = TR_ERROR_TEMPORARY;
  g_set_error (error, TR_ERROR, code, "%s: %s: %s", s->path, what,
               s->db ? sqlite3_errmsg (s->db) : sqlite3_errstr (rc));
  return FALSE;
}

/* tr_sqlite_exec - run SQL without results */
gboolean
tr_sqlite_exec (TrSqliteStore *s, const char *sql, GError **error)
{
  int rc = sqlite3_exec (s->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return tr_sqlite_error (s, rc, sql, error);
  return TRUE;
}

/* tr_sqlite_prepare - a one-off statement */
sqlite3_stmt *
tr_sqlite_prepare (TrSqliteStore *s, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (s->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      tr_sqlite_error (s, rc, "preparing a statement", error);
      return NULL;
    }
  return stmt;
}

/* tr_sqlite_step_done - run an INSERT or UPDATE to completion */
gboolean
tr_sqlite_step_done (TrSqliteStore *s, sqlite3_stmt *stmt, const char *what, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    return tr_sqlite_error (s, rc, what, error);
  return TRUE;
}

void
tr_sqlite_bind_text (sqlite3_stmt *stmt, int index, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

void
tr_sqlite_bind_count (sqlite3_stmt *stmt, int index, gint64 count)
{
  if (count != TR_COUNT_ABSENT)
    sqlite3_bind_int64 (stmt, index, count);
}

const char *
tr_sqlite_column_text (sqlite3_stmt *stmt, int i)
{
  return (const char *) sqlite3_column_text (stmt, i);
}

char *
tr_sqlite_dup_text (sqlite3_stmt *stmt, int i)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, i));
}

/* pragma_int - the integer value of PRAGMA @name */
static gboolean
pragma_int (TrSqliteStore *store, const char *name, gint64 *value, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA %s", name); /* a constant of ours */
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc = sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return tr_sqlite_error (store, rc, sql, error);
  *value = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* count_tables - how many tables the database has, to tell an empty file from a foreign one */
static gboolean
count_tables (TrSqliteStore *store, gint64 *n, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  const char *sql = "SELECT count(*) FROM sqlite_master";
  int rc = sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return tr_sqlite_error (store, rc, "reading the schema", error);
  *n = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* check_version - refuse foreign databases and ones newer than this program */
static gboolean
check_version (TrSqliteStore *store, gint64 *version, GError **error)
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
migrate (TrSqliteStore *store, GError **error)
{
  gint64 version;
  g_autofree char *set_version = NULL;
  g_autofree char *set_app_id = NULL;

  if (!check_version (store, &version, error))
    return FALSE;
  if (version == (gint64) tr_schema_version)
    return TRUE;

  if (!tr_sqlite_exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  /* another ingest may have migrated while we waited for the lock */
  if (!check_version (store, &version, error))
    goto fail;
  for (guint step = (guint) version; step < tr_schema_version; step++)
    {
      int rc = sqlite3_exec (store->db, tr_schema_migrations[step], NULL, NULL, NULL);

      if (rc != SQLITE_OK)
        {
          g_autofree char *what = g_strdup_printf ("schema step %u", step + 1);

          tr_sqlite_error (store, rc, what, error);
          goto fail;
        }
    }
  set_version = g_strdup_printf ("PRAGMA user_version = %u", tr_schema_version);
  set_app_id = g_strdup_printf ("PRAGMA application_id = %d", TR_SCHEMA_APPLICATION_ID);
  if (!tr_sqlite_exec (store, set_version, error) || !tr_sqlite_exec (store, set_app_id, error)
      || !tr_sqlite_exec (store, "COMMIT", error))
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

/* The modes of what we create, whatever the MTA's or web server's umask (Postfix: 077): the
 * directory 0750 and the database 0640 (SQLite gives its -wal and -shm files the database's
 * mode), so that a group of administrators can read it; in a shared directory the database is
 * TR_STORE_SHARED_MODE (doc/schema.md, "Permissions"). */
#define TR_STORE_UMASK (S_IWGRP | S_IRWXO)
/* a database made in a directory that is set-group-ID and writable by its group (2770: the
 * MTA's user and the web server's user both in that group) is 0660, so that each of them can
 * write what the other made */
#define TR_STORE_SHARED_MODE 0660

/* shared_directory - whether @dir is set-group-ID and writable by its group */
static gboolean
shared_directory (const char *dir)
{
  GStatBuf st;

  return g_stat (dir, &st) == 0 && S_ISDIR (st.st_mode) && (st.st_mode & S_ISGID)
         && (st.st_mode & S_IWGRP);
}

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

/* store_wal_hook - after each commit: checkpoint a long WAL.  Left to itself, a WAL that is not
 * checkpointed at close only grows, because every new process rebuilds its index and never
 * rewinds it (doc/performance.md).  The checkpoint does not truncate the WAL: after it, the next
 * write starts the WAL again from its beginning, over the blocks the file already has, and an
 * fdatasync that does not grow a file is much cheaper.  A busy or partial checkpoint is simply
 * tried again after a later commit. */
static int
store_wal_hook (void *data, sqlite3 *db, const char *schema, int n_frames)
{
  TrSqliteStore *store = data;
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
rewind_wal (TrSqliteStore *store)
{
  g_autofree char *set_version = NULL;
  gint64 version;

  sqlite3_busy_timeout (store->db, 0);
  if (!tr_sqlite_exec (store, "BEGIN IMMEDIATE", NULL))
    return;
  if (pragma_int (store, "user_version", &version, NULL))
    {
      set_version = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, version);
      if (tr_sqlite_exec (store, set_version, NULL) && tr_sqlite_exec (store, "COMMIT", NULL))
        return;
    }
  sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
}

/* sync_wal - fsync the WAL: what synchronous=FULL does at every commit */
static gboolean
sync_wal (TrSqliteStore *store, GError **error)
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

/* tr_sqlite_statement - the kept statement @which, reset and unbound */
sqlite3_stmt *
tr_sqlite_statement (TrSqliteStore *s, int which, GError **error)
{
  extern const char *const tr_sqlite_statements[N_STMTS];

  if (s->stmts[which] == NULL)
    {
      int rc = sqlite3_prepare_v3 (s->db, tr_sqlite_statements[which], -1,
                                   SQLITE_PREPARE_PERSISTENT, &s->stmts[which], NULL);
      if (rc != SQLITE_OK)
        {
          tr_sqlite_error (s, rc, "preparing a statement", error);
          return NULL;
        }
    }
  sqlite3_reset (s->stmts[which]);
  sqlite3_clear_bindings (s->stmts[which]);
  return s->stmts[which];
}

/* reopen_immutable - a read-only connection to a WAL database whose -shm file is missing and
 * cannot be created (a directory we may not write): SQLite cannot read it in WAL mode then.
 * Without a -wal file everything is in the main file, so open it as immutable (no locks, no
 * -shm); with a -wal file that would miss committed data, so give up. */
static gboolean
reopen_immutable (TrSqliteStore *store)
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

/* owner_text - "mode 0640, owner tlsrpt:mail" of @st */
static char *
owner_text (const GStatBuf *st)
{
  struct passwd *pw = getpwuid (st->st_uid);
  g_autofree char *user = pw ? g_strdup (pw->pw_name) : g_strdup_printf ("%u", (guint) st->st_uid);
  struct group *gr = getgrgid (st->st_gid);
  g_autofree char *group = gr ? g_strdup (gr->gr_name) : g_strdup_printf ("%u", (guint) st->st_gid);

  return g_strdup_printf ("mode %04o, owner %s:%s", (guint) (st->st_mode & 07777), user, group);
}

/* companions_exist - whether the database @path and its -wal and -shm files all exist: then
 * a writer needs no new file in their directory */
static gboolean
companions_exist (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS) && g_file_test (wal, G_FILE_TEST_EXISTS)
         && g_file_test (shm, G_FILE_TEST_EXISTS);
}

/* permission_error - why @path cannot be opened (for writing with @writing) by this user, if
 * the file system says so: TRUE with @error set then */
static gboolean
permission_error (const char *path, gboolean writing, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  const char *user = g_get_user_name ();
  GStatBuf st;

  if (g_stat (path, &st) != 0 && errno == EACCES)
    g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                 "%s: permission denied: user %s cannot search a directory on the way to it", path,
                 user);
  else if (g_stat (path, &st) == 0 && g_access (path, writing ? R_OK | W_OK : R_OK) != 0)
    {
      g_autofree char *owner = owner_text (&st);
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                   "%s: permission denied: user %s may not %s it (%s)", path, user,
                   writing ? "write" : "read", owner);
    }
  else if (writing && !companions_exist (path) && g_stat (dir, &st) == 0
           && g_access (dir, W_OK | X_OK) != 0)
    {
      g_autofree char *owner = owner_text (&st);
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                   "%s: permission denied: user %s may not create files in %s (%s), where the "
                   "database and its -wal and -shm files live",
                   path, user, dir, owner);
    }
  else
    return FALSE;
  return TRUE;
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
    {
      int saved = errno;

      if (saved == ENOENT || saved == ENOTDIR || saved == EACCES)
        return saved == ENOENT || !permission_error (path, FALSE, error); /* ENOENT: to create */
      /* not "no such database": a symbolic link loop, a name too long */
      g_set_error (error, TR_ERROR, TR_ERROR_NOT_FOUND, "%s: cannot open database: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
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

/* check_readable - a read-only connection: a tlsrptdb database the reads understand */
static gboolean
check_readable (TrSqliteStore *store, GError **error)
{
  gint64 version;

  if (!check_version (store, &version, error))
    return FALSE;
  if (version == 0)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_NOT_FOUND,
                   "%s: an empty file, not a tlsrptdb database yet (tlsrptdb ingest creates it)",
                   store->path);
      return FALSE;
    }
  if (version < (gint64) TR_STORE_READABLE)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                   "%s: database schema version %" G_GINT64_FORMAT
                   " is older than this program reads (%u): run \"tlsrptdb upgrade --db %s\" as "
                   "its owner (the next ingest upgrades it too)",
                   store->path, version, TR_STORE_READABLE, store->path);
      return FALSE;
    }
  return TRUE;
}

/* open_read_only - a read-only connection, as immutable when WAL cannot be read otherwise */
static gboolean
open_read_only (TrSqliteStore *store, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  int rc
      = sqlite3_open_v2 (store->path, &store->db,
                         SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);

  if (rc != SQLITE_OK)
    return !permission_error (store->path, FALSE, error)
           && tr_sqlite_error (store, rc, "cannot open database", error);
  sqlite3_extended_result_codes (store->db, 1);
  sqlite3_busy_timeout (store->db, TR_STORE_BUSY_TIMEOUT_MS);
  sqlite3_exec (store->db, "PRAGMA mmap_size = " G_STRINGIFY (TR_STORE_READ_MMAP_BYTES), NULL, NULL,
                NULL);
  if (check_readable (store, &local_error))
    return TRUE;
  if (g_error_matches (local_error, TR_ERROR, TR_ERROR_NOT_FOUND) || !reopen_immutable (store))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return check_readable (store, error);
}

/* open_writer - a read-write connection (a new database in a shared directory made
 * group-writable): WAL, the pragmas, the pending migrations.  Foreign
 * keys are turned on after the migration: a step that builds a table again drops the old one,
 * which with foreign keys on would delete the rows that refer to it.  temp_store = MEMORY: the
 * statement journal of every row a statement upserts went to a file in /var/tmp, twenty writes
 * per policy (a report with 16,000 policy domains made 315,000); a statement journal holds the
 * pages of one statement, so it stays small.  Checkpoints: not at every close (that costs two
 * fsyncs per ingest), but by store_wal_hook once the WAL is long. */
static gboolean
open_writer (TrSqliteStore *store, gboolean existed, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (store->path);
  int rc;

  if (!existed && g_mkdir_with_parents (dir, 0750) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                   "%s: cannot create directory as user %s: %s", dir, g_get_user_name (),
                   g_strerror (saved_errno));
      return FALSE;
    }
  if (permission_error (store->path, TRUE, error))
    return FALSE;
  rc = sqlite3_open_v2 (store->path, &store->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
                            | SQLITE_OPEN_EXRESCODE,
                        NULL);
  if (rc != SQLITE_OK)
    return tr_sqlite_error (store, rc, "cannot open database", error);
  /* before the -wal and -shm files exist, which take the database's mode */
  if (!existed && shared_directory (dir) && g_chmod (store->path, TR_STORE_SHARED_MODE) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY, "%s: cannot make it group-writable: %s",
                   store->path, g_strerror (saved_errno));
      return FALSE;
    }
  sqlite3_extended_result_codes (store->db, 1);
  sqlite3_busy_timeout (store->db, TR_STORE_BUSY_TIMEOUT_MS);
  store->checkpoint_frames = TR_STORE_CHECKPOINT_FRAMES;
  sqlite3_db_config (store->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_wal_hook (store->db, store_wal_hook, store);
  if (!tr_sqlite_exec (store, "PRAGMA journal_mode = WAL", error)
      || !tr_sqlite_exec (
          store, "PRAGMA journal_size_limit = " G_STRINGIFY (TR_STORE_WAL_KEEP_BYTES), error)
      || !tr_sqlite_exec (store, "PRAGMA synchronous = NORMAL", error)
      || !tr_sqlite_exec (store, "PRAGMA temp_store = MEMORY", error) || !migrate (store, error)
      || !tr_sqlite_exec (store, "PRAGMA foreign_keys = ON", error))
    return FALSE;
  if (!existed)
    sync_directory (dir);
  return TRUE;
}

/* sqlite_close - finalize the statements and close; an open transaction is rolled back */
static void
sqlite_close (TrStore *base)
{
  TrSqliteStore *store = SQLITE_STORE (base);

  if (store->rewind_due && !base->in_transaction)
    rewind_wal (store);
  for (guint i = 0; i < N_STMTS; i++)
    sqlite3_finalize (store->stmts[i]);
  sqlite3_close_v2 (store->db); /* rolls back an open transaction */
  g_free (store->path);
  g_free (store);
}

/* tr_store_sqlite_open - open (and for writing, migrate; with TR_STORE_CREATE, create) @path */
TrStore *
tr_store_sqlite_open (const char *path, TrStoreMode mode, GError **error)
{
  TrSqliteStore *store;
  gboolean existed, ok;
  mode_t saved;

  configure_sqlite ();
  if (!check_path (path, &existed, error))
    return NULL;
  if (!existed && mode != TR_STORE_CREATE)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_NOT_FOUND,
                   "%s: no such database (tlsrptdb ingest creates it)", path);
      return NULL;
    }
  store = g_new0 (TrSqliteStore, 1);
  store->base.backend = &sqlite_backend;
  store->path = g_strdup (path);
  if (mode == TR_STORE_READ_ONLY)
    ok = open_read_only (store, error);
  else
    {
      saved = umask (TR_STORE_UMASK);
      ok = open_writer (store, existed, error);
      umask (saved);
    }
  if (!ok)
    {
      sqlite_close (&store->base);
      return NULL;
    }
  return &store->base;
}

/* sqlite_begin - BEGIN IMMEDIATE: the write lock now, before anything is read */
static gboolean
sqlite_begin (TrStore *base, GError **error)
{
  return tr_sqlite_exec (SQLITE_STORE (base), "BEGIN IMMEDIATE", error);
}

/* sqlite_commit - COMMIT, and fsync the WAL for a durable commit */
static gboolean
sqlite_commit (TrStore *base, gboolean durable, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);

  if (!tr_sqlite_exec (store, "COMMIT", error))
    return FALSE;
  return !durable || sync_wal (store, error);
}

static void
sqlite_rollback (TrStore *base)
{
  sqlite3_exec (SQLITE_STORE (base)->db, "ROLLBACK", NULL, NULL, NULL);
}

/* sqlite_tune_for_batch - checkpoint the WAL at 16 MiB instead of 256 KiB: every commit of a
 * batch writer (import) is many pages */
static void
sqlite_tune_for_batch (TrStore *base)
{
  SQLITE_STORE (base)->checkpoint_frames = TR_STORE_BATCH_CHECKPOINT_FRAMES;
}

static const TrStoreBackend sqlite_backend = {
  .name = "sqlite",
  .close = sqlite_close,
  .begin = sqlite_begin,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
  .tune_for_batch = sqlite_tune_for_batch,
  .add_report = tr_sqlite_add_report,
  .has_report = tr_sqlite_has_report,
  .add_rejected = tr_sqlite_add_rejected,
  .next_rejected = tr_sqlite_next_rejected,
  .delete_rejected = tr_sqlite_delete_rejected,
  .set_rejected_reason = tr_sqlite_set_rejected_reason,
  .each_rejected = tr_sqlite_each_rejected,
  .count_rejected = tr_sqlite_count_rejected,
  .find_rejected = tr_sqlite_find_rejected,
  .prune_reports = tr_sqlite_prune_reports,
  .prune_rejected = tr_sqlite_prune_rejected,
  .each_session = tr_sqlite_each_session,
  .each_detail = tr_sqlite_each_detail,
  .each_failure = tr_sqlite_each_failure,
  .each_report = tr_sqlite_each_report,
  .find_reports = tr_sqlite_find_reports,
  .info = tr_sqlite_info,
  .each_stored = tr_sqlite_each_stored,
  .copy_report = tr_sqlite_copy_report,
  .copy_rejected = tr_sqlite_copy_rejected,
  .each_name = tr_sqlite_each_name,
  .each_source = tr_sqlite_each_source,
  .each_policy = tr_sqlite_each_policy,
  .begin_read = tr_sqlite_begin_read,
  .end_read = tr_sqlite_end_read,
  .each_coverage = tr_sqlite_each_coverage,
  .each_domain_sessions = tr_sqlite_each_domain_sessions,
  .each_result_type = tr_sqlite_each_result_type,
};
