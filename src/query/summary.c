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
#include "explain.h"
#include "query.h"

static const char *const group_names[TR_N_GROUPS] = {
  [TR_GROUP_DAY] = "day",
  [TR_GROUP_DOMAIN] = "domain",
  [TR_GROUP_REPORTER] = "reporter",
  [TR_GROUP_RESULT_TYPE] = "result-type",
  [TR_GROUP_MX] = "mx",
};

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

static const TrColumn group_output[TR_N_GROUPS] = {
  [TR_GROUP_DAY] = { "day", "DAY", TR_COLUMN_TEXT, FALSE },
  [TR_GROUP_DOMAIN] = { "policy_domain", "POLICY DOMAIN", TR_COLUMN_TEXT, FALSE },
  [TR_GROUP_REPORTER] = { "reporter", "REPORTER", TR_COLUMN_TEXT, FALSE },
  [TR_GROUP_RESULT_TYPE] = { "result_type", "RESULT TYPE", TR_COLUMN_TEXT, FALSE },
  [TR_GROUP_MX] = { "receiving_mx", "RECEIVING MX", TR_COLUMN_TEXT, FALSE },
};

/* One group of the summary: its values, its sessions, its result types. */
typedef struct
{
  char **values; /* n_groups strings */
  gint64 successful;
  gint64 failed;
  gboolean has_successful;
  GHashTable *reports;     /* report row (gint64 *) set, when reports must be told apart */
  gint64 n_reports;        /* when every row is another report */
  GHashTable *type_counts; /* result type -> gint64 * */
  gint64 warnings;         /* of its reports (when grouped by reporter) */
} Group;

static void
group_free (gpointer data)
{
  Group *g = data;

  g_strfreev (g->values);
  g_clear_pointer (&g->reports, g_hash_table_unref);
  g_hash_table_unref (g->type_counts);
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
  const TrGroup *groups;
  guint n_groups;
  gboolean with_warnings; /* grouped by reporter (and day) only: the warnings column */
  gboolean per_detail;    /* groups by result type or MX, or filtered by them */
  gboolean count_rows;    /* every session row of a group is another report (domain grouped) */
  GHashTable *map;        /* key -> Group */
  GPtrArray *order;       /* of Group, in the order the groups were first seen */
  GString *key;           /* scratch for find_group */
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
static Group *
find_group (Summary *sum, char **values)
{
  Group *g;

  group_key (sum, values);
  g = g_hash_table_lookup (sum->map, sum->key->str);
  if (g == NULL)
    {
      g = g_new0 (Group, 1);
      g->values = g_new0 (char *, sum->n_groups + 1);
      for (guint i = 0; i < sum->n_groups; i++)
        g->values[i] = g_strdup (values[i]);
      if (!sum->count_rows)
        g->reports = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      g->type_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (sum->map, g_strdup (sum->key->str), g);
      g_ptr_array_add (sum->order, g);
    }
  return g;
}

/* count_report - @report_row is in @g */
static void
count_report (Summary *sum, Group *g, gint64 report_row)
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
add_count (Group *g, const char *type, gint64 n)
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
  Group *g;

  group_values (sum, values, row->day, row->domain, row->reporter, NULL, NULL);
  g = find_group (sum, values);
  g->has_successful = TRUE;
  g->successful = tr_count_add (g->successful, tr_count_rule (&row->successful));
  g->failed = tr_count_add (g->failed, tr_count_rule (&row->failed));
  count_report (sum, g, row->report_row);
  return TRUE;
}

/* flush_report - apply the counting rule to the report summed so far, per domain, type and MX,
 * and add the result to its groups */
static void
flush_report (Summary *sum)
{
  const char *last_domain = NULL;
  Group *g = NULL;

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
  Group *g;

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

static const Summary *sort_summary; /* for compare_groups */

/* compare_groups - by day (newest first), else most failed first; then by the values */
static int
compare_groups (gconstpointer a, gconstpointer b)
{
  const Group *x = *(const Group *const *) a, *y = *(const Group *const *) b;
  gboolean has_day = FALSE;

  for (guint i = 0; i < sort_summary->n_groups; i++)
    has_day |= sort_summary->groups[i] == TR_GROUP_DAY;
  if (!has_day && x->failed != y->failed)
    return x->failed > y->failed ? -1 : 1;
  if (!has_day && x->successful != y->successful)
    return x->successful > y->successful ? -1 : 1;
  for (guint i = 0; i < sort_summary->n_groups; i++)
    {
      int c = g_strcmp0 (x->values[i], y->values[i]);
      if (c != 0)
        return sort_summary->groups[i] == TR_GROUP_DAY ? -c : c;
    }
  return 0;
}

typedef struct
{
  const char *name;
  gint64 count;
} TypeCount;

#define TEXT_TYPES 3 /* result types per group in text */

static int
compare_type_counts (gconstpointer a, gconstpointer b)
{
  const TypeCount *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->name, y->name);
}

/* print_types - the result types of @g, most failed sessions first; collects their names */
static void
print_types (TrPrinter *printer, Group *g, GHashTable *seen)
{
  g_autoptr (GArray) list = g_array_new (FALSE, FALSE, sizeof (TypeCount));
  g_autofree const char **names = NULL;
  g_autofree gint64 *counts = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, g->type_counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TypeCount tc = { key, *(gint64 *) value };
      g_array_append_val (list, tc);
    }
  g_array_sort (list, compare_type_counts);
  if (tr_printer_for_people (printer) && list->len > TEXT_TYPES)
    g_array_set_size (list, TEXT_TYPES); /* the most frequent ones; JSON and CSV have all */
  names = g_new0 (const char *, list->len + 1);
  counts = g_new0 (gint64, list->len + 1);
  for (guint i = 0; i < list->len; i++)
    {
      g_hash_table_add (seen, (gpointer) g_array_index (list, TypeCount, i).name);
      names[i] = g_array_index (list, TypeCount, i).name;
      counts[i] = g_array_index (list, TypeCount, i).count;
    }
  tr_printer_field_counts (printer, "result_type", "sessions", names, counts, list->len);
}

/* print_group - one row of the summary */
static void
print_group (TrPrinter *printer, const Summary *sum, Group *g, GHashTable *seen)
{
  for (guint j = 0; j < sum->n_groups; j++)
    tr_printer_field_str (printer, g->values[j]);
  if (g->has_successful)
    tr_printer_field_int (printer, g->successful);
  else
    tr_printer_field_null (printer);
  tr_printer_field_int (printer, g->failed);
  if (g->has_successful && (g->successful > 0 || g->failed > 0))
    tr_printer_field_percent (printer,
                              (double) g->failed / ((double) g->successful + (double) g->failed));
  else
    tr_printer_field_null (printer);
  tr_printer_field_int (printer, g->reports ? g_hash_table_size (g->reports) : g->n_reports);
  if (sum->with_warnings)
    tr_printer_field_int (printer, g->warnings);
  print_types (printer, g, seen);
  tr_printer_end_row (printer);
}

/* print_summary - the sorted groups, then the explanations of their result types */
static gboolean
print_summary (Summary *sum, const TrQueryFilter *filter, TrPrinter *printer, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  TrColumn columns[TR_N_GROUPS + 7];
  guint n_columns = 0;

  for (guint i = 0; i < sum->n_groups; i++)
    columns[n_columns++] = group_output[sum->groups[i]];
  columns[n_columns++] = (TrColumn){ "successful", "SUCCESSFUL", TR_COLUMN_NUMBER, FALSE };
  columns[n_columns++] = (TrColumn){ "failed", "FAILED", TR_COLUMN_NUMBER, FALSE };
  columns[n_columns++] = (TrColumn){ "failure_rate", "RATE", TR_COLUMN_NUMBER, FALSE };
  columns[n_columns++] = (TrColumn){ "reports", "REPORTS", TR_COLUMN_NUMBER, FALSE };
  if (sum->with_warnings)
    columns[n_columns++] = (TrColumn){ "warnings", "WARNINGS", TR_COLUMN_NUMBER, FALSE };
  columns[n_columns++] = (TrColumn){ "result_types", "RESULT TYPES", TR_COLUMN_LONG, FALSE };
  sort_summary = sum;
  g_ptr_array_sort (sum->order, compare_groups);
  sort_summary = NULL;
  tr_printer_begin_listing (printer, "summary", columns, n_columns);
  for (guint i = 0; i < sum->order->len && (filter->limit < 0 || i < filter->limit); i++)
    print_group (printer, sum, g_ptr_array_index (sum->order, i), seen);
  {
    g_autofree char **names = (char **) g_hash_table_get_keys_as_array (seen, NULL);
    tr_explain_notes (printer, (const char *const *) names);
  }
  return tr_printer_end (printer, error);
}

/* tr_query_summary - successful and failed sessions per group */
gboolean
tr_query_summary (TrStore *store, const TrQueryFilter *filter, const TrGroup *groups,
                  guint n_groups, TrPrinter *printer, GError **error)
{
  Summary sum = { 0 };
  gboolean ok;

  g_return_val_if_fail (n_groups >= 1 && n_groups <= TR_N_GROUPS, FALSE);
  sum.groups = groups;
  sum.n_groups = n_groups;
  sum.per_detail = filter->result_types != NULL || filter->mxs != NULL;
  for (guint i = 0; i < n_groups; i++)
    {
      sum.per_detail |= groups[i] == TR_GROUP_RESULT_TYPE || groups[i] == TR_GROUP_MX;
      sum.count_rows |= groups[i] == TR_GROUP_DOMAIN;
    }
  sum.count_rows &= !sum.per_detail;
  for (guint i = 0; i < n_groups; i++)
    sum.with_warnings |= groups[i] == TR_GROUP_REPORTER;
  for (guint i = 0; i < n_groups; i++)
    sum.with_warnings &= groups[i] == TR_GROUP_REPORTER || groups[i] == TR_GROUP_DAY;
  sum.with_warnings &= !sum.per_detail;
  sum.map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, group_free);
  sum.order = g_ptr_array_new ();
  sum.key = g_string_new (NULL);
  sum.details = g_hash_table_new (g_str_hash, g_str_equal);
  sum.detail_list = g_array_new (FALSE, FALSE, sizeof (Detail));
  sum.strings = g_string_chunk_new (4096);

  ok = (sum.per_detail || tr_store_each_session (store, filter, on_session, &sum, error))
       && tr_store_each_detail (store, filter, on_detail, &sum, error);
  flush_report (&sum);
  ok = ok && (!sum.with_warnings || count_warnings (store, &sum, filter, error));
  for (guint i = 0; ok && i < n_groups; i++)
    if (groups[i] == TR_GROUP_REPORTER) /* a reporter whose reports fail may be in `rejected` */
      ok = tr_query_rejected_note (store, filter->since_day, filter->until_day, printer, error);
  ok = ok && print_summary (&sum, filter, printer, error);
  g_hash_table_unref (sum.details);
  g_array_unref (sum.detail_list);
  g_string_chunk_free (sum.strings);
  g_string_free (sum.key, TRUE);
  g_ptr_array_unref (sum.order);
  g_hash_table_unref (sum.map); /* after the names in `seen` were used */
  return ok;
}
