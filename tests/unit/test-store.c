/* test-store.c - store.c: schema, dedup, transactions, refusals */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "error.h"
#include "schema.h"
#include "store.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("test-store-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "sub", "reports.db", NULL);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* make_report - a small validated report with @n_failures failure details */
static TrReport *
make_report (const char *reporter, const char *id, guint n_failures)
{
  TrReport *report = tr_report_new ();
  TrPolicy *policy = tr_policy_new ();
  static const char json[] = "{\"policies\":[]}";

  report->reporter_key = g_strdup (reporter);
  report->report_id = g_strdup (id);
  report->organization_name = g_strdup ("Example Org");
  report->start_datetime = g_strdup ("2026-11-20T00:00:00Z");
  report->end_datetime = g_strdup ("2026-11-20T23:59:59Z");
  report->raw_json = g_bytes_new_static (json, sizeof json - 1);
  policy->policy_type = g_strdup ("sts");
  policy->policy_domain = g_strdup ("example.com");
  policy->mx_host = g_strdup ("[\"mx1.example.com\"]");
  policy->total_successful_session_count = 10;
  policy->total_failure_session_count = n_failures;
  for (guint i = 0; i < n_failures; i++)
    {
      TrFailure *failure = tr_failure_new ();
      failure->result_type = g_strdup ("certificate-expired");
      failure->failed_session_count = 1;
      g_ptr_array_add (policy->failures, failure);
    }
  g_ptr_array_add (report->policies, policy);
  return report;
}

static gint64
query_int (TrStore *store, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (tr_store_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static const char *
query_text (TrStore *store, const char *sql)
{
  static char value[64];
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (tr_store_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_strlcpy (value, (const char *) sqlite3_column_text (stmt, 0), sizeof value);
  sqlite3_finalize (stmt);
  return value;
}

static void
add (TrStore *store, TrReport *report, TrStoreResult *result)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (tr_store_begin (store, &error));
  g_assert_true (tr_store_add_report (store, report, NULL, "2026-11-21T06:00:00Z", result, &error));
  g_assert_true (tr_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
test_create (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_READ_WRITE, &error);

  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "PRAGMA user_version"), ==, tr_schema_version);
  g_assert_cmpint (query_int (store, "PRAGMA application_id"), ==, TR_SCHEMA_APPLICATION_ID);
  /* NORMAL: tr_store_commit syncs the WAL itself, which is all FULL adds in WAL mode */
  g_assert_cmpint (query_int (store, "PRAGMA synchronous"), ==, 1);
  g_assert_cmpstr (query_text (store, "PRAGMA journal_mode"), ==, "wal");
  g_assert_cmpint (query_int (store, "PRAGMA foreign_keys"), ==, 1);
  g_clear_pointer (&store, tr_store_close);

  /* opening again migrates nothing and keeps working */
  store = tr_store_open (f->path, TR_STORE_READ_WRITE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
}

static void
test_dedup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_READ_WRITE, &error);
  g_autoptr (TrReport) first = make_report ("google.com", "id-1", 3);
  g_autoptr (TrReport) again = make_report ("google.com", "id-1", 3);
  g_autoptr (TrReport) other = make_report ("microsoft.com", "id-1", 1);
  TrStoreResult result;

  g_assert_no_error (error);
  add (store, first, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_STORED);
  g_assert_cmpuint (result.n_policies, ==, 1);
  g_assert_cmpuint (result.n_failures, ==, 3);
  add (store, again, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_DUPLICATE);
  g_assert_cmpint (result.deliveries, ==, 2);
  add (store, other, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_STORED);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM reports"), ==, 2);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM failures"), ==, 4);
  g_assert_cmpint (query_int (store, "SELECT sum(deliveries) FROM reports"), ==, 3);
  g_assert_cmpint (
      query_int (store, "SELECT count(*) FROM reports WHERE report_day = '2026-11-20'"), ==, 2);
}

static void
test_rollback (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_READ_WRITE, &error);
  g_autoptr (TrReport) report = make_report ("google.com", "id-1", 5);
  TrStoreResult result;

  g_assert_true (tr_store_begin (store, &error));
  g_assert_true (
      tr_store_add_report (store, report, NULL, "2026-11-21T06:00:00Z", &result, &error));
  tr_store_rollback (store);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM reports"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM failures"), ==, 0);
}

static void
test_rejected (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_READ_WRITE, &error);
  g_autoptr (GBytes) raw = g_bytes_new_static ("abc\0def", 7);

  g_assert_true (tr_store_begin (store, &error));
  g_assert_true (tr_store_add_rejected (store, raw, 7000, "message too large", NULL,
                                        "2026-11-21T06:00:00Z", &error));
  g_assert_true (tr_store_commit (store, &error));
  g_assert_cmpint (query_int (store, "SELECT length(raw_message) FROM rejected"), ==, 7);
  g_assert_cmpint (query_int (store, "SELECT truncated FROM rejected"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT message_size FROM rejected"), ==, 7000);
}

static void
test_newer_schema (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_READ_WRITE, &error);

  g_assert_cmpint (
      sqlite3_exec (tr_store_db (store), "PRAGMA user_version = 1000", NULL, NULL, NULL), ==,
      SQLITE_OK);
  g_clear_pointer (&store, tr_store_close);
  store = tr_store_open (f->path, TR_STORE_READ_WRITE, &error);
  g_assert_null (store);
  g_assert_error (error, TR_ERROR, TR_ERROR_TEMPORARY);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_clear_error (&error);
  store = tr_store_open (f->path, TR_STORE_READ_ONLY, &error);
  g_assert_error (error, TR_ERROR, TR_ERROR_TEMPORARY);
}

static void
test_missing_read_only (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_READ_ONLY, &error);

  g_assert_null (store);
  g_assert_error (error, TR_ERROR, TR_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

static void
test_foreign (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  sqlite3 *db = NULL;
  g_autoptr (TrStore) store = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = tr_store_open (f->path, TR_STORE_READ_WRITE, &error);
  g_assert_null (store);
  g_assert_error (error, TR_ERROR, TR_ERROR_TEMPORARY);
}

/* a database made by an older tlsrptdb is migrated step by step, its rows kept */
static void
test_migrate_v1 (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autoptr (TrStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, tr_schema_migrations[0], NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (
      sqlite3_exec (db,
                    "PRAGMA user_version = 1; PRAGMA application_id = 1414680660;"
                    "INSERT INTO reports (reporter_key, report_id, raw_json,"
                    " received_at, last_received_at) VALUES ('a', 'b', '{}', 'x', 'x')",
                    NULL, NULL, NULL),
      ==, SQLITE_OK);
  sqlite3_close (db);

  store = tr_store_open (f->path, TR_STORE_READ_WRITE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "PRAGMA user_version"), ==, tr_schema_version);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM reports WHERE dkim_result IS NULL"), ==,
                   1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/store/create", test_create);
  ADD ("/store/dedup", test_dedup);
  ADD ("/store/rollback", test_rollback);
  ADD ("/store/rejected", test_rejected);
  ADD ("/store/newer-schema", test_newer_schema);
  ADD ("/store/missing-read-only", test_missing_read_only);
  ADD ("/store/foreign", test_foreign);
  ADD ("/store/migrate-v1", test_migrate_v1);
  return g_test_run ();
}
