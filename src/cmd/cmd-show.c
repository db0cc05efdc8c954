/* cmd-show.c - tlsrptdb show REPORT-ID|ROW: one stored report, its JSON and its mail facts */
#include "config.h"

#include <stdio.h>
#include <sysexits.h>

#include "commands.h"
#include "error.h"
#include "log.h"
#include "query.h"
#include "settings.h"

/* cmd_show - tlsrptdb show [--db PATH] [--format F] REPORT-ID|ROW */
int
cmd_show (int argc, char **argv)
{
  g_autofree char *opt_db = NULL, *opt_config = NULL, *opt_format = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, "Database file", "PATH" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
      "Config file (default $TLSRPTDB_CONFIG, else " TR_SETTINGS_DEFAULT_FILE " if present)",
      "PATH" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format,
      "Output format: text (default), json, csv, csv-exact", "FORMAT" },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = NULL;
  g_autoptr (TrPrinter) printer = NULL;
  TrFormat format = TR_FORMAT_TEXT;
  gboolean exit_now = FALSE;
  guint found = 0;

  tr_log_open ("show", FALSE);
  if (!tr_parse_options ("show", "REPORT-ID|ROW",
                         "Show a stored report: its mail facts and its JSON, pretty-printed. "
                         "REPORT-ID is the report-id of the JSON; ROW the row id that "
                         "\"tlsrptdb query reports\" shows.",
                         entries, &argc, &argv, &exit_now, &error))
    return tr_cmd_fail (error);
  if (exit_now)
    return EX_OK;
  if (argc != 2)
    g_set_error (&error, TR_ERROR, TR_ERROR_USAGE,
                 argc < 2 ? "expected a REPORT-ID or a row id" : "expected one REPORT-ID, not %d",
                 argc - 1);
  else if (opt_format != NULL)
    tr_format_parse (opt_format, &format, &error);
  if (error != NULL)
    return tr_cmd_fail (error);

  store = tr_cmd_open_db (opt_db, opt_config, &error);
  if (store == NULL)
    return tr_cmd_fail (error);
  printer = tr_printer_new (format, stdout, 0);
  tr_printer_set_vertical (printer, TRUE);
  if (!tr_query_show (store, argv[1], printer, &found, &error))
    return tr_cmd_fail (error);
  if (found == 0)
    {
      g_autofree char *shown = tr_output_text_field (argv[1]);
      g_set_error (&error, TR_ERROR, TR_ERROR_NOT_FOUND,
                   "no report with report-id or row id \"%s\" (see tlsrptdb query reports)", shown);
      return tr_cmd_fail (error);
    }
  return EX_OK;
}
