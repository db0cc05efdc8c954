/* output.c - printers for listings: aligned text, one JSON document, RFC 4180 CSV
 *
 * Text is buffered (up to TEXT_BATCH rows at a time) to compute the column widths; the others
 * stream.  All three make invalid UTF-8 valid first (U+FFFD), so that whatever bytes a report
 * held, the output is well-formed in its format.
 */
#include "config.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "error.h"
#include "escape.h"
#include "output.h"

#define TEXT_BATCH 5000 /* rows whose widths are measured before they are printed */
#define TEXT_MIN_WIDTH 6
#define TEXT_GAP "  "

struct _TrPrinter
{
  TrFormat format;
  FILE *out;
  guint width; /* text: the terminal width to fit, 0 for none */
  gboolean vertical;
  gboolean csv_guard; /* neutralise cells a spreadsheet would evaluate (TR_FORMAT_CSV) */
  const char *kind;
  const TrColumn *columns;
  guint n_columns;
  guint field;  /* index of the next field in the row */
  guint n_rows; /* rows ended so far */
  /* json and csv: the row being written */
  GString *line;
  /* text: rows of escaped cells (char *, NULL for null) waiting to be printed */
  GPtrArray *cells;
  guint *widths;     /* of the columns, once measured */
  gboolean measured; /* widths fixed by the first batch */
  GPtrArray *notes;
};

/* tr_format_parse - the --format value */
gboolean
tr_format_parse (const char *name, TrFormat *format, GError **error)
{
  if (g_strcmp0 (name, "text") == 0)
    *format = TR_FORMAT_TEXT;
  else if (g_strcmp0 (name, "json") == 0)
    *format = TR_FORMAT_JSON;
  else if (g_strcmp0 (name, "csv") == 0)
    *format = TR_FORMAT_CSV;
  else if (g_strcmp0 (name, "csv-exact") == 0)
    *format = TR_FORMAT_CSV_EXACT;
  else
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                   "--format: expected text, json, csv or csv-exact, not \"%s\"", name ? name : "");
      return FALSE;
    }
  return TRUE;
}

/* tr_printer_terminal_width - $COLUMNS or the window size when stdout is a terminal */
guint
tr_printer_terminal_width (void)
{
  const char *columns = g_getenv ("COLUMNS");
  struct winsize ws;
  guint64 n;

  if (!isatty (STDOUT_FILENO))
    return 0;
  if (columns != NULL && g_ascii_string_to_unsigned (columns, 10, 20, 1000, &n, NULL))
    return (guint) n;
  if (ioctl (STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
    return ws.ws_col;
  return 80;
}

/* tr_printer_new - a printer for @format on @out */
TrPrinter *
tr_printer_new (TrFormat format, FILE *out, guint width)
{
  TrPrinter *printer = g_new0 (TrPrinter, 1);

  printer->format = format == TR_FORMAT_CSV_EXACT ? TR_FORMAT_CSV : format;
  printer->csv_guard = format == TR_FORMAT_CSV;
  printer->out = out;
  printer->width = width;
  printer->line = g_string_new (NULL);
  printer->cells = g_ptr_array_new_with_free_func (g_free);
  printer->notes = g_ptr_array_new_with_free_func (g_free);
  return printer;
}

/* tr_printer_free - free @printer (without finishing the listing) */
void
tr_printer_free (TrPrinter *printer)
{
  if (printer == NULL)
    return;
  g_string_free (printer->line, TRUE);
  g_ptr_array_unref (printer->cells);
  g_ptr_array_unref (printer->notes);
  g_free (printer->widths);
  g_free (printer);
}

TrFormat
tr_printer_get_format (TrPrinter *printer)
{
  return printer->format;
}

/* tr_printer_set_vertical - text: one "title: value" line per field instead of a table */
void
tr_printer_set_vertical (TrPrinter *printer, gboolean vertical)
{
  printer->vertical = vertical;
}

/* --- escaping ---------------------------------------------------------------------------- */

/* tr_output_text_field - @value as one safe line (escape.c) */
char *
tr_output_text_field (const char *value)
{
  return tr_escape_text (value);
}

/* tr_output_text_width - terminal columns of @value */
guint
tr_output_text_width (const char *value)
{
  return tr_escape_text_width (value);
}

/* append_json_string - @value as a JSON string literal */
static void
append_json_string (GString *s, const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);

  g_string_append_c (s, '"');
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
          case '"':
            g_string_append (s, "\\\"");
            break;
          case '\\':
            g_string_append (s, "\\\\");
            break;
          case '\n':
            g_string_append (s, "\\n");
            break;
          case '\r':
            g_string_append (s, "\\r");
            break;
          case '\t':
            g_string_append (s, "\\t");
            break;
          case '\b':
            g_string_append (s, "\\b");
            break;
          case '\f':
            g_string_append (s, "\\f");
            break;
          default:
            if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029)
              g_string_append_printf (s, "\\u%04x", c);
            else
              g_string_append_len (s, p, g_utf8_next_char (p) - p);
        }
    }
  g_string_append_c (s, '"');
}

/* tr_output_json_string - @value as a JSON string literal, with the quotes */
char *
tr_output_json_string (const char *value)
{
  GString *s = g_string_new (NULL);

  append_json_string (s, value);
  return g_string_free (s, FALSE);
}

/* is_formula - whether a spreadsheet would take a cell starting with @value for a formula
 * (OWASP, "CSV Injection": =, +, -, @, TAB and CR) */
static gboolean
is_formula (const char *value)
{
  return value[0] != '\0' && strchr ("=+-@\t\r", value[0]) != NULL;
}

/* append_csv_field - @value as an RFC 4180 field: quoted when it holds , " CR LF or other
 * control characters (or spaces at either end), quotes doubled.  With @guard, a value that a
 * spreadsheet would evaluate gets a leading ' (and is quoted), as OWASP recommends. */
static void
append_csv_field (GString *s, const char *value, gboolean guard)
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

/* tr_output_csv_field - @value as an RFC 4180 field, guarded against formulas if @guard */
char *
tr_output_csv_field (const char *value, gboolean guard)
{
  GString *s = g_string_new (NULL);

  append_csv_field (s, value, guard);
  return g_string_free (s, FALSE);
}

/* --- listing ------------------------------------------------------------------------------ */

/* tr_printer_begin_list - start a listing */
void
tr_printer_begin_list (TrPrinter *printer, const char *kind, const TrColumn *columns,
                       guint n_columns)
{
  printer->kind = kind;
  printer->columns = columns;
  printer->n_columns = n_columns;
  printer->field = 0;
  printer->n_rows = 0;
  g_clear_pointer (&printer->widths, g_free);
  printer->widths = g_new0 (guint, n_columns);
  printer->measured = FALSE;

  if (printer->format == TR_FORMAT_JSON)
    {
      g_string_assign (printer->line, "");
      g_string_append_printf (printer->line, "{\"version\":%d,\"kind\":", TR_OUTPUT_JSON_VERSION);
      append_json_string (printer->line, kind);
      g_string_append (printer->line, ",\"rows\":[");
      fputs (printer->line->str, printer->out);
      g_string_assign (printer->line, "");
    }
  else if (printer->format == TR_FORMAT_CSV)
    {
      g_string_assign (printer->line, "");
      for (guint i = 0; i < n_columns; i++)
        {
          if (i > 0)
            g_string_append_c (printer->line, ',');
          append_csv_field (printer->line, columns[i].name, FALSE);
        }
      g_string_append (printer->line, "\r\n");
      fputs (printer->line->str, printer->out);
      g_string_assign (printer->line, "");
    }
}

/* begin_field - the separator or member name before a field (JSON, CSV) */
static void
begin_field (TrPrinter *printer)
{
  g_return_if_fail (printer->field < printer->n_columns);
  if (printer->format == TR_FORMAT_JSON)
    {
      g_string_append (printer->line, printer->field == 0 ? "{" : ",");
      append_json_string (printer->line, printer->columns[printer->field].name);
      g_string_append_c (printer->line, ':');
    }
  else if (printer->format == TR_FORMAT_CSV && printer->field > 0)
    g_string_append_c (printer->line, ',');
}

/* add_text_cell - text: keep @escaped (owned; NULL for null) for printing */
static void
add_text_cell (TrPrinter *printer, char *escaped)
{
  g_ptr_array_add (printer->cells, escaped);
  printer->field++;
}

/* tr_printer_field_str - a string field (any bytes) or null */
void
tr_printer_field_str (TrPrinter *printer, const char *value)
{
  if (printer->format == TR_FORMAT_TEXT)
    {
      add_text_cell (printer, value ? tr_output_text_field (value) : NULL);
      return;
    }
  begin_field (printer);
  if (printer->format == TR_FORMAT_JSON)
    {
      if (value == NULL)
        g_string_append (printer->line, "null");
      else
        append_json_string (printer->line, value);
    }
  else if (value != NULL)
    append_csv_field (printer->line, value, printer->csv_guard);
  printer->field++;
}

/* tr_printer_field_null - a null field */
void
tr_printer_field_null (TrPrinter *printer)
{
  tr_printer_field_str (printer, NULL);
}

/* tr_printer_field_int - an integer field */
void
tr_printer_field_int (TrPrinter *printer, gint64 value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  if (printer->format == TR_FORMAT_TEXT)
    {
      add_text_cell (printer, g_strdup (buf));
      return;
    }
  begin_field (printer);
  g_string_append (printer->line, buf);
  printer->field++;
}

/* field_number - @value with @decimals digits; @suffix appended in text */
static void
field_number (TrPrinter *printer, double value, int decimals, const char *suffix)
{
  char format[16];
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_snprintf (format, sizeof format, "%%.%df", CLAMP (decimals, 0, 12));
  g_ascii_formatd (buf, sizeof buf, format, value);
  if (printer->format == TR_FORMAT_TEXT)
    {
      add_text_cell (printer, g_strconcat (buf, suffix, NULL));
      return;
    }
  begin_field (printer);
  g_string_append (printer->line, buf);
  printer->field++;
}

/* tr_printer_field_double - a number with @decimals digits */
void
tr_printer_field_double (TrPrinter *printer, double value, int decimals)
{
  field_number (printer, value, decimals, "");
}

/* tr_printer_field_percent - a fraction, as a percentage in text */
void
tr_printer_field_percent (TrPrinter *printer, double fraction)
{
  if (printer->format == TR_FORMAT_TEXT)
    field_number (printer, fraction * 100.0, 2, "%");
  else
    field_number (printer, fraction, 4, "");
}

/* tr_printer_field_counts - (name, count) pairs */
void
tr_printer_field_counts (TrPrinter *printer, const char *name_key, const char *count_key,
                         const char *const *names, const gint64 *counts, guint n)
{
  g_autoptr (GString) joined = g_string_new (NULL);

  if (printer->format == TR_FORMAT_JSON)
    {
      begin_field (printer);
      g_string_append_c (printer->line, '[');
      for (guint i = 0; i < n; i++)
        {
          g_string_append (printer->line, i > 0 ? ",{" : "{");
          append_json_string (printer->line, name_key);
          g_string_append_c (printer->line, ':');
          append_json_string (printer->line, names[i]);
          g_string_append_c (printer->line, ',');
          append_json_string (printer->line, count_key);
          g_string_append_printf (printer->line, ":%" G_GINT64_FORMAT "}", counts[i]);
        }
      g_string_append_c (printer->line, ']');
      printer->field++;
      return;
    }
  for (guint i = 0; i < n; i++)
    g_string_append_printf (joined, "%s%s %" G_GINT64_FORMAT, i > 0 ? ", " : "", names[i],
                            counts[i]);
  tr_printer_field_str (printer, joined->str);
}

/* tr_printer_field_json - a JSON text as a value */
void
tr_printer_field_json (TrPrinter *printer, const char *json)
{
  g_autoptr (JsonParser) parser = NULL;
  gboolean parsed = FALSE;

  if (json != NULL && printer->format != TR_FORMAT_CSV && g_utf8_validate (json, -1, NULL))
    {
      parser = json_parser_new_immutable ();
      parsed = json_parser_load_from_data (parser, json, -1, NULL)
               && json_parser_get_root (parser) != NULL;
    }
  if (!parsed)
    {
      tr_printer_field_str (printer, json);
      return;
    }
  if (printer->format == TR_FORMAT_JSON)
    {
      g_autofree char *text = json_to_string (json_parser_get_root (parser), FALSE);

      begin_field (printer);
      g_string_append (printer->line, text);
      printer->field++;
      return;
    }
  /* text: pretty-printed.  json-glib escapes only C0 controls in strings; C1 controls, bidi
   * overrides and line separators are escaped here, as "\u009b" (valid JSON escapes too) */
  {
    g_autofree char *pretty = json_to_string (json_parser_get_root (parser), TRUE);

    add_text_cell (printer, tr_escape_text_lines (pretty));
  }
}

/* cell - the escaped text cell @column of buffered row @row */
static const char *
cell (TrPrinter *printer, guint row, guint column)
{
  return g_ptr_array_index (printer->cells, row * printer->n_columns + column);
}

/* measure - the column widths of the buffered rows (and the titles) */
static void
measure (TrPrinter *printer)
{
  guint n_rows = printer->cells->len / MAX (printer->n_columns, 1);

  for (guint c = 0; c < printer->n_columns; c++)
    {
      guint w
          = printer->columns[c].text_hidden ? 0 : tr_output_text_width (printer->columns[c].title);

      if (printer->columns[c].text_hidden)
        {
          printer->widths[c] = 0;
          continue;
        }

      for (guint r = 0; r < n_rows; r++)
        {
          const char *value = cell (printer, r, c);
          w = MAX (w, value ? tr_output_text_width (value) : 1);
        }
      printer->widths[c] = w;
    }
  if (printer->width == 0)
    return;
  /* fit the terminal: shrink the widest text column until it fits or all are at the minimum */
  for (;;)
    {
      guint total = 0, widest = G_MAXUINT;

      for (guint c = 0; c < printer->n_columns; c++)
        {
          if (printer->columns[c].text_hidden)
            continue;
          total += printer->widths[c] + (total > 0 ? strlen (TEXT_GAP) : 0);
          if (printer->columns[c].kind != TR_COLUMN_NUMBER && printer->widths[c] > TEXT_MIN_WIDTH
              && (widest == G_MAXUINT || printer->widths[c] > printer->widths[widest]))
            widest = c;
        }
      if (total <= printer->width || widest == G_MAXUINT)
        break;
      printer->widths[widest]
          = MAX (TEXT_MIN_WIDTH,
                 printer->widths[widest] - MIN (total - printer->width, printer->widths[widest]));
    }
}

/* append_cut - append @value cut to @width columns, with "~" where it was cut */
static guint
append_cut (GString *s, const char *value, guint width)
{
  guint w = tr_output_text_width (value);
  guint used = 0;

  if (w <= width)
    {
      g_string_append (s, value);
      return w;
    }
  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint cw = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;

      if (used + cw + 1 > width)
        break;
      g_string_append_len (s, p, g_utf8_next_char (p) - p);
      used += cw;
    }
  g_string_append_c (s, '~');
  return used + 1;
}

/* print_text_row - one table line of @values (escaped; NULL shown as "-") */
static void
print_text_row (TrPrinter *printer, GString *s, const char *const *values)
{
  guint last_shown = 0;

  for (guint c = 0; c < printer->n_columns; c++)
    if (!printer->columns[c].text_hidden)
      last_shown = c;
  g_string_assign (s, "");
  for (guint c = 0; c < printer->n_columns; c++)
    {
      const char *value = values[c] ? values[c] : "-";
      guint width = printer->widths[c];
      gboolean last = c == last_shown;
      guint w;

      if (printer->columns[c].text_hidden)
        continue;
      w = tr_output_text_width (value);
      if (s->len > 0)
        g_string_append (s, TEXT_GAP);
      if (printer->columns[c].kind == TR_COLUMN_NUMBER)
        {
          for (guint i = w; i < width; i++)
            g_string_append_c (s, ' ');
          g_string_append (s, value);
          continue;
        }
      if (printer->width > 0)
        w = append_cut (s, value, width);
      else
        g_string_append (s, value);
      if (!last)
        for (guint i = w; i < width; i++)
          g_string_append_c (s, ' ');
    }
  while (s->len > 0 && s->str[s->len - 1] == ' ')
    g_string_truncate (s, s->len - 1);
  g_string_append_c (s, '\n');
  fputs (s->str, printer->out);
}

/* flush_text - print the buffered rows (and the header before the first batch) */
static void
flush_text (TrPrinter *printer)
{
  g_autoptr (GString) s = g_string_new (NULL);
  guint n_rows = printer->cells->len / MAX (printer->n_columns, 1);

  if (printer->vertical)
    {
      guint title_width = 0;

      for (guint c = 0; c < printer->n_columns; c++)
        title_width = MAX (title_width, tr_output_text_width (printer->columns[c].title));
      for (guint r = 0; r < n_rows; r++)
        {
          if (printer->n_rows - n_rows + r > 0)
            fputc ('\n', printer->out);
          for (guint c = 0; c < printer->n_columns; c++)
            {
              const char *value = cell (printer, r, c);
              if (printer->columns[c].text_hidden)
                continue;
              if (printer->columns[c].kind == TR_COLUMN_LONG)
                fprintf (printer->out, "%s:\n%s\n", printer->columns[c].title, value ? value : "-");
              else
                {
                  g_autofree char *title = g_strconcat (printer->columns[c].title, ":", NULL);
                  fprintf (printer->out, "%-*s %s\n", (int) title_width + 1, title,
                           value ? value : "-");
                }
            }
        }
      g_ptr_array_set_size (printer->cells, 0);
      return;
    }
  if (!printer->measured)
    {
      g_autofree const char **titles = g_new0 (const char *, printer->n_columns);

      measure (printer);
      printer->measured = TRUE;
      if (n_rows == 0)
        return; /* an empty listing prints nothing at all */
      for (guint c = 0; c < printer->n_columns; c++)
        titles[c] = printer->columns[c].title;
      print_text_row (printer, s, titles);
    }
  for (guint r = 0; r < n_rows; r++)
    print_text_row (printer, s,
                    (const char *const *) &printer->cells->pdata[r * printer->n_columns]);
  g_ptr_array_set_size (printer->cells, 0);
}

/* tr_printer_end_row - finish the row (missing fields are null) */
void
tr_printer_end_row (TrPrinter *printer)
{
  while (printer->field < printer->n_columns)
    tr_printer_field_null (printer);
  printer->field = 0;
  printer->n_rows++;
  switch (printer->format)
    {
      case TR_FORMAT_JSON:
        fputs (printer->n_rows > 1 ? ",\n" : "\n", printer->out);
        g_string_append_c (printer->line, '}');
        fputs (printer->line->str, printer->out);
        break;
      case TR_FORMAT_CSV:
      case TR_FORMAT_CSV_EXACT:
        g_string_append (printer->line, "\r\n");
        fputs (printer->line->str, printer->out);
        break;
      case TR_FORMAT_TEXT:
        if (printer->cells->len >= TEXT_BATCH * printer->n_columns)
          flush_text (printer);
        break;
    }
  g_string_assign (printer->line, "");
}

/* tr_printer_note - a line after the text listing */
void
tr_printer_note (TrPrinter *printer, const char *text)
{
  if (printer->format == TR_FORMAT_TEXT)
    g_ptr_array_add (printer->notes, g_strdup (text));
}

/* tr_printer_end - finish the listing and flush */
gboolean
tr_printer_end (TrPrinter *printer, GError **error)
{
  switch (printer->format)
    {
      case TR_FORMAT_JSON:
        fputs (printer->n_rows > 0 ? "\n]}\n" : "]}\n", printer->out);
        break;
      case TR_FORMAT_CSV:
      case TR_FORMAT_CSV_EXACT:
        break;
      case TR_FORMAT_TEXT:
        flush_text (printer);
        if (printer->notes->len > 0 && printer->n_rows > 0)
          fputc ('\n', printer->out);
        for (guint i = 0; i < printer->notes->len && printer->n_rows > 0; i++)
          fprintf (printer->out, "%s\n", (const char *) g_ptr_array_index (printer->notes, i));
        break;
    }
  g_ptr_array_set_size (printer->notes, 0);
  if (fflush (printer->out) != 0 || ferror (printer->out))
    {
      int saved_errno = errno;

      if (saved_errno == EPIPE)
        return TRUE;
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY, "writing the output: %s",
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}
