/* cmd-copy.c - tlsrptdb copy FROM TO: a whole database into another, of either backend
 *
 * SQLite -> PostgreSQL is the migration path; PostgreSQL -> SQLite makes a portable extract.
 * What is read is one snapshot of FROM (ingests may go on writing); what is written goes in
 * batches of one transaction (500 rows or a second), each whole or absent.  Copying is
 * idempotent, as import is: a report that TO has (the same reporter, report-id and content) and
 * a rejected message that it has (the same fingerprint) are left alone, so an interrupted copy
 * is simply run again, and copying two databases into one merges them.  Everything a database
 * recorded of a report comes along (deliveries, arrival, verdict, warnings); its summaries are
 * made again in TO, by TO's backend.  Rows get new ids in TO (doc/design.md, "copy").
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "batch.h"
#include "command.h"
#include "mail.h"
#include "progress.h"

#define BATCH_ROWS 500

typedef struct
{
  gboolean no_progress;
} CopyOptions;

/* A copy in progress. */
typedef struct
{
  TrStore *target;
  TrProgress *progress;
  guint64 total; /* rows of FROM, for the progress bar */
  guint64 done;
  guint64 reports, reports_there, rejected, rejected_there;
  gboolean in_batch;
  guint batch_rows;
  gint64 batch_started;
} Copy;

/* show_progress - rows done of the total */
static void
show_progress (Copy *copy, gboolean force)
{
  TrProgressCounts counts = {
    .messages = copy->done,
    .stored = copy->reports + copy->rejected,
    .duplicates = copy->reports_there + copy->rejected_there,
    .rejected = copy->rejected + copy->rejected_there,
    .bytes_done = copy->done,
    .bytes_total = copy->total,
    .unit = "rows",
  };

  tr_progress_update (copy->progress, &counts, force);
}

/* commit_batch - commit the open batch, if any */
static gboolean
commit_batch (Copy *copy, GError **error)
{
  if (!copy->in_batch)
    return TRUE;
  copy->in_batch = FALSE;
  return tr_store_commit (copy->target, error);
}

/* batch_row - before a row: begin a batch if none is open; stop when asked to */
static gboolean
batch_row (Copy *copy, GError **error)
{
  if (tr_stop_requested ())
    {
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                   "interrupted: run the same copy again to continue");
      return FALSE;
    }
  if (copy->in_batch)
    return TRUE;
  if (!tr_store_begin (copy->target, error))
    return FALSE;
  copy->in_batch = TRUE;
  copy->batch_rows = 0;
  copy->batch_started = g_get_monotonic_time ();
  return TRUE;
}

/* batch_done - after a row: commit the batch when it is full or a second old */
static gboolean
batch_done (Copy *copy, GError **error)
{
  copy->done++;
  copy->batch_rows++;
  show_progress (copy, FALSE);
  if (tr_batch_due (copy->batch_rows, BATCH_ROWS, copy->batch_started))
    return commit_batch (copy, error);
  return TRUE;
}

/* on_report - one report of FROM into TO */
static gboolean
on_report (TrStoredReport *stored, gpointer data, GError **error)
{
  g_autoptr (TrStoredReport) owned = stored;
  Copy *copy = data;
  gboolean added = FALSE;

  /* a day for every report: a row stored before validate.c always set one is filed under the
   * day it arrived, as validate.c files a report without dates */
  if (stored->report->report_day == NULL && stored->received_at != NULL)
    stored->report->report_day = g_strndup (stored->received_at, 10);
  if (!batch_row (copy, error) || !tr_store_copy_report (copy->target, stored, &added, error))
    {
      g_prefix_error (error, "report %" G_GINT64_FORMAT ": ", stored->row);
      return FALSE;
    }
  if (added)
    copy->reports++;
  else
    copy->reports_there++;
  return batch_done (copy, error);
}

/* copy_rejected - the rejected messages of @from into TO; one without a fingerprint (kept
 * before schema step 5) gets one, so that a second copy finds it */
static gboolean
copy_rejected (Copy *copy, TrStore *from, GError **error)
{
  g_auto (TrRejectedRow) row = { 0 };
  gint64 after = 0;
  gboolean found = TRUE, added;

  while (tr_store_next_rejected (from, after, &row, &found, error) && found)
    {
      after = row.id;
      if (row.fingerprint == NULL)
        row.fingerprint = tr_mail_fingerprint (row.raw, row.message_size, row.message_id);
      if (!batch_row (copy, error) || !tr_store_copy_rejected (copy->target, &row, &added, error))
        {
          g_prefix_error (error, "rejected message %" G_GINT64_FORMAT ": ", row.id);
          return FALSE;
        }
      if (added)
        copy->rejected++;
      else
        copy->rejected_there++;
      if (!batch_done (copy, error))
        return FALSE;
    }
  return error == NULL || *error == NULL;
}

static void
copy_options (TrContext *ctx, GOptionGroup *group)
{
  CopyOptions *o = ctx->options;
  const GOptionEntry entries[] = {
    { "no-progress", 0, 0, G_OPTION_ARG_NONE, &o->no_progress,
      "No progress line, even on a terminal", NULL },
    G_OPTION_ENTRY_NULL,
  };

  g_option_group_add_entries (group, entries);
}

static gboolean
copy_prepare (TrContext *ctx, GError **error)
{
  tr_catch_stop_signals ();
  return TRUE;
}

/* copy_run - tlsrptdb copy [--no-progress] FROM TO */
static gboolean
copy_run (TrContext *ctx, GError **error)
{
  const CopyOptions *o = ctx->options;
  g_autoptr (TrProgress) progress = tr_progress_new (!o->no_progress && isatty (STDERR_FILENO));
  g_auto (TrStoreInfo) info = { 0 };
  Copy copy = { .target = ctx->store, .progress = progress };
  gboolean ok;

  tr_mail_init ();
  tr_store_tune_for_batch (ctx->store);
  if (tr_store_info (ctx->source, &info, NULL))
    copy.total = (guint64) MAX (info.reports, 0) + (guint64) MAX (info.rejected, 0);
  ok = tr_store_each_stored (ctx->source, 0, on_report, &copy, error)
       && copy_rejected (&copy, ctx->source, error) && commit_batch (&copy, error);
  if (!ok)
    tr_store_rollback (ctx->store);
  show_progress (&copy, TRUE);
  tr_progress_clear (progress);
  printf ("%s %" G_GUINT64_FORMAT " report%s (%" G_GUINT64_FORMAT
          " there already) and %" G_GUINT64_FORMAT " rejected message%s (%" G_GUINT64_FORMAT
          " there already)\n",
          ok ? "copied" : "stopped after", copy.reports, copy.reports == 1 ? "" : "s",
          copy.reports_there, copy.rejected, copy.rejected == 1 ? "" : "s", copy.rejected_there);
  if (!ok && copy.in_batch)
    g_prefix_error (error, "the last batch was not written (run the same copy again): ");
  return ok;
}

const TrCommand tr_command_copy = {
  .name = "copy",
  .parameter = "FROM TO",
  .summary = "copy a whole database into another (SQLite or PostgreSQL)",
  .description = "Copy every report and rejected message of the database FROM into TO (created "
                 "if missing), either of them SQLite or PostgreSQL; what TO has already is left "
                 "alone, so a copy can be run again.",
  .flags = 0,
  .store = TR_COMMAND_COPY,
  .min_args = 2,
  .max_args = 2,
  .options_size = sizeof (CopyOptions),
  .options = copy_options,
  .prepare = copy_prepare,
  .run = copy_run,
};
