/* cmd-show.c - tlsrptdb show REPORT-ID|ROW: one stored report, whole */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "command.h"
#include "escape.h"
#include "query.h"

static void
show_options (TrContext *ctx, GOptionGroup *group)
{
  gboolean *raw = ctx->options;
  const GOptionEntry entries[] = {
    { "raw", 0, 0, G_OPTION_ARG_NONE, raw,
      "Print the report's JSON exactly as it was received (escaped on a terminal)", NULL },
    G_OPTION_ENTRY_NULL,
  };

  g_option_group_add_entries (group, entries);
}

/* show_run - the reports with that report-id, or with that row id */
static gboolean
show_run (TrContext *ctx, GError **error)
{
  const char *which = ctx->argv[1];
  guint found = 0;

  tr_printer_set_vertical (ctx->printer, TRUE);
  if (*(gboolean *) ctx->options
          ? !tr_query_show_raw (ctx->store, which, stdout, isatty (STDOUT_FILENO), &found, error)
          : !tr_query_show (ctx->store, which, ctx->printer, &found, error))
    return FALSE;
  if (found == 0)
    {
      g_autofree char *shown = tr_escape_text (which);

      g_set_error (error, TR_ERROR, TR_ERROR_NOT_FOUND,
                   "no report with report-id or row id \"%s\" (see tlsrptdb query reports)", shown);
      return FALSE;
    }
  return TRUE;
}

const TrCommand tr_command_show = {
  .name = "show",
  .parameter = "REPORT-ID|ROW",
  .summary = "show one stored report: its policies, failure details, mail facts and warnings",
  .description = "Show a stored report: its mail facts, trust verdict, policies with their failure "
                 "details, and the parse warnings. REPORT-ID is the report-id of the JSON; ROW the "
                 "row id that \"tlsrptdb query reports\" shows.",
  .flags = TR_COMMAND_SETTINGS | TR_COMMAND_FORMAT,
  .store = TR_COMMAND_READ,
  .min_args = 1,
  .max_args = 1,
  .options_size = sizeof (gboolean),
  .options = show_options,
  .run = show_run,
};
