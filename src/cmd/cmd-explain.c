/* cmd-explain.c - tlsrptdb explain [RESULT-TYPE...]: what the RFC 8460 result types mean */
#include "config.h"

#include "command.h"
#include "explain.h"
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
  tr_printer_field_lines (printer, e->check); /* shell commands, one per line */
  tr_printer_field_str (printer, e->fix);
  tr_printer_end_row (printer);
}

static gboolean
explain_prepare (TrContext *ctx, GError **error)
{
  for (int i = 1; i < ctx->argc; i++)
    if (!tr_query_check_value ("RESULT-TYPE", ctx->argv[i], FALSE, error))
      return FALSE;
  return TRUE;
}

/* explain_run - the explanations asked for, or all of them */
static gboolean
explain_run (TrContext *ctx, GError **error)
{
  TrPrinter *printer = ctx->printer;

  tr_printer_set_vertical (printer, TRUE);
  tr_printer_begin_listing (printer, "explanations", explain_columns,
                            G_N_ELEMENTS (explain_columns));
  if (ctx->argc < 2)
    {
      guint n;
      const TrExplanation *all = tr_explain_all (&n);

      for (guint i = 0; i < n; i++)
        print_explanation (printer, &all[i], NULL);
    }
  for (int i = 1; i < ctx->argc; i++)
    print_explanation (printer, tr_explain_lookup (ctx->argv[i]), ctx->argv[i]);
  return tr_printer_end (printer, error);
}

const TrCommand tr_command_explain = {
  .name = "explain",
  .parameter = "[RESULT-TYPE...]",
  .summary = "what each RFC 8460 result type means, and how to fix it",
  .description = "Explain the RFC 8460 result types (all of them without an argument): what "
                 "each means, its usual causes, how to check and how to fix it.",
  .flags = TR_COMMAND_FORMAT,
  .store = TR_COMMAND_NO_STORE,
  .max_args = G_MAXUINT,
  .prepare = explain_prepare,
  .run = explain_run,
};
