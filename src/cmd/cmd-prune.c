/* cmd-prune.c - tlsrptdb prune: delete old reports and old rejected messages
 *
 * A report is old when its report_day (the day its date-range starts) is before the cut-off day;
 * a rejected message when it was received before it.  Reports go whole: their policies and
 * failure details follow by ON DELETE CASCADE, and the summary tables by their triggers.  The
 * deletes are made in batches, each its own transaction, so that ingests waiting for the lock
 * never wait long; an interrupted prune is simply run again.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "command.h"
#include "timespec.h"

#define PRUNE_BATCH 2000

/* prune - delete (or count) what is old, in batches */
static gboolean
prune (TrStore *store, const char *day, gboolean reports, gboolean dry_run, TrPruneCounts *counts,
       GError **error)
{
  if (dry_run)
    return (!reports || tr_store_prune_reports (store, day, -1, TRUE, counts, error))
           && tr_store_prune_rejected (store, day, -1, TRUE, counts, error);

  for (int what = reports ? 0 : 1; what < 2; what++)
    for (;;)
      {
        TrPruneCounts batch = { 0 };
        gboolean ok;

        if (tr_stop_requested ())
          {
            g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY, "interrupted: run prune again");
            return FALSE;
          }
        if (!tr_store_begin (store, error))
          return FALSE;
        ok = what == 0 ? tr_store_prune_reports (store, day, PRUNE_BATCH, FALSE, &batch, error)
                       : tr_store_prune_rejected (store, day, PRUNE_BATCH, FALSE, &batch, error);
        if (!ok)
          {
            tr_store_rollback (store);
            return FALSE;
          }
        if (!tr_store_commit (store, error))
          return FALSE;
        counts->reports += batch.reports;
        counts->policies += batch.policies;
        counts->failures += batch.failures;
        counts->rejected += batch.rejected;
        if (batch.reports + batch.rejected < PRUNE_BATCH)
          break;
      }
  return TRUE;
}

/* The options of prune. */
typedef struct
{
  char *older_than;
  gboolean rejected_only;
  gboolean dry_run;
  gboolean force;
  char *day; /* the cut-off day that --older-than names */
} PruneOptions;

static void
prune_options (TrContext *ctx, GOptionGroup *group)
{
  PruneOptions *o = ctx->options;
  const GOptionEntry entries[] = {
    { "older-than", 0, 0, G_OPTION_ARG_STRING, &o->older_than,
      "Delete what is older than WHEN: a span back from now (90d, 12w, 13mo, 1y), a date "
      "(YYYY-MM-DD: that day and later are kept), today or yesterday",
      "WHEN" },
    { "rejected-only", 0, 0, G_OPTION_ARG_NONE, &o->rejected_only,
      "Only delete old messages in `rejected`, no reports", NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &o->dry_run, "Only say what would be deleted", NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &o->force,
      "Prune even when WHEN is after today (which deletes everything)", NULL },
    G_OPTION_ENTRY_NULL,
  };

  g_option_group_add_entries (group, entries);
}

static void
prune_free_options (gpointer options)
{
  PruneOptions *o = options;

  g_free (o->older_than);
  g_free (o->day);
}

static gboolean
prune_prepare (TrContext *ctx, GError **error)
{
  PruneOptions *o = ctx->options;

  if (o->older_than == NULL)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "--older-than WHEN is required");
      return FALSE;
    }
  o->day = tr_time_parse_day ("--older-than", o->older_than, ctx->now, error);
  if (o->day == NULL)
    return FALSE;
  {
    g_autofree char *today = tr_time_day (ctx->now);

    if (strcmp (o->day, today) > 0 && !o->force && !o->dry_run)
      {
        g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                     "--older-than %s is after today (%s): that deletes every report; add "
                     "--force if that is what you want",
                     o->day, today);
        return FALSE;
      }
  }
  if (o->dry_run)
    ctx->store_mode = TR_STORE_READ_ONLY;
  tr_catch_stop_signals ();
  return TRUE;
}

/* prune_run - tlsrptdb prune --older-than WHEN [--rejected-only] [--dry-run] */
static gboolean
prune_run (TrContext *ctx, GError **error)
{
  const PruneOptions *o = ctx->options;
  const char *day = o->day;
  TrPruneCounts counts = { 0 };
  gboolean ok = prune (ctx->store, day, !o->rejected_only, o->dry_run, &counts, error);
  const char *verb = o->dry_run ? "would remove" : ok ? "removed" : "removed (then stopped)";

  if (o->rejected_only)
    printf ("%s %" G_GINT64_FORMAT " rejected message%s received before %s\n", verb,
            counts.rejected, counts.rejected == 1 ? "" : "s", day);
  else
    printf ("%s %" G_GINT64_FORMAT " report%s (%" G_GINT64_FORMAT " policies, %" G_GINT64_FORMAT
            " failure details) from before %s, and %" G_GINT64_FORMAT
            " rejected message%s received before %s\n",
            verb, counts.reports, counts.reports == 1 ? "" : "s", counts.policies, counts.failures,
            day, counts.rejected, counts.rejected == 1 ? "" : "s", day);
  return ok;
}

const TrCommand tr_command_prune = {
  .name = "prune",
  .summary = "delete old reports and rejected messages",
  .description = "Delete old reports (with their policies and failure details) and old rejected "
                 "messages.",
  .flags = TR_COMMAND_SETTINGS,
  .store = TR_COMMAND_WRITE,
  .max_args = 0,
  .options_size = sizeof (PruneOptions),
  .options = prune_options,
  .free_options = prune_free_options,
  .prepare = prune_prepare,
  .run = prune_run,
};
