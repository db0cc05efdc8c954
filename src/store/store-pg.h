/* store-pg.h - the PostgreSQL backend's own header, for its files only: store-pg.c (the
 * connection, the schema, transactions), store-pg-exec.c (statements in the pipeline, values
 * in and out, cursors, errors), store-pg-write.c (reports, rejected, prune), store-pg-read.c
 * (the reads) and store-pg-copy.c (what tlsrptdb copy reads and writes).  The backend is built
 * as the module store-pg, so that only a process that uses PostgreSQL loads libpq.
 *
 * To add an operation: its function in the file of its kind, a line below, and a line in the
 * table of store-pg.c.
 */
#pragma once

#include <libpq-fe.h>

#include "store-backend.h"

/* The statements prepared once per connection (on first use, in the same round trip). */
enum
{
  PG_STMT_ADD_REPORT,
  PG_STMT_AUTHENTICATE,
  PG_STMT_HAS_REPORT,
  PG_STMT_LOCK_REJECTED_BYTES,
  PG_STMT_FIND_REJECTED,
  PG_STMT_REPEAT_REJECTED,
  PG_STMT_KEEP_REJECTED_BYTES,
  PG_STMT_INSERT_REJECTED,
  PG_STMT_COPY_REPORT,
  PG_STMT_COPY_REJECTED,
  PG_STMT_REJECTED_REQUESTS,
  N_PG_STMTS
};

typedef struct
{
  TrStore base;
  PGconn *conn;
  char *name;             /* the database, for messages */
  gboolean begin_pending; /* tr_store_begin: BEGIN goes with the next statement */
  gboolean in_block;      /* BEGIN was sent: COMMIT or ROLLBACK it */
  gboolean prepared[N_PG_STMTS];
  guint cursors; /* cursors opened, for their names */
} TrPgStore;

#define PG_STORE(store) ((TrPgStore *) (store))

/* --- the parameters of a statement (store-pg-exec.c) ----------------------------------------- */

typedef struct
{
  GPtrArray *values; /* const char *, NULL for SQL NULL */
  GArray *lengths;   /* int: of binary values */
  GArray *formats;   /* int: 1 binary, 0 text */
  GPtrArray *owned;  /* what the values point to that is ours */
} TrPgParams;

void tr_pg_params_init (TrPgParams *p);
void tr_pg_params_clear (TrPgParams *p);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrPgParams, tr_pg_params_clear)
/* tr_pg_add_text - a text value (NULL: SQL NULL), made valid UTF-8 if it is not (PostgreSQL
 * refuses invalid UTF-8 and NUL: a value that every retry fails on would defer a message
 * forever); returns its number ($N) */
int tr_pg_add_text (TrPgParams *p, const char *text);
/* tr_pg_add_text_len - the same for @len bytes that may hold NUL */
int tr_pg_add_text_len (TrPgParams *p, const char *text, gsize len);
/* tr_pg_add_owned - a text value that is ours already (valid UTF-8, NULL: SQL NULL) */
int tr_pg_add_owned (TrPgParams *p, char *text);
int tr_pg_add_int (TrPgParams *p, gint64 value);
/* tr_pg_add_count - a count, SQL NULL for TR_COUNT_ABSENT */
int tr_pg_add_count (TrPgParams *p, gint64 count);
int tr_pg_add_bool (TrPgParams *p, gboolean value);
/* tr_pg_add_bytes - a bytea value, sent in binary (any bytes) */
int tr_pg_add_bytes (TrPgParams *p, const void *data, gsize len);

/* An array value being built, as PostgreSQL's text form: {"a","b",NULL}. */
typedef struct
{
  GString *text;
  guint n;
} TrPgArray;

void tr_pg_array_init (TrPgArray *a);
/* tr_pg_array_text - a text element (NULL: NULL), made valid UTF-8 if it is not */
void tr_pg_array_text (TrPgArray *a, const char *text);
void tr_pg_array_int (TrPgArray *a, gint64 value);
/* tr_pg_array_count - a count element, NULL for TR_COUNT_ABSENT */
void tr_pg_array_count (TrPgArray *a, gint64 count);
/* tr_pg_add_array - @a as the next parameter (its text is taken; @a is cleared) */
int tr_pg_add_array (TrPgParams *p, TrPgArray *a);

/* --- statements (store-pg-exec.c) --------------------------------------------------------- */

/* tr_pg_exec - run @sql with @params (may be NULL) and return its result (rows or a command's
 * status; PQclear it), or NULL with @error.  @stmt >= 0 names a kept statement (prepared in the
 * same round trip the first time), -1 an unnamed one.  A pending BEGIN goes first.  @what says
 * what it was doing, for the message. */
PGresult *tr_pg_exec (TrPgStore *s, int stmt, const char *sql, TrPgParams *params, const char *what,
                      GError **error);
/* tr_pg_command - run @sql without parameters or rows */
gboolean tr_pg_command (TrPgStore *s, const char *sql, const char *what, GError **error);
/* tr_pg_sqlstate_error - the TR_ERROR code of a failure with @sqlstate (NULL: the connection) */
int tr_pg_sqlstate_error (const char *sqlstate);
/* tr_pg_error_line - @message on one line (libpq's end with a newline and may hold several) */
char *tr_pg_error_line (const char *message);
/* tr_pg_result_message - what failed in @res, on one line */
char *tr_pg_result_message (const PGresult *res);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* Values out of a row: NULL is NULL (text), TR_COUNT_ABSENT (count), -1 (flag), 0 (int). */
const char *tr_pg_text (const PGresult *res, int row, int column);
char *tr_pg_dup (const PGresult *res, int row, int column);
gint64 tr_pg_int (const PGresult *res, int row, int column);
gint64 tr_pg_count (const PGresult *res, int row, int column);
int tr_pg_flag (const PGresult *res, int row, int column);
/* tr_pg_bytes - a bytea column sent as text (\x...), decoded */
GBytes *tr_pg_bytes (const PGresult *res, int row, int column);

/* A cursor over the rows of a query, fetched in batches (memory: one batch). */
typedef struct
{
  TrPgStore *store;
  char *name;
  PGresult *batch;
  int row; /* the current row of batch */
  gboolean done;
} TrPgCursor;

/* tr_pg_read_begin - a read-only transaction (one snapshot) for a read that needs one, unless
 * one is open; *@own says whether to end it with tr_pg_read_end */
gboolean tr_pg_read_begin (TrPgStore *s, gboolean *own, GError **error);
void tr_pg_read_end (TrPgStore *s, gboolean own);
/* tr_pg_cursor_open - a cursor over @sql (inside a transaction) */
gboolean tr_pg_cursor_open (TrPgStore *s, TrPgCursor *c, const char *sql, TrPgParams *params,
                            GError **error);
/* tr_pg_cursor_next - the next row (*@res and *@row, borrowed), FALSE at the end or on error */
gboolean tr_pg_cursor_next (TrPgCursor *c, const PGresult **res, int *row, GError **error);
/* tr_pg_cursor_peek - the current row without moving past it (FALSE at the end or on error) */
gboolean tr_pg_cursor_peek (TrPgCursor *c, const PGresult **res, int *row, GError **error);
void tr_pg_cursor_close (TrPgCursor *c);

/* TS(x) - an instant as the contract's text, "YYYY-MM-DDTHH:MM:SSZ" */
#define TS(x) "to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* AUTHENTICATED(r) - a report whose DKIM signature our MTA verified, aligned with the reporter */
#define AUTHENTICATED(r) "(" r ".dkim_result = 'pass' AND " r ".dkim_aligned IS TRUE)"
/* SAME_KEY(r, key, id) - a report @r with the reporter @key and report-id @id (by the dedup
 * index, whose columns are md5() of them) */
#define SAME_KEY(r, key, id)                                                                       \
  "md5(" r ".reporter_key) = md5(" key ") AND md5(" r ".report_id) = md5(" id ") AND " r           \
  ".reporter_key = " key " AND " r ".report_id = " id

/* --- the operations ----------------------------------------------------------------------- */

/* the writes (store-pg-write.c) */
gboolean tr_pg_add_report (TrStore *store, const TrReport *report, const TrMailInfo *info,
                           const TrArrival *arrival, TrStoreResult *result, GError **error);
gboolean tr_pg_has_report (TrStore *store, const TrReport *report, gboolean *found, GError **error);
gboolean tr_pg_add_rejected (TrStore *store, const TrRejectedMessage *message,
                             const TrArrival *arrival, gboolean count_repeat,
                             TrRejectedOutcome *outcome, GError **error);
gboolean tr_pg_next_rejected (TrStore *store, gint64 after_id, TrRejectedRow *row, gboolean *found,
                              GError **error);
gboolean tr_pg_delete_rejected (TrStore *store, gint64 id, GError **error);
gboolean tr_pg_set_rejected_reason (TrStore *store, gint64 id, const char *reason, GError **error);
gboolean tr_pg_prune_reports (TrStore *store, const char *before_day, gint64 limit,
                              gboolean dry_run, TrPruneCounts *counts, GError **error);
gboolean tr_pg_prune_rejected (TrStore *store, const char *before_day, gint64 limit,
                               gboolean dry_run, TrPruneCounts *counts, GError **error);
/* tr_pg_add_contents - the parameters of a report's policies, failure details, warnings and
 * summaries (the arrays that tr_pg_contents_sql inserts), $23 .. $52 */
void tr_pg_add_contents (TrPgParams *p, const TrReport *report, const TrMailInfo *info);

/* the reads (store-pg-read.c) */
gboolean tr_pg_each_session (TrStore *store, const TrQueryFilter *filter, TrSessionFunc func,
                             gpointer data, GError **error);
gboolean tr_pg_each_detail (TrStore *store, const TrQueryFilter *filter, TrDetailFunc func,
                            gpointer data, GError **error);
gboolean tr_pg_each_failure (TrStore *store, const TrQueryFilter *filter, TrFailureFunc func,
                             gpointer data, GError **error);
gboolean tr_pg_each_report (TrStore *store, const TrQueryFilter *filter, TrReportFunc func,
                            gpointer data, GError **error);
gboolean tr_pg_find_reports (TrStore *store, const char *which, TrStoredReportFunc func,
                             gpointer data, GError **error);
gboolean tr_pg_info (TrStore *store, TrStoreInfo *info, GError **error);
gboolean tr_pg_each_name (TrStore *store, TrNameKind kind, TrNameFunc func, gpointer data,
                          GError **error);
gboolean tr_pg_each_source (TrStore *store, const TrQueryFilter *filter, TrSourceFunc func,
                            gpointer data, GError **error);
gboolean tr_pg_each_policy (TrStore *store, const TrQueryFilter *filter, TrPolicyFunc func,
                            gpointer data, GError **error);
gboolean tr_pg_each_rejected (TrStore *store, const TrRejectedFilter *filter, TrRejectedFunc func,
                              gpointer data, GError **error);
gboolean tr_pg_count_rejected (TrStore *store, const TrRejectedFilter *filter, gint64 *count,
                               gint64 *kept_bytes, GError **error);
gboolean tr_pg_find_rejected (TrStore *store, gint64 id, gboolean with_raw, TrRejectedRow *row,
                              gboolean *found, GError **error);
gboolean tr_pg_begin_read (TrStore *store, GError **error);
void tr_pg_end_read (TrStore *store);
gboolean tr_pg_each_coverage (TrStore *store, const TrQueryFilter *filter, TrSessionFunc func,
                              gpointer data, GError **error);
gboolean tr_pg_each_domain_sessions (TrStore *store, const TrQueryFilter *filter,
                                     TrSessionFunc func, gpointer data, GError **error);
gboolean tr_pg_each_result_type (TrStore *store, const TrQueryFilter *filter, TrDetailFunc func,
                                 gpointer data, GError **error);

/* The columns of a report that make a TrStoredReport (tr_pg_stored_from_row). */
#define PG_REPORT_COLUMNS(r)                                                                       \
  r ".id, " r ".reporter_key, " r ".report_id, " r ".report_id_synthesized, " r                    \
    ".organization_name, " r ".contact_info, " TS (r ".start_datetime") ", " TS (                  \
        r ".end_datetime") ", " r ".report_day, " r ".message_id, " r ".subject, " r               \
                           ".mail_from, " TS (                                                     \
                               r ".mail_date") ", " r ".tls_report_domain, " r                     \
                                               ".tls_report_submitter, " TS (                      \
                                                   r ".received_at") ", " TS (r ".last_received_"  \
                                                                                "at") ", " r       \
                                                                                      ".deliverie" \
                                                                                      "s, " r      \
                                                                                      ".dkim_"     \
                                                                                      "result, " r \
                                                                                      ".dkim_"     \
                                                                                      "domain, " r \
                                                                                      ".dkim_"     \
                                                                                      "aligned,"   \
                                                                                      " " r        \
                                                                                      ".content_"  \
                                                                                      "sha256, " r \
                                                                                      ".received_" \
                                                                                      "via, " r    \
                                                                                      ".client_"   \
                                                                                      "address,"   \
                                                                                      " " r        \
                                                                                      ".raw_json"
#define PG_REPORT_N_COLUMNS 25
/* tr_pg_stored_from_row - a stored report from the PG_REPORT_COLUMNS at @column of @row */
TrStoredReport *tr_pg_stored_from_row (const PGresult *res, int row, int column);
/* tr_pg_policy_from_row - a policy from the PG_POLICY_COLUMNS at @column of @row */
#define PG_POLICY_COLUMNS(p)                                                                       \
  p ".policy_index, " p ".policy_type, " p ".policy_domain, " p ".policy_string, " p               \
    ".mx_host, " p ".total_successful_session_count, " p ".total_failure_session_count"
TrPolicy *tr_pg_policy_from_row (const PGresult *res, int row, int column);
/* tr_pg_failure_from_row - a failure detail from the PG_FAILURE_COLUMNS at @column of @row */
#define PG_FAILURE_COLUMNS(f)                                                                      \
  f ".result_type, " f ".sending_mta_ip, " f ".receiving_mx_hostname, " f ".receiving_mx_helo, " f \
    ".receiving_ip, " f ".failed_session_count, " f ".additional_information, " f                  \
    ".failure_reason_code"
TrFailure *tr_pg_failure_from_row (const PGresult *res, int row, int column);
/* tr_pg_warn_from_row - the warning (code, text) at @column of @row, to @report */
void tr_pg_warn_from_row (TrReport *report, const PGresult *res, int row, int column);

/* what tlsrptdb copy reads and writes (store-pg-copy.c) */
gboolean tr_pg_each_stored (TrStore *store, gint64 after_row, TrStoredReportFunc func,
                            gpointer data, GError **error);
gboolean tr_pg_copy_report (TrStore *store, const TrStoredReport *stored, gboolean *added,
                            GError **error);
gboolean tr_pg_copy_rejected (TrStore *store, const TrRejectedRow *row, gboolean *added,
                              GError **error);

/* The columns of a report that tlsrptdb writes, and their values from $1 .. $22
 * (tr_pg_add_report_params); last_received_at is @last. */
#define PG_REPORT_INSERT_COLUMNS                                                                   \
  "reporter_key, organization_name, contact_info, report_id, report_id_synthesized,"               \
  " start_datetime, end_datetime, report_day, raw_json, message_id, subject, mail_from,"           \
  " mail_date, tls_report_domain, tls_report_submitter, received_at, last_received_at,"            \
  " dkim_result, dkim_domain, dkim_aligned, content_sha256, received_via, client_address"
#define PG_REPORT_INSERT_VALUES(last)                                                              \
  "$1::text, $2::text, $3::text, $4::text, $5::boolean, $6::timestamptz, $7::timestamptz,"         \
  " $8::date, $9::text, $10::text, $11::text, $12::text, $13::timestamptz, $14::text, $15::text,"  \
  " $16::timestamptz, " last ", $17::text, $18::text, $19::boolean, $20::text, $21::text,"         \
  " $22::text"
/* tr_pg_add_report_params - $1 .. $22 of PG_REPORT_INSERT_VALUES (store-pg-write.c) */
void tr_pg_add_report_params (TrPgParams *p, const TrReport *report, const TrMailInfo *info,
                              const char *received_at, const char *via, const char *client_address);

/* tr_pg_contents_sql - the data-modifying CTEs that insert the policies, failure details,
 * warnings and summaries of the report that a CTE "new" returns (its id), whose report_day and
 * reporter_key are $8 and $1, from the arrays of tr_pg_add_contents at $23 .. $52
 * (store-pg-write.c) */
extern const char tr_pg_contents_sql[];
#define PG_CONTENTS_FIRST 23
