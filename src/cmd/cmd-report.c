/* cmd-report.c - tlsrptdb report: one self-contained HTML page of a window, with charts
 *
 * store -> query (overview: the counting rule of query summary, verdict) -> print (the page).
 * Read-only, so it runs beside ingest and on a read-only copy.  The page is written whole: to
 * stdout, or with --output to a file replaced atomically (a web server never serves half of it).
 * It depends on nothing but the database and the options: no clock (the window's end is the date
 * shown), so the same database gives the same bytes.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "atomic-file.h"
#include "report-page.h"

#define DEFAULT_SPAN "30d"

typedef struct
{
  TrWindowOptions window;
  char *output;
} ReportOptions;

static void
report_options (TrContext *ctx, GOptionGroup *group)
{
  ReportOptions *o = ctx->options;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
      "Write the page to FILE (replaced whole, mode 0644) instead of stdout", "FILE" },
    G_OPTION_ENTRY_NULL,
  };

  tr_window_options_add (&o->window, group,
                         "Report days from this one on (default 30d back): a date, a date-time, "
                         "today, yesterday, or a span such as 7d, 2w, 13mo, 1y");
  g_option_group_add_entries (group, entries);
}

static void
report_free_options (gpointer options)
{
  ReportOptions *o = options;

  tr_window_options_clear (&o->window);
  g_free (o->output);
}

/* report_prepare - the window; an --output that is there must be a regular file: it is
 * replaced by a rename, which would replace a device such as /dev/null or /dev/stdout too */
static gboolean
report_prepare (TrContext *ctx, GError **error)
{
  ReportOptions *o = ctx->options;
  GStatBuf st;

  if (o->output != NULL && g_stat (o->output, &st) == 0 && !S_ISREG (st.st_mode))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_CONFIG,
                   "--output %s: not a regular file (it would be replaced; leave --output out "
                   "to write to stdout)",
                   o->output);
      return FALSE;
    }
  return tr_window_options_apply (&o->window, ctx->now, DEFAULT_SPAN, error);
}

static gboolean
report_run (TrContext *ctx, GError **error)
{
  ReportOptions *o = ctx->options;
  g_autoptr (GString) page = tr_report_page (ctx->store, &o->window, &ctx->settings, NULL, error);

  if (page == NULL)
    return FALSE;
  if (o->output != NULL)
    return tr_atomic_file_write (o->output, page->str, page->len, 0644, error);
  if (fwrite (page->str, 1, page->len, stdout) != page->len || fflush (stdout) != 0)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY, "writing the page: %s", g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

const TrCommand tr_command_report = {
  .name = "report",
  .parameter = NULL,
  .summary = "one HTML page with charts of a window (default the last 30 days)",
  .description = "Write one self-contained HTML page (inline CSS and SVG, no script, nothing "
                 "fetched) with charts and tables of the reports of a window: sessions and "
                 "failures per day and per domain, result types with their fix, reporters, MX "
                 "hosts and sending IPs, failure details and rejected mail.",
  .flags = TR_COMMAND_SETTINGS,
  .store = TR_COMMAND_READ,
  .min_args = 0,
  .max_args = 0,
  .options_size = sizeof (ReportOptions),
  .options = report_options,
  .free_options = report_free_options,
  .prepare = report_prepare,
  .run = report_run,
};
