/* printer.c - the printer interface: the formats' table, the stack of what is open, and the
 * order of calls every class can rely on (printer-class.h) */
#include "config.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "error.h"
#include "printer-class.h"

/* The formats: a new one is a file with its class, and a line here. */
static const struct
{
  const char *name;
  const TrPrinterClass *klass;
  gboolean csv_guard;
} formats[] = {
  { "text", &tr_print_text_class, FALSE },
  { "json", &tr_print_json_class, FALSE },
  { "csv", &tr_print_csv_class, TRUE },
  { "csv-exact", &tr_print_csv_class, FALSE },
};

const char *
tr_printer_format_name (guint i)
{
  return i < G_N_ELEMENTS (formats) ? formats[i].name : NULL;
}

/* tr_printer_new - a printer of the format @name */
TrPrinter *
tr_printer_new (const char *name, FILE *out, guint width, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (name != NULL && g_ascii_strcasecmp (name, formats[i].name) == 0)
      {
        TrPrinter *printer = g_new0 (TrPrinter, 1);

        printer->klass = formats[i].klass;
        printer->csv_guard = formats[i].csv_guard;
        printer->out = out;
        printer->width = width;
        printer->terminal = isatty (fileno (out));
        printer->frames = g_array_new (FALSE, TRUE, sizeof (TrFrame));
        printer->klass->init (printer);
        return printer;
      }
  g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
               "--format: expected text, json, csv or csv-exact, not \"%s\"", name ? name : "");
  return NULL;
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

/* tr_printer_free - free @printer (without ending the document) */
void
tr_printer_free (TrPrinter *printer)
{
  if (printer == NULL)
    return;
  printer->klass->finalize (printer);
  g_array_unref (printer->frames);
  g_free (printer);
}

gboolean
tr_printer_for_people (TrPrinter *printer)
{
  return printer->klass == &tr_print_text_class;
}

void
tr_printer_set_vertical (TrPrinter *printer, gboolean vertical)
{
  printer->vertical = vertical;
}

void
tr_printer_set_width (TrPrinter *printer, guint width)
{
  printer->width = width;
}

gboolean
tr_printer_is_flat (TrPrinter *printer)
{
  return printer->klass == &tr_print_csv_class;
}

guint
tr_printer_rows (TrPrinter *printer)
{
  return printer->rows;
}

TrFrame *
tr_printer_frame (TrPrinter *printer, guint up)
{
  if (up >= printer->frames->len)
    return NULL;
  return &g_array_index (printer->frames, TrFrame, printer->frames->len - 1 - up);
}

TrFrame *
tr_printer_top (TrPrinter *printer)
{
  return tr_printer_frame (printer, 0);
}

guint
tr_printer_depth (TrPrinter *printer)
{
  return printer->frames->len;
}

/* push - open a frame */
static void
push (TrPrinter *printer, TrFrameKind kind, const TrColumn *columns, guint n_columns)
{
  TrFrame frame = { kind, columns, n_columns, 0 };

  g_array_append_val (printer->frames, frame);
}

/* begin_value - check that a value may come now; FALSE (and a critical) if not */
static gboolean
begin_value (TrPrinter *printer)
{
  TrFrame *top = tr_printer_top (printer);

  g_return_val_if_fail (top != NULL, FALSE);
  if (top->kind == TR_FRAME_LIST)
    return TRUE;
  g_return_val_if_fail (top->kind != TR_FRAME_TABLE && printer->has_key, FALSE);
  printer->has_key = FALSE;
  return TRUE;
}

/* counted - after a value or the opening of a container: a list counts its item */
static void
counted (TrPrinter *printer)
{
  TrFrame *top = tr_printer_top (printer);

  if (top->kind == TR_FRAME_LIST)
    top->n_items++;
}

/* --- the document ------------------------------------------------------------------------- */

void
tr_printer_begin (TrPrinter *printer, const char *kind)
{
  g_return_if_fail (tr_printer_depth (printer) == 0);
  printer->klass->begin_document (printer, kind);
  push (printer, TR_FRAME_DOCUMENT, NULL, 0);
  tr_printer_top (printer)->n_items = 2; /* version and kind */
}

void
tr_printer_begin_listing (TrPrinter *printer, const char *kind, const TrColumn *columns,
                          guint n_columns)
{
  tr_printer_begin (printer, kind);
  tr_printer_key (printer, "rows", NULL);
  tr_printer_begin_table (printer, columns, n_columns);
}

void
tr_printer_note (TrPrinter *printer, const char *text)
{
  if (printer->klass->note != NULL)
    printer->klass->note (printer, text);
}

/* tr_printer_end - close everything and flush */
gboolean
tr_printer_end (TrPrinter *printer, GError **error)
{
  while (tr_printer_depth (printer) > 0)
    if (tr_printer_top (printer)->kind == TR_FRAME_ROW)
      tr_printer_end_row (printer);
    else
      {
        if (printer->has_key)
          tr_printer_null (printer);
        tr_printer_close (printer);
      }
  return tr_printer_flush_file (printer->out, error);
}

/* tr_printer_flush_file - flush @out: a closed pipe is not an error, a full disk is */
gboolean
tr_printer_flush_file (FILE *out, GError **error)
{
  if (fflush (out) != 0 || ferror (out))
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

/* --- structure ---------------------------------------------------------------------------- */

void
tr_printer_key (TrPrinter *printer, const char *name, const char *title)
{
  TrFrame *top = tr_printer_top (printer);

  g_return_if_fail (top != NULL && !printer->has_key
                    && (top->kind == TR_FRAME_MAP || top->kind == TR_FRAME_DOCUMENT));
  printer->klass->key (printer, name, title, TR_COLUMN_TEXT);
  top->n_items++;
  printer->has_key = TRUE;
}

void
tr_printer_begin_map (TrPrinter *printer)
{
  if (!begin_value (printer))
    return;
  printer->klass->begin_map (printer);
  counted (printer);
  push (printer, TR_FRAME_MAP, NULL, 0);
}

void
tr_printer_begin_list (TrPrinter *printer)
{
  if (!begin_value (printer))
    return;
  printer->klass->begin_list (printer);
  counted (printer);
  push (printer, TR_FRAME_LIST, NULL, 0);
}

void
tr_printer_begin_table (TrPrinter *printer, const TrColumn *columns, guint n_columns)
{
  if (!begin_value (printer))
    return;
  printer->klass->begin_table (printer, columns, n_columns);
  counted (printer);
  push (printer, TR_FRAME_TABLE, columns, n_columns);
}

/* tr_printer_close - end the innermost map, list or table (or the document) */
void
tr_printer_close (TrPrinter *printer)
{
  TrFrame *top = tr_printer_top (printer);

  g_return_if_fail (top != NULL && top->kind != TR_FRAME_ROW && !printer->has_key);
  printer->klass->end (printer);
  g_array_set_size (printer->frames, printer->frames->len - 1);
}

/* tr_printer_field - the next field of the row (beginning the row with its first) */
void
tr_printer_field (TrPrinter *printer)
{
  TrFrame *top = tr_printer_top (printer);

  g_return_if_fail (top != NULL && !printer->has_key);
  if (top->kind == TR_FRAME_TABLE)
    {
      printer->klass->begin_row (printer);
      if (tr_printer_depth (printer) == 2)
        printer->rows++;
      top->n_items++;
      push (printer, TR_FRAME_ROW, top->columns, top->n_columns);
      top = tr_printer_top (printer);
    }
  g_return_if_fail (top->kind == TR_FRAME_ROW && top->n_items < top->n_columns);
  printer->klass->key (printer, top->columns[top->n_items].name, top->columns[top->n_items].title,
                       top->columns[top->n_items].kind);
  top->n_items++;
  printer->has_key = TRUE;
}

/* tr_printer_end_row - the remaining fields as nulls, then the end of the row */
void
tr_printer_end_row (TrPrinter *printer)
{
  TrFrame *top = tr_printer_top (printer);

  g_return_if_fail (top != NULL && (top->kind == TR_FRAME_ROW || top->kind == TR_FRAME_TABLE));
  if (printer->has_key)
    tr_printer_null (printer);
  if (top->kind == TR_FRAME_TABLE)
    tr_printer_field_null (printer); /* a row with no field given: all null */
  while (tr_printer_top (printer)->n_items < tr_printer_top (printer)->n_columns)
    tr_printer_field_null (printer);
  printer->klass->end (printer);
  g_array_set_size (printer->frames, printer->frames->len - 1);
}

/* --- values ------------------------------------------------------------------------------- */

/* scalar - a value of any kind */
static void
scalar (TrPrinter *printer, TrScalar value)
{
  if (!begin_value (printer))
    return;
  if (value.str == NULL
      && (value.kind == TR_SCALAR_STRING || value.kind == TR_SCALAR_LINES
          || value.kind == TR_SCALAR_JSON))
    value.kind = TR_SCALAR_NULL;
  printer->klass->scalar (printer, &value);
  counted (printer);
}

void
tr_printer_str (TrPrinter *printer, const char *value)
{
  scalar (printer, (TrScalar){ .kind = TR_SCALAR_STRING, .str = value });
}

void
tr_printer_int (TrPrinter *printer, gint64 value)
{
  scalar (printer, (TrScalar){ .kind = TR_SCALAR_INT, .i = value });
}

void
tr_printer_null (TrPrinter *printer)
{
  scalar (printer, (TrScalar){ .kind = TR_SCALAR_NULL });
}

void
tr_printer_bool (TrPrinter *printer, gboolean value)
{
  scalar (printer, (TrScalar){ .kind = TR_SCALAR_BOOL, .i = value ? 1 : 0 });
}

void
tr_printer_double (TrPrinter *printer, double value, int decimals)
{
  scalar (printer, (TrScalar){ .kind = TR_SCALAR_DOUBLE, .d = value, .decimals = decimals });
}

void
tr_printer_percent (TrPrinter *printer, double fraction)
{
  scalar (printer, (TrScalar){ .kind = TR_SCALAR_PERCENT, .d = fraction });
}

void
tr_printer_lines (TrPrinter *printer, const char *text)
{
  scalar (printer, (TrScalar){ .kind = TR_SCALAR_LINES, .str = text });
}

void
tr_printer_json (TrPrinter *printer, const char *text, const char *compact)
{
  scalar (printer, (TrScalar){ .kind = TR_SCALAR_JSON, .str = text, .compact = compact });
}

void
tr_printer_field_str (TrPrinter *printer, const char *value)
{
  tr_printer_field (printer);
  tr_printer_str (printer, value);
}

void
tr_printer_field_int (TrPrinter *printer, gint64 value)
{
  tr_printer_field (printer);
  tr_printer_int (printer, value);
}

void
tr_printer_field_null (TrPrinter *printer)
{
  tr_printer_field (printer);
  tr_printer_null (printer);
}

void
tr_printer_field_percent (TrPrinter *printer, double fraction)
{
  tr_printer_field (printer);
  tr_printer_percent (printer, fraction);
}

void
tr_printer_field_lines (TrPrinter *printer, const char *text)
{
  tr_printer_field (printer);
  tr_printer_lines (printer, text);
}

void
tr_printer_field_json (TrPrinter *printer, const char *text, const char *compact)
{
  tr_printer_field (printer);
  tr_printer_json (printer, text, compact);
}

void
tr_printer_field_counts (TrPrinter *printer, const char *name_key, const char *count_key,
                         const char *const *names, const gint64 *counts, guint n)
{
  tr_printer_field (printer);
  tr_printer_begin_list (printer);
  for (guint i = 0; i < n; i++)
    {
      tr_printer_begin_map (printer);
      tr_printer_key (printer, name_key, NULL);
      tr_printer_str (printer, names[i]);
      tr_printer_key (printer, count_key, NULL);
      tr_printer_int (printer, counts[i]);
      tr_printer_close (printer);
    }
  tr_printer_close (printer);
}

/* tr_print_format_number - a number as text */
char *
tr_print_format_number (const TrScalar *value, gboolean for_people)
{
  char format[16];
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double d = value->d;
  int decimals = value->decimals;

  switch (value->kind)
    {
      case TR_SCALAR_INT:
        return g_strdup_printf ("%" G_GINT64_FORMAT, value->i);
      case TR_SCALAR_BOOL:
        return g_strdup (value->i ? "true" : "false");
      case TR_SCALAR_PERCENT:
        d = for_people ? d * 100.0 : d;
        decimals = for_people ? 2 : 4;
        break;
      case TR_SCALAR_DOUBLE:
        break;
      default:
        return NULL;
    }
  g_snprintf (format, sizeof format, "%%.%df", CLAMP (decimals, 0, 12));
  g_ascii_formatd (buf, sizeof buf, format, d);
  return value->kind == TR_SCALAR_PERCENT && for_people ? g_strconcat (buf, "%", NULL)
                                                        : g_strdup (buf);
}
