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
#include <sysexits.h>

#include "commands.h"
#include "error.h"
#include "import.h"
#include "log.h"

#define PRUNE_BATCH 2000

/* cutoff_day - the day @span ("90d", "12w", "6m", "1y" before today, UTC, or "YYYY-MM-DD")
 * means, as "YYYY-MM-DD"; rows before that day are old */
static char *
cutoff_day (const char *span, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) then = NULL;
  gsize len = strlen (span);
  guint64 n = 0;

  if (len == 10 && g_ascii_isdigit (span[0]) && span[4] == '-' && span[7] == '-')
    {
      int y, m, d;
      char tail;

      if (sscanf (span, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && y >= 1 && m >= 1 && m <= 12
          && d >= 1 && d <= 31 && g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
        return g_strdup (span);
    }
  else if (len >= 2 && strchr ("dwmy", span[len - 1]) != NULL)
    {
      g_autofree char *number = g_strndup (span, len - 1);

      if (g_ascii_string_to_unsigned (number, 10, 0, 100000, &n, NULL))
        {
          switch (span[len - 1])
            {
              case 'd':
                then = g_date_time_add_days (now, -(gint) n);
                break;
              case 'w':
                then = g_date_time_add_weeks (now, -(gint) n);
                break;
              case 'm':
                then = g_date_time_add_months (now, -(gint) n);
                break;
              default:
                then = g_date_time_add_years (now, -(gint) n);
                break;
            }
          if (then != NULL)
            return g_date_time_format (then, "%Y-%m-%d");
        }
    }
  g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
               "--older-than: \"%s\" is not a span (Nd, Nw, Nm, Ny) or a date (YYYY-MM-DD)", span);
  return NULL;
}

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

/* cmd_prune - tlsrptdb prune --older-than SPAN [--rejected-only] [--dry-run] */
int
cmd_prune (int argc, char **argv)
{
  g_autofree char *opt_config = NULL;
  g_autofree char *opt_older_than = NULL;
  gboolean opt_rejected_only = FALSE, opt_dry_run = FALSE, exit_now = FALSE;
  const GOptionEntry entries[] = {
    TR_SETTING_OPTION ("db", TRUE, "Database file", "PATH"),
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
      "Config file (default $TLSRPTDB_CONFIG, else " TR_SETTINGS_DEFAULT_FILE " if present)",
      "PATH" },
    { "older-than", 0, 0, G_OPTION_ARG_STRING, &opt_older_than,
      "Delete what is older than SPAN: Nd, Nw, Nm, Ny (days, weeks, months, years before today, "
      "UTC) or a date YYYY-MM-DD (kept: that day and later)",
      "SPAN" },
    { "rejected-only", 0, 0, G_OPTION_ARG_NONE, &opt_rejected_only,
      "Only delete old messages in `rejected`, no reports", NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &opt_dry_run, "Only say what would be deleted", NULL },
    G_OPTION_ENTRY_NULL,
  };
  g_auto (TrSettings) settings = TR_SETTINGS_INIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = NULL;
  g_autofree char *path = NULL;
  g_autofree char *day = NULL;
  TrPruneCounts counts = { 0 };

  tr_log_open ("prune", FALSE);
  if (!tr_parse_options ("prune", NULL,
                         "Delete old reports (with their policies and failure details) and old "
                         "rejected messages.",
                         entries, &argc, &argv, &exit_now, &error))
    {
      tr_log_error (NULL, NULL, "%s", error->message);
      return tr_exit_code (error, TR_EXIT_MODE_TOOL);
    }
  if (exit_now)
    return EX_OK;
  if (argc > 1)
    g_set_error (&error, TR_ERROR, TR_ERROR_USAGE, "unexpected argument \"%s\"", argv[1]);
  else if (opt_older_than == NULL)
    g_set_error (&error, TR_ERROR, TR_ERROR_USAGE, "--older-than SPAN is required");
  else
    day = cutoff_day (opt_older_than, &error);
  if (error == NULL)
    tr_cli_settings_load (&settings, opt_config, &path, &error);
  if (error != NULL)
    {
      tr_log_error (NULL, NULL, "%s", error->message);
      return tr_exit_code (error, TR_EXIT_MODE_TOOL);
    }

  tr_catch_stop_signals ();
  store = tr_store_open (path, opt_dry_run ? TR_STORE_READ_ONLY : TR_STORE_READ_WRITE, &error);
  if (store != NULL)
    prune (store, day, !opt_rejected_only, opt_dry_run, &counts, &error);
  if (store != NULL)
    {
      const char *verb = opt_dry_run ? "would remove"
                         : error     ? "removed (then stopped)"
                                     : "removed";

      if (opt_rejected_only)
        printf ("%s %" G_GINT64_FORMAT " rejected message%s received before %s\n", verb,
                counts.rejected, counts.rejected == 1 ? "" : "s", day);
      else
        printf ("%s %" G_GINT64_FORMAT " report%s (%" G_GINT64_FORMAT " policies, %" G_GINT64_FORMAT
                " failure details) from before %s, and %" G_GINT64_FORMAT
                " rejected message%s received before %s\n",
                verb, counts.reports, counts.reports == 1 ? "" : "s", counts.policies,
                counts.failures, day, counts.rejected, counts.rejected == 1 ? "" : "s", day);
    }
  if (error != NULL)
    tr_log_error (NULL, NULL, "%s", error->message);
  return tr_exit_code (error, TR_EXIT_MODE_TOOL);
}
