/* show.c - show: one stored report, whole: what the database has of it, with its policies,
 * their failure details and the parse warnings as nested tables; and inspect: the same of the
 * reports of a message that was never stored
 *
 * The JSON of version 1 keeps the members it had (the report as one JSON value in "report"); the
 * structure comes as new members.  Text leaves the JSON out (show --raw prints it).  The stored
 * JSON texts of mx-host and policy-string are read back through decode.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "error.h"
#include "escape.h"
#include "explain.h"
#include "query.h"

/* What show and inspect print of a report, a member each: its column (field_columns) says its
 * name, title and kind.  show prints a stored report as a row of show_fields; inspect prints
 * the mail facts of a message in its row, and each report it holds (never stored) as a map of
 * report_fields: the same members, through the same print_fields. */
typedef enum
{
  FIELD_ROW,
  FIELD_REPORTER,
  FIELD_REPORT_ID,
  FIELD_SYNTHESIZED,
  FIELD_ORGANIZATION,
  FIELD_CONTACT,
  FIELD_START,
  FIELD_END,
  FIELD_DAY,
  FIELD_MESSAGE_ID,
  FIELD_SUBJECT,
  FIELD_FROM,
  FIELD_DATE,
  FIELD_REPORT_DOMAIN,
  FIELD_SUBMITTER,
  FIELD_RECEIVED,
  FIELD_LAST_RECEIVED,
  FIELD_DELIVERIES,
  FIELD_DKIM_RESULT,
  FIELD_DKIM_DOMAIN,
  FIELD_DKIM_ALIGNED,
  FIELD_TRUST,
  FIELD_CONFLICTS,
  FIELD_JSON,
  FIELD_VIA,
  FIELD_CLIENT,
  FIELD_WARNINGS,
  FIELD_POLICIES,
  /* inspect's message: printed by tr_query_inspect_message itself */
  FIELD_INPUT,
  FIELD_SIZE,
  FIELD_USABLE,
  FIELD_REASON,
  FIELD_REPORTS,
  FIELD_RESULT_TYPES,
  N_FIELDS
} Field;

/* The name, title and kind of every field: show and inspect name a member alike. */
static const TrColumn field_columns[N_FIELDS] = {
  [FIELD_ROW] = { "report_row", "Row", TR_COLUMN_NUMBER },
  [FIELD_REPORTER] = { "reporter", "Reporter", TR_COLUMN_TEXT },
  [FIELD_REPORT_ID] = { "report_id", "Report-ID", TR_COLUMN_TEXT },
  [FIELD_SYNTHESIZED] = { "report_id_synthesized", "Report-ID synthesized", TR_COLUMN_TEXT },
  [FIELD_ORGANIZATION] = { "organization_name", "Organization", TR_COLUMN_TEXT },
  [FIELD_CONTACT] = { "contact_info", "Contact", TR_COLUMN_TEXT },
  [FIELD_START] = { "start_datetime", "Start", TR_COLUMN_TEXT },
  [FIELD_END] = { "end_datetime", "End", TR_COLUMN_TEXT },
  [FIELD_DAY] = { "day", "Day", TR_COLUMN_TEXT },
  [FIELD_MESSAGE_ID] = { "message_id", "Message-ID", TR_COLUMN_TEXT },
  [FIELD_SUBJECT] = { "subject", "Subject", TR_COLUMN_TEXT },
  [FIELD_FROM] = { "mail_from", "From", TR_COLUMN_TEXT },
  [FIELD_DATE] = { "mail_date", "Date", TR_COLUMN_TEXT },
  [FIELD_REPORT_DOMAIN] = { "tls_report_domain", "TLS-Report-Domain", TR_COLUMN_TEXT },
  [FIELD_SUBMITTER] = { "tls_report_submitter", "TLS-Report-Submitter", TR_COLUMN_TEXT },
  [FIELD_RECEIVED] = { "received_at", "Received", TR_COLUMN_TEXT },
  [FIELD_LAST_RECEIVED] = { "last_received_at", "Last received", TR_COLUMN_TEXT },
  [FIELD_DELIVERIES] = { "deliveries", "Deliveries", TR_COLUMN_NUMBER },
  [FIELD_DKIM_RESULT] = { "dkim_result", "DKIM", TR_COLUMN_TEXT },
  [FIELD_DKIM_DOMAIN] = { "dkim_domain", "DKIM domain", TR_COLUMN_TEXT },
  [FIELD_DKIM_ALIGNED] = { "dkim_aligned", "DKIM aligned", TR_COLUMN_TEXT },
  [FIELD_TRUST] = { "trust", "Trust", TR_COLUMN_TEXT },
  [FIELD_CONFLICTS] = { "conflicts_with", "Conflicts with", TR_COLUMN_TEXT },
  [FIELD_JSON] = { "report", "Report", TR_COLUMN_LONG, TRUE },
  [FIELD_VIA] = { "received_via", "Received via", TR_COLUMN_TEXT },
  [FIELD_CLIENT] = { "client_address", "Client address", TR_COLUMN_TEXT },
  [FIELD_WARNINGS] = { "warnings", "Warnings", TR_COLUMN_NESTED },
  [FIELD_POLICIES] = { "policies", "Policies", TR_COLUMN_NESTED },
  [FIELD_INPUT] = { "input", "Input", TR_COLUMN_TEXT },
  [FIELD_SIZE] = { "message_size", "Size", TR_COLUMN_NUMBER },
  [FIELD_USABLE] = { "usable", "Usable", TR_COLUMN_TEXT },
  [FIELD_REASON] = { "reason", "Reason", TR_COLUMN_TEXT },
  [FIELD_REPORTS] = { "reports", "Reports", TR_COLUMN_NESTED },
  [FIELD_RESULT_TYPES] = { "result_types", "Result types", TR_COLUMN_NESTED },
};

/* columns_of - the columns of @fields (@n of them), filled into @columns (static, of the same
 * length) the first time: the printer keeps a table's columns until the document ends */
static const TrColumn *
columns_of (TrColumn *columns, const Field *fields, guint n)
{
  if (columns[0].name == NULL)
    for (guint i = 0; i < n; i++)
      columns[i] = field_columns[fields[i]];
  return columns;
}

static const Field show_fields[] = {
  FIELD_ROW,           FIELD_REPORTER,      FIELD_REPORT_ID,   FIELD_SYNTHESIZED,
  FIELD_ORGANIZATION,  FIELD_CONTACT,       FIELD_START,       FIELD_END,
  FIELD_DAY,           FIELD_MESSAGE_ID,    FIELD_SUBJECT,     FIELD_FROM,
  FIELD_DATE,          FIELD_REPORT_DOMAIN, FIELD_SUBMITTER,   FIELD_RECEIVED,
  FIELD_LAST_RECEIVED, FIELD_DELIVERIES,    FIELD_DKIM_RESULT, FIELD_DKIM_DOMAIN,
  FIELD_DKIM_ALIGNED,  FIELD_CONFLICTS,     FIELD_JSON,        FIELD_VIA,
  FIELD_CLIENT,        FIELD_WARNINGS,      FIELD_POLICIES,
};
static TrColumn show_columns[G_N_ELEMENTS (show_fields)];

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

/* print_warnings - the warnings of @r, as a table */
static void
print_warnings (TrPrinter *p, const TrReport *r)
{
  tr_printer_begin_table (p, warning_columns, G_N_ELEMENTS (warning_columns));
  for (guint i = 0; i < r->warnings->len; i++)
    {
      const TrWarning *w = g_ptr_array_index (r->warnings, i);

      tr_printer_field_str (p, w->code);
      tr_printer_field_str (p, w->text);
      tr_printer_end_row (p);
    }
  tr_printer_close (p);
}

/* print_policies - the policies of @r, as a list */
static void
print_policies (TrPrinter *p, const TrReport *r)
{
  tr_printer_begin_list (p);
  for (guint i = 0; i < r->policies->len; i++)
    print_policy (p, g_ptr_array_index (r->policies, i));
  tr_printer_close (p);
}

/* What the fields are read from. */
typedef struct
{
  const TrReport *report;       /* NULL: the mail facts only */
  const TrMailInfo *info;       /* its mail facts */
  const TrStoredReport *stored; /* what the database adds, or NULL (inspect) */
} Source;

/* trust_text - the verdict on @r's DKIM signature in words (trust.c judged it) */
static char *
trust_text (const TrReport *r)
{
  const char *d = r->dkim_domain ? r->dkim_domain : "an unnamed domain";

  if (r->dkim_result == NULL)
    return g_strdup ("not judged: no trusted-authserv-id is configured");
  if (strcmp (r->dkim_result, "none") == 0)
    return g_strdup ("not authenticated: no DKIM result from a trusted host");
  if (strcmp (r->dkim_result, "pass") != 0)
    return g_strdup_printf ("not authenticated: dkim=%s (%s)", r->dkim_result, d);
  if (r->dkim_aligned == 1)
    return g_strdup_printf ("authenticated: dkim=pass by %s, aligned with the reporter %s", d,
                            r->reporter_key);
  return g_strdup_printf ("not authenticated: signed by %s, not aligned with the reporter %s", d,
                          r->reporter_key);
}

/* print_json - the report's JSON text as it came, and its compact form */
static void
print_json (TrPrinter *p, const TrReport *r)
{
  g_autofree char *json
      = g_strndup (g_bytes_get_data (r->raw_json, NULL), g_bytes_get_size (r->raw_json));
  g_autofree char *compact = tr_decode_json_compact (r->raw_json);

  tr_printer_json (p, json, compact);
}

/* Whose member a string field is. */
typedef enum
{
  OF_REPORT,
  OF_MAIL,
  OF_STORED,
} Owner;

/* The fields that are a string member of the report, its mail facts or its stored row. */
static const struct
{
  Field field;
  Owner owner;
  gsize offset;
} string_fields[] = {
  { FIELD_REPORTER, OF_REPORT, G_STRUCT_OFFSET (TrReport, reporter_key) },
  { FIELD_REPORT_ID, OF_REPORT, G_STRUCT_OFFSET (TrReport, report_id) },
  { FIELD_ORGANIZATION, OF_REPORT, G_STRUCT_OFFSET (TrReport, organization_name) },
  { FIELD_CONTACT, OF_REPORT, G_STRUCT_OFFSET (TrReport, contact_info) },
  { FIELD_START, OF_REPORT, G_STRUCT_OFFSET (TrReport, start_datetime) },
  { FIELD_END, OF_REPORT, G_STRUCT_OFFSET (TrReport, end_datetime) },
  { FIELD_DAY, OF_REPORT, G_STRUCT_OFFSET (TrReport, report_day) },
  { FIELD_DKIM_RESULT, OF_REPORT, G_STRUCT_OFFSET (TrReport, dkim_result) },
  { FIELD_DKIM_DOMAIN, OF_REPORT, G_STRUCT_OFFSET (TrReport, dkim_domain) },
  { FIELD_MESSAGE_ID, OF_MAIL, G_STRUCT_OFFSET (TrMailInfo, message_id) },
  { FIELD_SUBJECT, OF_MAIL, G_STRUCT_OFFSET (TrMailInfo, subject) },
  { FIELD_FROM, OF_MAIL, G_STRUCT_OFFSET (TrMailInfo, from) },
  { FIELD_DATE, OF_MAIL, G_STRUCT_OFFSET (TrMailInfo, date) },
  { FIELD_REPORT_DOMAIN, OF_MAIL, G_STRUCT_OFFSET (TrMailInfo, tls_report_domain) },
  { FIELD_SUBMITTER, OF_MAIL, G_STRUCT_OFFSET (TrMailInfo, tls_report_submitter) },
  { FIELD_RECEIVED, OF_STORED, G_STRUCT_OFFSET (TrStoredReport, received_at) },
  { FIELD_LAST_RECEIVED, OF_STORED, G_STRUCT_OFFSET (TrStoredReport, last_received_at) },
  { FIELD_VIA, OF_STORED, G_STRUCT_OFFSET (TrStoredReport, received_via) },
  { FIELD_CLIENT, OF_STORED, G_STRUCT_OFFSET (TrStoredReport, client_address) },
};

/* print_string_value - a field that is a string member (null when its owner is absent); FALSE
 * if @field is not one */
static gboolean
print_string_value (TrPrinter *p, Field field, const Source *src)
{
  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    if (string_fields[i].field == field)
      {
        const void *owner = string_fields[i].owner == OF_REPORT ? (const void *) src->report
                            : string_fields[i].owner == OF_MAIL ? (const void *) src->info
                                                                : (const void *) src->stored;

        tr_printer_str (p, owner ? G_STRUCT_MEMBER (const char *, owner, string_fields[i].offset)
                                 : NULL);
        return TRUE;
      }
  return FALSE;
}

/* print_report_value - a field of the report that is not a string member */
static void
print_report_value (TrPrinter *p, Field field, const TrReport *r)
{
  g_autofree char *text = NULL;

  switch (field)
    {
      case FIELD_SYNTHESIZED:
        tr_printer_bool (p, r->report_id_synthesized);
        break;
      case FIELD_DKIM_ALIGNED:
        if (r->dkim_aligned < 0)
          tr_printer_null (p);
        else
          tr_printer_bool (p, r->dkim_aligned == 1);
        break;
      case FIELD_TRUST:
        text = trust_text (r);
        tr_printer_str (p, text);
        break;
      case FIELD_JSON:
        print_json (p, r);
        break;
      case FIELD_WARNINGS:
        print_warnings (p, r);
        break;
      case FIELD_POLICIES:
      default:
        print_policies (p, r);
        break;
    }
}

/* print_stored_value - a field of the stored row that is not a string member */
static void
print_stored_value (TrPrinter *p, Field field, const TrStoredReport *stored)
{
  g_autofree char *conflicts = NULL;

  switch (field)
    {
      case FIELD_ROW:
        tr_printer_int (p, stored->row);
        break;
      case FIELD_DELIVERIES:
        tr_printer_int (p, stored->deliveries);
        break;
      case FIELD_CONFLICTS:
      default:
        conflicts = conflicts_text (stored);
        tr_printer_str (p, conflicts);
        break;
    }
}

/* print_fields - the members @fields (@n of them) of @src: the fields of the current row
 * (@as_row), else members of the current map, where text leaves out what it hides in a row */
static void
print_fields (TrPrinter *p, const Field *fields, guint n, gboolean as_row, const Source *src)
{
  for (guint i = 0; i < n; i++)
    {
      const TrColumn *column = &field_columns[fields[i]];

      if (!as_row && column->text_hidden && tr_printer_for_people (p))
        continue;
      if (as_row)
        tr_printer_field (p);
      else
        tr_printer_key (p, column->name, column->title);
      if (print_string_value (p, fields[i], src))
        continue;
      if (fields[i] == FIELD_ROW || fields[i] == FIELD_DELIVERIES || fields[i] == FIELD_CONFLICTS)
        {
          if (src->stored != NULL)
            print_stored_value (p, fields[i], src->stored);
          else
            tr_printer_null (p);
        }
      else if (src->report != NULL)
        print_report_value (p, fields[i], src->report);
      else
        tr_printer_null (p);
    }
}

/* on_stored - one report, one row */
static gboolean
on_stored (TrStoredReport *stored, gpointer data, GError **error)
{
  g_autoptr (TrStoredReport) owned = stored;
  Show *show = data;
  Source src = { stored->report, stored->info, stored };

  print_fields (show->printer, show_fields, G_N_ELEMENTS (show_fields), TRUE, &src);
  tr_printer_end_row (show->printer);
  show->found++;
  return TRUE;
}

/* tr_query_show - the stored reports named @which */
gboolean
tr_query_show (TrStore *store, const char *which, TrPrinter *printer, guint *found, GError **error)
{
  Show show = { printer, 0 };

  tr_printer_begin_listing (printer, "report",
                            columns_of (show_columns, show_fields, G_N_ELEMENTS (show_fields)),
                            G_N_ELEMENTS (show_fields));
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

/* --- inspect: the reports of a message that was never stored ----------------------------- */

/* A message: these fields in this order (tr_query_inspect_message), the mail facts from
 * INSPECT_MAIL on */
static const Field inspect_fields[] = {
  FIELD_INPUT,         FIELD_SIZE,      FIELD_USABLE,  FIELD_REASON,
  FIELD_MESSAGE_ID,    FIELD_SUBJECT,   FIELD_FROM,    FIELD_DATE,
  FIELD_REPORT_DOMAIN, FIELD_SUBMITTER, FIELD_REPORTS, FIELD_RESULT_TYPES,
};
#define INSPECT_MAIL 4
#define INSPECT_MAIL_FIELDS 6
G_STATIC_ASSERT (G_N_ELEMENTS (inspect_fields) == INSPECT_MAIL + INSPECT_MAIL_FIELDS + 2);
static TrColumn inspect_columns[G_N_ELEMENTS (inspect_fields)];

/* A report of a message: the fields of show that the database does not add, and trust. */
static const Field report_fields[] = {
  FIELD_REPORTER,     FIELD_REPORT_ID, FIELD_SYNTHESIZED, FIELD_ORGANIZATION, FIELD_CONTACT,
  FIELD_START,        FIELD_END,       FIELD_DAY,         FIELD_DKIM_RESULT,  FIELD_DKIM_DOMAIN,
  FIELD_DKIM_ALIGNED, FIELD_TRUST,     FIELD_JSON,        FIELD_WARNINGS,     FIELD_POLICIES,
};

static const TrColumn type_columns[] = {
  { "result_type", "RESULT TYPE", TR_COLUMN_TEXT },
  { "category", "CATEGORY", TR_COLUMN_TEXT, TRUE },
  { "summary", "IN SHORT", TR_COLUMN_LONG },
  { "meaning", "MEANING", TR_COLUMN_LONG, TRUE },
};

/* TYPES_EXPLAINED - result types explained per message, at most */
#define TYPES_EXPLAINED 64

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* print_result_types - what the result types of @reports' failure details mean (explain.c) */
static void
print_result_types (TrPrinter *p, const GPtrArray *reports)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree const char **types = NULL;
  guint n = 0;

  for (guint i = 0; reports != NULL && i < reports->len; i++)
    {
      const TrReport *r = g_ptr_array_index (reports, i);

      for (guint j = 0; j < r->policies->len; j++)
        {
          const TrPolicy *policy = g_ptr_array_index (r->policies, j);

          for (guint k = 0; k < policy->failures->len; k++)
            {
              const TrFailure *f = g_ptr_array_index (policy->failures, k);

              if (f->result_type != NULL && g_hash_table_size (seen) < TYPES_EXPLAINED)
                g_hash_table_add (seen, f->result_type);
            }
        }
    }
  types = (const char **) g_hash_table_get_keys_as_array (seen, &n);
  qsort (types, n, sizeof *types, compare_strings);
  tr_printer_begin_table (p, type_columns, G_N_ELEMENTS (type_columns));
  for (guint i = 0; i < n; i++)
    {
      const TrExplanation *e = tr_explain_lookup (types[i]);

      tr_printer_field_str (p, e->result_type ? e->result_type : types[i]);
      tr_printer_field_str (p, e->category);
      tr_printer_field_str (p, e->short_form);
      tr_printer_field_str (p, e->meaning);
      tr_printer_end_row (p);
    }
  tr_printer_close (p);
}

/* tr_query_inspect_begin - the document of inspect: one row per message */
void
tr_query_inspect_begin (TrPrinter *printer)
{
  tr_printer_set_vertical (printer, TRUE);
  tr_printer_begin_listing (
      printer, "inspect",
      columns_of (inspect_columns, inspect_fields, G_N_ELEMENTS (inspect_fields)),
      G_N_ELEMENTS (inspect_fields));
}

/* tr_query_inspect_message - one message: what ingest would store of it, and why not */
void
tr_query_inspect_message (TrPrinter *printer, const TrInspected *message)
{
  TrPrinter *p = printer;
  Source mail = { NULL, message->info, NULL };

  tr_printer_field_str (p, message->input);
  tr_printer_field_int (p, (gint64) MIN (message->size, (guint64) G_MAXINT64));
  tr_printer_field (p);
  tr_printer_bool (p, message->reason == NULL);
  tr_printer_field_str (p, message->reason);
  print_fields (p, inspect_fields + INSPECT_MAIL, INSPECT_MAIL_FIELDS, TRUE, &mail);
  tr_printer_field (p);
  tr_printer_begin_list (p);
  for (guint i = 0; message->reports != NULL && i < message->reports->len; i++)
    {
      Source src = { g_ptr_array_index (message->reports, i), message->info, NULL };

      tr_printer_begin_map (p);
      print_fields (p, report_fields, G_N_ELEMENTS (report_fields), FALSE, &src);
      tr_printer_close (p);
    }
  tr_printer_close (p);
  tr_printer_field (p);
  print_result_types (p, message->reports);
  tr_printer_end_row (p);
}
