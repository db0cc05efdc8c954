/* store-sqlite.h - the SQLite backend's own header, for its files only: store-sqlite.c (the
 * connection, the schema, transactions), store-sqlite-write.c (reports, rejected, prune),
 * store-sqlite-read.c (the reads) and store-sqlite-copy.c (what tlsrptdb copy reads and
 * writes) */
#pragma once

#include <sqlite3.h>

#include "store-backend.h"

/* The statements prepared once per connection and kept. */
enum
{
  STMT_FIND_REPORT,
  STMT_INSERT_REPORT,
  STMT_REPEAT_REPORT,
  STMT_AUTHENTICATE_REPORT,
  STMT_INSERT_POLICY,
  STMT_SUMMARIZE_SESSIONS,
  STMT_INSERT_FAILURE,
  STMT_SUMMARIZE_FAILURES,
  STMT_INSERT_WARNING,
  STMT_FIND_REJECTED,
  STMT_REPEAT_REJECTED,
  STMT_REJECTED_BYTES,
  STMT_KEEP_REJECTED_BYTES,
  STMT_INSERT_REJECTED,
  STMT_REJECTED_REQUESTS,
  N_STMTS
};

typedef struct
{
  TrStore base;
  sqlite3 *db;
  char *path;
  int checkpoint_frames; /* checkpoint the WAL once it holds this many pages */
  gboolean rewind_due;   /* the whole WAL was checkpointed and nothing written since */
  sqlite3_stmt *stmts[N_STMTS];
} TrSqliteStore;

#define SQLITE_STORE(store) ((TrSqliteStore *) (store))

/* tr_sqlite_error - the connection's error @rc as a GError (always FALSE) */
gboolean tr_sqlite_error (TrSqliteStore *s, int rc, const char *what, GError **error);
/* tr_sqlite_statement - the kept statement @which, reset and unbound */
sqlite3_stmt *tr_sqlite_statement (TrSqliteStore *s, int which, GError **error);
/* tr_sqlite_prepare - a one-off statement (finalize it) */
sqlite3_stmt *tr_sqlite_prepare (TrSqliteStore *s, const char *sql, GError **error);
/* tr_sqlite_exec - run SQL without results */
gboolean tr_sqlite_exec (TrSqliteStore *s, const char *sql, GError **error);
/* tr_sqlite_step_done - run an INSERT, UPDATE or DELETE to completion */
gboolean tr_sqlite_step_done (TrSqliteStore *s, sqlite3_stmt *stmt, const char *what,
                              GError **error);
/* tr_sqlite_bind_text - bind @text (static for the statement's run), or leave NULL */
void tr_sqlite_bind_text (sqlite3_stmt *stmt, int index, const char *text);
/* tr_sqlite_bind_count - bind @count, or leave NULL for TR_COUNT_ABSENT */
void tr_sqlite_bind_count (sqlite3_stmt *stmt, int index, gint64 count);
/* tr_sqlite_column_text - column @i as text, or NULL */
const char *tr_sqlite_column_text (sqlite3_stmt *stmt, int i);
/* tr_sqlite_dup_text - column @i as a new string, or NULL */
char *tr_sqlite_dup_text (sqlite3_stmt *stmt, int i);

/* the write operations (store-sqlite-write.c) */
gboolean tr_sqlite_add_report (TrStore *store, const TrReport *report, const TrMailInfo *info,
                               const TrArrival *arrival, TrStoreResult *result, GError **error);
gboolean tr_sqlite_has_report (TrStore *store, const TrReport *report, gboolean *found,
                               GError **error);
gboolean tr_sqlite_add_rejected (TrStore *store, const TrRejectedMessage *message,
                                 const TrArrival *arrival, gboolean count_repeat,
                                 TrRejectedOutcome *outcome, GError **error);
gboolean tr_sqlite_next_rejected (TrStore *store, gint64 after_id, TrRejectedRow *row,
                                  gboolean *found, GError **error);
gboolean tr_sqlite_delete_rejected (TrStore *store, gint64 id, GError **error);
gboolean tr_sqlite_set_rejected_reason (TrStore *store, gint64 id, const char *reason,
                                        GError **error);
gboolean tr_sqlite_prune_reports (TrStore *store, const char *before_day, gint64 limit,
                                  gboolean dry_run, TrPruneCounts *counts, GError **error);
gboolean tr_sqlite_prune_rejected (TrStore *store, const char *before_day, gint64 limit,
                                   gboolean dry_run, TrPruneCounts *counts, GError **error);

/* the reads (store-sqlite-read.c) */
gboolean tr_sqlite_each_session (TrStore *store, const TrQueryFilter *filter, TrSessionFunc func,
                                 gpointer data, GError **error);
gboolean tr_sqlite_each_detail (TrStore *store, const TrQueryFilter *filter, TrDetailFunc func,
                                gpointer data, GError **error);
gboolean tr_sqlite_each_failure (TrStore *store, const TrQueryFilter *filter, TrFailureFunc func,
                                 gpointer data, GError **error);
gboolean tr_sqlite_each_report (TrStore *store, const TrQueryFilter *filter, TrReportFunc func,
                                gpointer data, GError **error);
gboolean tr_sqlite_find_reports (TrStore *store, const char *which, TrStoredReportFunc func,
                                 gpointer data, GError **error);
gboolean tr_sqlite_each_rejected (TrStore *store, const TrRejectedFilter *filter,
                                  TrRejectedFunc func, gpointer data, GError **error);
gboolean tr_sqlite_count_rejected (TrStore *store, const TrRejectedFilter *filter, gint64 *count,
                                   gint64 *kept_bytes, GError **error);
gboolean tr_sqlite_find_rejected (TrStore *store, gint64 id, gboolean with_raw, TrRejectedRow *row,
                                  gboolean *found, GError **error);
gboolean tr_sqlite_info (TrStore *store, TrStoreInfo *info, GError **error);

/* The columns of a report that make a TrStoredReport (tr_sqlite_stored_from_row). */
#define TR_SQLITE_REPORT_COLUMNS                                                                   \
  "id, reporter_key, report_id, report_id_synthesized, organization_name, contact_info,"           \
  " start_datetime, end_datetime, report_day, message_id, subject, mail_from, mail_date,"          \
  " tls_report_domain, tls_report_submitter, received_at, last_received_at, deliveries,"           \
  " dkim_result, dkim_domain, dkim_aligned, content_sha256, received_via, client_address,"         \
  " raw_json"
/* tr_sqlite_stored_from_row - a stored report from the TR_SQLITE_REPORT_COLUMNS of @stmt */
TrStoredReport *tr_sqlite_stored_from_row (sqlite3_stmt *stmt);
/* tr_sqlite_load_parts - the policies, failure details and warnings of @stored, and with
 * @conflicts the other reports of its reporter and report-id (store-sqlite-read.c) */
gboolean tr_sqlite_load_parts (TrSqliteStore *store, TrStoredReport *stored, gboolean conflicts,
                               GError **error);
/* tr_sqlite_insert_contents - the policies, failure details, summaries and warnings of @report
 * as those of report row @report_row, counted in @result (store-sqlite-write.c) */
gboolean tr_sqlite_insert_contents (TrSqliteStore *store, gint64 report_row, const TrReport *report,
                                    const TrMailInfo *info, TrStoreResult *result, GError **error);

/* what tlsrptdb copy reads and writes (store-sqlite-copy.c) */
gboolean tr_sqlite_each_stored (TrStore *store, gint64 after_row, TrStoredReportFunc func,
                                gpointer data, GError **error);
gboolean tr_sqlite_copy_report (TrStore *store, const TrStoredReport *stored, gboolean *added,
                                GError **error);
gboolean tr_sqlite_copy_rejected (TrStore *store, const TrRejectedRow *row, gboolean *added,
                                  GError **error);
gboolean tr_sqlite_each_name (TrStore *store, TrNameKind kind, TrNameFunc func, gpointer data,
                              GError **error);
gboolean tr_sqlite_each_source (TrStore *store, const TrQueryFilter *filter, TrSourceFunc func,
                                gpointer data, GError **error);
gboolean tr_sqlite_each_policy (TrStore *store, const TrQueryFilter *filter, TrPolicyFunc func,
                                gpointer data, GError **error);
gboolean tr_sqlite_begin_read (TrStore *store, GError **error);
void tr_sqlite_end_read (TrStore *store);
gboolean tr_sqlite_each_coverage (TrStore *store, const TrQueryFilter *filter, TrSessionFunc func,
                                  gpointer data, GError **error);
gboolean tr_sqlite_each_domain_sessions (TrStore *store, const TrQueryFilter *filter,
                                         TrSessionFunc func, gpointer data, GError **error);
gboolean tr_sqlite_each_result_type (TrStore *store, const TrQueryFilter *filter, TrDetailFunc func,
                                     gpointer data, GError **error);
