/* summary-print.c - query summary's listing: one row per group (per group and result type in
 * CSV, so that a spreadsheet can pivot), with the columns the grouping calls for */
#include "config.h"

#include <string.h>

#include "explain.h"
#include "summary-private.h"

static const TrColumn group_output[TR_N_GROUPS] = {
  [TR_GROUP_DAY] = { "day", "DAY", TR_COLUMN_TEXT, FALSE, TR_FIT_KEY },
  [TR_GROUP_DOMAIN] = { "policy_domain", "POLICY DOMAIN", TR_COLUMN_TEXT, FALSE, TR_FIT_KEY },
  [TR_GROUP_REPORTER] = { "reporter", "REPORTER", TR_COLUMN_TEXT, FALSE, TR_FIT_KEY },
  [TR_GROUP_RESULT_TYPE] = { "result_type", "RESULT TYPE", TR_COLUMN_TEXT, FALSE, TR_FIT_KEY },
  [TR_GROUP_MX] = { "receiving_mx", "RECEIVING MX", TR_COLUMN_TEXT, FALSE, TR_FIT_KEY },
};

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

/* sorted_types - the result types of @g, most failed sessions first */
static GArray *
sorted_types (const TrSummaryGroup *g)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (TypeCount));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, g->type_counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TypeCount tc = { key, *(gint64 *) value };
      g_array_append_val (list, tc);
    }
  g_array_sort (list, compare_type_counts);
  return list;
}

/* print_types - the result types of @list as one field; collects their names in @seen */
static void
print_types (TrPrinter *printer, GArray *list, GHashTable *seen)
{
  g_autofree const char **names = NULL;
  g_autofree gint64 *counts = NULL;

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

/* print_totals - the fields of @g before its result types */
static void
print_totals (TrPrinter *printer, const TrSummaryResult *sum, const TrSummaryGroup *g)
{
  gboolean judged = g->has_successful && (g->successful > 0 || g->failed > 0);

  for (guint j = 0; j < sum->n_groups; j++)
    tr_printer_field_str (printer, g->values[j]);
  if (g->has_successful)
    tr_printer_field_int (printer, g->successful);
  else
    tr_printer_field_null (printer);
  if (g->no_report)
    tr_printer_field_null (printer);
  else
    tr_printer_field_int (printer, g->failed);
  if (judged)
    tr_printer_field_percent (printer,
                              (double) g->failed / ((double) g->successful + (double) g->failed));
  else
    tr_printer_field_null (printer);
  tr_printer_field_int (printer, g->reports ? g_hash_table_size (g->reports) : g->n_reports);
  if (sum->with_warnings)
    tr_printer_field_int (printer, g->warnings);
  if (sum->with_days)
    {
      tr_printer_field_str (printer, g->first_day);
      tr_printer_field_str (printer, g->last_day);
      tr_printer_field_int (printer, g->days ? g_hash_table_size (g->days) : 0);
    }
}

/* flat_types - whether a row is printed per result type (flat formats, not grouped by type) */
static gboolean
flat_types (TrPrinter *printer, const TrSummaryResult *sum)
{
  for (guint i = 0; i < sum->n_groups; i++)
    if (sum->groups[i] == TR_GROUP_RESULT_TYPE)
      return FALSE;
  return tr_printer_is_flat (printer);
}

/* print_group - one row of the summary (one per result type when the format is flat) */
static void
print_group (TrPrinter *printer, const TrSummaryResult *sum, TrSummaryGroup *g, GHashTable *seen)
{
  g_autoptr (GArray) types = sorted_types (g);

  if (!flat_types (printer, sum))
    {
      print_totals (printer, sum, g);
      if (!tr_printer_is_flat (printer))
        print_types (printer, types, seen);
      tr_printer_end_row (printer);
      return;
    }
  for (guint i = 0; i == 0 || i < types->len; i++)
    {
      print_totals (printer, sum, g);
      if (i < types->len)
        {
          tr_printer_field_str (printer, g_array_index (types, TypeCount, i).name);
          tr_printer_field_int (printer, g_array_index (types, TypeCount, i).count);
        }
      tr_printer_end_row (printer);
    }
}

/* tr_summary_print - the listing, then the explanations of its result types */
gboolean
tr_summary_print (const TrSummaryResult *sum, const TrQueryFilter *filter, TrPrinter *printer,
                  GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  TrColumn columns[TR_N_GROUPS + 11];
  guint n = 0;

  for (guint i = 0; i < sum->n_groups; i++)
    columns[n++] = group_output[sum->groups[i]];
  columns[n++] = (TrColumn){ "successful", "SUCCESSFUL", TR_COLUMN_NUMBER, FALSE, TR_FIT_KEY };
  columns[n++] = (TrColumn){ "failed", "FAILED", TR_COLUMN_NUMBER, FALSE, TR_FIT_KEY };
  columns[n++] = (TrColumn){ "failure_rate", "RATE", TR_COLUMN_NUMBER, FALSE, TR_FIT_KEY };
  columns[n++] = (TrColumn){ "reports", "REPORTS", TR_COLUMN_NUMBER, FALSE, TR_FIT_KEY };
  if (sum->with_warnings)
    columns[n++] = (TrColumn){ "warnings", "WARNINGS", TR_COLUMN_NUMBER, FALSE, TR_FIT_LOW };
  if (sum->with_days)
    {
      columns[n++] = (TrColumn){ "first_day", "FIRST DAY", TR_COLUMN_TEXT, FALSE, TR_FIT_KEY };
      columns[n++] = (TrColumn){ "last_day", "LAST DAY", TR_COLUMN_TEXT, FALSE, TR_FIT_KEY };
      columns[n++] = (TrColumn){ "days", "DAYS", TR_COLUMN_NUMBER, FALSE, TR_FIT_KEY };
    }
  if (flat_types (printer, sum))
    {
      columns[n++] = (TrColumn){ "result_type", "RESULT TYPE", TR_COLUMN_TEXT };
      columns[n++] = (TrColumn){ "result_type_sessions", "SESSIONS", TR_COLUMN_NUMBER };
    }
  else if (!tr_printer_is_flat (printer))
    columns[n++]
        = (TrColumn){ "result_types", "RESULT TYPES", TR_COLUMN_LONG, FALSE, TR_FIT_NORMAL };
  tr_printer_begin_listing (printer, "summary", columns, n);
  for (guint i = 0; i < sum->order->len && (filter->limit < 0 || i < filter->limit); i++)
    print_group (printer, sum, g_ptr_array_index (sum->order, i), seen);
  {
    g_autofree char **names = (char **) g_hash_table_get_keys_as_array (seen, NULL);
    tr_explain_notes (printer, (const char *const *) names);
  }
  return tr_printer_end (printer, error);
}
