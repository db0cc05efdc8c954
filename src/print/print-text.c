/* print-text.c - the text printer: what people read on a terminal
 *
 * The top table of a document is printed aligned, fitted to the terminal width; its rows are
 * measured in batches of TEXT_BATCH, so that a long listing starts at once and takes little
 * memory.  In vertical mode (show, explain) each row is a block of "Title: value" lines instead.
 * Anything else -- the fields that hold maps, lists and tables, the document's other members --
 * is gathered as a small tree of nodes and printed as indented blocks and tables; inside a cell
 * of a table, a map or list is written on one line ("name count, name count").
 *
 * Every string from outside is escaped (escape.c) so that it stays on its line; only our own
 * multi-line text (tr_printer_lines) keeps its line breaks.
 */
#include "config.h"

#include <string.h>

#include "escape.h"
#include "printer-class.h"

#define TEXT_BATCH 5000 /* rows whose widths are measured before they are printed */
#define TEXT_MIN_WIDTH 6
#define TEXT_GAP "  "
#define TEXT_INDENT 2

typedef enum
{
  NODE_SCALAR,
  NODE_LINES,
  NODE_MAP,
  NODE_LIST,
  NODE_TABLE,
} NodeKind;

typedef struct _Node Node;
struct _Node
{
  NodeKind kind;
  const char *title; /* as a member: its title (static), or NULL */
  TrColumnKind column;
  gboolean hidden;
  char *text;              /* SCALAR: escaped, NULL for null; LINES: as given */
  GPtrArray *children;     /* MAP, LIST, TABLE: of Node (a table's rows are maps) */
  const TrColumn *columns; /* TABLE */
  guint n_columns;
  Node *parent;
};

/* An aligned table: rows of escaped cells (NULL for null) waiting to be printed. */
typedef struct
{
  const TrColumn *columns;
  guint n_columns;
  GPtrArray *cells;
  guint *widths;
  gboolean *dropped; /* left out to fit the width */
  gboolean measured; /* widths fixed by the first batch */
  guint n_rows;      /* rows added so far */
  guint width;       /* to fit, or 0 */
  guint indent;
} Table;

typedef struct
{
  Node *root;    /* the document's members other than its top table */
  Node *current; /* the container the next item goes into */
  const char *key_title;
  TrColumnKind key_column;
  gboolean key_hidden;
  Table *top;      /* the document's top table, streamed */
  gboolean in_top; /* its rows are coming */
  GPtrArray *notes;
} Text;

static Text *
text (TrPrinter *printer)
{
  return printer->state;
}

/* --- nodes -------------------------------------------------------------------------------- */

static void
node_free (gpointer data)
{
  Node *node = data;

  if (node == NULL)
    return;
  g_free (node->text);
  if (node->children != NULL)
    g_ptr_array_unref (node->children);
  g_free (node);
}

/* node_add - a new node of @kind in the current container, with the pending key's title */
static Node *
node_add (Text *t, NodeKind kind)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  node->title = t->key_title;
  node->column = t->key_column;
  node->hidden = t->key_hidden;
  node->parent = t->current;
  if (kind == NODE_MAP || kind == NODE_LIST || kind == NODE_TABLE)
    node->children = g_ptr_array_new_with_free_func (node_free);
  if (t->current != NULL)
    g_ptr_array_add (t->current->children, node);
  t->key_title = NULL;
  t->key_column = TR_COLUMN_TEXT;
  t->key_hidden = FALSE;
  return node;
}

/* append_inline - @node on one line: list items joined by ", ", map values by " " */
static void
append_inline (GString *s, const Node *node)
{
  switch (node->kind)
    {
      case NODE_SCALAR:
        g_string_append (s, node->text ? node->text : "-");
        break;
      case NODE_LINES:
        {
          g_autofree char *escaped = tr_escape_text (node->text);
          g_string_append (s, escaped);
        }
        break;
      default:
        for (guint i = 0; i < node->children->len; i++)
          {
            const Node *child = g_ptr_array_index (node->children, i);

            if (i > 0)
              g_string_append (s, node->kind == NODE_MAP ? " " : ", ");
            append_inline (s, child);
          }
        break;
    }
}

/* inline_text - @node on one line, NULL for a null scalar (newly allocated) */
static char *
inline_text (const Node *node)
{
  GString *s;

  if (node->kind == NODE_SCALAR && node->text == NULL)
    return NULL;
  s = g_string_new (NULL);
  append_inline (s, node);
  return g_string_free (s, FALSE);
}

/* --- tables ------------------------------------------------------------------------------- */

static Table *
table_new (const TrColumn *columns, guint n_columns, guint width, guint indent)
{
  Table *table = g_new0 (Table, 1);

  table->columns = columns;
  table->n_columns = n_columns;
  table->cells = g_ptr_array_new_with_free_func (g_free);
  table->widths = g_new0 (guint, n_columns);
  table->dropped = g_new0 (gboolean, n_columns);
  table->width = width > indent ? width - indent : width;
  table->indent = indent;
  return table;
}

static void
table_free (Table *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->cells);
  g_free (table->widths);
  g_free (table->dropped);
  g_free (table);
}

/* table_add_row - the fields of @row (a map with one child per column) as cells */
static void
table_add_row (Table *table, const Node *row)
{
  for (guint c = 0; c < table->n_columns; c++)
    g_ptr_array_add (table->cells, c < row->children->len
                                       ? inline_text (g_ptr_array_index (row->children, c))
                                       : NULL);
  table->n_rows++;
}

static const char *
cell (const Table *table, guint row, guint column)
{
  return g_ptr_array_index (table->cells, row * table->n_columns + column);
}

/* shown - whether column @c is printed */
static gboolean
shown (const Table *table, guint c)
{
  return !table->columns[c].text_hidden && !table->dropped[c];
}

/* total_width - the width of a line of the shown columns */
static guint
total_width (const Table *table)
{
  guint total = 0;

  for (guint c = 0; c < table->n_columns; c++)
    if (shown (table, c))
      total += table->widths[c] + (total > 0 ? strlen (TEXT_GAP) : 0);
  return total;
}

/* shrink - cut the widest shown column of @fit (not a number) until the line fits or all of
 * them are at the minimum */
static void
shrink (Table *table, TrColumnFit fit)
{
  for (;;)
    {
      guint total = total_width (table), widest = G_MAXUINT;

      for (guint c = 0; c < table->n_columns; c++)
        if (shown (table, c) && table->columns[c].fit == fit
            && table->columns[c].kind != TR_COLUMN_NUMBER && table->widths[c] > TEXT_MIN_WIDTH
            && (widest == G_MAXUINT || table->widths[c] > table->widths[widest]))
          widest = c;
      if (total <= table->width || widest == G_MAXUINT)
        return;
      table->widths[widest]
          = MAX (TEXT_MIN_WIDTH,
                 table->widths[widest] - MIN (total - table->width, table->widths[widest]));
    }
}

/* drop_low - leave out low columns, the last first, until the line fits */
static void
drop_low (Table *table)
{
  for (guint c = table->n_columns; c-- > 0 && total_width (table) > table->width;)
    if (shown (table, c) && table->columns[c].fit == TR_FIT_LOW)
      table->dropped[c] = TRUE;
}

/* fit_normal - cut the normal columns; when even their minimum does not fit, leave them out, the
 * last first, giving the others back their width (@natural) each time */
static void
fit_normal (Table *table, const guint *natural)
{
  shrink (table, TR_FIT_NORMAL);
  for (guint c = table->n_columns; c-- > 0 && total_width (table) > table->width;)
    if (shown (table, c) && table->columns[c].fit == TR_FIT_NORMAL)
      {
        table->dropped[c] = TRUE;
        for (guint k = 0; k < table->n_columns; k++)
          if (table->columns[k].fit == TR_FIT_NORMAL)
            table->widths[k] = natural[k];
        shrink (table, TR_FIT_NORMAL);
      }
}

/* measure - the column widths of the buffered rows (and the titles), then fitted to the width:
 * low columns are cut, then left out; then normal ones are cut, and left out when even that is
 * not enough; key columns and numbers are never cut (a line of them alone may be wider) */
static void
measure (Table *table)
{
  guint n_rows = table->cells->len / MAX (table->n_columns, 1);

  for (guint c = 0; c < table->n_columns; c++)
    {
      guint w = table->columns[c].text_hidden ? 0 : tr_escape_text_width (table->columns[c].title);

      for (guint r = 0; r < n_rows && !table->columns[c].text_hidden; r++)
        w = MAX (w, cell (table, r, c) ? tr_escape_text_width (cell (table, r, c)) : 1);
      table->widths[c] = w;
    }
  if (table->width == 0 || total_width (table) <= table->width)
    return;
  {
    g_autofree guint *natural = g_memdup2 (table->widths, table->n_columns * sizeof (guint));

    shrink (table, TR_FIT_LOW);
    drop_low (table);
    fit_normal (table, natural);
  }
}

/* append_cut - append @value cut to @width columns, with "~" where it was cut */
static guint
append_cut (GString *s, const char *value, guint width)
{
  guint w = tr_escape_text_width (value);
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

static void
append_spaces (GString *s, guint n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_c (s, ' ');
}

/* print_table_line - one line of @values (escaped; NULL shown as "-") */
static void
print_table_line (const Table *table, FILE *out, const char *const *values)
{
  g_autoptr (GString) s = g_string_new (NULL);
  guint last_shown = 0;

  for (guint c = 0; c < table->n_columns; c++)
    if (shown (table, c))
      last_shown = c;
  for (guint c = 0; c < table->n_columns; c++)
    {
      const char *value = values[c] ? values[c] : "-";
      guint w;

      if (!shown (table, c))
        continue;
      w = tr_escape_text_width (value);
      if (s->len > 0)
        g_string_append (s, TEXT_GAP);
      if (table->columns[c].kind == TR_COLUMN_NUMBER)
        {
          append_spaces (s, table->widths[c] > w ? table->widths[c] - w : 0);
          g_string_append (s, value);
          continue;
        }
      if (table->width > 0)
        w = append_cut (s, value, table->widths[c]);
      else
        g_string_append (s, value);
      if (c != last_shown)
        append_spaces (s, table->widths[c] > w ? table->widths[c] - w : 0);
    }
  while (s->len > 0 && s->str[s->len - 1] == ' ')
    g_string_truncate (s, s->len - 1);
  fprintf (out, "%*s%s\n", (int) table->indent, "", s->str);
}

/* table_flush - print the buffered rows (and the header before the first batch) */
static void
table_flush (Table *table, FILE *out)
{
  guint n_rows = table->cells->len / MAX (table->n_columns, 1);

  if (!table->measured)
    {
      g_autofree const char **titles = g_new0 (const char *, table->n_columns);

      measure (table);
      table->measured = TRUE;
      if (n_rows == 0)
        return; /* an empty table prints nothing at all */
      for (guint c = 0; c < table->n_columns; c++)
        titles[c] = table->columns[c].title;
      print_table_line (table, out, titles);
    }
  for (guint r = 0; r < n_rows; r++)
    print_table_line (table, out, (const char *const *) &table->cells->pdata[r * table->n_columns]);
  g_ptr_array_set_size (table->cells, 0);
}

/* --- blocks ------------------------------------------------------------------------------- */

static void print_block (TrPrinter *printer, const Node *map, guint indent);

/* is_small_map - a map of a few scalars, such as (name, count): one item of an inline list */
static gboolean
is_small_map (const Node *node)
{
  if (node->kind != NODE_MAP || node->children->len > 3)
    return FALSE;
  for (guint i = 0; i < node->children->len; i++)
    if (((const Node *) g_ptr_array_index (node->children, i))->kind != NODE_SCALAR)
      return FALSE;
  return TRUE;
}

/* is_flat - whether @node fits on its title's line: a scalar, or a list of scalars or of small
 * maps ("mx1.example.com 8, mx2.example.com 2") */
static gboolean
is_flat (const Node *node)
{
  if (node->kind == NODE_SCALAR)
    return node->column != TR_COLUMN_LONG;
  if (node->kind != NODE_LIST)
    return FALSE;
  for (guint i = 0; i < node->children->len; i++)
    {
      const Node *item = g_ptr_array_index (node->children, i);

      if (item->kind != NODE_SCALAR && !is_small_map (item))
        return FALSE;
    }
  return TRUE;
}

/* print_lines - @value's lines, each indented */
static void
print_lines (FILE *out, const char *value, guint indent)
{
  g_autofree char *escaped = tr_escape_text_lines (value);
  g_auto (GStrv) lines = g_strsplit (escaped, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i + 1] != NULL || lines[i][0] != '\0')
      fprintf (out, "%*s%s\n", (int) indent, "", lines[i]);
}

/* print_nested - a member that takes lines of its own, after its "Title:" */
static void
print_nested (TrPrinter *printer, const Node *node, guint indent)
{
  FILE *out = printer->out;

  switch (node->kind)
    {
      case NODE_SCALAR:
        fprintf (out, "%*s%s\n", (int) indent, "", node->text ? node->text : "-");
        break;
      case NODE_LINES:
        print_lines (out, node->text, indent);
        break;
      case NODE_MAP:
        print_block (printer, node, indent + TEXT_INDENT);
        break;
      case NODE_TABLE:
        {
          Table *table
              = table_new (node->columns, node->n_columns, printer->width, indent + TEXT_INDENT);

          for (guint i = 0; i < node->children->len; i++)
            table_add_row (table, g_ptr_array_index (node->children, i));
          table_flush (table, out);
          table_free (table);
        }
        break;
      case NODE_LIST:
        for (guint i = 0; i < node->children->len; i++)
          {
            const Node *item = g_ptr_array_index (node->children, i);

            if (i > 0 && item->kind == NODE_MAP)
              fputc ('\n', out);
            print_nested (printer, item, indent);
          }
        break;
    }
}

/* print_block - the members of @map as "Title: value" lines, titles aligned */
static void
print_block (TrPrinter *printer, const Node *map, guint indent)
{
  guint title_width = 0;

  for (guint i = 0; i < map->children->len; i++)
    {
      const Node *child = g_ptr_array_index (map->children, i);

      if (!child->hidden && child->title != NULL)
        title_width = MAX (title_width, tr_escape_text_width (child->title));
    }
  for (guint i = 0; i < map->children->len; i++)
    {
      const Node *child = g_ptr_array_index (map->children, i);
      g_autofree char *title = g_strconcat (child->title ? child->title : "", ":", NULL);
      gboolean empty = child->children != NULL && child->children->len == 0;

      if (child->hidden)
        continue;
      if (is_flat (child) || empty)
        {
          g_autofree char *value = inline_text (child);

          fprintf (printer->out, "%*s%-*s %s\n", (int) indent, "", (int) title_width + 1, title,
                   value && *value ? value : "-");
          continue;
        }
      fprintf (printer->out, "%*s%s\n", (int) indent, "", title);
      print_nested (printer, child, indent);
    }
}

/* --- the class ---------------------------------------------------------------------------- */

static void
text_init (TrPrinter *printer)
{
  Text *t = g_new0 (Text, 1);

  t->notes = g_ptr_array_new_with_free_func (g_free);
  printer->state = t;
}

static void
text_finalize (TrPrinter *printer)
{
  Text *t = text (printer);

  node_free (t->root);
  table_free (t->top);
  g_ptr_array_unref (t->notes);
  g_free (t);
}

static void
text_begin_document (TrPrinter *printer, const char *kind)
{
  Text *t = text (printer);

  t->root = node_add (t, NODE_MAP);
  t->current = t->root;
}

static void
text_key (TrPrinter *printer, const char *name, const char *title, TrColumnKind kind)
{
  Text *t = text (printer);
  TrFrame *top = tr_printer_top (printer);

  t->key_title = title;
  t->key_column = kind;
  t->key_hidden = top->kind == TR_FRAME_ROW && top->columns[top->n_items].text_hidden;
}

static void
open_node (TrPrinter *printer, NodeKind kind)
{
  Text *t = text (printer);

  t->current = node_add (t, kind);
}

static void
text_begin_map (TrPrinter *printer)
{
  open_node (printer, NODE_MAP);
}

static void
text_begin_list (TrPrinter *printer)
{
  open_node (printer, NODE_LIST);
}

static void
text_begin_table (TrPrinter *printer, const TrColumn *columns, guint n_columns)
{
  Text *t = text (printer);

  if (tr_printer_depth (printer) == 1 && t->top == NULL)
    {
      t->top = table_new (columns, n_columns, printer->width, 0);
      t->in_top = TRUE;
      t->key_title = NULL;
      t->current = NULL; /* its rows are trees of their own */
      return;
    }
  open_node (printer, NODE_TABLE);
  t->current->columns = columns;
  t->current->n_columns = n_columns;
}

static void
text_begin_row (TrPrinter *printer)
{
  open_node (printer, NODE_MAP);
}

/* print_notes - the notes after the top table, and which of its columns were left out to fit:
 * for a person at a terminal, not for a script that reads the table */
static void
print_notes (TrPrinter *printer)
{
  Text *t = text (printer);
  g_autoptr (GString) dropped = g_string_new (NULL);

  if (!printer->terminal || t->top == NULL || t->top->n_rows == 0)
    return;
  for (guint c = 0; c < t->top->n_columns; c++)
    if (t->top->dropped[c])
      g_string_append_printf (dropped, "%s%s", dropped->len > 0 ? ", " : "",
                              t->top->columns[c].title);
  if (dropped->len > 0)
    g_ptr_array_insert (
        t->notes, 0,
        g_strdup_printf ("Left out to fit the terminal: %s (--wide shows them).", dropped->str));
  if (t->notes->len > 0)
    fputc ('\n', printer->out);
  for (guint i = 0; i < t->notes->len; i++)
    fprintf (printer->out, "%s\n", (const char *) g_ptr_array_index (t->notes, i));
}

/* end_top_row - a row of the top table: printed as a block, or kept for the next batch */
static void
end_top_row (TrPrinter *printer, Node *row)
{
  Text *t = text (printer);

  if (printer->vertical)
    {
      if (t->top->n_rows++ > 0)
        fputc ('\n', printer->out);
      print_block (printer, row, 0);
    }
  else
    {
      table_add_row (t->top, row);
      if (t->top->cells->len >= TEXT_BATCH * t->top->n_columns)
        table_flush (t->top, printer->out);
    }
  node_free (row);
}

static void
text_end (TrPrinter *printer)
{
  Text *t = text (printer);
  TrFrame *top = tr_printer_top (printer);

  if (top->kind == TR_FRAME_DOCUMENT)
    {
      if (t->root->children->len > 0)
        print_block (printer, t->root, 0);
      print_notes (printer);
      return;
    }
  if (t->in_top && top->kind == TR_FRAME_TABLE && tr_printer_depth (printer) == 2)
    {
      if (!printer->vertical)
        table_flush (t->top, printer->out);
      t->in_top = FALSE;
      t->current = t->root;
      return;
    }
  if (t->in_top && top->kind == TR_FRAME_ROW && tr_printer_depth (printer) == 3)
    {
      end_top_row (printer, t->current);
      t->current = NULL;
      return;
    }
  t->current = t->current->parent;
}

static void
text_scalar (TrPrinter *printer, const TrScalar *value)
{
  Text *t = text (printer);
  Node *node;

  if (t->current == NULL)
    return;
  node = node_add (t, value->kind == TR_SCALAR_LINES ? NODE_LINES : NODE_SCALAR);
  switch (value->kind)
    {
      case TR_SCALAR_NULL:
        break;
      case TR_SCALAR_LINES:
        node->text = g_strdup (value->str);
        break;
      case TR_SCALAR_STRING:
      case TR_SCALAR_JSON:
        node->text = tr_escape_text (value->str);
        break;
      case TR_SCALAR_BOOL:
        node->text = g_strdup (value->i ? "yes" : "no");
        break;
      default:
        node->text = tr_print_format_number (value, TRUE);
        break;
    }
}

static void
text_note (TrPrinter *printer, const char *note)
{
  g_ptr_array_add (text (printer)->notes, g_strdup (note));
}

const TrPrinterClass tr_print_text_class = {
  .init = text_init,
  .finalize = text_finalize,
  .begin_document = text_begin_document,
  .key = text_key,
  .begin_map = text_begin_map,
  .begin_list = text_begin_list,
  .begin_table = text_begin_table,
  .begin_row = text_begin_row,
  .end = text_end,
  .scalar = text_scalar,
  .note = text_note,
};
