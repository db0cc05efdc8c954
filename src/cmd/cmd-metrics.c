/* cmd-metrics.c - tlsrptdb metrics: the Prometheus text exposition format, on stdout or into a
 * file for node_exporter's textfile collector
 *
 * The families are query/metrics.c's, from the reading of query/health.c (the same as check's,
 * over check's default window: the reports of the last day, the 30 days before).  With --output
 * the file is replaced atomically (util/atomic-file.c: a temporary file beside it, fsynced,
 * renamed), as the collector requires: it never reads half a file.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "atomic-file.h"
#include "command.h"
#include "health.h"
#include "log.h"
#include "metrics.h"
#include "timespec.h"

/* the window of "day" metrics and the history before it: check's defaults */
#define METRICS_SINCE "24h"
#define METRICS_HISTORY "30d"

typedef struct
{
  char *output;
  char **given; /* --domain */
  char **domains;
  gboolean authenticated;
} MetricsOptions;

static void
metrics_options (TrContext *ctx, GOptionGroup *group)
{
  MetricsOptions *o = ctx->options;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
      "Replace FILE atomically (node_exporter's textfile collector: a *.prom file in its "
      "directory) instead of writing to stdout",
      "FILE" },
    { "domain", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &o->given,
      "Only this policy domain (repeatable, or D1,D2)", "D" },
    { "authenticated", 'a', 0, G_OPTION_ARG_NONE, &o->authenticated,
      "Only reports with a DKIM signature aligned with the reporter", NULL },
    G_OPTION_ENTRY_NULL,
  };

  g_option_group_add_entries (group, entries);
}

static void
metrics_free_options (gpointer options)
{
  MetricsOptions *o = options;

  g_free (o->output);
  g_strfreev (o->given);
  g_strfreev (o->domains);
}

static gboolean
metrics_prepare (TrContext *ctx, GError **error)
{
  MetricsOptions *o = ctx->options;

  if (o->output != NULL && *o->output == '\0')
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "--output: expected a file name");
      return FALSE;
    }
  return tr_command_domains ("--domain", o->given, &o->domains, error);
}

/* write_out - the exposition to stdout, or atomically to --output (mode 0644: the collector runs
 * as another user) */
static gboolean
write_out (const char *path, const char *text, gsize len, GError **error)
{
  if (path == NULL || strcmp (path, "-") == 0)
    {
      fwrite (text, 1, len, stdout);
      return tr_printer_flush_file (stdout, error);
    }
  return tr_atomic_file_write (path, text, len, 0644, error);
}

static gboolean
metrics_run (TrContext *ctx, GError **error)
{
  MetricsOptions *o = ctx->options;
  g_auto (TrHealth) health = { 0 };
  g_autoptr (TrMetrics) metrics = tr_metrics_new ();
  g_autofree char *since_day = tr_time_parse_day ("--since", METRICS_SINCE, ctx->now, NULL);
  g_autoptr (GDateTime) since = tr_time_parse ("--since", since_day, ctx->now, NULL);
  g_autofree char *history_day = tr_time_parse_day ("--history", METRICS_HISTORY, since, NULL);
  TrHealthQuery query = {
    .now = ctx->now,
    .since_day = since_day,
    .history_day = history_day,
    .domains = o->domains,
    .authenticated = o->authenticated,
    .totals = TRUE,
  };
  const char *text;
  guint refused = 0;
  gsize len;

  if (!tr_health_read (ctx->store, &query, &health, error)
      || !tr_metrics_add_health (&health, metrics, &refused, error))
    return FALSE;
  if (refused > 0)
    tr_log_warning ("%u samples left out: their labels (domain or reporter names from reports) "
                    "are the same as another sample's once made valid UTF-8 and cut",
                    refused);
  text = tr_metrics_text (metrics, &len);
  return write_out (o->output, text, len, error);
}

const TrCommand tr_command_metrics = {
  .name = "metrics",
  .parameter = NULL,
  .summary = "Prometheus metrics: sessions, failures, silence, rejected mail, database health",
  .description = "Write the Prometheus text exposition format to stdout, or with --output "
                 "atomically to a file for node_exporter's textfile collector.",
  .flags = TR_COMMAND_SETTINGS,
  .store = TR_COMMAND_READ,
  .min_args = 0,
  .max_args = 0,
  .options_size = sizeof (MetricsOptions),
  .options = metrics_options,
  .free_options = metrics_free_options,
  .prepare = metrics_prepare,
  .run = metrics_run,
};
