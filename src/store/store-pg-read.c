/* store-pg-read.c - the PostgreSQL backend: the reads of query, show and the alerts
 *
 * SQL is put together from the fixed fragments below only; every value is a parameter, lists
 * as arrays (= ANY ($n::text[])).  The rows go back as SQLite's backend gives them, by class,
 * with instants as the contract's text; nothing here counts (counting.c does, above the
 * interface).  Large results are read through a cursor, a batch at a time.  Every plan is a
 * nested loop from the rows the filters select, by construction (LATERAL ... OFFSET 0): a new
 * database has no statistics, and no answer may depend on them.
 */
#include "config.h"

#include <string.h>

#include "counting.h"
#include "error.h"
#include "store-pg.h"

/* A statement being built, with its parameters. */
typedef struct
{
  GString *sql;
  TrPgParams params;
} Query;

static void
query_init (Query *q, const char *sql)
{
  q->sql = g_string_new (sql);
  tr_pg_params_init (&q->params);
}

static void
query_clear (Query *q)
{
  if (q->sql != NULL)
    g_string_free (q->sql, TRUE);
  tr_pg_params_clear (&q->params);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Query, query_clear)

/* add_list - " AND @expr = ANY ($n::@type[])" with @values as the array */
static void
add_list (Query *q, const char *expr, char *const *values)
{
  TrPgArray a;

  tr_pg_array_init (&a);
  for (guint i = 0; values[i] != NULL; i++)
    tr_pg_array_text (&a, values[i]);
  g_string_append_printf (q->sql, " AND %s = ANY ($%d::text[])", expr,
                          tr_pg_add_array (&q->params, &a));
}

/* add_report_filters - the fragments that restrict the reports, by a column @ref holding their
 * row id and columns @day and @reporter of their day and reporter key */
static void
add_report_filters (Query *q, const TrQueryFilter *filter, const char *ref, const char *day,
                    const char *reporter)
{
  if (filter->since_day != NULL)
    g_string_append_printf (q->sql, " AND %s >= $%d::date", day,
                            tr_pg_add_text (&q->params, filter->since_day));
  if (filter->until_day != NULL)
    g_string_append_printf (q->sql, " AND %s <= $%d::date", day,
                            tr_pg_add_text (&q->params, filter->until_day));
  if (filter->reporters != NULL)
    add_list (q, reporter, filter->reporters);
  if (filter->rows != NULL)
    {
      TrPgArray a;

      tr_pg_array_init (&a);
      for (guint i = 0; i < filter->n_rows; i++)
        tr_pg_array_int (&a, filter->rows[i]);
      g_string_append_printf (q->sql, " AND %s = ANY ($%d::bigint[])", ref,
                              tr_pg_add_array (&q->params, &a));
    }
  if (filter->authenticated)
    g_string_append_printf (q->sql,
                            " AND EXISTS (SELECT 1 FROM reports a WHERE a.id = %s AND "
                            "" AUTHENTICATED ("a") ")",
                            ref);
  if (filter->warnings != NULL)
    {
      g_string_append_printf (q->sql,
                              " AND EXISTS (SELECT 1 FROM report_warnings w WHERE"
                              " w.report_ref = %s",
                              ref);
      add_list (q, "w.code", filter->warnings);
      g_string_append (q->sql, ")");
    }
}

/* add_session_filters - the fragments that restrict summary_sessions s */
static void
add_session_filters (Query *q, const TrQueryFilter *filter)
{
  if (filter->domains != NULL)
    add_list (q, "s.policy_domain", filter->domains);
  add_report_filters (q, filter, "s.report_ref", "s.report_day", "s.reporter_key");
}

/* add_detail_filters - the fragments that restrict summary_policy_failures f */
static void
add_detail_filters (Query *q, const TrQueryFilter *filter)
{
  if (filter->result_types != NULL)
    add_list (q, "lower(f.result_type)", filter->result_types);
  if (filter->mxs != NULL)
    add_list (q, "f.receiving_mx", filter->mxs);
}

/* add_limit - LIMIT with filter->limit, unless it is -1 */
static void
add_limit (Query *q, const TrQueryFilter *filter)
{
  if (filter->limit >= 0)
    g_string_append_printf (q->sql, " LIMIT $%d::bigint",
                            tr_pg_add_int (&q->params, filter->limit));
}

/* A row callback of each_row. */
typedef gboolean (*RowFunc) (const PGresult *res, int row, gpointer data, GError **error);

/* each_row - @q's rows through a cursor, in one snapshot; @func returns FALSE to stop (with
 * @error, or without one to stop early) */
static gboolean
each_row (TrPgStore *s, Query *q, RowFunc func, gpointer data, GError **error)
{
  TrPgCursor c;
  gboolean own, ok;
  const PGresult *res;
  int row;

  if (!tr_pg_read_begin (s, &own, error))
    return FALSE;
  ok = tr_pg_cursor_open (s, &c, q->sql->str, &q->params, error);
  while (ok && tr_pg_cursor_next (&c, &res, &row, error))
    if (!func (res, row, data, error))
      ok = error == NULL || *error == NULL;
  ok = ok && (error == NULL || *error == NULL);
  tr_pg_cursor_close (&c);
  tr_pg_read_end (s, own);
  return ok;
}

/* A read's callback and its data, for the row functions below. */
typedef struct
{
  gpointer func;
  gpointer data;
} Reader;

/* class_counts - columns @first..@first+5 (sts, tlsa, other; successful then failed) */
static void
class_counts (const PGresult *res, int row, int first, TrClassCounts *successful,
              TrClassCounts *failed)
{
  static const TrPolicyClass order[] = { TR_CLASS_STS, TR_CLASS_TLSA, TR_CLASS_OTHER };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      successful->by_class[order[i]] = tr_pg_int (res, row, first + 2 * (int) i);
      failed->by_class[order[i]] = tr_pg_int (res, row, first + 2 * (int) i + 1);
    }
}

static gboolean
session_row (const PGresult *res, int row, gpointer data, GError **error)
{
  Reader *r = data;
  TrSessionRow s = {
    .report_row = tr_pg_int (res, row, 0),
    .day = tr_pg_text (res, row, 1),
    .domain = tr_pg_text (res, row, 2),
    .reporter = tr_pg_text (res, row, 3),
  };

  class_counts (res, row, 4, &s.successful, &s.failed);
  return ((TrSessionFunc) r->func) (&s, r->data, error);
}

/* tr_pg_each_session - the summary_sessions rows of the reports the filter selects */
gboolean
tr_pg_each_session (TrStore *base, const TrQueryFilter *filter, TrSessionFunc func, gpointer data,
                    GError **error)
{
  g_auto (Query) q = { 0 };
  Reader r = { (gpointer) func, data };

  query_init (&q, "SELECT s.report_ref, s.report_day, s.policy_domain, s.reporter_key,"
                  " s.sts_successful, s.sts_failed, s.tlsa_successful, s.tlsa_failed,"
                  " s.other_successful, s.other_failed FROM summary_sessions s WHERE true");
  add_session_filters (&q, filter);
  return each_row (PG_STORE (base), &q, session_row, &r, error);
}

static gboolean
detail_row (const PGresult *res, int row, gpointer data, GError **error)
{
  Reader *r = data;
  TrDetailRow d = {
    .report_row = tr_pg_int (res, row, 0),
    .day = tr_pg_text (res, row, 1),
    .domain = tr_pg_text (res, row, 2),
    .reporter = tr_pg_text (res, row, 3),
    .klass = tr_policy_class (tr_pg_text (res, row, 4)),
    .result_type = tr_pg_text (res, row, 5),
    .mx = tr_pg_text (res, row, 6),
    .failed = tr_pg_int (res, row, 7),
  };

  if (d.day == NULL || d.domain == NULL || d.result_type == NULL || d.mx == NULL)
    return TRUE;
  return ((TrDetailFunc) r->func) (&d, r->data, error);
}

/* tr_pg_each_detail - the summed failure details, report by report: the reports in the window
 * from summary_sessions, then for each its policies and their summary rows (a nested loop, so
 * the rows of one report come together and each policy is read once) */
gboolean
tr_pg_each_detail (TrStore *base, const TrQueryFilter *filter, TrDetailFunc func, gpointer data,
                   GError **error)
{
  g_auto (Query) q = { 0 };
  Reader r = { (gpointer) func, data };

  query_init (&q, "SELECT s.report_ref, s.day, x.domain, s.reporter, x.policy_type,"
                  " x.result_type, x.receiving_mx, x.failed FROM (SELECT s.report_ref,"
                  " min(s.report_day) AS day, min(s.reporter_key) AS reporter"
                  " FROM summary_sessions s WHERE true");
  add_session_filters (&q, filter);
  g_string_append (q.sql, " GROUP BY s.report_ref) s CROSS JOIN LATERAL (SELECT p.domain,"
                          " p.policy_type, f.result_type, f.receiving_mx, f.failed"
                          " FROM policies p JOIN summary_policy_failures f"
                          " ON f.policy_ref = p.id WHERE p.report_ref = s.report_ref");
  if (filter->domains != NULL)
    add_list (&q, "p.domain", filter->domains);
  add_detail_filters (&q, filter);
  g_string_append (q.sql, " OFFSET 0) x");
  return each_row (PG_STORE (base), &q, detail_row, &r, error);
}

/* tr_pg_failure_from_row - the PG_FAILURE_COLUMNS at @column */
TrFailure *
tr_pg_failure_from_row (const PGresult *res, int row, int column)
{
  TrFailure *f = tr_failure_new ();

  f->result_type = tr_pg_dup (res, row, column);
  f->sending_mta_ip = tr_pg_dup (res, row, column + 1);
  f->receiving_mx_hostname = tr_pg_dup (res, row, column + 2);
  f->receiving_mx_helo = tr_pg_dup (res, row, column + 3);
  f->receiving_ip = tr_pg_dup (res, row, column + 4);
  f->failed_session_count = tr_pg_count (res, row, column + 5);
  f->additional_information = tr_pg_dup (res, row, column + 6);
  f->failure_reason_code = tr_pg_dup (res, row, column + 7);
  return f;
}

static gboolean
failure_row (const PGresult *res, int row, gpointer data, GError **error)
{
  Reader *r = data;
  g_autoptr (TrFailure) failure = tr_pg_failure_from_row (res, row, 6);
  TrFailureRow f = {
    .report_row = tr_pg_int (res, row, 0),
    .day = tr_pg_text (res, row, 1),
    .reporter = tr_pg_text (res, row, 2),
    .report_id = tr_pg_text (res, row, 3),
    .domain = tr_pg_text (res, row, 4),
    .policy_type = tr_pg_text (res, row, 5),
    .failure = failure,
  };

  return ((TrFailureFunc) r->func) (&f, r->data, error);
}

/* tr_pg_each_failure - the failure details, newest first */
gboolean
tr_pg_each_failure (TrStore *base, const TrQueryFilter *filter, TrFailureFunc func, gpointer data,
                    GError **error)
{
  g_auto (Query) q = { 0 };
  Reader r = { (gpointer) func, data };

  query_init (&q,
              "SELECT r.id, r.report_day, r.reporter_key, r.report_id, p.domain,"
              " p.policy_type, " PG_FAILURE_COLUMNS (
                  "f") " FROM reports r JOIN policies p"
                       " ON p.report_ref = r.id JOIN failures f ON f.policy_ref = p.id WHERE true");
  add_report_filters (&q, filter, "r.id", "r.report_day", "r.reporter_key");
  if (filter->domains != NULL)
    add_list (&q, "p.domain", filter->domains);
  if (filter->result_types != NULL)
    add_list (&q, "lower(f.result_type)", filter->result_types);
  if (filter->mxs != NULL)
    add_list (&q, "lower(f.receiving_mx_hostname)", filter->mxs);
  g_string_append (q.sql, " ORDER BY r.report_day DESC, r.id DESC, p.policy_index, f.id");
  add_limit (&q, filter);
  return each_row (PG_STORE (base), &q, failure_row, &r, error);
}

static gboolean
report_row (const PGresult *res, int row, gpointer data, GError **error)
{
  Reader *r = data;
  TrReportRow rr = {
    .row = tr_pg_int (res, row, 0),
    .day = tr_pg_text (res, row, 1),
    .reporter = tr_pg_text (res, row, 2),
    .organization_name = tr_pg_text (res, row, 3),
    .report_id = tr_pg_text (res, row, 4),
    .start_datetime = tr_pg_text (res, row, 5),
    .end_datetime = tr_pg_text (res, row, 6),
    .received_at = tr_pg_text (res, row, 7),
    .deliveries = tr_pg_int (res, row, 8),
    .conflicts = tr_pg_int (res, row, 9),
    .warnings = tr_pg_int (res, row, 10),
    .authenticated = tr_pg_flag (res, row, 11) == 1,
  };

  return ((TrReportFunc) r->func) (&rr, r->data, error);
}

/* tr_pg_each_report - the reports, newest first */
gboolean
tr_pg_each_report (TrStore *base, const TrQueryFilter *filter, TrReportFunc func, gpointer data,
                   GError **error)
{
  g_auto (Query) q = { 0 };
  Reader r = { (gpointer) func, data };

  query_init (
      &q, "SELECT r.id, r.report_day, r.reporter_key, r.organization_name, r.report_id,"
          " " TS ("r.start_datetime") ", " TS ("r.end_datetime") ", " TS (
              "r.received_at") ", r.deliveries, (SELECT count(*) - 1 FROM reports o"
                               " WHERE " SAME_KEY (
                                   "o", "r.reporter_key",
                                   "r.report_id") "),"
                                                  " (SELECT count(*) FROM report_warnings w"
                                                  " WHERE w.report_ref = r.id), " AUTHENTICATED (
                                                      "r") " FROM reports r WHERE true");
  add_report_filters (&q, filter, "r.id", "r.report_day", "r.reporter_key");
  if (filter->domains != NULL)
    {
      g_string_append (q.sql, " AND EXISTS (SELECT 1 FROM summary_sessions s WHERE"
                              " s.report_ref = r.id");
      add_list (&q, "s.policy_domain", filter->domains);
      g_string_append (q.sql, ")");
    }
  if (filter->result_types != NULL || filter->mxs != NULL)
    {
      g_string_append (q.sql, " AND EXISTS (SELECT 1 FROM policies p"
                              " JOIN summary_policy_failures f ON f.policy_ref = p.id"
                              " WHERE p.report_ref = r.id");
      add_detail_filters (&q, filter);
      g_string_append (q.sql, ")");
    }
  g_string_append (q.sql, " ORDER BY r.report_day DESC, r.id DESC");
  add_limit (&q, filter);
  return each_row (PG_STORE (base), &q, report_row, &r, error);
}

/* tr_pg_stored_from_row - the PG_REPORT_COLUMNS at @column */
TrStoredReport *
tr_pg_stored_from_row (const PGresult *res, int row, int column)
{
  TrStoredReport *stored = g_new0 (TrStoredReport, 1);
  TrReport *r = stored->report = tr_report_new ();
  TrMailInfo *info = stored->info = tr_mail_info_new ();
  int i = column;
  const char *json;

  stored->row = tr_pg_int (res, row, i++);
  r->reporter_key = tr_pg_dup (res, row, i++);
  r->report_id = tr_pg_dup (res, row, i++);
  r->report_id_synthesized = tr_pg_flag (res, row, i++) == 1;
  r->organization_name = tr_pg_dup (res, row, i++);
  r->contact_info = tr_pg_dup (res, row, i++);
  r->start_datetime = tr_pg_dup (res, row, i++);
  r->end_datetime = tr_pg_dup (res, row, i++);
  r->report_day = tr_pg_dup (res, row, i++);
  info->message_id = tr_pg_dup (res, row, i++);
  info->subject = tr_pg_dup (res, row, i++);
  info->from = tr_pg_dup (res, row, i++);
  info->date = tr_pg_dup (res, row, i++);
  info->tls_report_domain = tr_pg_dup (res, row, i++);
  info->tls_report_submitter = tr_pg_dup (res, row, i++);
  stored->received_at = tr_pg_dup (res, row, i++);
  stored->last_received_at = tr_pg_dup (res, row, i++);
  stored->deliveries = tr_pg_int (res, row, i++);
  r->dkim_result = tr_pg_dup (res, row, i++);
  r->dkim_domain = tr_pg_dup (res, row, i++);
  r->dkim_aligned = tr_pg_flag (res, row, i++);
  r->fingerprint = tr_pg_dup (res, row, i++);
  stored->received_via = tr_pg_dup (res, row, i++);
  stored->client_address = tr_pg_dup (res, row, i++);
  json = tr_pg_text (res, row, i);
  r->raw_json = g_bytes_new (json, json ? (gsize) PQgetlength (res, row, i) : 0);
  return stored;
}

/* tr_pg_policy_from_row - the PG_POLICY_COLUMNS at @column */
TrPolicy *
tr_pg_policy_from_row (const PGresult *res, int row, int column)
{
  TrPolicy *policy = tr_policy_new ();

  policy->index = (guint) CLAMP (tr_pg_int (res, row, column), 0, G_MAXINT);
  policy->policy_type = tr_pg_dup (res, row, column + 1);
  policy->policy_domain = tr_pg_dup (res, row, column + 2);
  policy->policy_string = tr_pg_dup (res, row, column + 3);
  policy->mx_host = tr_pg_dup (res, row, column + 4);
  policy->total_successful_session_count = tr_pg_count (res, row, column + 5);
  policy->total_failure_session_count = tr_pg_count (res, row, column + 6);
  return policy;
}

/* tr_pg_warn_from_row - the warning (code, text) at @column, to @report */
void
tr_pg_warn_from_row (TrReport *report, const PGresult *res, int row, int column)
{
  const char *code = tr_warning_code_static (tr_pg_text (res, row, column));

  if (code != NULL)
    tr_report_warn (report, code, "%s", tr_pg_text (res, row, column + 1));
  else /* a newer version wrote it */
    tr_report_warn (report, "unknown-code", "%s: %s", tr_pg_text (res, row, column),
                    tr_pg_text (res, row, column + 1));
}

/* load_parts - the policies (with their failure details), the warnings and the conflicting
 * reports of @stored: one round trip for the three statements' cursors would not be shorter
 * than the three statements for one report */
static gboolean
load_parts (TrPgStore *s, TrStoredReport *stored, GError **error)
{
  g_auto (TrPgParams) p = { 0 };
  g_autoptr (PGresult) policies = NULL;
  g_autoptr (PGresult) warnings = NULL;
  g_autoptr (PGresult) conflicts = NULL;
  TrPolicy *policy = NULL;
  gint64 policy_row = 0;

  tr_pg_params_init (&p);
  tr_pg_add_int (&p, stored->row);
  policies = tr_pg_exec (
      s, -1,
      "SELECT p.id, " PG_POLICY_COLUMNS ("p") ", f.id IS NOT NULL, " PG_FAILURE_COLUMNS (
          "f") " FROM policies p LEFT JOIN failures f ON f.policy_ref = p.id"
               " WHERE p.report_ref = $1::bigint ORDER BY p.policy_index, p.id, f.id",
      &p, "reading policies", error);
  if (policies == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (policies); i++)
    {
      if (policy == NULL || tr_pg_int (policies, i, 0) != policy_row)
        {
          policy_row = tr_pg_int (policies, i, 0);
          policy = tr_pg_policy_from_row (policies, i, 1);
          g_ptr_array_add (stored->report->policies, policy);
        }
      if (tr_pg_flag (policies, i, 8) == 1)
        g_ptr_array_add (policy->failures, tr_pg_failure_from_row (policies, i, 9));
    }
  warnings = tr_pg_exec (s, -1,
                         "SELECT code, text FROM report_warnings WHERE report_ref = $1::bigint"
                         " ORDER BY id",
                         &p, "reading warnings", error);
  if (warnings == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (warnings); i++)
    tr_pg_warn_from_row (stored->report, warnings, i, 0);
  conflicts
      = tr_pg_exec (s, -1,
                    "SELECT o.id, " AUTHENTICATED (
                        "o") " FROM reports r JOIN reports o ON"
                             " " SAME_KEY ("o", "r.reporter_key",
                                           "r.report_id") " AND o.id <> r.id"
                                                          " WHERE r.id = $1::bigint ORDER BY o.id",
                    &p, "reading conflicts", error);
  if (conflicts == NULL)
    return FALSE;
  stored->conflicts = g_array_new (FALSE, FALSE, sizeof (TrConflict));
  for (int i = 0; i < PQntuples (conflicts); i++)
    {
      TrConflict c = { tr_pg_int (conflicts, i, 0), tr_pg_flag (conflicts, i, 1) == 1 };

      g_array_append_val (stored->conflicts, c);
    }
  return TRUE;
}

/* tr_pg_find_reports - the reports whose report-id or row id is @which, whole */
gboolean
tr_pg_find_reports (TrStore *base, const char *which, TrStoredReportFunc func, gpointer data,
                    GError **error)
{
  TrPgStore *s = PG_STORE (base);
  g_auto (TrPgParams) p = { 0 };
  g_autoptr (PGresult) res = NULL;
  guint64 row_id;

  tr_pg_params_init (&p);
  tr_pg_add_text (&p, which);
  if (g_ascii_string_to_unsigned (which, 10, 1, G_MAXINT64, &row_id, NULL))
    tr_pg_add_int (&p, (gint64) row_id);
  else
    tr_pg_add_text (&p, NULL);
  res = tr_pg_exec (s, -1,
                    "SELECT " PG_REPORT_COLUMNS (
                        "r") " FROM reports r"
                             " WHERE r.report_id = $1::text OR r.id = $2::bigint ORDER BY r.id",
                    &p, "reading a report", error);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      TrStoredReport *stored = tr_pg_stored_from_row (res, i, 0);

      if (!load_parts (s, stored, error))
        {
          tr_stored_report_free (stored);
          return FALSE;
        }
      if (!func (stored, data, error))
        return error == NULL || *error == NULL;
    }
  return TRUE;
}

/* tr_pg_info - what the database holds; the latest arrival is that of the newest report or
 * rejected message (as SQLite's backend: repeat deliveries are not looked at) */
gboolean
tr_pg_info (TrStore *base, TrStoreInfo *info, GError **error)
{
  g_autoptr (PGresult) res = tr_pg_exec (
      PG_STORE (base), -1,
      "SELECT (SELECT max(version) FROM tlsrptdb_version),"
      " pg_database_size(current_database()), (SELECT count(*) FROM reports),"
      " (SELECT count(*) FROM rejected),"
      " (SELECT value FROM counters WHERE name = 'rejected_bytes'),"
      " " TS (
          "greatest((SELECT received_at FROM reports ORDER BY id DESC LIMIT 1),"
          " (SELECT last_received_at FROM rejected ORDER BY id DESC LIMIT 1))") ","
                                                                                " (SELECT "
                                                                                "min(report_day) "
                                                                                "FROM reports), "
                                                                                "(SELECT "
                                                                                "max(report_day) "
                                                                                "FROM reports)",
      NULL, "reading what the database holds", error);

  if (res == NULL)
    return FALSE;
  info->schema_version = (guint) CLAMP (tr_pg_int (res, 0, 0), 0, G_MAXINT);
  info->size_bytes = tr_pg_int (res, 0, 1);
  info->reports = tr_pg_int (res, 0, 2);
  info->rejected = tr_pg_int (res, 0, 3);
  info->rejected_bytes = tr_pg_int (res, 0, 4);
  info->last_received_at = tr_pg_dup (res, 0, 5);
  info->first_report_day = tr_pg_dup (res, 0, 6);
  info->last_report_day = tr_pg_dup (res, 0, 7);
  return TRUE;
}

/* --- names, sources and policies (report, digest, the filters' wildcards) ------------------ */

/* A name callback and its data. */
typedef struct
{
  TrNameFunc func;
  gpointer data;
} NameReader;

static gboolean
name_row (const PGresult *res, int row, gpointer data, GError **error)
{
  NameReader *r = data;
  const char *name = tr_pg_text (res, row, 0);

  if (name == NULL || *name == '\0')
    return TRUE;
  return r->func (name, tr_pg_text (res, row, 1), r->data, error);
}

/* tr_pg_each_name - the distinct names of @kind */
gboolean
tr_pg_each_name (TrStore *base, TrNameKind kind, TrNameFunc func, gpointer data, GError **error)
{
  static const char *const sql[] = {
    [TR_NAME_DOMAIN] = "SELECT DISTINCT policy_domain, NULL::text FROM summary_sessions",
    [TR_NAME_MX] = "SELECT DISTINCT receiving_mx, NULL::text FROM summary_policy_failures",
    [TR_NAME_REPORTER] = "SELECT reporter_key, organization_name FROM reports"
                         " GROUP BY reporter_key, organization_name",
  };
  g_auto (Query) q = { 0 };
  NameReader r = { func, data };

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (sql), FALSE);
  query_init (&q, sql[kind]);
  return each_row (PG_STORE (base), &q, name_row, &r, error);
}

static gboolean
source_row (const PGresult *res, int row, gpointer data, GError **error)
{
  Reader *r = data;
  TrSourceRow s = {
    .report_row = tr_pg_int (res, row, 0),
    .day = tr_pg_text (res, row, 1),
    .domain = tr_pg_text (res, row, 2),
    .reporter = tr_pg_text (res, row, 3),
    .klass = tr_policy_class (tr_pg_text (res, row, 4)),
    .result_type = tr_pg_text (res, row, 5),
    .mx = tr_pg_text (res, row, 6),
    .sending_ip = tr_pg_text (res, row, 7),
    .failed = tr_pg_int (res, row, 8),
  };

  if (s.day == NULL || s.domain == NULL || s.reporter == NULL)
    return TRUE; /* as each_detail */
  return ((TrSourceFunc) r->func) (&s, r->data, error);
}

/* tr_pg_each_source - the failure details one by one, report by report, normalised as the
 * summary_policy_failures rows were written, so that their sums are the summed details */
gboolean
tr_pg_each_source (TrStore *base, const TrQueryFilter *filter, TrSourceFunc func, gpointer data,
                   GError **error)
{
  g_auto (Query) q = { 0 };
  Reader r = { (gpointer) func, data };

  query_init (&q, "SELECT s.report_ref, s.day, x.domain, s.reporter, x.policy_type,"
                  " x.result_type, x.mx, x.sending_ip, x.failed FROM (SELECT s.report_ref,"
                  " min(s.report_day) AS day, min(s.reporter_key) AS reporter"
                  " FROM summary_sessions s WHERE true");
  add_session_filters (&q, filter);
  g_string_append (q.sql, " GROUP BY s.report_ref) s CROSS JOIN LATERAL (SELECT p.domain,"
                          " p.policy_type, coalesce(f.result_type, '(none)') AS result_type,"
                          " lower(coalesce(f.receiving_mx_hostname, '')) AS mx,"
                          " coalesce(f.sending_mta_ip, '') AS sending_ip,"
                          " coalesce(f.failed_session_count, 0) AS failed"
                          " FROM policies p JOIN failures f ON f.policy_ref = p.id"
                          " WHERE p.report_ref = s.report_ref");
  if (filter->domains != NULL)
    add_list (&q, "p.domain", filter->domains);
  g_string_append (q.sql, " ORDER BY p.id, f.id OFFSET 0) x ORDER BY s.report_ref");
  return each_row (PG_STORE (base), &q, source_row, &r, error);
}

static gboolean
policy_row (const PGresult *res, int row, gpointer data, GError **error)
{
  Reader *r = data;
  TrPolicyRow p = {
    .report_row = tr_pg_int (res, row, 0),
    .day = tr_pg_text (res, row, 1),
    .domain = tr_pg_text (res, row, 2),
    .policy_type = tr_pg_text (res, row, 3),
    .policy_string = tr_pg_text (res, row, 4),
  };

  return ((TrPolicyFunc) r->func) (&p, r->data, error);
}

/* tr_pg_each_policy - the policies of the reports the filter selects, through their session
 * summary rows (one per report and domain key) */
gboolean
tr_pg_each_policy (TrStore *base, const TrQueryFilter *filter, TrPolicyFunc func, gpointer data,
                   GError **error)
{
  g_auto (Query) q = { 0 };
  Reader r = { (gpointer) func, data };

  query_init (&q, "SELECT s.report_ref, s.report_day, s.policy_domain, p.policy_type,"
                  " p.policy_string FROM summary_sessions s JOIN policies p"
                  " ON p.report_ref = s.report_ref AND p.domain = s.policy_domain WHERE true");
  add_session_filters (&q, filter);
  return each_row (PG_STORE (base), &q, policy_row, &r, error);
}

/* --- the rows of `rejected` (query rejected, rejected show|raw|delete, inspect) ------------- */

/* The columns of a row of `rejected`, in the order rejected_from_row reads them: all but the
 * message, which comes last when asked for. */
#define PG_REJECTED_COLUMNS                                                                        \
  "id, " TS ("received_at") ", " TS (                                                              \
      "last_received_at") ", reason, message_size,"                                                \
                          " octet_length(raw_message), truncated, raw_dropped, deliveries, "       \
                          "message_id, subject,"                                                   \
                          " mail_from, received_via, client_address, media_type, "                 \
                          "content_encoding, user_agent"
#define PG_REJECTED_RAW_COLUMN 17

/* add_rejected_where - the fragments that restrict `rejected` for @filter */
static void
add_rejected_where (Query *q, const TrRejectedFilter *filter)
{
  if (filter->since_day != NULL)
    g_string_append_printf (q->sql, " AND %s >= $%d::date",
                            filter->any_delivery ? "coalesce(last_received_at, received_at)"
                                                 : "received_at",
                            tr_pg_add_text (&q->params, filter->since_day));
  if (filter->until_day != NULL)
    g_string_append_printf (q->sql, " AND (received_at AT TIME ZONE 'UTC')::date <= $%d::date",
                            tr_pg_add_text (&q->params, filter->until_day));
  /* lower() of a COLLATE "C" column maps ASCII only, as SQLite's */
  if (filter->reason != NULL)
    g_string_append_printf (q->sql, " AND strpos(lower(reason), $%d::text) > 0",
                            tr_pg_add_text (&q->params, filter->reason));
  if (filter->from != NULL)
    g_string_append_printf (q->sql, " AND strpos(lower(mail_from), $%d::text) > 0",
                            tr_pg_add_text (&q->params, filter->from));
}

/* rejected_from_row - the PG_REJECTED_COLUMNS of @row into @out */
static void
rejected_from_row (const PGresult *res, int row, TrRejectedRow *out)
{
  out->id = tr_pg_int (res, row, 0);
  out->received_at = tr_pg_dup (res, row, 1);
  out->last_received_at = tr_pg_dup (res, row, 2);
  out->reason = tr_pg_dup (res, row, 3);
  out->message_size = (guint64) MAX (tr_pg_int (res, row, 4), 0);
  out->kept_size = (guint64) MAX (tr_pg_int (res, row, 5), 0);
  out->truncated = tr_pg_flag (res, row, 6) == 1;
  out->raw_dropped = tr_pg_flag (res, row, 7) == 1;
  out->deliveries = tr_pg_int (res, row, 8);
  out->message_id = tr_pg_dup (res, row, 9);
  out->subject = tr_pg_dup (res, row, 10);
  out->mail_from = tr_pg_dup (res, row, 11);
  out->received_via = tr_pg_dup (res, row, 12);
  out->client_address = tr_pg_dup (res, row, 13);
  out->media_type = tr_pg_dup (res, row, 14);
  out->content_encoding = tr_pg_dup (res, row, 15);
  out->user_agent = tr_pg_dup (res, row, 16);
}

static gboolean
rejected_row (const PGresult *res, int row, gpointer data, GError **error)
{
  Reader *r = data;
  TrRejectedRow out = { 0 };
  gboolean go_on;

  rejected_from_row (res, row, &out);
  go_on = ((TrRejectedFunc) r->func) (&out, r->data, error);
  tr_rejected_row_clear (&out);
  return go_on;
}

/* tr_pg_each_rejected - the rows the filter selects, newest (highest id) first */
gboolean
tr_pg_each_rejected (TrStore *base, const TrRejectedFilter *filter, TrRejectedFunc func,
                     gpointer data, GError **error)
{
  g_auto (Query) q = { 0 };
  Reader r = { (gpointer) func, data };

  query_init (&q, "SELECT " PG_REJECTED_COLUMNS " FROM rejected WHERE true");
  add_rejected_where (&q, filter);
  if (filter->below_id > 0)
    g_string_append_printf (q.sql, " AND id < $%d::bigint",
                            tr_pg_add_int (&q.params, filter->below_id));
  g_string_append (q.sql, " ORDER BY id DESC");
  if (filter->limit >= 0)
    g_string_append_printf (q.sql, " LIMIT $%d::bigint", tr_pg_add_int (&q.params, filter->limit));
  return each_row (PG_STORE (base), &q, rejected_row, &r, error);
}

/* tr_pg_count_rejected - how many rows the filter selects, and the bytes kept of them */
gboolean
tr_pg_count_rejected (TrStore *base, const TrRejectedFilter *filter, gint64 *count,
                      gint64 *kept_bytes, GError **error)
{
  g_auto (Query) q = { 0 };
  g_autoptr (PGresult) res = NULL;

  query_init (&q, "SELECT count(*), coalesce(sum(octet_length(raw_message)), 0) FROM rejected"
                  " WHERE true");
  add_rejected_where (&q, filter);
  res = tr_pg_exec (PG_STORE (base), -1, q.sql->str, &q.params, "counting rejected messages",
                    error);
  if (res == NULL)
    return FALSE;
  *count = tr_pg_int (res, 0, 0);
  *kept_bytes = tr_pg_int (res, 0, 1);
  return TRUE;
}

/* tr_pg_find_rejected - row @id of `rejected` (with its bytes if @with_raw) */
gboolean
tr_pg_find_rejected (TrStore *base, gint64 id, gboolean with_raw, TrRejectedRow *row,
                     gboolean *found, GError **error)
{
  g_auto (TrPgParams) p = { 0 };
  g_autoptr (PGresult) res = NULL;

  tr_pg_params_init (&p);
  tr_pg_add_int (&p, id);
  res = tr_pg_exec (PG_STORE (base), -1,
                    with_raw ? "SELECT " PG_REJECTED_COLUMNS
                               ", raw_message FROM rejected WHERE id = $1::bigint"
                             : "SELECT " PG_REJECTED_COLUMNS " FROM rejected WHERE id = $1::bigint",
                    &p, "reading a rejected message", error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return TRUE;
  rejected_from_row (res, 0, row);
  if (with_raw)
    row->raw = tr_pg_bytes (res, 0, PG_REJECTED_RAW_COLUMN);
  *found = TRUE;
  return TRUE;
}

/* --- the reads of the alerts (check, metrics) ----------------------------------------------- */

/* tr_pg_begin_read - one read-only REPEATABLE READ transaction for the reads until
 * tr_pg_end_read: they see one snapshot, and each_row's own reads join it */
gboolean
tr_pg_begin_read (TrStore *base, GError **error)
{
  gboolean own;

  return tr_pg_read_begin (PG_STORE (base), &own, error);
}

void
tr_pg_end_read (TrStore *base)
{
  tr_pg_read_end (PG_STORE (base), TRUE);
}

static gboolean
coverage_row (const PGresult *res, int row, gpointer data, GError **error)
{
  Reader *r = data;
  TrSessionRow s = {
    .report_row = tr_pg_int (res, row, 0),
    .day = tr_pg_text (res, row, 1),
    .domain = tr_pg_text (res, row, 2),
    .reporter = tr_pg_text (res, row, 3),
    .end_datetime = tr_pg_text (res, row, 10),
  };

  class_counts (res, row, 4, &s.successful, &s.failed);
  return ((TrSessionFunc) r->func) (&s, r->data, error);
}

/* tr_pg_each_coverage - the summary_sessions rows with their report's end_datetime */
gboolean
tr_pg_each_coverage (TrStore *base, const TrQueryFilter *filter, TrSessionFunc func, gpointer data,
                     GError **error)
{
  g_auto (Query) q = { 0 };
  Reader r = { (gpointer) func, data };

  query_init (&q, "SELECT s.report_ref, s.report_day, s.policy_domain, s.reporter_key,"
                  " s.sts_successful, s.sts_failed, s.tlsa_successful, s.tlsa_failed,"
                  " s.other_successful, s.other_failed, " TS (
                      "r.end_datetime") " FROM summary_sessions s JOIN reports r ON r.id = "
                                        "s.report_ref WHERE true");
  add_session_filters (&q, filter);
  return each_row (PG_STORE (base), &q, coverage_row, &r, error);
}

static gboolean
domain_sessions_row (const PGresult *res, int row, gpointer data, GError **error)
{
  Reader *r = data;
  TrSessionRow s = { .domain = tr_pg_text (res, row, 0) };

  class_counts (res, row, 1, &s.successful, &s.failed);
  return ((TrSessionFunc) r->func) (&s, r->data, error);
}

/* tr_pg_each_domain_sessions - the summary_sessions rows with the domain and the counts only */
gboolean
tr_pg_each_domain_sessions (TrStore *base, const TrQueryFilter *filter, TrSessionFunc func,
                            gpointer data, GError **error)
{
  g_auto (Query) q = { 0 };
  Reader r = { (gpointer) func, data };

  query_init (&q, "SELECT s.policy_domain, s.sts_successful, s.sts_failed, s.tlsa_successful,"
                  " s.tlsa_failed, s.other_successful, s.other_failed FROM summary_sessions s"
                  " WHERE true");
  add_session_filters (&q, filter);
  return each_row (PG_STORE (base), &q, domain_sessions_row, &r, error);
}

static gboolean
result_type_row (const PGresult *res, int row, gpointer data, GError **error)
{
  Reader *r = data;
  TrDetailRow d = {
    .domain = tr_pg_text (res, row, 0),
    .result_type = tr_pg_text (res, row, 1),
  };

  if (d.domain == NULL || d.result_type == NULL)
    return TRUE;
  return ((TrDetailFunc) r->func) (&d, r->data, error);
}

/* tr_pg_each_result_type - the domain key and result type of each summed failure detail the
 * filter selects (the rows of one domain together, by the order of the session rows) */
gboolean
tr_pg_each_result_type (TrStore *base, const TrQueryFilter *filter, TrDetailFunc func,
                        gpointer data, GError **error)
{
  g_auto (Query) q = { 0 };
  Reader r = { (gpointer) func, data };

  query_init (&q, "SELECT s.policy_domain, f.result_type FROM summary_sessions s"
                  " JOIN policies p ON p.report_ref = s.report_ref AND p.domain = s.policy_domain"
                  " JOIN summary_policy_failures f ON f.policy_ref = p.id WHERE true");
  add_session_filters (&q, filter);
  add_detail_filters (&q, filter);
  if (filter->domains != NULL)
    g_string_append (q.sql, " ORDER BY s.policy_domain");
  return each_row (PG_STORE (base), &q, result_type_row, &r, error);
}
