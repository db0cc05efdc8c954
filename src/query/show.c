/* show.c - show: one stored report, whole: what the database has of it, with its policies,
 * their failure details and the parse warnings as nested tables
 *
 * The JSON of version 1 keeps the members it had (the report as one JSON value in "report"); the
 * structure comes as new members.  Text leaves the JSON out (show --raw prints it).  The stored
 * JSON texts of mx-host and policy-string are read back through decode.c.
 */
#include "config.h"

#include <string.h>

#include "decode.h"
#include "error.h"
#include "escape.h"
#include "query.h"

static const TrColumn show_columns[] = {
  { "report_row", "Row", TR_COLUMN_NUMBER },
  { "reporter", "Reporter", TR_COLUMN_TEXT },
  { "report_id", "Report-ID", TR_COLUMN_TEXT },
  { "report_id_synthesized", "Report-ID synthesized", TR_COLUMN_TEXT },
  { "organization_name", "Organization", TR_COLUMN_TEXT },
  { "contact_info", "Contact", TR_COLUMN_TEXT },
  { "start_datetime", "Start", TR_COLUMN_TEXT },
  { "end_datetime", "End", TR_COLUMN_TEXT },
  { "day", "Day", TR_COLUMN_TEXT },
  { "message_id", "Message-ID", TR_COLUMN_TEXT },
  { "subject", "Subject", TR_COLUMN_TEXT },
  { "mail_from", "From", TR_COLUMN_TEXT },
  { "mail_date", "Date", TR_COLUMN_TEXT },
  { "tls_report_domain", "TLS-Report-Domain", TR_COLUMN_TEXT },
  { "tls_report_submitter", "TLS-Report-Submitter", TR_COLUMN_TEXT },
  { "received_at", "Received", TR_COLUMN_TEXT },
  { "last_received_at", "Last received", TR_COLUMN_TEXT },
  { "deliveries", "Deliveries", TR_COLUMN_NUMBER },
  { "dkim_result", "DKIM", TR_COLUMN_TEXT },
  { "dkim_domain", "DKIM domain", TR_COLUMN_TEXT },
  { "dkim_aligned", "DKIM aligned", TR_COLUMN_TEXT },
  { "conflicts_with", "Conflicts with", TR_COLUMN_TEXT },
  { "report", "Report", TR_COLUMN_LONG, TRUE },
  { "received_via", "Received via", TR_COLUMN_TEXT },
  { "client_address", "Client address", TR_COLUMN_TEXT },
  { "warnings", "Warnings", TR_COLUMN_NESTED },
  { "policies", "Policies", TR_COLUMN_NESTED },
};

static const TrColumn warning_columns[] = {
  { "code", "CODE", TR_COLUMN_TEXT },
  { "text", "WHERE AND WHAT", TR_COLUMN_LONG },
};

static const TrColumn failure_columns[] = {
  { "result_type", "RESULT TYPE", TR_COLUMN_TEXT },
  { "sending_mta_ip", "SENDING MTA", TR_COLUMN_TEXT },
  { "receiving_mx_hostname", "RECEIVING MX", TR_COLUMN_TEXT },
  { "receiving_ip", "RECEIVING IP", TR_COLUMN_TEXT },
  { "failed_session_count", "COUNT", TR_COLUMN_NUMBER },
  { "failure_reason_code", "REASON", TR_COLUMN_LONG },
  { "receiving_mx_helo", "HELO", TR_COLUMN_LONG },
  { "additional_information", "ADDITIONAL INFORMATION", TR_COLUMN_LONG },
};

typedef struct
{
  TrPrinter *printer;
  guint found;
} Show;

/* conflicts_text - "row 7 (authenticated), row 9", or NULL */
static char *
conflicts_text (const TrStoredReport *stored)
{
  GString *s;

  if (stored->conflicts == NULL || stored->conflicts->len == 0)
    return NULL;
  s = g_string_new (NULL);
  for (guint i = 0; i < stored->conflicts->len; i++)
    {
      const TrConflict *c = &g_array_index (stored->conflicts, TrConflict, i);

      g_string_append_printf (s, "%srow %" G_GINT64_FORMAT "%s", i > 0 ? ", " : "", c->row,
                              c->authenticated ? " (authenticated)" : "");
    }
  return g_string_free (s, FALSE);
}

/* print_count - a session count, or null when the report had none */
static void
print_count (TrPrinter *p, gint64 count)
{
  if (count == TR_COUNT_ABSENT)
    tr_printer_null (p);
  else
    tr_printer_int (p, count);
}

/* print_strings - a JSON array text of strings as a list (null when absent) */
static void
print_strings (TrPrinter *p, const char *json)
{
  g_auto (GStrv) strings = tr_decode_string_array (json);

  if (strings == NULL)
    {
      tr_printer_str (p, json);
      return;
    }
  tr_printer_begin_list (p);
  for (guint i = 0; strings[i] != NULL; i++)
    tr_printer_str (p, strings[i]);
  tr_printer_close (p);
}

/* print_failures - the failure details of a policy, as a table */
static void
print_failures (TrPrinter *p, const GPtrArray *failures)
{
  tr_printer_begin_table (p, failure_columns, G_N_ELEMENTS (failure_columns));
  for (guint i = 0; i < failures->len; i++)
    {
      const TrFailure *f = g_ptr_array_index (failures, i);

      tr_printer_field_str (p, f->result_type);
      tr_printer_field_str (p, f->sending_mta_ip);
      tr_printer_field_str (p, f->receiving_mx_hostname);
      tr_printer_field_str (p, f->receiving_ip);
      tr_printer_field (p);
      print_count (p, f->failed_session_count);
      tr_printer_field_str (p, f->failure_reason_code);
      tr_printer_field_str (p, f->receiving_mx_helo);
      tr_printer_field_str (p, f->additional_information);
      tr_printer_end_row (p);
    }
  tr_printer_close (p);
}

/* print_policy - one policy: what it was, its counts, its failure details */
static void
print_policy (TrPrinter *p, const TrPolicy *policy)
{
  tr_printer_begin_map (p);
  tr_printer_key (p, "policy_type", "Type");
  tr_printer_str (p, policy->policy_type);
  tr_printer_key (p, "policy_domain", "Domain");
  tr_printer_str (p, policy->policy_domain);
  tr_printer_key (p, "mx_host", "MX hosts");
  print_strings (p, policy->mx_host);
  tr_printer_key (p, "policy_string", "Policy");
  print_strings (p, policy->policy_string);
  tr_printer_key (p, "successful", "Successful sessions");
  print_count (p, policy->total_successful_session_count);
  tr_printer_key (p, "failed", "Failed sessions");
  print_count (p, policy->total_failure_session_count);
  tr_printer_key (p, "failure_details", "Failure details");
  print_failures (p, policy->failures);
  tr_printer_close (p);
}

/* print_structure - the warnings and the policies of @r */
static void
print_structure (TrPrinter *p, const TrReport *r)
{
  tr_printer_field (p);
  tr_printer_begin_table (p, warning_columns, G_N_ELEMENTS (warning_columns));
  for (guint i = 0; i < r->warnings->len; i++)
    {
      const TrWarning *w = g_ptr_array_index (r->warnings, i);

      tr_printer_field_str (p, w->code);
      tr_printer_field_str (p, w->text);
      tr_printer_end_row (p);
    }
  tr_printer_close (p);
  tr_printer_field (p);
  tr_printer_begin_list (p);
  for (guint i = 0; i < r->policies->len; i++)
    print_policy (p, g_ptr_array_index (r->policies, i));
  tr_printer_close (p);
}

/* on_stored - one report, one row */
static gboolean
on_stored (TrStoredReport *stored, gpointer data, GError **error)
{
  g_autoptr (TrStoredReport) owned = stored;
  Show *show = data;
  TrPrinter *p = show->printer;
  const TrReport *r = stored->report;
  const TrMailInfo *info = stored->info;
  g_autofree char *conflicts = conflicts_text (stored);
  g_autofree char *json
      = g_strndup (g_bytes_get_data (r->raw_json, NULL), g_bytes_get_size (r->raw_json));
  g_autofree char *compact = tr_decode_json_compact (r->raw_json);

  tr_printer_field_int (p, stored->row);
  tr_printer_field_str (p, r->reporter_key);
  tr_printer_field_str (p, r->report_id);
  tr_printer_field (p);
  tr_printer_bool (p, r->report_id_synthesized);
  tr_printer_field_str (p, r->organization_name);
  tr_printer_field_str (p, r->contact_info);
  tr_printer_field_str (p, r->start_datetime);
  tr_printer_field_str (p, r->end_datetime);
  tr_printer_field_str (p, r->report_day);
  tr_printer_field_str (p, info->message_id);
  tr_printer_field_str (p, info->subject);
  tr_printer_field_str (p, info->from);
  tr_printer_field_str (p, info->date);
  tr_printer_field_str (p, info->tls_report_domain);
  tr_printer_field_str (p, info->tls_report_submitter);
  tr_printer_field_str (p, stored->received_at);
  tr_printer_field_str (p, stored->last_received_at);
  tr_printer_field_int (p, stored->deliveries);
  tr_printer_field_str (p, r->dkim_result);
  tr_printer_field_str (p, r->dkim_domain);
  tr_printer_field (p);
  if (r->dkim_aligned < 0)
    tr_printer_null (p);
  else
    tr_printer_bool (p, r->dkim_aligned == 1);
  tr_printer_field_str (p, conflicts);
  tr_printer_field_json (p, json, compact);
  tr_printer_field_str (p, stored->received_via);
  tr_printer_field_str (p, stored->client_address);
  print_structure (p, r);
  tr_printer_end_row (p);
  show->found++;
  return TRUE;
}

/* tr_query_show - the stored reports named @which */
gboolean
tr_query_show (TrStore *store, const char *which, TrPrinter *printer, guint *found, GError **error)
{
  Show show = { printer, 0 };

  tr_printer_begin_listing (printer, "report", show_columns, G_N_ELEMENTS (show_columns));
  if (!tr_store_find_reports (store, which, on_stored, &show, error))
    return FALSE;
  *found = show.found;
  return tr_printer_end (printer, error);
}

typedef struct
{
  FILE *out;
  gboolean escape;
  guint found;
} Raw;

/* on_raw - one report's JSON text as stored */
static gboolean
on_raw (TrStoredReport *stored, gpointer data, GError **error)
{
  g_autoptr (TrStoredReport) owned = stored;
  Raw *raw = data;
  gsize size;
  const char *bytes = g_bytes_get_data (stored->report->raw_json, &size);

  if (raw->escape)
    {
      g_autofree char *text = g_strndup (bytes, size);
      g_autofree char *shown = tr_escape_text_lines (text);

      fputs (shown, raw->out);
    }
  else
    fwrite (bytes, 1, size, raw->out);
  if (size == 0 || bytes[size - 1] != '\n')
    fputc ('\n', raw->out);
  raw->found++;
  return TRUE;
}

/* tr_query_show_raw - the JSON texts of the reports named @which, exactly as they came */
gboolean
tr_query_show_raw (TrStore *store, const char *which, FILE *out, gboolean escape, guint *found,
                   GError **error)
{
  Raw raw = { out, escape, 0 };

  if (!tr_store_find_reports (store, which, on_raw, &raw, error))
    return FALSE;
  *found = raw.found;
  return tr_printer_flush_file (out, error);
}
