/* cmd-check.c - tlsrptdb check: a monitoring plugin for Nagios, Icinga, Naemon and Checkmk
 *
 * Follows the Monitoring Plugins Development Guidelines: exit 0 OK, 1 WARNING, 2 CRITICAL,
 * 3 UNKNOWN (every error: a missing database, a bad option, a newer schema; context.c prints it
 * as the plugin's first line), a first line that names the worst problems, long output lines,
 * performance data per policy domain.  The rules are in query/check.c, the reading in
 * query/health.c; this file turns options and the [check] group of the config file into them.
 *
 * Every option but --enforce-ready and --format is also a key of [check] (the same name): the
 * options are kept by the context as (key, value) pairs and applied over the file by settings.c;
 * prepare() checks the values given on the command line, so that a typo there is a usage error
 * before anything is read, and run() reads the merged values, of which only the file's can still
 * be wrong.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "command.h"
#include "query.h"
#include "timespec.h"

typedef struct
{
  char *format;        /* --format: plugin (text) or json */
  char *enforce_ready; /* --enforce-ready DOMAIN */
  gboolean json;
  /* what the options and [check] say, parsed */
  TrCheckRules rules;
  GDateTime *since; /* the window's first midnight */
  char *since_day;
  char *history_day;
  char *enforce_day;
  char **domains;
  gboolean authenticated;
} CheckOptions;

/* short_option - an option of [check] with a short name: GOption hands its callback "-w", not
 * the long name that is the config key */
static gboolean
short_option (const char *name, const char *value, gpointer data, GError **error)
{
  static const char *const names[][2] = {
    { "-w", "--warning" }, { "-c", "--critical" },      { "-s", "--since" },
    { "-d", "--domain" },  { "-a", "--authenticated" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (name, names[i][0]) == 0)
      name = names[i][1];
  return tr_setting_option (name, value, data, error);
}

#define SETTING(name, short_name, arg, text, meta)                                                 \
  {                                                                                                \
    name, short_name, (arg) ? 0 : G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK,                     \
        (gpointer) short_option, text, meta                                                        \
  }

static void
check_options (TrContext *ctx, GOptionGroup *group)
{
  CheckOptions *o = ctx->options;
  const GOptionEntry entries[] = {
    SETTING ("warning", 'w', TRUE,
             "WARNING when a domain's failure rate in percent is outside RANGE (default 5: "
             "above 5%; guidelines syntax: 5, 5:, ~:5, 2:5, @2:5)",
             "RANGE"),
    SETTING ("critical", 'c', TRUE, "CRITICAL when outside RANGE (default 25)", "RANGE"),
    SETTING ("since", 's', TRUE,
             "The window: reports of this day and later (default 24h: yesterday's and today's "
             "report days)",
             "WHEN"),
    SETTING ("min-sessions", 0, TRUE,
             "Judge no failure rate over fewer sessions than N (default 10)", "N"),
    SETTING ("history", 0, TRUE,
             "A result type is new if the domain had none in this span before the window "
             "(default 30d)",
             "SPAN"),
    SETTING ("silent-after", 0, TRUE,
             "Silence longer than SPAN: WARNING for a regular reporter, CRITICAL for a domain "
             "(default 48h)",
             "SPAN"),
    SETTING ("rejected", 0, TRUE,
             "WARNING when N or more messages were kept in `rejected` since the window began "
             "(default 1; 0: never)",
             "N"),
    SETTING ("domain", 'd', TRUE, "Only this policy domain (repeatable, or D1,D2)", "D"),
    SETTING ("authenticated", 'a', FALSE,
             "Only reports with a DKIM signature aligned with the reporter", NULL),
    { "enforce-ready", 0, 0, G_OPTION_ARG_STRING, &o->enforce_ready,
      "Whether DOMAIN may switch its policy to enforce: no failure in the window of "
      "--enforce-window, enough reporters, days and sessions",
      "DOMAIN" },
    SETTING ("enforce-window", 0, TRUE, "--enforce-ready: the evidence since WHEN (default 30d)",
             "WHEN"),
    SETTING ("min-reporters", 0, TRUE, "--enforce-ready: distinct reporters needed (default 2)",
             "N"),
    { "format", 'f', 0, G_OPTION_ARG_STRING, &o->format,
      "Output: plugin (default; also text) or json", "FORMAT" },
    G_OPTION_ENTRY_NULL,
  };

  g_option_group_add_entries (group, entries);
}

static void
check_free_options (gpointer options)
{
  CheckOptions *o = options;

  g_free (o->format);
  g_free (o->enforce_ready);
  g_clear_pointer (&o->since, g_date_time_unref);
  g_free (o->since_day);
  g_free (o->history_day);
  g_free (o->enforce_day);
  g_strfreev (o->domains);
}

/* apply_time - --since, --history, --enforce-window */
static gboolean
apply_time (CheckOptions *o, const char *key, const char *value, GDateTime *now, GError **error)
{
  g_autofree char *option = g_strconcat ("--", key, NULL);
  g_autoptr (GDateTime) when = NULL;

  if (strcmp (key, "history") == 0) /* counted back from the window's first day */
    when = tr_time_parse (option, value, o->since ? o->since : now, error);
  else
    when = tr_time_parse (option, value, now, error);
  if (when == NULL)
    return FALSE;
  if (strcmp (key, "since") == 0)
    {
      g_free (o->since_day);
      o->since_day = tr_time_day (when);
      g_clear_pointer (&o->since, g_date_time_unref);
      o->since = tr_time_parse (option, o->since_day, now, NULL);
    }
  else if (strcmp (key, "history") == 0)
    g_free (o->history_day), o->history_day = tr_time_day (when);
  else
    g_free (o->enforce_day), o->enforce_day = tr_time_day (when);
  return TRUE;
}

/* apply - the value of one key of [check] (an option's name without "--") */
static gboolean
apply (CheckOptions *o, const char *key, const char *value, GDateTime *now, GError **error)
{
  TrCheckRules *r = &o->rules;

  if (strcmp (key, "since") == 0 || strcmp (key, "history") == 0
      || strcmp (key, "enforce-window") == 0)
    return apply_time (o, key, value, now, error);
  if (strcmp (key, "silent-after") == 0)
    return tr_time_parse_span ("--silent-after", value, now, &r->silent_after, error);
  if (strcmp (key, "domain") == 0)
    return tr_command_domains ("--domain", (char *[]){ (char *) value, NULL }, &o->domains, error);
  if (strcmp (key, "authenticated") == 0)
    {
      if (tr_settings_parse_bool (value, &o->authenticated))
        return TRUE;
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "--authenticated: expected true or false");
      return FALSE;
    }
  return tr_check_threshold (r, key, value, error);
}

/* check_prepare - the format, --enforce-ready, and the values of the command line */
static gboolean
check_prepare (TrContext *ctx, GError **error)
{
  CheckOptions *o = ctx->options;

  if (o->format == NULL || strcmp (o->format, "plugin") == 0 || strcmp (o->format, "text") == 0)
    o->json = FALSE;
  else if (strcmp (o->format, "json") == 0)
    o->json = TRUE;
  else
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                   "--format: expected plugin (or text) or json, not \"%s\"", o->format);
      return FALSE;
    }
  if (o->enforce_ready != NULL)
    {
      char *lower;

      if (!tr_query_check_value ("--enforce-ready", o->enforce_ready, TRUE, error))
        return FALSE;
      lower = g_ascii_strdown (o->enforce_ready, -1);
      g_free (o->enforce_ready);
      o->enforce_ready = lower;
    }
  for (guint i = 0; i + 1 < ctx->setting_pairs->len; i += 2)
    {
      const char *key = g_ptr_array_index (ctx->setting_pairs, i);

      if (strcmp (key, "db") != 0
          && !apply (o, key, g_ptr_array_index (ctx->setting_pairs, i + 1), ctx->now, error))
        return FALSE;
    }
  return TRUE;
}

/* resolve - the defaults, then what the config file and the options say, in key order */
static gboolean
resolve (TrContext *ctx, GError **error)
{
  CheckOptions *o = ctx->options;

  g_clear_pointer (&o->since, g_date_time_unref);
  g_clear_pointer (&o->domains, g_strfreev);
  for (guint i = 0; i < tr_check_n_keys; i++)
    {
      const char *value = tr_settings_command_value (&ctx->settings, tr_check_keys[i].key);

      if (value == NULL)
        value = tr_check_keys[i].fallback;
      if (value != NULL && !apply (o, tr_check_keys[i].key, value, ctx->now, error))
        {
          /* the options' values passed prepare(): this one is the config file's */
          (*error)->code = TR_ERROR_CONFIG;
          g_prefix_error (error, "config file, [check] %s: ", tr_check_keys[i].key);
          return FALSE;
        }
    }
  if (strcmp (o->history_day, o->since_day) > 0)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                   "--history: %s is after the window's first day (%s)", o->history_day,
                   o->since_day);
      return FALSE;
    }
  o->rules.since_day = o->since_day;
  o->rules.history_day = o->history_day;
  o->rules.authenticated = o->authenticated;
  return TRUE;
}

/* output - the verdict as plugin output or JSON on stdout */
static gboolean
output (TrContext *ctx, const TrHealth *health, const TrCheckVerdict *verdict, GError **error)
{
  CheckOptions *o = ctx->options;
  g_autoptr (TrPrinter) printer = NULL;
  g_autofree char *text = NULL;

  if (o->json)
    {
      printer = tr_printer_new ("json", stdout, 0, error);
      return printer != NULL
             && tr_check_print (health, &o->rules, verdict, ctx->now, printer, error);
    }
  text = tr_check_plugin_text (health, &o->rules, verdict);
  fputs (text, stdout);
  return tr_printer_flush_file (stdout, error);
}

/* check_run - read, judge, print; the verdict is the exit status */
static gboolean
check_run (TrContext *ctx, GError **error)
{
  CheckOptions *o = ctx->options;
  g_auto (TrHealth) health = { 0 };
  g_auto (TrCheckVerdict) verdict = { 0 };
  TrHealthQuery query = { .now = ctx->now };
  char *enforce[] = { o->enforce_ready, NULL };

  if (!resolve (ctx, error))
    return FALSE;
  query.authenticated = o->authenticated;
  query.since_day = o->since_day;
  query.history_day = o->history_day;
  query.domains = o->domains;
  if (o->enforce_ready != NULL)
    {
      o->rules.enforce_domain = o->enforce_ready;
      o->rules.since_day = o->rules.history_day = o->enforce_day;
      query.since_day = query.history_day = o->enforce_day;
      query.domains = enforce;
    }
  if (!tr_health_read (ctx->store, &query, &health, error))
    return FALSE;
  if (o->enforce_ready != NULL)
    tr_check_enforce_ready (&health, &o->rules, ctx->now, &verdict);
  else
    tr_check_judge (&health, &o->rules, ctx->now, &verdict);
  if (!output (ctx, &health, &verdict, error))
    return FALSE;
  ctx->exit_status = tr_plugin_exit_code (verdict.status);
  return TRUE;
}

const TrCommand tr_command_check = {
  .name = "check",
  .parameter = NULL,
  .summary = "a monitoring plugin (Nagios, Icinga): failure rates, new failures, silence",
  .description = "Judge the reports of the last day as a monitoring plugin: exit 0 OK, "
                 "1 WARNING, 2 CRITICAL, 3 UNKNOWN, with a first line naming the worst problems, "
                 "long output and performance data per policy domain.  Options can also be set "
                 "in the [check] group of the config file.",
  .flags = TR_COMMAND_SETTINGS | TR_COMMAND_MONITORING,
  .store = TR_COMMAND_READ,
  .min_args = 0,
  .max_args = 0,
  .options_size = sizeof (CheckOptions),
  .options = check_options,
  .free_options = check_free_options,
  .prepare = check_prepare,
  .run = check_run,
};
