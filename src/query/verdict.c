/* verdict.c - what a monitoring check would say about an overview: the digest's first lines
 *
 * A stand-in for the rules of `tlsrptdb check` (issue 14), written before check exists and
 * meant to be replaced by a call of it: the same five rules (failure rate, a new result type, a
 * silent reporter, a silent domain, rejected mail), with fixed thresholds (doc/design.md, "The
 * digest").  Only the overview's numbers are read: no store, no I/O.
 */
#include "config.h"

#include <math.h>

#include "overview.h"

#define MIN_SESSIONS 10 /* below this, a failure rate is not judged */
#define RATE_WARNING 0.02
#define RATE_CRITICAL 0.10

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
judge_domain (TrOverview *ov, const TrOverviewDomain *d)
{
  gint64 all = tr_count_add (d->successful, d->failed);
  double rate = tr_overview_rate (d->successful, d->failed);
  gboolean enforced
      = d->policy != NULL
        && (g_strstr_len (d->policy, -1, "enforce") || g_strstr_len (d->policy, -1, "tlsa"));

  if (all >= MIN_SESSIONS && !isnan (rate) && rate >= RATE_WARNING)
    add (ov, rate >= RATE_CRITICAL ? TR_LEVEL_CRITICAL : TR_LEVEL_WARNING, d->name,
         g_strdup_printf ("%.1f%% of %" G_GINT64_FORMAT " sessions failed", 100.0 * rate, all),
         NULL);
  if (d->new_types->len > 0)
    {
      g_autoptr (GString) names = g_string_new (NULL);

      for (guint i = 0; i < d->new_types->len; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "",
                                (const char *) g_ptr_array_index (d->new_types, i));
      add (ov, enforced ? TR_LEVEL_CRITICAL : TR_LEVEL_WARNING, d->name,
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
tr_overview_judge (TrOverview *ov)
{
  for (guint i = 0; i < ov->domains->len; i++)
    judge_domain (ov, g_ptr_array_index (ov->domains, i));
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
  if (ov->n_rejected > 0)
    add (ov, TR_LEVEL_WARNING, NULL,
         g_strdup_printf ("%" G_GINT64_FORMAT
                          " message%s kept in `rejected`, most often (%" G_GINT64_FORMAT ") for:",
                          ov->n_rejected, ov->n_rejected == 1 ? "" : "s",
                          ov->rejected_reason_count),
         ov->rejected_reason);
  g_ptr_array_sort (ov->problems, compare_problems); /* stable: GLib sorts with a merge sort */
}
