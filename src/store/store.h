/* store.h - the storage interface: what every command asks of the database, whichever it is
 *
 * One table of operations per backend (store-backend.h), in the manner of Postfix's DICT and
 * OpenSMTPD's table_backend: tr_store_open() picks the backend by the database string (a path:
 * SQLite; a PostgreSQL connection string: PostgreSQL), and every function below dispatches to
 * it.  Each backend holds all of its SQL.  Nothing here is SQL: rows come back as plain structs
 * or through callbacks, and the counting rule and the domain key are applied above the
 * interface (counting.h), so that they are defined once for every backend.
 */
#pragma once

#include <glib.h>

#include "counting.h"
#include "report.h"

typedef struct _TrStore TrStore;

typedef enum
{
  TR_STORE_READ_ONLY,  /* must exist and have a schema the reads understand (TR_STORE_READABLE) */
  TR_STORE_READ_WRITE, /* must exist; pending migrations are applied */
  TR_STORE_CREATE,     /* created when missing (with its directory), then migrated */
} TrStoreMode;

/* the oldest schema version the read operations understand (doc/schema.md) */
#define TR_STORE_READABLE 5u
/* how long a writer waits for another writer's lock before giving up (TR_ERROR_TEMPORARY) */
#define TR_STORE_BUSY_TIMEOUT_MS 10000

/* tr_store_open - open the database @db in @mode.
 * Errors: TR_ERROR_NOT_FOUND (missing, and not TR_STORE_CREATE), TR_ERROR_CONFIG (a string that
 * cannot be a database: a device, a directory, a dangling link, a URI of another kind; a backend
 * not compiled in), TR_ERROR_TEMPORARY (cannot open, create or migrate; locked; not a tlsrptdb
 * database; a schema newer than this program, or older than the reads understand). */
TrStore *tr_store_open (const char *db, TrStoreMode mode, GError **error);
void tr_store_close (TrStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrStore, tr_store_close)

/* tr_store_name - the database as given to tr_store_open, for messages */
const char *tr_store_name (TrStore *store);
/* tr_store_backend_name - "sqlite", "postgresql" */
const char *tr_store_backend_name (TrStore *store);

/* --- transactions: one per message (ingest), per batch (import, reprocess, prune) --------- */

/* tr_store_begin - take the write lock (TR_ERROR_TEMPORARY when busy past the timeout) */
gboolean tr_store_begin (TrStore *store, GError **error);
/* tr_store_commit - commit durably: when it returns TRUE, what was written survives a crash */
gboolean tr_store_commit (TrStore *store, GError **error);
/* tr_store_commit_relaxed - commit a transaction that only counted repeat deliveries of
 * reports made durable before: a power cut may lose the count, never a report */
gboolean tr_store_commit_relaxed (TrStore *store, GError **error);
/* tr_store_rollback - undo the open transaction, if any */
void tr_store_rollback (TrStore *store);
/* tr_store_tune_for_batch - many large transactions follow (import) */
void tr_store_tune_for_batch (TrStore *store);

/* --- writing reports ---------------------------------------------------------------------- */

typedef enum
{
  TR_STORE_STORED,
  TR_STORE_DUPLICATE, /* same reporter, report-id and content: deliveries was incremented */
} TrStoreOutcome;

typedef struct
{
  TrStoreOutcome outcome;
  gint64 report_row; /* its row id */
  gint64 deliveries; /* deliveries after this one */
  guint n_policies;  /* rows written (0 for a duplicate) */
  guint n_failures;
  guint same_key;             /* other stored reports with the same reporter and report-id but
                               * other content: a conflict (doc/schema.md, "Duplicates") */
  gboolean authenticated_now; /* a repeat that our MTA authenticated, of a report stored
                               * unauthenticated: its verdict was recorded */
} TrStoreResult;

/* How a message reached us (stored with its reports and in `rejected`). */
typedef struct
{
  const char *received_at;    /* "YYYY-MM-DDTHH:MM:SSZ" */
  const char *via;            /* "mail" or "https" */
  const char *client_address; /* the HTTPS client, or NULL */
  /* the facts of an HTTPS request, kept with it in `rejected` instead of mail headers (NULL for
   * mail, or when the request had none) */
  const char *media_type;       /* Content-Type */
  const char *content_encoding; /* Content-Encoding */
  const char *user_agent;       /* User-Agent */
} TrArrival;

/* tr_store_add_report - insert @report (validated) with its mail facts (@info may be NULL), or
 * count a repeat delivery: a stored report with the same reporter, report-id and content.
 * Another content under the same reporter and report-id is stored beside it.  Inside a
 * transaction. */
gboolean tr_store_add_report (TrStore *store, const TrReport *report, const TrMailInfo *info,
                              const TrArrival *arrival, TrStoreResult *result, GError **error);

/* tr_store_has_report - whether @report (validated) is stored: the same reporter, report-id and
 * content (or a report of that key stored before content was compared) */
gboolean tr_store_has_report (TrStore *store, const TrReport *report, gboolean *found,
                              GError **error);

/* --- the rejected table ------------------------------------------------------------------- */

/* A message to keep in `rejected`. */
typedef struct
{
  GBytes *raw;             /* what was kept of it (at most the size limit) */
  guint64 message_size;    /* its true size */
  const char *reason;      /* why it is kept */
  const TrMailInfo *info;  /* its mail facts, or NULL */
  const char *fingerprint; /* who it is (tr_mail_fingerprint), or NULL */
} TrRejectedMessage;

typedef enum
{
  TR_REJECTED_KEPT,               /* a new row with the message */
  TR_REJECTED_KEPT_WITHOUT_BYTES, /* a new row with its facts; the budget was full */
  TR_REJECTED_REPEAT,             /* it was there: its delivery was counted */
  TR_REJECTED_KNOWN,              /* it was there, and nothing was counted */
  TR_REJECTED_NOT_KEPT,           /* a new request over HTTPS, not kept: the rows of `rejected`
                                   * that came so reached their cap (tr_store_set_rejected_requests) */
} TrRejectedOutcome;

/* tr_store_add_rejected - keep @message in `rejected`, unless a message with the same
 * fingerprint is there: then count the delivery (with @count_repeat) or leave it (import).  Its
 * bytes are kept only while what `rejected` holds stays within the budget
 * (tr_store_set_rejected_budget); beyond it only its facts and reason.  Inside a transaction. */
gboolean tr_store_add_rejected (TrStore *store, const TrRejectedMessage *message,
                                const TrArrival *arrival, gboolean count_repeat,
                                TrRejectedOutcome *outcome, GError **error);

/* tr_store_set_rejected_budget - the bytes of messages `rejected` may hold in all */
void tr_store_set_rejected_budget (TrStore *store, guint64 bytes);
/* tr_store_set_rejected_requests - the rows of `rejected` that came over HTTPS (arrival->via
 * "https") may number at most @rows: a new one beyond it is not kept (TR_REJECTED_NOT_KEPT).
 * Anyone can POST, and a row kept without its bytes still costs its facts; mail is always kept
 * (the MTA deletes its copy).  Default: no cap. */
void tr_store_set_rejected_requests (TrStore *store, guint64 rows);

/* One row of `rejected`. */
typedef struct
{
  gint64 id;
  GBytes *raw; /* NULL unless asked for */
  guint64 message_size;
  gboolean truncated;
  gboolean raw_dropped; /* the bytes were not kept (the budget was full) */
  guint64 kept_size;    /* the bytes of it kept (each_rejected, find_rejected) */
  char *received_at;
  char *last_received_at;
  gint64 deliveries;
  char *reason;
  char *message_id;
  char *subject;
  char *mail_from;
  char *received_via;
  char *client_address;
  char *fingerprint; /* who the message is (tr_mail_fingerprint), or NULL (kept before step 5) */
  char *media_type;  /* the facts of a request over HTTPS (TrArrival) */
  char *content_encoding;
  char *user_agent;
} TrRejectedRow;

void tr_rejected_row_clear (TrRejectedRow *row);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrRejectedRow, tr_rejected_row_clear)

/* tr_store_next_rejected - the row of `rejected` with the smallest id above @after_id, every
 * column with its bytes; *@found is FALSE when there is none */
gboolean tr_store_next_rejected (TrStore *store, gint64 after_id, TrRejectedRow *row,
                                 gboolean *found, GError **error);
/* tr_store_delete_rejected - remove row @id of `rejected`.  Inside a transaction. */
gboolean tr_store_delete_rejected (TrStore *store, gint64 id, GError **error);
/* tr_store_set_rejected_reason - change the reason of row @id.  Inside a transaction. */
gboolean tr_store_set_rejected_reason (TrStore *store, gint64 id, const char *reason,
                                       GError **error);

/* What a listing, count or deletion of `rejected` selects (all optional). */
typedef struct
{
  char *since_day; /* "YYYY-MM-DD": received (first delivery) on that day or later */
  char *until_day; /* "YYYY-MM-DD": received on that day or earlier */
  char *reason;    /* lower case: the reason holds it (ASCII letters compared case-insensitively) */
  char *from;      /* lower case: the From header holds it (the same) */
  gint64 below_id; /* only rows with a smaller id (0: all), to go on where a listing stopped */
  gint64 limit;    /* rows at most; -1: no limit */
  gboolean any_delivery; /* since_day applies to the last delivery: delivered (first or again)
                          * between since_day and until_day */
} TrRejectedFilter;

#define TR_REJECTED_FILTER_INIT                                                                    \
  {                                                                                                \
    .limit = -1                                                                                    \
  }

void tr_rejected_filter_clear (TrRejectedFilter *filter);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrRejectedFilter, tr_rejected_filter_clear)

/* The callback of tr_store_each_rejected (the row is freed after it returns): return FALSE (with
 * @error, or to stop early without one) to stop. */
typedef gboolean (*TrRejectedFunc) (const TrRejectedRow *row, gpointer data, GError **error);

/* tr_store_each_rejected - the rows of `rejected` that @filter selects, without their bytes,
 * newest (highest id) first, at most filter->limit */
gboolean tr_store_each_rejected (TrStore *store, const TrRejectedFilter *filter,
                                 TrRejectedFunc func, gpointer data, GError **error);
/* tr_store_count_rejected - how many rows @filter selects (its limit and below_id are not
 * applied) and the bytes of their messages kept */
gboolean tr_store_count_rejected (TrStore *store, const TrRejectedFilter *filter, gint64 *count,
                                  gint64 *kept_bytes, GError **error);
/* tr_store_find_rejected - row @id of `rejected`, with its bytes if @with_raw; *@found is FALSE
 * when there is none */
gboolean tr_store_find_rejected (TrStore *store, gint64 id, gboolean with_raw, TrRejectedRow *row,
                                 gboolean *found, GError **error);

/* --- prune -------------------------------------------------------------------------------- */

/* What prune removes (or would remove). */
typedef struct
{
  gint64 reports;
  gint64 policies;
  gint64 failures;
  gint64 rejected;
} TrPruneCounts;

/* tr_store_prune_reports - delete up to @limit reports (with their policies, failure details
 * and summaries) whose report_day is before @before_day ("YYYY-MM-DD"), adding what was deleted
 * to @counts; with @dry_run only count them (@limit -1: all).  Inside a transaction. */
gboolean tr_store_prune_reports (TrStore *store, const char *before_day, gint64 limit,
                                 gboolean dry_run, TrPruneCounts *counts, GError **error);
/* tr_store_prune_rejected - the same for messages in `rejected` received before @before_day */
gboolean tr_store_prune_rejected (TrStore *store, const char *before_day, gint64 limit,
                                  gboolean dry_run, TrPruneCounts *counts, GError **error);

/* --- reading ------------------------------------------------------------------------------ */

/* The filters every read takes (all optional; string arrays are NULL-terminated); query.c
 * checks and normalises them, a backend applies them. */
typedef struct
{
  char **domains;      /* domain keys, lower case: reports with a policy of one of them */
  char *since_day;     /* "YYYY-MM-DD": report_day >= it */
  char *until_day;     /* "YYYY-MM-DD": report_day <= it */
  char **reporters;    /* reporter keys, lower case */
  char **result_types; /* lower case; failure details of these types */
  char **mxs;          /* receiving MX host names, lower case */
  char **warnings;     /* warning codes: reports with one of them */
  const gint64 *rows;  /* only these reports (by row id), if not NULL */
  guint n_rows;
  gint64 limit;           /* rows at most; -1: no limit */
  gboolean authenticated; /* only reports with an aligned dkim=pass (doc/schema.md) */
} TrQueryFilter;

#define TR_QUERY_FILTER_INIT                                                                       \
  {                                                                                                \
    .limit = -1                                                                                    \
  }

void tr_query_filter_clear (TrQueryFilter *filter);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrQueryFilter, tr_query_filter_clear)

/* The sessions of one report and domain key, by class (a row of the session summary). */
typedef struct
{
  gint64 report_row;
  const char *day;
  const char *domain;
  const char *reporter;
  TrClassCounts successful;
  TrClassCounts failed;
  const char *end_datetime; /* the end of the report's date range ("YYYY-MM-DDTHH:MM:SSZ") or
                             * NULL: set by tr_store_each_coverage only */
} TrSessionRow;

/* The failed sessions of one report, domain key, policy class, result type and receiving MX
 * (failure details summed per policy). */
typedef struct
{
  gint64 report_row;
  const char *day;
  const char *domain;
  const char *reporter;
  TrPolicyClass klass;
  const char *result_type; /* "(none)" when the detail has none */
  const char *mx;          /* lower case; "" when the detail has none */
  gint64 failed;
} TrDetailRow;

/* One failure detail as stored, with what it belongs to. */
typedef struct
{
  gint64 report_row;
  const char *day;
  const char *reporter;
  const char *report_id;
  const char *domain;
  const char *policy_type;
  const TrFailure *failure;
} TrFailureRow;

/* One stored report, for listings. */
typedef struct
{
  gint64 row;
  const char *day;
  const char *reporter;
  const char *organization_name;
  const char *report_id;
  const char *start_datetime;
  const char *end_datetime;
  const char *received_at;
  gint64 deliveries;
  gint64 conflicts; /* other reports with its reporter and report-id */
  gint64 warnings;  /* warnings kept with it */
  gboolean authenticated;
} TrReportRow;

/* Another stored report with the same reporter and report-id but other content. */
typedef struct
{
  gint64 row;
  gboolean authenticated;
} TrConflict;

/* One stored report, whole: the model as it was stored, and what the database adds. */
typedef struct
{
  gint64 row;
  TrReport *report;  /* policies with their failure details, warnings, dkim_*, raw_json */
  TrMailInfo *info;  /* the mail facts stored with it (no Authentication-Results) */
  char *received_at; /* first delivery */
  char *last_received_at;
  gint64 deliveries;
  char *received_via;   /* "mail", "https", or NULL (stored before it was recorded) */
  char *client_address; /* HTTPS */
  GArray *conflicts;    /* of TrConflict */
} TrStoredReport;

void tr_stored_report_free (TrStoredReport *stored);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrStoredReport, tr_stored_report_free)

/* The callbacks of the reads: return FALSE (with @error, or to stop early without one) to stop. */
typedef gboolean (*TrSessionFunc) (const TrSessionRow *row, gpointer data, GError **error);
typedef gboolean (*TrDetailFunc) (const TrDetailRow *row, gpointer data, GError **error);
typedef gboolean (*TrFailureFunc) (const TrFailureRow *row, gpointer data, GError **error);
typedef gboolean (*TrReportFunc) (const TrReportRow *row, gpointer data, GError **error);
typedef gboolean (*TrStoredReportFunc) (TrStoredReport *stored, gpointer data, GError **error);

/* One failure detail with where it came from, normalised as the summed details are (result
 * type "(none)", MX lower case or "", sending IP "" when the detail has none; a missing count 0).
 */
typedef struct
{
  gint64 report_row;
  const char *day;
  const char *domain;
  const char *reporter;
  TrPolicyClass klass;
  const char *result_type;
  const char *mx;
  const char *sending_ip;
  gint64 failed;
} TrSourceRow;

/* The policy of one report and domain key, as the report described it. */
typedef struct
{
  gint64 report_row;
  const char *day;
  const char *domain;
  const char *policy_type;   /* as sent, or NULL */
  const char *policy_string; /* the policy-string array as JSON text, or NULL */
} TrPolicyRow;

typedef gboolean (*TrSourceFunc) (const TrSourceRow *row, gpointer data, GError **error);
typedef gboolean (*TrPolicyFunc) (const TrPolicyRow *row, gpointer data, GError **error);

/* tr_store_each_session - the session summary rows of the reports that @filter selects (its
 * result types and MXs are not applied: sessions are not per detail), in no particular order */
gboolean tr_store_each_session (TrStore *store, const TrQueryFilter *filter, TrSessionFunc func,
                                gpointer data, GError **error);
/* tr_store_each_detail - the summed failure details that @filter selects, the rows of one report
 * together (linear: each policy is read once) */
gboolean tr_store_each_detail (TrStore *store, const TrQueryFilter *filter, TrDetailFunc func,
                               gpointer data, GError **error);
/* tr_store_each_failure - the failure details that @filter selects, newest report day first, at
 * most filter->limit */
gboolean tr_store_each_failure (TrStore *store, const TrQueryFilter *filter, TrFailureFunc func,
                                gpointer data, GError **error);
/* tr_store_each_report - the reports that @filter selects (a report with a failure detail of its
 * result types and MXs, when given), newest report day first, at most filter->limit */
gboolean tr_store_each_report (TrStore *store, const TrQueryFilter *filter, TrReportFunc func,
                               gpointer data, GError **error);
/* tr_store_find_reports - the reports whose report-id is @which, or whose row id it is, whole,
 * in row order */
gboolean tr_store_find_reports (TrStore *store, const char *which, TrStoredReportFunc func,
                                gpointer data, GError **error);

/* The kinds of names tr_store_each_name() lists. */
typedef enum
{
  TR_NAME_DOMAIN,   /* domain keys of policies */
  TR_NAME_MX,       /* receiving MX hosts of failure details, lower case */
  TR_NAME_REPORTER, /* reporter keys, each with an organization name it was sent with */
} TrNameKind;

typedef gboolean (*TrNameFunc) (const char *name, const char *organization, gpointer data,
                                GError **error);

/* tr_store_each_name - the distinct names of @kind in the database, in no particular order
 * (for a reporter key, once per organization name it came with, which may be NULL): what a
 * wildcard or a name given to a filter is resolved against */
gboolean tr_store_each_name (TrStore *store, TrNameKind kind, TrNameFunc func, gpointer data,
                             GError **error);
/* tr_store_each_source - the failure details one by one (as each_detail reads them, before they
 * are summed: with the sending IP), the rows of one report together; linear */
gboolean tr_store_each_source (TrStore *store, const TrQueryFilter *filter, TrSourceFunc func,
                               gpointer data, GError **error);
/* tr_store_each_policy - the policies of the reports that @filter selects (its domains, days,
 * reporters, authenticated), in no particular order */
gboolean tr_store_each_policy (TrStore *store, const TrQueryFilter *filter, TrPolicyFunc func,
                               gpointer data, GError **error);

/* What the database holds, for monitoring (check, metrics). */
typedef struct
{
  guint schema_version;
  gint64 size_bytes;      /* -1 when the backend cannot tell */
  gint64 reports;         /* rows of reports */
  gint64 rejected;        /* rows of rejected */
  gint64 rejected_bytes;  /* what their messages take */
  char *last_received_at; /* the latest delivery of a report or rejected message, or NULL */
  char *first_report_day; /* or NULL when there is no report */
  char *last_report_day;
} TrStoreInfo;

void tr_store_info_clear (TrStoreInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrStoreInfo, tr_store_info_clear)

/* tr_store_info - what the database holds */
gboolean tr_store_info (TrStore *store, TrStoreInfo *info, GError **error);

/* --- copying a whole database (tlsrptdb copy) --------------------------------------------- */

/* tr_store_each_stored - every stored report with a row id above @after_row, whole (as
 * tr_store_find_reports gives them, without ->conflicts), in row order, from one consistent
 * snapshot; @func takes ownership.  Memory: one report at a time. */
gboolean tr_store_each_stored (TrStore *store, gint64 after_row, TrStoredReportFunc func,
                               gpointer data, GError **error);
/* tr_store_copy_report - write @stored (from another database) with everything the database
 * recorded of it (deliveries, arrival, verdict, warnings), its summaries made as for a new
 * report, unless a report with its reporter, report-id and content is here (a fingerprint of
 * NULL matching NULL): then *@added is FALSE and nothing changes.  It gets a new row id.
 * Inside a transaction. */
gboolean tr_store_copy_report (TrStore *store, const TrStoredReport *stored, gboolean *added,
                               GError **error);
/* tr_store_copy_rejected - write @row (from another database, every column) unless a message
 * with its fingerprint is here (*@added FALSE), under a new row id.  The rejected budget does
 * not apply: the bytes are copied as they are.  Inside a transaction. */
gboolean tr_store_copy_rejected (TrStore *store, const TrRejectedRow *row, gboolean *added,
                                 GError **error);

/* --- reading for the alerts (check, metrics) ---------------------------------------------- */

/* tr_store_begin_read - the reads until tr_store_end_read() see the database as one state
 * (a snapshot taken by the first of them), whatever ingests commit meanwhile; a writer is never
 * blocked by it.  Not inside a write transaction. */
gboolean tr_store_begin_read (TrStore *store, GError **error);
/* tr_store_end_read - end the snapshot of tr_store_begin_read() (nothing to do if none) */
void tr_store_end_read (TrStore *store);

/* tr_store_each_coverage - tr_store_each_session() with the end of each report's date range
 * (row->end_datetime), to judge silence by the days the reports cover */
gboolean tr_store_each_coverage (TrStore *store, const TrQueryFilter *filter, TrSessionFunc func,
                                 gpointer data, GError **error);
/* tr_store_each_domain_sessions - tr_store_each_session() with only row->domain and the counts
 * set: the cheapest read of every row, for the sessions of every stored report (metrics) */
gboolean tr_store_each_domain_sessions (TrStore *store, const TrQueryFilter *filter,
                                        TrSessionFunc func, gpointer data, GError **error);
/* tr_store_each_result_type - the domain key and result type (as stored) of the summed failure
 * details that @filter selects (only row->domain and row->result_type are set; the rows of one
 * domain together when filter->domains is set): whether a type occurred, without the rest of its
 * rows */
gboolean tr_store_each_result_type (TrStore *store, const TrQueryFilter *filter, TrDetailFunc func,
                                    gpointer data, GError **error);
/* (the policy modes come from tr_store_each_policy, the messages kept in `rejected` from
 * tr_store_each_rejected, both above) */

/* --- time --------------------------------------------------------------------------------- */

/* tr_store_now - the current time as "YYYY-MM-DDTHH:MM:SSZ" */
char *tr_store_now (void);
