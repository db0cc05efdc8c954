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
  TR_STORE_DUPLICATE, /* same reporter and report-id: deliveries was incremented */
} TrStoreOutcome;

typedef struct
{
  TrStoreOutcome outcome;
  gint64 report_row; /* reports.id */
  gint64 deliveries; /* reports.deliveries after this delivery */
  guint n_policies;  /* rows written (0 for a duplicate) */
  guint n_failures;
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
 * delivery.  @info may be NULL; @received_at is "YYYY-MM-DDTHH:MM:SSZ".  Inside a transaction. */
gboolean tr_store_add_report (TrStore *store, const TrReport *report, const TrMailInfo *info,
                              const char *received_at, TrStoreResult *result, GError **error);

/* tr_store_add_rejected - keep a message that yielded no usable report: @raw is what was kept
 * (at most the size limit), @message_size its true size.  Inside a transaction. */
gboolean tr_store_add_rejected (TrStore *store, GBytes *raw, guint64 message_size,
                                const char *reason, const TrMailInfo *info, const char *received_at,
                                GError **error);

/* tr_store_now - the current time as "YYYY-MM-DDTHH:MM:SSZ" */
char *tr_store_now (void);

/* --- import, reprocess and prune ------------------------------------------------------------ */

/* tr_store_has_report - whether the report (@reporter_key, @report_id) is stored; @cache
 * (NULL, or a statement pointer that starts NULL) keeps the statement between calls: the
 * caller finalizes it with sqlite3_finalize() before closing @store */
gboolean tr_store_has_report (TrStore *store, sqlite3_stmt **cache, const char *reporter_key,
                              const char *report_id, gboolean *found, GError **error);

/* tr_store_index_rejected - note the size and SHA-256 of every message in `rejected`, in a TEMP
 * table of this connection, for tr_store_rejected_seen().  Outside a transaction. */
gboolean tr_store_index_rejected (TrStore *store, GError **error);

/* tr_store_rejected_seen - whether a message with the bytes @raw and the true size
 * @message_size was in `rejected` when it was indexed, or was seen since; notes it as seen.
 * Inside a transaction (a rollback forgets what it noted). */
gboolean tr_store_rejected_seen (TrStore *store, GBytes *raw, guint64 message_size, gboolean *seen,
                                 GError **error);

/* One row of `rejected`. */
typedef struct
{
  gint64 id;
  GBytes *raw;
  guint64 message_size;
  char *received_at;
  char *reason;
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
