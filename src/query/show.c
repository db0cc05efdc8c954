/* show.c - show: one stored report, whole */
#include "config.h"

#include <string.h>

#include "query.h"

static const TrColumn show_columns[] = {
  { "report_row", "Row", TR_COLUMN_NUMBER },
  { "reporter", "Reporter", TR_COLUMN_TEXT },
  { "report_id", "Report-ID", TR_COLUMN_TEXT },
  { "report_id_synthesized", "Report-ID synthesized", TR_COLUMN_NUMBER },
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
  { "dkim_aligned", "DKIM aligned", TR_COLUMN_NUMBER },
  { "conflicts_with", "Conflicts with", TR_COLUMN_TEXT },
  { "report", "Report", TR_COLUMN_LONG },
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

  tr_printer_field_int (p, stored->row);
  tr_printer_field_str (p, r->reporter_key);
  tr_printer_field_str (p, r->report_id);
  tr_printer_field_int (p, r->report_id_synthesized ? 1 : 0);
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
  if (r->dkim_aligned < 0)
    tr_printer_field_null (p);
  else
    tr_printer_field_int (p, r->dkim_aligned);
  tr_printer_field_str (p, conflicts);
  tr_printer_field_json (p, json);
  tr_printer_end_row (p);
  show->found++;
  return TRUE;
}

/* tr_query_show - the stored reports named @which */
gboolean
tr_query_show (TrStore *store, const char *which, TrPrinter *printer, guint *found, GError **error)
{
  Show show = { printer, 0 };

  tr_printer_begin_list (printer, "report", show_columns, G_N_ELEMENTS (show_columns));
  if (!tr_store_find_reports (store, which, on_stored, &show, error))
    return FALSE;
  *found = show.found;
  return tr_printer_end (printer, error);
}
