/* store-floor.c - the storage floors of the ingest benchmark's big and duplicate cases.
 *
 * Usage: store-floor store DB JSON ROWS REPORT_ID
 *        store-floor count DB REPORTER_KEY REPORT_ID
 *
 * store: the least SQLite work that the data contract of doc/schema.md asks for when a report is
 * stored: in one transaction made durable at COMMIT (WAL, synchronous=FULL), one `reports` row
 * that carries the report's JSON text (`raw_json`, read from the file JSON), one `policies` row
 * and one `failures` row per line of ROWS (tab-separated, in the column order of `failures`
 * after policy_ref; an empty field is NULL).  The tables are the contract's four with only the
 * UNIQUE key that dedup needs and the index on failures(policy_ref) that every join from a
 * policy needs; no summary tables, no triggers, no checkpoint (the WAL is left for the next
 * process).  Nothing is parsed: the rows are split at tabs.  The schema is created if DB has
 * none, so an untimed first run with a small report makes a database "in use".
 *
 * count: what a repeat delivery cannot do without: open DB, a database of tlsrptdb's own (its
 * schema, its WAL), and in one write transaction add 1 to `deliveries` of the report
 * (REPORTER_KEY, REPORT_ID), found by its UNIQUE key as ingest finds it, committed as ingest
 * commits a repeat (synchronous=NORMAL: no sync).
 * No mail, no JSON, no check of anything.
 *
 * It is linked like bench/floor.c (same libraries, -Wl,--no-as-needed), so its start-up is the
 * floor's and the difference is the database work.  What tlsrptdb ingest does on top (reading
 * the mail, base64, inflate, JSON, checks, the summary tables, the checkpoint) cannot make its
 * cost less than this.  Exit status 0, or 1 with a message on stderr. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libs.h"

#define N_FAILURE_COLUMNS 8

static const char schema[]
    = "PRAGMA journal_mode = WAL;"
      "PRAGMA synchronous = FULL;"
      "CREATE TABLE IF NOT EXISTS reports (id INTEGER PRIMARY KEY, organization_name TEXT,"
      "  contact_info TEXT, report_id TEXT, start_datetime TEXT, end_datetime TEXT,"
      "  raw_json TEXT, UNIQUE (organization_name, report_id));"
      "CREATE TABLE IF NOT EXISTS policies (id INTEGER PRIMARY KEY, report_ref INTEGER,"
      "  policy_type TEXT, policy_domain TEXT, policy_string TEXT, mx_host TEXT,"
      "  total_successful_session_count INTEGER, total_failure_session_count INTEGER);"
      "CREATE TABLE IF NOT EXISTS failures (id INTEGER PRIMARY KEY, policy_ref INTEGER,"
      "  result_type TEXT, sending_mta_ip TEXT, receiving_mx_hostname TEXT,"
      "  receiving_mx_helo TEXT, receiving_ip TEXT, failed_session_count INTEGER,"
      "  additional_information TEXT, failure_reason_code TEXT);"
      "CREATE INDEX IF NOT EXISTS failures_policy ON failures (policy_ref);";

static sqlite3 *db;

/* die - print what failed, with SQLite's message when there is one, and exit 1 */
static void
die (const char *what)
{
  fprintf (stderr, "store-floor: %s: %s\n", what, db != NULL ? sqlite3_errmsg (db) : "failed");
  exit (1);
}

/* slurp - the whole file, NUL-terminated; its length in *len */
static char *
slurp (const char *path, size_t *len)
{
  FILE *f = fopen (path, "rb");
  char *data;
  long size;

  if (f == NULL || fseek (f, 0, SEEK_END) != 0 || (size = ftell (f)) < 0
      || fseek (f, 0, SEEK_SET) != 0)
    die (path);
  data = malloc ((size_t) size + 1);
  if (data == NULL || fread (data, 1, (size_t) size, f) != (size_t) size)
    die (path);
  data[size] = '\0';
  fclose (f);
  *len = (size_t) size;
  return data;
}

/* prepare - a statement, or exit */
static sqlite3_stmt *
prepare (const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    die (sql);
  return stmt;
}

/* step - run an INSERT to completion and reset it, or exit */
static void
step (sqlite3_stmt *stmt, const char *what)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    die (what);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

/* insert_failures - one failures row per line of @rows (modified in place) */
static void
insert_failures (sqlite3_int64 policy, char *rows)
{
  sqlite3_stmt *stmt = prepare ("INSERT INTO failures VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                                " ?8, ?9)");
  char *line = rows;

  while (*line != '\0')
    {
      char *end = strchr (line, '\n');
      char *field = line;

      if (end != NULL)
        *end = '\0';
      sqlite3_bind_int64 (stmt, 1, policy);
      for (int column = 0; column < N_FAILURE_COLUMNS; column++)
        {
          char *tab = strchr (field, '\t');

          if (tab != NULL)
            *tab = '\0';
          if (*field != '\0')
            sqlite3_bind_text (stmt, column + 2, field, -1, SQLITE_STATIC);
          field = tab != NULL ? tab + 1 : field + strlen (field);
        }
      step (stmt, "inserting a failure");
      line = end != NULL ? end + 1 : line + strlen (line);
    }
  sqlite3_finalize (stmt);
}

/* store - the "store" mode described at the top */
static int
store (const char *path, const char *json_path, const char *rows_path, const char *report_id)
{
  sqlite3_stmt *stmt;
  sqlite3_int64 report, policy;
  size_t json_len, rows_len;
  char *json = slurp (json_path, &json_len);
  char *rows = slurp (rows_path, &rows_len);

  if (sqlite3_open (path, &db) != SQLITE_OK)
    die (path);
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  if (sqlite3_exec (db, schema, NULL, NULL, NULL) != SQLITE_OK)
    die ("creating the tables");
  if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    die ("BEGIN");

  stmt = prepare ("INSERT INTO reports VALUES (NULL, 'Reporter Example Inc.',"
                  " 'smtp-tls-reporting@reporter.example.com', ?1, '2024-01-01T00:00:00Z',"
                  " '2024-01-01T23:59:59Z', ?2)");
  sqlite3_bind_text (stmt, 1, report_id, -1, SQLITE_STATIC);
  sqlite3_bind_text64 (stmt, 2, json, json_len, SQLITE_STATIC, SQLITE_UTF8);
  step (stmt, "inserting the report");
  sqlite3_finalize (stmt);
  report = sqlite3_last_insert_rowid (db);

  stmt = prepare (
      "INSERT INTO policies VALUES (NULL, ?1, 'sts', 'example.com',"
      " '[\"version: STSv1\",\"mode: enforce\"]', '[\"mx1.example.com\"]', 12345, 2496530)");
  sqlite3_bind_int64 (stmt, 1, report);
  step (stmt, "inserting the policy");
  sqlite3_finalize (stmt);
  policy = sqlite3_last_insert_rowid (db);

  insert_failures (policy, rows);
  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    die ("COMMIT");
  if (sqlite3_close (db) != SQLITE_OK)
    die ("close");
  free (json);
  free (rows);
  return 0;
}

/* count - the "count" mode described at the top */
static int
count (const char *path, const char *reporter_key, const char *report_id)
{
  sqlite3_stmt *stmt;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    die (path);
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  if (sqlite3_exec (db, "PRAGMA synchronous = NORMAL; BEGIN IMMEDIATE", NULL, NULL, NULL)
      != SQLITE_OK)
    die ("BEGIN");
  stmt = prepare ("UPDATE reports SET deliveries = deliveries + 1"
                  " WHERE reporter_key = ?1 AND report_id = ?2");
  sqlite3_bind_text (stmt, 1, reporter_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, report_id, -1, SQLITE_STATIC);
  step (stmt, "counting the delivery");
  if (sqlite3_changes (db) != 1)
    {
      fprintf (stderr, "store-floor: %s: no report (%s, %s)\n", path, reporter_key, report_id);
      exit (1);
    }
  sqlite3_finalize (stmt);
  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    die ("COMMIT");
  if (sqlite3_close (db) != SQLITE_OK)
    die ("close");
  return 0;
}

/* main - dispatch on the mode */
int
main (int argc, char **argv)
{
  (void) tr_bench_libs;
  if (argc == 6 && strcmp (argv[1], "store") == 0)
    return store (argv[2], argv[3], argv[4], argv[5]);
  if (argc == 5 && strcmp (argv[1], "count") == 0)
    return count (argv[2], argv[3], argv[4]);
  fprintf (stderr, "usage: store-floor store DB JSON ROWS REPORT_ID\n"
                   "       store-floor count DB REPORTER_KEY REPORT_ID\n");
  return 1;
}
