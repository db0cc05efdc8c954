/* store-sqlite-copy.c - the SQLite backend: what `tlsrptdb copy` reads and writes
 *
 * Reading: every report whole, in row order, in one read transaction (a consistent snapshot of
 * a database that ingests keep writing), one report in memory at a time.  Writing: a report or
 * a rejected message with every column the other database kept, unless it is here (by the
 * same key as import, by fingerprint), under a new row id (doc/design.md, "copy").
 */
#include "config.h"

#include "error.h"
#include "store-sqlite.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* each_in_snapshot - the reports after @after_row, inside the open read transaction */
static gboolean
each_in_snapshot (TrSqliteStore *store, gint64 after_row, TrStoredReportFunc func, gpointer data,
                  GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = tr_sqlite_prepare (
      store, "SELECT " TR_SQLITE_REPORT_COLUMNS " FROM reports WHERE id > ?1 ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after_row);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (TrStoredReport) stored = tr_sqlite_stored_from_row (stmt);

      if (!tr_sqlite_load_parts (store, stored, FALSE, error))
        return FALSE;
      if (!func (g_steal_pointer (&stored), data, error))
        return error == NULL || *error == NULL;
    }
  if (rc != SQLITE_DONE)
    return tr_sqlite_error (store, rc, "reading reports", error);
  return TRUE;
}

/* tr_sqlite_each_stored - every report after @after_row, whole, from one snapshot */
gboolean
tr_sqlite_each_stored (TrStore *base, gint64 after_row, TrStoredReportFunc func, gpointer data,
                       GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  gboolean own = !base->in_transaction && sqlite3_get_autocommit (store->db);
  gboolean ok;

  if (own && !tr_sqlite_exec (store, "BEGIN", error))
    return FALSE;
  ok = each_in_snapshot (store, after_row, func, data, error);
  if (own)
    sqlite3_exec (store->db, "COMMIT", NULL, NULL, NULL); /* it only read */
  return ok;
}

/* find_copy - whether a report of @report's reporter, report-id and content (NULL is NULL)
 * is here */
static gboolean
find_copy (TrSqliteStore *store, const TrReport *report, gboolean *found, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt
      = tr_sqlite_prepare (store,
                           "SELECT 1 FROM reports WHERE reporter_key = ?1 AND report_id = ?2"
                           " AND content_sha256 IS ?3 LIMIT 1",
                           error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  tr_sqlite_bind_text (stmt, 1, report->reporter_key);
  tr_sqlite_bind_text (stmt, 2, report->report_id);
  tr_sqlite_bind_text (stmt, 3, report->fingerprint);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tr_sqlite_error (store, rc, "looking up a report", error);
  *found = rc == SQLITE_ROW;
  return TRUE;
}

/* insert_copy - the report row of @stored; its id in *@row */
static gboolean
insert_copy (TrSqliteStore *store, const TrStoredReport *stored, gint64 *row, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt
      = tr_sqlite_prepare (store,
                           "INSERT INTO reports (" TR_SQLITE_REPORT_COLUMNS
                           ") VALUES (NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                           "?14, ?15, ?16, ?17, ?18, ?19, ?20,"
                           " ?21, ?22, ?23, ?24, ?25)",
                           error);
  const TrReport *r = stored->report;
  const TrMailInfo *info = stored->info;
  gsize json_len = 0;
  const char *json = r->raw_json ? g_bytes_get_data (r->raw_json, &json_len) : NULL;
  const char *const text[] = {
    [2] = r->reporter_key,
    [3] = r->report_id,
    [5] = r->organization_name,
    [6] = r->contact_info,
    [7] = r->start_datetime,
    [8] = r->end_datetime,
    [9] = r->report_day,
    [10] = info->message_id,
    [11] = info->subject,
    [12] = info->from,
    [13] = info->date,
    [14] = info->tls_report_domain,
    [15] = info->tls_report_submitter,
    [16] = stored->received_at,
    [17] = stored->last_received_at ? stored->last_received_at : stored->received_at,
    [19] = r->dkim_result,
    [20] = r->dkim_domain,
    [22] = r->fingerprint,
    [23] = stored->received_via,
    [24] = stored->client_address,
  };

  if (stmt == NULL)
    return FALSE;
  for (int i = 2; i < (int) G_N_ELEMENTS (text); i++)
    tr_sqlite_bind_text (stmt, i, text[i]);
  sqlite3_bind_int (stmt, 4, r->report_id_synthesized ? 1 : 0);
  sqlite3_bind_int64 (stmt, 18, MAX (stored->deliveries, 1));
  if (r->dkim_aligned >= 0)
    sqlite3_bind_int (stmt, 21, r->dkim_aligned);
  sqlite3_bind_text64 (stmt, 25, json ? json : "", json_len, SQLITE_STATIC, SQLITE_UTF8);
  if (!tr_sqlite_step_done (store, stmt, "copying a report", error))
    return FALSE;
  *row = sqlite3_last_insert_rowid (store->db);
  return TRUE;
}

/* tr_sqlite_copy_report - @stored with everything it had, unless it is here */
gboolean
tr_sqlite_copy_report (TrStore *base, const TrStoredReport *stored, gboolean *added, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  TrStoreResult result = { 0 };
  gboolean found = FALSE;
  gint64 row;

  /* under BEGIN IMMEDIATE nobody else writes between this look-up and the insert */
  if (!find_copy (store, stored->report, &found, error))
    return FALSE;
  if (found)
    return TRUE;
  if (!insert_copy (store, stored, &row, error)
      || !tr_sqlite_insert_contents (store, row, stored->report, stored->info, &result, error))
    return FALSE;
  *added = TRUE;
  return TRUE;
}

/* find_rejected_copy - whether a message with @fingerprint is in `rejected` */
static gboolean
find_rejected_copy (TrSqliteStore *store, const char *fingerprint, gboolean *found, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt
      = tr_sqlite_prepare (store, "SELECT 1 FROM rejected WHERE fingerprint = ?1 LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  tr_sqlite_bind_text (stmt, 1, fingerprint);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tr_sqlite_error (store, rc, "looking up a rejected message", error);
  *found = rc == SQLITE_ROW;
  return TRUE;
}

/* tr_sqlite_copy_rejected - @row with every column, unless its message is here */
gboolean
tr_sqlite_copy_rejected (TrStore *base, const TrRejectedRow *row, gboolean *added, GError **error)
{
  TrSqliteStore *store = SQLITE_STORE (base);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;
  gsize len;
  const void *raw = g_bytes_get_data (row->raw, &len);

  if (row->fingerprint != NULL && !find_rejected_copy (store, row->fingerprint, &found, error))
    return FALSE;
  if (found)
    return TRUE;
  stmt = tr_sqlite_prepare (
      store,
      "INSERT INTO rejected (received_at, last_received_at, reason, raw_message,"
      " message_size, truncated, message_id, subject, mail_from, fingerprint, deliveries,"
      " raw_dropped, received_via, client_address, media_type, content_encoding, user_agent)"
      " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
      error);
  if (stmt == NULL)
    return FALSE;
  tr_sqlite_bind_text (stmt, 2, row->received_at);
  tr_sqlite_bind_text (stmt, 3, row->last_received_at ? row->last_received_at : row->received_at);
  tr_sqlite_bind_text (stmt, 4, row->reason);
  sqlite3_bind_blob64 (stmt, 5, raw ? raw : "", len, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, (sqlite3_int64) MIN (row->message_size, (guint64) G_MAXINT64));
  sqlite3_bind_int (stmt, 7, row->truncated ? 1 : 0);
  tr_sqlite_bind_text (stmt, 8, row->message_id);
  tr_sqlite_bind_text (stmt, 9, row->subject);
  tr_sqlite_bind_text (stmt, 10, row->mail_from);
  tr_sqlite_bind_text (stmt, 11, row->fingerprint);
  sqlite3_bind_int64 (stmt, 12, MAX (row->deliveries, 1));
  sqlite3_bind_int (stmt, 13, row->raw_dropped ? 1 : 0);
  tr_sqlite_bind_text (stmt, 14, row->received_via);
  tr_sqlite_bind_text (stmt, 15, row->client_address);
  tr_sqlite_bind_text (stmt, 16, row->media_type);
  tr_sqlite_bind_text (stmt, 17, row->content_encoding);
  tr_sqlite_bind_text (stmt, 18, row->user_agent);
  if (!tr_sqlite_step_done (store, stmt, "copying a rejected message", error))
    return FALSE;
  *added = TRUE;
  return TRUE;
}
