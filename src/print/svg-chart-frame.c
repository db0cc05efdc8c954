/* svg-chart-frame.c - what every SVG chart has: the <svg> element, patterns, legend, axes
 *
 * Colours are classes (the page's style sheet restyles them for dark mode and print) with a
 * fallback attribute beside each, since a class rule wins over an attribute.  Series 1..7 fill
 * with a pattern: the series' colour under a texture of its own, so that bars stay apart in
 * greyscale print and for readers who cannot tell the colours apart.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "markup.h"
#include "svg-chart-private.h"

/* Okabe-Ito, less black (the text's colour), most distinct first; grey for "other" */
static const char *const palette[TR_CHART_MAX_SERIES] = {
  "#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442", "#999999",
};
/* a 6 x 6 tile each: none, /, dots, \, -, |, +, x */
static const char *const textures[TR_CHART_MAX_SERIES] = {
  NULL,           "M0,6L6,0M-1,1L1,-1M5,7L7,5",
  "M2.2,3h1.6",   "M0,0L6,6M-1,5L1,7M5,-1L7,1",
  "M0,3h6",       "M3,0v6",
  "M0,3h6M3,0v6", "M0,0L6,6M6,0L0,6",
};
/* line dashes, in viewBox units */
static const char *const dashes[TR_CHART_MAX_SERIES] = {
  NULL, "7 3", "2 3", "9 3 2 3", "4 4", "12 4", "2 2 6 2", "1 4",
};

/* coord - append " x,y" or "x,y" */
static void
coord (GString *out, double x, double y)
{
  tr_chart_append_coord (out, x);
  g_string_append_c (out, ',');
  tr_chart_append_coord (out, y);
}

/* attr - append ' NAME="x"' */
static void
attr (GString *out, const char *name, double v)
{
  g_string_append_printf (out, " %s=\"", name);
  tr_chart_append_coord (out, v);
  g_string_append_c (out, '"');
}

/* tr_svg_open - the <svg> element, its <title> (@title: raw) and <desc> (@desc: clean), and
 * the title again as a heading (tidy 5.6 warns about an id on an SVG <title>, taking it for
 * HTML's, so aria-labelledby names the heading; the page may hide it with CSS and keep its own
 * caption, and the name still comes from it); the content starts at TR_CHART_TOP */
void
tr_svg_open (GString *out, const char *id, double h, const char *title, const char *desc)
{
  g_autofree char *clean = tr_markup_clean (title != NULL ? title : "Chart", TR_CHART_MAX_TITLE);

  g_string_append_printf (out,
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tr-chart\" id=\"%s\""
                          " viewBox=\"0 0 640 ",
                          id);
  tr_chart_append_coord (out, h);
  g_string_append_printf (out,
                          "\" width=\"100%%\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\""
                          " aria-labelledby=\"%s-title\" aria-describedby=\"%s-desc\">\n<title>",
                          id, id);
  tr_markup_append_escaped (out, clean);
  g_string_append_printf (out, "</title>\n<desc id=\"%s-desc\">", id);
  tr_markup_append_escaped (out, desc);
  /* presentation attributes on a <g>: tidy 5.6 calls them proprietary on <svg> */
  g_string_append_printf (out,
                          "</desc>\n<g font-family=\"sans-serif\" font-size=\"%d\""
                          " fill=\"currentColor\">\n<text id=\"%s-title\" class=\"tr-heading\""
                          " x=\"8\" y=\"21\" font-size=\"%d\" font-weight=\"bold\">",
                          (int) TR_CHART_FONT, id, (int) TR_CHART_FONT + 2);
  tr_markup_append_escaped (out, clean);
  g_string_append (out, "</text>\n");
}

/* tr_svg_close - the end of the <svg> element */
void
tr_svg_close (GString *out)
{
  g_string_append (out, "</g>\n</svg>\n");
}

/* tr_svg_patterns - the fill patterns of series slots 1 .. @n_slots - 1 */
void
tr_svg_patterns (GString *out, const char *id, guint n_slots)
{
  n_slots = MIN (n_slots, TR_CHART_MAX_SERIES);
  if (n_slots < 2)
    return;
  g_string_append (out, "<defs>");
  for (guint s = 1; s < n_slots; s++)
    g_string_append_printf (out,
                            "<pattern id=\"%s-p%u\" width=\"6\" height=\"6\""
                            " patternUnits=\"userSpaceOnUse\"><rect class=\"tr-f%u\" width=\"6\""
                            " height=\"6\" fill=\"%s\"/><path class=\"tr-tex\" d=\"%s\""
                            " stroke=\"#fff\" stroke-width=\"1.2\" stroke-opacity=\"0.7\"/>"
                            "</pattern>",
                            id, s, s, palette[s], textures[s]);
  g_string_append (out, "</defs>\n");
}

/* tr_svg_fill - the fill attributes of series slot @slot: its class, or its pattern */
void
tr_svg_fill (GString *out, const char *id, guint slot)
{
  slot = MIN (slot, TR_CHART_MAX_SERIES - 1);
  if (slot == 0)
    g_string_append_printf (out, " class=\"tr-f0\" fill=\"%s\"", palette[0]);
  else
    g_string_append_printf (out, " fill=\"url(#%s-p%u)\"", id, slot);
}

/* tr_svg_stroke - the attributes of a stroke @width wide in series slot @slot's fill: its
 * class, or its pattern (bars are drawn as wide strokes) */
void
tr_svg_stroke (GString *out, const char *id, guint slot, double width)
{
  slot = MIN (slot, TR_CHART_MAX_SERIES - 1);
  if (slot == 0)
    g_string_append_printf (out, " class=\"tr-l0\" stroke=\"%s\"", palette[0]);
  else
    g_string_append_printf (out, " stroke=\"url(#%s-p%u)\"", id, slot);
  attr (out, "stroke-width", width);
  g_string_append (out, " fill=\"none\"");
}

/* tr_svg_line_style - the attributes of a line of series slot @slot: colour and dash */
void
tr_svg_line_style (GString *out, guint slot)
{
  slot = MIN (slot, TR_CHART_MAX_SERIES - 1);
  g_string_append_printf (out,
                          " class=\"tr-l%u\" stroke=\"%s\" stroke-width=\"2\" fill=\"none\""
                          " stroke-linejoin=\"round\" stroke-linecap=\"round\"",
                          slot, palette[slot]);
  if (dashes[slot] != NULL)
    g_string_append_printf (out, " stroke-dasharray=\"%s\"", dashes[slot]);
}

/* tr_svg_marker_style - the attributes of the markers of series slot @slot */
void
tr_svg_marker_style (GString *out, guint slot)
{
  slot = MIN (slot, TR_CHART_MAX_SERIES - 1);
  g_string_append_printf (out, " class=\"tr-f%u\" fill=\"%s\"", slot, palette[slot]);
}

/* tr_svg_marker - path data of the marker shape of slot @slot at @x, @y: circle, square,
 * triangle, diamond, triangle down, plus, hourglass, bar */
void
tr_svg_marker (GString *d, guint slot, double x, double y)
{
  static const struct
  {
    double dx, dy;
    const char *rest;
  } shapes[TR_CHART_MAX_SERIES] = {
    { -3.5, 0, "a3.5,3.5 0 1,0 7,0a3.5,3.5 0 1,0 -7,0z" },
    { -3, -3, "h6v6h-6z" },
    { 0, -4.5, "l4.5,8h-9z" },
    { 0, -4.5, "l4.5,4.5-4.5,4.5-4.5-4.5z" },
    { 0, 4.5, "l4.5,-8h-9z" },
    { -4.5, -1.5, "h9v3h-9zm3,-3h3v9h-3z" },
    { -4, -4, "h8l-8,8h8z" },
    { -4.5, -2, "h9v4h-9z" },
  };

  slot = MIN (slot, TR_CHART_MAX_SERIES - 1);
  g_string_append_c (d, 'M');
  coord (d, x + shapes[slot].dx, y + shapes[slot].dy);
  g_string_append (d, shapes[slot].rest);
}

/* tr_svg_rect - path data of a rectangle */
void
tr_svg_rect (GString *d, double x, double y, double w, double h)
{
  g_string_append_c (d, 'M');
  coord (d, x, y);
  g_string_append_c (d, 'h');
  tr_chart_append_coord (d, w);
  g_string_append_c (d, 'v');
  tr_chart_append_coord (d, h);
  g_string_append_c (d, 'h');
  tr_chart_append_coord (d, -w);
  g_string_append_c (d, 'z');
}

/* tr_svg_text - a <text> of @clean at @x, @y; @klass and @anchor may be NULL */
void
tr_svg_text (GString *out, const char *klass, double x, double y, const char *anchor,
             const char *clean)
{
  g_string_append (out, "<text");
  if (klass != NULL)
    g_string_append_printf (out, " class=\"%s\"", klass);
  attr (out, "x", x);
  attr (out, "y", y);
  if (anchor != NULL)
    g_string_append_printf (out, " text-anchor=\"%s\"", anchor);
  g_string_append_c (out, '>');
  tr_markup_append_escaped (out, clean);
  g_string_append (out, "</text>\n");
}

/* swatch - the legend swatch of @item, 18 wide and 12 high at @x, @y */
static void
swatch (GString *out, const char *id, const TrLegendItem *item, double x, double y)
{
  g_autoptr (GString) d = g_string_new (NULL);

  switch (item->kind)
    {
      case TR_SWATCH_FILL:
        g_string_append (out, "<path");
        tr_svg_fill (out, id, item->slot);
        tr_svg_rect (d, x + 3, y, 12, 12);
        break;
      case TR_SWATCH_CLASS:
        g_string_append_printf (out, "<path class=\"%s\" fill=\"%s\"", item->klass, item->fill);
        tr_svg_rect (d, x + 3, item->half ? y + 7 : y, 12, item->half ? 5 : 12);
        break;
      case TR_SWATCH_LINE:
        g_string_append (out, "<path");
        tr_svg_line_style (out, item->slot);
        g_string_append (out, " d=\"M");
        coord (out, x, y + 6);
        g_string_append (out, "h18\"/><path");
        tr_svg_marker_style (out, item->slot);
        tr_svg_marker (d, item->slot, x + 9, y + 6);
        break;
      case TR_SWATCH_RATE:
        g_string_append (out, "<path class=\"tr-rate\" stroke=\"#000\" stroke-width=\"1.5\""
                              " fill=\"none\"");
        g_string_append_c (d, 'M');
        coord (d, x, y + 6);
        g_string_append (d, "h18");
        break;
      case TR_SWATCH_NONE:
        return;
    }
  g_string_append_printf (out, " d=\"%s\"/>", d->str);
  if (item->kind == TR_SWATCH_FILL || item->kind == TR_SWATCH_CLASS)
    {
      /* an outline, as the swatches of light colours fade into the page */
      g_string_append (out, "<path class=\"tr-edge\" fill=\"none\" stroke=\"#000\""
                            " stroke-opacity=\"0.4\" stroke-width=\"0.5\"");
      g_string_append_printf (out, " d=\"%s\"/>", d->str);
    }
}

/* tr_svg_legend - @items in rows from the top at @y, wrapped to the chart's width; returns
 * the y below the legend */
double
tr_svg_legend (GString *out, const char *id, const TrLegendItem *items, guint n, double y)
{
  double x = TR_CHART_PAD, row = TR_CHART_FONT + 6;

  g_string_append (out, "<g class=\"tr-legend\">\n");
  for (guint i = 0; i < n; i++)
    {
      double sw = items[i].kind == TR_SWATCH_NONE ? 0 : 22;
      double w = sw + tr_chart_text_width (items[i].text) + 14;

      if (x + w > TR_CHART_W - TR_CHART_PAD && x > TR_CHART_PAD)
        {
          x = TR_CHART_PAD;
          y += row;
        }
      swatch (out, id, &items[i], x, y);
      tr_svg_text (out, NULL, x + sw, y + 10, NULL, items[i].text);
      x += w;
    }
  g_string_append (out, "</g>\n");
  return y + row;
}

/* tr_svg_y_ticks_width - the width of the widest tick label of @t */
double
tr_svg_y_ticks_width (const TrChartTicks *t, gboolean percent)
{
  g_autoptr (GString) s = g_string_new (NULL);
  double w = 0;

  for (guint i = 0; i <= t->n; i++)
    {
      g_string_truncate (s, 0);
      tr_chart_append_tick (s, t, i, percent);
      w = MAX (w, tr_chart_text_width (s->str));
    }
  return w;
}

/* tr_svg_y_axis - ticks, labels and title of a value axis at the left (with gridlines) or at
 * the @right of @p */
void
tr_svg_y_axis (GString *out, const TrPlot *p, const TrChartTicks *t, gboolean percent,
               const char *title, gboolean right)
{
  g_autoptr (GString) grid = g_string_new (NULL);
  g_autoptr (GString) label = g_string_new (NULL);
  g_autofree char *clean = tr_markup_clean (title, TR_CHART_MAX_TITLE);
  double scale = (p->y1 - p->y0) / t->max;

  g_string_append_printf (out, "<g class=\"tr-tick\" text-anchor=\"%s\">\n",
                          right ? "start" : "end");
  for (guint i = 0; i <= t->n; i++)
    {
      double y = p->y1 - i * t->step * scale;

      if (i == t->n)
        y = p->y0;
      g_string_truncate (label, 0);
      tr_chart_append_tick (label, t, i, percent);
      tr_svg_text (out, NULL, right ? p->x1 + 6 : p->x0 - 6, y + 4, NULL, label->str);
      if (!right && i > 0)
        {
          g_string_append_c (grid, 'M');
          coord (grid, p->x0, y);
          g_string_append_c (grid, 'H');
          tr_chart_append_coord (grid, p->x1);
        }
    }
  g_string_append (out, "</g>\n");
  if (grid->len > 0)
    g_string_append_printf (out,
                            "<path class=\"tr-grid\" stroke=\"#ccc\" stroke-width=\"0.5\""
                            " d=\"%s\"/>\n",
                            grid->str);
  if (clean[0] == '\0')
    return;
  g_string_append (out, "<text class=\"tr-title\" text-anchor=\"middle\" transform=\"translate(");
  coord (out, right ? TR_CHART_W - TR_CHART_PAD : TR_CHART_PAD + TR_CHART_FONT,
         (p->y0 + p->y1) / 2);
  g_string_append (out, ") rotate(-90)\">");
  tr_markup_append_escaped (out, clean);
  g_string_append (out, "</text>\n");
}

/* x_tick - a labelled tick of column @col at the bottom of @p, unless it would overlap the
 * one before (*@last_right), with the year below it when that changed; its x added to @xs */
static gboolean
x_tick (GString *out, GArray *xs, const TrPlot *p, const TrColumns *c, guint col, guint mode,
        double *last_right, guint *last_year)
{
  guint year;
  g_autofree char *label = tr_columns_tick_label (c, col, mode, &year);
  double w = tr_chart_text_width (label), band = (p->x1 - p->x0) / c->n;
  double x = p->x0 + (col + 0.5) * band;
  double tx = CLAMP (x, w / 2 + 2, TR_CHART_W - w / 2 - 2);

  if (tx - w / 2 < *last_right + 6)
    return FALSE;
  g_array_append_val (xs, x);
  tr_svg_text (out, NULL, tx, p->y1 + 5 + TR_CHART_FONT, NULL, label);
  if (year != 0 && year != *last_year)
    {
      g_autofree char *y = g_strdup_printf ("%u", year);

      tr_svg_text (out, NULL, tx, p->y1 + 7 + 2 * TR_CHART_FONT, NULL, y);
      *last_year = year;
    }
  *last_right = tx + w / 2;
  return TRUE;
}

/* vertical - path data of vertical lines at @xs from @y0 to @y1 */
static void
vertical (GString *d, const GArray *xs, double y0, double y1)
{
  for (guint i = 0; i < xs->len; i++)
    {
      g_string_append_c (d, 'M');
      coord (d, g_array_index (xs, double, i), y0);
      g_string_append_c (d, 'V');
      tr_chart_append_coord (d, y1);
    }
}

/* x_stride - when every column wants a label: label every stride-th, so that the widest fits */
static guint
x_stride (const TrPlot *p, const TrColumns *c)
{
  double w = 0, band = (p->x1 - p->x0) / c->n;

  for (guint col = 0; col < c->n; col++)
    {
      guint year;
      g_autofree char *label = tr_columns_tick_label (c, col, 0, &year);

      w = MAX (w, tr_chart_text_width (label));
    }
  return (guint) MAX (1.0, ceil ((w + 6) / band));
}

/* fit_mode - @mode, or a coarser one (months, quarters, years) when its labels do not all fit */
static guint
fit_mode (const TrPlot *p, const TrColumns *c, guint mode)
{
  while (mode != 0 && mode != TR_DAY_YEAR)
    {
      /* the widest labels: "28 Sep", "May" */
      double w = (mode == TR_DAY_MONDAY ? 4.4 : 2.4) * TR_CHART_FONT + 6;
      guint count = 0;

      for (guint col = 0; col < c->n; col++)
        count += (c->flags[col] & mode) != 0;
      if (count * w <= p->x1 - p->x0)
        break;
      mode <<= 1;
    }
  return mode;
}

/* tr_svg_x_axis - the baseline, labelled ticks (and gridlines up to the top when @p->x_grid)
 * and title of the category axis at the bottom of @p */
void
tr_svg_x_axis (GString *out, const TrPlot *p, const TrColumns *c, const char *title)
{
  g_autoptr (GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GString) d = g_string_new ("M");
  g_autofree char *clean = tr_markup_clean (title, TR_CHART_MAX_TITLE);
  guint mode = fit_mode (p, c, tr_columns_tick_mode (c)), year = 0, drawn = 0;
  guint stride = mode == 0 ? x_stride (p, c) : 1;
  double last_right = -1e9;

  g_string_append (out, "<g class=\"tr-tick\" text-anchor=\"middle\">\n");
  for (guint col = 0; col < c->n; col += stride)
    if (tr_columns_wants_tick (c, col, mode))
      drawn += x_tick (out, xs, p, c, col, mode, &last_right, &year);
  if (drawn == 0 && c->n > 0) /* a span without a boundary in it: its first day */
    x_tick (out, xs, p, c, 0, mode == TR_DAY_YEAR ? mode : 0, &last_right, &year);
  g_string_append (out, "</g>\n");
  if (p->x_grid && xs->len > 0)
    {
      g_autoptr (GString) grid = g_string_new (NULL);

      vertical (grid, xs, p->y0, p->y1);
      g_string_append_printf (out,
                              "<path class=\"tr-grid\" stroke=\"#ccc\" stroke-width=\"0.5\""
                              " d=\"%s\"/>\n",
                              grid->str);
    }
  coord (d, p->x0, p->y1);
  g_string_append_c (d, 'H');
  tr_chart_append_coord (d, p->x1);
  vertical (d, xs, p->y1, p->y1 + 4);
  g_string_append_printf (out,
                          "<path class=\"tr-axis\" stroke=\"#000\" stroke-width=\"1\""
                          " fill=\"none\" d=\"%s\"/>\n",
                          d->str);
  if (clean[0] != '\0')
    tr_svg_text (out, "tr-title", (p->x0 + p->x1) / 2, p->y1 + 12 + 3 * TR_CHART_FONT, "middle",
                 clean);
}

/* tr_svg_no_data - a small chart that says "No data" */
void
tr_svg_no_data (GString *out, const char *id, const char *title)
{
  tr_svg_open (out, id, TR_CHART_TOP + 40, title, "No data.");
  tr_svg_text (out, "tr-note", TR_CHART_W / 2, TR_CHART_TOP + 20, "middle", "No data");
  tr_svg_close (out);
}
