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
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "command.h"
#include "escape.h"
#include "log.h"
#include "mail.h"
#include "prepare-queue.h"
#include "progress.h"
#include "source.h"

#define BATCH_MESSAGES 250
/* --jobs default: one worker per processor, at most this many (the store is one thread) */
#define MAX_DEFAULT_JOBS 4

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
  tr_import_counts_add (&import->committed, &import->batch);
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
  if (!tr_import_message (import->store, message, TRUE,
                          &(TrArrival){ .received_at = import->received_at, .via = "mail" },
                          &import->batch, import->verbose ? import->lines : NULL, error))
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

/* The options of import. */
typedef struct
{
  gboolean verbose;
  gboolean no_progress;
  int jobs;
} ImportOptions;

static void
import_options (TrContext *ctx, GOptionGroup *group)
{
  ImportOptions *o = ctx->options;
  const GOptionEntry entries[] = {
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &o->verbose,
      "Print one line per report or rejected message", NULL },
    { "no-progress", 0, 0, G_OPTION_ARG_NONE, &o->no_progress,
      "No progress line, even on a terminal", NULL },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &o->jobs,
      "Take messages apart on N threads (default: one per processor, at most 4; 1: none)", "N" },
    G_OPTION_ENTRY_NULL,
  };

  o->jobs = (int) MIN (g_get_num_processors (), MAX_DEFAULT_JOBS);
  g_option_group_add_entries (group, entries);
}

static gboolean
import_prepare (TrContext *ctx, GError **error)
{
  const ImportOptions *o = ctx->options;

  if (o->jobs < 1 || o->jobs > 64)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "--jobs: expected a number from 1 to 64");
      return FALSE;
    }
  tr_mail_init ();
  tr_catch_stop_signals ();
  return TRUE;
}

/* import_loop - read, take apart (on the workers) and store every message of @source */
static void
import_loop (Import *import, TrSource *source, guint64 total, guint jobs, guint *unreadable,
             guint *missing, GError **error)
{
  /* Read ahead by twice the workers, so that none waits for this thread; no further, so that
   * memory stays that of a few messages whatever the input. */
  guint read_ahead = jobs > 1 ? 2 * jobs : 0;
  g_autoptr (TrPrepareQueue) queue = tr_prepare_queue_new (import->settings, jobs);

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
          tr_progress_clear (import->progress);
          tr_log_error (where, "%s", input_error->message);
          (*unreadable)++;
          if (g_error_matches (input_error, TR_ERROR, TR_ERROR_NOT_FOUND))
            (*missing)++;
          continue;
        }
      tr_prepare_queue_push (queue, message, size, g_steal_pointer (&where));
      if (tr_prepare_queue_length (queue) > read_ahead
          && !store_next (import, queue, source, total, error))
        return;
    }
  while (tr_prepare_queue_length (queue) > 0 && store_next (import, queue, source, total, error))
    ;
}

/* import_run - tlsrptdb import [OPTION...] PATH... */
static gboolean
import_run (TrContext *ctx, GError **error)
{
  const ImportOptions *o = ctx->options;
  const char *const *paths = (const char *const *) ctx->argv + 1;
  gboolean show = !o->no_progress && isatty (STDERR_FILENO);
  g_autoptr (TrSource) source = NULL;
  g_autoptr (TrProgress) progress = tr_progress_new (show);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  guint unreadable = 0, missing = 0;
  guint64 total = 0;
  gint64 started = g_get_monotonic_time ();
  Import import = { 0 };

  tr_store_tune_for_batch (ctx->store);
  tr_store_set_rejected_budget (ctx->store, ctx->settings.limits.max_rejected_size);
  if (show && !tr_source_measure (paths, &total))
    total = 0;
  source = tr_source_new (paths, ctx->settings.limits.max_message_size);
  import.store = ctx->store;
  import.settings = &ctx->settings;
  import.progress = progress;
  import.verbose = o->verbose;
  import.lines = lines;

  import_loop (&import, source, total, (guint) o->jobs, &unreadable, &missing, error);
  if (*error == NULL)
    commit_batch (&import, error);
  else
    tr_store_rollback (ctx->store);
  g_free (import.received_at);
  show_progress (&import, source, total, TRUE);
  tr_progress_clear (progress);

  if (*error != NULL && import.batch.messages > 0)
    g_prefix_error (error,
                    "the last %" G_GUINT64_FORMAT " messages were not stored (run the same import "
                    "again to continue): ",
                    import.batch.messages);
  print_summary (&import.committed, unreadable, started,
                 *error != NULL         ? "stopped after"
                 : tr_stop_requested () ? "interrupted after"
                                        : "imported");
  if (*error != NULL)
    return FALSE;
  if (tr_stop_requested ())
    g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                 "interrupted: run the same import again to continue");
  else if (unreadable > 0 && import.committed.messages == 0 && missing > 0)
    g_set_error (error, TR_ERROR, TR_ERROR_NOT_FOUND, "no input could be read");
  else if (unreadable > 0)
    g_set_error (error, TR_ERROR, TR_ERROR_DATA, "%u input%s could not be read", unreadable,
                 plural (unreadable));
  return *error == NULL;
}

const TrCommand tr_command_import = {
  .name = "import",
  .parameter = "PATH...",
  .summary = "store the reports in files, directories, mbox files and Maildirs",
  .description = "Store the TLS-RPT reports in files, directories (recursively), mbox files and "
                 "Maildirs; \"-\" is standard input.",
  .flags = TR_COMMAND_SETTINGS | TR_COMMAND_PIPELINE,
  .store = TR_COMMAND_CREATE,
  .min_args = 1,
  .max_args = G_MAXUINT,
  .options_size = sizeof (ImportOptions),
  .options = import_options,
  .prepare = import_prepare,
  .run = import_run,
};
