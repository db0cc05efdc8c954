/* test-store.c - store.c: schema, dedup, transactions, refusals */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "schema-sqlite.h"
#include "store-sqlite.h" /* the backend's own connection, to look inside */
#include "validate.h"

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
  report->report_day = g_strdup ("2026-11-20");
  report->fingerprint = tr_validate_fingerprint (report);
  return report;
}

/* refingerprint - @report after a change of its content */
static TrReport *
refingerprint (TrReport *report)
{
  g_free (report->fingerprint);
  report->fingerprint = tr_validate_fingerprint (report);
  return report;
}

/* when the reports and messages of these tests arrived */
static const TrArrival arrival = { .received_at = "2026-11-21T06:00:00Z", .via = "mail" };

static gint64
query_int (TrStore *store, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (SQLITE_STORE (store)->db, sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
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

  g_assert_cmpint (sqlite3_prepare_v2 (SQLITE_STORE (store)->db, sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
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
  g_assert_true (tr_store_add_report (store, report, NULL, &arrival, result, &error));
  g_assert_true (tr_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
test_create (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_CREATE, &error);

  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "PRAGMA user_version"), ==, tr_schema_version);
  g_assert_cmpint (query_int (store, "PRAGMA application_id"), ==, TR_SCHEMA_APPLICATION_ID);
  /* NORMAL: tr_store_commit syncs the WAL itself, which is all FULL adds in WAL mode */
  g_assert_cmpint (query_int (store, "PRAGMA synchronous"), ==, 1);
  g_assert_cmpstr (query_text (store, "PRAGMA journal_mode"), ==, "wal");
  g_assert_cmpint (query_int (store, "PRAGMA foreign_keys"), ==, 1);
  g_clear_pointer (&store, tr_store_close);

  /* opening again migrates nothing and keeps working */
  store = tr_store_open (f->path, TR_STORE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
}

static void
test_dedup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_CREATE, &error);
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
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_CREATE, &error);
  g_autoptr (TrReport) report = make_report ("google.com", "id-1", 5);
  TrStoreResult result;

  g_assert_true (tr_store_begin (store, &error));
  g_assert_true (tr_store_add_report (store, report, NULL, &arrival, &result, &error));
  tr_store_rollback (store);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM reports"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM failures"), ==, 0);
}

/* reject_via - keep @raw in `rejected`, as it came by @how, in its own transaction; the outcome */
static TrRejectedOutcome
reject_via (TrStore *store, GBytes *raw, guint64 size, const char *fingerprint, gboolean count,
            const TrArrival *how)
{
  g_autoptr (GError) error = NULL;
  TrRejectedMessage message = {
    .raw = raw,
    .message_size = size,
    .reason = "message too large",
    .fingerprint = fingerprint,
  };
  TrRejectedOutcome outcome = TR_REJECTED_KNOWN;

  g_assert_true (tr_store_begin (store, &error));
  g_assert_true (tr_store_add_rejected (store, &message, how, count, &outcome, &error));
  g_assert_true (tr_store_commit (store, &error));
  g_assert_no_error (error);
  return outcome;
}

/* reject - keep @raw in `rejected` as mail */
static TrRejectedOutcome
reject (TrStore *store, GBytes *raw, guint64 size, const char *fingerprint, gboolean count)
{
  return reject_via (store, raw, size, fingerprint, count, &arrival);
}

static void
test_rejected (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_CREATE, &error);
  g_autoptr (GBytes) raw = g_bytes_new_static ("abc\0def", 7);

  g_assert_cmpint (reject (store, raw, 7000, "f1", TRUE), ==, TR_REJECTED_KEPT);
  g_assert_cmpint (query_int (store, "SELECT length(raw_message) FROM rejected"), ==, 7);
  g_assert_cmpint (query_int (store, "SELECT truncated FROM rejected"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT message_size FROM rejected"), ==, 7000);
  /* the same message again: counted, not kept twice; for import, not even counted */
  g_assert_cmpint (reject (store, raw, 7000, "f1", TRUE), ==, TR_REJECTED_REPEAT);
  g_assert_cmpint (reject (store, raw, 7000, "f1", FALSE), ==, TR_REJECTED_KNOWN);
  g_assert_cmpint (query_int (store, "SELECT count(*) || deliveries FROM rejected"), ==, 12);
  g_assert_cmpint (query_int (store, "SELECT value FROM counters WHERE name = 'rejected_bytes'"),
                   ==, 7);
}

/* the rejected budget: beyond it a message's facts are kept, not its bytes; room made later
 * lets a repeat keep them */
static void
test_rejected_budget (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_CREATE, &error);
  g_autoptr (GBytes) raw = g_bytes_new_static ("0123456789", 10);

  tr_store_set_rejected_budget (store, 25);
  g_assert_cmpint (reject (store, raw, 10, "a", TRUE), ==, TR_REJECTED_KEPT);
  g_assert_cmpint (reject (store, raw, 10, "b", TRUE), ==, TR_REJECTED_KEPT);
  g_assert_cmpint (reject (store, raw, 10, "c", TRUE), ==, TR_REJECTED_KEPT_WITHOUT_BYTES);
  g_assert_cmpint (query_int (store, "SELECT value FROM counters WHERE name = 'rejected_bytes'"),
                   ==, 20);
  g_assert_cmpint (
      query_int (store, "SELECT length(raw_message) + raw_dropped FROM rejected WHERE id = 3"), ==,
      1);
  g_assert_cmpint (sqlite3_exec (SQLITE_STORE (store)->db, "DELETE FROM rejected WHERE id = 1",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (query_int (store, "SELECT value FROM counters WHERE name = 'rejected_bytes'"),
                   ==, 10);
  g_assert_cmpint (reject (store, raw, 10, "c", TRUE), ==, TR_REJECTED_REPEAT);
  g_assert_cmpint (
      query_int (store, "SELECT length(raw_message) * 10 + raw_dropped FROM rejected WHERE id = 3"),
      ==, 100);
  g_assert_cmpint (query_int (store, "SELECT value FROM counters WHERE name = 'rejected_bytes'"),
                   ==, 20);
}

/* requests over HTTPS keep their facts, and are kept only up to their cap; repeats are still
 * counted, and mail is always kept */
static void
test_rejected_requests (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_CREATE, &error);
  g_autoptr (GBytes) raw = g_bytes_new_static ("junk", 4);
  const TrArrival https = { .received_at = "2026-11-21T06:00:00Z",
                            .via = "https",
                            .client_address = "192.0.2.7",
                            .media_type = "application/tlsrpt+gzip",
                            .content_encoding = "gzip",
                            .user_agent = "Sender/1.0" };

  tr_store_set_rejected_requests (store, 2);
  g_assert_cmpint (reject_via (store, raw, 4, "h1", TRUE, &https), ==, TR_REJECTED_KEPT);
  g_assert_cmpstr (query_text (store, "SELECT received_via || ' ' || client_address || ' '"
                                      " || media_type || ' ' || content_encoding || ' ' ||"
                                      " user_agent FROM rejected"),
                   ==, "https 192.0.2.7 application/tlsrpt+gzip gzip Sender/1.0");
  g_assert_cmpint (reject_via (store, raw, 4, "h2", TRUE, &https), ==, TR_REJECTED_KEPT);
  g_assert_cmpint (reject_via (store, raw, 4, "h3", TRUE, &https), ==, TR_REJECTED_NOT_KEPT);
  g_assert_cmpint (reject_via (store, raw, 4, "h1", TRUE, &https), ==, TR_REJECTED_REPEAT);
  g_assert_cmpint (reject (store, raw, 4, "m1", TRUE), ==, TR_REJECTED_KEPT);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM rejected"), ==, 3);
  g_assert_cmpint (query_int (store, "SELECT value FROM counters WHERE name = 'rejected_requests'"),
                   ==, 2);
  /* prune or reprocess makes room */
  g_assert_cmpint (sqlite3_exec (SQLITE_STORE (store)->db, "DELETE FROM rejected WHERE id = 1",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (reject_via (store, raw, 4, "h3", TRUE, &https), ==, TR_REJECTED_KEPT);
  g_assert_cmpint (query_int (store, "SELECT value FROM counters WHERE name = 'rejected_requests'"),
                   ==, 2);
}

/* keep_rejected - keep a message with these facts, received at @received_at */
static void
keep_rejected (TrStore *store, const char *raw, const char *reason, const char *from,
               const char *received_at)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = g_bytes_new (raw, strlen (raw));
  g_autoptr (TrMailInfo) info = tr_mail_info_new ();
  TrRejectedMessage message = {
    .raw = bytes,
    .message_size = strlen (raw),
    .reason = reason,
    .info = info,
    .fingerprint = raw,
  };
  TrArrival when = { .received_at = received_at, .via = "mail" };
  TrRejectedOutcome outcome;

  info->from = g_strdup (from);
  info->subject = g_strdup ("subject");
  g_assert_true (tr_store_begin (store, &error));
  g_assert_true (tr_store_add_rejected (store, &message, &when, TRUE, &outcome, &error));
  g_assert_true (tr_store_commit (store, &error));
  g_assert_no_error (error);
}

static gboolean
collect_id (const TrRejectedRow *row, gpointer data, GError **error)
{
  g_array_append_val ((GArray *) data, row->id);
  return TRUE;
}

/* listed - the ids that @filter selects, as "3 2 1" */
static char *
listed (TrStore *store, const TrRejectedFilter *filter)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GString *s = g_string_new (NULL);

  g_assert_true (tr_store_each_rejected (store, filter, collect_id, ids, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? " " : "", g_array_index (ids, gint64, i));
  return g_string_free (s, FALSE);
}

/* the reads of `rejected`: filters, newest first, one row whole; deleting keeps the count of
 * bytes right */
static void
test_rejected_reads (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_CREATE, &error);
  TrRejectedFilter filter = TR_REJECTED_FILTER_INIT;
  TrRejectedRow row = { 0 };
  gboolean found = FALSE;
  gint64 count, bytes;
  char *ids;

  keep_rejected (store, "one", "not a report: no report part found", "A <a@x.example>",
                 "2026-11-20T10:00:00Z");
  keep_rejected (store, "second", "unusable report in part 2: corrupt gzip", "B <b@y.example>",
                 "2026-11-21T23:59:59Z");
  keep_rejected (store, "third!", "not a report: empty message", NULL, "2026-11-22T00:00:00Z");
  g_assert_cmpstr ((ids = listed (store, &filter)), ==, "3 2 1");
  g_free (ids);
  filter.since_day = g_strdup ("2026-11-21");
  filter.until_day = g_strdup ("2026-11-21");
  g_assert_cmpstr ((ids = listed (store, &filter)), ==, "2");
  g_free (ids);
  tr_rejected_filter_clear (&filter);
  filter.reason = g_strdup ("not a report");
  g_assert_cmpstr ((ids = listed (store, &filter)), ==, "3 1");
  g_free (ids);
  filter.limit = 1;
  g_assert_cmpstr ((ids = listed (store, &filter)), ==, "3");
  g_free (ids);
  filter.below_id = 3;
  g_assert_cmpstr ((ids = listed (store, &filter)), ==, "1");
  g_free (ids);
  tr_rejected_filter_clear (&filter);
  filter.from = g_strdup ("y.example");
  g_assert_cmpstr ((ids = listed (store, &filter)), ==, "2");
  g_free (ids);
  g_assert_true (tr_store_count_rejected (store, &filter, &count, &bytes, &error));
  g_assert_cmpint (count * 100 + bytes, ==, 106);
  tr_rejected_filter_clear (&filter);

  g_assert_true (tr_store_find_rejected (store, 2, TRUE, &row, &found, &error));
  g_assert_true (found);
  g_assert_cmpstr (row.mail_from, ==, "B <b@y.example>");
  g_assert_cmpstr (row.received_at, ==, "2026-11-21T23:59:59Z");
  g_assert_cmpint (row.kept_size, ==, 6);
  g_assert_cmpmem (g_bytes_get_data (row.raw, NULL), g_bytes_get_size (row.raw), "second", 6);
  g_assert_true (tr_store_find_rejected (store, 2, FALSE, &row, &found, &error));
  g_assert_true (found && row.raw == NULL && row.kept_size == 6);
  g_assert_true (tr_store_find_rejected (store, 9, TRUE, &row, &found, &error));
  g_assert_false (found);
  tr_rejected_row_clear (&row);

  /* the triggers keep counters.rejected_bytes equal to what the rows hold */
  g_assert_cmpint (query_int (store, "SELECT value FROM counters WHERE name = 'rejected_bytes'"),
                   ==, 3 + 6 + 6);
  g_assert_true (tr_store_begin (store, &error));
  g_assert_true (tr_store_delete_rejected (store, 2, &error));
  g_assert_true (tr_store_commit (store, &error));
  g_assert_cmpint (query_int (store, "SELECT value FROM counters WHERE name = 'rejected_bytes'"),
                   ==, 3 + 6);
  g_assert_cmpint (query_int (store,
                              "SELECT value = (SELECT sum(length(raw_message)) FROM rejected) FROM "
                              "counters"),
                   ==, 1);
  g_assert_true (tr_store_count_rejected (store, &filter, &count, &bytes, &error));
  g_assert_cmpint (count * 100 + bytes, ==, 209);
  g_assert_no_error (error);
}

/* the same reporter and report-id with other content is another report, kept beside the
 * first; each is then a repeat of itself */
static void
test_conflict (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_CREATE, &error);
  g_autoptr (TrReport) forged = make_report ("google.com", "2026-11-20_example.com", 0);
  g_autoptr (TrReport) real = make_report ("google.com", "2026-11-20_example.com", 3);
  TrStoreResult result;
  gboolean found = FALSE;

  add (store, forged, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_STORED);
  g_assert_cmpuint (result.same_key, ==, 0);
  add (store, real, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_STORED);
  g_assert_cmpuint (result.same_key, ==, 1);
  g_assert_cmpuint (result.n_failures, ==, 3);
  add (store, real, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_DUPLICATE);
  g_assert_cmpuint (result.same_key, ==, 1);
  g_assert_cmpint (query_int (store, "SELECT group_concat(deliveries, '') FROM reports"), ==, 12);
  g_assert_true (tr_store_has_report (store, real, &found, &error));
  g_assert_true (found);
  /* a count changed is other content */
  ((TrPolicy *) g_ptr_array_index (real->policies, 0))->total_successful_session_count = 11;
  g_assert_true (tr_store_has_report (store, refingerprint (real), &found, &error));
  g_assert_false (found);
}

/* an authenticated delivery of a report stored unauthenticated records its verdict */
static void
test_authenticate (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_CREATE, &error);
  g_autoptr (TrReport) forged = make_report ("google.com", "id", 1);
  g_autoptr (TrReport) real = make_report ("google.com", "id", 1);
  TrStoreResult result;

  forged->dkim_result = g_strdup ("none");
  real->dkim_result = g_strdup ("pass");
  real->dkim_domain = g_strdup ("google.com");
  real->dkim_aligned = 1;
  add (store, forged, &result);
  add (store, real, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_DUPLICATE);
  g_assert_true (result.authenticated_now);
  g_assert_cmpstr (query_text (store, "SELECT dkim_result || dkim_aligned FROM reports"), ==,
                   "pass1");
  /* and an unauthenticated one after it changes nothing */
  add (store, forged, &result);
  g_assert_false (result.authenticated_now);
  g_assert_cmpstr (query_text (store, "SELECT dkim_result || deliveries FROM reports"), ==,
                   "pass3");
}

/* what cannot be a database file is refused, and nothing is created */
static void
test_paths (Fixture *f, gconstpointer data)
{
  g_autofree char *dangling = g_build_filename (f->dir, "dangling.db", NULL);
  g_autofree char *target = g_build_filename (f->dir, "nowhere", "x.db", NULL);
  const char *paths[]
      = { "/dev/null", "/dev/full", "/", "postgresql://db/x", "file:x.db", "", dangling };

  g_assert_cmpint (symlink (target, dangling), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    for (int mode = TR_STORE_READ_ONLY; mode <= TR_STORE_CREATE; mode++)
      {
        g_autoptr (GError) error = NULL;
        g_autoptr (TrStore) store = tr_store_open (paths[i], (TrStoreMode) mode, &error);

        g_assert_null (store);
        g_assert_error (error, TR_ERROR, TR_ERROR_CONFIG);
      }
  g_assert_false (g_file_test ("/dev/null-journal", G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test ("/dev/null-wal", G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test ("postgresql:", G_FILE_TEST_EXISTS));
}

static void
test_newer_schema (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_CREATE, &error);

  g_assert_cmpint (
      sqlite3_exec (SQLITE_STORE (store)->db, "PRAGMA user_version = 1000", NULL, NULL, NULL), ==,
      SQLITE_OK);
  g_clear_pointer (&store, tr_store_close);
  store = tr_store_open (f->path, TR_STORE_CREATE, &error);
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
  store = tr_store_open (f->path, TR_STORE_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, TR_ERROR, TR_ERROR_TEMPORARY);
}

/* old_database - a database at schema @version (the first steps of this program), with @sql run
 * in it, as an older tlsrptdb left it */
static void
old_database (Fixture *f, guint version, const char *sql)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *set_version
      = g_strdup_printf ("PRAGMA user_version = %u; PRAGMA application_id = 1414680660;", version);
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  for (guint i = 0; i < version; i++)
    g_assert_cmpint (sqlite3_exec (db, tr_schema_migrations[i], NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, set_version, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* a database made by an older tlsrptdb is migrated step by step, its rows kept */
static void
test_migrate_v1 (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = NULL;

  old_database (f, 1,
                "INSERT INTO reports (reporter_key, report_id, raw_json, received_at,"
                " last_received_at) VALUES ('a', 'b', '{}', 'x', 'x')");
  store = tr_store_open (f->path, TR_STORE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "PRAGMA user_version"), ==, tr_schema_version);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM reports WHERE dkim_result IS NULL"), ==,
                   1);
}

/* schema step 5 builds the reports table again: ids, policies, failure details and summaries
 * stay; a row stored before (no fingerprint) is a repeat of any report of its key */
static void
test_migrate_v4 (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = NULL;
  g_autoptr (TrReport) again = make_report ("a", "b", 1);
  TrStoreResult result;

  old_database (
      f, 4,
      "INSERT INTO reports (id, reporter_key, report_id, raw_json, report_day,"
      " received_at, last_received_at) VALUES (7, 'a', 'b', '{}', '2026-11-20', 'x', 'x');"
      "INSERT INTO policies (report_ref, policy_index, policy_type, policy_domain,"
      " total_successful_session_count) VALUES (7, 0, 'sts', 'example.com', 5);"
      "INSERT INTO failures (policy_ref, result_type) VALUES (1, 'x');"
      "INSERT INTO rejected (received_at, reason, raw_message, message_size)"
      " VALUES ('x', 'y', X'0102', 2)");
  store = tr_store_open (f->path, TR_STORE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "PRAGMA user_version"), ==, tr_schema_version);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM reports WHERE id = 7"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM policies"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM failures"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT successful FROM report_sessions"), ==, 5);
  g_assert_cmpint (query_int (store, "SELECT value FROM counters WHERE name = 'rejected_bytes'"),
                   ==, 2);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  add (store, again, &result);
  g_assert_cmpint (result.outcome, ==, TR_STORE_DUPLICATE);
  g_assert_cmpint (result.report_row, ==, 7);
  /* the summaries follow a report that is deleted, as before */
  g_assert_cmpint (sqlite3_exec (SQLITE_STORE (store)->db, "DELETE FROM reports", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM summary_sessions"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM failures"), ==, 0);
}

/* on_source - each failure detail as "report|day|domain|reporter|type|mx|ip|failed" */
static gboolean
on_source (const TrSourceRow *row, gpointer data, GError **error)
{
  g_ptr_array_add (data,
                   g_strdup_printf ("%" G_GINT64_FORMAT "|%s|%s|%s|%s|%s|%s|%" G_GINT64_FORMAT,
                                    row->report_row, row->day, row->domain, row->reporter,
                                    row->result_type, row->mx, row->sending_ip, row->failed));
  return TRUE;
}

/* each_source reads the details one by one, report by report, normalised as the summed details
 * are: a missing result type "(none)", the MX in lower case or "", the IP "", the count 0 */
static void
test_each_source (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = tr_store_open (f->path, TR_STORE_CREATE, &error);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (TrReport) first = make_report ("a.example", "r1", 2);
  g_autoptr (TrReport) second = make_report ("b.example", "r2", 1);
  TrPolicy *policy = g_ptr_array_index (first->policies, 0);
  TrFailure *bare = g_ptr_array_index (policy->failures, 1);
  TrPolicy *quiet = tr_policy_new ();
  TrQueryFilter filter = TR_QUERY_FILTER_INIT;
  TrStoreResult result;

  ((TrFailure *) g_ptr_array_index (policy->failures, 0))->receiving_mx_hostname
      = g_strdup ("MX1.Example.ORG");
  ((TrFailure *) g_ptr_array_index (policy->failures, 0))->sending_mta_ip = g_strdup ("192.0.2.1");
  g_clear_pointer (&bare->result_type, g_free);
  bare->failed_session_count = TR_COUNT_ABSENT;
  quiet->policy_type = g_strdup ("tlsa");
  quiet->policy_domain = g_strdup ("example.net"); /* a policy without details: no row */
  quiet->total_successful_session_count = 5;
  g_ptr_array_add (first->policies, quiet);
  add (store, refingerprint (first), &result);
  add (store, second, &result);
  g_assert_true (tr_store_each_source (store, &filter, on_source, rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (rows->pdata[0], ==,
                   "1|2026-11-20|example.com|a.example|certificate-expired|mx1.example.org|"
                   "192.0.2.1|1");
  g_assert_cmpstr (rows->pdata[1], ==, "1|2026-11-20|example.com|a.example|(none)|||0");
  g_assert_cmpstr (rows->pdata[2], ==,
                   "2|2026-11-20|example.com|b.example|certificate-expired|||1");

  /* the filter's days and domains apply */
  g_ptr_array_set_size (rows, 0);
  filter.since_day = "2026-11-21";
  g_assert_true (tr_store_each_source (store, &filter, on_source, rows, &error));
  g_assert_cmpuint (rows->len, ==, 0);
}

/* a step that has shipped is never edited: the SHA-256 of each step's text, as released
 * (append the hash of a new step when it ships; never change one) */
static void
test_migrations_frozen (Fixture *f, gconstpointer data)
{
  static const char *const shipped[] = {
    "5ab3639d7554f175d1ce5424c44c959bfe52ad8fceb62d8fd0432c7e732605e2",
    "5a4bbfa0f2ee33e4ca2ea4fbd8fc0edcf712edda4f377731b8dff54a456bad32",
    "b30b0a10ef446313eb9365d2b3432d93b8cef3d46d76f9e46bd440d4a69d4bfe",
    "71891e44bccf8dd10e7118d74bb4abc16dc442dde54c2c17a5c6d4c06b10a863",
    "49c337ccdcd3facbb2ea4768123cc1134ca54d0ebb936ac828931dcfa074bed2",
    "f592bd03b3140808ac6e7f17d3bd14374702ac0291b717e687ce2dcc8d071dd4",
    "cbb53d653136c894fc9a51fd49f5ad0303435e5af71694632a798c6cbaa690d0",
  };

  g_assert_cmpuint (tr_schema_version, >=, G_N_ELEMENTS (shipped));
  for (guint i = 0; i < G_N_ELEMENTS (shipped); i++)
    {
      g_autofree char *sum
          = g_compute_checksum_for_string (G_CHECKSUM_SHA256, tr_schema_migrations[i], -1);

      g_assert_cmpstr (sum, ==, shipped[i]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/store/create", test_create);
  ADD ("/store/dedup", test_dedup);
  ADD ("/store/rollback", test_rollback);
  ADD ("/store/each-source", test_each_source);
  ADD ("/store/rejected", test_rejected);
  ADD ("/store/rejected-budget", test_rejected_budget);
  ADD ("/store/rejected-requests", test_rejected_requests);
  ADD ("/store/rejected-reads", test_rejected_reads);
  ADD ("/store/conflict", test_conflict);
  ADD ("/store/authenticate", test_authenticate);
  ADD ("/store/paths", test_paths);
  ADD ("/store/newer-schema", test_newer_schema);
  ADD ("/store/missing-read-only", test_missing_read_only);
  ADD ("/store/foreign", test_foreign);
  ADD ("/store/migrate-v1", test_migrate_v1);
  ADD ("/store/migrate-v4", test_migrate_v4);
  ADD ("/store/migrations-frozen", test_migrations_frozen);
  return g_test_run ();
}
