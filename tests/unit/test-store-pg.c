/* test-store-pg.c - the PostgreSQL backend (src/store/store-pg*.c), through the storage interface
 *
 * What needs no server always runs: a password in the database string, an unreachable server,
 * the meaning of SQLSTATEs, array values and messages.  What needs one runs when
 * $TLSRPTDB_TEST_PG_DB names a database with the schema, as its owner (tests/pg/unit.sh starts
 * a private server and runs this test so): dedup, conflicts, the verdict, rejected messages and
 * their budget, rollback, a key no B-tree could index, a row stored before content was compared,
 * and copying (each_stored, copy_report, copy_rejected).
 */
#include "config.h"

#include <string.h>

#include "error.h"
#include "schema-pg.h"
#include "schema-sqlite.h"
#include "store-pg.h" /* the helpers, compiled into this test */
#include "validate.h"

static const char *pg_db; /* $TLSRPTDB_TEST_PG_DB */

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
  policy->policy_domain = g_strdup ("Example.com");
  policy->mx_host = g_strdup ("[\"mx1.example.com\"]");
  policy->total_successful_session_count = 10;
  policy->total_failure_session_count = n_failures;
  for (guint i = 0; i < n_failures; i++)
    {
      TrFailure *failure = tr_failure_new ();
      failure->result_type = g_strdup (i % 2 ? "validation-failure" : "certificate-expired");
      failure->receiving_mx_hostname = g_strdup ("MX1.example.com");
      failure->failed_session_count = 1;
      g_ptr_array_add (policy->failures, failure);
    }
  g_ptr_array_add (report->policies, policy);
  report->report_day = g_strdup ("2026-11-20");
  report->fingerprint = tr_validate_fingerprint (report);
  tr_report_warn (report, "count-as-string", "policies[0].summary");
  return report;
}

static const TrArrival arrival = { .received_at = "2026-11-21T06:00:00Z", .via = "mail" };

/* --- without a server ----------------------------------------------------------------------- */

static void
test_password (void)
{
  static const char *const dbs[] = {
    "postgresql://tlsrpt:s3cret-word@db.example/tlsrpt",
    "host=db.example dbname=tlsrpt password=s3cret-word",
    "postgres://db.example/tlsrpt?password=s3cret-word",
  };

  for (guint i = 0; i < G_N_ELEMENTS (dbs); i++)
    {
      g_autoptr (GError) error = NULL;
      TrStore *store = tr_store_open (dbs[i], TR_STORE_CREATE, &error);

      g_assert_null (store);
      g_assert_error (error, TR_ERROR, TR_ERROR_CONFIG);
      g_assert_nonnull (strstr (error->message, "password"));
      g_assert_nonnull (strstr (error->message, ".pgpass"));
      g_assert_null (strstr (error->message, "s3cret")); /* never repeated */
    }
}

static void
test_unreachable (void)
{
  g_autoptr (GError) error = NULL;
  TrStore *store = tr_store_open ("host=/nonexistent/tlsrptdb-test dbname=tlsrpt user=nobody",
                                  TR_STORE_READ_ONLY, &error);

  g_assert_null (store);
  g_assert_error (error, TR_ERROR, TR_ERROR_TEMPORARY);
  g_assert_nonnull (strstr (error->message, "cannot connect to the PostgreSQL server"));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_bad_string (void)
{
  g_autoptr (GError) error = NULL;
  TrStore *store = tr_store_open ("dbname='unterminated", TR_STORE_READ_ONLY, &error);

  g_assert_null (store);
  g_assert_error (error, TR_ERROR, TR_ERROR_CONFIG);
}

static void
test_sqlstate (void)
{
  static const char *const temporary[]
      = { NULL,    "08006", "53100", "53300", "57014", "57P01", "40P01", "40001",
          "55P03", "25006", "28P01", "42501", "42P01", "3D000", "XX001" };
  static const char *const internal[]
      = { "42601", "42703", "22P02", "23505", "22021", "XX000", "", "0" };

  for (guint i = 0; i < G_N_ELEMENTS (temporary); i++)
    g_assert_cmpint (tr_pg_sqlstate_error (temporary[i]), ==, TR_ERROR_TEMPORARY);
  for (guint i = 0; i < G_N_ELEMENTS (internal); i++)
    g_assert_cmpint (tr_pg_sqlstate_error (internal[i]), ==,
                     i >= 6 ? TR_ERROR_TEMPORARY : TR_ERROR_INTERNAL);
}

static void
test_array (void)
{
  g_auto (TrPgParams) p = { 0 };
  TrPgArray a;

  tr_pg_params_init (&p);
  tr_pg_array_init (&a);
  tr_pg_array_text (&a, "plain");
  tr_pg_array_text (&a, NULL);
  tr_pg_array_text (&a, "NULL");
  tr_pg_array_text (&a, "q\"uo\\te,{}");
  tr_pg_array_text (&a, "bad \xff byte");
  tr_pg_array_count (&a, TR_COUNT_ABSENT);
  tr_pg_array_int (&a, -5);
  g_assert_cmpint (tr_pg_add_array (&p, &a), ==, 1);
  g_assert_cmpstr (
      g_ptr_array_index (p.values, 0), ==,
      "{\"plain\",NULL,\"NULL\",\"q\\\"uo\\\\te,{}\",\"bad \xef\xbf\xbd byte\",NULL,-5}");
  tr_pg_add_text (&p, "caf\xe9");
  g_assert_true (g_utf8_validate (g_ptr_array_index (p.values, 1), -1, NULL));
  tr_pg_add_text_len (&p, "a\0b", 3);
  g_assert_cmpstr (g_ptr_array_index (p.values, 2), ==,
                   "a\xef\xbf\xbd"
                   "b");
  g_assert_cmpint (tr_pg_add_count (&p, TR_COUNT_ABSENT), ==, 4);
  g_assert_null (g_ptr_array_index (p.values, 3));
}

static void
test_error_line (void)
{
  g_autofree char *line = tr_pg_error_line (
      "connection to server on socket \"/x/.s.PGSQL.5432\" failed: No such file or directory\n"
      "\tIs the server running locally and accepting connections on that socket?\n");

  g_assert_cmpstr (line, ==,
                   "connection to server on socket \"/x/.s.PGSQL.5432\" failed: No such file or "
                   "directory; Is the server running locally and accepting connections on that "
                   "socket?");
}

static void
test_versions (void)
{
  g_assert_cmpuint (tr_pg_schema_version, >=, TR_PG_FIRST_VERSION);
  /* one number names one data contract on both backends */
  g_assert_cmpuint (tr_pg_schema_version, ==, tr_schema_version);
}

/* --- with a server -------------------------------------------------------------------------- */

typedef struct
{
  TrStore *store;
  PGconn *check; /* our own connection, to look inside */
} Fixture;

static PGresult *
check_sql (Fixture *f, const char *sql)
{
  PGresult *res = PQexec (f->check, sql);

  if (PQresultStatus (res) != PGRES_TUPLES_OK && PQresultStatus (res) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (res));
  return res;
}

static gint64
query_int (Fixture *f, const char *sql)
{
  g_autoptr (PGresult) res = check_sql (f, sql);

  return g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
}

static char *
query_text (Fixture *f, const char *sql)
{
  g_autoptr (PGresult) res = check_sql (f, sql);

  return g_strdup (PQgetvalue (res, 0, 0));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  if (pg_db == NULL)
    {
      g_test_skip ("no server: TLSRPTDB_TEST_PG_DB (tests/pg/unit.sh sets it)");
      return;
    }
  f->check = PQconnectdb (pg_db);
  g_assert_cmpint (PQstatus (f->check), ==, CONNECTION_OK);
  PQclear (check_sql (f, "TRUNCATE reports, rejected RESTART IDENTITY CASCADE;"
                         "UPDATE counters SET value = 0"));
  f->store = tr_store_open (pg_db, TR_STORE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tr_store_backend_name (f->store), ==, "postgresql");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->store, tr_store_close);
  g_clear_pointer (&f->check, PQfinish);
}

static void
add (TrStore *store, TrReport *report, const TrMailInfo *info, TrStoreResult *result)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (tr_store_begin (store, &error));
  g_assert_true (tr_store_add_report (store, report, info, &arrival, result, &error));
  g_assert_true (tr_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
test_dedup (Fixture *f, gconstpointer data)
{
  g_autoptr (TrReport) first = make_report ("google.com", "id-1", 3);
  g_autoptr (TrReport) again = make_report ("google.com", "id-1", 3);
  g_autoptr (TrReport) other = make_report ("microsoft.com", "id-1", 1);
  g_autofree char *day = NULL;
  TrStoreResult result;

  if (f->store == NULL)
    return;
  add (f->store, first, NULL, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_STORED);
  g_assert_cmpint (result.report_row, ==, 1);
  g_assert_cmpuint (result.n_policies, ==, 1);
  g_assert_cmpuint (result.n_failures, ==, 3);
  add (f->store, again, NULL, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_DUPLICATE);
  g_assert_cmpint (result.deliveries, ==, 2);
  add (f->store, other, NULL, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_STORED);
  g_assert_cmpint (result.report_row, ==, 2); /* a repeat takes no id */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM failures"), ==, 4);
  g_assert_cmpint (query_int (f, "SELECT sum(deliveries) FROM reports"), ==, 3);
  /* the summaries, written by the store: one row per report and domain key (lower case) */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM summary_sessions WHERE policy_domain ="
                                 " 'example.com' AND sts_successful = 10"),
                   ==, 2);
  g_assert_cmpint (query_int (f, "SELECT failed FROM summary_policy_failures WHERE policy_ref = 1"
                                 " AND result_type = 'certificate-expired'"
                                 " AND receiving_mx = 'mx1.example.com'"),
                   ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM report_warnings"), ==, 2);
  day = query_text (f, "SELECT report_day || ' ' || received_at::text FROM reports WHERE id = 1");
  g_assert_cmpstr (day, ==, "2026-11-20 2026-11-21 06:00:00+00");
}

static void
test_conflict (Fixture *f, gconstpointer data)
{
  g_autoptr (TrReport) real = make_report ("google.com", "id-1", 3);
  g_autoptr (TrReport) forged = make_report ("google.com", "id-1", 0);
  g_autoptr (GError) error = NULL;
  TrStoreResult result;
  gboolean found = FALSE;

  if (f->store == NULL)
    return;
  add (f->store, forged, NULL, &result);
  add (f->store, real, NULL, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_STORED);
  g_assert_cmpuint (result.same_key, ==, 1);
  add (f->store, real, NULL, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_DUPLICATE);
  g_assert_cmpuint (result.same_key, ==, 1);
  g_assert_true (tr_store_has_report (f->store, real, &found, &error));
  g_assert_true (found);
}

static void
test_authenticate (Fixture *f, gconstpointer data)
{
  g_autoptr (TrReport) copy = make_report ("google.com", "id-1", 1);
  g_autoptr (TrReport) real = make_report ("google.com", "id-1", 1);
  g_autoptr (TrMailInfo) info = tr_mail_info_new ();
  g_autofree char *verdict = NULL;
  TrStoreResult result;

  if (f->store == NULL)
    return;
  copy->dkim_result = g_strdup ("fail");
  copy->dkim_aligned = 0;
  add (f->store, copy, NULL, &result);
  real->dkim_result = g_strdup ("pass");
  real->dkim_domain = g_strdup ("google.com");
  real->dkim_aligned = 1;
  info->subject = g_strdup ("the real one");
  add (f->store, real, info, &result);
  g_assert_true (result.authenticated_now);
  add (f->store, copy, NULL, &result);
  g_assert_false (result.authenticated_now);
  verdict = query_text (f, "SELECT dkim_result || dkim_aligned::text || subject FROM reports");
  g_assert_cmpstr (verdict, ==, "passtruethe real one");
}

static void
test_rollback (Fixture *f, gconstpointer data)
{
  g_autoptr (TrReport) report = make_report ("google.com", "id-1", 5);
  g_autoptr (GError) error = NULL;
  TrStoreResult result;

  if (f->store == NULL)
    return;
  g_assert_true (tr_store_begin (f->store, &error));
  g_assert_true (tr_store_add_report (f->store, report, NULL, &arrival, &result, &error));
  tr_store_rollback (f->store);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM reports"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM summary_sessions"), ==, 0);
}

/* reject - keep @raw in its own transaction, within @budget bytes; the outcome */
static TrRejectedOutcome
reject (TrStore *store, const char *raw, const char *fingerprint, guint64 budget)
{
  g_autoptr (GBytes) bytes = g_bytes_new (raw, strlen (raw));
  g_autoptr (GError) error = NULL;
  TrRejectedMessage message = {
    .raw = bytes,
    .message_size = strlen (raw),
    .reason = "not a report",
    .fingerprint = fingerprint,
  };
  TrRejectedOutcome outcome;

  tr_store_set_rejected_budget (store, budget);
  g_assert_true (tr_store_begin (store, &error));
  g_assert_true (tr_store_add_rejected (store, &message, &arrival, TRUE, &outcome, &error));
  g_assert_true (tr_store_commit (store, &error));
  return outcome;
}

static void
test_rejected (Fixture *f, gconstpointer data)
{
  char fp1[65], fp2[65], fp3[65];
  g_auto (TrRejectedRow) row = { 0 };
  g_autoptr (GError) error = NULL;
  gboolean found = FALSE;

  if (f->store == NULL)
    return;
  memset (fp1, '1', 64), memset (fp2, '2', 64), memset (fp3, '3', 64);
  fp1[64] = fp2[64] = fp3[64] = '\0';
  g_assert_cmpint (reject (f->store, "0123456789", fp1, 25), ==, TR_REJECTED_KEPT);
  g_assert_cmpint (reject (f->store, "0123456789", fp1, 25), ==, TR_REJECTED_REPEAT);
  g_assert_cmpint (reject (f->store, "abcdefghij", fp2, 25), ==, TR_REJECTED_KEPT);
  g_assert_cmpint (reject (f->store, "ABCDEFGHIJ", fp3, 25), ==, TR_REJECTED_KEPT_WITHOUT_BYTES);
  g_assert_cmpint (query_int (f, "SELECT value FROM counters WHERE name = 'rejected_bytes'"), ==,
                   20);
  /* a later delivery keeps the bytes once there is room */
  g_assert_cmpint (reject (f->store, "ABCDEFGHIJ", fp3, 30), ==, TR_REJECTED_REPEAT);
  g_assert_cmpint (query_int (f, "SELECT value FROM counters WHERE name = 'rejected_bytes'"), ==,
                   30);
  g_assert_cmpint (reject (f->store, "no fingerprint", NULL, 1000), ==, TR_REJECTED_KEPT);
  g_assert_cmpint (reject (f->store, "no fingerprint", NULL, 1000), ==, TR_REJECTED_KEPT);
  g_assert_true (tr_store_next_rejected (f->store, 1, &row, &found, &error));
  g_assert_true (found);
  g_assert_cmpint (row.id, ==, 2);
  g_assert_cmpstr (row.fingerprint, ==, fp2);
  g_assert_cmpstr (row.received_at, ==, "2026-11-21T06:00:00Z");
  g_assert_cmpmem (g_bytes_get_data (row.raw, NULL), g_bytes_get_size (row.raw), "abcdefghij", 10);
}

/* A report longer than any B-tree entry may be: stored, and its repeat found. */
static void
test_long_key (Fixture *f, gconstpointer data)
{
  g_autoptr (GString) id = g_string_new (NULL);
  g_autoptr (TrReport) report = NULL;
  TrStoreResult result;

  if (f->store == NULL)
    return;
  for (guint i = 0; id->len < 16384; i++)
    g_string_append_printf (id, "%08x", g_random_int ());
  report = make_report ("long.example", id->str, 1);
  g_free (((TrPolicy *) g_ptr_array_index (report->policies, 0))->policy_domain);
  ((TrPolicy *) g_ptr_array_index (report->policies, 0))->policy_domain = g_strdup (id->str);
  add (f->store, report, NULL, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_STORED);
  add (f->store, report, NULL, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_DUPLICATE);
}

static gboolean
collect (TrStoredReport *stored, gpointer data, GError **error)
{
  g_ptr_array_add (data, stored);
  return TRUE;
}

/* copy_one - tr_store_copy_report in a transaction of its own; whether it was added */
static gboolean
copy_one (TrStore *store, const TrStoredReport *stored)
{
  g_autoptr (GError) error = NULL;
  gboolean added = FALSE;

  g_assert_true (tr_store_begin (store, &error));
  g_assert_true (tr_store_copy_report (store, stored, &added, &error));
  g_assert_true (tr_store_commit (store, &error));
  return added;
}

/* A row of a key stored before content was compared (copied from an SQLite database of schema
 * 4): any report of its key is a repeat of it, as on SQLite, and copying it twice keeps one. */
static void
test_legacy_row (Fixture *f, gconstpointer data)
{
  g_autoptr (TrReport) report = make_report ("old.example", "id-1", 1);
  g_autoptr (GPtrArray) got
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tr_stored_report_free);
  g_autoptr (GError) error = NULL;
  TrStoredReport *stored;
  TrStoreResult result;

  if (f->store == NULL)
    return;
  add (f->store, report, NULL, &result);
  g_assert_true (tr_store_find_reports (f->store, "id-1", collect, got, &error));
  g_assert_cmpuint (got->len, ==, 1);
  PQclear (check_sql (f, "TRUNCATE reports CASCADE"));
  stored = g_ptr_array_index (got, 0);
  g_clear_pointer (&stored->report->fingerprint, g_free);
  stored->deliveries = 4;
  g_assert_true (copy_one (f->store, stored));
  g_assert_false (copy_one (f->store, stored));
  /* other content under its key: a repeat of it */
  g_free (report->organization_name);
  report->organization_name = g_strdup ("Other Org");
  g_free (report->fingerprint);
  report->fingerprint = tr_validate_fingerprint (report);
  add (f->store, report, NULL, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_DUPLICATE);
  g_assert_cmpint (result.deliveries, ==, 5);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM reports"), ==, 1);
}

/* each_stored gives what find_reports gives, in row order; copy_report writes it again whole */
static void
test_copy (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) found
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tr_stored_report_free);
  g_autoptr (GPtrArray) streamed
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tr_stored_report_free);
  g_autoptr (GError) error = NULL;
  TrStoreResult result;

  if (f->store == NULL)
    return;
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("id-%u", i);
      g_autoptr (TrReport) report = make_report ("copy.example", id, i * 3);

      add (f->store, report, NULL, &result);
      g_assert_true (tr_store_find_reports (f->store, id, collect, found, &error));
    }
  g_assert_true (tr_store_each_stored (f->store, 1, collect, streamed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (streamed->len, ==, 4);
  for (guint i = 0; i < streamed->len; i++)
    {
      TrStoredReport *a = g_ptr_array_index (found, i + 1), *b = g_ptr_array_index (streamed, i);
      TrPolicy *pa = g_ptr_array_index (a->report->policies, 0);
      TrPolicy *pb = g_ptr_array_index (b->report->policies, 0);

      g_assert_cmpint (a->row, ==, b->row);
      g_assert_cmpstr (a->report->fingerprint, ==, b->report->fingerprint);
      g_assert_cmpstr (a->received_at, ==, b->received_at);
      g_assert_cmpuint (pa->failures->len, ==, pb->failures->len);
      g_assert_cmpuint (a->report->warnings->len, ==, b->report->warnings->len);
      g_assert_null (b->conflicts);
    }
  /* into the same database: all there already */
  for (guint i = 0; i < streamed->len; i++)
    g_assert_false (copy_one (f->store, g_ptr_array_index (streamed, i)));
  PQclear (check_sql (f, "TRUNCATE reports RESTART IDENTITY CASCADE"));
  for (guint i = 0; i < streamed->len; i++)
    g_assert_true (copy_one (f->store, g_ptr_array_index (streamed, i)));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM failures"), ==, 3 + 6 + 9 + 12);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM summary_sessions"), ==, 4);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM report_warnings"), ==, 4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  pg_db = g_getenv ("TLSRPTDB_TEST_PG_DB");
  g_test_add_func ("/store-pg/password-refused", test_password);
  g_test_add_func ("/store-pg/unreachable", test_unreachable);
  g_test_add_func ("/store-pg/bad-string", test_bad_string);
  g_test_add_func ("/store-pg/sqlstate", test_sqlstate);
  g_test_add_func ("/store-pg/array", test_array);
  g_test_add_func ("/store-pg/error-line", test_error_line);
  g_test_add_func ("/store-pg/versions", test_versions);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store-pg/dedup", test_dedup);
  ADD ("/store-pg/conflict", test_conflict);
  ADD ("/store-pg/authenticate", test_authenticate);
  ADD ("/store-pg/rollback", test_rollback);
  ADD ("/store-pg/rejected", test_rejected);
  ADD ("/store-pg/long-key", test_long_key);
  ADD ("/store-pg/legacy-row", test_legacy_row);
  ADD ("/store-pg/copy", test_copy);
  return g_test_run ();
}
