/* svg-chart-grid.c - the reporter-by-day grid and the top-N bars
 *
 * The grid answers "who reported when, and who went silent": a row per reporter, a cell per day.
 * A year of days for a thousand reporters is 366,000 cells; drawn one <rect> each that would be
 * megabytes.  So rows beyond TR_CHART_MAX_ROWS are summed into one, columns are combined as in
 * the other charts, and a run of neighbouring cells of one level is one rectangle of one path
 * per level: a reporter that sent a report every day is a single bar.
 */
#include "config.h"

#include <string.h>

#include "markup.h"
#include "svg-chart-private.h"

#define N_LEVELS 4 /* tr-g0 .. tr-g3 */

static const char *const level_fill[N_LEVELS] = { "#d9d9d9", "#b3d4ea", "#5aa0cf", "#0072B2" };

typedef struct
{
  TrColumns cols;
  guint n_rows;   /* drawn */
  guint n_folded; /* given rows summed into the last drawn one */
  char **label;   /* n_rows clean labels */
  gint64 *value;  /* n_rows x cols.n: -1 where nothing was reported */
  guint8 *mark;   /* n_rows x cols.n */
  gint64 max;     /* of value */
  gint64 t1, t2;  /* level 2 from t1, level 3 from t2 (powers of ten; t1 may be 0) */
} Grid;

/* grid_cells - @g's values and marks from @in's cells, rows folded and columns combined */
static void
grid_cells (Grid *g, const TrChartGrid *in)
{
  gsize n = (gsize) g->n_rows * g->cols.n;

  g->value = g_new (gint64, MAX (n, 1));
  g->mark = g_new0 (guint8, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    g->value[i] = -1;
  for (guint r = 0; r < in->n_rows; r++)
    {
      gsize row = (gsize) MIN (r, g->n_rows - 1) * g->cols.n;
      const gint64 *cells = in->cells + (gsize) r * in->n_columns;

      for (guint c = 0; c < in->n_columns; c++)
        {
          gsize at = row + c / g->cols.group;

          if (cells[c] >= 0)
            {
              g->value[at] = g->value[at] < 0 ? cells[c] : tr_chart_add (g->value[at], cells[c]);
              g->max = MAX (g->max, g->value[at]);
            }
          if (in->marks != NULL && in->marks[(gsize) r * in->n_columns + c] > 0)
            g->mark[at] = 1;
        }
    }
}

/* grid_init - @in as drawn */
static void
grid_init (Grid *g, const TrChartGrid *in)
{
  guint max_rows
      = in->max_rows == 0 || in->max_rows > TR_CHART_MAX_ROWS ? TR_CHART_MAX_ROWS : in->max_rows;
  guint64 p = 1;

  memset (g, 0, sizeof *g);
  tr_columns_init (&g->cols, in->cells != NULL && in->rows != NULL ? in->columns : NULL,
                   in->n_columns, in->max_columns);
  g->n_rows = g->cols.n > 0 ? MIN (in->n_rows, max_rows) : 0;
  if (g->n_rows == 0)
    return;
  g->n_folded = in->n_rows > max_rows ? in->n_rows - max_rows + 1 : 0;
  g->label = g_new0 (char *, g->n_rows + 1);
  for (guint r = 0; r < g->n_rows; r++)
    g->label[r] = tr_markup_clean (in->rows[r], TR_CHART_MAX_LABEL);
  if (g->n_folded > 0)
    {
      g_free (g->label[g->n_rows - 1]);
      g->label[g->n_rows - 1] = g_strdup_printf ("%u others", g->n_folded);
    }
  grid_cells (g, in);
  while (p <= (guint64) g->max / 10)
    p *= 10;
  g->t2 = (gint64) p;
  g->t1 = (gint64) (p / 10);
}

/* grid_clear - free what @g holds */
static void
grid_clear (Grid *g)
{
  tr_columns_clear (&g->cols);
  g_strfreev (g->label);
  g_free (g->value);
  g_free (g->mark);
}

/* level - the level of value @v: -1 none, 0 reported 0, then by decade below the maximum */
static int
level (const Grid *g, gint64 v)
{
  if (v < 0)
    return -1;
  if (v == 0)
    return 0;
  if (v >= g->t2)
    return 3;
  return g->t1 >= 1 && v >= g->t1 ? 2 : 1;
}

/* grid_desc - "R rows by day from A to B (N days): a with a report on every day, b with gaps;
 * nothing in the last 7 days from: x, y, z and n more." and the notes */
static void
grid_desc (GString *s, const TrChartGrid *in, const Grid *g)
{
  guint n = g->cols.n, rows = g->n_rows - (g->n_folded > 0), every = 0, silent = 0, named = 0;
  guint recent = (7 + g->cols.group - 1) / g->cols.group;
  g_autoptr (GString) names = g_string_new (NULL);

  if (in->desc != NULL)
    {
      g_autofree char *clean = tr_markup_clean (in->desc, TR_CHART_MAX_DESC);

      g_string_append (s, clean);
    }
  else
    {
      for (guint r = 0; r < rows; r++)
        {
          guint present = 0, last = 0;

          for (guint c = 0; c < n; c++)
            if (g->value[(gsize) r * n + c] >= 0)
              present++, last = c + 1;
          every += present == n;
          if (g->cols.days && last + recent <= n && silent++ < 3)
            g_string_append_printf (names, "%s%s", named++ ? ", " : "", g->label[r]);
        }
      g_string_append_printf (s, "%u rows ", g->n_rows);
      tr_columns_append_range (s, &g->cols);
      g_string_append_printf (s, ": %u with a value in every column, %u with gaps", every,
                              rows - every);
      if (silent > 0)
        g_string_append_printf (s, "; nothing in the last %u days from %s%s",
                                recent * g->cols.group, names->str, silent > 3 ? " and more" : "");
      g_string_append_c (s, '.');
    }
  tr_columns_append_group_note (s, &g->cols, "values summed");
  if (g->n_folded > 0)
    g_string_append_printf (s, " The last row sums %u rows.", g->n_folded);
}

/* level_text - the legend text of level @l: where it starts ("0", "1+", "100+", "10k+") */
static char *
level_text (const Grid *g, int l)
{
  gint64 start[N_LEVELS] = { 0, 1, g->t1, g->t2 };
  GString *s = g_string_new (NULL);

  tr_chart_append_short (s, start[l]);
  if (l > 0)
    g_string_append_c (s, '+');
  return g_string_free (s, FALSE);
}

/* grid_legend - the value's levels, "no report" and the mark; returns the y below */
static double
grid_legend (GString *out, const char *id, const TrChartGrid *in, const Grid *g)
{
  static const char *const klass[N_LEVELS] = { "tr-g0", "tr-g1", "tr-g2", "tr-g3" };
  /* 24 characters, so that the legend takes two rows at most */
  g_autofree char *value_name = tr_markup_clean (in->value_name ? in->value_name : "value", 24);
  g_autofree char *mark_name = tr_markup_clean (in->mark_name ? in->mark_name : "marked", 24);
  char *from[N_LEVELS] = { NULL };
  TrLegendItem items[N_LEVELS + 3];
  guint n = 0;
  double y;

  items[n++] = (TrLegendItem){ .text = value_name, .kind = TR_SWATCH_NONE };
  items[n++] = (TrLegendItem){
    .text = "no report", .kind = TR_SWATCH_CLASS, .klass = "tr-gnone", .fill = "none"
  };
  for (int l = 0; l < N_LEVELS; l++)
    {
      /* only the levels that values can have */
      if ((l > 0 && g->max == 0) || (l == 1 && g->t1 <= 1) || (l == 2 && g->t1 < 1))
        continue;
      from[l] = level_text (g, l);
      items[n++] = (TrLegendItem){
        .text = from[l], .kind = TR_SWATCH_CLASS, .klass = klass[l], .fill = level_fill[l]
      };
    }
  if (in->marks != NULL)
    items[n++] = (TrLegendItem){ .text = mark_name,
                                 .kind = TR_SWATCH_CLASS,
                                 .klass = "tr-gmark",
                                 .fill = "#D55E00",
                                 .half = TRUE };
  y = tr_svg_legend (out, id, items, n, TR_CHART_TOP);
  for (int l = 0; l < N_LEVELS; l++)
    g_free (from[l]);
  return y;
}

/* run - path data of cells @c0 .. @c1 - 1 of the row at @y, @h high from @dy down */
static void
run (GString *d, const TrPlot *p, double cw, guint c0, guint c1, double y, double dy, double h)
{
  tr_svg_rect (d, p->x0 + c0 * cw, y + dy, (c1 - c0) * cw, h);
}

/* grid_cells_draw - the bands, one path per level of runs of equal cells, and the marks */
static void
grid_cells_draw (GString *out, const Grid *g, const TrPlot *p, double rh)
{
  static const char *const klass[N_LEVELS] = { "tr-g0", "tr-g1", "tr-g2", "tr-g3" };
  g_autoptr (GString) bands = g_string_new (NULL);
  g_autoptr (GString) marks = g_string_new (NULL);
  GString *d[N_LEVELS];
  guint n = g->cols.n;
  double cw = (p->x1 - p->x0) / n;

  for (int l = 0; l < N_LEVELS; l++)
    d[l] = g_string_new (NULL);
  for (guint r = 0; r < g->n_rows; r++)
    {
      const gint64 *v = g->value + (gsize) r * n;
      const guint8 *mk = g->mark + (gsize) r * n;
      double y = p->y0 + r * rh;

      if (r % 2 == 1)
        run (bands, p, cw, 0, n, y, 0, rh);
      for (guint c = 0, end; c < n; c = end)
        {
          int l = level (g, v[c]);

          for (end = c + 1; end < n && level (g, v[end]) == l; end++)
            ;
          if (l >= 0)
            run (d[l], p, cw, c, end, y, 1.5, rh - 3);
        }
      for (guint c = 0, end; c < n; c = end)
        {
          for (end = c + 1; end < n && mk[end] == mk[c]; end++)
            ;
          if (mk[c])
            run (marks, p, cw, c, end, y, rh - 1.5 - (rh - 3) * 0.4, (rh - 3) * 0.4);
        }
    }
  if (bands->len > 0)
    g_string_append_printf (out, "<path class=\"tr-band\" fill=\"#f2f2f2\" d=\"%s\"/>\n",
                            bands->str);
  for (int l = 0; l < N_LEVELS; l++)
    {
      if (d[l]->len > 0)
        g_string_append_printf (out, "<path class=\"%s\" fill=\"%s\" d=\"%s\"/>\n", klass[l],
                                level_fill[l], d[l]->str);
      g_string_free (d[l], TRUE);
    }
  if (marks->len > 0)
    g_string_append_printf (out, "<path class=\"tr-gmark\" fill=\"#D55E00\" d=\"%s\"/>\n",
                            marks->str);
}

/* label_column - the width of the widest of @labels, within the chart's third */
static double
label_column (char *const *labels, guint n)
{
  double w = 0;

  for (guint i = 0; i < n; i++)
    w = MAX (w, tr_chart_text_width (labels[i]));
  return MIN (w, TR_CHART_W / 3);
}

/* tr_svg_chart_grid - who reported when */
void
tr_svg_chart_grid (GString *out, const TrChartGrid *in)
{
  g_autofree char *id = NULL;
  g_autoptr (GString) desc = g_string_new (NULL);
  g_autoptr (GString) body = g_string_new (NULL);
  double rh;
  TrPlot p = { 0 };
  Grid g;

  g_return_if_fail (out != NULL && in != NULL);
  id = tr_chart_id (in->id);
  grid_init (&g, in);
  if (g.n_rows == 0)
    {
      tr_svg_no_data (out, id, in->title);
      grid_clear (&g);
      return;
    }
  grid_desc (desc, in, &g);
  rh = g.n_rows > 20 ? 12 : 16;
  /* drawn into @body first, as the height follows from the legend's */
  p.y0 = grid_legend (body, id, in, &g) + 8;
  p.x0 = TR_CHART_PAD + label_column (g.label, g.n_rows) + 6;
  p.x1 = TR_CHART_W - TR_CHART_PAD;
  p.y1 = p.y0 + g.n_rows * rh;
  p.x_grid = TRUE;
  grid_cells_draw (body, &g, &p, rh);
  g_string_append (body, "<g class=\"tr-tick\" text-anchor=\"end\">\n");
  for (guint r = 0; r < g.n_rows; r++)
    tr_svg_text (body, NULL, p.x0 - 6, p.y0 + r * rh + rh / 2 + 4, NULL, g.label[r]);
  g_string_append (body, "</g>\n");
  tr_svg_x_axis (body, &p, &g.cols, in->x_title ? in->x_title : g.cols.days ? "day (UTC)" : NULL);
  tr_svg_open (out, id, p.y1 + 14 + 3 * TR_CHART_FONT, in->title, desc->str);
  g_string_append_len (out, body->str, (gssize) body->len);
  tr_svg_close (out);
  grid_clear (&g);
}

/* top_desc - "x_title: a 1,234, b 567, c 89, and N more." */
static void
top_desc (GString *s, const TrChartTop *in, char *const *names, guint n)
{
  g_autofree char *what = tr_markup_clean (in->x_title ? in->x_title : "Top", TR_CHART_MAX_TITLE);

  if (in->desc != NULL)
    {
      g_autofree char *clean = tr_markup_clean (in->desc, TR_CHART_MAX_DESC);

      g_string_append (s, clean);
    }
  else
    {
      g_string_append_printf (s, "%s:", what);
      for (guint i = 0; i < MIN (n, 3u); i++)
        {
          g_string_append_printf (s, "%s %s ", i > 0 ? "," : "", names[i]);
          if (in->values[i] < 0)
            g_string_append (s, "unknown");
          else
            tr_chart_append_count (s, in->values[i]);
        }
      if (n > 3)
        g_string_append_printf (s, " and %u more", n - 3);
      g_string_append_c (s, '.');
    }
  if (in->n_items > n)
    g_string_append_printf (s, " %u more %s not drawn.", in->n_items - n,
                            in->n_items - n == 1 ? "item is" : "items are");
}

/* top_axis - gridlines, tick labels and title of the value axis below the bars */
static void
top_axis (GString *out, const TrPlot *p, const TrChartTicks *t, const char *title)
{
  g_autoptr (GString) grid = g_string_new (NULL);
  g_autoptr (GString) label = g_string_new (NULL);
  g_autofree char *clean = tr_markup_clean (title, TR_CHART_MAX_TITLE);

  g_string_append (out, "<g class=\"tr-tick\" text-anchor=\"middle\">\n");
  for (guint i = 0; i <= t->n; i++)
    {
      double x = i == t->n ? p->x1 : p->x0 + i * t->step * (p->x1 - p->x0) / t->max;

      g_string_truncate (label, 0);
      tr_chart_append_tick (label, t, i, FALSE);
      tr_svg_text (out, NULL, x, p->y1 + 5 + TR_CHART_FONT, NULL, label->str);
      tr_svg_rect (grid, x, p->y0, 0, p->y1 - p->y0 + 4);
    }
  g_string_append (out, "</g>\n");
  g_string_append_printf (out,
                          "<path class=\"tr-grid\" stroke=\"#ccc\" stroke-width=\"0.5\""
                          " fill=\"none\" d=\"%s\"/>\n",
                          grid->str);
  if (clean[0] != '\0')
    tr_svg_text (out, "tr-title", (p->x0 + p->x1) / 2, p->y1 + 10 + 2 * TR_CHART_FONT, "middle",
                 clean);
}

/* top_values - the widest value label of the first @n items, and the largest value */
static double
top_values (const TrChartTop *in, guint n, gint64 *max)
{
  g_autoptr (GString) s = g_string_new (NULL);
  double w = tr_chart_text_width ("unknown");

  *max = 0;
  for (guint i = 0; i < n; i++)
    {
      g_string_truncate (s, 0);
      tr_chart_append_count (s, MAX (in->values[i], 0));
      w = MAX (w, tr_chart_text_width (s->str));
      *max = MAX (*max, in->values[i]);
    }
  return w;
}

/* top_bars - one path of the bars, the names at the left and the values at the bars' ends */
static void
top_bars (GString *out, const TrChartTop *in, char *const *names, guint n, const TrPlot *p,
          const TrChartTicks *t, double rh)
{
  g_autoptr (GString) d = g_string_new (NULL);
  g_autoptr (GString) value = g_string_new (NULL);
  double scale = (p->x1 - p->x0) / t->max;

  g_string_append (out, "<g class=\"tr-tick\" text-anchor=\"end\">\n");
  for (guint i = 0; i < n; i++)
    tr_svg_text (out, NULL, p->x0 - 6, p->y0 + i * rh + rh / 2 + 4, NULL, names[i]);
  g_string_append (out, "</g>\n<g class=\"tr-value\">\n");
  for (guint i = 0; i < n; i++)
    {
      double w = in->values[i] > 0 ? MAX ((double) in->values[i] * scale, 1.0) : 0;

      if (w > 0)
        tr_svg_rect (d, p->x0, p->y0 + i * rh + 3, w, rh - 6);
      g_string_truncate (value, 0);
      if (in->values[i] < 0)
        g_string_append (value, "unknown");
      else
        tr_chart_append_count (value, in->values[i]);
      tr_svg_text (out, NULL, p->x0 + w + 4, p->y0 + i * rh + rh / 2 + 4, NULL, value->str);
    }
  g_string_append (out, "</g>\n");
  if (d->len > 0)
    g_string_append_printf (out, "<path class=\"tr-bar\" fill=\"#0072B2\" d=\"%s\"/>\n", d->str);
}

/* tr_svg_chart_top - horizontal bars of the first items */
void
tr_svg_chart_top (GString *out, const TrChartTop *in)
{
  guint max_items = in != NULL && in->max_items > 0 && in->max_items < TR_CHART_MAX_ITEMS
                        ? in->max_items
                        : TR_CHART_MAX_ITEMS;
  guint n
      = in != NULL && in->names != NULL && in->values != NULL ? MIN (in->n_items, max_items) : 0;
  g_auto (GStrv) names = g_new0 (char *, n + 1);
  g_autofree char *id = NULL;
  g_autoptr (GString) desc = g_string_new (NULL);
  double rh = 20;
  gboolean any = FALSE;
  gint64 max;
  TrChartTicks t;
  TrPlot p = { 0 };

  g_return_if_fail (out != NULL && in != NULL);
  id = tr_chart_id (in->id);
  for (guint i = 0; i < n; i++)
    names[i] = tr_markup_clean (in->names[i], TR_CHART_MAX_LABEL);
  p.x1 = TR_CHART_W - TR_CHART_PAD - top_values (in, n, &max) - 4;
  for (guint i = 0; i < n; i++)
    any |= in->values[i] >= 0;
  if (!any)
    {
      tr_svg_no_data (out, id, in->title);
      return;
    }
  top_desc (desc, in, names, n);
  tr_chart_ticks ((double) max, TRUE, &t);
  p.x0 = TR_CHART_PAD + label_column (names, n) + 6;
  p.y0 = TR_CHART_TOP;
  p.y1 = p.y0 + n * rh;
  tr_svg_open (out, id, p.y1 + 14 + 2 * TR_CHART_FONT + (in->n_items > n ? TR_CHART_FONT + 6 : 0),
               in->title, desc->str);
  top_axis (out, &p, &t, in->x_title);
  top_bars (out, in, names, n, &p, &t, rh);
  if (in->n_items > n)
    {
      g_autofree char *note = g_strdup_printf ("%u more not shown", in->n_items - n);

      tr_svg_text (out, "tr-note", TR_CHART_PAD, p.y1 + 12 + 3 * TR_CHART_FONT, NULL, note);
    }
  tr_svg_close (out);
}
