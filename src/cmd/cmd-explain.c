/* cmd-explain.c - tlsrptdb explain [RESULT-TYPE...]: what the RFC 8460 result types mean, and,
 * when there is a database, where it saw them in the last 30 days, with the commands to check
 * filled in for the MX host that had the most of them */
#include "config.h"

#include "command.h"
#include "explain.h"
#include "query.h"
#include "timespec.h"

#define SEEN_SPAN "30d"

static const TrColumn explain_columns[] = {
  { "result_type", "Result type", TR_COLUMN_TEXT },
  { "category", "Category", TR_COLUMN_TEXT },
  { "summary", "In short", TR_COLUMN_TEXT },
  { "meaning", "Meaning", TR_COLUMN_LONG },
  { "usual_causes", "Usual causes", TR_COLUMN_LONG },
  { "check", "How to check", TR_COLUMN_LONG },
  { "fix", "How to fix", TR_COLUMN_LONG },
  { "seen", "Seen here in the last 30 days", TR_COLUMN_NESTED },
};

/* print_names - (name, sessions) pairs */
static void
print_names (TrPrinter *printer, const GArray *names)
{
  tr_printer_begin_list (printer);
  for (guint i = 0; i < names->len; i++)
    {
      const TrSeenName *n = &g_array_index (names, TrSeenName, i);

      tr_printer_begin_map (printer);
      tr_printer_key (printer, "name", NULL);
      tr_printer_str (printer, n->name);
      tr_printer_key (printer, "failed_sessions", NULL);
      tr_printer_int (printer, n->count);
      tr_printer_close (printer);
    }
  tr_printer_close (printer);
}

/* print_seen - where the database saw the type */
static void
print_seen (TrPrinter *printer, const TrSeen *seen)
{
  tr_printer_field (printer);
  tr_printer_begin_map (printer);
  tr_printer_key (printer, "failed_sessions", "Failed sessions");
  tr_printer_int (printer, seen->failed);
  tr_printer_key (printer, "mx_hosts", "MX hosts");
  print_names (printer, seen->mx);
  tr_printer_key (printer, "domains", "Domains");
  print_names (printer, seen->domains);
  tr_printer_close (printer);
}

/* print_explanation - one row; @as_type names an unknown type; @seen is NULL without a database */
static void
print_explanation (TrPrinter *printer, const TrExplanation *e, const char *as_type,
                   const TrSeen *seen)
{
  const char *mx = seen && seen->mx->len > 0 ? g_array_index (seen->mx, TrSeenName, 0).name : NULL;
  const char *domain
      = seen && seen->domains->len > 0 ? g_array_index (seen->domains, TrSeenName, 0).name : NULL;
  g_autofree char *check = tr_explain_fill (e->check, mx, domain);

  tr_printer_field_str (printer, e->result_type ? e->result_type : as_type);
  tr_printer_field_str (printer, e->category);
  tr_printer_field_str (printer, e->short_form);
  tr_printer_field_str (printer, e->meaning);
  tr_printer_field_str (printer, e->causes);
  tr_printer_field_lines (printer, check); /* shell commands, one per line */
  tr_printer_field_str (printer, e->fix);
  if (seen != NULL)
    print_seen (printer, seen);
  tr_printer_end_row (printer);
}

/* explain_prepare - a type that is not known but close to one is a typo, not a new type */
static gboolean
explain_prepare (TrContext *ctx, GError **error)
{
  for (int i = 1; i < ctx->argc; i++)
    {
      const char *suggestion;

      if (!tr_query_check_value ("RESULT-TYPE", ctx->argv[i], FALSE, error))
        return FALSE;
      if ((suggestion = tr_explain_suggest (ctx->argv[i])) != NULL)
        {
          g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                       "unknown result type \"%s\": did you mean %s? (tlsrptdb explain lists "
                       "them all)",
                       ctx->argv[i], suggestion);
          return FALSE;
        }
    }
  return TRUE;
}

/* explain_one - one type, with what the database saw of it */
static gboolean
explain_one (TrContext *ctx, const TrExplanation *e, const char *as_type, const char *since,
             GError **error)
{
  g_auto (TrSeen) seen = { 0 };

  if (ctx->store == NULL)
    {
      print_explanation (ctx->printer, e, as_type, NULL);
      return TRUE;
    }
  if (!tr_explain_seen (ctx->store, e->result_type ? e->result_type : as_type, since, &seen, error))
    return FALSE;
  print_explanation (ctx->printer, e, as_type, &seen);
  return TRUE;
}

/* explain_run - the explanations asked for, or all of them */
static gboolean
explain_run (TrContext *ctx, GError **error)
{
  g_autofree char *since = tr_time_parse_day ("since", SEEN_SPAN, ctx->now, NULL);
  guint n_columns = G_N_ELEMENTS (explain_columns) - (ctx->store == NULL ? 1 : 0);
  guint n;
  const TrExplanation *all = tr_explain_all (&n);
  gboolean ok = TRUE;

  tr_printer_set_vertical (ctx->printer, TRUE);
  tr_printer_begin_listing (ctx->printer, "explanations", explain_columns, n_columns);
  for (guint i = 0; ok && ctx->argc < 2 && i < n; i++)
    ok = explain_one (ctx, &all[i], NULL, since, error);
  for (int i = 1; ok && i < ctx->argc; i++)
    ok = explain_one (ctx, tr_explain_lookup (ctx->argv[i]), ctx->argv[i], since, error);
  return ok && tr_printer_end (ctx->printer, error);
}

const TrCommand tr_command_explain = {
  .name = "explain",
  .parameter = "[RESULT-TYPE...]",
  .summary = "what each RFC 8460 result type means, and how to fix it",
  .description = "Explain the RFC 8460 result types (all of them without an argument): what "
                 "each means, its usual causes, how to check and how to fix it; with a "
                 "database, where it was seen in the last 30 days, and the commands to check "
                 "filled in for that MX host.",
  .flags = TR_COMMAND_SETTINGS | TR_COMMAND_FORMAT,
  .store = TR_COMMAND_READ_IF_THERE,
  .max_args = G_MAXUINT,
  .prepare = explain_prepare,
  .run = explain_run,
};
