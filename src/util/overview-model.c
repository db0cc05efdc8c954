/* overview-model.c - the overview's allocation, and the two helpers its readers share */
#include "config.h"

#include <math.h>

#include "overview-model.h"

double
tr_overview_rate (gint64 successful, gint64 failed)
{
  double all = (double) successful + (double) failed;

  return all > 0 ? (double) failed / all : NAN;
}

guint
tr_overview_domains_failing (const TrOverview *ov)
{
  guint n = 0;

  for (guint i = 0; i < ov->domains->len; i++)
    n += ((TrOverviewDomain *) g_ptr_array_index (ov->domains, i))->failed > 0;
  return n;
}

static void
domain_free (gpointer data)
{
  TrOverviewDomain *d = data;

  g_array_unref (d->types);
  g_ptr_array_unref (d->new_types);
  g_free (d->day_successful);
  g_free (d->day_failed);
  g_free (d);
}

static void
failure_free (gpointer data)
{
  TrOverviewFailure *o = data;

  g_free (o->day);
  g_free (o->reporter);
  g_free (o->report_id);
  g_free (o->domain);
  g_free (o->policy_type);
  g_free (o->result_type);
  g_free (o->sending_ip);
  g_free (o->mx);
  g_free (o->receiving_ip);
  g_free (o->reason_code);
  g_free (o->additional);
  g_free (o);
}

static void
rejected_free (gpointer data)
{
  TrOverviewRejected *r = data;

  g_free (r->received_at);
  g_free (r->last_received_at);
  g_free (r->reason);
  g_free (r->message_id);
  g_free (r->subject);
  g_free (r->mail_from);
  g_free (r->via);
  g_free (r);
}

static void
problem_free (gpointer data)
{
  TrOverviewProblem *p = data;

  g_free (p->subject);
  g_free (p->text);
  g_free (p->detail);
  g_free (p);
}

TrOverview *
tr_overview_new (void)
{
  TrOverview *ov = g_new0 (TrOverview, 1);

  ov->strings = g_string_chunk_new (4096);
  ov->domains = g_ptr_array_new_with_free_func (domain_free);
  ov->silent_domains = g_ptr_array_new_with_free_func (domain_free);
  ov->types = g_ptr_array_new_with_free_func (g_free);
  ov->reporters = g_ptr_array_new_with_free_func (g_free);
  ov->mxs = g_array_new (FALSE, FALSE, sizeof (TrOverviewCount));
  ov->ips = g_array_new (FALSE, FALSE, sizeof (TrOverviewCount));
  ov->failures = g_ptr_array_new_with_free_func (failure_free);
  ov->rejected = g_ptr_array_new_with_free_func (rejected_free);
  ov->problems = g_ptr_array_new_with_free_func (problem_free);
  return ov;
}

void
tr_overview_free (TrOverview *ov)
{
  if (ov == NULL)
    return;
  g_free (ov->since_day);
  g_free (ov->until_day);
  g_free (ov->prev_since_day);
  g_free (ov->prev_until_day);
  g_strfreev (ov->days);
  g_free (ov->day_successful);
  g_free (ov->day_failed);
  g_free (ov->day_reports);
  g_ptr_array_unref (ov->domains);
  g_ptr_array_unref (ov->silent_domains);
  g_ptr_array_unref (ov->types);
  g_strfreev (ov->series_names);
  for (guint k = 0; k < ov->n_series; k++)
    g_free (ov->series_days[k]);
  g_free (ov->series_days);
  g_ptr_array_unref (ov->reporters);
  g_strfreev (ov->grid_rows);
  g_free (ov->grid_cells);
  g_free (ov->grid_marks);
  g_array_unref (ov->mxs);
  g_array_unref (ov->ips);
  g_ptr_array_unref (ov->failures);
  g_ptr_array_unref (ov->rejected);
  g_free (ov->rejected_reason);
  g_ptr_array_unref (ov->problems);
  g_string_chunk_free (ov->strings);
  g_free (ov);
}
