/* cmd-query.c - tlsrptdb query summary|failures|reports: answer an administrator's questions
 *
 * Read-only: the database is opened with SQLITE_OPEN_READONLY, so this works on a read-only
 * file and while ingest writes (WAL).  Output goes through a TrPrinter (text, JSON, CSV).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "commands.h"
#include "dbpath.h"
#include "error.h"
#include "log.h"
#include "query.h"
#include "settings.h"
#include "timespec.h"

#define DEFAULT_SUMMARY_SPAN "30d"

/* copy_values - the values of a repeatable option, each checked and split at commas */
static gboolean
copy_values (const char *option, char **given, gboolean host_name, char ***out, GError **error)
{
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  if (given == NULL)
    return TRUE;
  for (guint i = 0; given[i] != NULL; i++)
    {
      g_auto (GStrv) parts
          = host_name ? g_strsplit (given[i], ",", -1) : g_strdupv ((char *[]){ given[i], NULL });

      if (parts[0] == NULL && !tr_query_check_value (option, "", host_name, error))
        return FALSE;
      for (guint j = 0; parts[j] != NULL; j++)
        {
          if (!tr_query_check_value (option, parts[j], host_name, error))
            return FALSE;
          g_ptr_array_add (values, g_ascii_strdown (parts[j], -1));
        }
    }
  g_ptr_array_add (values, NULL);
  *out = (char **) g_ptr_array_free (g_steal_pointer (&values), FALSE);
  return TRUE;
}

/* tr_cmd_open_db - the database for a read-only command: --db, $TLSRPTDB_DB, the config
 * file's db, the XDG default */
TrStore *
tr_cmd_open_db (const char *opt_db, const char *opt_config, GError **error)
{
  g_auto (TrSettings) settings = TR_SETTINGS_INIT;
  g_autofree char *path = NULL;

  if (!tr_settings_load (&settings, opt_config, error))
    return NULL;
  path = tr_db_path (opt_db, settings.db);
  return tr_store_open (path, TR_STORE_READ_ONLY, error);
}

/* tr_cmd_fail - print @error as one line and return its exit status */
int
tr_cmd_fail (const GError *error)
{
  tr_log_error (NULL, NULL, "%s", error->message);
  return tr_exit_code (error, TR_EXIT_MODE_TOOL);
}

typedef enum
{
  QUERY_SUMMARY,
  QUERY_FAILURES,
  QUERY_REPORTS,
} QueryKind;

/* cmd_query - tlsrptdb query summary|failures|reports [OPTION...] */
int
cmd_query (int argc, char **argv)
{
  g_autofree char *opt_db = NULL, *opt_config = NULL, *opt_format = NULL;
  g_autofree char *opt_since = NULL, *opt_until = NULL, *opt_limit = NULL;
  g_auto (GStrv) opt_domains = NULL, opt_reporters = NULL, opt_types = NULL;
  gboolean opt_authenticated = FALSE;
  g_auto (GStrv) opt_mxs = NULL, opt_by = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, "Database file", "PATH" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
      "Config file (default $TLSRPTDB_CONFIG, else " TR_SETTINGS_DEFAULT_FILE " if present)",
      "PATH" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format,
      "Output format: text (default), json, csv, csv-exact", "FORMAT" },
    { "domain", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &opt_domains,
      "Only this policy domain (repeatable, or D1,D2)", "D" },
    { "since", 's', 0, G_OPTION_ARG_STRING, &opt_since,
      "Only reports of this day and later: YYYY-MM-DD, a date-time, or a span such as 7d, 24h",
      "WHEN" },
    { "until", 'u', 0, G_OPTION_ARG_STRING, &opt_until, "Only reports of this day and earlier",
      "WHEN" },
    { "authenticated", 'a', 0, G_OPTION_ARG_NONE, &opt_authenticated,
      "Only reports with a DKIM signature aligned with the reporter, as verified by the MTA",
      NULL },
    { "reporter", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &opt_reporters,
      "Only reports from this reporter (its reporter key, e.g. google.com; repeatable)", "R" },
    { "result-type", 't', 0, G_OPTION_ARG_STRING_ARRAY, &opt_types,
      "Only failures of this result type (repeatable)", "TYPE" },
    { "mx", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &opt_mxs,
      "Only failures at this receiving MX host (repeatable)", "HOST" },
    { "limit", 'n', 0, G_OPTION_ARG_STRING, &opt_limit, "At most N rows", "N" },
    { "by", 'b', 0, G_OPTION_ARG_STRING_ARRAY, &opt_by,
      "summary: group by day, domain, reporter, result-type or mx (repeatable; default domain)",
      "WHAT" },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = NULL;
  g_autoptr (TrPrinter) printer = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_auto (TrQueryFilter) filter = TR_QUERY_FILTER_INIT;
  g_autofree char *command = NULL;
  TrGroup groups[TR_N_GROUPS];
  guint n_groups = 0;
  TrFormat format = TR_FORMAT_TEXT;
  static const char *const kinds[] = { "summary", "failures", "reports" };
  QueryKind kind = QUERY_SUMMARY;
  g_autofree char **shifted = NULL;
  int sub = 0;
  gboolean exit_now = FALSE, ok;

  tr_log_open ("query", FALSE);
  /* the subcommand may come after options: "query --db X summary" */
  for (int i = 1; i < argc && sub == 0; i++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      if (strcmp (argv[i], kinds[k]) == 0)
        {
          sub = i;
          kind = (QueryKind) k;
          break;
        }
  if (sub == 0)
    {
      for (int i = 1; i < argc; i++)
        if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
          {
            printf ("Usage: %s query summary|failures|reports [OPTION...]\n\n"
                    "  summary   successful and failed sessions and the failure rate per group\n"
                    "  failures  the failure details, newest first\n"
                    "  reports   one line per stored report\n\n"
                    "\"%s query summary --help\" shows the options; see tlsrptdb-query(1).\n",
                    PACKAGE_NAME, PACKAGE_NAME);
            return EX_OK;
          }
      g_set_error (&error, TR_ERROR, TR_ERROR_USAGE,
                   "expected summary, failures or reports after \"query\"%s%s%s",
                   argc >= 2 ? ", not \"" : "", argc >= 2 ? argv[1] : "", argc >= 2 ? "\"" : "");
      return tr_cmd_fail (error);
    }
  command = g_strdup_printf ("query %s", argv[sub]);
  /* argv[0] becomes the subcommand's name, the rest keeps its order */
  shifted = g_new0 (char *, argc + 1);
  shifted[0] = argv[sub];
  for (int i = 1, j = 1; i < argc; i++)
    if (i != sub)
      shifted[j++] = argv[i];
  argc--;
  argv = shifted;
  if (!tr_parse_options (command, NULL,
                         kind == QUERY_SUMMARY    ? "Successful and failed sessions per group."
                         : kind == QUERY_FAILURES ? "Failure details, newest first."
                                                  : "One line per stored report, newest first.",
                         entries, &argc, &argv, &exit_now, &error))
    return tr_cmd_fail (error);
  if (exit_now)
    return EX_OK;

  filter.authenticated = opt_authenticated;
  if (argc > 1)
    g_set_error (&error, TR_ERROR, TR_ERROR_USAGE, "unexpected argument \"%s\"", argv[1]);
  else if (opt_format != NULL && !tr_format_parse (opt_format, &format, &error))
    ;
  else if (!copy_values ("--domain", opt_domains, TRUE, &filter.domains, &error)
           || !copy_values ("--reporter", opt_reporters, FALSE, &filter.reporters, &error)
           || !copy_values ("--result-type", opt_types, FALSE, &filter.result_types, &error)
           || !copy_values ("--mx", opt_mxs, TRUE, &filter.mxs, &error))
    ;
  else if (opt_since != NULL
           && (filter.since_day = tr_time_parse_day ("--since", opt_since, now, &error)) == NULL)
    ;
  else if (opt_until != NULL
           && (filter.until_day = tr_time_parse_day ("--until", opt_until, now, &error)) == NULL)
    ;
  else if (opt_limit != NULL)
    {
      guint64 limit;
      if (!g_ascii_string_to_unsigned (opt_limit, 10, 0, G_MAXINT64, &limit, NULL))
        g_set_error (&error, TR_ERROR, TR_ERROR_USAGE,
                     "--limit: expected a number of rows (0 or more), not \"%s\"", opt_limit);
      filter.limit = (gint64) limit;
    }
  if (error == NULL && opt_by != NULL && kind != QUERY_SUMMARY)
    g_set_error (&error, TR_ERROR, TR_ERROR_USAGE, "--by: only \"query summary\" groups");
  for (guint i = 0; error == NULL && opt_by != NULL && opt_by[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (opt_by[i], ",", -1);

      for (guint j = 0; error == NULL && parts[j] != NULL; j++)
        {
          TrGroup group;

          if (!tr_query_parse_group (parts[j], &group, &error))
            break;
          for (guint k = 0; k < n_groups; k++)
            if (groups[k] == group)
              g_set_error (&error, TR_ERROR, TR_ERROR_USAGE, "--by: \"%s\" given twice", parts[j]);
          if (error == NULL)
            groups[n_groups++] = group;
        }
    }
  if (error != NULL)
    return tr_cmd_fail (error);
  if (kind == QUERY_SUMMARY)
    {
      if (n_groups == 0)
        groups[n_groups++] = TR_GROUP_DOMAIN;
      if (opt_since == NULL && opt_until == NULL)
        filter.since_day = tr_time_parse_day ("--since", DEFAULT_SUMMARY_SPAN, now, NULL);
    }

  store = tr_cmd_open_db (opt_db, opt_config, &error);
  if (store == NULL)
    return tr_cmd_fail (error);
  printer = tr_printer_new (format, stdout, tr_printer_terminal_width ());
  switch (kind)
    {
      case QUERY_SUMMARY:
        ok = tr_query_summary (store, &filter, groups, n_groups, printer, &error);
        break;
      case QUERY_FAILURES:
        ok = tr_query_failures (store, &filter, printer, &error);
        break;
      case QUERY_REPORTS:
      default:
        ok = tr_query_reports (store, &filter, printer, &error);
        break;
    }
  if (!ok)
    return tr_cmd_fail (error);
  return EX_OK;
}
