/* summary.c - query summary: sessions and failed sessions per group, by the counting rule
 *
 * The store hands out rows by policy class (store.h); the counting rule (counting.c) makes one
 * count of each report and domain key here, before anything is added up, so that every backend
 * counts alike.  Sessions come from the session summary rows; the result types of a group (and
 * the groups by result type or MX, which reports do not give sessions for) from the summed
 * failure details, report by report.
 */
#include "config.h"

#include <string.h>

#include "error.h"
#include "summary-private.h"
#include "timespec.h"

/* FILL_MAX - days without a report are listed (as such) only up to this many rows in all */
#define FILL_MAX 100000

static const char *const group_names[TR_N_GROUPS] = {
  [TR_GROUP_DAY] = "day",
  [TR_GROUP_DOMAIN] = "domain",
  [TR_GROUP_REPORTER] = "reporter",
  [TR_GROUP_RESULT_TYPE] = "result-type",
  [TR_GROUP_MX] = "mx",
};

const char *
tr_query_group_name (guint group)
{
  return group < TR_N_GROUPS ? group_names[group] : NULL;
}

/* tr_query_parse_group - a --by value */
gboolean
tr_query_parse_group (const char *name, TrGroup *group, GError **error)
{
  for (guint i = 0; i < TR_N_GROUPS; i++)
    if (g_strcmp0 (name, group_names[i]) == 0)
      {
        *group = (TrGroup) i;
        return TRUE;
      }
  g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
               "--by: expected day, domain, reporter, result-type or mx, not \"%s\"", name);
  return FALSE;
}

static void
group_free (gpointer data)
{
  TrSummaryGroup *g = data;

  g_strfreev (g->values);
  g_clear_pointer (&g->reports, g_hash_table_unref);
  g_hash_table_unref (g->type_counts);
  g_clear_pointer (&g->days, g_hash_table_unref);
  g_free (g->first_day);
  g_free (g->last_day);
  g_free (g);
}

/* One (domain, result type, MX) of the report being summed: counts per policy class.  The
 * details of one report live in a reused array, their strings in a reused string chunk: a
 * summary reads a hundred thousand rows, and allocating for each showed in the profile. */
typedef struct
{
  const char *domain; /* in Summary.strings */
  const char *result_type;
  const char *mx;
  TrClassCounts counts;
} Detail;

typedef struct
{
  TrSummaryResult result; /* groups, flags, and the groups in order */
  const TrGroup *groups;
  guint n_groups;
  gboolean per_detail; /* groups by result type or MX, or filtered by them */
  gboolean count_rows; /* every session row of a group is another report (domain grouped) */
  GHashTable *map;     /* key -> TrSummaryGroup */
  GString *key;        /* scratch for find_group */
  /* the report being summed */
  gint64 report_row;
  char *day;
  char *reporter;
  GHashTable *details;   /* "domain\x1ftype\x1fmx" -> index + 1 in detail_list */
  GArray *detail_list;   /* of Detail */
  GStringChunk *strings; /* of the details of the report being summed */
} Summary;

/* group_key - @values (n_groups strings) as one key, in sum->key */
static void
group_key (Summary *sum, char **values)
{
  g_string_truncate (sum->key, 0);
  for (guint i = 0; i < sum->n_groups; i++)
    {
      g_string_append (sum->key, values[i] ? values[i] : "\x1e");
      g_string_append_c (sum->key, '\x1f');
    }
}

/* find_group - the group of @values (n_groups strings), created if new */
static TrSummaryGroup *
find_group (Summary *sum, char **values)
{
  TrSummaryGroup *g;

  group_key (sum, values);
  g = g_hash_table_lookup (sum->map, sum->key->str);
  if (g == NULL)
    {
      g = g_new0 (TrSummaryGroup, 1);
      g->values = g_new0 (char *, sum->n_groups + 1);
      for (guint i = 0; i < sum->n_groups; i++)
        g->values[i] = g_strdup (values[i]);
      if (!sum->count_rows)
        g->reports = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      g->type_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      if (sum->result.with_days)
        g->days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (sum->map, g_strdup (sum->key->str), g);
      g_ptr_array_add (sum->result.order, g);
    }
  return g;
}

/* count_day - @g has a report of @day */
static void
count_day (TrSummaryGroup *g, const char *day)
{
  if (g->days == NULL || day == NULL || g_hash_table_contains (g->days, day))
    return;
  g_hash_table_add (g->days, g_strdup (day));
  if (g->first_day == NULL || strcmp (day, g->first_day) < 0)
    {
      g_free (g->first_day);
      g->first_day = g_strdup (day);
    }
  if (g->last_day == NULL || strcmp (day, g->last_day) > 0)
    {
      g_free (g->last_day);
      g->last_day = g_strdup (day);
    }
}

/* count_report - @report_row is in @g */
static void
count_report (Summary *sum, TrSummaryGroup *g, gint64 report_row)
{
  gint64 *ref;

  if (sum->count_rows)
    {
      g->n_reports++;
      return;
    }
  ref = g_new (gint64, 1);
  *ref = report_row;
  g_hash_table_add (g->reports, ref);
}

/* add_count - @n more failed sessions of @type in @g */
static void
add_count (TrSummaryGroup *g, const char *type, gint64 n)
{
  gint64 *count = g_hash_table_lookup (g->type_counts, type);

  if (count == NULL)
    {
      count = g_new0 (gint64, 1);
      g_hash_table_insert (g->type_counts, g_strdup (type), count);
    }
  *count = tr_count_add (*count, n);
}

/* group_values - the values of @sum's groups for a row of @day, @domain, @reporter, @type, @mx */
static void
group_values (const Summary *sum, char **values, const char *day, const char *domain,
              const char *reporter, const char *type, const char *mx)
{
  for (guint i = 0; i < sum->n_groups; i++)
    switch (sum->groups[i])
      {
        case TR_GROUP_DAY:
          values[i] = (char *) day;
          break;
        case TR_GROUP_DOMAIN:
          values[i] = (char *) domain;
          break;
        case TR_GROUP_REPORTER:
          values[i] = (char *) reporter;
          break;
        case TR_GROUP_RESULT_TYPE:
          values[i] = (char *) type;
          break;
        case TR_GROUP_MX:
        default:
          values[i] = (char *) mx;
          break;
      }
}

/* on_session - one report and domain key: its sessions by the rule, into its group */
static gboolean
on_session (const TrSessionRow *row, gpointer data, GError **error)
{
  Summary *sum = data;
  char *values[TR_N_GROUPS];
  TrSummaryGroup *g;

  group_values (sum, values, row->day, row->domain, row->reporter, NULL, NULL);
  g = find_group (sum, values);
  g->has_successful = TRUE;
  g->successful = tr_count_add (g->successful, tr_count_rule (&row->successful));
  g->failed = tr_count_add (g->failed, tr_count_rule (&row->failed));
  count_report (sum, g, row->report_row);
  count_day (g, row->day);
  return TRUE;
}

/* flush_report - apply the counting rule to the report summed so far, per domain, type and MX,
 * and add the result to its groups */
static void
flush_report (Summary *sum)
{
  const char *last_domain = NULL;
  TrSummaryGroup *g = NULL;

  if (sum->day == NULL)
    return;
  for (guint i = 0; i < sum->detail_list->len; i++)
    {
      Detail *d = &g_array_index (sum->detail_list, Detail, i);
      gint64 failed = tr_count_rule (&d->counts);
      char *values[TR_N_GROUPS];

      /* grouped by day, domain or reporter only, the details of one domain share a group */
      if (sum->per_detail || last_domain == NULL || strcmp (d->domain, last_domain) != 0)
        {
          group_values (sum, values, sum->day, d->domain, sum->reporter, d->result_type, d->mx);
          g = find_group (sum, values);
          last_domain = d->domain;
        }
      add_count (g, d->result_type, failed);
      if (sum->per_detail)
        {
          g->failed = tr_count_add (g->failed, failed);
          count_report (sum, g, sum->report_row);
          count_day (g, sum->day);
        }
    }
  g_hash_table_remove_all (sum->details);
  g_array_set_size (sum->detail_list, 0);
  g_string_chunk_clear (sum->strings);
  g_clear_pointer (&sum->day, g_free);
  g_clear_pointer (&sum->reporter, g_free);
}

/* SMALL_DETAILS - a report with at most this many details is searched without hashing: most
 * have a few, and hashing their names cost more than comparing them */
#define SMALL_DETAILS 16

/* find_detail - the detail of @domain, @type and @mx in the report being summed, made if new */
static Detail *
find_detail (Summary *sum, const char *domain, const char *type, const char *mx)
{
  GArray *list = sum->detail_list;
  guint index = 0;

  if (list->len <= SMALL_DETAILS)
    {
      for (guint i = 0; i < list->len && index == 0; i++)
        {
          Detail *d = &g_array_index (list, Detail, i);

          if (strcmp (d->result_type, type) == 0 && strcmp (d->mx, mx) == 0
              && strcmp (d->domain, domain) == 0)
            index = i + 1;
        }
    }
  else
    {
      g_string_assign (sum->key, domain);
      g_string_append_c (sum->key, '\x1f');
      g_string_append (sum->key, type);
      g_string_append_c (sum->key, '\x1f');
      g_string_append (sum->key, mx);
      index = GPOINTER_TO_UINT (g_hash_table_lookup (sum->details, sum->key->str));
    }
  if (index == 0)
    {
      Detail fresh = {
        .domain = g_string_chunk_insert (sum->strings, domain),
        .result_type = g_string_chunk_insert (sum->strings, type),
        .mx = g_string_chunk_insert (sum->strings, mx),
      };

      g_array_append_val (list, fresh);
      index = list->len;
    }
  if (list->len == SMALL_DETAILS + 1 && g_hash_table_size (sum->details) == 0)
    for (guint i = 0; i < list->len; i++)
      {
        Detail *d = &g_array_index (list, Detail, i);
        g_autofree char *key = g_strconcat (d->domain, "\x1f", d->result_type, "\x1f", d->mx, NULL);

        g_hash_table_insert (sum->details, g_string_chunk_insert (sum->strings, key),
                             GUINT_TO_POINTER (i + 1));
      }
  else if (list->len > SMALL_DETAILS + 1 && index == list->len)
    g_hash_table_insert (sum->details, g_string_chunk_insert (sum->strings, sum->key->str),
                         GUINT_TO_POINTER (index));
  return &g_array_index (list, Detail, index - 1);
}

/* on_detail - one summed failure detail: into the report being summed */
static gboolean
on_detail (const TrDetailRow *row, gpointer data, GError **error)
{
  Summary *sum = data;
  const char *mx = sum->per_detail ? row->mx : ""; /* else one detail per domain and type */
  Detail *d;

  if (sum->day == NULL || row->report_row != sum->report_row)
    {
      flush_report (sum);
      sum->report_row = row->report_row;
      sum->day = g_strdup (row->day);
      sum->reporter = g_strdup (row->reporter);
    }
  d = find_detail (sum, row->domain, row->result_type, mx);
  tr_class_counts_add (&d->counts, row->klass, row->failed);
  return TRUE;
}

/* on_report_warnings - the warnings of one report, to its group (which its sessions made) */
static gboolean
on_report_warnings (const TrReportRow *row, gpointer data, GError **error)
{
  Summary *sum = data;
  char *values[TR_N_GROUPS];
  TrSummaryGroup *g;

  group_values (sum, values, row->day, NULL, row->reporter, NULL, NULL);
  group_key (sum, values);
  g = g_hash_table_lookup (sum->map, sum->key->str);
  if (g != NULL)
    g->warnings = tr_count_add (g->warnings, row->warnings);
  return TRUE;
}

/* count_warnings - the warnings of the reports @filter selects, by group */
static gboolean
count_warnings (TrStore *store, Summary *sum, const TrQueryFilter *filter, GError **error)
{
  TrQueryFilter all = *filter;

  all.limit = -1;
  return tr_store_each_report (store, &all, on_report_warnings, sum, error);
}

static const TrSummaryResult *sort_groups; /* for compare_groups */

/* compare_groups - by day (newest first), else most failed first; then by the values */
static int
compare_groups (gconstpointer a, gconstpointer b)
{
  const TrSummaryGroup *x = *(const TrSummaryGroup *const *) a,
                       *y = *(const TrSummaryGroup *const *) b;
  gboolean has_day = FALSE;

  for (guint i = 0; i < sort_groups->n_groups; i++)
    has_day |= sort_groups->groups[i] == TR_GROUP_DAY;
  if (!has_day && x->failed != y->failed)
    return x->failed > y->failed ? -1 : 1;
  if (!has_day && x->successful != y->successful)
    return x->successful > y->successful ? -1 : 1;
  for (guint i = 0; i < sort_groups->n_groups; i++)
    {
      int c = g_strcmp0 (x->values[i], y->values[i]);
      if (c != 0)
        return sort_groups->groups[i] == TR_GROUP_DAY ? -c : c;
    }
  return 0;
}

/* fill_days - the days of [@first, @last] that a combination of the other groups' values has
 * no report on, as groups of their own: a day without a report is news.  Not when grouped by
 * result type or MX (those are days without such a failure), nor beyond FILL_MAX rows. */
static void
fill_days (Summary *sum, const char *first, const char *last)
{
  g_autoptr (GHashTable) combos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GDate) from = g_date_new ();
  g_autoptr (GDate) to = g_date_new ();
  guint day_index = G_MAXUINT, n_days, n = sum->result.order->len;
  char *values[TR_N_GROUPS];

  for (guint i = 0; i < sum->n_groups; i++)
    if (sum->groups[i] == TR_GROUP_DAY)
      day_index = i;
  for (guint i = 0; first == NULL && day_index != G_MAXUINT && i < n; i++) /* the earliest day */
    {
      const char *day
          = ((TrSummaryGroup *) g_ptr_array_index (sum->result.order, i))->values[day_index];

      if (day != NULL && (first == NULL || strcmp (day, first) < 0))
        first = day;
    }
  if (day_index == G_MAXUINT || sum->per_detail || first == NULL || last == NULL)
    return;
  g_date_set_parse (from, first);
  g_date_set_parse (to, last);
  if (!g_date_valid (from) || !g_date_valid (to) || g_date_compare (from, to) > 0)
    return;
  n_days = (guint) g_date_days_between (from, to) + 1;
  for (guint i = 0; i < n; i++) /* the combinations of the other values: day left out */
    {
      TrSummaryGroup *g = g_ptr_array_index (sum->result.order, i);

      memcpy (values, g->values, sum->n_groups * sizeof *values);
      values[day_index] = NULL;
      group_key (sum, values);
      if (!g_hash_table_contains (combos, sum->key->str))
        g_hash_table_insert (combos, g_strdup (sum->key->str), g);
    }
  if (g_hash_table_size (combos) == 0)
    g_hash_table_insert (combos, g_strdup (""), NULL); /* no report at all: the days alone */
  if ((guint64) g_hash_table_size (combos) * n_days > FILL_MAX + (guint64) n)
    return;
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, combos);
    while (g_hash_table_iter_next (&iter, &key, &value))
      for (guint k = 0; k < n_days; k++)
        {
          g_autoptr (GDate) d = g_date_copy (from);
          char day[16];
          TrSummaryGroup *g;

          g_date_add_days (d, k);
          g_date_strftime (day, sizeof day, "%Y-%m-%d", d);
          for (guint i = 0; i < sum->n_groups; i++)
            values[i] = value ? ((TrSummaryGroup *) value)->values[i] : NULL;
          values[day_index] = day;
          group_key (sum, values);
          if (g_hash_table_contains (sum->map, sum->key->str))
            continue;
          g = find_group (sum, values);
          g->no_report = TRUE;
        }
  }
}

/* tr_query_summary - successful and failed sessions per group */
gboolean
tr_query_summary (TrStore *store, const TrQueryFilter *filter, const TrGroup *groups,
                  guint n_groups, const char *today, TrPrinter *printer, GError **error)
{
  Summary sum = { 0 };
  gboolean ok;

  g_return_val_if_fail (n_groups >= 1 && n_groups <= TR_N_GROUPS, FALSE);
  sum.groups = sum.result.groups = groups;
  sum.n_groups = sum.result.n_groups = n_groups;
  sum.per_detail = filter->result_types != NULL || filter->mxs != NULL;
  for (guint i = 0; i < n_groups; i++)
    {
      sum.per_detail |= groups[i] == TR_GROUP_RESULT_TYPE || groups[i] == TR_GROUP_MX;
      sum.count_rows |= groups[i] == TR_GROUP_DOMAIN;
      sum.result.with_warnings |= groups[i] == TR_GROUP_REPORTER;
      sum.result.with_days |= groups[i] == TR_GROUP_REPORTER;
    }
  sum.count_rows &= !sum.per_detail;
  for (guint i = 0; i < n_groups; i++)
    {
      sum.result.with_warnings &= groups[i] == TR_GROUP_REPORTER || groups[i] == TR_GROUP_DAY;
      sum.result.with_days &= groups[i] != TR_GROUP_DAY;
    }
  sum.result.with_warnings &= !sum.per_detail;
  sum.map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, group_free);
  sum.result.order = g_ptr_array_new ();
  sum.key = g_string_new (NULL);
  sum.details = g_hash_table_new (g_str_hash, g_str_equal);
  sum.detail_list = g_array_new (FALSE, FALSE, sizeof (Detail));
  sum.strings = g_string_chunk_new (4096);

  ok = (sum.per_detail || tr_store_each_session (store, filter, on_session, &sum, error))
       && tr_store_each_detail (store, filter, on_detail, &sum, error);
  flush_report (&sum);
  ok = ok && (!sum.result.with_warnings || count_warnings (store, &sum, filter, error));
  if (ok)
    {
      fill_days (&sum, filter->since_day, filter->until_day ? filter->until_day : today);
      sort_groups = &sum.result;
      g_ptr_array_sort (sum.result.order, compare_groups);
      sort_groups = NULL;
    }
  for (guint i = 0; ok && i < n_groups; i++)
    if (groups[i] == TR_GROUP_REPORTER) /* a reporter whose reports fail may be in `rejected` */
      ok = tr_query_rejected_note (store, filter->since_day, filter->until_day, printer, error);
  ok = ok && tr_summary_print (&sum.result, filter, printer, error);
  g_hash_table_unref (sum.details);
  g_array_unref (sum.detail_list);
  g_string_chunk_free (sum.strings);
  g_string_free (sum.key, TRUE);
  g_ptr_array_unref (sum.result.order);
  g_hash_table_unref (sum.map); /* after the names in the printer's notes were used */
  return ok;
}
