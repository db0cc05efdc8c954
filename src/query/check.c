/* check.c - the rules of tlsrptdb check (check.h), applied to what health.c read
 *
 * Each rule adds problems: a state, what it is about, a few words for the first line and the
 * whole story for the long output.  The verdict is the worst state (CRITICAL, then WARNING, then
 * UNKNOWN, as the guidelines' reference implementation ranks them), and the first line names the
 * worst problems, as many as fit in about 200 characters.  Every text may hold a sender's domain
 * or reporter name: the output (perfdata.c, the printers) escapes them.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "check.h"
#include "error.h"

static const char *const rule_names[] = {
  [TR_CHECK_SILENT] = "silent",
  [TR_CHECK_SILENT_DOMAIN] = "silent-domain",
  [TR_CHECK_FAILURE_RATE] = "failure-rate",
  [TR_CHECK_NEW_RESULT_TYPE] = "new-result-type",
  [TR_CHECK_SILENT_REPORTER] = "silent-reporter",
  [TR_CHECK_REJECTED] = "rejected",
  [TR_CHECK_UNKNOWN_DOMAIN] = "unknown-domain",
  [TR_CHECK_NO_REPORTS] = "no-reports",
  [TR_CHECK_ENFORCE_READY] = "enforce-ready",
};

const char *
tr_check_rule_name (TrCheckRule rule)
{
  return rule < G_N_ELEMENTS (rule_names) ? rule_names[rule] : "unknown";
}

/* FIRST_LINE - the length the first line's problems are fitted into (the guidelines' "about 200
 * characters"; perfdata.c cuts the summary at TR_PLUGIN_MAX_SUMMARY) */
#define FIRST_LINE 190

const TrCheckKey tr_check_keys[] = {
  { "since", "24h" },          { "history", "30d" },     { "warning", "5" },
  { "critical", "25" },        { "min-sessions", "10" }, { "silent-after", "48h" },
  { "rejected", "1" },         { "domain", NULL },       { "authenticated", "false" },
  { "enforce-window", "30d" }, { "min-reporters", "2" },
};
const guint tr_check_n_keys = G_N_ELEMENTS (tr_check_keys);

const char *
tr_check_default (const char *key)
{
  for (guint i = 0; i < tr_check_n_keys; i++)
    if (strcmp (key, tr_check_keys[i].key) == 0)
      return tr_check_keys[i].fallback;
  return NULL;
}

gboolean
tr_check_threshold (TrCheckRules *rules, const char *key, const char *value, GError **error)
{
  gint64 *count = strcmp (key, "min-sessions") == 0    ? &rules->min_sessions
                  : strcmp (key, "rejected") == 0      ? &rules->rejected
                  : strcmp (key, "min-reporters") == 0 ? &rules->min_reporters
                                                       : NULL;
  guint64 n;

  if (strcmp (key, "warning") == 0 || strcmp (key, "critical") == 0)
    {
      if (tr_range_parse (value, key[0] == 'w' ? &rules->warning : &rules->critical, error))
        return TRUE;
      g_prefix_error (error, "--%s: ", key);
      return FALSE;
    }
  g_return_val_if_fail (count != NULL, FALSE);
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT32, &n, NULL))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "--%s: expected a whole number, not \"%s\"",
                   key, value);
      return FALSE;
    }
  *count = (gint64) n;
  return TRUE;
}

double
tr_check_rate (gint64 failed, gint64 total)
{
  if (total <= 0)
    return NAN;
  return round (10000.0 * (double) failed / (double) total) / 100;
}

char *
tr_check_percent (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.2f", value));
}

char *
tr_check_duration (gint64 seconds)
{
  if (seconds < 3 * 86400)
    return g_strdup_printf ("%" G_GINT64_FORMAT " h", seconds / 3600);
  return g_strdup_printf ("%" G_GINT64_FORMAT " days", seconds / 86400);
}

gboolean
tr_check_judged (const TrHealthDomain *d)
{
  return d->named || d->recent;
}

static void
problem_free (gpointer data)
{
  TrCheckProblem *p = data;

  g_free (p->domain);
  g_free (p->reporter);
  g_free (p->result_type);
  g_free (p->brief);
  g_free (p->text);
  g_free (p);
}

void
tr_check_verdict_clear (TrCheckVerdict *verdict)
{
  g_clear_pointer (&verdict->problems, g_ptr_array_unref);
  g_clear_pointer (&verdict->summary, g_free);
  verdict->status = TR_PLUGIN_OK;
}

/* add - a problem of @rule about @domain (may be NULL); takes @brief and @text */
static TrCheckProblem *
add (TrCheckVerdict *v, TrPluginStatus status, TrCheckRule rule, const char *domain, double value,
     char *brief, char *text)
{
  TrCheckProblem *p = g_new0 (TrCheckProblem, 1);

  p->status = status;
  p->rule = rule;
  p->domain = g_strdup (domain);
  p->value = value;
  p->brief = brief;
  p->text = text;
  g_ptr_array_add (v->problems, p);
  v->status = tr_plugin_status_worst (v->status, status);
  return p;
}

/* rank - CRITICAL, WARNING, UNKNOWN, OK */
static int
rank (TrPluginStatus status)
{
  switch (status)
    {
      case TR_PLUGIN_CRITICAL:
        return 0;
      case TR_PLUGIN_WARNING:
        return 1;
      case TR_PLUGIN_UNKNOWN:
        return 2;
      case TR_PLUGIN_OK:
      default:
        return 3;
    }
}

/* compare_problems - the worst state first, then by rule, the largest value, the domain */
static int
compare_problems (gconstpointer a, gconstpointer b)
{
  const TrCheckProblem *x = *(TrCheckProblem *const *) a, *y = *(TrCheckProblem *const *) b;

  if (rank (x->status) != rank (y->status))
    return rank (x->status) - rank (y->status);
  if (x->rule != y->rule)
    return (int) x->rule - (int) y->rule;
  if (x->value != y->value)
    return x->value > y->value ? -1 : 1;
  return g_strcmp0 (x->domain, y->domain);
}

/* summarize - the first line: the worst problems that fit, and how many more there are */
static void
summarize (TrCheckVerdict *v, const char *prefix)
{
  GString *s = g_string_new (prefix);
  guint shown = 0;

  g_ptr_array_sort (v->problems, compare_problems);
  for (; shown < v->problems->len; shown++)
    {
      const TrCheckProblem *p = g_ptr_array_index (v->problems, shown);

      if (shown > 0 && s->len + 2 + strlen (p->brief) > FIRST_LINE)
        break;
      /* ", " and not "; ": Nagios turns every ';' of the first line into ':' */
      g_string_append_printf (s, "%s%s", shown > 0 ? ", " : "", p->brief);
    }
  if (shown < v->problems->len)
    g_string_append_printf (s, " (+%u more)", v->problems->len - shown);
  g_free (v->summary);
  v->summary = g_string_free (s, FALSE);
}

/* verdict_init - an empty verdict */
static void
verdict_init (TrCheckVerdict *v)
{
  v->status = TR_PLUGIN_OK;
  v->problems = g_ptr_array_new_with_free_func (problem_free);
  v->summary = NULL;
}

/* enforced - whether a domain's policy makes a TLS failure a lost delivery */
static gboolean
enforced (const TrHealthDomain *d)
{
  return d->sts_mode == TR_POLICY_MODE_ENFORCE || d->dane;
}

/* policy_text - "MTA-STS enforce, DANE" (newly allocated) */
static char *
policy_text (const TrHealthDomain *d)
{
  if (d->sts_mode == TR_POLICY_MODE_UNKNOWN)
    return g_strdup (d->dane ? "DANE" : "no MTA-STS mode reported");
  return g_strdup_printf ("MTA-STS %s%s", tr_policy_mode_name (d->sts_mode),
                          d->dane ? ", DANE" : "");
}

/* top_types - "certificate-expired 470, validation-failure 5" for the @n most failed types of
 * the window (with their MX if @with_mx), or NULL */
static char *
top_types (const TrHealthDomain *d, guint n, gboolean with_mx)
{
  GString *s = g_string_new (NULL);
  guint shown = 0;

  for (guint i = 0; i < d->types->len && shown < n; i++)
    {
      const TrHealthType *t = g_ptr_array_index (d->types, i);

      if (t->first_day == NULL)
        continue;
      g_string_append_printf (s, "%s%s %" G_GINT64_FORMAT, shown++ > 0 ? ", " : "", t->name,
                              t->failed);
      if (with_mx && t->top_mx != NULL && *t->top_mx != '\0')
        g_string_append_printf (s, " (most at %s)", t->top_mx);
    }
  if (s->len == 0)
    return (g_string_free (s, TRUE), NULL);
  return g_string_free (s, FALSE);
}

/* first_type - the most failed result type of @d in the window, or NULL */
static const TrHealthType *
first_type (const TrHealthDomain *d)
{
  for (guint i = 0; i < d->types->len; i++)
    if (((TrHealthType *) g_ptr_array_index (d->types, i))->first_day != NULL)
      return g_ptr_array_index (d->types, i);
  return NULL;
}

/* rule_rate - the failure rate of @d against the thresholds */
static void
rule_rate (TrCheckVerdict *v, const TrHealthDomain *d, const TrCheckRules *rules)
{
  gint64 total = tr_count_add (d->successful, d->failed);
  const TrHealthType *top = first_type (d);
  g_autofree char *pct = NULL;
  g_autofree char *types = NULL;
  g_autofree char *top_text = NULL;
  TrPluginStatus status;
  double rate;

  if (total == 0 || total < rules->min_sessions)
    return;
  rate = tr_check_rate (d->failed, total);
  status = tr_plugin_status_for (rate, &rules->warning, &rules->critical);
  if (status == TR_PLUGIN_OK)
    return;
  pct = tr_check_percent (rate);
  types = top_types (d, 3, TRUE);
  top_text = top ? g_strdup_printf (" (%s)", top->name) : g_strdup ("");
  add (v, status, TR_CHECK_FAILURE_RATE, d->name, rate,
       g_strdup_printf ("%s: %s%% of %" G_GINT64_FORMAT " sessions failed since %s%s", d->name, pct,
                        total, rules->since_day, top_text),
       g_strdup_printf ("%s: %s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                        " sessions failed (%s%%) in the reports since %s, over the %s threshold"
                        "%s%s",
                        tr_plugin_status_word (status), d->name, d->failed, total, pct,
                        rules->since_day, status == TR_PLUGIN_CRITICAL ? "critical" : "warning",
                        types ? ": " : "", types ? types : ""));
}

/* rule_new_types - the result types of the window that the history of @d does not have */
static void
rule_new_types (TrCheckVerdict *v, const TrHealthDomain *d, const TrCheckRules *rules)
{
  g_autofree char *policy = policy_text (d);

  if (!d->has_history)
    return; /* nothing to compare with: every type would be new */
  for (guint i = 0; i < d->types->len; i++)
    {
      const TrHealthType *t = g_ptr_array_index (d->types, i);
      gboolean blocks = tr_result_type_blocks (t->name) && enforced (d);
      TrPluginStatus status = blocks ? TR_PLUGIN_CRITICAL : TR_PLUGIN_WARNING;
      TrCheckProblem *p;

      if (t->first_day == NULL || t->in_history)
        continue;
      p = add (v, status, TR_CHECK_NEW_RESULT_TYPE, d->name, (double) t->failed,
               g_strdup_printf ("%s: new %s since %s (%" G_GINT64_FORMAT " session%s)", d->name,
                                t->name, t->first_day, t->failed, t->failed == 1 ? "" : "s"),
               g_strdup_printf ("%s: %s: a new kind of failure, %s: %" G_GINT64_FORMAT
                                " failed sessions since %s%s%s, none in the reports from %s; "
                                "the policy is %s%s (tlsrptdb explain %s)",
                                tr_plugin_status_word (status), d->name, t->name, t->failed,
                                t->first_day, *t->top_mx ? ", most at " : "", t->top_mx,
                                rules->history_day, policy,
                                blocks ? ": this mail is not delivered" : "", t->name));
      p->result_type = g_strdup (t->name);
    }
}

/* rule_silent_reporters - the regular reporters of @d that have gone quiet */
static void
rule_silent_reporters (TrCheckVerdict *v, const TrHealthDomain *d, const TrCheckRules *rules,
                       GDateTime *now)
{
  for (guint i = 0; i < d->reporters->len; i++)
    {
      const TrHealthReporter *r = g_ptr_array_index (d->reporters, i);
      gint64 silence = tr_health_silence (r->last_end, now);
      g_autofree char *how_long = tr_check_duration (silence);
      TrCheckProblem *p;

      if (!r->regular || silence <= rules->silent_after)
        continue;
      p = add (v, TR_PLUGIN_WARNING, TR_CHECK_SILENT_REPORTER, d->name, (double) silence,
               g_strdup_printf ("%s: nothing from %s for %s (since %.10s)", d->name, r->name,
                                how_long, r->last_end),
               g_strdup_printf ("WARNING: %s: no report from %s for %s: its reports covered up "
                                "to %s, and it reported on %u of the %u days before",
                                d->name, r->name, how_long, r->last_end, r->active, r->considered));
      p->reporter = g_strdup (r->name);
    }
}

/* rule_silent_domain - no report about @d: CRITICAL if named or regular; TRUE if silent */
static gboolean
rule_silent_domain (TrCheckVerdict *v, const TrHealthDomain *d, const TrCheckRules *rules,
                    GDateTime *now)
{
  gint64 silence = tr_health_silence (d->last_end, now);
  g_autofree char *how_long = tr_check_duration (silence);

  if (silence <= rules->silent_after || !(d->named || d->regular))
    return FALSE;
  add (v, TR_PLUGIN_CRITICAL, TR_CHECK_SILENT_DOMAIN, d->name, (double) silence,
       g_strdup_printf ("%s: no report for %s (since %.10s)", d->name, how_long, d->last_end),
       g_strdup_printf ("CRITICAL: %s: no report at all for %s (the reports covered up to %s): "
                        "is its TLSRPT record still published, does mail to its rua address "
                        "still reach tlsrptdb?",
                        d->name, how_long, d->last_end));
  return TRUE;
}

/* rule_silent - no report about any judged domain: TRUE if so */
static gboolean
rule_silent (TrCheckVerdict *v, const TrHealth *h, const TrCheckRules *rules, GDateTime *now)
{
  gint64 silence = tr_health_silence (h->last_end, now);
  g_autofree char *how_long = tr_check_duration (silence);

  if (h->last_end == NULL || !h->regular || silence <= rules->silent_after)
    return FALSE;
  add (v, TR_PLUGIN_CRITICAL, TR_CHECK_SILENT, NULL, (double) silence,
       g_strdup_printf ("no report at all for %s (since %.10s)", how_long, h->last_end),
       g_strdup_printf ("CRITICAL: no report about any domain for %s (the reports covered up to "
                        "%s): is mail to the rua address still delivered to tlsrptdb ingest?",
                        how_long, h->last_end));
  return TRUE;
}

/* rule_rejected - messages kept in `rejected` since the window began */
static void
rule_rejected (TrCheckVerdict *v, const TrHealth *h, const TrCheckRules *rules)
{
  if (rules->rejected == 0 || h->rejected < rules->rejected)
    return;
  add (v, TR_PLUGIN_WARNING, TR_CHECK_REJECTED, NULL, (double) h->rejected,
       g_strdup_printf ("%" G_GINT64_FORMAT " message%s rejected since %s (%s)", h->rejected,
                        h->rejected == 1 ? "" : "s", rules->since_day, h->rejected_reason),
       g_strdup_printf ("WARNING: %" G_GINT64_FORMAT " message%s kept in `rejected` since %s: "
                        "the receiving address gets mail tlsrptdb cannot use; the most common "
                        "reason (%" G_GINT64_FORMAT "): %s (see tlsrptdb reprocess)",
                        h->rejected, h->rejected == 1 ? "" : "s", rules->since_day,
                        h->rejected_reasons, h->rejected_example));
}

/* judge_domain - the rules of one domain */
static void
judge_domain (TrCheckVerdict *v, const TrHealthDomain *d, const TrCheckRules *rules, GDateTime *now,
              gboolean all_silent)
{
  gboolean silent = FALSE;

  if (!d->known)
    {
      add (v, TR_PLUGIN_UNKNOWN, TR_CHECK_UNKNOWN_DOMAIN, d->name, 0,
           g_strdup_printf ("%s: no report stored for this domain", d->name),
           g_strdup_printf ("UNKNOWN: %s: no report in the database is about this domain: is it "
                            "spelled as in the reports' policy-domain?",
                            d->name));
      return;
    }
  if (!all_silent)
    silent = rule_silent_domain (v, d, rules, now);
  rule_rate (v, d, rules);
  rule_new_types (v, d, rules);
  if (!silent && !all_silent)
    rule_silent_reporters (v, d, rules, now);
}

/* ok_summary - "3 domains, 1234 sessions, 2 failed (0.16%) since DAY" */
static char *
ok_summary (const TrHealth *health, const TrCheckRules *rules)
{
  gint64 successful = 0, failed = 0, total;
  guint domains = 0, unjudged = 0;
  g_autofree char *pct = NULL;
  GString *s;

  for (guint i = 0; i < health->domains->len; i++)
    {
      const TrHealthDomain *d = g_ptr_array_index (health->domains, i);
      gint64 n = tr_count_add (d->successful, d->failed);

      if (!tr_check_judged (d))
        continue;
      domains++;
      successful = tr_count_add (successful, d->successful);
      failed = tr_count_add (failed, d->failed);
      unjudged += n > 0 && n < rules->min_sessions;
    }
  total = tr_count_add (successful, failed);
  pct = tr_check_percent (total > 0 ? 100.0 * (double) failed / (double) total : 0);
  s = g_string_new (NULL);
  g_string_append_printf (
      s, "%u domain%s, %" G_GINT64_FORMAT " sessions, %" G_GINT64_FORMAT " failed (%s%%) since %s",
      domains, domains == 1 ? "" : "s", total, failed, pct, rules->since_day);
  if (unjudged > 0)
    g_string_append_printf (s, "; %u with too few sessions to judge", unjudged);
  return g_string_free (s, FALSE);
}

/* tr_check_judge - every rule over the judged domains */
void
tr_check_judge (const TrHealth *health, const TrCheckRules *rules, GDateTime *now,
                TrCheckVerdict *verdict)
{
  guint judged = 0, known = 0;
  gboolean all_silent = FALSE;

  verdict_init (verdict);
  for (guint i = 0; i < health->domains->len; i++)
    {
      const TrHealthDomain *d = g_ptr_array_index (health->domains, i);

      judged += tr_check_judged (d);
      known += tr_check_judged (d) && d->known;
    }
  if (health->info.reports == 0)
    add (verdict, TR_PLUGIN_UNKNOWN, TR_CHECK_NO_REPORTS, NULL, 0,
         g_strdup ("no report stored yet"),
         g_strdup ("UNKNOWN: the database holds no report yet: nothing to judge"));
  if (known > 1) /* one line for all; for one domain its own line says more */
    all_silent = rule_silent (verdict, health, rules, now);
  if (judged == 0 && health->info.reports > 0 && rules->authenticated)
    add (verdict, TR_PLUGIN_UNKNOWN, TR_CHECK_NO_REPORTS, NULL, 0,
         g_strdup_printf ("no authenticated report since %s", rules->history_day),
         g_strdup_printf ("UNKNOWN: no report since %s is authenticated: is trusted-authserv-id "
                          "set, and does the MTA verify DKIM?",
                          rules->history_day));
  else if (judged == 0 && health->info.reports > 0)
    add (verdict, TR_PLUGIN_CRITICAL, TR_CHECK_SILENT, NULL, 0,
         g_strdup_printf ("no report since %s", health->info.last_report_day),
         g_strdup_printf ("CRITICAL: no report about any domain since %s, before the history "
                          "began (%s)",
                          health->info.last_report_day, rules->history_day));
  for (guint i = 0; i < health->domains->len; i++)
    {
      const TrHealthDomain *d = g_ptr_array_index (health->domains, i);

      if (tr_check_judged (d) && (health->info.reports > 0 || d->named))
        judge_domain (verdict, d, rules, now, all_silent);
    }
  rule_rejected (verdict, health, rules);
  summarize (verdict, "");
  if (verdict->problems->len == 0)
    {
      g_free (verdict->summary);
      verdict->summary = ok_summary (health, rules);
    }
}

/* enforce_failures - what still fails for @d since the window began */
static void
enforce_failures (TrCheckVerdict *v, const TrHealthDomain *d, const TrCheckRules *rules,
                  gint64 total)
{
  g_autofree char *types = top_types (d, 5, TRUE);
  g_autofree char *pct = tr_check_percent (100.0 * (double) d->failed / (double) MAX (total, 1));

  add (v, TR_PLUGIN_WARNING, TR_CHECK_ENFORCE_READY, d->name, (double) d->failed,
       g_strdup_printf ("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " sessions failed since %s%s%s",
                        d->failed, total, rules->since_day, types ? ": " : "", types ? types : ""),
       g_strdup_printf ("WARNING: %s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                        " sessions failed (%s%%) since %s%s%s; with an enforced policy this mail "
                        "would not be delivered",
                        d->name, d->failed, total, pct, rules->since_day, types ? ": " : "",
                        types ? types : ""));
}

/* enforce_evidence - too little to go on: reporters, days, sessions */
static void
enforce_evidence (TrCheckVerdict *v, const TrHealth *h, const TrHealthDomain *d,
                  const TrCheckRules *rules, gint64 total)
{
  if ((gint64) d->window_reporters < rules->min_reporters)
    add (v, TR_PLUGIN_WARNING, TR_CHECK_ENFORCE_READY, d->name, d->window_reporters,
         g_strdup_printf ("reports from %u reporter%s since %s (%" G_GINT64_FORMAT " needed)",
                          d->window_reporters, d->window_reporters == 1 ? "" : "s",
                          rules->since_day, rules->min_reporters),
         g_strdup_printf ("WARNING: %s: reports from only %u reporter%s since %s; "
                          "--min-reporters asks for %" G_GINT64_FORMAT,
                          d->name, d->window_reporters, d->window_reporters == 1 ? "" : "s",
                          rules->since_day, rules->min_reporters));
  if (d->window_days * 2 < h->window_length)
    add (v, TR_PLUGIN_WARNING, TR_CHECK_ENFORCE_READY, d->name, d->window_days,
         g_strdup_printf ("reports on %u of the %u days since %s", d->window_days, h->window_length,
                          rules->since_day),
         g_strdup_printf ("WARNING: %s: reports on only %u of the %u days since %s: at least "
                          "half of them are needed",
                          d->name, d->window_days, h->window_length, rules->since_day));
  if (total < rules->min_sessions || total == 0)
    add (v, TR_PLUGIN_WARNING, TR_CHECK_ENFORCE_READY, d->name, (double) total,
         g_strdup_printf ("%" G_GINT64_FORMAT " sessions since %s (%" G_GINT64_FORMAT " needed)",
                          total, rules->since_day, MAX (rules->min_sessions, 1)),
         g_strdup_printf ("WARNING: %s: only %" G_GINT64_FORMAT " sessions since %s; "
                          "--min-sessions asks for %" G_GINT64_FORMAT,
                          d->name, total, rules->since_day, MAX (rules->min_sessions, 1)));
}

/* tr_check_enforce_ready - the roll-out question for one domain */
void
tr_check_enforce_ready (const TrHealth *health, const TrCheckRules *rules, GDateTime *now,
                        TrCheckVerdict *verdict)
{
  const TrHealthDomain *d = tr_health_domain (health, rules->enforce_domain);
  g_autofree char *policy = NULL;
  g_autofree char *prefix = NULL;
  gint64 total;

  verdict_init (verdict);
  if (d == NULL || !d->known)
    {
      judge_domain (verdict, d ? d : &(TrHealthDomain){ .name = (char *) rules->enforce_domain },
                    rules, now, FALSE);
      summarize (verdict, "");
      return;
    }
  total = tr_count_add (d->successful, d->failed);
  policy = policy_text (d);
  if (d->failed > 0)
    enforce_failures (verdict, d, rules, total);
  enforce_evidence (verdict, health, d, rules, total);
  prefix = g_strdup_printf ("%s is not ready for enforce: ", d->name);
  summarize (verdict, prefix);
  if (verdict->problems->len > 0)
    return;
  g_free (verdict->summary);
  verdict->summary = g_strdup_printf (
      "%s is ready for enforce: no failure in %" G_GINT64_FORMAT " sessions since %s, reports on "
      "%u of %u days from %u reporters (%s%s)",
      d->name, total, rules->since_day, d->window_days, health->window_length, d->window_reporters,
      policy, enforced (d) ? ", already enforced" : "");
}
