/* store-sqlite-write.c - the SQLite backend: store reports, keep rejected messages, prune
 *
 * A report is written with its policies, failure details and warnings, and the summaries the
 * reads use: summary_sessions (one row per report and domain key, sessions split by policy
 * class, counting.h) and summary_policy_failures (failure details summed per policy, result type
 * and receiving MX).  The domain key and the class come from counting.c, as for every backend.
 */
#include "config.h"

#include <string.h>

#include "error.h"
#include "store-sqlite.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* AUTHENTICATED - a report whose DKIM signature our MTA verified, aligned with the reporter */
#define AUTHENTICATED "(dkim_result = 'pass' AND dkim_aligned = 1)"

const char *const tr_sqlite_statements[N_STMTS] = {
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
    " last_received_at, dkim_result, dkim_domain, dkim_aligned, content_sha256, received_via,"
    " client_address)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?19, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16,"
    " ?17, ?18, ?20, ?21, ?22)",
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
    " mx_host, total_successful_session_count, total_failure_session_count, domain)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
  /* the sessions of a policy, added to its report's row for its domain key and class */
  [STMT_SUMMARIZE_SESSIONS]
  = "INSERT INTO summary_sessions (report_ref, policy_domain, report_day, reporter_key,"
    " sts_successful, sts_failed, tlsa_successful, tlsa_failed, other_successful, other_failed)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " ON CONFLICT (report_ref, policy_domain) DO UPDATE SET"
    "  sts_successful = sts_successful + excluded.sts_successful,"
    "  sts_failed = sts_failed + excluded.sts_failed,"
    "  tlsa_successful = tlsa_successful + excluded.tlsa_successful,"
    "  tlsa_failed = tlsa_failed + excluded.tlsa_failed,"
    "  other_successful = other_successful + excluded.other_successful,"
    "  other_failed = other_failed + excluded.other_failed",
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
  [STMT_INSERT_WARNING]
  = "INSERT INTO report_warnings (report_ref, code, text) VALUES (?1, ?2, ?3)",
  [STMT_FIND_REJECTED] = "SELECT id, raw_dropped FROM rejected WHERE fingerprint = ?1"
                         " ORDER BY id LIMIT 1",
  [STMT_REPEAT_REJECTED] = "UPDATE rejected SET deliveries = deliveries + 1,"
                           " last_received_at = ?2, reason = ?3 WHERE id = ?1",
  [STMT_REJECTED_BYTES] = "SELECT value FROM counters WHERE name = 'rejected_bytes'",
  [STMT_KEEP_REJECTED_BYTES] = "UPDATE rejected SET raw_message = ?2, raw_dropped = 0"
                               " WHERE id = ?1",
  [STMT_INSERT_REJECTED]
  = "INSERT INTO rejected (received_at, last_received_at, reason, raw_message, message_size,"
    " truncated, message_id, subject, mail_from, fingerprint, raw_dropped, received_via,"
    " client_address, media_type, content_encoding, user_agent)"
    " VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
  [STMT_REJECTED_REQUESTS] = "SELECT value FROM counters WHERE name = 'rejected_requests'",
};

/* summarize_sessions - add @policy's sessions to the summary row of its report and domain key */
static gboolean
summarize_sessions (TrSqliteStore *store, gint64 report_row, const TrReport *report,
                    const TrPolicy *policy, const char *domain, GError **error)
{
  sqlite3_stmt *stmt = tr_sqlite_statement (store, STMT_SUMMARIZE_SESSIONS, error);
  TrPolicyClass klass = tr_policy_class (policy->policy_type);
  /* the bound columns of each class: successful then failed (sts 5, tlsa 7, other 9) */
  static const int column[TR_N_CLASSES]
      = { [TR_CLASS_STS] = 5, [TR_CLASS_TLSA] = 7, [TR_CLASS_OTHER] = 9 };
  gint64 successful = policy->total_successful_session_count;
  gint64 failed = policy->total_failure_session_count;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report_row);
  tr_sqlite_bind_text (stmt, 2, domain);
  tr_sqlite_bind_text (stmt, 3, report->report_day);
  tr_sqlite_bind_text (stmt, 4, report->reporter_key);
  for (int c = 5; c <= 10; c++)
    sqlite3_bind_int64 (stmt, c, 0);
  sqlite3_bind_int64 (stmt, column[klass], successful == TR_COUNT_ABSENT ? 0 : successful);
  sqlite3_bind_int64 (stmt, column[klass] + 1, failed == TR_COUNT_ABSENT ? 0 : failed);
  return tr_sqlite_step_done (store, stmt, "summarising sessions", error);
}

/* insert_failures - the failure details of policy row @policy_row, and their summary */
static gboolean
insert_failures (TrSqliteStore *store, gint64 policy_row, const TrPolicy *policy, GError **error)
{
  sqlite3_stmt *stmt;

  for (guint i = 0; i < policy->failures->len; i++)
    {
      const TrFailure *failure = g_ptr_array_index (policy->failures, i);

      stmt = tr_sqlite_statement (store, STMT_INSERT_FAILURE, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, policy_row);
      tr_sqlite_bind_text (stmt, 2, failure->result_type);
      tr_sqlite_bind_text (stmt, 3, failure->sending_mta_ip);
      tr_sqlite_bind_text (stmt, 4, failure->receiving_mx_hostname);
      tr_sqlite_bind_text (stmt, 5, failure->receiving_mx_helo);
      tr_sqlite_bind_text (stmt, 6, failure->receiving_ip);
      tr_sqlite_bind_count (stmt, 7, failure->failed_session_count);
      tr_sqlite_bind_text (stmt, 8, failure->additional_information);
      tr_sqlite_bind_text (stmt, 9, failure->failure_reason_code);
      if (!tr_sqlite_step_done (store, stmt, "inserting a failure detail", error))
        return FALSE;
    }
  if (policy->failures->len == 0)
    return TRUE;
  stmt = tr_sqlite_statement (store, STMT_SUMMARIZE_FAILURES, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, policy_row);
  return tr_sqlite_step_done (store, stmt, "summarising failure details", error);
}

/* insert_policy - one policy, its failure details and its summaries */
static gboolean
insert_policy (TrSqliteStore *store, gint64 report_row, const TrReport *report,
               const TrMailInfo *info, const TrPolicy *policy, GError **error)
{
  sqlite3_stmt *stmt = tr_sqlite_statement (store, STMT_INSERT_POLICY, error);
  g_autofree char *domain = tr_domain_key (policy->policy_domain, info->tls_report_domain);
  gint64 policy_row;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report_row);
  sqlite3_bind_int (stmt, 2, (int) policy->index);
  tr_sqlite_bind_text (stmt, 3, policy->policy_type);
  tr_sqlite_bind_text (stmt, 4, policy->policy_domain);
  tr_sqlite_bind_text (stmt, 5, policy->policy_string);
  tr_sqlite_bind_text (stmt, 6, policy->mx_host);
  tr_sqlite_bind_count (stmt, 7, policy->total_successful_session_count);
  tr_sqlite_bind_count (stmt, 8, policy->total_failure_session_count);
  tr_sqlite_bind_text (stmt, 9, domain);
  if (!tr_sqlite_step_done (store, stmt, "inserting a policy", error))
    return FALSE;
  policy_row = sqlite3_last_insert_rowid (store->db);
  return summarize_sessions (store, report_row, report, policy, domain, error)
         && insert_failures (store, policy_row, policy, error);
}

/* insert_warnings - the warnings kept with report row @report_row */
static gboolean
insert_warnings (TrSqliteStore *store, gint64 report_row, const TrReport *report, GError **error)
{
  for (guint i = 0; i < report->warnings->len; i++)
    {
      const TrWarning *warning = g_ptr_array_index (report->warnings, i);
      sqlite3_stmt *stmt = tr_sqlite_statement (store, STMT_INSERT_WARNING, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, report_row);
      tr_sqlite_bind_text (stmt, 2, warning->code);
      tr_sqlite_bind_text (stmt, 3, warning->text);
      if (!tr_sqlite_step_done (store, stmt, "keeping a warning", error))
        return FALSE;
    }
  return TRUE;
}

/* find_report - the stored report that @report repeats (*@row, 0 if none), whether that one is
 * authenticated, and how many reports with the same reporter and report-id there are */
static gboolean
find_report (TrSqliteStore *store, const TrReport *report, gint64 *row, gboolean *authenticated,
             guint *n_same_key, GError **error)
{
  sqlite3_stmt *stmt = tr_sqlite_statement (store, STMT_FIND_REPORT, error);
  int rc;

  *row = 0;
  *authenticated = FALSE;
  *n_same_key = 0;
  if (stmt == NULL)
    return FALSE;
  tr_sqlite_bind_text (stmt, 1, report->reporter_key);
  tr_sqlite_bind_text (stmt, 2, report->report_id);
  tr_sqlite_bind_text (stmt, 3, report->fingerprint);
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
    return tr_sqlite_error (store, rc, "looking up a report", error);
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
authenticate (TrSqliteStore *store, gint64 row, const TrReport *report, const TrMailInfo *info,
              GError **error)
{
  sqlite3_stmt *stmt = tr_sqlite_statement (store, STMT_AUTHENTICATE_REPORT, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row);
  tr_sqlite_bind_text (stmt, 2, report->dkim_result);
  tr_sqlite_bind_text (stmt, 3, report->dkim_domain);
  sqlite3_bind_int (stmt, 4, report->dkim_aligned);
  tr_sqlite_bind_text (stmt, 5, info->message_id);
  tr_sqlite_bind_text (stmt, 6, info->subject);
  tr_sqlite_bind_text (stmt, 7, info->from);
  tr_sqlite_bind_text (stmt, 8, info->date);
  tr_sqlite_bind_text (stmt, 9, info->tls_report_domain);
  tr_sqlite_bind_text (stmt, 10, info->tls_report_submitter);
  return tr_sqlite_step_done (store, stmt, "recording an authenticated delivery", error);
}

/* count_repeat - a delivery of the stored report @row: count it; an authenticated delivery of
 * a report stored unauthenticated records its verdict */
static gboolean
count_repeat (TrSqliteStore *store, gint64 row, gboolean row_authenticated, const TrReport *report,
              const TrMailInfo *info, const char *received_at, TrStoreResult *result,
              GError **error)
{
  sqlite3_stmt *stmt = tr_sqlite_statement (store, STMT_REPEAT_REPORT, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row);
  tr_sqlite_bind_text (stmt, 2, received_at);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return tr_sqlite_error (store, rc, "counting a repeat delivery", error);
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

/* insert_report - @report as a new row, with its policies, failure details and warnings */
static gboolean
insert_report (TrSqliteStore *store, const TrReport *report, const TrMailInfo *info,
               const TrArrival *arrival, TrStoreResult *result, GError **error)
{
  sqlite3_stmt *stmt = tr_sqlite_statement (store, STMT_INSERT_REPORT, error);
  gsize json_len;
  const char *json = g_bytes_get_data (report->raw_json, &json_len);

  if (stmt == NULL)
    return FALSE;
  tr_sqlite_bind_text (stmt, 1, report->reporter_key);
  tr_sqlite_bind_text (stmt, 2, report->organization_name);
  tr_sqlite_bind_text (stmt, 3, report->contact_info);
  tr_sqlite_bind_text (stmt, 4, report->report_id);
  sqlite3_bind_int (stmt, 5, report->report_id_synthesized ? 1 : 0);
  tr_sqlite_bind_text (stmt, 6, report->start_datetime);
  tr_sqlite_bind_text (stmt, 7, report->end_datetime);
  sqlite3_bind_text64 (stmt, 8, json ? json : "", json_len, SQLITE_STATIC, SQLITE_UTF8);
  tr_sqlite_bind_text (stmt, 9, info->message_id);
  tr_sqlite_bind_text (stmt, 10, info->subject);
  tr_sqlite_bind_text (stmt, 11, info->from);
  tr_sqlite_bind_text (stmt, 12, info->date);
  tr_sqlite_bind_text (stmt, 13, info->tls_report_domain);
  tr_sqlite_bind_text (stmt, 14, info->tls_report_submitter);
  tr_sqlite_bind_text (stmt, 15, arrival->received_at);
  tr_sqlite_bind_text (stmt, 16, report->dkim_result);
  tr_sqlite_bind_text (stmt, 17, report->dkim_domain);
  if (report->dkim_aligned >= 0)
    sqlite3_bind_int (stmt, 18, report->dkim_aligned);
  tr_sqlite_bind_text (stmt, 19, report->report_day);
  tr_sqlite_bind_text (stmt, 20, report->fingerprint);
  tr_sqlite_bind_text (stmt, 21, arrival->via);
  tr_sqlite_bind_text (stmt, 22, arrival->client_address);
  if (!tr_sqlite_step_done (store, stmt, "inserting a report", error))
    return FALSE;

  result->outcome = TR_STORE_STORED;
  result->report_row = sqlite3_last_insert_rowid (store->db);
  result->deliveries = 1;
  for (guint i = 0; i < report->policies->len; i++)
    {
      const TrPolicy *policy = g_ptr_array_index (report->policies, i);

      if (!insert_policy (store, result->report_row, report, info, policy, error))
        return FALSE;
      result->n_failures += policy->failures->len;
    }
  result->n_policies = report->policies->len;
  return insert_warnings (store, result->report_row, report, error);
}

/* tr_sqlite_add_report - insert @report, or count a repeat delivery */
gboolean
tr_sqlite_add_report (TrStore *base, const TrReport *report, const TrMailInfo *info,
                      const TrArrival *arrival, TrStoreResult *result, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  gint64 row;
  gboolean row_authenticated;
  guint n_same_key;

  /* Under BEGIN IMMEDIATE nobody else writes between this look-up and the write. */
  if (!find_report (store, report, &row, &row_authenticated, &n_same_key, error))
    return FALSE;
  if (row != 0)
    {
      result->same_key = n_same_key - 1;
      return count_repeat (store, row, row_authenticated, report, info, arrival->received_at,
                           result, error);
    }
  result->same_key = n_same_key;
  return insert_report (store, report, info, arrival, result, error);
}

/* tr_sqlite_has_report - whether @report (same key and content) is stored */
gboolean
tr_sqlite_has_report (TrStore *base, const TrReport *report, gboolean *found, GError **error)
{
  gint64 row;
  gboolean authenticated;
  guint n_same_key;

  if (!find_report (SQLITE_STORE (base), report, &row, &authenticated, &n_same_key, error))
    return FALSE;
  *found = row != 0;
  return TRUE;
}

/* fits_budget - whether @len more bytes of messages fit in the rejected budget */
static gboolean
fits_budget (TrSqliteStore *store, gsize len, gboolean *fits, GError **error)
{
  sqlite3_stmt *stmt = tr_sqlite_statement (store, STMT_REJECTED_BYTES, error);
  guint64 budget = store->base.rejected_budget;
  gint64 used;
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  used = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tr_sqlite_error (store, rc, "reading the size of rejected", error);
  *fits = used >= 0 && (guint64) used <= budget && len <= budget - (guint64) used;
  return TRUE;
}

/* repeat_rejected - a message that is in `rejected` already (row @id): count the delivery (if
 * @count), take today's reason, and keep its bytes now if they were dropped and now fit */
static gboolean
repeat_rejected (TrSqliteStore *store, gint64 id, gboolean dropped,
                 const TrRejectedMessage *message, const TrArrival *arrival, gboolean count,
                 TrRejectedOutcome *outcome, GError **error)
{
  sqlite3_stmt *stmt;
  gsize len;
  const void *data = g_bytes_get_data (message->raw, &len);
  gboolean fits = FALSE;

  *outcome = count ? TR_REJECTED_REPEAT : TR_REJECTED_KNOWN;
  if (count)
    {
      stmt = tr_sqlite_statement (store, STMT_REPEAT_REJECTED, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      tr_sqlite_bind_text (stmt, 2, arrival->received_at);
      tr_sqlite_bind_text (stmt, 3, message->reason);
      if (!tr_sqlite_step_done (store, stmt, "counting a rejected message", error))
        return FALSE;
    }
  if (!dropped)
    return TRUE;
  if (!fits_budget (store, len, &fits, error))
    return FALSE;
  if (!fits)
    return TRUE;
  stmt = tr_sqlite_statement (store, STMT_KEEP_REJECTED_BYTES, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_blob64 (stmt, 2, data ? data : "", len, SQLITE_STATIC);
  return tr_sqlite_step_done (store, stmt, "keeping a rejected message", error);
}

/* find_rejected - the row of `rejected` with @fingerprint: *@id (0 if none), *@dropped */
static gboolean
find_rejected (TrSqliteStore *store, const char *fingerprint, gint64 *id, gboolean *dropped,
               GError **error)
{
  sqlite3_stmt *stmt = tr_sqlite_statement (store, STMT_FIND_REJECTED, error);
  int rc;

  *id = 0;
  *dropped = FALSE;
  if (stmt == NULL)
    return FALSE;
  tr_sqlite_bind_text (stmt, 1, fingerprint);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *id = sqlite3_column_int64 (stmt, 0);
      *dropped = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tr_sqlite_error (store, rc, "looking up a rejected message", error);
  return TRUE;
}

/* under_request_cap - whether one more row that came over HTTPS fits the cap on them */
static gboolean
under_request_cap (TrSqliteStore *store, gboolean *under, GError **error)
{
  sqlite3_stmt *stmt = tr_sqlite_statement (store, STMT_REJECTED_REQUESTS, error);
  gint64 rows;
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  rows = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tr_sqlite_error (store, rc, "counting rejected requests", error);
  *under = rows < 0 || (guint64) rows < store->base.rejected_requests;
  return TRUE;
}

/* tr_sqlite_add_rejected - keep a message that yielded no usable report, once */
gboolean
tr_sqlite_add_rejected (TrStore *base, const TrRejectedMessage *message, const TrArrival *arrival,
                        gboolean count_repeat, TrRejectedOutcome *outcome, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  sqlite3_stmt *stmt;
  gsize len;
  const void *data = g_bytes_get_data (message->raw, &len);
  gboolean fits = FALSE, dropped;
  gint64 id = 0;

  if (message->fingerprint != NULL
      && !find_rejected (store, message->fingerprint, &id, &dropped, error))
    return FALSE;
  if (id != 0)
    return repeat_rejected (store, id, dropped, message, arrival, count_repeat, outcome, error);
  if (g_strcmp0 (arrival->via, "https") == 0 && store->base.rejected_requests != G_MAXUINT64)
    {
      gboolean under = FALSE;

      if (!under_request_cap (store, &under, error))
        return FALSE;
      if (!under)
        {
          *outcome = TR_REJECTED_NOT_KEPT;
          return TRUE;
        }
    }
  if (!fits_budget (store, len, &fits, error))
    return FALSE;
  stmt = tr_sqlite_statement (store, STMT_INSERT_REJECTED, error);
  if (stmt == NULL)
    return FALSE;
  tr_sqlite_bind_text (stmt, 1, arrival->received_at);
  tr_sqlite_bind_text (stmt, 2, message->reason);
  sqlite3_bind_blob64 (stmt, 3, fits && data ? data : "", fits ? len : 0, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) message->message_size);
  sqlite3_bind_int (stmt, 5, message->message_size > len ? 1 : 0);
  if (message->info != NULL)
    {
      tr_sqlite_bind_text (stmt, 6, message->info->message_id);
      tr_sqlite_bind_text (stmt, 7, message->info->subject);
      tr_sqlite_bind_text (stmt, 8, message->info->from);
    }
  tr_sqlite_bind_text (stmt, 9, message->fingerprint);
  sqlite3_bind_int (stmt, 10, fits ? 0 : 1);
  tr_sqlite_bind_text (stmt, 11, arrival->via);
  tr_sqlite_bind_text (stmt, 12, arrival->client_address);
  tr_sqlite_bind_text (stmt, 13, arrival->media_type);
  tr_sqlite_bind_text (stmt, 14, arrival->content_encoding);
  tr_sqlite_bind_text (stmt, 15, arrival->user_agent);
  *outcome = fits ? TR_REJECTED_KEPT : TR_REJECTED_KEPT_WITHOUT_BYTES;
  return tr_sqlite_step_done (store, stmt, "keeping a rejected message", error);
}

/* tr_sqlite_next_rejected - the row of `rejected` after @after_id, with its bytes */
gboolean
tr_sqlite_next_rejected (TrStore *base, gint64 after_id, TrRejectedRow *row, gboolean *found,
                         GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (sqlite3_stmt) stmt
      = tr_sqlite_prepare (store,
                           "SELECT id, raw_message, message_size, received_at, reason,"
                           " raw_dropped, truncated, deliveries, received_via, client_address,"
                           " media_type, content_encoding, user_agent FROM rejected"
                           " WHERE id > ?1 ORDER BY id LIMIT 1",
                           error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return tr_sqlite_error (store, rc, "reading rejected messages", error);
  row->id = sqlite3_column_int64 (stmt, 0);
  row->raw = g_bytes_new (sqlite3_column_blob (stmt, 1), (gsize) sqlite3_column_bytes (stmt, 1));
  row->kept_size = g_bytes_get_size (row->raw);
  row->message_size = (guint64) MAX (sqlite3_column_int64 (stmt, 2), 0);
  row->received_at = tr_sqlite_dup_text (stmt, 3);
  row->reason = tr_sqlite_dup_text (stmt, 4);
  row->raw_dropped = sqlite3_column_int (stmt, 5);
  row->truncated = sqlite3_column_int (stmt, 6);
  row->deliveries = sqlite3_column_int64 (stmt, 7);
  row->received_via = tr_sqlite_dup_text (stmt, 8);
  row->client_address = tr_sqlite_dup_text (stmt, 9);
  row->media_type = tr_sqlite_dup_text (stmt, 10);
  row->content_encoding = tr_sqlite_dup_text (stmt, 11);
  row->user_agent = tr_sqlite_dup_text (stmt, 12);
  *found = TRUE;
  return TRUE;
}

/* run_on_row - run @sql with ?1 = @id and ?2 = @text (if not NULL) to completion */
static gboolean
run_on_row (TrSqliteStore *store, const char *sql, gint64 id, const char *text, const char *what,
            GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = tr_sqlite_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  tr_sqlite_bind_text (stmt, 2, text);
  return tr_sqlite_step_done (store, stmt, what, error);
}

gboolean
tr_sqlite_delete_rejected (TrStore *base, gint64 id, GError **error)
{
  return run_on_row (SQLITE_STORE (base), "DELETE FROM rejected WHERE id = ?1", id, NULL,
                     "removing a rejected message", error);
}

gboolean
tr_sqlite_set_rejected_reason (TrStore *base, gint64 id, const char *reason, GError **error)
{
  return run_on_row (SQLITE_STORE (base), "UPDATE rejected SET reason = ?2 WHERE id = ?1", id,
                     reason, "updating a rejected message", error);
}

/* count_rows - the single integer that @sql with ?1 = @day and ?2 = @limit returns */
static gboolean
count_rows (TrSqliteStore *store, const char *sql, const char *day, gint64 limit, gint64 *n,
            GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = tr_sqlite_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  tr_sqlite_bind_text (stmt, 1, day);
  sqlite3_bind_int64 (stmt, 2, limit);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return tr_sqlite_error (store, rc, "counting old rows", error);
  *n = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* delete_rows - run the DELETE @sql with ?1 = @day and ?2 = @limit */
static gboolean
delete_rows (TrSqliteStore *store, const char *sql, const char *day, gint64 limit, const char *what,
             GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = tr_sqlite_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  tr_sqlite_bind_text (stmt, 1, day);
  sqlite3_bind_int64 (stmt, 2, limit);
  return tr_sqlite_step_done (store, stmt, what, error);
}

#define OLD_REPORTS "SELECT id FROM reports WHERE report_day < ?1 ORDER BY id LIMIT ?2"
#define OLD_REJECTED "SELECT id FROM rejected WHERE received_at < ?1 ORDER BY id LIMIT ?2"

/* tr_sqlite_prune_reports - delete (or count) up to @limit reports from before @before_day;
 * policies, failure details and warnings follow by ON DELETE CASCADE, summaries by trigger */
gboolean
tr_sqlite_prune_reports (TrStore *base, const char *before_day, gint64 limit, gboolean dry_run,
                         TrPruneCounts *counts, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
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
  if (!dry_run
      && !delete_rows (store, "DELETE FROM reports WHERE id IN (" OLD_REPORTS ")", before_day,
                       limit, "deleting old reports", error))
    return FALSE;
  counts->reports += reports;
  counts->policies += policies;
  counts->failures += failures;
  return TRUE;
}

/* tr_sqlite_prune_rejected - delete (or count) up to @limit rejected messages */
gboolean
tr_sqlite_prune_rejected (TrStore *base, const char *before_day, gint64 limit, gboolean dry_run,
                          TrPruneCounts *counts, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  gint64 rejected;

  if (!count_rows (store, "SELECT count(*) FROM (" OLD_REJECTED ")", before_day, limit, &rejected,
                   error))
    return FALSE;
  if (rejected > 0 && !dry_run
      && !delete_rows (store, "DELETE FROM rejected WHERE id IN (" OLD_REJECTED ")", before_day,
                       limit, "deleting old rejected messages", error))
    return FALSE;
  counts->rejected += rejected;
  return TRUE;
}
