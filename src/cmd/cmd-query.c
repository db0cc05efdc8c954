/* cmd-query.c - tlsrptdb query summary|failures|reports|rejected: answer an administrator's
 * questions
 *
 * Read-only: the store is opened for reading, so this works on a read-only database and while
 * ingest writes.  The subcommand is the first argument left after the options, so an option's
 * value can never be taken for it.  Output goes through the printer of --format.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "command.h"
#include "log.h"
#include "names.h"
#include "query.h"
#include "timespec.h"
#include "window-options.h"

#define DEFAULT_SUMMARY_SPAN "30d"

typedef enum
{
  QUERY_SUMMARY,
  QUERY_FAILURES,
  QUERY_REPORTS,
  QUERY_REJECTED,
} QueryKind;

static const char *const kinds[] = { "summary", "failures", "reports", "rejected" };

/* The options of query, and what prepare makes of them. */
typedef struct
{
  char *since, *until, *limit;
  char **domains, **reporters, **types, **mxs, **warnings, **by;
  char *reason, *from; /* query rejected */
  gboolean authenticated, wide;
  QueryKind kind;
  TrQueryFilter filter;
  TrRejectedFilter rejected;
  TrGroup groups[TR_N_GROUPS];
  guint n_groups;
} QueryOptions;

static void
query_options (TrContext *ctx, GOptionGroup *group)
{
  QueryOptions *o = ctx->options;
  const GOptionEntry entries[] = {
    { "domain", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &o->domains,
      "Only this policy domain (repeatable, or D1,D2)", "D" },
    { "since", 's', 0, G_OPTION_ARG_STRING, &o->since,
      "Only reports of this day and later: a date, a date-time, today, yesterday, or a span "
      "back from now such as 7d, 24h, 90min, 2w, 13mo, 1y",
      "WHEN" },
    { "until", 'u', 0, G_OPTION_ARG_STRING, &o->until, "Only reports of this day and earlier",
      "WHEN" },
    { "authenticated", 'a', 0, G_OPTION_ARG_NONE, &o->authenticated,
      "Only reports with a DKIM signature aligned with the reporter, as verified by the MTA",
      NULL },
    { "reporter", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &o->reporters,
      "Only reports from this reporter (its reporter key, e.g. google.com; repeatable)", "R" },
    { "result-type", 't', 0, G_OPTION_ARG_STRING_ARRAY, &o->types,
      "Only failures of this result type (repeatable)", "TYPE" },
    { "mx", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &o->mxs,
      "Only failures at this receiving MX host (repeatable)", "HOST" },
    { "warning", 'w', 0, G_OPTION_ARG_STRING_ARRAY, &o->warnings,
      "Only reports kept with this parse warning (its code, see tlsrptdb-query(1); repeatable)",
      "CODE" },
    { "limit", 'n', 0, G_OPTION_ARG_STRING, &o->limit, "At most N rows", "N" },
    { "wide", 'W', 0, G_OPTION_ARG_NONE, &o->wide,
      "Text: every column in full, whatever the terminal's width", NULL },
    { "by", 'b', 0, G_OPTION_ARG_STRING_ARRAY, &o->by,
      "summary: group by day, domain, reporter, result-type or mx (repeatable; default domain)",
      "WHAT" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &o->reason,
      "rejected: only messages whose reason holds TEXT (any case)", "TEXT" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &o->from,
      "rejected: only messages whose From header holds TEXT (any case)", "TEXT" },
    G_OPTION_ENTRY_NULL,
  };

  o->filter = (TrQueryFilter) TR_QUERY_FILTER_INIT;
  o->rejected = (TrRejectedFilter) TR_REJECTED_FILTER_INIT;
  g_option_group_add_entries (group, entries);
}

static void
query_free_options (gpointer options)
{
  QueryOptions *o = options;

  g_free (o->since);
  g_free (o->until);
  g_free (o->limit);
  g_strfreev (o->domains);
  g_strfreev (o->reporters);
  g_strfreev (o->types);
  g_strfreev (o->mxs);
  g_strfreev (o->warnings);
  g_strfreev (o->by);
  g_free (o->reason);
  g_free (o->from);
  tr_query_filter_clear (&o->filter);
  tr_rejected_filter_clear (&o->rejected);
}

/* parse_kind - the subcommand */
static gboolean
parse_kind (const char *name, QueryKind *kind, GError **error)
{
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    if (strcmp (name, kinds[k]) == 0)
      {
        *kind = (QueryKind) k;
        return TRUE;
      }
  g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
               "expected summary, failures, reports or rejected after \"query\", not \"%s\"", name);
  return FALSE;
}

/* parse_groups - the values of --by */
static gboolean
parse_groups (QueryOptions *o, GError **error)
{
  for (guint i = 0; o->by != NULL && o->by[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (o->by[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          TrGroup group;

          if (!tr_query_parse_group (parts[j], &group, error))
            return FALSE;
          for (guint k = 0; k < o->n_groups; k++)
            if (o->groups[k] == group)
              {
                g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "--by: \"%s\" given twice", parts[j]);
                return FALSE;
              }
          o->groups[o->n_groups++] = group;
        }
    }
  return TRUE;
}

/* parse_limit - the value of --limit */
static gboolean
parse_limit (const char *text, gint64 *limit, GError **error)
{
  guint64 n;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &n, NULL))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                   "--limit: expected a number of rows (0 or more), not \"%s\"", text);
      return FALSE;
    }
  *limit = (gint64) n;
  return TRUE;
}

/* prepare_rejected - the filter of query rejected: by the time a message was received, its
 * reason and its From header */
static gboolean
prepare_rejected (TrContext *ctx, QueryOptions *o, GError **error)
{
  TrRejectedFilter *filter = &o->rejected;

  if (o->domains || o->reporters || o->types || o->mxs || o->warnings || o->by || o->authenticated)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                   "query rejected takes --since, --until, --reason, --from and --limit only "
                   "(its messages held no usable report)");
      return FALSE;
    }
  return tr_query_rejected_filter (filter, o->since, o->until, o->reason, o->from, ctx->now, error)
         && (o->limit == NULL || parse_limit (o->limit, &filter->limit, error));
}

/* query_prepare - the subcommand, the filter and the groups, checked */
static gboolean
query_prepare (TrContext *ctx, GError **error)
{
  QueryOptions *o = ctx->options;
  TrQueryFilter *filter = &o->filter;

  filter->authenticated = o->authenticated;
  if (ctx->argc > 1 && !parse_kind (ctx->argv[1], &o->kind, error))
    return FALSE;
  if (o->kind == QUERY_REJECTED)
    return prepare_rejected (ctx, o, error);
  if (o->reason != NULL || o->from != NULL)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "%s: only \"query rejected\" takes it",
                   o->reason != NULL ? "--reason" : "--from");
      return FALSE;
    }
  if (!tr_option_values ("--domain", o->domains, TRUE, &filter->domains, error)
      || !tr_option_values ("--reporter", o->reporters, FALSE, &filter->reporters, error)
      || !tr_option_values ("--result-type", o->types, FALSE, &filter->result_types, error)
      || !tr_option_values ("--mx", o->mxs, TRUE, &filter->mxs, error)
      || !tr_option_values ("--warning", o->warnings, FALSE, &filter->warnings, error)
      || !tr_query_check_warnings (filter->warnings, error))
    return FALSE;
  if ((o->since != NULL
       && (filter->since_day = tr_time_parse_day ("--since", o->since, ctx->now, error)) == NULL)
      || (o->until != NULL
          && (filter->until_day = tr_time_parse_day ("--until", o->until, ctx->now, error)) == NULL)
      || (o->limit != NULL && !parse_limit (o->limit, &filter->limit, error)))
    return FALSE;
  if (filter->since_day != NULL && filter->until_day != NULL
      && strcmp (filter->since_day, filter->until_day) > 0)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                   "--since %s is after --until %s: the range holds no day", filter->since_day,
                   filter->until_day);
      return FALSE;
    }
  if (o->by != NULL && o->kind != QUERY_SUMMARY)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "--by: only \"query summary\" groups");
      return FALSE;
    }
  if (!parse_groups (o, error))
    return FALSE;
  if (o->kind == QUERY_SUMMARY && o->n_groups == 0)
    o->groups[o->n_groups++] = TR_GROUP_DOMAIN;
  if (o->kind == QUERY_SUMMARY && o->since == NULL && o->until == NULL)
    filter->since_day = tr_time_parse_day ("--since", DEFAULT_SUMMARY_SPAN, ctx->now, NULL);
  return TRUE;
}

/* say_empty - in text, that nothing matched, and in which range (stdout stays empty) */
static void
say_empty (const QueryOptions *o, const char *today)
{
  static const char *const what[]
      = { "no reports", "no failure details", "no reports", "no rejected messages" };
  const TrQueryFilter *f = &o->filter;
  gboolean rejected = o->kind == QUERY_REJECTED;
  const char *since = rejected ? o->rejected.since_day : f->since_day;
  const char *until = rejected ? o->rejected.until_day : f->until_day;
  gboolean filtered = rejected ? o->rejected.reason || o->rejected.from
                               : f->domains || f->reporters || f->result_types || f->mxs
                                     || f->warnings || f->authenticated;

  if (since != NULL)
    tr_log_warning ("%s between %s and %s%s", what[o->kind], since, until ? until : today,
                    filtered ? " that match the filters" : "");
  else if (until != NULL)
    tr_log_warning ("%s up to %s%s", what[o->kind], until,
                    filtered ? " that match the filters" : "");
  else
    tr_log_warning ("%s%s", what[o->kind], filtered ? " that match the filters" : " stored");
}

/* query_filter - the filter resolved against the database, with hints for what matches nothing */
static gboolean
query_filter (TrContext *ctx, QueryOptions *o, GError **error)
{
  g_autoptr (GPtrArray) hints = g_ptr_array_new_with_free_func (g_free);

  if (o->authenticated && ctx->settings.trusted_authserv_ids == NULL)
    tr_log_warning ("--authenticated: no trusted-authserv-id is configured, so no report stored "
                    "under this configuration is authenticated (see tlsrptdb(1))");
  if (!tr_query_filter_resolve (ctx->store, &o->filter, hints, error))
    return FALSE;
  for (guint i = 0; i < hints->len; i++)
    tr_log_warning ("%s", (const char *) g_ptr_array_index (hints, i));
  return TRUE;
}

/* query_run - the question asked */
static gboolean
query_run (TrContext *ctx, GError **error)
{
  QueryOptions *o = ctx->options;
  g_autofree char *today = tr_time_day (ctx->now);
  gboolean ok;

  if (o->wide)
    tr_printer_set_width (ctx->printer, 0);
  if (!query_filter (ctx, o, error))
    return FALSE;
  switch (o->kind)
    {
      case QUERY_SUMMARY:
        ok = tr_query_summary (ctx->store, &o->filter, o->groups, o->n_groups, today, ctx->printer,
                               error);
        break;
      case QUERY_FAILURES:
        ok = tr_query_failures (ctx->store, &o->filter, ctx->printer, error);
        break;
      case QUERY_REJECTED:
        ok = tr_query_rejected (ctx->store, &o->rejected, ctx->printer, error);
        break;
      case QUERY_REPORTS:
      default:
        ok = tr_query_reports (ctx->store, &o->filter, ctx->printer, error);
        break;
    }
  if (ok && tr_printer_rows (ctx->printer) == 0 && tr_printer_for_people (ctx->printer))
    say_empty (o, today);
  return ok;
}

const TrCommand tr_command_query = {
  .name = "query",
  .parameter = "[summary|failures|reports|rejected]",
  .summary = "summary, failures, reports or rejected: answer questions from the database",
  .description = "summary (the default): successful and failed sessions and the failure rate "
                 "per group; failures: the failure details, newest first; reports: one line per "
                 "stored report, newest first; rejected: the messages kept without a usable "
                 "report, newest first.",
  .flags = TR_COMMAND_SETTINGS | TR_COMMAND_FORMAT,
  .store = TR_COMMAND_READ,
  .min_args = 0,
  .max_args = 1,
  .options_size = sizeof (QueryOptions),
  .options = query_options,
  .free_options = query_free_options,
  .prepare = query_prepare,
  .run = query_run,
};
