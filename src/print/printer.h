/* printer.h - what query, show and explain print, described once and written by one class per
 * format (print-text.c, print-json.c, print-csv.c; printer-class.h is what a class implements)
 *
 * As with notmuch's sprinter, the caller describes a document and never prints itself: a kind,
 * then maps, lists and tables (lists of rows with known columns), down to scalars.  Every string
 * may hold any bytes: every format first makes invalid UTF-8 valid (U+FFFD); text escapes control
 * and bidi characters so that one value stays on its line (doc/design.md, "Escaping"), JSON
 * escapes what JSON must, CSV quotes (RFC 4180, CRLF) and guards formulas.
 *
 * JSON (version TR_PRINTER_JSON_VERSION): {"version":2,"kind":"KIND","rows":[{...},...]}, one
 * member per column, NULL as null, one row per line.  CSV prints the tables only: a header of
 * the column names, then one line per row; a nested value is one cell (its text form, or JSON
 * for TR_COLUMN_NESTED).  Text prints a table aligned to the terminal width, or as "Title: value"
 * blocks (tr_printer_set_vertical, and nested maps), with notes after it.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

#define TR_PRINTER_JSON_VERSION 2

typedef enum
{
  TR_COLUMN_TEXT,
  TR_COLUMN_NUMBER, /* right-aligned in text */
  TR_COLUMN_LONG,   /* text shown last and never cut; on lines of its own in a block */
  TR_COLUMN_NESTED, /* a map, list or table: a block in text, a JSON cell in CSV */
} TrColumnKind;

/* How a text table that is too wide for the terminal treats a column: key columns (the day, the
 * domain, the result type) are never cut; normal ones are cut (with "~"); low ones are cut
 * first and then left out (a note says which).  Numbers are never cut. */
typedef enum
{
  TR_FIT_NORMAL,
  TR_FIT_KEY,
  TR_FIT_LOW,
} TrColumnFit;

typedef struct
{
  const char *name;  /* JSON member, CSV header */
  const char *title; /* text header */
  TrColumnKind kind;
  gboolean text_hidden; /* left out of text (still in JSON and CSV) */
  TrColumnFit fit;
} TrColumn;

typedef struct _TrPrinter TrPrinter;

/* tr_printer_new - a printer of the format @name ("text", "json", "csv", "csv-exact") writing
 * to @out; @width is the text width to fit (0: no limit).  TR_ERROR_USAGE for another name. */
TrPrinter *tr_printer_new (const char *name, FILE *out, guint width, GError **error);
/* TR_PRINTER_FORMATS - the names, for help texts */
#define TR_PRINTER_FORMATS "text (default), json, csv, csv-exact"
/* tr_printer_format_name - the name of the @i-th format, NULL past the last (completion) */
const char *tr_printer_format_name (guint i);
/* tr_printer_terminal_width - the width of stdout if it is a terminal ($COLUMNS, else the
 * TIOCGWINSZ size), else 0 */
guint tr_printer_terminal_width (void);
void tr_printer_free (TrPrinter *printer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrPrinter, tr_printer_free)
/* tr_printer_for_people - whether the format is read by people (text), who want less of a long
 * list than a script does */
gboolean tr_printer_for_people (TrPrinter *printer);
/* tr_printer_set_vertical - text: the rows of the top table as "Title: value" blocks */
void tr_printer_set_vertical (TrPrinter *printer, gboolean vertical);
/* tr_printer_set_width - text: the width to fit (0: none, as --wide asks) */
void tr_printer_set_width (TrPrinter *printer, guint width);
/* tr_printer_is_flat - whether the format has rows of cells only (CSV), so that a listing that
 * nests a list in a row should rather print a row per item */
gboolean tr_printer_is_flat (TrPrinter *printer);
/* tr_printer_rows - the rows of the top table printed so far */
guint tr_printer_rows (TrPrinter *printer);

/* --- the document ------------------------------------------------------------------------- */

/* tr_printer_begin - begin the document @kind; its members follow as keys and values */
void tr_printer_begin (TrPrinter *printer, const char *kind);
/* tr_printer_begin_listing - begin the document @kind and its table "rows" */
void tr_printer_begin_listing (TrPrinter *printer, const char *kind, const TrColumn *columns,
                               guint n_columns);
/* tr_printer_note - a line printed after the document in text only, when the output is a
 * terminal (a person reads it) and a table had rows */
void tr_printer_note (TrPrinter *printer, const char *text);
/* tr_printer_end - close what is open, end the document and flush; FALSE with
 * TR_ERROR_TEMPORARY if writing failed (e.g. a full disk; a closed pipe is not an error) */
gboolean tr_printer_end (TrPrinter *printer, GError **error);
/* tr_printer_flush_file - flush @out, which a command wrote without a printer: the same errors */
gboolean tr_printer_flush_file (FILE *out, GError **error);

/* --- structure ---------------------------------------------------------------------------- */

/* tr_printer_key - the next member of a map (or of the document): its name and text title */
void tr_printer_key (TrPrinter *printer, const char *name, const char *title);
void tr_printer_begin_map (TrPrinter *printer);
void tr_printer_begin_list (TrPrinter *printer);
/* tr_printer_begin_table - a list of rows, each with the fields of @columns (static) in order */
void tr_printer_begin_table (TrPrinter *printer, const TrColumn *columns, guint n_columns);
/* tr_printer_close - end the innermost map, list or table */
void tr_printer_close (TrPrinter *printer);
/* tr_printer_field - the next field of the current row: a value, map, list or table follows
 * (a row begins with its first field) */
void tr_printer_field (TrPrinter *printer);
/* tr_printer_end_row - end the row; fields not given are null */
void tr_printer_end_row (TrPrinter *printer);

/* --- values: after a key or a field, or in a list ---------------------------------------- */

void tr_printer_str (TrPrinter *printer, const char *value); /* NULL: null */
void tr_printer_int (TrPrinter *printer, gint64 value);
void tr_printer_null (TrPrinter *printer);
void tr_printer_bool (TrPrinter *printer, gboolean value);
/* tr_printer_double - a number with @decimals digits after the point */
void tr_printer_double (TrPrinter *printer, double value, int decimals);
/* tr_printer_percent - a fraction: 4 decimals in JSON and CSV, a percentage with 2 decimals in
 * text ("12.50%") */
void tr_printer_percent (TrPrinter *printer, double fraction);
/* tr_printer_lines - the program's own multi-line text: one string in JSON and CSV, its lines
 * in text (never a sender's text: that is tr_printer_str) */
void tr_printer_lines (TrPrinter *printer, const char *text);
/* tr_printer_json - a JSON text as stored (@text, any bytes; NULL: null) and its compact form
 * as decode.c writes it (@compact, known to be valid JSON, or NULL when it is not JSON): JSON
 * embeds @compact (else @text as a string), the others print @text */
void tr_printer_json (TrPrinter *printer, const char *text, const char *compact);

/* Shorthands for a row: the next field and its value. */
void tr_printer_field_str (TrPrinter *printer, const char *value);
void tr_printer_field_int (TrPrinter *printer, gint64 value);
void tr_printer_field_null (TrPrinter *printer);
void tr_printer_field_percent (TrPrinter *printer, double fraction);
void tr_printer_field_lines (TrPrinter *printer, const char *text);
void tr_printer_field_json (TrPrinter *printer, const char *text, const char *compact);
/* tr_printer_field_counts - (name, count) pairs: JSON [{"NAME_KEY":..,"COUNT_KEY":..}], text and
 * CSV "name count, name count" */
void tr_printer_field_counts (TrPrinter *printer, const char *name_key, const char *count_key,
                              const char *const *names, const gint64 *counts, guint n);
