/* svg-chart.c - stacked bars and areas, line charts, and the charts' style sheet
 *
 * The report page draws its charts itself, as inline SVG: no JavaScript, no library, nothing
 * fetched, so that it opens from a mail attachment or a file offline, prints, and cannot leak
 * that it was opened.  SVG is drawn in one pass over already aggregated columns, and each series
 * is one <path> whatever the number of columns, which keeps a year of days small (see the size
 * figures in svg-chart.h).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "markup.h"
#include "svg-chart-private.h"

/* the data of a chart over columns, as drawn */
typedef struct
{
  TrColumns cols;
  TrChartSeriesData series[TR_CHART_MAX_SERIES];
  guint n_series;
  guint n_folded;  /* series summed into the last one, "other" */
  guint n_dropped; /* series of values not drawn */
  TrChartSeriesData rate;
  gboolean has_rate;
  gboolean any; /* some value to draw */
} Model;

/* model_init - @chart's columns and series, within the bounds; counts when @counts, else as the
 * first series has them */
static void
model_init (Model *m, const TrChart *chart, gboolean counts, gboolean with_rate)
{
  guint n = chart->series != NULL ? chart->n_series : 0, keep = n;

  memset (m, 0, sizeof *m);
  tr_columns_init (&m->cols, chart->categories, chart->n_categories, chart->max_columns);
  counts = counts || (n > 0 && chart->series[0].counts != NULL);
  if (n > TR_CHART_MAX_SERIES)
    keep = counts ? TR_CHART_MAX_SERIES - 1 : TR_CHART_MAX_SERIES;
  for (guint i = 0; i < keep; i++)
    {
      tr_chart_series_init (&m->series[i], chart->series[i].name, &m->cols, counts);
      tr_chart_series_add (&m->series[i], &chart->series[i], &m->cols, chart->percent);
    }
  m->n_series = keep;
  if (n > keep && counts)
    {
      tr_chart_series_init (&m->series[keep], "other", &m->cols, TRUE);
      for (guint i = keep; i < n; i++)
        tr_chart_series_add (&m->series[keep], &chart->series[i], &m->cols, FALSE);
      m->n_series++;
      m->n_folded = n - keep;
    }
  else
    m->n_dropped = n - keep;
  for (guint i = 0; i < m->n_series; i++)
    {
      tr_chart_series_finish (&m->series[i], m->cols.n);
      m->any |= m->series[i].any;
    }
  m->has_rate = with_rate && chart->rate != NULL;
  if (m->has_rate)
    {
      tr_chart_series_init (&m->rate, chart->rate->name, &m->cols, FALSE);
      tr_chart_series_add (&m->rate, chart->rate, &m->cols, TRUE);
      tr_chart_series_finish (&m->rate, m->cols.n);
      m->any |= m->rate.any;
    }
  m->any &= m->cols.n > 0;
}

/* model_clear - free what @m holds */
static void
model_clear (Model *m)
{
  for (guint i = 0; i < m->n_series; i++)
    tr_chart_series_clear (&m->series[i]);
  if (m->has_rate)
    tr_chart_series_clear (&m->rate);
  tr_columns_clear (&m->cols);
}

/* append_notes - what the bounds left out, for <desc> */
static void
append_notes (GString *s, const Model *m)
{
  tr_columns_append_group_note (s, &m->cols, "counts summed, rates averaged");
  if (m->n_folded > 0)
    g_string_append_printf (s, " The last %u series are summed as \xe2\x80\x9cother\xe2\x80\x9d.",
                            m->n_folded);
  if (m->n_dropped > 0)
    g_string_append_printf (s, " %u more series %s not drawn.", m->n_dropped,
                            m->n_dropped == 1 ? "is" : "are");
}

/* append_caller_desc - the caller's sentence, or FALSE when there is none */
static gboolean
append_caller_desc (GString *s, const char *desc)
{
  g_autofree char *clean = NULL;

  if (desc == NULL)
    return FALSE;
  clean = tr_markup_clean (desc, TR_CHART_MAX_DESC);
  g_string_append (s, clean);
  return TRUE;
}

/* append_value - @v as a percentage, a count or a plain number */
static void
append_value (GString *s, double v, gboolean percent, gboolean counts)
{
  if (percent)
    tr_chart_append_percent (s, v);
  else if (counts)
    tr_chart_append_count (s, v >= 9.2e18 ? G_MAXINT64 : (gint64) v);
  else
    tr_chart_append_fixed (s, v, v < 10 ? 2 : 0);
}

/* stacked_desc - "Stacked bars from A to B (N days): T in all; a x (p%), ...; rate highest r%
 * on D." and the notes */
static void
stacked_desc (GString *s, const TrChart *chart, const Model *m, TrChartShape shape)
{
  gint64 total = 0;

  if (!append_caller_desc (s, chart->desc))
    {
      g_string_append (s, shape == TR_CHART_AREA ? "Stacked areas " : "Stacked bars ");
      tr_columns_append_range (s, &m->cols);
      for (guint i = 0; i < m->n_series; i++)
        total = tr_chart_add (total, m->series[i].total);
      g_string_append (s, ": ");
      tr_chart_append_count (s, total);
      g_string_append (s, " in all");
      for (guint i = 0; i < m->n_series; i++)
        {
          g_string_append_printf (s, "%s%s ", i == 0 ? "; " : ", ", m->series[i].name);
          tr_chart_append_count (s, m->series[i].total);
          if (total > 0)
            {
              g_string_append (s, " (");
              tr_chart_append_percent (s, 100.0 * m->series[i].total / total);
              g_string_append_c (s, ')');
            }
        }
      if (m->has_rate && m->rate.any)
        {
          g_string_append_printf (s, "; %s highest ", m->rate.name);
          tr_chart_append_percent (s, m->rate.peak);
          tr_columns_append_at (s, &m->cols, m->rate.peak_col);
        }
      g_string_append_c (s, '.');
    }
  append_notes (s, m);
}

/* legend - one item per series (@kind), and the rate line; returns the y below it */
static double
legend (GString *out, const char *id, const Model *m, TrSwatchKind kind)
{
  TrLegendItem items[TR_CHART_MAX_SERIES + 1];
  guint n = 0;

  for (guint i = 0; i < m->n_series; i++)
    items[n++] = (TrLegendItem){ .text = m->series[i].name, .kind = kind, .slot = i };
  if (m->has_rate)
    items[n++] = (TrLegendItem){ .text = m->rate.name, .kind = TR_SWATCH_RATE };
  return tr_svg_legend (out, id, items, n, TR_CHART_TOP);
}

/* layout - the plot area below @top, with room for the left axis's @t labels and the right's
 * @t2 (NULL: no right axis) */
static void
layout (TrPlot *p, double top, const TrChartTicks *t, gboolean percent, const TrChartTicks *t2)
{
  memset (p, 0, sizeof *p);
  p->x0 = TR_CHART_PAD + TR_CHART_FONT + 10 + tr_svg_y_ticks_width (t, percent);
  p->x1 = TR_CHART_W - TR_CHART_PAD - 6;
  if (t2 != NULL)
    p->x1 -= TR_CHART_FONT + 8 + tr_svg_y_ticks_width (t2, TRUE);
  p->y0 = top + 8;
  p->y1 = TR_CHART_H - 18 - 3 * TR_CHART_FONT;
}

/* bars - the stacked bars: one path per series, a vertical segment per column stroked as wide
 * as a bar (16 bytes a bar where a rectangle takes 26); a value above 0 is at least one unit
 * high, so that one failure among millions of sessions still shows */
static void
bars (GString *out, const char *id, const Model *m, const TrPlot *p, const TrChartTicks *t)
{
  guint n = m->cols.n;
  double band = (p->x1 - p->x0) / n, scale = (p->y1 - p->y0) / t->max;
  double bw = MIN (band >= 3 ? band * 0.8 : band, 48);
  g_autofree double *base = g_new (double, n);
  g_autoptr (GString) d = g_string_new (NULL);

  for (guint col = 0; col < n; col++)
    base[col] = p->y1;
  for (guint i = 0; i < m->n_series; i++)
    {
      g_string_truncate (d, 0);
      for (guint col = 0; col < n; col++)
        {
          double v = m->series[i].v[col], top;

          if (!(v > 0))
            continue;
          top = MAX (base[col] - MAX (v * scale, 1.0), p->y0);
          if (base[col] - top < 0.05)
            continue;
          g_string_append_c (d, 'M');
          tr_chart_append_coord (d, p->x0 + (col + 0.5) * band);
          g_string_append_c (d, ',');
          tr_chart_append_coord (d, base[col]);
          g_string_append_c (d, 'V');
          tr_chart_append_coord (d, top);
          base[col] = top;
        }
      if (d->len == 0)
        continue;
      g_string_append (out, "<path");
      tr_svg_stroke (out, id, i, bw);
      g_string_append_printf (out, " d=\"%s\"/>\n", d->str);
    }
}

/* point - append "x,y" of column @col at value @v */
static void
point (GString *d, const TrPlot *p, guint n, guint col, double v, double scale)
{
  tr_chart_append_coord (d, p->x0 + (col + 0.5) * (p->x1 - p->x0) / n);
  g_string_append_c (d, ',');
  tr_chart_append_coord (d, MAX (p->y1 - v * scale, p->y0));
}

/* areas - the stacked areas, through the columns' centres: per series, along its top from left
 * to right and back along the top of the one below */
static void
areas (GString *out, const char *id, const Model *m, const TrPlot *p, const TrChartTicks *t)
{
  guint n = m->cols.n;
  double scale = (p->y1 - p->y0) / t->max;
  g_autofree double *below = g_new0 (double, n);
  g_autofree double *above = g_new0 (double, n);
  g_autoptr (GString) d = g_string_new (NULL);

  for (guint i = 0; i < m->n_series; i++)
    {
      gboolean some = FALSE;

      g_string_assign (d, "M");
      for (guint col = 0; col < n; col++)
        {
          double v = m->series[i].v[col];

          some |= v > 0;
          above[col] = below[col] + (v > 0 ? v : 0);
          g_string_append (d, col == 1 ? "L" : col > 0 ? " " : "");
          point (d, p, n, col, above[col], scale);
        }
      for (guint col = n; col-- > 0;)
        {
          g_string_append_c (d, ' ');
          point (d, p, n, col, below[col], scale);
        }
      memcpy (below, above, n * sizeof *below);
      if (!some)
        continue;
      g_string_append (out, "<path");
      tr_svg_fill (out, id, i);
      g_string_append_printf (out, " d=\"%sz\"/>\n", d->str);
    }
}

/* line_data - path data through @v's present values, a gap at each missing one; a point alone
 * is a dot (a segment of length 0 with round caps) */
static void
line_data (GString *d, const TrPlot *p, const double *v, guint n, double scale)
{
  gboolean pen = FALSE;

  for (guint col = 0; col < n; col++)
    {
      if (isnan (v[col]))
        {
          pen = FALSE;
          continue;
        }
      g_string_append_c (d, pen ? ' ' : 'M');
      point (d, p, n, col, v[col], scale);
      if (!pen && (col + 1 == n || isnan (v[col + 1])))
        g_string_append (d, "h0");
      pen = TRUE;
    }
}

/* rate_line - the rate, on the right axis @t, over a halo that keeps it clear of the bars */
static void
rate_line (GString *out, const Model *m, const TrPlot *p, const TrChartTicks *t)
{
  g_autoptr (GString) d = g_string_new (NULL);

  line_data (d, p, m->rate.v, m->cols.n, (p->y1 - p->y0) / t->max);
  if (d->len == 0)
    return;
  g_string_append_printf (out,
                          "<path class=\"tr-halo\" stroke=\"#fff\" stroke-width=\"4\" fill=\"none\""
                          " stroke-linejoin=\"round\" stroke-linecap=\"round\" d=\"%s\"/>\n"
                          "<path class=\"tr-rate\" stroke=\"#000\" stroke-width=\"1.5\""
                          " fill=\"none\" stroke-linejoin=\"round\" stroke-linecap=\"round\""
                          " d=\"%s\"/>\n",
                          d->str, d->str);
}

/* stacked_max - the highest stack of @m */
static double
stacked_max (const Model *m)
{
  double max = 0;

  for (guint col = 0; col < m->cols.n; col++)
    {
      double sum = 0;

      for (guint i = 0; i < m->n_series; i++)
        if (m->series[i].v[col] > 0)
          sum += m->series[i].v[col];
      max = MAX (max, sum);
    }
  return max;
}

/* tr_svg_chart_stacked - stacked bars or areas of counts, with an optional rate line */
void
tr_svg_chart_stacked (GString *out, const TrChart *chart, TrChartShape shape)
{
  g_autofree char *id = NULL;
  g_autoptr (GString) desc = g_string_new (NULL);
  TrChartTicks t, t2;
  TrPlot p;
  Model m;

  g_return_if_fail (out != NULL && chart != NULL);
  id = tr_chart_id (chart->id);
  model_init (&m, chart, TRUE, TRUE);
  if (!m.any)
    {
      tr_svg_no_data (out, id, chart->title);
      model_clear (&m);
      return;
    }
  stacked_desc (desc, chart, &m, shape);
  tr_svg_open (out, id, TR_CHART_H, chart->title, desc->str);
  tr_svg_patterns (out, id, m.n_series);
  tr_chart_ticks (stacked_max (&m), TRUE, &t);
  tr_chart_ticks (m.has_rate ? m.rate.peak : 0, FALSE, &t2);
  layout (&p, legend (out, id, &m, TR_SWATCH_FILL), &t, FALSE, m.has_rate ? &t2 : NULL);
  tr_svg_y_axis (out, &p, &t, FALSE, chart->y_title, FALSE);
  if (m.has_rate)
    tr_svg_y_axis (out, &p, &t2, TRUE, chart->y2_title ? chart->y2_title : m.rate.name, TRUE);
  if (shape == TR_CHART_AREA && m.cols.n > 1)
    areas (out, id, &m, &p, &t);
  else
    bars (out, id, &m, &p, &t);
  tr_svg_x_axis (out, &p, &m.cols,
                 chart->x_title ? chart->x_title
                 : m.cols.days  ? "day (UTC)"
                                : NULL);
  if (m.has_rate)
    rate_line (out, &m, &p, &t2);
  tr_svg_close (out);
  model_clear (&m);
}

/* lines_desc - "Lines from A to B (N days); highest: a x on D, ..." and the notes */
static void
lines_desc (GString *s, const TrChart *chart, const Model *m)
{
  if (!append_caller_desc (s, chart->desc))
    {
      g_string_append (s, "Lines ");
      tr_columns_append_range (s, &m->cols);
      g_string_append (s, "; highest:");
      for (guint i = 0; i < m->n_series; i++)
        {
          const TrChartSeriesData *d = &m->series[i];

          g_string_append_printf (s, "%s %s ", i == 0 ? "" : ",", d->name);
          if (!d->any)
            {
              g_string_append (s, "no data");
              continue;
            }
          append_value (s, d->peak, chart->percent, d->counts);
          tr_columns_append_at (s, &m->cols, d->peak_col);
        }
      g_string_append_c (s, '.');
    }
  append_notes (s, m);
}

/* lines - one path per series, its markers at every point when there are few, else at its
 * last point only */
static void
lines (GString *out, const Model *m, const TrPlot *p, const TrChartTicks *t)
{
  guint n = m->cols.n;
  double scale = (p->y1 - p->y0) / t->max;
  g_autoptr (GString) d = g_string_new (NULL);

  for (guint i = 0; i < m->n_series; i++)
    {
      const double *v = m->series[i].v;

      g_string_truncate (d, 0);
      line_data (d, p, v, n, scale);
      if (d->len == 0)
        continue;
      g_string_append (out, "<path");
      tr_svg_line_style (out, i);
      g_string_append_printf (out, " d=\"%s\"/>\n", d->str);
      g_string_truncate (d, 0);
      for (guint col = n; col-- > 0;)
        {
          if (isnan (v[col]))
            continue;
          tr_svg_marker (d, i, p->x0 + (col + 0.5) * (p->x1 - p->x0) / n,
                         MAX (p->y1 - v[col] * scale, p->y0));
          if (n > 31)
            break;
        }
      g_string_append (out, "<path");
      tr_svg_marker_style (out, i);
      g_string_append_printf (out, " d=\"%s\"/>\n", d->str);
    }
}

/* tr_svg_chart_lines - one line per series */
void
tr_svg_chart_lines (GString *out, const TrChart *chart)
{
  g_autofree char *id = NULL;
  g_autoptr (GString) desc = g_string_new (NULL);
  double max = 0;
  TrChartTicks t;
  TrPlot p;
  Model m;

  g_return_if_fail (out != NULL && chart != NULL);
  id = tr_chart_id (chart->id);
  model_init (&m, chart, FALSE, FALSE);
  if (!m.any)
    {
      tr_svg_no_data (out, id, chart->title);
      model_clear (&m);
      return;
    }
  lines_desc (desc, chart, &m);
  tr_svg_open (out, id, TR_CHART_H, chart->title, desc->str);
  for (guint i = 0; i < m.n_series; i++)
    max = MAX (max, m.series[i].peak);
  tr_chart_ticks (max, m.series[0].counts && !chart->percent, &t);
  layout (&p, legend (out, id, &m, TR_SWATCH_LINE), &t, chart->percent, NULL);
  tr_svg_y_axis (out, &p, &t, chart->percent, chart->y_title, FALSE);
  tr_svg_x_axis (out, &p, &m.cols,
                 chart->x_title ? chart->x_title
                 : m.cols.days  ? "day (UTC)"
                                : NULL);
  lines (out, &m, &p, &t);
  tr_svg_close (out);
  model_clear (&m);
}

/* tr_svg_chart_css - the classes' colours: light, dark, print */
void
tr_svg_chart_css (GString *out)
{
  static const char css[]
      = ".tr-chart-wrap{overflow-x:auto}\n"
        ".tr-chart{display:block;width:100%;height:auto;min-width:32rem;color:var(--tr-fg);"
        "font-family:system-ui,sans-serif;--tr-fg:#1a1a1a;--tr-bg:#fff;--tr-grid:#ccc;"
        "--tr-band:#f2f2f2;--tr-c0:#0072B2;--tr-c1:#D55E00;--tr-c2:#009E73;--tr-c3:#E69F00;"
        "--tr-c4:#CC79A7;--tr-c5:#56B4E9;--tr-c6:#F0E442;--tr-c7:#999;--tr-g0:#d9d9d9;"
        "--tr-g1:#b3d4ea;--tr-g2:#5aa0cf;--tr-g3:#0072B2}\n"
        ".tr-f0{fill:var(--tr-c0)}.tr-f1{fill:var(--tr-c1)}.tr-f2{fill:var(--tr-c2)}"
        ".tr-f3{fill:var(--tr-c3)}.tr-f4{fill:var(--tr-c4)}.tr-f5{fill:var(--tr-c5)}"
        ".tr-f6{fill:var(--tr-c6)}.tr-f7{fill:var(--tr-c7)}\n"
        ".tr-l0{stroke:var(--tr-c0)}.tr-l1{stroke:var(--tr-c1)}.tr-l2{stroke:var(--tr-c2)}"
        ".tr-l3{stroke:var(--tr-c3)}.tr-l4{stroke:var(--tr-c4)}.tr-l5{stroke:var(--tr-c5)}"
        ".tr-l6{stroke:var(--tr-c6)}.tr-l7{stroke:var(--tr-c7)}\n"
        ".tr-tex,.tr-halo{stroke:var(--tr-bg)}.tr-edge,.tr-rate,.tr-axis{stroke:var(--tr-fg)}"
        ".tr-grid{stroke:var(--tr-grid)}.tr-band{fill:var(--tr-band)}\n"
        ".tr-g0{fill:var(--tr-g0)}.tr-g1{fill:var(--tr-g1)}.tr-g2{fill:var(--tr-g2)}"
        ".tr-g3{fill:var(--tr-g3)}.tr-gmark{fill:var(--tr-c1)}.tr-bar{fill:var(--tr-c0)}\n"
        "@media (prefers-color-scheme:dark){.tr-chart{--tr-fg:#e6e6e6;--tr-bg:#121212;"
        "--tr-grid:#474747;--tr-band:#1e1e1e;--tr-g0:#3d3d3d;--tr-g1:#1d4a66;--tr-g2:#2f7fb8;"
        "--tr-g3:#56B4E9}}\n"
        "@media print{.tr-chart-wrap{overflow:visible}.tr-chart{min-width:0;break-inside:avoid;"
        "print-color-adjust:exact;-webkit-print-color-adjust:exact;--tr-fg:#000;--tr-bg:#fff;"
        "--tr-grid:#bbb;--tr-band:#f2f2f2;--tr-g0:#d9d9d9;--tr-g1:#b3d4ea;--tr-g2:#5aa0cf;"
        "--tr-g3:#0072B2}}\n";

  g_string_append (out, css);
}
