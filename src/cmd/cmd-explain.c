/* cmd-explain.c - tlsrptdb explain [RESULT-TYPE...]: what the RFC 8460 result types mean */
#include "config.h"

#include <stdio.h>
#include <sysexits.h>

#include "commands.h"
#include "error.h"
#include "explain.h"
#include "log.h"
#include "query.h"

static const TrColumn explain_columns[] = {
  { "result_type", "Result type", TR_COLUMN_TEXT },
  { "category", "Category", TR_COLUMN_TEXT },
  { "summary", "In short", TR_COLUMN_TEXT },
  { "meaning", "Meaning", TR_COLUMN_LONG },
  { "usual_causes", "Usual causes", TR_COLUMN_LONG },
  { "check", "How to check", TR_COLUMN_LONG },
  { "fix", "How to fix", TR_COLUMN_LONG },
};

/* print_explanation - one row; @as_type names an unknown type */
static void
print_explanation (TrPrinter *printer, const TrExplanation *e, const char *as_type)
{
  tr_printer_field_str (printer, e->result_type ? e->result_type : as_type);
  tr_printer_field_str (printer, e->category);
  tr_printer_field_str (printer, e->short_form);
  tr_printer_field_str (printer, e->meaning);
  tr_printer_field_str (printer, e->causes);
  tr_printer_field_str (printer, e->check);
  tr_printer_field_str (printer, e->fix);
  tr_printer_end_row (printer);
}

/* cmd_explain - tlsrptdb explain [--format F] [RESULT-TYPE...] (needs no database) */
int
cmd_explain (int argc, char **argv)
{
  g_autofree char *opt_format = NULL;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format,
      "Output format: text (default), json, csv, csv-exact", "FORMAT" },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (TrPrinter) printer = NULL;
  TrFormat format = TR_FORMAT_TEXT;
  gboolean exit_now = FALSE;

  tr_log_open ("explain", FALSE);
  if (!tr_parse_options ("explain", "[RESULT-TYPE...]",
                         "Explain the RFC 8460 result types (all of them without an argument): "
                         "what each means, its usual causes, how to check and how to fix it.",
                         entries, &argc, &argv, &exit_now, &error))
    return tr_cmd_fail (error);
  if (exit_now)
    return EX_OK;
  if (opt_format != NULL && !tr_format_parse (opt_format, &format, &error))
    return tr_cmd_fail (error);
  for (int i = 1; i < argc; i++)
    if (!tr_query_check_value ("RESULT-TYPE", argv[i], FALSE, &error))
      return tr_cmd_fail (error);

  printer = tr_printer_new (format, stdout, 0);
  tr_printer_set_vertical (printer, TRUE);
  tr_printer_begin_list (printer, "explanations", explain_columns, G_N_ELEMENTS (explain_columns));
  if (argc < 2)
    {
      guint n;
      const TrExplanation *all = tr_explain_all (&n);

      for (guint i = 0; i < n; i++)
        print_explanation (printer, &all[i], NULL);
    }
  for (int i = 1; i < argc; i++)
    print_explanation (printer, tr_explain_lookup (argv[i]), argv[i]);
  if (!tr_printer_end (printer, &error))
    return tr_cmd_fail (error);
  return EX_OK;
}
