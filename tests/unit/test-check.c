/* test-check.c - query/health.c, check.c, check-output.c and metrics.c on databases made with the
 * store's own writes, at a fixed "now" */
#include "config.h"

#include <math.h>
#include <string.h>

#include "check.h"
#include "error.h"
#include "health.h"
#include "metrics.h"
#include "validate.h"

#include "helpers.h"

typedef struct
{
  char *dir;
  char *path;
  TrStore *store;
  GDateTime *now;
  guint serial;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-check-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "reports.db", NULL);
  f->store = tr_store_open (f->path, TR_STORE_CREATE, &error);
  g_assert_no_error (error);
  f->now = g_date_time_new_utc (2026, 11, 30, 12, 0, 0);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  tr_store_close (f->store);
  g_date_time_unref (f->now);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* A report to store: one domain, one or two policies, at most one failure type. */
typedef struct
{
  const char *reporter;
  const char *domain;
  int days_ago;     /* its report day, counted back from the fixture's now */
  const char *mode; /* the MTA-STS mode of its sts policy, or NULL */
  gboolean tlsa;    /* the same sessions under a tlsa policy too (Microsoft) */
  gint64 successful, failed;
  const char *type; /* the result type of the failed sessions */
} Put;

/* policy - one policy of @p */
static TrPolicy *
policy (const Put *p, const char *type)
{
  TrPolicy *policy = tr_policy_new ();

  policy->policy_type = g_strdup (type);
  policy->policy_domain = g_strdup (p->domain);
  if (p->mode != NULL && strcmp (type, "sts") == 0)
    policy->policy_string
        = g_strdup_printf ("[\"version: STSv1\",\"mode: %s\",\"max_age: 86400\"]", p->mode);
  policy->total_successful_session_count = p->successful;
  policy->total_failure_session_count = p->failed;
  if (p->failed > 0)
    {
      TrFailure *failure = tr_failure_new ();

      failure->result_type = g_strdup (p->type ? p->type : "certificate-expired");
      failure->receiving_mx_hostname = g_strdup ("mx1.example.com");
      failure->failed_session_count = p->failed;
      g_ptr_array_add (policy->failures, failure);
    }
  return policy;
}

/* put - store @p */
static void
put (Fixture *f, const Put *p)
{
  g_autoptr (TrReport) report = tr_report_new ();
  g_autoptr (GDateTime) day = g_date_time_add_days (f->now, -p->days_ago);
  g_autoptr (GDateTime) next = g_date_time_add_days (day, 1);
  g_autoptr (GError) error = NULL;
  static const char json[] = "{}";
  const TrArrival arrival = { .received_at = "2026-11-30T11:00:00Z", .via = "mail" };
  TrStoreResult result;

  report->reporter_key = g_strdup (p->reporter);
  report->report_id = g_strdup_printf ("r%u", f->serial++);
  report->report_day = g_date_time_format (day, "%Y-%m-%d");
  report->start_datetime = g_date_time_format (day, "%Y-%m-%dT00:00:00Z");
  report->end_datetime = g_date_time_format (next, "%Y-%m-%dT00:00:00Z");
  report->raw_json = g_bytes_new_static (json, sizeof json - 1);
  g_ptr_array_add (report->policies, policy (p, "sts"));
  if (p->tlsa)
    g_ptr_array_add (report->policies, policy (p, "tlsa"));
  report->fingerprint = tr_validate_fingerprint (report);
  g_assert_true (tr_store_begin (f->store, &error));
  g_assert_true (tr_store_add_report (f->store, report, NULL, &arrival, &result, &error));
  g_assert_true (tr_store_commit (f->store, &error));
  g_assert_no_error (error);
}

/* Rules as check's defaults make them, over a window from yesterday and 30 days of history. */
static void
default_rules (TrCheckRules *rules)
{
  memset (rules, 0, sizeof *rules);
  g_assert_true (tr_range_parse ("5", &rules->warning, NULL));
  g_assert_true (tr_range_parse ("25", &rules->critical, NULL));
  rules->min_sessions = 10;
  rules->silent_after = 48 * 3600;
  rules->rejected = 1;
  rules->since_day = "2026-11-29";
  rules->history_day = "2026-10-30";
  rules->min_reporters = 2;
}

/* judge - read and judge with @rules (@domains named, or NULL) */
static void
judge (Fixture *f, const TrCheckRules *rules, char **domains, TrHealth *health,
       TrCheckVerdict *verdict)
{
  TrHealthQuery query = { .now = f->now,
                          .since_day = rules->since_day,
                          .history_day = rules->history_day,
                          .domains = domains };
  g_autoptr (GError) error = NULL;

  g_assert_true (tr_health_read (f->store, &query, health, &error));
  g_assert_no_error (error);
  if (rules->enforce_domain != NULL)
    tr_check_enforce_ready (health, rules, f->now, verdict);
  else
    tr_check_judge (health, rules, f->now, verdict);
}

/* problem - the first problem of @rule, or NULL */
static const TrCheckProblem *
problem (const TrCheckVerdict *verdict, TrCheckRule rule)
{
  for (guint i = 0; i < verdict->problems->len; i++)
    if (((TrCheckProblem *) g_ptr_array_index (verdict->problems, i))->rule == rule)
      return g_ptr_array_index (verdict->problems, i);
  return NULL;
}

static void
test_policy_mode (void)
{
  g_assert_cmpint (tr_policy_mode_parse ("[\"version: STSv1\",\"mode: enforce\"]"), ==,
                   TR_POLICY_MODE_ENFORCE);
  g_assert_cmpint (tr_policy_mode_parse ("[\"mode:testing\"]"), ==, TR_POLICY_MODE_TESTING);
  g_assert_cmpint (tr_policy_mode_parse ("[\"Mode :  None\"]"), ==, TR_POLICY_MODE_NONE);
  /* Microsoft: one string holding an array's JSON text */
  g_assert_cmpint (tr_policy_mode_parse ("[\"[\\\"version: STSv1\\\",\\\"mode: enforce\\\"]\"]"),
                   ==, TR_POLICY_MODE_ENFORCE);
  g_assert_cmpint (tr_policy_mode_parse ("[\"xmode: enforce\",\"modes: enforce\"]"), ==,
                   TR_POLICY_MODE_UNKNOWN);
  g_assert_cmpint (tr_policy_mode_parse ("[\"mode: enforced\"]"), ==, TR_POLICY_MODE_UNKNOWN);
  g_assert_cmpint (tr_policy_mode_parse (NULL), ==, TR_POLICY_MODE_UNKNOWN);
  g_assert_cmpstr (tr_policy_mode_name (TR_POLICY_MODE_TESTING), ==, "testing");
  g_assert_true (tr_result_type_blocks ("Certificate-Expired"));
  g_assert_true (tr_result_type_blocks ("dnssec-invalid"));
  g_assert_false (tr_result_type_blocks ("sts-policy-fetch-error"));
  g_assert_false (tr_result_type_blocks ("x-unknown"));
}

/* a failure rate over the thresholds, and one over too few sessions */
static void
test_rate (Fixture *f, gconstpointer data)
{
  g_auto (TrHealth) health = { 0 };
  g_auto (TrCheckVerdict) verdict = { 0 };
  TrCheckRules rules;
  const TrCheckProblem *p;

  put (f, &(Put){ "a.example", "warn.example", 1, "enforce", FALSE, 90, 10, NULL });
  put (f, &(Put){ "a.example", "crit.example", 1, "enforce", FALSE, 60, 40, NULL });
  put (f, &(Put){ "a.example", "few.example", 1, "enforce", FALSE, 1, 8, NULL });
  put (f, &(Put){ "a.example", "fine.example", 0, "enforce", FALSE, 100, 5, NULL });
  default_rules (&rules);
  judge (f, &rules, NULL, &health, &verdict);
  g_assert_cmpint (verdict.status, ==, TR_PLUGIN_CRITICAL);
  g_assert_cmpuint (verdict.problems->len, ==, 2);
  p = g_ptr_array_index (verdict.problems, 0);
  g_assert_cmpstr (p->domain, ==, "crit.example");
  g_assert_cmpfloat (p->value, ==, 40.0);
  g_assert_cmpstr (p->brief, ==,
                   "crit.example: 40.00% of 100 sessions failed since 2026-11-29 "
                   "(certificate-expired)");
  p = g_ptr_array_index (verdict.problems, 1);
  g_assert_cmpstr (p->domain, ==, "warn.example");
  g_assert_cmpint (p->status, ==, TR_PLUGIN_WARNING);
  g_assert_true (g_str_has_prefix (verdict.summary, "crit.example: 40.00%"));
  g_assert_cmpfloat (tr_check_rate (1, 3), ==, 33.33);
  g_assert_true (isnan (tr_check_rate (0, 0)));
}

/* sts and tlsa for the same sessions count once (the counting rule) */
static void
test_counting_rule (Fixture *f, gconstpointer data)
{
  g_auto (TrHealth) health = { 0 };
  g_auto (TrCheckVerdict) verdict = { 0 };
  TrCheckRules rules;
  const TrHealthDomain *d;

  put (f, &(Put){ "microsoft.example", "ms.example", 1, "testing", TRUE, 94, 6, NULL });
  default_rules (&rules);
  judge (f, &rules, NULL, &health, &verdict);
  d = tr_health_domain (&health, "ms.example");
  g_assert_cmpint (d->successful, ==, 94);
  g_assert_cmpint (d->failed, ==, 6);
  g_assert_true (d->dane);
  g_assert_cmpint (d->sts_mode, ==, TR_POLICY_MODE_TESTING);
  g_assert_cmpint (verdict.status, ==, TR_PLUGIN_WARNING); /* 6%, over 5 */
}

/* a result type the history did not have: WARNING, CRITICAL under enforce for a blocking one */
static void
test_new_type (Fixture *f, gconstpointer data)
{
  g_auto (TrHealth) health = { 0 };
  g_auto (TrCheckVerdict) verdict = { 0 };
  TrCheckRules rules;

  for (int day = 1; day <= 20; day++)
    {
      put (f, &(Put){ "a.example", "old.example", day, "testing", FALSE, 1000, day > 1 ? 1 : 0,
                      "validation-failure" });
      put (f, &(Put){ "a.example", "enf.example", day, "enforce", FALSE, 1000, 0, NULL });
    }
  put (f, &(Put){ "b.example", "old.example", 1, "testing", FALSE, 1000, 2, "dnssec-invalid" });
  put (f,
       &(Put){ "b.example", "enf.example", 1, "enforce", FALSE, 1000, 2, "certificate-expired" });
  put (f,
       &(Put){ "b.example", "fresh.example", 1, "enforce", FALSE, 1000, 2, "certificate-expired" });
  default_rules (&rules);
  judge (f, &rules, NULL, &health, &verdict);
  g_assert_cmpint (verdict.status, ==, TR_PLUGIN_CRITICAL);
  g_assert_cmpuint (verdict.problems->len, ==, 2); /* not validation-failure, not fresh.example */
  g_assert_cmpstr (((TrCheckProblem *) g_ptr_array_index (verdict.problems, 0))->domain, ==,
                   "enf.example");
  g_assert_cmpint (((TrCheckProblem *) g_ptr_array_index (verdict.problems, 0))->status, ==,
                   TR_PLUGIN_CRITICAL);
  g_assert_cmpstr (((TrCheckProblem *) g_ptr_array_index (verdict.problems, 1))->result_type, ==,
                   "dnssec-invalid");
  g_assert_cmpint (((TrCheckProblem *) g_ptr_array_index (verdict.problems, 1))->status, ==,
                   TR_PLUGIN_WARNING); /* testing mode: delivered without TLS */
}

/* silence: a regular reporter, a regular domain, all of them, a named unknown domain */
static void
test_silence (Fixture *f, gconstpointer data)
{
  g_auto (TrHealth) health = { 0 };
  g_auto (TrCheckVerdict) verdict = { 0 };
  TrCheckRules rules;
  char *named[] = { "quiet.example", "nosuch.example", NULL };
  const TrCheckProblem *p;

  for (int day = 1; day <= 20; day++)
    {
      put (f, &(Put){ "steady.example", "busy.example", day, "enforce", FALSE, 100, 0, NULL });
      put (f, &(Put){ "gone.example", "busy.example", day + 3, "enforce", FALSE, 100, 0, NULL });
      put (f, &(Put){ "steady.example", "quiet.example", day + 4, "enforce", FALSE, 100, 0, NULL });
    }
  put (f, &(Put){ "rare.example", "busy.example", 10, "enforce", FALSE, 100, 0, NULL });
  default_rules (&rules);
  judge (f, &rules, NULL, &health, &verdict);
  g_assert_cmpint (verdict.status, ==, TR_PLUGIN_CRITICAL);
  p = problem (&verdict, TR_CHECK_SILENT_REPORTER);
  g_assert_nonnull (p);
  g_assert_cmpstr (p->reporter, ==, "gone.example"); /* not rare.example: not regular */
  g_assert_cmpfloat (p->value, ==, (3 * 24 + 12) * 3600.0);
  p = problem (&verdict, TR_CHECK_SILENT_DOMAIN);
  g_assert_cmpstr (p->domain, ==, "quiet.example");
  g_assert_cmpstr (p->brief, ==, "quiet.example: no report for 4 days (since 2026-11-26)");
  tr_check_verdict_clear (&verdict);
  tr_health_clear (&health);
  judge (f, &rules, named, &health, &verdict);
  g_assert_nonnull (problem (&verdict, TR_CHECK_UNKNOWN_DOMAIN));
  g_assert_nonnull (problem (&verdict, TR_CHECK_SILENT_DOMAIN));
  g_assert_null (problem (&verdict, TR_CHECK_SILENT_REPORTER)); /* busy.example is not named */
  g_assert_cmpint (verdict.status, ==, TR_PLUGIN_CRITICAL);     /* CRITICAL over UNKNOWN */
}

/* nothing at all for days: one line for every domain */
static void
test_silent_all (Fixture *f, gconstpointer data)
{
  g_auto (TrHealth) health = { 0 };
  g_auto (TrCheckVerdict) verdict = { 0 };
  TrCheckRules rules;

  for (int day = 3; day <= 20; day++)
    {
      put (f, &(Put){ "a.example", "one.example", day, "enforce", FALSE, 100, 0, NULL });
      put (f, &(Put){ "a.example", "two.example", day, "enforce", FALSE, 100, 0, NULL });
    }
  default_rules (&rules);
  judge (f, &rules, NULL, &health, &verdict);
  g_assert_cmpuint (verdict.problems->len, ==, 1);
  g_assert_cmpint (problem (&verdict, TR_CHECK_SILENT)->status, ==, TR_PLUGIN_CRITICAL);
  g_assert_cmpstr (verdict.summary, ==, "no report at all for 60 h (since 2026-11-28)");
}

/* an empty database is UNKNOWN; the plugin output of it */
static void
test_empty (Fixture *f, gconstpointer data)
{
  g_auto (TrHealth) health = { 0 };
  g_auto (TrCheckVerdict) verdict = { 0 };
  g_autofree char *text = NULL;
  TrCheckRules rules;

  default_rules (&rules);
  judge (f, &rules, NULL, &health, &verdict);
  g_assert_cmpint (verdict.status, ==, TR_PLUGIN_UNKNOWN);
  text = tr_check_plugin_text (&health, &rules, &verdict);
  g_assert_true (g_str_has_prefix (text, "TLSRPT UNKNOWN - no report stored yet\n"));
}

/* hostile domain names stay in their place: one first line, one label each */
static void
test_hostile (Fixture *f, gconstpointer data)
{
  g_auto (TrHealth) health = { 0 };
  g_auto (TrCheckVerdict) verdict = { 0 };
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  TrCheckRules rules;

  put (f, &(Put){ "evil|x=1\nTLSRPT OK", "evil'| x=1\n::.example", 1, NULL, FALSE, 10, 10, NULL });
  default_rules (&rules);
  judge (f, &rules, NULL, &health, &verdict);
  text = tr_check_plugin_text (&health, &rules, &verdict);
  lines = g_strsplit (text, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "TLSRPT CRITICAL - evil'\\x7c x=1\\n::.example: "));
  g_assert_true (strchr (lines[0], '|')
                 == strrchr (lines[0], '|')); /* only the one before perfdata */
  g_assert_nonnull (
      strstr (lines[0], "'evil''\\x7c x\\x3d1\\n\\x3a\\x3a.example sessions'=20;;;0"));
  g_assert_cmpuint (g_strv_length (lines), ==, 4); /* problem, domain line, "" */
  g_assert_null (strchr (lines[1], '|'));
}

/* the first line stays short, and says how many more problems there are */
static void
test_many (Fixture *f, gconstpointer data)
{
  g_auto (TrHealth) health = { 0 };
  g_auto (TrCheckVerdict) verdict = { 0 };
  TrCheckRules rules;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *domain = g_strdup_printf ("d%02u.example", i);

      put (f, &(Put){ "a.example", domain, 1, "enforce", FALSE, 50, 50, NULL });
    }
  default_rules (&rules);
  judge (f, &rules, NULL, &health, &verdict);
  g_assert_cmpuint (verdict.problems->len, ==, 30);
  g_assert_cmpuint (strlen (verdict.summary), <=, TR_PLUGIN_MAX_SUMMARY);
  g_assert_true (g_str_has_suffix (verdict.summary, " more)"));
}

/* --enforce-ready: the evidence, and what stands against it */
static void
test_enforce_ready (Fixture *f, gconstpointer data)
{
  g_auto (TrHealth) health = { 0 };
  g_auto (TrCheckVerdict) verdict = { 0 };
  TrCheckRules rules;

  for (int day = 1; day <= 30; day++)
    {
      put (f, &(Put){ "a.example", "ready.example", day, "testing", FALSE, 100, 0, NULL });
      put (f, &(Put){ "b.example", "ready.example", day, "testing", FALSE, 50, 0, NULL });
      put (f, &(Put){ "a.example", "not.example", day, "testing", FALSE, 100, day == 5,
                      "certificate-host-mismatch" });
    }
  default_rules (&rules);
  rules.since_day = rules.history_day = "2026-10-31";
  rules.enforce_domain = "ready.example";
  judge (f, &rules, (char *[]){ "ready.example", NULL }, &health, &verdict);
  g_assert_cmpint (verdict.status, ==, TR_PLUGIN_OK);
  g_assert_cmpstr (verdict.summary, ==,
                   "ready.example is ready for enforce: no failure in 4500 sessions since "
                   "2026-10-31, reports on 30 of 30 days from 2 reporters (MTA-STS testing)");
  tr_check_verdict_clear (&verdict);
  tr_health_clear (&health);
  rules.enforce_domain = "not.example";
  judge (f, &rules, (char *[]){ "not.example", NULL }, &health, &verdict);
  g_assert_cmpint (verdict.status, ==, TR_PLUGIN_WARNING);
  g_assert_cmpuint (verdict.problems->len, ==, 2); /* a failure; one reporter */
  g_assert_true (g_str_has_prefix (verdict.summary, "not.example is not ready for enforce: "
                                                    "1 of 3001 sessions failed since 2026-10-31: "
                                                    "certificate-host-mismatch 1 (most at "
                                                    "mx1.example.com)"));
}

/* metrics: families, and a label set that repeats once made valid is left out */
static void
test_metrics (Fixture *f, gconstpointer data)
{
  g_auto (TrHealth) health = { 0 };
  g_autoptr (TrMetrics) metrics = tr_metrics_new ();
  g_autoptr (GError) error = NULL;
  TrHealthQuery query
      = { .now = f->now, .since_day = "2026-11-29", .history_day = "2026-10-30", .totals = TRUE };
  const char *text;
  guint refused = 0;

  put (f, &(Put){ "a.example", "example.com", 1, "enforce", TRUE, 90, 10, NULL });
  put (f, &(Put){ "a.example", "example.com", 100, "enforce", FALSE, 5, 0, NULL });
  put (f, &(Put){ "a.example", "bad\xff.example", 1, NULL, FALSE, 1, 0, NULL });
  put (f, &(Put){ "a.example", "bad\xfe.example", 1, NULL, FALSE, 1, 0, NULL });
  g_assert_true (tr_health_read (f->store, &query, &health, &error));
  g_assert_true (tr_metrics_add_health (&health, metrics, &refused, &error));
  g_assert_no_error (error);
  text = tr_metrics_text (metrics, NULL);
  g_assert_nonnull (strstr (text, "\ntlsrpt_sessions_total{domain=\"example.com\"} 105\n"));
  g_assert_nonnull (strstr (text, "\ntlsrpt_day_sessions{domain=\"example.com\"} 100\n"));
  g_assert_nonnull (strstr (text, "\ntlsrpt_day_failed_sessions{domain=\"example.com\"} 10\n"));
  g_assert_nonnull (strstr (text, "\ntlsrpt_policy_enforced{domain=\"example.com\"} 1\n"));
  g_assert_nonnull (strstr (text, "tlsrpt_day_result_type_sessions{domain=\"example.com\","
                                  "result_type=\"certificate-expired\"} 10\n"));
  g_assert_nonnull (strstr (text, "tlsrpt_last_report_timestamp_seconds{domain=\"example.com\","
                                  "reporter=\"a.example\"} 1795996800\n"));
  g_assert_nonnull (strstr (text, "\ntlsrpt_metrics_left_out{what=\"domains\"} 0\n"));
  g_assert_cmpuint (refused, >, 0); /* bad\xff and bad\xfe are the same once valid */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/check/policy-mode", test_policy_mode);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/check/rate", test_rate);
  ADD ("/check/counting-rule", test_counting_rule);
  ADD ("/check/new-type", test_new_type);
  ADD ("/check/silence", test_silence);
  ADD ("/check/silent-all", test_silent_all);
  ADD ("/check/empty", test_empty);
  ADD ("/check/hostile", test_hostile);
  ADD ("/check/many", test_many);
  ADD ("/check/enforce-ready", test_enforce_ready);
  ADD ("/metrics/families", test_metrics);
  return g_test_run ();
}
