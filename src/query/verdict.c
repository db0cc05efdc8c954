/* verdict.c - what a monitoring check would say about an overview: the digest's first lines
 *
 * The rules of `tlsrptdb check` over the overview's numbers, with check's thresholds (its
 * [check] group of the config file, else its defaults): a domain's failure rate, rounded as
 * check rounds it, against --warning and --critical, not judged below --min-sessions; a result
 * type new for a domain, CRITICAL where check's is (an enforced policy, a type that stops
 * delivery); --rejected messages kept in `rejected`.  Silence is judged by the window's last
 * report days, which suit a window of days better than check's hours (doc/design.md, "The
 * verdict").  Only the overview's numbers are read: no store, no I/O.
 */
#include "config.h"

#include <math.h>

#include "health.h"
#include "overview.h"

/* add - a problem of @level about @subject (any bytes, or NULL) */
static void
add (TrOverview *ov, TrLevel level, const char *subject, char *text, const char *detail)
{
  TrOverviewProblem *p = g_new0 (TrOverviewProblem, 1);

  p->level = level;
  p->subject = g_strdup (subject);
  p->text = text;
  p->detail = g_strdup (detail);
  g_ptr_array_add (ov->problems, p);
  ov->level = MAX (ov->level, level);
}

/* judge_domain - the rate, the new result types and the silence of @d */
static void
judge_domain (TrOverview *ov, const TrOverviewDomain *d, const TrCheckRules *rules)
{
  gint64 all = tr_count_add (d->successful, d->failed);
  double rate = tr_check_rate (d->failed, all);
  gboolean enforced
      = d->policy != NULL
        && (g_strstr_len (d->policy, -1, "enforce") || g_strstr_len (d->policy, -1, "tlsa"));
  gboolean blocks = FALSE;

  if (all > 0 && all >= rules->min_sessions && !isnan (rate))
    {
      TrPluginStatus status = tr_plugin_status_for (rate, &rules->warning, &rules->critical);

      if (status != TR_PLUGIN_OK)
        add (ov, status == TR_PLUGIN_CRITICAL ? TR_LEVEL_CRITICAL : TR_LEVEL_WARNING, d->name,
             g_strdup_printf ("%.1f%% of %" G_GINT64_FORMAT " sessions failed", rate, all), NULL);
    }
  for (guint i = 0; enforced && i < d->new_types->len; i++)
    blocks = blocks || tr_result_type_blocks (g_ptr_array_index (d->new_types, i));
  if (d->new_types->len > 0)
    {
      g_autoptr (GString) names = g_string_new (NULL);

      for (guint i = 0; i < d->new_types->len; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "",
                                (const char *) g_ptr_array_index (d->new_types, i));
      add (ov, blocks ? TR_LEVEL_CRITICAL : TR_LEVEL_WARNING, d->name,
           g_strdup_printf ("%s (none in the %u days before):",
                            d->new_types->len == 1 ? "a new kind of failure"
                                                   : "new kinds of failure",
                            TR_OVERVIEW_NEW_TYPE_DAYS),
           names->str);
    }
  if (d->silent)
    add (ov, TR_LEVEL_CRITICAL, d->name,
         g_strdup_printf ("no report since %s", d->last_day ? d->last_day : "the window began"),
         NULL);
}

static int
compare_problems (gconstpointer a, gconstpointer b)
{
  const TrOverviewProblem *x = *(const TrOverviewProblem *const *) a;
  const TrOverviewProblem *y = *(const TrOverviewProblem *const *) b;

  return (int) y->level - (int) x->level;
}

/* tr_overview_judge - the problems of @ov, worst first (in the order of the rules within a level)
 */
void
tr_overview_judge (TrOverview *ov, const TrCheckRules *rules)
{
  for (guint i = 0; i < ov->domains->len; i++)
    judge_domain (ov, g_ptr_array_index (ov->domains, i), rules);
  for (guint i = 0; i < ov->silent_domains->len; i++)
    {
      const TrOverviewDomain *d = g_ptr_array_index (ov->silent_domains, i);

      add (ov, TR_LEVEL_CRITICAL, d->name,
           g_strdup_printf ("no report in the window (%" G_GINT64_FORMAT " in the one before)",
                            d->prev_reports),
           NULL);
    }
  for (guint i = 0; i < ov->reporters->len; i++)
    {
      const TrOverviewReporter *r = g_ptr_array_index (ov->reporters, i);
      const char *last = r->last_day ? r->last_day : r->prev_last_day;

      if (r->silent)
        add (ov, TR_LEVEL_WARNING, r->name,
             g_strdup_printf ("reporter silent: no report since %s", last), NULL);
    }
  if (rules->rejected > 0 && ov->n_rejected >= rules->rejected)
    add (ov, TR_LEVEL_WARNING, NULL,
         g_strdup_printf ("%" G_GINT64_FORMAT
                          " message%s kept in `rejected`, most often (%" G_GINT64_FORMAT ") for:",
                          ov->n_rejected, ov->n_rejected == 1 ? "" : "s",
                          ov->rejected_reason_count),
         ov->rejected_reason);
  g_ptr_array_sort (ov->problems, compare_problems); /* stable: GLib sorts with a merge sort */
}
