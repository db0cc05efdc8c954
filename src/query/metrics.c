/* metrics.c - the Prometheus families of tlsrptdb metrics (metrics.h), from health.c's reading
 *
 * Names follow the Prometheus conventions: the tlsrpt_ prefix, base units (seconds, bytes),
 * _total only on counters, _timestamp_seconds for points in time, and "day" for the reports of
 * the last day: report days from yesterday (UTC) on, the default window of check.  The counts of
 * every stored report are counters (prune lowers them; Prometheus takes that for a reset); the
 * rest are gauges.  The values that check's rules turn on (a result type new to a domain, a
 * regular reporter, an enforced policy) are exported as health.c computes them for check, so
 * that the alerting rules of contrib/prometheus say what check says.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "error.h"
#include "metrics.h"

typedef struct
{
  TrMetrics *metrics;
  guint *refused;
  GError *error;      /* the first error of our own */
  GPtrArray *domains; /* the domains exposed, by name */
  guint pairs_left_out, types_left_out;
} Out;

/* family - start a family (an invalid name is our bug, kept for the end) */
static void
family (Out *o, const char *name, TrMetricType type, const char *help)
{
  if (o->error == NULL)
    tr_metrics_family (o->metrics, name, type, help, &o->error);
}

/* sample - one sample; a duplicate of an earlier one (hostile names) is counted and left out */
static void
sample (Out *o, const TrMetricLabel *labels, guint n, double value, gboolean integer)
{
  g_autoptr (GError) local_error = NULL;
  gboolean ok;

  if (o->error != NULL)
    return;
  ok = integer ? tr_metrics_sample_int (o->metrics, labels, n, (gint64) value, &local_error)
               : tr_metrics_sample (o->metrics, labels, n, value, &local_error);
  if (ok)
    return;
  if (g_error_matches (local_error, TR_ERROR, TR_ERROR_DATA))
    (*o->refused)++;
  else
    g_propagate_error (&o->error, g_steal_pointer (&local_error));
}

/* timestamp - seconds since 1970 of "YYYY-MM-DDTHH:MM:SSZ", NAN if it is not one */
static double
timestamp (const char *when)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) t = when ? g_date_time_new_from_iso8601 (when, utc) : NULL;

  return t ? (double) g_date_time_to_unix (t) : NAN;
}

/* One family per domain: its name, type, help and value. */
typedef struct
{
  const char *name;
  TrMetricType type;
  const char *help;
  double (*value) (const TrHealthDomain *d);
  gboolean recent_only; /* only domains with a report in the history or the day */
} DomainFamily;

static double
v_total (const TrHealthDomain *d)
{
  return (double) tr_count_add (d->total_successful, d->total_failed);
}
static double
v_total_failed (const TrHealthDomain *d)
{
  return (double) d->total_failed;
}
static double
v_day (const TrHealthDomain *d)
{
  return (double) tr_count_add (d->successful, d->failed);
}
static double
v_day_failed (const TrHealthDomain *d)
{
  return (double) d->failed;
}
static double
v_day_reports (const TrHealthDomain *d)
{
  return (double) d->reports;
}
static double
v_enforced (const TrHealthDomain *d)
{
  return d->sts_mode == TR_POLICY_MODE_ENFORCE || d->dane;
}
static double
v_last (const TrHealthDomain *d)
{
  return timestamp (d->last_end);
}
static double
v_regular (const TrHealthDomain *d)
{
  return d->regular;
}

static const DomainFamily domain_families[] = {
  { "tlsrpt_sessions_total", TR_METRIC_COUNTER,
    "TLS sessions in every stored report, by policy domain (sts and tlsa for the same sessions "
    "counted once).",
    v_total, FALSE },
  { "tlsrpt_failed_sessions_total", TR_METRIC_COUNTER,
    "Failed TLS sessions in every stored report, by policy domain.", v_total_failed, FALSE },
  { "tlsrpt_day_sessions", TR_METRIC_GAUGE,
    "TLS sessions in the reports of the last day (report days from yesterday, UTC).", v_day, TRUE },
  { "tlsrpt_day_failed_sessions", TR_METRIC_GAUGE,
    "Failed TLS sessions in the reports of the last day.", v_day_failed, TRUE },
  { "tlsrpt_day_reports", TR_METRIC_GAUGE, "Reports of the last day about the policy domain.",
    v_day_reports, TRUE },
  { "tlsrpt_policy_enforced", TR_METRIC_GAUGE,
    "1 if the domain's latest MTA-STS policy is in enforce mode or DANE (tlsa) was reported: a "
    "failed session is then mail not delivered.",
    v_enforced, TRUE },
  { "tlsrpt_domain_last_report_timestamp_seconds", TR_METRIC_GAUGE,
    "End of the date range of the latest report about the domain (not when it arrived).", v_last,
    TRUE },
  { "tlsrpt_domain_regular", TR_METRIC_GAUGE,
    "1 if reports about the domain came on most of the 14 days up to the latest.", v_regular,
    TRUE },
};

/* add_domain_families - the families with one sample per domain */
static void
add_domain_families (Out *o)
{
  for (guint f = 0; f < G_N_ELEMENTS (domain_families); f++)
    {
      const DomainFamily *df = &domain_families[f];

      family (o, df->name, df->type, df->help);
      for (guint i = 0; i < o->domains->len; i++)
        {
          const TrHealthDomain *d = g_ptr_array_index (o->domains, i);
          const TrMetricLabel labels[] = { { "domain", d->name } };
          double value;

          if (df->recent_only && !d->recent)
            continue;
          value = df->value (d);
          if (!isnan (value))
            sample (o, labels, 1, value, TRUE); /* counts, 0/1, whole seconds */
        }
    }
}

/* add_policy_info - tlsrpt_policy_info{domain,policy_type,mode} 1 */
static void
add_policy_info (Out *o)
{
  family (o, "tlsrpt_policy_info", TR_METRIC_GAUGE,
          "The domain's policies as reported: policy_type sts with the mode of its latest "
          "MTA-STS policy, tlsa (DANE) with mode dane.");
  for (guint i = 0; i < o->domains->len; i++)
    {
      const TrHealthDomain *d = g_ptr_array_index (o->domains, i);
      const TrMetricLabel sts[] = { { "domain", d->name },
                                    { "policy_type", "sts" },
                                    { "mode", tr_policy_mode_name (d->sts_mode) } };
      const TrMetricLabel tlsa[]
          = { { "domain", d->name }, { "policy_type", "tlsa" }, { "mode", "dane" } };

      if (d->recent && d->sts_mode != TR_POLICY_MODE_UNKNOWN)
        sample (o, sts, 3, 1, TRUE);
      if (d->recent && d->dane)
        sample (o, tlsa, 3, 1, TRUE);
    }
}

/* add_result_types - per domain and result type of the last day: its failed sessions, and
 * whether it is new to the domain (check's rule new-result-type) */
static void
add_result_types (Out *o)
{
  guint pairs = 0;

  family (o, "tlsrpt_day_result_type_sessions", TR_METRIC_GAUGE,
          "Failed TLS sessions of one result type in the reports of the last day (failure "
          "details; one session may have several types).");
  for (guint i = 0; i < o->domains->len; i++)
    {
      const TrHealthDomain *d = g_ptr_array_index (o->domains, i);

      for (guint j = 0; j < d->types->len; j++)
        {
          const TrHealthType *t = g_ptr_array_index (d->types, j);
          const TrMetricLabel labels[] = { { "domain", d->name }, { "result_type", t->name } };

          if (t->first_day == NULL)
            continue;
          if (pairs++ >= TR_METRICS_MAX_PAIRS)
            o->types_left_out++;
          else
            sample (o, labels, 2, (double) t->failed, TRUE);
        }
    }
  family (o, "tlsrpt_result_type_new", TR_METRIC_GAUGE,
          "1 if the result type came in the last day and not in the 30 days before (with a "
          "history to compare); blocks_delivery: whether it stops delivery under an enforced "
          "policy.");
  pairs = 0;
  for (guint i = 0; i < o->domains->len; i++)
    {
      const TrHealthDomain *d = g_ptr_array_index (o->domains, i);

      for (guint j = 0; j < d->types->len; j++)
        {
          const TrHealthType *t = g_ptr_array_index (d->types, j);
          const TrMetricLabel labels[] = {
            { "domain", d->name },
            { "result_type", t->name },
            { "blocks_delivery", tr_result_type_blocks (t->name) ? "true" : "false" },
          };

          if (t->first_day != NULL && pairs++ < TR_METRICS_MAX_PAIRS)
            sample (o, labels, 3, d->has_history && !t->in_history, TRUE);
        }
    }
}

/* add_reporters - per domain and reporter: the end of its latest report, and its regularity */
static void
add_reporters (Out *o)
{
  static const char *const names[]
      = { "tlsrpt_last_report_timestamp_seconds", "tlsrpt_reporter_regular" };
  static const char *const helps[] = {
    "End of the date range of the latest report of the reporter about the domain (not when it "
    "arrived; reporters of the last 30 days).",
    "1 if the reporter reported about the domain on most of the 14 days up to its latest report.",
  };

  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      guint pairs = 0;

      family (o, names[f], TR_METRIC_GAUGE, helps[f]);
      for (guint i = 0; i < o->domains->len; i++)
        {
          const TrHealthDomain *d = g_ptr_array_index (o->domains, i);

          for (guint j = 0; j < d->reporters->len; j++)
            {
              const TrHealthReporter *r = g_ptr_array_index (d->reporters, j);
              const TrMetricLabel labels[] = { { "domain", d->name }, { "reporter", r->name } };
              double value = f == 0 ? timestamp (r->last_end) : r->regular;

              if (pairs++ >= TR_METRICS_MAX_PAIRS)
                o->pairs_left_out += f == 0;
              else if (!isnan (value))
                sample (o, labels, 2, value, TRUE);
            }
        }
    }
}

/* add_one - a family of one sample without labels */
static void
add_one (Out *o, const char *name, TrMetricType type, const char *help, double value)
{
  if (isnan (value))
    return;
  family (o, name, type, help);
  sample (o, NULL, 0, value, TRUE);
}

/* add_database - `rejected` and the database's own health */
static void
add_database (Out *o, const TrHealth *h)
{
  const TrStoreInfo *info = &h->info;

  add_one (o, "tlsrpt_reports_total", TR_METRIC_COUNTER,
           "Reports stored: every distinct report received (prune lowers it).",
           (double) info->reports);
  add_one (o, "tlsrpt_rejected_messages", TR_METRIC_GAUGE,
           "Messages kept in the rejected table (mail that held no usable report).",
           (double) info->rejected);
  add_one (o, "tlsrpt_rejected_bytes", TR_METRIC_GAUGE,
           "Bytes of the messages kept in the rejected table.", (double) info->rejected_bytes);
  add_one (o, "tlsrpt_day_rejected_messages", TR_METRIC_GAUGE,
           "Messages first kept in the rejected table since yesterday began (UTC).",
           (double) h->rejected);
  add_one (o, "tlsrpt_database_size_bytes", TR_METRIC_GAUGE,
           "Size of the database (pages in use and free).",
           info->size_bytes >= 0 ? (double) info->size_bytes : NAN);
  add_one (o, "tlsrpt_database_schema_version", TR_METRIC_GAUGE, "Schema version of the database.",
           (double) info->schema_version);
  add_one (o, "tlsrpt_last_ingest_timestamp_seconds", TR_METRIC_GAUGE,
           "When the latest report or rejected message was first stored.",
           timestamp (info->last_received_at));
}

/* add_left_out - what the bounds on cardinality left out */
static void
add_left_out (Out *o, guint domains)
{
  const struct
  {
    const char *what;
    guint n;
  } left[] = {
    { "domains", domains },
    { "reporters", o->pairs_left_out },
    { "result_types", o->types_left_out },
  };

  family (o, "tlsrpt_metrics_left_out", TR_METRIC_GAUGE,
          "Series left out by the bounds on cardinality: domains beyond 2000, (domain, reporter) "
          "and (domain, result type) pairs beyond 20000.");
  for (guint i = 0; i < G_N_ELEMENTS (left); i++)
    {
      const TrMetricLabel labels[] = { { "what", left[i].what } };

      sample (o, labels, 1, left[i].n, TRUE);
    }
}

/* compare_importance - the domains with a report of late first, the most sessions of the last
 * day, then ever, then by name */
static int
compare_importance (gconstpointer a, gconstpointer b)
{
  const TrHealthDomain *x = *(TrHealthDomain *const *) a, *y = *(TrHealthDomain *const *) b;
  gint64 xd = tr_count_add (x->successful, x->failed), yd = tr_count_add (y->successful, y->failed);
  gint64 xt = tr_count_add (x->total_successful, x->total_failed);
  gint64 yt = tr_count_add (y->total_successful, y->total_failed);

  if (x->recent != y->recent)
    return x->recent ? -1 : 1;
  if (xd != yd)
    return xd > yd ? -1 : 1;
  if (xt != yt)
    return xt > yt ? -1 : 1;
  return strcmp (x->name, y->name);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(TrHealthDomain *const *) a)->name, (*(TrHealthDomain *const *) b)->name);
}

/* tr_metrics_add_health - every family */
gboolean
tr_metrics_add_health (const TrHealth *health, TrMetrics *metrics, guint *refused, GError **error)
{
  Out o = { .metrics = metrics, .refused = refused };
  guint left_out = 0;

  *refused = 0;
  o.domains = g_ptr_array_new ();
  for (guint i = 0; i < health->domains->len; i++)
    if (((TrHealthDomain *) g_ptr_array_index (health->domains, i))->known)
      g_ptr_array_add (o.domains, g_ptr_array_index (health->domains, i));
  if (o.domains->len > TR_METRICS_MAX_DOMAINS)
    {
      g_ptr_array_sort (o.domains, compare_importance);
      left_out = o.domains->len - TR_METRICS_MAX_DOMAINS;
      g_ptr_array_set_size (o.domains, TR_METRICS_MAX_DOMAINS);
      g_ptr_array_sort (o.domains, compare_names);
    }
  add_domain_families (&o);
  add_policy_info (&o);
  add_result_types (&o);
  add_reporters (&o);
  add_database (&o, health);
  add_left_out (&o, left_out);
  g_ptr_array_unref (o.domains);
  if (o.error != NULL)
    {
      g_propagate_error (error, o.error);
      return FALSE;
    }
  return TRUE;
}
