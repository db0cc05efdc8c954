/* overview-listings.c - what the page lists beside its charts: the domains' policies, the
 * newest failure details, the messages kept in `rejected`; and the two rates */
#include "config.h"

#include <math.h>
#include <string.h>

#include "error.h"
#include "overview-private.h"

#define POLICY_DAYS 30 /* a domain's policy: the newest of the window's last 30 days */

/* --- listings ----------------------------------------------------------------------------- */

/* policy_label - "sts enforce", "tlsa", "no-policy-found" for a policy of @klass */
static char *
policy_label (const TrPolicyRow *row, TrPolicyClass klass)
{
  const char *mode = row->policy_string ? strstr (row->policy_string, "mode:") : NULL;
  char word[16] = "";
  guint n = 0;

  if (klass == TR_CLASS_TLSA)
    return g_strdup ("tlsa");
  if (klass == TR_CLASS_OTHER)
    return g_ascii_strdown (row->policy_type ? row->policy_type : "(none)", 64);
  for (mode = mode ? mode + 5 : NULL; mode && *mode == ' '; mode++)
    ;
  while (mode && g_ascii_isalpha (mode[n]) && n + 1 < sizeof word)
    {
      word[n] = g_ascii_tolower (mode[n]);
      n++;
    }
  return n > 0 ? g_strconcat ("sts ", word, NULL) : g_strdup ("sts");
}

/* on_policy - the newest policy of each class per domain */
static gboolean
on_policy (const TrPolicyRow *row, gpointer data, GError **error)
{
  Gather *g = data;
  guint id = intern (g, &g->domains, row->domain);
  TrPolicyClass klass = tr_policy_class (row->policy_type);
  int j = day_of (g, row->day);
  DomainAcc *d;

  if (id >= g->domain_acc->len)
    return TRUE; /* not in the window's sessions */
  d = &g_array_index (g->domain_acc, DomainAcc, id);
  if (j >= d->policy_day[klass])
    {
      g_autofree char *label = policy_label (row, klass);

      d->policy_day[klass] = j;
      d->policy[klass] = g_string_chunk_insert_const (g->ov->strings, label);
    }
  return TRUE;
}

/* on_failure - one of the newest failure details, copied */
static gboolean
on_failure (const TrFailureRow *row, gpointer data, GError **error)
{
  Gather *g = data;
  const TrFailure *f = row->failure;
  TrOverviewFailure *o = g_new0 (TrOverviewFailure, 1);

  o->report_row = row->report_row;
  o->failed = f->failed_session_count;
  o->day = g_strdup (row->day);
  o->reporter = g_strdup (row->reporter);
  o->report_id = g_strdup (row->report_id);
  o->domain = g_strdup (row->domain);
  o->policy_type = g_strdup (row->policy_type);
  o->result_type = g_strdup (f->result_type);
  o->sending_ip = g_strdup (f->sending_mta_ip);
  o->mx = g_strdup (f->receiving_mx_hostname);
  o->receiving_ip = g_strdup (f->receiving_ip);
  o->reason_code = g_strdup (f->failure_reason_code);
  o->additional = g_strdup (f->additional_information);
  g_ptr_array_add (g->ov->failures, o);
  return TRUE;
}

/* on_rejected - a message kept in the window: counted, its reason counted, the newest copied */
static gboolean
on_rejected (const TrRejectedRow *row, gpointer data, GError **error)
{
  Gather *g = data;
  TrOverview *ov = g->ov;
  const char *reason = row->reason ? row->reason : "";
  gint64 *count = g_hash_table_lookup (g->reasons, reason);

  if (count == NULL)
    {
      count = g_new0 (gint64, 1);
      g_hash_table_insert (g->reasons, g_strdup (reason), count);
    }
  (*count)++;
  if (*count > ov->rejected_reason_count
      || (*count == ov->rejected_reason_count && g_strcmp0 (reason, ov->rejected_reason) < 0))
    {
      ov->rejected_reason_count = *count;
      g_free (ov->rejected_reason);
      ov->rejected_reason = g_strdup (reason);
    }
  ov->n_rejected++;
  if (ov->rejected->len < TR_OVERVIEW_REJECTED)
    {
      TrOverviewRejected *copy = g_new0 (TrOverviewRejected, 1);

      copy->deliveries = row->deliveries;
      copy->message_size = row->message_size;
      copy->received_at = g_strdup (row->received_at);
      copy->last_received_at = g_strdup (row->last_received_at);
      copy->reason = g_strdup (row->reason);
      copy->message_id = g_strdup (row->message_id);
      copy->subject = g_strdup (row->subject);
      copy->mail_from = g_strdup (row->mail_from);
      copy->via = g_strdup (row->received_via);
      g_ptr_array_add (ov->rejected, copy);
    }
  return TRUE;
}

/* gather_listings - the domains' policies, the newest failure details, the rejected messages */
gboolean
gather_listings (Gather *g, TrStore *store, const TrQueryFilter *filter, GError **error)
{
  TrQueryFilter f = *filter;
  g_autofree char *policy_since
      = g_strdup (julian_text (g, MAX (g->since, g->until - POLICY_DAYS + 1)));

  f.since_day = policy_since;
  f.limit = -1;
  if (!tr_store_each_policy (store, &f, on_policy, g, error))
    return FALSE;
  f = *filter;
  f.limit = TR_OVERVIEW_FAILURES;
  if (!tr_store_each_failure (store, &f, on_failure, g, error))
    return FALSE;
  return tr_store_each_rejected (store,
                                 &(TrRejectedFilter){ .since_day = filter->since_day,
                                                      .until_day = filter->until_day,
                                                      .limit = -1,
                                                      .any_delivery = TRUE },
                                 on_rejected, g, error);
}
