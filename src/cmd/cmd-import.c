/* cmd-import.c - tlsrptdb import: the backlog (files, directories, mbox, Maildir, stdin)
 *
 * Design (see doc/design.md, "Import, reprocess and prune"):
 * - One code path with ingest: every message goes through tr_ingest_prepare() and
 *   tr_ingest_store(), with the same limits, dedup and `rejected` handling.
 * - Batched: one IMMEDIATE transaction per 250 messages or per second, whichever comes first.
 *   A batch is whole or absent, and storing is idempotent (a report we have is not stored or
 *   counted again, a rejected message we have is not kept again), so an import that was killed
 *   is simply run again.  SIGINT and SIGTERM commit what is done and stop.
 * - Parallel: messages are taken apart on --jobs worker threads (prepare-queue.c) while this
 *   thread reads the next ones and stores the finished ones, in the order read.
 * - The command also holds what import, reprocess and prune share (import.h).
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "commands.h"
#include "dbpath.h"
#include "error.h"
#include "escape.h"
#include "import.h"
#include "log.h"
#include "mail.h"
#include "prepare-queue.h"
#include "progress.h"
#include "source.h"

#define BATCH_MESSAGES 250
#define BATCH_USEC G_USEC_PER_SEC
/* --jobs default: one worker per processor, at most this many (the store is one thread) */
#define MAX_DEFAULT_JOBS 4

/* tr_import_message - store what of @message is not stored yet */
gboolean
tr_import_message (TrStore *store, const TrMessage *message, gboolean keep_rejected,
                   const char *received_at, TrImportCounts *counts, GPtrArray *lines,
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
  ok = tr_ingest_store (store, &view, &(TrArrival){ .received_at = received_at, .via = "mail" },
                        FALSE, &result, error);
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

/* An import in progress. */
typedef struct
{
  TrStore *store;
  const TrSettings *settings;
  TrProgress *progress;
  gboolean verbose;
  gboolean in_batch;
  guint batch_messages;
  gint64 batch_started;
  TrImportCounts batch;     /* of the open batch */
  TrImportCounts committed; /* of the batches committed */
  GPtrArray *lines;
  char *received_at; /* of the open batch */
} Import;

/* commit_batch - commit the open batch, if any */
static gboolean
commit_batch (Import *import, GError **error)
{
  if (!import->in_batch)
    return TRUE;
  import->in_batch = FALSE;
  if (!tr_store_commit (import->store, error))
    return FALSE;
  import->committed.messages += import->batch.messages;
  import->committed.stored += import->batch.stored;
  import->committed.duplicates += import->batch.duplicates;
  import->committed.rejected += import->batch.rejected;
  import->committed.rejected_known += import->batch.rejected_known;
  import->committed.conflicts += import->batch.conflicts;
  memset (&import->batch, 0, sizeof import->batch);
  return TRUE;
}

/* store_one - store one prepared message, in the open batch (begun if need be) */
static gboolean
store_one (Import *import, const TrMessage *message, const char *where, GError **error)
{
  if (!import->in_batch)
    {
      if (!tr_store_begin (import->store, error))
        return FALSE;
      import->in_batch = TRUE;
      import->batch_messages = 0;
      g_free (import->received_at);
      import->received_at = tr_store_now (); /* the messages of a batch arrive together */
      import->batch_started = g_get_monotonic_time ();
    }
  g_ptr_array_set_size (import->lines, 0);
  if (!tr_import_message (import->store, message, TRUE, import->received_at, &import->batch,
                          import->verbose ? import->lines : NULL, error))
    {
      g_prefix_error (error, "%s: ", where);
      return FALSE;
    }
  import->batch.messages++;
  import->batch_messages++;
  if (import->lines->len > 0)
    {
      tr_progress_clear (import->progress);
      g_autofree char *shown_where = tr_escape_text (where);

      for (guint i = 0; i < import->lines->len; i++)
        {
          g_autofree char *shown = tr_escape_text (g_ptr_array_index (import->lines, i));

          printf ("%s: %s\n", shown_where, shown);
        }
    }
  if (tr_batch_due (import->batch_messages, BATCH_MESSAGES, import->batch_started))
    return commit_batch (import, error);
  return TRUE;
}

/* show_progress - what the progress line shows: everything taken in, committed or not */
static void
show_progress (Import *import, TrSource *source, guint64 total, gboolean force)
{
  TrProgressCounts counts = {
    .messages = import->committed.messages + import->batch.messages,
    .stored = import->committed.stored + import->batch.stored,
    .duplicates = import->committed.duplicates + import->batch.duplicates,
    .rejected = import->committed.rejected + import->batch.rejected,
    .bytes_done = tr_source_bytes_read (source),
    .bytes_total = total,
  };

  tr_progress_update (import->progress, &counts, force);
}

/* store_next - store the oldest message of @queue (waiting for its worker) */
static gboolean
store_next (Import *import, TrPrepareQueue *queue, TrSource *source, guint64 total, GError **error)
{
  g_autofree char *where = NULL;
  TrMessage *message = tr_prepare_queue_pop (queue, &where);
  gboolean ok = store_one (import, message, where, error);

  tr_prepare_queue_release (queue, message);
  if (ok)
    show_progress (import, source, total, FALSE);
  return ok;
}

/* plural - "s" unless @n is 1 */
static const char *
plural (guint64 n)
{
  return n == 1 ? "" : "s";
}

/* print_summary - the final line, on stdout */
static void
print_summary (const TrImportCounts *c, guint unreadable, gint64 started, const char *what)
{
  double seconds = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;

  printf ("%s %" G_GUINT64_FORMAT " message%s in %.1f s (%.0f/s): %" G_GUINT64_FORMAT
          " report%s stored, %" G_GUINT64_FORMAT " duplicate%s, %" G_GUINT64_FORMAT
          " rejected (%" G_GUINT64_FORMAT " kept before), %u input%s unreadable\n",
          what, c->messages, plural (c->messages), seconds,
          seconds > 0 ? (double) c->messages / seconds : 0.0, c->stored, plural (c->stored),
          c->duplicates, plural (c->duplicates), c->rejected, c->rejected_known, unreadable,
          plural (unreadable));
  fflush (stdout);
}

/* cmd_import - tlsrptdb import [OPTION...] PATH... */
int
cmd_import (int argc, char **argv)
{
  g_autofree char *opt_config = NULL;
  gboolean opt_verbose = FALSE, opt_no_progress = FALSE, exit_now = FALSE;
  int opt_jobs = (int) MIN (g_get_num_processors (), MAX_DEFAULT_JOBS);
  const GOptionEntry entries[] = {
    TR_SETTING_OPTION ("db", TRUE, "Database file", "PATH"),
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
      "Config file (default $TLSRPTDB_CONFIG, else " TR_SETTINGS_DEFAULT_FILE " if present)",
      "PATH" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose,
      "Print one line per report or rejected message", NULL },
    { "no-progress", 0, 0, G_OPTION_ARG_NONE, &opt_no_progress,
      "No progress line, even on a terminal", NULL },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &opt_jobs,
      "Take messages apart on N threads (default: one per processor, at most 4; 1: none)", "N" },
    TR_PIPELINE_OPTIONS,
    G_OPTION_ENTRY_NULL,
  };
  g_auto (TrSettings) settings = TR_SETTINGS_INIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = NULL;
  g_autoptr (TrSource) source = NULL;
  g_autoptr (TrProgress) progress = NULL;
  g_autoptr (TrPrepareQueue) queue = NULL;
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = NULL;
  guint unreadable = 0, missing = 0, read_ahead;
  guint64 total = 0;
  gint64 started = g_get_monotonic_time ();
  Import import = { 0 };

  tr_log_open ("import", FALSE);
  if (!tr_parse_options (
          "import", "PATH...",
          "Store the TLS-RPT reports in files, directories (recursively), mbox files "
          "and Maildirs; \"-\" is standard input.",
          entries, &argc, &argv, &exit_now, &error))
    {
      tr_log_error (NULL, NULL, "%s", error->message);
      return tr_exit_code (error, TR_EXIT_MODE_TOOL);
    }
  if (exit_now)
    return EX_OK;
  if (argc < 2)
    g_set_error (&error, TR_ERROR, TR_ERROR_USAGE, "no PATH given (see %s help import)",
                 PACKAGE_NAME);
  else if (opt_jobs < 1 || opt_jobs > 64)
    g_set_error (&error, TR_ERROR, TR_ERROR_USAGE, "--jobs: expected a number from 1 to 64");
  if (error != NULL)
    {
      tr_log_error (NULL, NULL, "%s", error->message);
      return tr_exit_code (error, TR_EXIT_MODE_TOOL);
    }
  if (!tr_cli_settings_load (&settings, opt_config, &path, &error))
    {
      tr_log_error (NULL, NULL, "%s", error->message);
      return tr_exit_code (error, TR_EXIT_MODE_TOOL);
    }

  tr_mail_init ();
  store = tr_store_open (path, TR_STORE_CREATE, &error);
  if (store == NULL)
    {
      tr_log_error (NULL, NULL, "%s", error->message);
      return tr_exit_code (error, TR_EXIT_MODE_TOOL);
    }

  tr_store_tune_for_batch (store);
  tr_store_set_rejected_budget (store, settings.limits.max_rejected_size);
  progress = tr_progress_new (!opt_no_progress && isatty (STDERR_FILENO));
  if (!opt_no_progress && isatty (STDERR_FILENO)
      && !tr_source_measure ((const char *const *) argv + 1, &total))
    total = 0;
  source = tr_source_new ((const char *const *) argv + 1, settings.limits.max_message_size);
  import.store = store;
  import.settings = &settings;
  import.progress = progress;
  import.verbose = opt_verbose;
  import.lines = lines;
  tr_catch_stop_signals ();

  /* Read ahead by twice the workers, so that none waits for this thread; no further, so that
   * memory stays that of a few messages whatever the input. */
  read_ahead = opt_jobs > 1 ? 2 * (guint) opt_jobs : 0;
  queue = tr_prepare_queue_new (&settings, (guint) opt_jobs);
  while (!tr_stop_requested ())
    {
      g_autoptr (GBytes) message = NULL;
      g_autofree char *where = NULL;
      g_autoptr (GError) input_error = NULL;
      guint64 size;
      TrSourceStatus status = tr_source_next (source, &message, &size, &where, &input_error);

      if (status == TR_SOURCE_END)
        break;
      if (status == TR_SOURCE_FAILED)
        {
          tr_progress_clear (progress);
          tr_log_error (where, NULL, "%s", input_error->message);
          unreadable++;
          if (g_error_matches (input_error, TR_ERROR, TR_ERROR_NOT_FOUND))
            missing++;
          continue;
        }
      tr_prepare_queue_push (queue, message, size, g_steal_pointer (&where));
      if (tr_prepare_queue_length (queue) > read_ahead
          && !store_next (&import, queue, source, total, &error))
        break;
    }
  while (error == NULL && tr_prepare_queue_length (queue) > 0
         && store_next (&import, queue, source, total, &error))
    ;
  g_clear_pointer (&queue, tr_prepare_queue_free);
  if (error == NULL)
    commit_batch (&import, &error);
  else
    tr_store_rollback (store);
  g_free (import.received_at);
  show_progress (&import, source, total, TRUE);
  tr_progress_clear (progress);

  if (error != NULL)
    {
      tr_log_error (NULL, NULL, "%s", error->message);
      if (import.batch.messages > 0)
        tr_log_error (NULL, NULL,
                      "the last %" G_GUINT64_FORMAT " messages were not stored: run the same "
                      "import again to continue",
                      import.batch.messages);
    }
  print_summary (&import.committed, unreadable, started,
                 error != NULL          ? "stopped after"
                 : tr_stop_requested () ? "interrupted after"
                                        : "imported");
  if (error != NULL)
    return tr_exit_code (error, TR_EXIT_MODE_TOOL);
  if (tr_stop_requested ())
    g_set_error (&error, TR_ERROR, TR_ERROR_TEMPORARY,
                 "interrupted: run the same import again to continue");
  else if (unreadable > 0 && import.committed.messages == 0 && missing > 0)
    g_set_error (&error, TR_ERROR, TR_ERROR_NOT_FOUND, "no input could be read");
  else if (unreadable > 0)
    g_set_error (&error, TR_ERROR, TR_ERROR_DATA, "%u input%s could not be read", unreadable,
                 plural (unreadable));
  if (error != NULL)
    tr_log_error (NULL, NULL, "%s", error->message);
  return tr_exit_code (error, TR_EXIT_MODE_TOOL);
}
