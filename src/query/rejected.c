/* rejected.c - query rejected and rejected show: the messages kept in `rejected`
 *
 * The messages that held no usable report (junk mailed to the public rua address, reports we
 * could not read, reports out of scope or unauthenticated) are kept in `rejected` with the
 * reason.  A listing shows their facts, newest first; show adds a message's header fields as
 * its bytes have them (the command takes them apart, mail.c), for a look before it is fed to
 * ingest again or deleted.  Every value is the sender's: each format escapes it.
 */
#include "config.h"

#include "escape.h"
#include "query.h"
#include "timespec.h"

static const TrColumn list_columns[] = {
  { "id", "ID", TR_COLUMN_NUMBER },
  { "received_at", "RECEIVED", TR_COLUMN_TEXT },
  { "deliveries", "DELIVERIES", TR_COLUMN_NUMBER },
  { "message_size", "SIZE", TR_COLUMN_NUMBER },
  { "truncated", "TRUNCATED", TR_COLUMN_TEXT },
  { "raw_dropped", "DROPPED", TR_COLUMN_TEXT, TRUE },
  { "mail_from", "FROM", TR_COLUMN_TEXT },
  { "subject", "SUBJECT", TR_COLUMN_TEXT },
  { "message_id", "MESSAGE-ID", TR_COLUMN_TEXT },
  { "reason", "REASON", TR_COLUMN_LONG },
};

static const TrColumn show_columns[] = {
  { "id", "ID", TR_COLUMN_NUMBER },
  { "received_at", "Received", TR_COLUMN_TEXT },
  { "last_received_at", "Last received", TR_COLUMN_TEXT },
  { "deliveries", "Deliveries", TR_COLUMN_NUMBER },
  { "received_via", "Received via", TR_COLUMN_TEXT },
  { "client_address", "Client address", TR_COLUMN_TEXT },
  { "message_size", "Size", TR_COLUMN_NUMBER },
  { "kept_size", "Bytes kept", TR_COLUMN_NUMBER },
  { "truncated", "Truncated", TR_COLUMN_TEXT },
  { "raw_dropped", "Dropped (budget full)", TR_COLUMN_TEXT },
  { "mail_from", "From", TR_COLUMN_TEXT },
  { "subject", "Subject", TR_COLUMN_TEXT },
  { "message_id", "Message-ID", TR_COLUMN_TEXT },
  { "reason", "Reason", TR_COLUMN_TEXT },
  { "headers", "Header fields", TR_COLUMN_NESTED },
};

static const TrColumn header_columns[] = {
  { "name", "FIELD", TR_COLUMN_TEXT },
  { "value", "VALUE", TR_COLUMN_LONG },
};

/* field_bool - the next field: a flag */
static void
field_bool (TrPrinter *printer, gboolean value)
{
  tr_printer_field (printer);
  tr_printer_bool (printer, value);
}

typedef struct
{
  TrPrinter *printer;
  guint64 rows;
} Listing;

/* on_listed - one message, one row */
static gboolean
on_listed (const TrRejectedRow *row, gpointer data, GError **error)
{
  Listing *listing = data;
  TrPrinter *p = listing->printer;

  tr_printer_field_int (p, row->id);
  tr_printer_field_str (p, row->received_at);
  tr_printer_field_int (p, row->deliveries);
  tr_printer_field_int (p, (gint64) MIN (row->message_size, (guint64) G_MAXINT64));
  field_bool (p, row->truncated);
  field_bool (p, row->raw_dropped);
  tr_printer_field_str (p, row->mail_from);
  tr_printer_field_str (p, row->subject);
  tr_printer_field_str (p, row->message_id);
  tr_printer_field_str (p, row->reason);
  tr_printer_end_row (p);
  listing->rows++;
  return TRUE;
}

/* tr_query_rejected - the messages in `rejected`, newest first */
gboolean
tr_query_rejected (TrStore *store, const TrRejectedFilter *filter, TrPrinter *printer,
                   GError **error)
{
  Listing listing = { printer, 0 };

  tr_printer_begin_listing (printer, "rejected", list_columns, G_N_ELEMENTS (list_columns));
  if (!tr_store_each_rejected (store, filter, on_listed, &listing, error))
    return FALSE;
  if (listing.rows > 0)
    {
      tr_printer_note (printer, "tlsrptdb rejected show ID: a message's header and facts; "
                                "tlsrptdb rejected raw ID >FILE: the message as received");
      tr_printer_note (printer, "Fed again after a fix: tlsrptdb rejected raw ID | tlsrptdb "
                                "ingest, or tlsrptdb reprocess for all of them");
    }
  return tr_printer_end (printer, error);
}

/* tr_query_rejected_begin_show - the document of rejected show: blocks, one per message */
void
tr_query_rejected_begin_show (TrPrinter *printer)
{
  tr_printer_set_vertical (printer, TRUE);
  tr_printer_begin_listing (printer, "rejected_message", show_columns, G_N_ELEMENTS (show_columns));
}

/* print_headers - the header fields (pairs of name and value) as a table */
static void
print_headers (TrPrinter *p, const GPtrArray *headers)
{
  tr_printer_field (p);
  tr_printer_begin_table (p, header_columns, G_N_ELEMENTS (header_columns));
  for (guint i = 0; headers != NULL && i + 1 < headers->len; i += 2)
    {
      tr_printer_field_str (p, g_ptr_array_index (headers, i));
      tr_printer_field_str (p, g_ptr_array_index (headers, i + 1));
      tr_printer_end_row (p);
    }
  tr_printer_close (p);
}

/* tr_query_rejected_show_row - one message of `rejected`, with its header fields */
void
tr_query_rejected_show_row (TrPrinter *printer, const TrRejectedRow *row, const GPtrArray *headers,
                            guint headers_left_out)
{
  TrPrinter *p = printer;

  tr_printer_field_int (p, row->id);
  tr_printer_field_str (p, row->received_at);
  tr_printer_field_str (p, row->last_received_at);
  tr_printer_field_int (p, row->deliveries);
  tr_printer_field_str (p, row->received_via);
  tr_printer_field_str (p, row->client_address);
  tr_printer_field_int (p, (gint64) MIN (row->message_size, (guint64) G_MAXINT64));
  tr_printer_field_int (p, (gint64) MIN (row->kept_size, (guint64) G_MAXINT64));
  field_bool (p, row->truncated);
  field_bool (p, row->raw_dropped);
  tr_printer_field_str (p, row->mail_from);
  tr_printer_field_str (p, row->subject);
  tr_printer_field_str (p, row->message_id);
  tr_printer_field_str (p, row->reason);
  print_headers (p, headers);
  tr_printer_end_row (p);
  if (headers_left_out > 0)
    {
      g_autofree char *note
          = g_strdup_printf ("message %" G_GINT64_FORMAT ": %u more header fields not shown "
                             "(tlsrptdb rejected raw %" G_GINT64_FORMAT " has them all)",
                             row->id, headers_left_out, row->id);
      tr_printer_note (p, note);
    }
}

/* tr_query_rejected_note - for people: a note when messages received from @since_day to
 * @until_day (either NULL: open) are kept in `rejected` */
gboolean
tr_query_rejected_note (TrStore *store, const char *since_day, const char *until_day,
                        TrPrinter *printer, GError **error)
{
  TrRejectedFilter filter = TR_REJECTED_FILTER_INIT;
  g_autoptr (GString) when = g_string_new (NULL);
  g_autoptr (GString) options = g_string_new (NULL);
  g_autofree char *note = NULL;
  gint64 count = 0, bytes = 0;

  if (!tr_printer_for_people (printer))
    return TRUE;
  filter.since_day = (char *) since_day;
  filter.until_day = (char *) until_day;
  if (!tr_store_count_rejected (store, &filter, &count, &bytes, error))
    return FALSE;
  if (count == 0)
    return TRUE;
  if (since_day != NULL)
    {
      g_string_append_printf (when, " since %s", since_day);
      g_string_append_printf (options, " --since %s", since_day);
    }
  if (until_day != NULL)
    {
      g_string_append_printf (when, " until %s", until_day);
      g_string_append_printf (options, " --until %s", until_day);
    }
  note = g_strdup_printf ("Also %" G_GINT64_FORMAT " message%s received%s held no usable report "
                          "and %s kept in `rejected`: tlsrptdb query rejected%s",
                          count, count == 1 ? "" : "s", when->str, count == 1 ? "is" : "are",
                          options->str);
  tr_printer_note (printer, note);
  return TRUE;
}

/* tr_query_rejected_filter - @filter from the options --since, --until, --reason and --from
 * (each NULL when not given), checked; times count back from @now */
gboolean
tr_query_rejected_filter (TrRejectedFilter *filter, const char *since, const char *until,
                          const char *reason, const char *from, GDateTime *now, GError **error)
{
  if ((reason != NULL && !tr_query_check_value ("--reason", reason, FALSE, error))
      || (from != NULL && !tr_query_check_value ("--from", from, FALSE, error)))
    return FALSE;
  filter->reason = reason ? g_ascii_strdown (reason, -1) : NULL;
  filter->from = from ? g_ascii_strdown (from, -1) : NULL;
  return (since == NULL || (filter->since_day = tr_time_parse_day ("--since", since, now, error)))
         && (until == NULL
             || (filter->until_day = tr_time_parse_day ("--until", until, now, error)));
}
