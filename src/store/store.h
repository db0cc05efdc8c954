/* store.h - the SQLite database: open, migrate, write reports and rejected messages */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "report.h"

typedef struct _TrStore TrStore;

typedef enum
{
  TR_STORE_READ_ONLY,
  TR_STORE_READ_WRITE, /* creates the file and its directory, migrates the schema */
} TrStoreMode;

typedef enum
{
  TR_STORE_STORED,
  TR_STORE_DUPLICATE, /* same reporter, report-id and content: deliveries was incremented */
} TrStoreOutcome;

typedef struct
{
  TrStoreOutcome outcome;
  gint64 report_row; /* reports.id */
  gint64 deliveries; /* reports.deliveries after this delivery */
  guint n_policies;  /* rows written (0 for a duplicate) */
  guint n_failures;
  guint same_key;             /* other stored reports with the same reporter and report-id but
                               * other content: a conflict (doc/schema.md, "Duplicates") */
  gboolean authenticated_now; /* a repeat that our MTA authenticated, of a report stored
                               * unauthenticated: its verdict was recorded */
} TrStoreResult;

#define TR_STORE_BUSY_TIMEOUT_MS 10000

/* tr_store_open - open the database at @path.
 * Errors: TR_ERROR_NOT_FOUND (read-only and missing), TR_ERROR_TEMPORARY (cannot open, create or
 * migrate; locked; not a tlsrptdb database; schema newer than this program). */
TrStore *tr_store_open (const char *path, TrStoreMode mode, GError **error);
void tr_store_close (TrStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrStore, tr_store_close)

/* tr_store_db - the connection, for read-only queries (owned by @store) */
sqlite3 *tr_store_db (TrStore *store);

/* tr_store_begin - BEGIN IMMEDIATE: one transaction per message (TR_ERROR_TEMPORARY when busy) */
gboolean tr_store_begin (TrStore *store, GError **error);
/* tr_store_commit - COMMIT and fsync the WAL (what synchronous=FULL does): durable when it
 * returns TRUE */
gboolean tr_store_commit (TrStore *store, GError **error);
/* tr_store_commit_relaxed - COMMIT without fsync, for a transaction that only counted repeat
 * deliveries of reports already durable; a power cut may lose the count, never a report */
gboolean tr_store_commit_relaxed (TrStore *store, GError **error);
/* tr_store_rollback - undo the open transaction, if any */
void tr_store_rollback (TrStore *store);

/* tr_store_add_report - insert @report (validated) with its mail facts, or count a repeat
 * delivery: a stored report with the same reporter, report-id and content.  Another content
 * under the same reporter and report-id is stored beside it (result->same_key says so).
 * @info may be NULL; @received_at is "YYYY-MM-DDTHH:MM:SSZ".  Inside a transaction. */
gboolean tr_store_add_report (TrStore *store, const TrReport *report, const TrMailInfo *info,
                              const char *received_at, TrStoreResult *result, GError **error);

/* A message to keep in `rejected`. */
typedef struct
{
  GBytes *raw;             /* what was kept of it (at most the size limit) */
  guint64 message_size;    /* its true size */
  const char *reason;      /* why it is kept */
  const TrMailInfo *info;  /* its mail facts, or NULL */
  const char *received_at; /* "YYYY-MM-DDTHH:MM:SSZ" */
  const char *fingerprint; /* who it is (tr_mail_fingerprint), or NULL */
} TrRejectedMessage;

typedef enum
{
  TR_REJECTED_KEPT,               /* a new row with the message */
  TR_REJECTED_KEPT_WITHOUT_BYTES, /* a new row with its facts; the budget was full */
  TR_REJECTED_REPEAT,             /* it was there: its delivery was counted */
  TR_REJECTED_KNOWN,              /* it was there, and nothing was counted */
} TrRejectedOutcome;

/* tr_store_add_rejected - keep @message in `rejected`, unless a message with the same
 * fingerprint is there: then count the delivery (with @count_repeat) or leave it (import).  Its
 * bytes are kept only while what `rejected` holds stays within the budget
 * (tr_store_set_rejected_budget); beyond it only its facts and reason.  Inside a transaction. */
gboolean tr_store_add_rejected (TrStore *store, const TrRejectedMessage *message,
                                gboolean count_repeat, TrRejectedOutcome *outcome, GError **error);

/* tr_store_set_rejected_budget - the bytes of messages `rejected` may hold in all (0: none) */
void tr_store_set_rejected_budget (TrStore *store, guint64 bytes);

/* tr_store_now - the current time as "YYYY-MM-DDTHH:MM:SSZ" */
char *tr_store_now (void);

/* --- import, reprocess and prune ------------------------------------------------------------ */

/* tr_store_has_report - whether @report (validated) is stored: the same reporter, report-id and
 * content (or a report of that key stored before content was compared) */
gboolean tr_store_has_report (TrStore *store, const TrReport *report, gboolean *found,
                              GError **error);

/* One row of `rejected`. */
typedef struct
{
  gint64 id;
  GBytes *raw;
  guint64 message_size;
  char *received_at;
  char *reason;
  gboolean raw_dropped; /* the bytes were not kept (the budget was full) */
} TrRejectedRow;

void tr_rejected_row_clear (TrRejectedRow *row);

/* tr_store_next_rejected - the row of `rejected` with the smallest id above @after_id;
 * *@found is FALSE when there is none */
gboolean tr_store_next_rejected (TrStore *store, gint64 after_id, TrRejectedRow *row,
                                 gboolean *found, GError **error);
/* tr_store_delete_rejected - remove row @id of `rejected`.  Inside a transaction. */
gboolean tr_store_delete_rejected (TrStore *store, gint64 id, GError **error);
/* tr_store_set_rejected_reason - change the reason of row @id.  Inside a transaction. */
gboolean tr_store_set_rejected_reason (TrStore *store, gint64 id, const char *reason,
                                       GError **error);

/* What prune removes (or would remove). */
typedef struct
{
  gint64 reports;
  gint64 policies;
  gint64 failures;
  gint64 rejected;
} TrPruneCounts;

/* tr_store_prune_reports - delete up to @limit reports (with their policies and failure
 * details) whose report_day is before @before_day ("YYYY-MM-DD"), adding what was deleted to
 * @counts; with @dry_run only count them (@limit -1: all).  Inside a transaction. */
gboolean tr_store_prune_reports (TrStore *store, const char *before_day, gint64 limit,
                                 gboolean dry_run, TrPruneCounts *counts, GError **error);
/* tr_store_prune_rejected - the same for messages in `rejected` received before @before_day */
gboolean tr_store_prune_rejected (TrStore *store, const char *before_day, gint64 limit,
                                  gboolean dry_run, TrPruneCounts *counts, GError **error);

/* tr_store_set_checkpoint_frames - checkpoint the WAL once it is @frames pages long instead of
 * TR_STORE_CHECKPOINT_FRAMES: for a batch writer (import), whose every commit is many pages */
void tr_store_set_checkpoint_frames (TrStore *store, int frames);
