/* batch.c - what the batch commands share: storing a message's new reports (import and
 * reprocess), batches of one transaction, and a clean stop on SIGINT or SIGTERM */
#include "config.h"

#include <signal.h>

#include "batch.h"

#define BATCH_USEC G_USEC_PER_SEC

/* tr_import_message - store what of @message is not stored yet */
gboolean
tr_import_message (TrStore *store, const TrMessage *message, gboolean keep_rejected,
                   const TrArrival *arrival, TrImportCounts *counts, GPtrArray *lines,
                   GError **error)
{
  g_autoptr (GPtrArray) fresh = g_ptr_array_new ();
  TrMessage view = *message; /* the same message, less what we have */
  TrIngestResult result;
  gboolean ok;

  for (guint i = 0; i < message->reports->len; i++)
    {
      TrReport *report = g_ptr_array_index (message->reports, i);
      gboolean found = FALSE;

      if (!tr_store_has_report (store, report, &found, error))
        return FALSE;
      if (!found)
        g_ptr_array_add (fresh, report);
      else
        {
          counts->duplicates++;
          if (lines != NULL)
            g_ptr_array_add (lines, g_strdup_printf ("duplicate %s %s: already stored",
                                                     report->reporter_key, report->report_id));
        }
    }
  view.reports = fresh;
  if (!keep_rejected && view.reason != NULL)
    {
      view.reason = NULL;
      counts->rejected++;
    }

  tr_ingest_result_init (&result);
  ok = tr_ingest_store (store, &view, arrival, FALSE, &result, error);
  if (ok)
    {
      counts->stored += result.stored;
      counts->duplicates += result.duplicates; /* none: only new reports were given */
      counts->conflicts += result.conflicts;
      counts->rejected += result.rejected + result.rejected_known;
      counts->rejected_known += result.rejected_known;
      for (guint i = 0; lines != NULL && i < result.lines->len; i++)
        g_ptr_array_add (lines, g_strdup (g_ptr_array_index (result.lines, i)));
    }
  tr_ingest_result_clear (&result);
  return ok;
}

/* tr_import_counts_add - @total plus @batch */
void
tr_import_counts_add (TrImportCounts *total, const TrImportCounts *batch)
{
  total->messages += batch->messages;
  total->stored += batch->stored;
  total->duplicates += batch->duplicates;
  total->conflicts += batch->conflicts;
  total->rejected += batch->rejected;
  total->rejected_known += batch->rejected_known;
}

/* tr_batch_due - whether the batch is big or old enough to be committed */
gboolean
tr_batch_due (guint n, guint max, gint64 since)
{
  return n >= max || g_get_monotonic_time () - since >= BATCH_USEC;
}

static volatile sig_atomic_t stop_signal;

static void
on_stop_signal (int signo)
{
  stop_signal = signo;
}

/* tr_catch_stop_signals - the first SIGINT or SIGTERM asks to stop; a second one kills */
void
tr_catch_stop_signals (void)
{
  struct sigaction action = { 0 };

  action.sa_handler = on_stop_signal;
  sigemptyset (&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
}

gboolean
tr_stop_requested (void)
{
  return stop_signal != 0;
}
