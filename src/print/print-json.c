/* print-json.c - the JSON printer: one document, compact, the rows of its top table one per line
 *
 * Strings are made valid UTF-8 and escaped as JSON must (quotes, backslash, C0 controls), and
 * DEL, U+2028 and U+2029 as well, so that the output can be pasted into JavaScript too.
 */
#include "config.h"

#include <string.h>

#include "printer-class.h"

#define FLUSH_AT 65536 /* bytes kept before they are written */

/* tr_print_json_append_string - @value as a JSON string literal */
void
tr_print_json_append_string (GString *s, const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);

  g_string_append_c (s, '"');
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *escape = c == '"'    ? "\\\""
                           : c == '\\' ? "\\\\"
                           : c == '\n' ? "\\n"
                           : c == '\r' ? "\\r"
                           : c == '\t' ? "\\t"
                           : c == '\b' ? "\\b"
                           : c == '\f' ? "\\f"
                                       : NULL;

      if (escape != NULL)
        g_string_append (s, escape);
      else if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029)
        g_string_append_printf (s, "\\u%04x", c);
      else
        g_string_append_len (s, p, g_utf8_next_char (p) - p);
    }
  g_string_append_c (s, '"');
}

/* tr_print_json_string - @value as a JSON string literal, newly allocated */
char *
tr_print_json_string (const char *value)
{
  GString *s = g_string_new (NULL);

  tr_print_json_append_string (s, value);
  return g_string_free (s, FALSE);
}

/* tr_print_json_append_scalar - @value as JSON */
void
tr_print_json_append_scalar (GString *s, const TrScalar *value)
{
  g_autofree char *number = NULL;

  switch (value->kind)
    {
      case TR_SCALAR_NULL:
        g_string_append (s, "null");
        break;
      case TR_SCALAR_STRING:
      case TR_SCALAR_LINES:
        tr_print_json_append_string (s, value->str);
        break;
      case TR_SCALAR_JSON:
        if (value->compact != NULL)
          g_string_append (s, value->compact);
        else
          tr_print_json_append_string (s, value->str);
        break;
      default:
        number = tr_print_format_number (value, FALSE);
        g_string_append (s, number);
        break;
    }
}

/* buffer - the text not yet written */
static GString *
buffer (TrPrinter *printer)
{
  return printer->state;
}

/* flush - write what is buffered once there is enough of it (or @all of it) */
static void
flush (TrPrinter *printer, gboolean all)
{
  GString *s = buffer (printer);

  if (s->len >= FLUSH_AT || (all && s->len > 0))
    {
      fwrite (s->str, 1, s->len, printer->out);
      g_string_truncate (s, 0);
    }
}

static void
json_init (TrPrinter *printer)
{
  printer->state = g_string_sized_new (1024);
}

static void
json_finalize (TrPrinter *printer)
{
  g_string_free (buffer (printer), TRUE);
}

static void
json_begin_document (TrPrinter *printer, const char *kind)
{
  g_string_append_printf (buffer (printer), "{\"version\":%d,\"kind\":", TR_PRINTER_JSON_VERSION);
  tr_print_json_append_string (buffer (printer), kind);
}

/* separate - the comma before an item of a list (a new line before a row of the top table) */
static void
separate (TrPrinter *printer)
{
  TrFrame *top = tr_printer_top (printer);

  if (top->kind == TR_FRAME_TABLE && tr_printer_depth (printer) == 2)
    g_string_append (buffer (printer), top->n_items > 0 ? ",\n" : "\n");
  else if ((top->kind == TR_FRAME_LIST || top->kind == TR_FRAME_TABLE) && top->n_items > 0)
    g_string_append_c (buffer (printer), ',');
}

static void
json_key (TrPrinter *printer, const char *name, const char *title, TrColumnKind kind)
{
  if (tr_printer_top (printer)->n_items > 0)
    g_string_append_c (buffer (printer), ',');
  tr_print_json_append_string (buffer (printer), name);
  g_string_append_c (buffer (printer), ':');
}

static void
json_begin_map (TrPrinter *printer)
{
  separate (printer);
  g_string_append_c (buffer (printer), '{');
}

static void
json_begin_list (TrPrinter *printer)
{
  separate (printer);
  g_string_append_c (buffer (printer), '[');
}

static void
json_begin_table (TrPrinter *printer, const TrColumn *columns, guint n_columns)
{
  json_begin_list (printer);
}

static void
json_end (TrPrinter *printer)
{
  TrFrame *top = tr_printer_top (printer);

  switch (top->kind)
    {
      case TR_FRAME_LIST:
        g_string_append_c (buffer (printer), ']');
        break;
      case TR_FRAME_TABLE:
        g_string_append (buffer (printer),
                         tr_printer_depth (printer) == 2 && top->n_items > 0 ? "\n]" : "]");
        break;
      case TR_FRAME_DOCUMENT:
        g_string_append (buffer (printer), "}\n");
        flush (printer, TRUE);
        return;
      default:
        g_string_append_c (buffer (printer), '}');
        break;
    }
  flush (printer, FALSE);
}

static void
json_scalar (TrPrinter *printer, const TrScalar *value)
{
  separate (printer);
  tr_print_json_append_scalar (buffer (printer), value);
}

const TrPrinterClass tr_print_json_class = {
  .init = json_init,
  .finalize = json_finalize,
  .begin_document = json_begin_document,
  .key = json_key,
  .begin_map = json_begin_map,
  .begin_list = json_begin_list,
  .begin_table = json_begin_table,
  .begin_row = json_begin_map,
  .end = json_end,
  .scalar = json_scalar,
};
