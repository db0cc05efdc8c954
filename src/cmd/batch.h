/* batch.h - what the batch commands share (import, reprocess, prune): batches of one
 * transaction, a clean stop on SIGINT or SIGTERM, and storing what a message holds only once */
#pragma once

#include <glib.h>

#include "ingest.h"
#include "store.h"

/* What tr_import_message() did, added up. */
typedef struct
{
  guint64 messages;
  guint64 stored;         /* new reports */
  guint64 duplicates;     /* reports we had: left as they were (deliveries is not counted) */
  guint64 conflicts;      /* new reports stored beside another of the same reporter and id */
  guint64 rejected;       /* messages (or parts of them) not usable */
  guint64 rejected_known; /* ... of which the same message was in `rejected` already */
} TrImportCounts;

/* tr_import_message - store @message's reports that are not stored yet (the same reporter,
 * report-id and content), inside the caller's transaction, through tr_ingest_store(), as having
 * come as @arrival says; unlike
 * ingest, a report we have is not counted as a delivery (an import re-run, or a mailbox that
 * the MTA also delivered, must not inflate deliveries), and with @keep_rejected a message with a
 * reason is kept in `rejected` unless it is there already.  @lines (may be NULL) gets one line
 * per report or rejection. */
gboolean tr_import_message (TrStore *store, const TrMessage *message, gboolean keep_rejected,
                            const TrArrival *arrival, TrImportCounts *counts, GPtrArray *lines,
                            GError **error);
/* tr_import_counts_add - add @batch to @total */
void tr_import_counts_add (TrImportCounts *total, const TrImportCounts *batch);

/* tr_batch_due - whether a batch of @n items (at most @max) begun at @since (monotonic time)
 * should be committed: when it is full or a second old */
gboolean tr_batch_due (guint n, guint max, gint64 since);

/* tr_catch_stop_signals - the first SIGINT or SIGTERM asks to stop (tr_stop_requested); a
 * second one kills */
void tr_catch_stop_signals (void);
gboolean tr_stop_requested (void);
