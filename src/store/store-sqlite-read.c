/* store-sqlite-read.c - the SQLite backend: the reads of query, show and the alerts
 *
 * SQL is put together from the fixed fragments below only; every value is bound by name
 * (:domains, :since, ...).  Lists of values are bound as one JSON array and read with
 * json_each(), so that the SQL text never depends on a value.  The reports table holds
 * raw_json, so its rows are costly to reach: the reads go through summary_sessions (compact,
 * clustered by day) wherever they can.  Nothing here counts: the rows go back by class, and the
 * counting rule is applied above the interface (counting.c).
 */
#include "config.h"

#include <string.h>

#include "error.h"
#include "store-sqlite.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define IN_LIST(expr, param) " AND " expr " IN (SELECT value FROM json_each(" param "))"
/* AUTHENTICATED - a report whose DKIM signature our MTA verified, aligned with the reporter */
#define AUTHENTICATED(r) r ".dkim_result = 'pass' AND " r ".dkim_aligned = 1"

/* json_text_list - @values as a JSON array of strings */
static char *
json_text_list (char *const *values)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      g_autofree char *valid = g_utf8_make_valid (values[i], -1);

      g_string_append (s, i > 0 ? ",\"" : "\"");
      for (const char *p = valid; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (s, '\\');
          if ((guchar) *p < 0x20)
            g_string_append_printf (s, "\\u%04x", (guchar) *p);
          else
            g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* json_row_list - @rows as a JSON array of numbers */
static char *
json_row_list (const gint64 *rows, guint n)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", rows[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* bind_named - bind @value (copied) to :@name if the statement has it */
static void
bind_named (sqlite3_stmt *stmt, const char *name, const char *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0 && value != NULL)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

/* bind_list - bind @values as a JSON array to :@name */
static void
bind_list (sqlite3_stmt *stmt, const char *name, char *const *values)
{
  g_autofree char *list = NULL;

  if (values == NULL)
    return;
  list = json_text_list (values);
  bind_named (stmt, name, list);
}

/* prepare - @sql with the filter's values bound */
static sqlite3_stmt *
prepare (TrSqliteStore *store, const char *sql, const TrQueryFilter *filter, GError **error)
{
  sqlite3_stmt *stmt = tr_sqlite_prepare (store, sql, error);
  int index;

  if (stmt == NULL || filter == NULL)
    return stmt;
  bind_list (stmt, ":domains", filter->domains);
  bind_list (stmt, ":reporters", filter->reporters);
  bind_list (stmt, ":types", filter->result_types);
  bind_list (stmt, ":mxs", filter->mxs);
  bind_list (stmt, ":warnings", filter->warnings);
  bind_named (stmt, ":since", filter->since_day);
  bind_named (stmt, ":until", filter->until_day);
  if (filter->rows != NULL)
    {
      g_autofree char *list = json_row_list (filter->rows, filter->n_rows);
      bind_named (stmt, ":rows", list);
    }
  index = sqlite3_bind_parameter_index (stmt, ":limit");
  if (index > 0)
    sqlite3_bind_int64 (stmt, index, filter->limit);
  return stmt;
}

/* add_report_filters - the fragments that restrict the reports, by a column @ref holding their
 * row id and columns @day and @reporter of their day and reporter key */
static void
add_report_filters (GString *sql, const TrQueryFilter *filter, const char *ref, const char *day,
                    const char *reporter)
{
  if (filter->since_day != NULL)
    g_string_append_printf (sql, " AND %s >= :since", day);
  if (filter->until_day != NULL)
    g_string_append_printf (sql, " AND %s <= :until", day);
  if (filter->reporters != NULL)
    g_string_append_printf (sql, IN_LIST ("%s", ":reporters"), reporter);
  if (filter->rows != NULL)
    g_string_append_printf (sql, IN_LIST ("%s", ":rows"), ref);
  if (filter->authenticated)
    g_string_append_printf (
        sql, " AND %s IN (SELECT r.id FROM reports r WHERE " AUTHENTICATED ("r") ")", ref);
  if (filter->warnings != NULL)
    g_string_append_printf (sql,
                            " AND %s IN (SELECT report_ref FROM report_warnings WHERE"
                            " code IN (SELECT value FROM json_each(:warnings)))",
                            ref);
}

/* add_detail_filters - the fragments that restrict summary_policy_failures f */
static void
add_detail_filters (GString *sql, const TrQueryFilter *filter)
{
  if (filter->result_types != NULL)
    g_string_append (sql, IN_LIST ("lower(f.result_type)", ":types"));
  if (filter->mxs != NULL)
    g_string_append (sql, IN_LIST ("f.receiving_mx", ":mxs"));
}

/* add_sessions_from - "FROM summary_sessions s" with the index that fits the filters: the table
 * is clustered by day; without statistics SQLite would rather scan a whole index */
static void
add_sessions_from (GString *sql, const TrQueryFilter *filter)
{
  if (filter->domains != NULL)
    g_string_append (sql, " FROM summary_sessions s INDEXED BY summary_sessions_domain");
  else if (filter->reporters != NULL && filter->since_day == NULL && filter->until_day == NULL)
    g_string_append (sql, " FROM summary_sessions s INDEXED BY summary_sessions_reporter");
  else
    g_string_append (sql, " FROM summary_sessions s"); /* its primary key starts with the day */
}

/* add_session_filters - the fragments that restrict summary_sessions s */
static void
add_session_filters (GString *sql, const TrQueryFilter *filter)
{
  if (filter->domains != NULL)
    g_string_append (sql, IN_LIST ("s.policy_domain", ":domains"));
  add_report_filters (sql, filter, "s.report_ref", "s.report_day", "s.reporter_key");
}

/* read_error - the statement ended with @rc */
static gboolean
read_error (TrSqliteStore *store, int rc, const char *what, GError **error)
{
  if (rc == SQLITE_DONE)
    return TRUE;
  return tr_sqlite_error (store, rc, what, error);
}

/* class_counts - columns @first..@first+5 (sts, tlsa, other; successful then failed) */
static void
class_counts (sqlite3_stmt *stmt, int first, TrClassCounts *successful, TrClassCounts *failed)
{
  static const TrPolicyClass order[] = { TR_CLASS_STS, TR_CLASS_TLSA, TR_CLASS_OTHER };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      successful->by_class[order[i]] = sqlite3_column_int64 (stmt, first + 2 * (int) i);
      failed->by_class[order[i]] = sqlite3_column_int64 (stmt, first + 2 * (int) i + 1);
    }
}

/* tr_sqlite_each_session - the summary_sessions rows of the reports the filter selects */
gboolean
tr_sqlite_each_session (TrStore *base, const TrQueryFilter *filter, TrSessionFunc func,
                        gpointer data, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (GString) sql
      = g_string_new ("SELECT s.report_ref, s.report_day, s.policy_domain, s.reporter_key,"
                      " s.sts_successful, s.sts_failed, s.tlsa_successful, s.tlsa_failed,"
                      " s.other_successful, s.other_failed");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  add_sessions_from (sql, filter);
  g_string_append (sql, " WHERE 1");
  add_session_filters (sql, filter);
  stmt = prepare (store, sql->str, filter, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TrSessionRow row = {
        .report_row = sqlite3_column_int64 (stmt, 0),
        .day = tr_sqlite_column_text (stmt, 1),
        .domain = tr_sqlite_column_text (stmt, 2),
        .reporter = tr_sqlite_column_text (stmt, 3),
      };

      class_counts (stmt, 4, &row.successful, &row.failed);
      if (!func (&row, data, error))
        return error == NULL || *error == NULL;
    }
  return read_error (store, rc, "reading sessions", error);
}

/* lower_ascii - @text with ASCII letters in lower case, as SQL's lower(): @text itself when
 * it has no upper case letter, else a copy in @buffer; "" for NULL */
static const char *
lower_ascii (GString *buffer, const char *text)
{
  const char *p;

  if (text == NULL)
    return "";
  for (p = text; *p != '\0' && !g_ascii_isupper (*p); p++)
    ;
  if (*p == '\0')
    return text;
  g_string_assign (buffer, text);
  for (gsize i = (gsize) (p - text); i < buffer->len; i++)
    buffer->str[i] = g_ascii_tolower (buffer->str[i]);
  return buffer->str;
}

/* details_of_window - "SELECT report, day, domain, reporter, policy type, @columns" of the
 * details in @table (f; without one, of the policies p) of the reports @filter selects, report
 * by report.  The reports in the
 * window come from summary_sessions, one row per report, in report order; they are the outer
 * loop of the join (CROSS JOIN keeps SQLite to that order), so the rows of one report come
 * together and each policy is read once: linear in the rows.  "+s.report_ref": a range of
 * days, then a sort, not a scan of the whole index in report order. */
static GString *
details_of_window (const TrQueryFilter *filter, const char *columns, const char *table)
{
  GString *sql = g_string_new (NULL);

  g_string_printf (sql,
                   "SELECT s.report_ref, s.day, p.domain, s.reporter, p.policy_type, %s"
                   " FROM (SELECT s.report_ref, min(s.report_day) AS day,"
                   " min(s.reporter_key) AS reporter",
                   columns);
  add_sessions_from (sql, filter);
  g_string_append (sql, " WHERE 1");
  add_session_filters (sql, filter);
  g_string_append (sql, " GROUP BY +s.report_ref) s CROSS JOIN policies p");
  if (table != NULL)
    g_string_append_printf (sql, " CROSS JOIN %s f", table);
  g_string_append (sql, " WHERE p.report_ref = s.report_ref");
  if (table != NULL)
    g_string_append (sql, " AND f.policy_ref = p.id");
  if (filter->domains != NULL)
    g_string_append (sql, IN_LIST ("p.domain", ":domains"));
  return sql;
}

/* tr_sqlite_each_detail - the summed failure details, report by report (details_of_window) */
gboolean
tr_sqlite_each_detail (TrStore *base, const TrQueryFilter *filter, TrDetailFunc func, gpointer data,
                       GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (GString) sql = details_of_window (filter, "f.result_type, f.receiving_mx, f.failed",
                                               "summary_policy_failures");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  add_detail_filters (sql, filter);
  stmt = prepare (store, sql->str, filter, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TrDetailRow row = {
        .report_row = sqlite3_column_int64 (stmt, 0),
        .day = tr_sqlite_column_text (stmt, 1),
        .domain = tr_sqlite_column_text (stmt, 2),
        .reporter = tr_sqlite_column_text (stmt, 3),
        .klass = tr_policy_class (tr_sqlite_column_text (stmt, 4)),
        .result_type = tr_sqlite_column_text (stmt, 5),
        .mx = tr_sqlite_column_text (stmt, 6),
        .failed = sqlite3_column_int64 (stmt, 7),
      };

      if (row.day == NULL || row.domain == NULL || row.result_type == NULL || row.mx == NULL)
        continue; /* NOT NULL columns, or a policy stored before its domain was */
      if (!func (&row, data, error))
        return error == NULL || *error == NULL;
    }
  return read_error (store, rc, "reading failure details", error);
}

/* failure_from_row - the failure detail in columns 6-13 */
static void
failure_from_row (sqlite3_stmt *stmt, TrFailure *f)
{
  f->result_type = (char *) tr_sqlite_column_text (stmt, 6);
  f->sending_mta_ip = (char *) tr_sqlite_column_text (stmt, 7);
  f->receiving_mx_hostname = (char *) tr_sqlite_column_text (stmt, 8);
  f->receiving_mx_helo = (char *) tr_sqlite_column_text (stmt, 9);
  f->receiving_ip = (char *) tr_sqlite_column_text (stmt, 10);
  f->failed_session_count = sqlite3_column_type (stmt, 11) == SQLITE_NULL
                                ? TR_COUNT_ABSENT
                                : sqlite3_column_int64 (stmt, 11);
  f->additional_information = (char *) tr_sqlite_column_text (stmt, 12);
  f->failure_reason_code = (char *) tr_sqlite_column_text (stmt, 13);
}

/* tr_sqlite_each_failure - the failure details, newest first */
gboolean
tr_sqlite_each_failure (TrStore *base, const TrQueryFilter *filter, TrFailureFunc func,
                        gpointer data, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (GString) sql = g_string_new (
      "SELECT r.id, r.report_day, r.reporter_key, r.report_id, p.domain, p.policy_type,"
      " f.result_type, f.sending_mta_ip, f.receiving_mx_hostname, f.receiving_mx_helo,"
      " f.receiving_ip, f.failed_session_count, f.additional_information,"
      " f.failure_reason_code FROM reports r CROSS JOIN policies p CROSS JOIN failures f"
      " WHERE p.report_ref = r.id AND f.policy_ref = p.id");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  add_report_filters (sql, filter, "r.id", "r.report_day", "r.reporter_key");
  if (filter->domains != NULL)
    g_string_append (sql, " AND r.id IN (SELECT report_ref FROM summary_sessions WHERE"
                          " policy_domain IN (SELECT value FROM json_each(:domains)))" IN_LIST (
                              "p.domain", ":domains"));
  if (filter->result_types != NULL)
    g_string_append (sql, IN_LIST ("lower(f.result_type)", ":types"));
  if (filter->mxs != NULL)
    g_string_append (sql, IN_LIST ("lower(f.receiving_mx_hostname)", ":mxs"));
  g_string_append (sql, " ORDER BY r.report_day DESC, r.id DESC, p.policy_index, f.id");
  if (filter->limit >= 0)
    g_string_append (sql, " LIMIT :limit");
  stmt = prepare (store, sql->str, filter, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TrFailure failure = { 0 };
      TrFailureRow row = {
        .report_row = sqlite3_column_int64 (stmt, 0),
        .day = tr_sqlite_column_text (stmt, 1),
        .reporter = tr_sqlite_column_text (stmt, 2),
        .report_id = tr_sqlite_column_text (stmt, 3),
        .domain = tr_sqlite_column_text (stmt, 4),
        .policy_type = tr_sqlite_column_text (stmt, 5),
        .failure = &failure,
      };

      failure_from_row (stmt, &failure);
      if (!func (&row, data, error))
        return error == NULL || *error == NULL;
    }
  return read_error (store, rc, "reading failure details", error);
}

/* tr_sqlite_each_report - the reports, newest first */
gboolean
tr_sqlite_each_report (TrStore *base, const TrQueryFilter *filter, TrReportFunc func, gpointer data,
                       GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (GString) sql
      = g_string_new ("SELECT r.id, r.report_day, r.reporter_key, r.organization_name, r.report_id,"
                      " r.start_datetime, r.end_datetime, r.received_at, r.deliveries,"
                      " (SELECT count(*) - 1 FROM reports o WHERE o.reporter_key = r.reporter_key"
                      " AND o.report_id = r.report_id),"
                      " (SELECT count(*) FROM report_warnings w WHERE w.report_ref = r.id),"
                      " " AUTHENTICATED ("r") " IS 1 FROM reports r WHERE 1");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  add_report_filters (sql, filter, "r.id", "r.report_day", "r.reporter_key");
  if (filter->domains != NULL)
    g_string_append (sql, " AND r.id IN (SELECT report_ref FROM summary_sessions WHERE"
                          " policy_domain IN (SELECT value FROM json_each(:domains)))");
  if (filter->result_types != NULL || filter->mxs != NULL)
    {
      g_string_append (sql, " AND r.id IN (SELECT p.report_ref FROM policies p"
                            " JOIN summary_policy_failures f ON f.policy_ref = p.id WHERE 1");
      add_detail_filters (sql, filter);
      g_string_append (sql, ")");
    }
  g_string_append (sql, " ORDER BY r.report_day DESC, r.id DESC");
  if (filter->limit >= 0)
    g_string_append (sql, " LIMIT :limit");
  stmt = prepare (store, sql->str, filter, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TrReportRow row = {
        .row = sqlite3_column_int64 (stmt, 0),
        .day = tr_sqlite_column_text (stmt, 1),
        .reporter = tr_sqlite_column_text (stmt, 2),
        .organization_name = tr_sqlite_column_text (stmt, 3),
        .report_id = tr_sqlite_column_text (stmt, 4),
        .start_datetime = tr_sqlite_column_text (stmt, 5),
        .end_datetime = tr_sqlite_column_text (stmt, 6),
        .received_at = tr_sqlite_column_text (stmt, 7),
        .deliveries = sqlite3_column_int64 (stmt, 8),
        .conflicts = sqlite3_column_int64 (stmt, 9),
        .warnings = sqlite3_column_int64 (stmt, 10),
        .authenticated = sqlite3_column_int (stmt, 11),
      };

      if (!func (&row, data, error))
        return error == NULL || *error == NULL;
    }
  return read_error (store, rc, "reading reports", error);
}

/* load_policies - the policies of report @row, with their failure details, into @report */
static gboolean
load_policies (TrSqliteStore *store, gint64 row, TrReport *report, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = tr_sqlite_prepare (
      store,
      "SELECT p.id, p.policy_index, p.policy_type, p.policy_domain, p.policy_string, p.mx_host,"
      " f.result_type, f.sending_mta_ip, f.receiving_mx_hostname, f.receiving_mx_helo,"
      " f.receiving_ip, f.failed_session_count, f.additional_information,"
      " f.failure_reason_code, f.id IS NOT NULL, p.total_successful_session_count,"
      " p.total_failure_session_count"
      " FROM policies p LEFT JOIN failures f ON f.policy_ref = p.id WHERE p.report_ref = ?1"
      " ORDER BY p.policy_index, p.id, f.id",
      error);
  gint64 policy_row = 0;
  TrPolicy *policy = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (policy == NULL || sqlite3_column_int64 (stmt, 0) != policy_row)
        {
          policy_row = sqlite3_column_int64 (stmt, 0);
          policy = tr_policy_new ();
          policy->index = (guint) sqlite3_column_int (stmt, 1);
          policy->policy_type = tr_sqlite_dup_text (stmt, 2);
          policy->policy_domain = tr_sqlite_dup_text (stmt, 3);
          policy->policy_string = tr_sqlite_dup_text (stmt, 4);
          policy->mx_host = tr_sqlite_dup_text (stmt, 5);
          policy->total_successful_session_count = sqlite3_column_type (stmt, 15) == SQLITE_NULL
                                                       ? TR_COUNT_ABSENT
                                                       : sqlite3_column_int64 (stmt, 15);
          policy->total_failure_session_count = sqlite3_column_type (stmt, 16) == SQLITE_NULL
                                                    ? TR_COUNT_ABSENT
                                                    : sqlite3_column_int64 (stmt, 16);
          g_ptr_array_add (report->policies, policy);
        }
      if (sqlite3_column_int (stmt, 14))
        {
          TrFailure borrowed = { 0 };
          TrFailure *f = tr_failure_new ();

          failure_from_row (stmt, &borrowed);
          f->result_type = g_strdup (borrowed.result_type);
          f->sending_mta_ip = g_strdup (borrowed.sending_mta_ip);
          f->receiving_mx_hostname = g_strdup (borrowed.receiving_mx_hostname);
          f->receiving_mx_helo = g_strdup (borrowed.receiving_mx_helo);
          f->receiving_ip = g_strdup (borrowed.receiving_ip);
          f->failed_session_count = borrowed.failed_session_count;
          f->additional_information = g_strdup (borrowed.additional_information);
          f->failure_reason_code = g_strdup (borrowed.failure_reason_code);
          g_ptr_array_add (policy->failures, f);
        }
    }
  return read_error (store, rc, "reading policies", error);
}

/* load_warnings - the warnings kept with @stored, in the order they were noticed */
static gboolean
load_warnings (TrSqliteStore *store, TrStoredReport *stored, GError **error)
{
  g_autoptr (sqlite3_stmt) warnings = tr_sqlite_prepare (
      store, "SELECT code, text FROM report_warnings WHERE report_ref = ?1 ORDER BY rowid", error);
  int rc;

  if (warnings == NULL)
    return FALSE;
  sqlite3_bind_int64 (warnings, 1, stored->row);
  while ((rc = sqlite3_step (warnings)) == SQLITE_ROW)
    {
      const char *code = tr_warning_code_static (tr_sqlite_column_text (warnings, 0));

      if (code != NULL)
        tr_report_warn (stored->report, code, "%s", tr_sqlite_column_text (warnings, 1));
      else /* a newer version wrote it */
        tr_report_warn (stored->report, "unknown-code", "%s: %s",
                        tr_sqlite_column_text (warnings, 0), tr_sqlite_column_text (warnings, 1));
    }
  return read_error (store, rc, "reading warnings", error);
}

/* load_conflicts - the other reports with the reporter and report-id of @stored */
static gboolean
load_conflicts (TrSqliteStore *store, TrStoredReport *stored, GError **error)
{
  g_autoptr (sqlite3_stmt) conflicts
      = tr_sqlite_prepare (store,
                           "SELECT o.id, " AUTHENTICATED (
                               "o") " IS 1 FROM reports o, reports r"
                                    " WHERE r.id = ?1 AND o.reporter_key = r.reporter_key"
                                    " AND o.report_id = r.report_id AND o.id != r.id ORDER BY o.id",
                           error);
  int rc;

  if (conflicts == NULL)
    return FALSE;
  sqlite3_bind_int64 (conflicts, 1, stored->row);
  stored->conflicts = g_array_new (FALSE, FALSE, sizeof (TrConflict));
  while ((rc = sqlite3_step (conflicts)) == SQLITE_ROW)
    {
      TrConflict c = { sqlite3_column_int64 (conflicts, 0), sqlite3_column_int (conflicts, 1) };

      g_array_append_val (stored->conflicts, c);
    }
  return read_error (store, rc, "reading conflicts", error);
}

/* tr_sqlite_stored_from_row - the report columns (TR_SQLITE_REPORT_COLUMNS) of @stmt's row */
TrStoredReport *
tr_sqlite_stored_from_row (sqlite3_stmt *stmt)
{
  TrStoredReport *stored = g_new0 (TrStoredReport, 1);
  TrReport *r = stored->report = tr_report_new ();
  TrMailInfo *info = stored->info = tr_mail_info_new ();
  int i = 0;

  stored->row = sqlite3_column_int64 (stmt, i++);
  r->reporter_key = tr_sqlite_dup_text (stmt, i++);
  r->report_id = tr_sqlite_dup_text (stmt, i++);
  r->report_id_synthesized = sqlite3_column_int (stmt, i++);
  r->organization_name = tr_sqlite_dup_text (stmt, i++);
  r->contact_info = tr_sqlite_dup_text (stmt, i++);
  r->start_datetime = tr_sqlite_dup_text (stmt, i++);
  r->end_datetime = tr_sqlite_dup_text (stmt, i++);
  r->report_day = tr_sqlite_dup_text (stmt, i++);
  info->message_id = tr_sqlite_dup_text (stmt, i++);
  info->subject = tr_sqlite_dup_text (stmt, i++);
  info->from = tr_sqlite_dup_text (stmt, i++);
  info->date = tr_sqlite_dup_text (stmt, i++);
  info->tls_report_domain = tr_sqlite_dup_text (stmt, i++);
  info->tls_report_submitter = tr_sqlite_dup_text (stmt, i++);
  stored->received_at = tr_sqlite_dup_text (stmt, i++);
  stored->last_received_at = tr_sqlite_dup_text (stmt, i++);
  stored->deliveries = sqlite3_column_int64 (stmt, i++);
  r->dkim_result = tr_sqlite_dup_text (stmt, i++);
  r->dkim_domain = tr_sqlite_dup_text (stmt, i++);
  r->dkim_aligned
      = sqlite3_column_type (stmt, i) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, i);
  i++;
  r->fingerprint = tr_sqlite_dup_text (stmt, i++);
  stored->received_via = tr_sqlite_dup_text (stmt, i++);
  stored->client_address = tr_sqlite_dup_text (stmt, i++);
  r->raw_json = g_bytes_new (sqlite3_column_text (stmt, i), (gsize) sqlite3_column_bytes (stmt, i));
  return stored;
}

/* tr_sqlite_load_parts - the policies (with their failure details) and warnings of @stored,
 * and with @conflicts the other reports of its key */
gboolean
tr_sqlite_load_parts (TrSqliteStore *store, TrStoredReport *stored, gboolean conflicts,
                      GError **error)
{
  return load_policies (store, stored->row, stored->report, error)
         && load_warnings (store, stored, error)
         && (!conflicts || load_conflicts (store, stored, error));
}

/* tr_sqlite_find_reports - the reports whose report-id or row id is @which, whole */
gboolean
tr_sqlite_find_reports (TrStore *base, const char *which, TrStoredReportFunc func, gpointer data,
                        GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (sqlite3_stmt) stmt = tr_sqlite_prepare (store,
                                                     "SELECT " TR_SQLITE_REPORT_COLUMNS
                                                     " FROM reports WHERE report_id = ?1 OR id = ?2"
                                                     " ORDER BY id",
                                                     error);
  guint64 row_id;
  int rc;

  if (stmt == NULL)
    return FALSE;
  tr_sqlite_bind_text (stmt, 1, which);
  if (g_ascii_string_to_unsigned (which, 10, 1, G_MAXINT64, &row_id, NULL))
    sqlite3_bind_int64 (stmt, 2, (gint64) row_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (TrStoredReport) stored = tr_sqlite_stored_from_row (stmt);

      if (!tr_sqlite_load_parts (store, stored, TRUE, error))
        return FALSE;
      if (!func (g_steal_pointer (&stored), data, error))
        return error == NULL || *error == NULL;
    }
  return read_error (store, rc, "reading a report", error);
}

/* query_int - the integer that @sql returns (0 for no row) */
static gboolean
query_int (TrSqliteStore *store, const char *sql, gint64 *value, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = tr_sqlite_prepare (store, sql, error);
  int rc;

  *value = 0;
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int64 (stmt, 0);
  return rc == SQLITE_ROW || read_error (store, rc, sql, error);
}

/* query_text - the text that @sql returns, or NULL */
static gboolean
query_text (TrSqliteStore *store, const char *sql, char **value, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = tr_sqlite_prepare (store, sql, error);
  int rc;

  *value = NULL;
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = tr_sqlite_dup_text (stmt, 0);
  return rc == SQLITE_ROW || read_error (store, rc, sql, error);
}

/* tr_sqlite_info - what the database holds; the latest arrival is that of the newest report
 * or rejected message (repeat deliveries are not looked at: that would read every row) */
gboolean
tr_sqlite_info (TrStore *base, TrStoreInfo *info, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  gint64 version = 0;

  if (!query_int (store, "PRAGMA user_version", &version, error)
      || !query_int (store,
                     "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
                     &info->size_bytes, error)
      || !query_int (store, "SELECT count(*) FROM reports", &info->reports, error)
      || !query_int (store, "SELECT count(*) FROM rejected", &info->rejected, error)
      || !query_int (store, "SELECT value FROM counters WHERE name = 'rejected_bytes'",
                     &info->rejected_bytes, error)
      || !query_text (store,
                      "SELECT max(t) FROM (SELECT (SELECT received_at FROM reports ORDER BY id"
                      " DESC LIMIT 1) AS t UNION ALL SELECT (SELECT last_received_at FROM"
                      " rejected ORDER BY id DESC LIMIT 1))",
                      &info->last_received_at, error)
      || !query_text (store, "SELECT min(report_day) FROM reports", &info->first_report_day, error)
      || !query_text (store, "SELECT max(report_day) FROM reports", &info->last_report_day, error))
    return FALSE;
  info->schema_version = (guint) version;
  return TRUE;
}

/* tr_sqlite_each_name - the distinct names of @kind */
gboolean
tr_sqlite_each_name (TrStore *base, TrNameKind kind, TrNameFunc func, gpointer data, GError **error)
{
  static const char *const sql[] = {
    [TR_NAME_DOMAIN] = "SELECT DISTINCT policy_domain, NULL FROM summary_sessions",
    [TR_NAME_MX] = "SELECT DISTINCT receiving_mx, NULL FROM summary_policy_failures",
    [TR_NAME_REPORTER]
    = "SELECT reporter_key, organization_name FROM reports GROUP BY reporter_key,"
      " organization_name",
  };
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (sqlite3_stmt) stmt = tr_sqlite_prepare (store, sql[kind], error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = tr_sqlite_column_text (stmt, 0);

      if (name != NULL && *name != '\0'
          && !func (name, tr_sqlite_column_text (stmt, 1), data, error))
        return error == NULL || *error == NULL;
    }
  return read_error (store, rc, "reading names", error);
}

/* tr_sqlite_each_source - the failure details one by one, report by report, normalised as
 * summary_policy_failures is.  The policies of the window (details_of_window without a table)
 * are the outer loop, and each policy's details are read by one statement, prepared once, from
 * failures_policy alone (it covers them since schema step 7): the join of them all would copy
 * the report's day, domain, reporter and policy type once per detail, and coalesce() and
 * lower() each value once more (a year's page reads 1,000,000 details). */
gboolean
tr_sqlite_each_source (TrStore *base, const TrQueryFilter *filter, TrSourceFunc func, gpointer data,
                       GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (GString) sql = details_of_window (filter, "p.id", NULL);
  g_autoptr (GString) mx = g_string_new (NULL);
  g_autoptr (sqlite3_stmt) policies = NULL;
  g_autoptr (sqlite3_stmt) details = NULL;
  int rc, detail_rc = SQLITE_DONE;

  policies = prepare (store, sql->str, filter, error);
  if (policies == NULL)
    return FALSE;
  details = tr_sqlite_prepare (store,
                               "SELECT result_type, receiving_mx_hostname, sending_mta_ip,"
                               " failed_session_count FROM failures"
                               " WHERE policy_ref = ?",
                               error);
  if (details == NULL)
    return FALSE;
  while ((rc = sqlite3_step (policies)) == SQLITE_ROW)
    {
      TrSourceRow row = {
        .report_row = sqlite3_column_int64 (policies, 0),
        .day = tr_sqlite_column_text (policies, 1),
        .domain = tr_sqlite_column_text (policies, 2),
        .reporter = tr_sqlite_column_text (policies, 3),
        .klass = tr_policy_class (tr_sqlite_column_text (policies, 4)),
      };

      if (row.day == NULL || row.domain == NULL || row.reporter == NULL)
        continue; /* as tr_sqlite_each_detail */
      sqlite3_reset (details);
      sqlite3_bind_int64 (details, 1, sqlite3_column_int64 (policies, 5));
      while ((detail_rc = sqlite3_step (details)) == SQLITE_ROW)
        {
          const char *type = tr_sqlite_column_text (details, 0);
          const char *ip = tr_sqlite_column_text (details, 2);

          row.result_type = type != NULL ? type : "(none)";
          row.mx = lower_ascii (mx, tr_sqlite_column_text (details, 1));
          row.sending_ip = ip != NULL ? ip : "";
          row.failed = sqlite3_column_int64 (details, 3); /* 0 for NULL */
          if (!func (&row, data, error))
            return error == NULL || *error == NULL;
        }
      if (detail_rc != SQLITE_DONE)
        break;
    }
  if (detail_rc != SQLITE_DONE)
    rc = detail_rc;
  return read_error (store, rc, "reading failure details", error);
}

/* tr_sqlite_each_policy - the policies of the reports the filter selects, through their
 * session summary rows (one per report and domain key) */
gboolean
tr_sqlite_each_policy (TrStore *base, const TrQueryFilter *filter, TrPolicyFunc func, gpointer data,
                       GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (GString) sql = g_string_new (
      "SELECT s.report_ref, s.report_day, s.policy_domain, p.policy_type, p.policy_string");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  add_sessions_from (sql, filter);
  g_string_append (sql, " CROSS JOIN policies p WHERE p.report_ref = s.report_ref"
                        " AND p.domain = s.policy_domain");
  add_session_filters (sql, filter);
  stmt = prepare (store, sql->str, filter, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TrPolicyRow row = {
        .report_row = sqlite3_column_int64 (stmt, 0),
        .day = tr_sqlite_column_text (stmt, 1),
        .domain = tr_sqlite_column_text (stmt, 2),
        .policy_type = tr_sqlite_column_text (stmt, 3),
        .policy_string = tr_sqlite_column_text (stmt, 4),
      };

      if (!func (&row, data, error))
        return error == NULL || *error == NULL;
    }
  return read_error (store, rc, "reading policies", error);
}

/* The columns of a row of `rejected`, in the order rejected_from_row reads them: all but the
 * message, which comes last when asked for.  length() reads only the record's header. */
#define REJECTED_COLUMNS                                                                           \
  "id, received_at, last_received_at, reason, message_size, length(raw_message), truncated,"       \
  " raw_dropped, deliveries, message_id, subject, mail_from, received_via, client_address"
#define REJECTED_RAW_COLUMN 14

/* add_rejected_where - " WHERE ..." for @filter; prepare_rejected binds its values */
static void
add_rejected_where (GString *sql, const TrRejectedFilter *filter)
{
  g_string_append (sql, " WHERE 1");
  if (filter->since_day != NULL && filter->any_delivery)
    g_string_append (sql, " AND coalesce(last_received_at, received_at) >= :since");
  else if (filter->since_day != NULL)
    g_string_append (sql, " AND received_at >= :since");
  if (filter->until_day != NULL)
    g_string_append (sql, " AND substr(received_at, 1, 10) <= :until");
  if (filter->reason != NULL)
    g_string_append (sql, " AND instr(lower(reason), :reason) > 0");
  if (filter->from != NULL)
    g_string_append (sql, " AND instr(lower(mail_from), :from) > 0");
}

/* prepare_rejected - @sql with the values of @filter bound */
static sqlite3_stmt *
prepare_rejected (TrSqliteStore *store, const char *sql, const TrRejectedFilter *filter,
                  GError **error)
{
  sqlite3_stmt *stmt = tr_sqlite_prepare (store, sql, error);
  int index;

  if (stmt == NULL)
    return NULL;
  bind_named (stmt, ":since", filter->since_day);
  bind_named (stmt, ":until", filter->until_day);
  bind_named (stmt, ":reason", filter->reason);
  bind_named (stmt, ":from", filter->from);
  if ((index = sqlite3_bind_parameter_index (stmt, ":below")) > 0)
    sqlite3_bind_int64 (stmt, index, filter->below_id);
  if ((index = sqlite3_bind_parameter_index (stmt, ":limit")) > 0)
    sqlite3_bind_int64 (stmt, index, filter->limit);
  return stmt;
}

/* rejected_from_row - the columns of REJECTED_COLUMNS into @row */
static void
rejected_from_row (sqlite3_stmt *stmt, TrRejectedRow *row)
{
  row->id = sqlite3_column_int64 (stmt, 0);
  row->received_at = tr_sqlite_dup_text (stmt, 1);
  row->last_received_at = tr_sqlite_dup_text (stmt, 2);
  row->reason = tr_sqlite_dup_text (stmt, 3);
  row->message_size = (guint64) MAX (sqlite3_column_int64 (stmt, 4), 0);
  row->kept_size = (guint64) MAX (sqlite3_column_int64 (stmt, 5), 0);
  row->truncated = sqlite3_column_int (stmt, 6) != 0;
  row->raw_dropped = sqlite3_column_int (stmt, 7) != 0;
  row->deliveries = sqlite3_column_int64 (stmt, 8);
  row->message_id = tr_sqlite_dup_text (stmt, 9);
  row->subject = tr_sqlite_dup_text (stmt, 10);
  row->mail_from = tr_sqlite_dup_text (stmt, 11);
  row->received_via = tr_sqlite_dup_text (stmt, 12);
  row->client_address = tr_sqlite_dup_text (stmt, 13);
}

/* tr_sqlite_each_rejected - the rows of `rejected` the filter selects, newest first: by id,
 * which is the order they were kept in, so that no sort is needed */
gboolean
tr_sqlite_each_rejected (TrStore *base, const TrRejectedFilter *filter, TrRejectedFunc func,
                         gpointer data, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (GString) sql = g_string_new ("SELECT " REJECTED_COLUMNS " FROM rejected");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  add_rejected_where (sql, filter);
  if (filter->below_id > 0)
    g_string_append (sql, " AND id < :below");
  g_string_append (sql, " ORDER BY id DESC LIMIT :limit");
  stmt = prepare_rejected (store, sql->str, filter, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TrRejectedRow row = { 0 };
      gboolean go_on;

      rejected_from_row (stmt, &row);
      go_on = func (&row, data, error);
      tr_rejected_row_clear (&row);
      if (!go_on)
        return error == NULL || *error == NULL;
    }
  return read_error (store, rc, "reading rejected messages", error);
}

/* tr_sqlite_count_rejected - how many rows the filter selects, and their bytes */
gboolean
tr_sqlite_count_rejected (TrStore *base, const TrRejectedFilter *filter, gint64 *count,
                          gint64 *kept_bytes, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (GString) sql
      = g_string_new ("SELECT count(*), coalesce(sum(length(raw_message)), 0) FROM rejected");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  add_rejected_where (sql, filter);
  stmt = prepare_rejected (store, sql->str, filter, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return tr_sqlite_error (store, rc, "counting rejected messages", error);
  *count = sqlite3_column_int64 (stmt, 0);
  *kept_bytes = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

/* tr_sqlite_find_rejected - row @id of `rejected` (with its bytes if @with_raw) */
gboolean
tr_sqlite_find_rejected (TrStore *base, gint64 id, gboolean with_raw, TrRejectedRow *row,
                         gboolean *found, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (sqlite3_stmt) stmt = tr_sqlite_prepare (
      store,
      with_raw ? "SELECT " REJECTED_COLUMNS ", raw_message FROM rejected WHERE id = ?1"
               : "SELECT " REJECTED_COLUMNS " FROM rejected WHERE id = ?1",
      error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return tr_sqlite_error (store, rc, "reading a rejected message", error);
  rejected_from_row (stmt, row);
  if (with_raw)
    row->raw = g_bytes_new (sqlite3_column_blob (stmt, REJECTED_RAW_COLUMN),
                            (gsize) sqlite3_column_bytes (stmt, REJECTED_RAW_COLUMN));
  *found = TRUE;
  return TRUE;
}

/* tr_sqlite_begin_read - a deferred transaction: the first read takes the snapshot (WAL), which
 * the later reads share; writers go on committing to the WAL meanwhile */
gboolean
tr_sqlite_begin_read (TrStore *base, GError **error)
{
  return tr_sqlite_exec (SQLITE_STORE (base), "BEGIN", error);
}

void
tr_sqlite_end_read (TrStore *base)
{
  sqlite3_exec (SQLITE_STORE (base)->db, "COMMIT", NULL, NULL, NULL);
}

/* tr_sqlite_each_coverage - the summary_sessions rows with their report's end_datetime (a
 * column before raw_json: no overflow page of a large report is read) */
gboolean
tr_sqlite_each_coverage (TrStore *base, const TrQueryFilter *filter, TrSessionFunc func,
                         gpointer data, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (GString) sql
      = g_string_new ("SELECT s.report_ref, s.report_day, s.policy_domain, s.reporter_key,"
                      " s.sts_successful, s.sts_failed, s.tlsa_successful, s.tlsa_failed,"
                      " s.other_successful, s.other_failed, r.end_datetime");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  add_sessions_from (sql, filter);
  g_string_append (sql, " CROSS JOIN reports r WHERE r.id = s.report_ref");
  add_session_filters (sql, filter);
  stmt = prepare (store, sql->str, filter, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TrSessionRow row = {
        .report_row = sqlite3_column_int64 (stmt, 0),
        .day = tr_sqlite_column_text (stmt, 1),
        .domain = tr_sqlite_column_text (stmt, 2),
        .reporter = tr_sqlite_column_text (stmt, 3),
        .end_datetime = tr_sqlite_column_text (stmt, 10),
      };

      class_counts (stmt, 4, &row.successful, &row.failed);
      if (!func (&row, data, error))
        return error == NULL || *error == NULL;
    }
  return read_error (store, rc, "reading the days reports cover", error);
}

/* tr_sqlite_each_domain_sessions - the summary_sessions rows with the domain and the counts
 * only: three columns fewer to decode a row took a quarter off a read of every row */
gboolean
tr_sqlite_each_domain_sessions (TrStore *base, const TrQueryFilter *filter, TrSessionFunc func,
                                gpointer data, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (GString) sql
      = g_string_new ("SELECT s.policy_domain, s.sts_successful, s.sts_failed,"
                      " s.tlsa_successful, s.tlsa_failed, s.other_successful, s.other_failed");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  add_sessions_from (sql, filter);
  g_string_append (sql, " WHERE 1");
  add_session_filters (sql, filter);
  stmt = prepare (store, sql->str, filter, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TrSessionRow row = { .domain = tr_sqlite_column_text (stmt, 0) };

      class_counts (stmt, 1, &row.successful, &row.failed);
      if (!func (&row, data, error))
        return error == NULL || *error == NULL;
    }
  return read_error (store, rc, "reading sessions", error);
}

/* tr_sqlite_each_result_type - each session summary row (one report and domain key, by the
 * index of the domains when they are named) with the policies of that key and their summed
 * details: two columns a row.  Not DISTINCT: SQLite's temporary index for it cost more than the
 * caller's hash table (measured: 110 against 75 M instructions for 28,600 rows) */
gboolean
tr_sqlite_each_result_type (TrStore *base, const TrQueryFilter *filter, TrDetailFunc func,
                            gpointer data, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (GString) sql = g_string_new ("SELECT s.policy_domain, f.result_type");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  add_sessions_from (sql, filter);
  g_string_append (sql, " CROSS JOIN policies p CROSS JOIN summary_policy_failures f"
                        " WHERE p.report_ref = s.report_ref AND p.domain = s.policy_domain"
                        " AND f.policy_ref = p.id");
  add_session_filters (sql, filter);
  add_detail_filters (sql, filter);
  stmt = prepare (store, sql->str, filter, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TrDetailRow row = {
        .domain = tr_sqlite_column_text (stmt, 0),
        .result_type = tr_sqlite_column_text (stmt, 1),
      };

      if (row.domain == NULL || row.result_type == NULL)
        continue;
      if (!func (&row, data, error))
        return error == NULL || *error == NULL;
    }
  return read_error (store, rc, "reading result types", error);
}
