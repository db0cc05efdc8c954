/* listing.c - query failures and query reports: the stored rows, newest first
 *
 * The store hands out the rows (store.h); the sessions of a report listing are counted here,
 * by the counting rule (counting.c), from its session summary rows.
 */
#include "config.h"

#include <string.h>

#include "error.h"
#include "explain.h"
#include "query.h"

/* REPORT_DOMAINS - the domains listed per report; the rest are counted */
#define REPORT_DOMAINS 20
/* TYPES_EXPLAINED - result types explained after a failure listing, at most */
#define TYPES_EXPLAINED 64

static const TrColumn failure_columns[] = {
  { "day", "DAY", TR_COLUMN_TEXT, FALSE, TR_FIT_KEY },
  { "reporter", "REPORTER", TR_COLUMN_TEXT, FALSE, TR_FIT_NORMAL },
  { "policy_domain", "POLICY DOMAIN", TR_COLUMN_TEXT, FALSE, TR_FIT_KEY },
  { "policy_type", "POLICY", TR_COLUMN_TEXT, FALSE, TR_FIT_LOW },
  { "result_type", "RESULT TYPE", TR_COLUMN_TEXT, FALSE, TR_FIT_KEY },
  { "sending_mta_ip", "SENDING MTA", TR_COLUMN_TEXT, FALSE, TR_FIT_NORMAL },
  { "receiving_mx_hostname", "RECEIVING MX", TR_COLUMN_TEXT, FALSE, TR_FIT_NORMAL },
  { "receiving_ip", "RECEIVING IP", TR_COLUMN_TEXT, FALSE, TR_FIT_LOW },
  { "failed_session_count", "COUNT", TR_COLUMN_NUMBER, FALSE, TR_FIT_KEY },
  { "report_row", "ROW", TR_COLUMN_NUMBER, FALSE, TR_FIT_LOW },
  { "failure_reason_code", "REASON", TR_COLUMN_LONG, FALSE, TR_FIT_LOW },
  { "receiving_mx_helo", "HELO", TR_COLUMN_LONG, TRUE },
  { "additional_information", "ADDITIONAL INFORMATION", TR_COLUMN_LONG, TRUE },
  { "report_id", "REPORT-ID", TR_COLUMN_LONG, TRUE },
};

typedef struct
{
  TrPrinter *printer;
  GHashTable *types; /* the result types seen, to explain them */
} FailureListing;

/* field_count - a count, or a null for an absent one */
static void
field_count (TrPrinter *printer, gint64 count)
{
  if (count == TR_COUNT_ABSENT)
    tr_printer_field_null (printer);
  else
    tr_printer_field_int (printer, count);
}

/* on_failure - one failure detail, one row */
static gboolean
on_failure (const TrFailureRow *row, gpointer data, GError **error)
{
  FailureListing *listing = data;
  TrPrinter *p = listing->printer;
  const TrFailure *f = row->failure;

  if (f->result_type != NULL && g_hash_table_size (listing->types) < TYPES_EXPLAINED)
    g_hash_table_add (listing->types, g_strdup (f->result_type));
  tr_printer_field_str (p, row->day);
  tr_printer_field_str (p, row->reporter);
  tr_printer_field_str (p, row->domain);
  tr_printer_field_str (p, row->policy_type);
  tr_printer_field_str (p, f->result_type);
  tr_printer_field_str (p, f->sending_mta_ip);
  tr_printer_field_str (p, f->receiving_mx_hostname);
  tr_printer_field_str (p, f->receiving_ip);
  field_count (p, f->failed_session_count);
  tr_printer_field_int (p, row->report_row);
  tr_printer_field_str (p, f->failure_reason_code);
  tr_printer_field_str (p, f->receiving_mx_helo);
  tr_printer_field_str (p, f->additional_information);
  tr_printer_field_str (p, row->report_id);
  tr_printer_end_row (p);
  return TRUE;
}

/* tr_query_failures - failure details, newest first */
gboolean
tr_query_failures (TrStore *store, const TrQueryFilter *filter, TrPrinter *printer, GError **error)
{
  g_autoptr (GHashTable) types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  FailureListing listing = { printer, types };

  tr_printer_begin_listing (printer, "failures", failure_columns, G_N_ELEMENTS (failure_columns));
  if (!tr_store_each_failure (store, filter, on_failure, &listing, error))
    return FALSE;
  {
    g_autofree char **names = (char **) g_hash_table_get_keys_as_array (types, NULL);
    tr_explain_notes (printer, (const char *const *) names);
  }
  return tr_printer_end (printer, error);
}

static const TrColumn report_columns[] = {
  { "report_row", "ROW", TR_COLUMN_NUMBER, FALSE, TR_FIT_KEY },
  { "day", "DAY", TR_COLUMN_TEXT, FALSE, TR_FIT_KEY },
  { "reporter", "REPORTER", TR_COLUMN_TEXT, FALSE, TR_FIT_KEY },
  { "start_datetime", "START", TR_COLUMN_TEXT, FALSE, TR_FIT_LOW },
  { "end_datetime", "END", TR_COLUMN_TEXT, FALSE, TR_FIT_LOW },
  { "successful", "SUCCESSFUL", TR_COLUMN_NUMBER, FALSE, TR_FIT_KEY },
  { "failed", "FAILED", TR_COLUMN_NUMBER, FALSE, TR_FIT_KEY },
  { "deliveries", "DELIVERIES", TR_COLUMN_NUMBER, FALSE, TR_FIT_LOW },
  { "conflicts", "CONFLICTS", TR_COLUMN_NUMBER, FALSE, TR_FIT_NORMAL },
  { "warnings", "WARNINGS", TR_COLUMN_NUMBER, FALSE, TR_FIT_LOW },
  { "policy_domains", "POLICY DOMAINS", TR_COLUMN_TEXT, FALSE, TR_FIT_NORMAL },
  { "report_id", "REPORT-ID", TR_COLUMN_LONG, FALSE, TR_FIT_LOW },
};

/* One report of the listing, with its sessions counted. */
typedef struct
{
  gint64 row;
  char *day;
  char *reporter;
  char *start;
  char *end;
  char *report_id;
  gint64 deliveries;
  gint64 conflicts;
  gint64 warnings;
  gboolean has_sessions;
  gint64 successful;
  gint64 failed;
  GPtrArray *domains; /* of char *: its domain keys */
} Listed;

static void
listed_free (gpointer data)
{
  Listed *l = data;

  g_free (l->day);
  g_free (l->reporter);
  g_free (l->start);
  g_free (l->end);
  g_free (l->report_id);
  g_ptr_array_unref (l->domains);
  g_free (l);
}

typedef struct
{
  GPtrArray *listed;  /* of Listed, in listing order */
  GHashTable *by_row; /* row (gint64 *) -> Listed */
} ReportListing;

/* on_report - keep one report of the listing */
static gboolean
on_report (const TrReportRow *row, gpointer data, GError **error)
{
  ReportListing *listing = data;
  Listed *l = g_new0 (Listed, 1);

  l->row = row->row;
  l->day = g_strdup (row->day);
  l->reporter = g_strdup (row->reporter);
  l->start = g_strdup (row->start_datetime);
  l->end = g_strdup (row->end_datetime);
  l->report_id = g_strdup (row->report_id);
  l->deliveries = row->deliveries;
  l->conflicts = row->conflicts;
  l->warnings = row->warnings;
  l->domains = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (listing->listed, l);
  g_hash_table_insert (listing->by_row, &l->row, l);
  return TRUE;
}

/* on_report_session - the sessions of one report and domain key, by the rule */
static gboolean
on_report_session (const TrSessionRow *row, gpointer data, GError **error)
{
  ReportListing *listing = data;
  Listed *l = g_hash_table_lookup (listing->by_row, &row->report_row);

  if (l == NULL)
    return TRUE;
  l->has_sessions = TRUE;
  l->successful = tr_count_add (l->successful, tr_count_rule (&row->successful));
  l->failed = tr_count_add (l->failed, tr_count_rule (&row->failed));
  g_ptr_array_add (l->domains, g_strdup (row->domain));
  return TRUE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* domains_text - the first REPORT_DOMAINS domains of @l, sorted, and how many more */
static char *
domains_text (Listed *l)
{
  GString *s = g_string_new (NULL);

  g_ptr_array_sort (l->domains, compare_strings);
  for (guint i = 0; i < l->domains->len && i < REPORT_DOMAINS; i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, g_ptr_array_index (l->domains, i));
    }
  if (l->domains->len > REPORT_DOMAINS)
    g_string_append_printf (s, " (and %u more)", l->domains->len - REPORT_DOMAINS);
  return g_string_free (s, l->domains->len == 0);
}

/* print_listed - one report row */
static void
print_listed (TrPrinter *p, Listed *l)
{
  g_autofree char *domains = domains_text (l);

  tr_printer_field_int (p, l->row);
  tr_printer_field_str (p, l->day);
  tr_printer_field_str (p, l->reporter);
  tr_printer_field_str (p, l->start);
  tr_printer_field_str (p, l->end);
  if (l->has_sessions)
    {
      tr_printer_field_int (p, l->successful);
      tr_printer_field_int (p, l->failed);
    }
  else
    {
      tr_printer_field_null (p);
      tr_printer_field_null (p);
    }
  tr_printer_field_int (p, l->deliveries);
  tr_printer_field_int (p, l->conflicts);
  tr_printer_field_int (p, l->warnings);
  tr_printer_field_str (p, domains);
  tr_printer_field_str (p, l->report_id);
  tr_printer_end_row (p);
}

/* tr_query_reports - one row per report, newest first */
gboolean
tr_query_reports (TrStore *store, const TrQueryFilter *filter, TrPrinter *printer, GError **error)
{
  ReportListing listing = {
    g_ptr_array_new_with_free_func (listed_free),
    g_hash_table_new (g_int64_hash, g_int64_equal),
  };
  g_autofree gint64 *rows = NULL;
  TrQueryFilter of_rows = TR_QUERY_FILTER_INIT;
  gboolean ok = tr_store_each_report (store, filter, on_report, &listing, error);

  if (ok && listing.listed->len > 0)
    {
      rows = g_new (gint64, listing.listed->len);
      for (guint i = 0; i < listing.listed->len; i++)
        rows[i] = ((Listed *) g_ptr_array_index (listing.listed, i))->row;
      of_rows.rows = rows;
      of_rows.n_rows = listing.listed->len;
      ok = tr_store_each_session (store, &of_rows, on_report_session, &listing, error);
    }
  if (ok)
    {
      tr_printer_begin_listing (printer, "reports", report_columns, G_N_ELEMENTS (report_columns));
      for (guint i = 0; i < listing.listed->len; i++)
        print_listed (printer, g_ptr_array_index (listing.listed, i));
      ok = tr_printer_end (printer, error);
    }
  g_hash_table_unref (listing.by_row);
  g_ptr_array_unref (listing.listed);
  return ok;
}
