/* health.c - what check judges and metrics exposes, from the store's rows (health.h)
 *
 * Five reads in one snapshot, each linear in its rows: the sessions of every report and domain
 * key with the end of its date range, from the start of the regularity days before the history
 * to now (the window's totals by the counting rule, the days each reporter covered); the summed
 * failure details of the history and the window (which result types are new); the policies of
 * the same reports (the MTA-STS mode, DANE); the messages kept in `rejected` since the window
 * began; and for metrics the sessions of every stored report.  Day sets are bit sets over the
 * days read, one per reporter and domain.
 */
#include "config.h"

#include <string.h>

#include "error.h"
#include "health.h"
#include "timespec.h"

/* --- days ------------------------------------------------------------------------------------ */

/* day_number - the Julian day number of "YYYY-MM-DD", 0 if it is not one */
static guint32
day_number (const char *day)
{
  guint v[3] = { 0 }, field = 0;
  GDate date;

  if (day == NULL || strlen (day) < 10 || day[4] != '-' || day[7] != '-')
    return 0;
  for (guint i = 0; i < 10; i++)
    if (day[i] == '-')
      field++;
    else if (g_ascii_isdigit (day[i]))
      v[field] = v[field] * 10 + (guint) (day[i] - '0');
    else
      return 0;
  if (v[0] > 9999 || !g_date_valid_dmy ((GDateDay) v[2], (GDateMonth) v[1], (GDateYear) v[0]))
    return 0;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) v[2], (GDateMonth) v[1], (GDateYear) v[0]);
  return g_date_get_julian (&date);
}

/* day_text - "YYYY-MM-DD" of a Julian day number (newly allocated) */
static char *
day_text (guint32 number)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, number);
  return g_strdup_printf ("%04u-%02u-%02u", (guint) g_date_get_year (&date),
                          (guint) g_date_get_month (&date), (guint) g_date_get_day (&date));
}

/* day_add - @day ("YYYY-MM-DD") plus @n days (newly allocated; NULL if it is no day) */
static char *
day_add (const char *day, gint n)
{
  guint32 number = day_number (day);

  return number > (guint32) MAX (-n, 0) ? day_text ((guint32) ((gint64) number + n)) : NULL;
}

/* days_set - mark @number in the day set @days of @health */
static void
days_set (const TrHealth *health, guint64 *days, guint32 number)
{
  guint i;

  if (number < health->first_number || number - health->first_number >= health->n_days)
    return;
  i = number - health->first_number;
  days[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
}

/* days_count - the marked days of @days from @from to @to (day numbers, inclusive) */
static guint
days_count (const TrHealth *health, const guint64 *days, guint32 from, guint32 to)
{
  guint n = 0;

  for (guint32 d = MAX (from, health->first_number); d <= to; d++)
    {
      guint i = d - health->first_number;

      if (i >= health->n_days)
        break;
      n += (days[i / 64] >> (i % 64)) & 1;
    }
  return n;
}

static guint64 *
days_new (const TrHealth *health)
{
  return g_new0 (guint64, (health->n_days + 63) / 64);
}

/* regularity - the active and considered days up to @last_day, and whether that is regular */
static void
regularity (const TrHealth *health, const guint64 *days, const char *last_day, guint *active,
            guint *considered, gboolean *regular)
{
  guint32 last = day_number (last_day);
  guint32 from = last >= TR_HEALTH_REGULAR_DAYS ? last - (TR_HEALTH_REGULAR_DAYS - 1) : 0;
  guint32 first = day_number (health->info.first_report_day);

  *active = *considered = 0;
  *regular = FALSE;
  if (last == 0)
    return;
  from = MAX (from, MAX (first, health->first_number));
  *considered = last >= from ? last - from + 1 : 0;
  *active = days_count (health, days, from, last);
  *regular = *considered >= TR_HEALTH_REGULAR_MIN_DAYS && *active * 2 > *considered;
}

/* --- the model ------------------------------------------------------------------------------- */

static void
type_free (gpointer data)
{
  TrHealthType *t = data;

  g_free (t->name);
  g_free (t->first_day);
  g_free (t->top_mx);
  g_clear_pointer (&t->mxs, g_hash_table_unref);
  g_free (t);
}

static void
reporter_free (gpointer data)
{
  TrHealthReporter *r = data;

  g_free (r->name);
  g_free (r->last_end);
  g_free (r->last_day);
  g_free (r->days);
  g_free (r);
}

static void
domain_free (gpointer data)
{
  TrHealthDomain *d = data;

  g_free (d->name);
  g_ptr_array_unref (d->types);
  g_ptr_array_unref (d->reporters);
  g_free (d->last_end);
  g_free (d->last_day);
  g_free (d->days);
  g_hash_table_unref (d->reporter_map);
  g_hash_table_unref (d->type_map);
  g_free (d->policy_day);
  g_free (d);
}

void
tr_health_clear (TrHealth *health)
{
  tr_store_info_clear (&health->info);
  g_clear_pointer (&health->domains, g_ptr_array_unref);
  g_clear_pointer (&health->domain_map, g_hash_table_unref);
  g_free (health->last_end);
  g_free (health->last_day);
  g_free (health->rejected_reason);
  g_free (health->rejected_example);
  g_free (health->days);
  memset (health, 0, sizeof *health);
}

/* find_domain - the domain @name, made if new */
static TrHealthDomain *
find_domain (TrHealth *health, const char *name)
{
  TrHealthDomain *d = g_hash_table_lookup (health->domain_map, name);

  if (d != NULL)
    return d;
  d = g_new0 (TrHealthDomain, 1);
  d->name = g_strdup (name);
  d->types = g_ptr_array_new_with_free_func (type_free);
  d->reporters = g_ptr_array_new_with_free_func (reporter_free);
  d->reporter_map = g_hash_table_new (g_str_hash, g_str_equal);
  d->type_map = g_hash_table_new (g_str_hash, g_str_equal);
  d->days = days_new (health);
  g_ptr_array_add (health->domains, d);
  g_hash_table_insert (health->domain_map, d->name, d);
  return d;
}

TrHealthDomain *
tr_health_domain (const TrHealth *health, const char *name)
{
  return health->domain_map ? g_hash_table_lookup (health->domain_map, name) : NULL;
}

/* find_reporter - the reporter @name of @d, made if new */
static TrHealthReporter *
find_reporter (const TrHealth *health, TrHealthDomain *d, const char *name)
{
  TrHealthReporter *r = g_hash_table_lookup (d->reporter_map, name);

  if (r != NULL)
    return r;
  r = g_new0 (TrHealthReporter, 1);
  r->name = g_strdup (name);
  r->days = days_new (health);
  g_ptr_array_add (d->reporters, r);
  g_hash_table_insert (d->reporter_map, r->name, r);
  return r;
}

/* find_type - the result type @name (lower case) of @d, made if new */
static TrHealthType *
find_type (TrHealthDomain *d, const char *name)
{
  TrHealthType *t = g_hash_table_lookup (d->type_map, name);

  if (t != NULL)
    return t;
  t = g_new0 (TrHealthType, 1);
  t->name = g_strdup (name);
  t->mxs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_ptr_array_add (d->types, t);
  g_hash_table_insert (d->type_map, t->name, t);
  return t;
}

/* keep_later - replace *@kept by @value if that sorts later (ISO dates and times do) */
static void
keep_later (char **kept, const char *value)
{
  if (value != NULL && (*kept == NULL || strcmp (value, *kept) > 0))
    {
      g_free (*kept);
      *kept = g_strdup (value);
    }
}

/* --- the reads ------------------------------------------------------------------------------- */

typedef struct
{
  TrHealth *health;
  const TrHealthQuery *query;
  const char *lookback_day; /* the first day of on_coverage's rows (the totals before it are
                             * on_total's) */
  char last_day[11];        /* the day of the row before, and its number: rows come by day */
  guint32 last_number;
  /* the report whose failure details are being summed (on_detail) */
  gint64 report_row;
  char *day;
  GArray *acc;                    /* of Acc */
  GStringChunk *strings;          /* the names in acc */
  GHashTable *reasons;            /* `rejected`: reason kind -> count */
  TrHealthDomain *history_domain; /* the domain of the row before (on_history_type, on_total) */
} Reader;

/* add_total - the sessions of a report, to its domain's sessions ever */
static void
add_total (TrHealthDomain *d, const TrSessionRow *row)
{
  d->total_successful = tr_count_add (d->total_successful, tr_count_rule (&row->successful));
  d->total_failed = tr_count_add (d->total_failed, tr_count_rule (&row->failed));
}

/* keep_end - keep in *@kept the end of the date range of a report of @day with @end_datetime
 * if it is later: that, or the next midnight when it has none (or one before its day).  Most
 * rows are not later: they are compared without allocating. */
static void
keep_end (char **kept, const char *day, const char *end_datetime)
{
  g_autofree char *next = NULL;

  if (end_datetime != NULL && strlen (end_datetime) == 20 && strncmp (end_datetime, day, 10) >= 0)
    {
      keep_later (kept, end_datetime);
      return;
    }
  if (*kept != NULL && strncmp (*kept, day, 10) > 0)
    return; /* already past the day, so past its next midnight too (or at it) */
  next = day_add (day, 1);
  if (next != NULL)
    {
      g_autofree char *end = g_strconcat (next, "T00:00:00Z", NULL);
      keep_later (kept, end);
    }
}

/* on_coverage - one report and domain key: the window's sessions, the days covered */
static gboolean
on_coverage (const TrSessionRow *row, gpointer data, GError **error)
{
  Reader *rd = data;
  TrHealth *h = rd->health;
  TrHealthDomain *d = find_domain (h, row->domain);
  TrHealthReporter *r = find_reporter (h, d, row->reporter);
  guint32 number;

  if (strncmp (rd->last_day, row->day, 10) != 0)
    {
      g_strlcpy (rd->last_day, row->day, sizeof rd->last_day);
      rd->last_number = day_number (row->day);
    }
  number = rd->last_number;
  d->known = TRUE;
  if (rd->query->totals && strcmp (row->day, rd->lookback_day) >= 0)
    add_total (d, row);
  keep_end (&r->last_end, row->day, row->end_datetime);
  keep_later (&r->last_day, row->day);
  days_set (h, r->days, number);
  days_set (h, d->days, number);
  days_set (h, h->days, number);
  if (strcmp (row->day, rd->query->since_day) >= 0)
    {
      d->successful = tr_count_add (d->successful, tr_count_rule (&row->successful));
      d->failed = tr_count_add (d->failed, tr_count_rule (&row->failed));
      d->reports++;
      r->window_reports++;
    }
  else if (strcmp (row->day, rd->query->history_day) >= 0)
    d->has_history = TRUE;
  return TRUE;
}

/* One (domain, result type, MX) of the report being summed, by policy class. */
typedef struct
{
  const char *domain;
  const char *type;
  const char *mx;
  TrClassCounts counts;
} Acc;

/* flush_report - the counting rule per domain, type and MX of the report summed so far */
static void
flush_report (Reader *rd)
{
  for (guint i = 0; rd->day != NULL && i < rd->acc->len; i++)
    {
      Acc *a = &g_array_index (rd->acc, Acc, i);
      g_autofree char *name = g_ascii_strdown (a->type, -1);
      TrHealthType *t = find_type (find_domain (rd->health, a->domain), name);
      gint64 n = tr_count_rule (&a->counts), *mx;

      t->failed = tr_count_add (t->failed, n);
      if (t->first_day == NULL || strcmp (rd->day, t->first_day) < 0)
        g_free (t->first_day), t->first_day = g_strdup (rd->day);
      if ((mx = g_hash_table_lookup (t->mxs, a->mx)) == NULL)
        g_hash_table_insert (t->mxs, g_strdup (a->mx), (mx = g_new0 (gint64, 1)));
      *mx = tr_count_add (*mx, n);
    }
  g_array_set_size (rd->acc, 0);
  g_string_chunk_clear (rd->strings);
  g_clear_pointer (&rd->day, g_free);
}

/* on_detail - one summed failure detail of the window, into the report being summed (its rows
 * come together; a report has few distinct domain, type and MX triples, so they are searched in
 * a row, the type without regard to case) */
static gboolean
on_detail (const TrDetailRow *row, gpointer data, GError **error)
{
  Reader *rd = data;
  Acc *found = NULL;

  if (rd->day == NULL || row->report_row != rd->report_row)
    {
      flush_report (rd);
      rd->report_row = row->report_row;
      rd->day = g_strdup (row->day);
    }
  for (guint i = 0; i < rd->acc->len && found == NULL; i++)
    {
      Acc *a = &g_array_index (rd->acc, Acc, i);

      if (g_ascii_strcasecmp (a->type, row->result_type) == 0 && strcmp (a->mx, row->mx) == 0
          && strcmp (a->domain, row->domain) == 0)
        found = a;
    }
  if (found == NULL)
    {
      Acc fresh = {
        .domain = g_string_chunk_insert (rd->strings, row->domain),
        .type = g_string_chunk_insert (rd->strings, row->result_type),
        .mx = g_string_chunk_insert (rd->strings, row->mx),
      };

      g_array_append_val (rd->acc, fresh);
      found = &g_array_index (rd->acc, Acc, rd->acc->len - 1);
    }
  tr_class_counts_add (&found->counts, row->klass, row->failed);
  return TRUE;
}

/* on_history_type - a result type of the history: marks the same type of the window (rows of
 * one domain come together; most types are in lower case already) */
static gboolean
on_history_type (const TrDetailRow *row, gpointer data, GError **error)
{
  Reader *rd = data;
  TrHealthDomain *d = rd->history_domain;
  g_autofree char *lower = NULL;
  const char *name = row->result_type;
  TrHealthType *t;

  if (d == NULL || strcmp (d->name, row->domain) != 0)
    d = rd->history_domain = g_hash_table_lookup (rd->health->domain_map, row->domain);
  if (d == NULL)
    return TRUE;
  for (const char *p = name; *p != '\0'; p++)
    if (g_ascii_isupper (*p))
      {
        name = lower = g_ascii_strdown (row->result_type, -1);
        break;
      }
  t = g_hash_table_lookup (d->type_map, name);
  if (t != NULL)
    t->in_history = TRUE;
  return TRUE;
}

/* on_policy - the MTA-STS mode of the latest report that states one, and DANE */
static gboolean
on_policy (const TrPolicyRow *row, gpointer data, GError **error)
{
  Reader *rd = data;
  TrHealthDomain *d = find_domain (rd->health, row->domain);
  TrPolicyClass klass = tr_policy_class (row->policy_type);
  TrPolicyMode mode;
  int c;

  if (klass == TR_CLASS_TLSA)
    d->dane = TRUE;
  if (klass != TR_CLASS_STS
      || (mode = tr_policy_mode_parse (row->policy_string)) == TR_POLICY_MODE_UNKNOWN)
    return TRUE;
  c = d->policy_day ? strcmp (row->day, d->policy_day) : 1;
  if (c > 0 || (c == 0 && row->report_row > d->policy_row))
    {
      d->sts_mode = mode;
      d->policy_row = row->report_row;
      g_free (d->policy_day);
      d->policy_day = g_strdup (row->day);
    }
  return TRUE;
}

/* on_total - a report before the days of on_coverage: the domain's sessions ever (metrics);
 * the rows of a domain often follow each other */
static gboolean
on_total (const TrSessionRow *row, gpointer data, GError **error)
{
  Reader *rd = data;
  TrHealthDomain *d = rd->history_domain;

  if (d == NULL || strcmp (d->name, row->domain) != 0)
    d = rd->history_domain = find_domain (rd->health, row->domain);

  d->known = TRUE;
  add_total (d, row);
  return TRUE;
}

/* REASON_KIND - what of a reason names its kind: the text before its first ": ", at most this */
#define REASON_KIND 120

/* A kind of reason of `rejected`, with its newest reason in full. */
typedef struct
{
  gint64 count;
  char *example;
} ReasonKind;

static void
reason_kind_free (gpointer data)
{
  ReasonKind *k = data;

  g_free (k->example);
  g_free (k);
}

/* on_rejected - one message kept since the window began (newest first): counted by the kind of
 * its reason */
static gboolean
on_rejected (const TrRejectedRow *row, gpointer data, GError **error)
{
  Reader *rd = data;
  const char *reason = row->reason ? row->reason : "";
  const char *colon = strstr (reason, ": ");
  gsize len = colon ? (gsize) (colon - reason) : strlen (reason);
  g_autofree char *name = g_utf8_make_valid (reason, (gssize) MIN (len, REASON_KIND));
  ReasonKind *kind = g_hash_table_lookup (rd->reasons, name);

  rd->health->rejected++;
  if (kind == NULL)
    {
      if (g_hash_table_size (rd->reasons) >= 1000)
        return TRUE; /* a flood of distinct reasons: the first thousand kinds are enough */
      kind = g_new0 (ReasonKind, 1);
      kind->example = g_utf8_make_valid (reason, -1);
      g_hash_table_insert (rd->reasons, g_steal_pointer (&name), kind);
    }
  kind->count++;
  return TRUE;
}

/* --- after the reads ------------------------------------------------------------------------- */

static int
compare_types (gconstpointer a, gconstpointer b)
{
  const TrHealthType *x = *(TrHealthType *const *) a, *y = *(TrHealthType *const *) b;

  if (x->failed != y->failed)
    return x->failed > y->failed ? -1 : 1;
  return strcmp (x->name, y->name);
}

static int
compare_reporters (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(TrHealthReporter *const *) a)->name, (*(TrHealthReporter *const *) b)->name);
}

static int
compare_domains (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(TrHealthDomain *const *) a)->name, (*(TrHealthDomain *const *) b)->name);
}

/* finish_type - the MX with the most failed sessions of @t in the window */
static void
finish_type (TrHealthType *t)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, t->mxs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 n = *(gint64 *) value;

      if (t->top_mx == NULL || n > t->top_mx_failed
          || (n == t->top_mx_failed && strcmp (key, t->top_mx) < 0))
        {
          g_free (t->top_mx);
          t->top_mx = g_strdup (key);
          t->top_mx_failed = n;
        }
    }
}

/* finish_domain - its reporters of the history and the window, regularity, its days */
static void
finish_domain (TrHealth *h, TrHealthDomain *d, const TrHealthQuery *query, guint32 today)
{
  for (guint i = d->reporters->len; i-- > 0;)
    {
      TrHealthReporter *r = g_ptr_array_index (d->reporters, i);

      keep_later (&d->last_end, r->last_end);
      keep_later (&d->last_day, r->last_day);
      if (strcmp (r->last_day, query->history_day) < 0)
        {
          g_hash_table_remove (d->reporter_map, r->name);
          g_ptr_array_remove_index_fast (d->reporters, i);
          continue;
        }
      regularity (h, r->days, r->last_day, &r->active, &r->considered, &r->regular);
      d->window_reporters += r->window_reports > 0;
    }
  g_ptr_array_sort (d->reporters, compare_reporters);
  for (guint i = 0; i < d->types->len; i++)
    finish_type (g_ptr_array_index (d->types, i));
  g_ptr_array_sort (d->types, compare_types);
  d->recent = d->last_day != NULL && strcmp (d->last_day, query->history_day) >= 0;
  regularity (h, d->days, d->last_day, &d->active, &d->considered, &d->regular);
  d->window_days = days_count (h, d->days, day_number (query->since_day), today + 2);
  keep_later (&h->last_end, d->last_end);
  keep_later (&h->last_day, d->last_day);
}

/* finish_rejected - the most common kind of reason */
static void
finish_rejected (TrHealth *h, GHashTable *reasons)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, reasons);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      ReasonKind *k = value;

      if (h->rejected_reason == NULL || k->count > h->rejected_reasons
          || (k->count == h->rejected_reasons && strcmp (key, h->rejected_reason) < 0))
        {
          g_free (h->rejected_reason);
          g_free (h->rejected_example);
          h->rejected_reason = g_strdup (key);
          h->rejected_example = g_strdup (k->example);
          h->rejected_reasons = k->count;
        }
    }
}

/* finish - what the rows add up to */
static void
finish (TrHealth *h, const TrHealthQuery *query, GHashTable *reasons)
{
  g_autofree char *today = tr_time_day (query->now);
  guint32 today_number = day_number (today);

  for (guint i = 0; i < h->domains->len; i++)
    finish_domain (h, g_ptr_array_index (h->domains, i), query, today_number);
  g_ptr_array_sort (h->domains, compare_domains);
  h->window_length = (guint) MAX ((gint64) today_number - day_number (query->since_day), 1);
  regularity (h, h->days, h->last_day, &h->active, &h->considered, &h->regular);
  finish_rejected (h, reasons);
}

/* --- reading --------------------------------------------------------------------------------- */

/* read_coverage - the sessions and date ranges of the reports from @since_day (NULL: all) about
 * @domains (NULL: all) */
static gboolean
read_coverage (TrStore *store, Reader *rd, const char *since_day, char **domains, GError **error)
{
  TrQueryFilter filter = TR_QUERY_FILTER_INIT;

  filter.since_day = (char *) since_day;
  filter.domains = domains;
  filter.authenticated = rd->query->authenticated;
  return tr_store_each_coverage (store, &filter, on_coverage, rd, error);
}

/* read_unseen - the named domains without a report in the days read: their latest ever */
static gboolean
read_unseen (TrStore *store, Reader *rd, GError **error)
{
  g_autoptr (GPtrArray) unseen = g_ptr_array_new ();

  for (guint i = 0; rd->query->domains != NULL && rd->query->domains[i] != NULL; i++)
    {
      TrHealthDomain *d = find_domain (rd->health, rd->query->domains[i]);

      d->named = TRUE;
      if (!d->known)
        g_ptr_array_add (unseen, d->name);
    }
  if (unseen->len == 0)
    return TRUE;
  g_ptr_array_add (unseen, NULL);
  return read_coverage (store, rd, NULL, (char **) unseen->pdata, error);
}

/* read_history_types - which result types of the window the history had: only the domains with
 * failures in the window are asked for, so that a quiet window costs nothing (asking for the
 * types too costs a lookup per row and saves little: most rows are of those types) */
static gboolean
read_history_types (TrStore *store, Reader *rd, GError **error)
{
  const TrHealthQuery *q = rd->query;
  g_autoptr (GPtrArray) domains = g_ptr_array_new ();
  g_autofree char *until = day_add (q->since_day, -1);
  TrQueryFilter filter = TR_QUERY_FILTER_INIT;

  for (guint i = 0; i < rd->health->domains->len; i++)
    {
      TrHealthDomain *d = g_ptr_array_index (rd->health->domains, i);

      if (d->types->len > 0 && d->has_history)
        g_ptr_array_add (domains, d->name);
    }
  if (domains->len == 0 || until == NULL || strcmp (q->history_day, until) > 0)
    return TRUE;
  g_ptr_array_add (domains, NULL);
  filter.domains = (char **) domains->pdata;
  filter.since_day = (char *) q->history_day;
  filter.until_day = until;
  filter.authenticated = q->authenticated;
  return tr_store_each_result_type (store, &filter, on_history_type, rd, error);
}

/* read_policies - the policies of the window; for the domains with failures there whose reports
 * state no MTA-STS mode and no DANE, those of the history (the latest that does): whether their
 * failures are lost mail depends on it */
static gboolean
read_policies (TrStore *store, Reader *rd, GError **error)
{
  const TrHealthQuery *q = rd->query;
  g_autoptr (GPtrArray) quiet = g_ptr_array_new ();
  g_autofree char *until = day_add (q->since_day, -1);
  TrQueryFilter filter = TR_QUERY_FILTER_INIT;

  filter.domains = q->domains;
  filter.authenticated = q->authenticated;
  filter.since_day = (char *) q->since_day;
  if (!tr_store_each_policy (store, &filter, on_policy, rd, error))
    return FALSE;
  for (guint i = 0; i < rd->health->domains->len; i++)
    {
      TrHealthDomain *d = g_ptr_array_index (rd->health->domains, i);

      if (d->types->len > 0 && d->sts_mode == TR_POLICY_MODE_UNKNOWN && !d->dane)
        g_ptr_array_add (quiet, d->name);
    }
  if (quiet->len == 0 || until == NULL || strcmp (q->history_day, until) > 0)
    return TRUE;
  g_ptr_array_add (quiet, NULL);
  filter.domains = (char **) quiet->pdata;
  filter.since_day = (char *) q->history_day;
  filter.until_day = until;
  return tr_store_each_policy (store, &filter, on_policy, rd, error);
}

/* read_rows - the reads of @rd->query, in their snapshot */
static gboolean
read_rows (TrStore *store, Reader *rd, const char *lookback_day, GError **error)
{
  const TrHealthQuery *q = rd->query;
  TrQueryFilter filter = TR_QUERY_FILTER_INIT;
  TrRejectedFilter rejected = TR_REJECTED_FILTER_INIT;
  g_autofree char *before = day_add (lookback_day, -1);

  filter.domains = q->domains;
  filter.authenticated = q->authenticated;
  filter.since_day = (char *) q->since_day;
  rejected.since_day = (char *) q->since_day; /* first kept since the window began */
  if (!tr_store_info (store, &rd->health->info, error)
      || !read_coverage (store, rd, lookback_day, q->domains, error)
      || !read_unseen (store, rd, error)
      || !tr_store_each_detail (store, &filter, on_detail, rd, error))
    return FALSE;
  flush_report (rd);
  if (!read_history_types (store, rd, error) || !read_policies (store, rd, error)
      || !tr_store_each_rejected (store, &rejected, on_rejected, rd, error))
    return FALSE;
  /* metrics: the sessions ever; those since lookback_day were counted by on_coverage */
  filter.since_day = NULL;
  filter.until_day = before;
  return !q->totals || tr_store_each_domain_sessions (store, &filter, on_total, rd, error);
}

/* tr_health_read - every read in one snapshot, then what they add up to */
gboolean
tr_health_read (TrStore *store, const TrHealthQuery *query, TrHealth *health, GError **error)
{
  g_autofree char *today = tr_time_day (query->now);
  const char *earliest
      = strcmp (query->history_day, query->since_day) < 0 ? query->history_day : query->since_day;
  g_autofree char *lookback = day_add (earliest, -(TR_HEALTH_REGULAR_DAYS - 1));
  Reader rd = { .health = health, .query = query, .lookback_day = lookback };
  gboolean ok;

  g_return_val_if_fail (lookback != NULL && day_number (today) >= day_number (lookback), FALSE);
  memset (health, 0, sizeof *health);
  health->domains = g_ptr_array_new_with_free_func (domain_free);
  health->domain_map = g_hash_table_new (g_str_hash, g_str_equal);
  health->first_number = day_number (lookback);
  health->n_days = day_number (today) + 3 - health->first_number; /* reports may run 2 days ahead */
  health->days = days_new (health);
  rd.acc = g_array_new (FALSE, FALSE, sizeof (Acc));
  rd.strings = g_string_chunk_new (1024);
  rd.reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, reason_kind_free);
  ok = tr_store_begin_read (store, error);
  ok = ok && read_rows (store, &rd, lookback, error);
  tr_store_end_read (store);
  if (ok)
    finish (health, query, rd.reasons);
  g_free (rd.day);
  g_array_unref (rd.acc);
  g_string_chunk_free (rd.strings);
  g_hash_table_unref (rd.reasons);
  return ok;
}

/* tr_health_silence - seconds since @last_end */
gint64
tr_health_silence (const char *last_end, GDateTime *now)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) end = last_end ? g_date_time_new_from_iso8601 (last_end, utc) : NULL;

  if (end == NULL)
    return -1;
  return MAX (g_date_time_difference (now, end) / G_USEC_PER_SEC, 0);
}

/* --- policies and result types --------------------------------------------------------------- */

/* mode_word - the mode word at @p ("enforce", "testing", "none"), UNKNOWN if none */
static TrPolicyMode
mode_word (const char *p)
{
  static const struct
  {
    const char *word;
    TrPolicyMode mode;
  } words[] = {
    { "enforce", TR_POLICY_MODE_ENFORCE },
    { "testing", TR_POLICY_MODE_TESTING },
    { "none", TR_POLICY_MODE_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      gsize n = strlen (words[i].word);

      if (g_ascii_strncasecmp (p, words[i].word, n) == 0 && !g_ascii_isalnum (p[n]))
        return words[i].mode;
    }
  return TR_POLICY_MODE_UNKNOWN;
}

/* tr_policy_mode_parse - the value of the first "mode:" line: a word "mode" not inside another
 * word, a colon, the mode (spaces between) */
TrPolicyMode
tr_policy_mode_parse (const char *policy_string)
{
  for (const char *p = policy_string; p != NULL && *p != '\0'; p++)
    {
      const char *q = p + 4;

      if (g_ascii_strncasecmp (p, "mode", 4) != 0
          || (p > policy_string && (g_ascii_isalnum (p[-1]) || p[-1] == '_' || p[-1] == '-')))
        continue;
      while (*q == ' ' || *q == '\t')
        q++;
      if (*q++ != ':')
        continue;
      while (*q == ' ' || *q == '\t')
        q++;
      return mode_word (q);
    }
  return TR_POLICY_MODE_UNKNOWN;
}

const char *
tr_policy_mode_name (TrPolicyMode mode)
{
  static const char *const names[] = { "unknown", "none", "testing", "enforce" };

  return mode <= TR_POLICY_MODE_ENFORCE ? names[mode] : names[0];
}

/* tr_result_type_blocks - RFC 8460 section 4.3: the negotiation and DANE failures */
gboolean
tr_result_type_blocks (const char *result_type)
{
  static const char *const blocking[] = {
    "starttls-not-supported", "certificate-host-mismatch",
    "certificate-expired",    "certificate-not-trusted",
    "validation-failure",     "tlsa-invalid",
    "dnssec-invalid",         "dane-required",
  };

  for (guint i = 0; result_type != NULL && i < G_N_ELEMENTS (blocking); i++)
    if (g_ascii_strcasecmp (result_type, blocking[i]) == 0)
      return TRUE;
  return FALSE;
}
