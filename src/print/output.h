/* output.h - printers for the listings of query, show and explain: text, JSON and CSV
 *
 * Command code describes a listing (its kind and columns) and then feeds it field by field,
 * row by row; it never prints itself (notmuch sprinter.h).  Every string may hold any bytes:
 * invalid UTF-8 becomes U+FFFD in every format, JSON escapes control characters, CSV quotes
 * (RFC 4180, CRLF), text shows control characters escaped so that one row stays one line.
 *
 * JSON shape (version TR_OUTPUT_JSON_VERSION): {"version":1,"kind":"KIND","rows":[{...},...]}
 * with one object per row, its members named by the columns, NULL as null.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

#define TR_OUTPUT_JSON_VERSION 1

typedef enum
{
  TR_FORMAT_TEXT,
  TR_FORMAT_JSON,
  TR_FORMAT_CSV,       /* cells that start like a formula (=, +, -, @) get a leading ' */
  TR_FORMAT_CSV_EXACT, /* CSV with every value exactly as stored, for scripts */
} TrFormat;

typedef enum
{
  TR_COLUMN_TEXT,
  TR_COLUMN_NUMBER, /* right-aligned in text */
  TR_COLUMN_LONG,   /* text shown last, never truncated (reasons, JSON) */
} TrColumnKind;

typedef struct
{
  const char *name;  /* JSON member, CSV header */
  const char *title; /* text header */
  TrColumnKind kind;
  gboolean text_hidden; /* left out of text tables (still in JSON and CSV) */
} TrColumn;

typedef struct _TrPrinter TrPrinter;

/* tr_format_parse - "text", "json", "csv" or "csv-exact" (TR_ERROR_USAGE otherwise) */
gboolean tr_format_parse (const char *name, TrFormat *format, GError **error);

/* tr_printer_new - a printer writing to @out.  @width: the text width to fit (0: no limit). */
TrPrinter *tr_printer_new (TrFormat format, FILE *out, guint width);
/* tr_printer_terminal_width - the width of stdout if it is a terminal ($COLUMNS, else the
 * TIOCGWINSZ size), else 0 */
guint tr_printer_terminal_width (void);
void tr_printer_free (TrPrinter *printer);
TrFormat tr_printer_get_format (TrPrinter *printer);
/* tr_printer_set_vertical - text: "title: value" lines per field, a blank line between rows,
 * TR_COLUMN_LONG fields on lines of their own (for show) */
void tr_printer_set_vertical (TrPrinter *printer, gboolean vertical);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrPrinter, tr_printer_free)

/* tr_printer_begin_list - start the listing @kind with @columns (static, @n_columns long) */
void tr_printer_begin_list (TrPrinter *printer, const char *kind, const TrColumn *columns,
                            guint n_columns);
/* The fields of a row, in column order; @value NULL is a null. */
void tr_printer_field_str (TrPrinter *printer, const char *value);
void tr_printer_field_int (TrPrinter *printer, gint64 value);
void tr_printer_field_null (TrPrinter *printer);
/* tr_printer_field_double - a number with @decimals digits after the point */
void tr_printer_field_double (TrPrinter *printer, double value, int decimals);
/* tr_printer_field_percent - a fraction: 4 decimals in JSON and CSV, a percentage with 2
 * decimals in text ("12.50%") */
void tr_printer_field_percent (TrPrinter *printer, double fraction);
/* tr_printer_field_counts - a list of (name, count) pairs: JSON [{"NAME_KEY":..,"COUNT_KEY":..}],
 * text and CSV "name count, name count" */
void tr_printer_field_counts (TrPrinter *printer, const char *name_key, const char *count_key,
                              const char *const *names, const gint64 *counts, guint n);
/* tr_printer_field_json - a JSON text: embedded as a value in JSON if it parses (else as a
 * string), pretty-printed in text, as is in CSV */
void tr_printer_field_json (TrPrinter *printer, const char *json);
void tr_printer_end_row (TrPrinter *printer);
/* tr_printer_note - a line printed after the listing in text format only */
void tr_printer_note (TrPrinter *printer, const char *text);
/* tr_printer_end - finish the listing and flush; FALSE with TR_ERROR_TEMPORARY if writing
 * failed (e.g. a full disk; a closed pipe is not an error) */
gboolean tr_printer_end (TrPrinter *printer, GError **error);

/* Escaping helpers, exposed for the unit tests (newly allocated) */
char *tr_output_json_string (const char *value);
char *tr_output_csv_field (const char *value, gboolean guard);
char *tr_output_text_field (const char *value);
/* tr_output_text_width - the terminal columns @value (valid UTF-8) takes */
guint tr_output_text_width (const char *value);
