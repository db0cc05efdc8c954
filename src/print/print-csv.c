/* print-csv.c - the CSV printer (RFC 4180): the tables of a document, a header line of the column
 * names and one CRLF line per row; what lies outside a table is not printed
 *
 * A field holding a map or list is one cell: JSON for a TR_COLUMN_NESTED column, else the text
 * form ("name count, name count": list items joined by ", ", map values by " ").  The "csv"
 * format guards cells that a spreadsheet would evaluate (OWASP, "CSV Injection"); "csv-exact"
 * keeps every value as stored, for scripts.
 */
#include "config.h"

#include <string.h>

#include "printer-class.h"

typedef struct
{
  GString *line; /* the row being written */
  GString *cell; /* the field being written */
  TrColumnKind cell_kind;
  gboolean cell_null; /* the field is null so far */
} Csv;

/* is_formula - whether a spreadsheet would take a cell starting with @value for a formula
 * (OWASP: =, +, -, @, TAB and CR) */
static gboolean
is_formula (const char *value)
{
  return value[0] != '\0' && strchr ("=+-@\t\r", value[0]) != NULL;
}

/* append_field - @value as an RFC 4180 field: quoted when it holds , " CR LF or other control
 * characters (or spaces at either end), quotes doubled; with @guard, a leading ' if a spreadsheet
 * would evaluate it */
static void
append_field (GString *s, const char *value, gboolean guard)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);
  gboolean formula = guard && is_formula (valid);
  gboolean quote
      = formula || valid[0] == ' ' || (valid[0] != '\0' && valid[strlen (valid) - 1] == ' ');

  for (const char *p = valid; *p != '\0' && !quote; p++)
    if (*p == ',' || *p == '"' || (guchar) *p < 0x20 || *p == 0x7f)
      quote = TRUE;
  if (!quote)
    {
      g_string_append (s, valid);
      return;
    }
  g_string_append_c (s, '"');
  if (formula)
    g_string_append_c (s, '\'');
  for (const char *p = valid; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

/* tr_print_csv_field - @value as an RFC 4180 field, newly allocated */
char *
tr_print_csv_field (const char *value, gboolean guard)
{
  GString *s = g_string_new (NULL);

  append_field (s, value, guard);
  return g_string_free (s, FALSE);
}

static Csv *
csv (TrPrinter *printer)
{
  return printer->state;
}

static void
csv_init (TrPrinter *printer)
{
  Csv *c = g_new0 (Csv, 1);

  c->line = g_string_new (NULL);
  c->cell = g_string_new (NULL);
  printer->state = c;
}

static void
csv_finalize (TrPrinter *printer)
{
  g_string_free (csv (printer)->line, TRUE);
  g_string_free (csv (printer)->cell, TRUE);
  g_free (csv (printer));
}

static void
csv_begin_document (TrPrinter *printer, const char *kind)
{
}

/* in_table - whether the frame on top is in a table of the document, or is one */
static gboolean
in_table (TrPrinter *printer)
{
  return tr_printer_depth (printer) >= 2
         && g_array_index (printer->frames, TrFrame, 1).kind == TR_FRAME_TABLE;
}

/* in_cell - whether what comes goes into a field's cell */
static gboolean
in_cell (TrPrinter *printer)
{
  return in_table (printer) && tr_printer_depth (printer) >= 3;
}

/* end_cell - the field written, as a field of the line */
static void
end_cell (TrPrinter *printer)
{
  Csv *c = csv (printer);

  if (!c->cell_null)
    append_field (c->line, c->cell->str, printer->csv_guard);
  g_string_truncate (c->cell, 0);
}

/* separate - what goes before an item in a cell: JSON commas, or the text form's separators */
static void
separate (TrPrinter *printer)
{
  TrFrame *top = tr_printer_top (printer);
  Csv *c = csv (printer);

  c->cell_null = FALSE;
  if (tr_printer_depth (printer) == 3 || top->n_items == 0
      || (top->kind != TR_FRAME_LIST && top->kind != TR_FRAME_TABLE))
    return; /* the first item, or a member whose key wrote the separator */
  g_string_append (c->cell, c->cell_kind == TR_COLUMN_NESTED ? "," : ", ");
}

static void
csv_key (TrPrinter *printer, const char *name, const char *title, TrColumnKind kind)
{
  Csv *c = csv (printer);

  if (!in_cell (printer))
    return;
  if (tr_printer_depth (printer) == 3) /* a field of a row */
    {
      if (tr_printer_top (printer)->n_items > 0)
        {
          end_cell (printer);
          g_string_append_c (c->line, ',');
        }
      c->cell_kind = kind;
      c->cell_null = TRUE;
      return;
    }
  if (c->cell_kind == TR_COLUMN_NESTED)
    {
      if (tr_printer_top (printer)->n_items > 0)
        g_string_append_c (c->cell, ',');
      tr_print_json_append_string (c->cell, name);
      g_string_append_c (c->cell, ':');
    }
  else if (tr_printer_top (printer)->n_items > 0)
    g_string_append_c (c->cell, ' ');
}

/* open - a map or list in a cell */
static void
open_nested (TrPrinter *printer, char bracket)
{
  if (!in_cell (printer))
    return;
  separate (printer);
  if (csv (printer)->cell_kind == TR_COLUMN_NESTED)
    g_string_append_c (csv (printer)->cell, bracket);
}

static void
csv_begin_map (TrPrinter *printer)
{
  open_nested (printer, '{');
}

static void
csv_begin_list (TrPrinter *printer)
{
  open_nested (printer, '[');
}

/* csv_begin_table - the header line of a table of the document, or a list in a cell */
static void
csv_begin_table (TrPrinter *printer, const TrColumn *columns, guint n_columns)
{
  Csv *c = csv (printer);

  if (tr_printer_depth (printer) != 1)
    {
      open_nested (printer, '[');
      return;
    }
  g_string_truncate (c->line, 0);
  for (guint i = 0; i < n_columns; i++)
    {
      if (i > 0)
        g_string_append_c (c->line, ',');
      append_field (c->line, columns[i].name, FALSE);
    }
  g_string_append (c->line, "\r\n");
  fputs (c->line->str, printer->out);
}

static void
csv_begin_row (TrPrinter *printer)
{
  if (tr_printer_depth (printer) == 2)
    g_string_truncate (csv (printer)->line, 0);
  else
    open_nested (printer, '{');
}

static void
csv_end (TrPrinter *printer)
{
  TrFrame *top = tr_printer_top (printer);
  Csv *c = csv (printer);

  if (!in_cell (printer))
    return;
  if (tr_printer_depth (printer) == 3) /* the end of a row of the table */
    {
      if (top->n_items > 0)
        end_cell (printer);
      g_string_append (c->line, "\r\n");
      fputs (c->line->str, printer->out);
      return;
    }
  if (c->cell_kind == TR_COLUMN_NESTED)
    g_string_append_c (c->cell,
                       top->kind == TR_FRAME_LIST || top->kind == TR_FRAME_TABLE ? ']' : '}');
}

static void
csv_scalar (TrPrinter *printer, const TrScalar *value)
{
  Csv *c = csv (printer);
  g_autofree char *number = NULL;

  if (!in_cell (printer))
    return;
  if (value->kind == TR_SCALAR_NULL && tr_printer_depth (printer) == 3)
    return; /* a null field: an empty cell */
  separate (printer);
  if (c->cell_kind == TR_COLUMN_NESTED && tr_printer_depth (printer) > 3)
    tr_print_json_append_scalar (c->cell, value);
  else if (value->kind == TR_SCALAR_STRING || value->kind == TR_SCALAR_LINES
           || value->kind == TR_SCALAR_JSON)
    g_string_append (c->cell, value->str);
  else if ((number = tr_print_format_number (value, FALSE)) != NULL)
    g_string_append (c->cell, number);
}

const TrPrinterClass tr_print_csv_class = {
  .init = csv_init,
  .finalize = csv_finalize,
  .begin_document = csv_begin_document,
  .key = csv_key,
  .begin_map = csv_begin_map,
  .begin_list = csv_begin_list,
  .begin_table = csv_begin_table,
  .begin_row = csv_begin_row,
  .end = csv_end,
  .scalar = csv_scalar,
};
