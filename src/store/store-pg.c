/* store-pg.c - the PostgreSQL backend: the connection, the schema, transactions
 *
 * A database string names the server the way libpq reads it (a postgresql:// URI, or key=value
 * pairs, with ~/.pgpass, PGSERVICE and the PG* variables); one that holds a password is refused,
 * because a command line and /etc/aliases are world-readable.  Each session runs in UTC with ISO
 * dates, without JIT, and waits at most TR_STORE_BUSY_TIMEOUT_MS for a lock, as SQLite's busy
 * timeout; these go in the connection's options, which cost no round trip.
 *
 * Durability: exit 0 only after COMMIT returned, so the server's own durability holds
 * (synchronous_commit as its administrator set it).  A relaxed commit (a transaction that only
 * counted repeat deliveries) sets synchronous_commit off for itself, as SQLite's skips the
 * fsync.  A connection lost during COMMIT leaves its outcome unknown: 75, and the retry counts
 * one delivery more at worst, never loses a report.
 */
#include "config.h"

#include <string.h>

#include <gmodule.h>

#include "error.h"
#include "schema-pg.h"
#include "store-pg.h"

/* The settings of every session (bench/pg-notes.md): the contract's instants and days, no JIT
 * compile (it costs more than our statements), SQLite's busy timeout as lock_timeout, and
 * cursors planned for all their rows. */
#define PG_SESSION_OPTIONS                                                                         \
  "-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c jit=off"                      \
  " -c cursor_tuple_fraction=1 -c lock_timeout=" G_STRINGIFY (TR_STORE_BUSY_TIMEOUT_MS)
/* How long a connection may take (libpq waits forever by default); a database string may say
 * otherwise */
#define PG_CONNECT_TIMEOUT "10"

static const TrStoreBackend pg_backend;

/* check_conninfo - @db parsed as libpq does; a password in it is refused; *@options gets its
 * options (to keep them beside ours) */
static gboolean
check_conninfo (const char *db, char **options, GError **error)
{
  char *message = NULL;
  PQconninfoOption *parsed = PQconninfoParse (db, &message);

  if (parsed == NULL)
    {
      g_autofree char *line = tr_pg_error_line (message);

      g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "the PostgreSQL database string: %s",
                   message ? line : "out of memory");
      PQfreemem (message);
      return FALSE;
    }
  for (PQconninfoOption *o = parsed; o->keyword != NULL; o++)
    {
      if (strcmp (o->keyword, "password") == 0 && o->val != NULL && *o->val != '\0')
        {
          g_set_error (error, TR_ERROR, TR_ERROR_CONFIG,
                       "the PostgreSQL database string holds a password, which anyone on this "
                       "machine could read on a command line or in a config file: remove it, and "
                       "give it in ~/.pgpass (PGPASSFILE) or a service file (PGSERVICE) instead, "
                       "or use peer or certificate authentication (tlsrptdb(1), DATABASE)");
          PQconninfoFree (parsed);
          return FALSE;
        }
      if (strcmp (o->keyword, "options") == 0 && o->val != NULL)
        *options = g_strdup (o->val);
    }
  PQconninfoFree (parsed);
  return TRUE;
}

/* connect_db - a connection to @db, with the session's settings after its own options */
static gboolean
connect_db (TrPgStore *s, const char *db, GError **error)
{
  g_autofree char *theirs = NULL;
  g_autofree char *options = NULL;
  const char *env = g_getenv ("PGOPTIONS");
  const char *app = g_get_prgname ();
  /* our defaults first, then the database string (expanded), then what we must set */
  const char *keywords[] = { "connect_timeout", "fallback_application_name",
                             "dbname",          "client_encoding",
                             "options",         NULL };
  const char *values[G_N_ELEMENTS (keywords)]
      = { PG_CONNECT_TIMEOUT, app ? app : PACKAGE_NAME, db, "UTF8" };

  if (!check_conninfo (db, &theirs, error))
    return FALSE;
  if (theirs == NULL && env != NULL)
    theirs = g_strdup (env);
  options = g_strconcat (theirs ? theirs : "", theirs ? " " : "", PG_SESSION_OPTIONS, NULL);
  values[4] = options;
  s->conn = PQconnectdbParams (keywords, values, 1);
  if (s->conn == NULL || PQstatus (s->conn) != CONNECTION_OK)
    {
      g_autofree char *line = tr_pg_error_line (s->conn ? PQerrorMessage (s->conn) : NULL);

      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                   "%s: cannot connect to the PostgreSQL server: %s", db,
                   *line ? line : "out of memory");
      return FALSE;
    }
  return TRUE;
}

/* query_version - the schema version of the database (0: no tlsrptdb tables), in normal mode;
 * a database with other tables and none of ours is not ours */
static gboolean
query_version (TrPgStore *s, guint *version, GError **error)
{
  g_autoptr (PGresult) res
      = PQexec (s->conn, "SELECT max(version), bool_and(application_id = 1414680660)"
                         " FROM tlsrptdb_version");
  const char *state = PQresultErrorField (res, PG_DIAG_SQLSTATE);

  *version = 0;
  if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) == 1)
    {
      *version = (guint) CLAMP (tr_pg_int (res, 0, 0), 0, G_MAXINT);
      if (tr_pg_flag (res, 0, 1) == 0)
        {
          g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                       "%s: not a tlsrptdb database (tlsrptdb_version has another application id)",
                       s->name);
          return FALSE;
        }
      return TRUE;
    }
  if (g_strcmp0 (state, "42P01") != 0)
    {
      g_autofree char *line = tr_pg_result_message (res);

      g_set_error (error, TR_ERROR, tr_pg_sqlstate_error (state),
                   "%s: reading the schema version: %s", s->name, line);
      return FALSE;
    }
  g_clear_pointer (&res, PQclear);
  res = PQexec (s->conn, "SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                         " ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
                         " AND c.relkind IN ('r', 'p', 'v')");
  if (PQresultStatus (res) == PGRES_TUPLES_OK && tr_pg_int (res, 0, 0) > 0)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                   "%s: not a tlsrptdb database (its schema has other tables and no "
                   "tlsrptdb_version)",
                   s->name);
      return FALSE;
    }
  return TRUE;
}

/* run_steps - the pending steps after @from, inside the migration's transaction */
static gboolean
run_steps (TrPgStore *s, guint from, GError **error)
{
  for (guint v = MAX (from + 1, TR_PG_FIRST_VERSION); v <= tr_pg_schema_version; v++)
    {
      g_autofree char *insert
          = g_strdup_printf ("INSERT INTO tlsrptdb_version (version) VALUES (%u)", v);
      g_autoptr (PGresult) step = PQexec (s->conn, tr_pg_migrations[v - TR_PG_FIRST_VERSION]);
      g_autoptr (PGresult) row = NULL;

      if (PQresultStatus (step) == PGRES_COMMAND_OK)
        row = PQexec (s->conn, insert);
      if (row == NULL || PQresultStatus (row) != PGRES_COMMAND_OK)
        {
          const PGresult *failed = row ? row : step;
          const char *state = PQresultErrorField (failed, PG_DIAG_SQLSTATE);
          g_autofree char *line = tr_pg_result_message (failed);

          g_set_error (error, TR_ERROR, tr_pg_sqlstate_error (state), "%s: schema step %u: %s%s",
                       s->name, v, line,
                       g_strcmp0 (state, "42501") == 0 || g_strcmp0 (state, "25006") == 0
                           ? " (run tlsrptdb upgrade as the database's owner)"
                           : "");
          return FALSE;
        }
    }
  return TRUE;
}

/* migrate - bring the schema from *@version to this program's, as its owner, in one
 * transaction under an advisory lock (another tlsrptdb may be doing the same) */
static gboolean
migrate (TrPgStore *s, guint *version, GError **error)
{
  g_autoptr (PGresult) begin = PQexec (
      s->conn, "BEGIN; SELECT pg_advisory_xact_lock(" G_STRINGIFY (TR_PG_APPLICATION_ID) ")");
  g_autoptr (PGresult) exists = NULL;
  g_autoptr (PGresult) commit = NULL;

  if (PQresultStatus (begin) != PGRES_TUPLES_OK)
    {
      g_autofree char *line = tr_pg_result_message (begin);

      g_set_error (error, TR_ERROR,
                   tr_pg_sqlstate_error (PQresultErrorField (begin, PG_DIAG_SQLSTATE)),
                   "%s: migrating: %s", s->name, line);
      PQclear (PQexec (s->conn, "ROLLBACK"));
      return FALSE;
    }
  /* another tlsrptdb may have migrated while we waited for the lock (and a failed look-up
   * of a missing table would end this transaction) */
  exists = PQexec (s->conn, "SELECT to_regclass('tlsrptdb_version') IS NOT NULL");
  if (PQresultStatus (exists) == PGRES_TUPLES_OK && tr_pg_flag (exists, 0, 0) == 1
      && !query_version (s, version, error))
    {
      PQclear (PQexec (s->conn, "ROLLBACK"));
      return FALSE;
    }
  if (*version < tr_pg_schema_version && !run_steps (s, *version, error))
    {
      PQclear (PQexec (s->conn, "ROLLBACK"));
      return FALSE;
    }
  commit = PQexec (s->conn, "COMMIT");
  if (PQresultStatus (commit) != PGRES_COMMAND_OK)
    {
      g_autofree char *line = tr_pg_result_message (commit);

      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY, "%s: migrating: %s", s->name, line);
      return FALSE;
    }
  *version = tr_pg_schema_version;
  return TRUE;
}

/* check_schema - the schema this program needs for @mode: newer is refused, older is migrated
 * for writing (as the owner), missing is NOT_FOUND for reading */
static gboolean
check_schema (TrPgStore *s, TrStoreMode mode, GError **error)
{
  guint version;

  if (!query_version (s, &version, error))
    return FALSE;
  if (version > tr_pg_schema_version)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                   "%s: database schema version %u is newer than this program (%u): upgrade "
                   "tlsrptdb",
                   s->name, version, tr_pg_schema_version);
      return FALSE;
    }
  if (version == tr_pg_schema_version)
    return TRUE;
  if (mode != TR_STORE_READ_ONLY)
    return migrate (s, &version, error);
  if (version == 0)
    g_set_error (error, TR_ERROR, TR_ERROR_NOT_FOUND,
                 "%s: no tlsrptdb schema in this database yet (tlsrptdb upgrade, run as the "
                 "database's owner, creates it)",
                 s->name);
  else
    g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                 "%s: database schema version %u is older than this program reads (%u): run "
                 "\"tlsrptdb upgrade\" as the database's owner",
                 s->name, version, tr_pg_schema_version);
  return FALSE;
}

/* pg_close - an open transaction is rolled back by the server when the connection ends */
static void
pg_close (TrStore *base)
{
  TrPgStore *s = PG_STORE (base);

  if (s->conn != NULL)
    PQfinish (s->conn);
  g_free (s->name);
  g_free (s);
}

/* tr_store_pg_open - connect to @db, check (and for writing, migrate) its schema */
TrStore *
tr_store_pg_open (const char *db, TrStoreMode mode, GError **error)
{
  TrPgStore *s = g_new0 (TrPgStore, 1);

  s->base.backend = &pg_backend;
  s->base.mode = mode;
  s->name = g_strdup (db);
  if (!connect_db (s, db, error) || !check_schema (s, mode, error))
    {
      pg_close (&s->base);
      return NULL;
    }
  if (!PQenterPipelineMode (s->conn))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_INTERNAL, "%s: cannot enter pipeline mode", db);
      pg_close (&s->base);
      return NULL;
    }
  return &s->base;
}

/* pg_begin - BEGIN goes with the transaction's first statement: no round trip of its own */
static gboolean
pg_begin (TrStore *base, GError **error)
{
  TrPgStore *s = PG_STORE (base);

  s->begin_pending = TRUE;
  return TRUE;
}

/* pg_commit - COMMIT; a relaxed one does not wait for the WAL to be flushed */
static gboolean
pg_commit (TrStore *base, gboolean durable, GError **error)
{
  TrPgStore *s = PG_STORE (base);
  g_autoptr (PGresult) res = NULL;

  if (s->begin_pending)
    {
      s->begin_pending = FALSE; /* nothing was written */
      return TRUE;
    }
  if (!durable && !tr_pg_command (s, "SET LOCAL synchronous_commit TO off", "committing", error))
    return FALSE;
  res = tr_pg_exec (s, -1, "COMMIT", NULL, "committing", error);
  s->in_block = FALSE;
  if (res == NULL)
    return FALSE;
  if (g_strcmp0 (PQcmdStatus (res), "COMMIT") != 0) /* an aborted transaction's COMMIT */
    {
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY, "%s: the transaction was rolled back",
                   s->name);
      return FALSE;
    }
  return TRUE;
}

static void
pg_rollback (TrStore *base)
{
  TrPgStore *s = PG_STORE (base);

  s->begin_pending = FALSE;
  if (s->in_block)
    tr_pg_command (s, "ROLLBACK", "rolling back", NULL);
  s->in_block = FALSE;
}

/* pg_tune_for_batch - nothing: the server has its own checkpoints */
static void
pg_tune_for_batch (TrStore *base)
{
}

static const TrStoreBackend pg_backend = {
  .name = "postgresql",
  .close = pg_close,
  .begin = pg_begin,
  .commit = pg_commit,
  .rollback = pg_rollback,
  .tune_for_batch = pg_tune_for_batch,
  .add_report = tr_pg_add_report,
  .has_report = tr_pg_has_report,
  .add_rejected = tr_pg_add_rejected,
  .next_rejected = tr_pg_next_rejected,
  .delete_rejected = tr_pg_delete_rejected,
  .set_rejected_reason = tr_pg_set_rejected_reason,
  .each_rejected = tr_pg_each_rejected,
  .count_rejected = tr_pg_count_rejected,
  .find_rejected = tr_pg_find_rejected,
  .prune_reports = tr_pg_prune_reports,
  .prune_rejected = tr_pg_prune_rejected,
  .each_session = tr_pg_each_session,
  .each_detail = tr_pg_each_detail,
  .each_failure = tr_pg_each_failure,
  .each_report = tr_pg_each_report,
  .find_reports = tr_pg_find_reports,
  .info = tr_pg_info,
  .each_name = tr_pg_each_name,
  .each_source = tr_pg_each_source,
  .each_policy = tr_pg_each_policy,
  .begin_read = tr_pg_begin_read,
  .end_read = tr_pg_end_read,
  .each_coverage = tr_pg_each_coverage,
  .each_domain_sessions = tr_pg_each_domain_sessions,
  .each_result_type = tr_pg_each_result_type,
  .each_stored = tr_pg_each_stored,
  .copy_report = tr_pg_copy_report,
  .copy_rejected = tr_pg_copy_rejected,
};

/* the module's entry (store.c, load_module) */
G_MODULE_EXPORT const TrStoreModule tr_store_module = {
  .abi = TR_STORE_MODULE_ABI,
  .open = tr_store_pg_open,
};
