/* check-output.c - the verdict of check as a monitoring plugin's output (print/perfdata.c) or as
 * a document for a printer (--format json)
 *
 * Plugin output: the first line "TLSRPT STATE - summary | perfdata", then one long output line
 * per problem (worst first), then one per domain with its figures.  Performance data: per
 * domain its sessions, failed sessions and failure rate in percent (with the thresholds), so
 * that a grapher draws every domain; with --enforce-ready also the days and reporters.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "check.h"

/* REPORTERS_LISTED - reporters named in a domain's long output line with --enforce-ready */
#define REPORTERS_LISTED 20

/* domain_line - a domain's figures, for the long output (newly allocated) */
static char *
domain_line (const TrHealthDomain *d, const TrCheckRules *rules)
{
  gint64 total = tr_count_add (d->successful, d->failed);
  g_autofree char *pct = tr_check_percent (total > 0 ? 100.0 * (double) d->failed / total : 0);
  GString *s = g_string_new (d->name);

  if (!d->known)
    {
      g_string_append (s, ": no report stored");
      return g_string_free (s, FALSE);
    }
  g_string_append_printf (s,
                          ": %" G_GINT64_FORMAT " sessions, %" G_GINT64_FORMAT " failed (%s%%) "
                          "since %s in %" G_GINT64_FORMAT " report%s from %u reporter%s",
                          total, d->failed, pct, rules->since_day, d->reports,
                          d->reports == 1 ? "" : "s", d->window_reporters,
                          d->window_reporters == 1 ? "" : "s");
  if (d->sts_mode != TR_POLICY_MODE_UNKNOWN)
    g_string_append_printf (s, "; MTA-STS %s", tr_policy_mode_name (d->sts_mode));
  if (d->dane)
    g_string_append (s, "; DANE");
  if (d->last_end != NULL)
    g_string_append_printf (s, "; reports cover up to %s", d->last_end);
  if (total > 0 && total < rules->min_sessions)
    g_string_append_printf (s, "; too few sessions to judge the rate (%" G_GINT64_FORMAT " needed)",
                            rules->min_sessions);
  return g_string_free (s, FALSE);
}

/* reporters_line - "reporters: a.example (12 reports), b.example (3)" for --enforce-ready */
static char *
reporters_line (const TrHealthDomain *d)
{
  GString *s = g_string_new ("reporters since the window began:");
  guint shown = 0;

  for (guint i = 0; i < d->reporters->len; i++)
    {
      const TrHealthReporter *r = g_ptr_array_index (d->reporters, i);

      if (r->window_reports == 0)
        continue;
      if (shown++ == REPORTERS_LISTED)
        {
          g_string_append (s, ", ...");
          break;
        }
      g_string_append_printf (s, "%s %s (%" G_GINT64_FORMAT " reports)", shown > 1 ? "," : "",
                              r->name, r->window_reports);
    }
  if (shown == 0)
    g_string_append (s, " none");
  return g_string_free (s, FALSE);
}

/* add_perfdata - a domain's sessions, failed sessions and failure rate; with @days_max also its
 * days with reports and reporters (--enforce-ready) */
static void
add_perfdata (TrPlugin *plugin, const TrHealthDomain *d, const TrCheckRules *rules, guint days_max)
{
  static const TrRange zero = { 0 };
  gint64 total = tr_count_add (d->successful, d->failed);
  double rate = tr_check_rate (d->failed, total); /* as shown and judged: 33.33, not 33.33...36 */
  g_autofree char *sessions = g_strdup_printf ("%s sessions", d->name);
  g_autofree char *failed = g_strdup_printf ("%s failed", d->name);
  g_autofree char *rate_label = g_strdup_printf ("%s failure rate", d->name);
  g_autofree char *days = g_strdup_printf ("%s days", d->name);
  g_autofree char *reporters = g_strdup_printf ("%s reporters", d->name);
  gboolean enforce = days_max > 0;
  const TrPerfdata items[] = {
    { sessions, (double) total, TR_UOM_NONE, NULL, NULL, 0, NAN },
    { failed, (double) d->failed, TR_UOM_NONE, enforce ? &zero : NULL, NULL, 0, NAN },
    { rate_label, rate, TR_UOM_PERCENT, enforce ? NULL : &rules->warning,
      enforce ? NULL : &rules->critical, 0, 100 },
    { days, (double) d->window_days, TR_UOM_NONE, NULL, NULL, 0, (double) days_max },
    { reporters, (double) d->window_reporters, TR_UOM_NONE, NULL, NULL, 0, NAN },
  };

  for (guint i = 0; i < (enforce ? 5u : 3u); i++)
    tr_plugin_add_perfdata (plugin, &items[i]);
}

/* listed - whether @d has a line and perfdata: judged, or the --enforce-ready domain */
static gboolean
listed (const TrHealthDomain *d, const TrCheckRules *rules)
{
  if (rules->enforce_domain != NULL)
    return strcmp (d->name, rules->enforce_domain) == 0;
  return tr_check_judged (d);
}

/* tr_check_plugin_text - the plugin output of @verdict */
char *
tr_check_plugin_text (const TrHealth *health, const TrCheckRules *rules,
                      const TrCheckVerdict *verdict)
{
  g_autoptr (TrPlugin) plugin = tr_plugin_new (TR_CHECK_SERVICE);

  tr_plugin_raise (plugin, verdict->status);
  tr_plugin_set_summary (plugin, verdict->summary);
  for (guint i = 0; i < verdict->problems->len; i++)
    tr_plugin_add_line (plugin,
                        ((TrCheckProblem *) g_ptr_array_index (verdict->problems, i))->text);
  for (guint i = 0; i < health->domains->len; i++)
    {
      const TrHealthDomain *d = g_ptr_array_index (health->domains, i);
      g_autofree char *line = NULL;

      if (!listed (d, rules))
        continue;
      line = domain_line (d, rules);
      tr_plugin_add_line (plugin, line);
      if (!d->known)
        continue;
      if (rules->enforce_domain != NULL)
        {
          g_autofree char *reporters = reporters_line (d);

          tr_plugin_add_line (plugin, reporters);
        }
      add_perfdata (plugin, d, rules, rules->enforce_domain ? health->window_length : 0);
    }
  return tr_plugin_format (plugin);
}

static const TrColumn problem_columns[] = {
  { "state", "STATE", TR_COLUMN_TEXT },
  { "rule", "RULE", TR_COLUMN_TEXT },
  { "domain", "DOMAIN", TR_COLUMN_TEXT },
  { "reporter", "REPORTER", TR_COLUMN_TEXT },
  { "result_type", "RESULT TYPE", TR_COLUMN_TEXT },
  { "value", "VALUE", TR_COLUMN_NUMBER },
  { "brief", "BRIEF", TR_COLUMN_LONG },
  { "text", "TEXT", TR_COLUMN_LONG },
};

static const TrColumn domain_columns[] = {
  { "domain", "DOMAIN", TR_COLUMN_TEXT },
  { "known", "KNOWN", TR_COLUMN_NUMBER },
  { "sessions", "SESSIONS", TR_COLUMN_NUMBER },
  { "failed", "FAILED", TR_COLUMN_NUMBER },
  { "failure_rate", "RATE", TR_COLUMN_NUMBER },
  { "reports", "REPORTS", TR_COLUMN_NUMBER },
  { "reporters", "REPORTERS", TR_COLUMN_NUMBER },
  { "days_with_reports", "DAYS", TR_COLUMN_NUMBER },
  { "sts_mode", "MTA-STS", TR_COLUMN_TEXT },
  { "dane", "DANE", TR_COLUMN_NUMBER },
  { "last_report_end", "COVERED UP TO", TR_COLUMN_TEXT },
  { "silent_seconds", "SILENT", TR_COLUMN_NUMBER },
  { "regular", "REGULAR", TR_COLUMN_NUMBER },
  { "result_types", "RESULT TYPES", TR_COLUMN_NESTED },
};

/* field_bool - the next field, a boolean */
static void
field_bool (TrPrinter *p, gboolean value)
{
  tr_printer_field (p);
  tr_printer_bool (p, value);
}

/* print_problem - one row of the problems */
static void
print_problem (TrPrinter *p, const TrCheckProblem *problem)
{
  tr_printer_field_str (p, tr_plugin_status_word (problem->status));
  tr_printer_field_str (p, tr_check_rule_name (problem->rule));
  tr_printer_field_str (p, problem->domain);
  tr_printer_field_str (p, problem->reporter);
  tr_printer_field_str (p, problem->result_type);
  tr_printer_field (p);
  tr_printer_double (p, problem->value, 2);
  tr_printer_field_str (p, problem->brief);
  tr_printer_field_str (p, problem->text);
  tr_printer_end_row (p);
}

/* print_types - a domain's result types of the window: name and failed sessions */
static void
print_types (TrPrinter *p, const TrHealthDomain *d)
{
  g_autofree const char **names = g_new0 (const char *, d->types->len + 1);
  g_autofree gint64 *counts = g_new0 (gint64, d->types->len + 1);
  guint n = 0;

  for (guint i = 0; i < d->types->len; i++)
    {
      const TrHealthType *t = g_ptr_array_index (d->types, i);

      if (t->first_day == NULL)
        continue;
      names[n] = t->name;
      counts[n++] = t->failed;
    }
  tr_printer_field_counts (p, "result_type", "sessions", names, counts, n);
}

/* print_domain - one row of the domains */
static void
print_domain (TrPrinter *p, const TrHealthDomain *d, GDateTime *now)
{
  gint64 total = tr_count_add (d->successful, d->failed);
  gint64 silence = tr_health_silence (d->last_end, now);

  tr_printer_field_str (p, d->name);
  field_bool (p, d->known);
  tr_printer_field_int (p, total);
  tr_printer_field_int (p, d->failed);
  if (total > 0)
    tr_printer_field_percent (p, (double) d->failed / (double) total);
  else
    tr_printer_field_null (p);
  tr_printer_field_int (p, d->reports);
  tr_printer_field_int (p, d->window_reporters);
  tr_printer_field_int (p, d->window_days);
  tr_printer_field_str (p, tr_policy_mode_name (d->sts_mode));
  field_bool (p, d->dane);
  tr_printer_field_str (p, d->last_end);
  if (silence >= 0)
    tr_printer_field_int (p, silence);
  else
    tr_printer_field_null (p);
  field_bool (p, d->regular);
  print_types (p, d);
  tr_printer_end_row (p);
}

/* print_rejected - the messages kept in `rejected` since the window began */
static void
print_rejected (TrPrinter *p, const TrHealth *h)
{
  tr_printer_key (p, "rejected", "Rejected");
  tr_printer_begin_map (p);
  tr_printer_key (p, "messages", "Messages");
  tr_printer_int (p, h->rejected);
  tr_printer_key (p, "reason", "Most common reason");
  tr_printer_str (p, h->rejected_reason);
  tr_printer_key (p, "reason_messages", "Messages with it");
  tr_printer_int (p, h->rejected_reasons);
  tr_printer_key (p, "example", "Its latest");
  tr_printer_str (p, h->rejected_example);
  tr_printer_close (p);
}

/* tr_check_print - the verdict, its problems and the domains' figures */
gboolean
tr_check_print (const TrHealth *health, const TrCheckRules *rules, const TrCheckVerdict *verdict,
                GDateTime *now, TrPrinter *p, GError **error)
{
  tr_printer_begin (p, "check");
  tr_printer_key (p, "state", "State");
  tr_printer_str (p, tr_plugin_status_word (verdict->status));
  tr_printer_key (p, "exit_status", "Exit status");
  tr_printer_int (p, tr_plugin_exit_code (verdict->status));
  tr_printer_key (p, "summary", "Summary");
  tr_printer_str (p, verdict->summary);
  tr_printer_key (p, "since", "Since");
  tr_printer_str (p, rules->since_day);
  tr_printer_key (p, "history_since", "History since");
  tr_printer_str (p, rules->enforce_domain ? NULL : rules->history_day);
  tr_printer_key (p, "problems", "Problems");
  tr_printer_begin_table (p, problem_columns, G_N_ELEMENTS (problem_columns));
  for (guint i = 0; i < verdict->problems->len; i++)
    print_problem (p, g_ptr_array_index (verdict->problems, i));
  tr_printer_close (p);
  tr_printer_key (p, "domains", "Domains");
  tr_printer_begin_table (p, domain_columns, G_N_ELEMENTS (domain_columns));
  for (guint i = 0; i < health->domains->len; i++)
    if (listed (g_ptr_array_index (health->domains, i), rules))
      print_domain (p, g_ptr_array_index (health->domains, i), now);
  tr_printer_close (p);
  print_rejected (p, health);
  return tr_printer_end (p, error);
}
