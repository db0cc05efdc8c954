/* svg-chart.h - charts drawn as inline SVG for the HTML report (svg-chart*.c)
 *
 * Each tr_svg_chart_* function appends one complete <svg> element to a GString, from plain C
 * data: no database, no I/O, no JavaScript, nothing fetched.  The element is well-formed XML and
 * valid as inline SVG in HTML5; it carries role="img", aria-labelledby (its <title>) and
 * aria-describedby (its <desc>: the caller's sentence, or one derived from the data, followed by
 * what the bounds below left out).  The title is also drawn, as a heading at the top, which
 * aria-labelledby names (tidy 5.6 takes an id on an SVG <title> for an error of HTML's <title>);
 * a page with its own caption may hide it (.tr-heading{display:none}: the name stays).  The
 * page puts the data as a table beside each chart.
 *
 * Sizing: viewBox="0 0 640 H", width="100%", preserveAspectRatio="xMidYMid meet", no height,
 * so a chart takes the width of its container and keeps its proportions.  Text is 12 units
 * high: below about 500 CSS pixels of width it gets small, so the page should give charts a
 * min-width and let their container scroll sideways (tr_svg_chart_css: 32rem, .tr-chart-wrap).
 *
 * Colours come from CSS classes, so the page restyles them for dark mode and print; every
 * shape also has a fallback fill or stroke, so a chart on its own is readable too.  The
 * palette is Okabe-Ito, which stays distinguishable with any kind of colour blindness, and
 * colour is never the only cue: stacked series have their own textures (a <pattern> per
 * series), lines their own dashes and end markers, grid failures a strip of their own.
 * Classes (tr_svg_chart_css gives light, dark and print rules for each):
 *   tr-chart                the <svg> element (tr-chart-wrap: the page's container of one)
 *   tr-heading              the title drawn at the top
 *   tr-f0 .. tr-f7          fill of series 0..7 (0 blue #0072B2, 1 vermillion #D55E00, 2 bluish
 *                           green #009E73, 3 orange #E69F00, 4 reddish purple #CC79A7, 5 sky
 *                           blue #56B4E9, 6 yellow #F0E442, 7 grey #999999 for "other");
 *                           series 1..7 fill with a pattern whose background has this class
 *   tr-l0 .. tr-l7          stroke of line series 0..7, same colours
 *   tr-tex                  the texture strokes inside those patterns
 *   tr-edge                 thin outline of legend swatches (yellow on white needs one)
 *   tr-rate, tr-halo        the rate line on the secondary axis, and the halo under it
 *   tr-axis, tr-grid        axis lines and tick marks; gridlines
 *   tr-tick, tr-title, tr-legend, tr-note   tick labels, axis titles, legend text, notes
 *   tr-g0 .. tr-g3          grid cells: reported but 0, then three levels of the value
 *   tr-gnone                legend swatch of "no report" (an empty cell draws nothing)
 *   tr-gmark                the strip on grid cells with a mark (failures)
 *   tr-band                 every other grid row's background
 *   tr-bar, tr-value        top-N bars and their value labels
 * Element ids are the caller's id and id-title, id-desc, id-pN (patterns): the id must be
 * unique in the page.  Only [A-Za-z0-9_-] is kept of it, and "c" is put before one that does
 * not start with a letter.
 *
 * Bounds: a chart draws at most TR_CHART_MAX_COLUMNS columns (more categories are combined,
 * consecutive ones in equal groups: counts summed, rates averaged), TR_CHART_MAX_SERIES series
 * (counts: the last ones are summed as "other"; rates: the rest are left out), TR_CHART_MAX_ROWS
 * grid rows (the last ones summed as one row) and TR_CHART_MAX_ITEMS top bars; labels are cut to
 * TR_CHART_MAX_LABEL characters.  <desc> says when a bound applied.  Measured (test-svg-chart
 * /svg-chart/bounds, doc/design.md "Charts"): 366 days x 30 series, 63 KiB as stacked bars,
 * 38 KiB as lines; 1,000 grid rows x 366 days, 9 KiB; the worst grid (every cell a new
 * level), 503 KiB; no chart can reach 1 MiB.  A year of 2 series and a rate is 24 KB (6.5 KB
 * in 53 weekly columns, max_columns = 53) and takes 0.23 ms.
 *
 * Numbers: counts from 0 to G_MAXINT64, summed without overflow (saturating); rates and other
 * values are doubles; a negative count, or a NaN or infinite value, is missing and drawn as a
 * gap; a negative value is drawn as 0, a percentage above 100 as 100.  Ticks are 1, 2 or 5 x
 * 10^n; labels use "," between thousands and k, M, G, T, P, E from 10,000 on.  Output depends
 * on nothing but the input: no locale, no clock, no counter.
 *
 * Hostile input: every string may hold any bytes; it is made valid, visible and escaped
 * (markup.h) and cut.  Day axes: when every category is "YYYY-MM-DD", the x axis is a day axis
 * (labels: each day up to 16 days, Mondays up to 70, months, quarters, years); the caller
 * passes every day of the window, a day without data as missing.
 */
#pragma once

#include <glib.h>

#define TR_CHART_MAX_COLUMNS 400u /* a year of days, and a bit */
#define TR_CHART_MAX_SERIES 8u    /* the Okabe-Ito colours less black, plus grey */
#define TR_CHART_MAX_ROWS 50u
#define TR_CHART_MAX_ITEMS 25u
#define TR_CHART_MAX_LABEL 40u  /* characters of a series, row or item name */
#define TR_CHART_MAX_TITLE 200u /* characters of a title or an axis title */
#define TR_CHART_MAX_DESC 600u  /* characters of a caller's description */

#define TR_CHART_MISSING G_GINT64_CONSTANT (-1) /* any negative count: not known */

typedef struct
{
  const char *name;     /* legend text, any bytes */
  const gint64 *counts; /* one per category, or NULL */
  const double *values; /* used when counts is NULL: one per category */
} TrChartSeries;

typedef enum
{
  TR_CHART_BARS, /* one stacked bar per column */
  TR_CHART_AREA, /* stacked areas through the columns' centres */
} TrChartShape;

typedef struct
{
  const char *id;                /* see above; NULL: "chart" */
  const char *title;             /* <title>: what the chart shows */
  const char *desc;              /* <desc>: one sentence; NULL: derived from the data */
  const char *const *categories; /* x axis, n_categories labels: days or names */
  guint n_categories;
  const TrChartSeries *series; /* drawn in this order, bottom up when stacked */
  guint n_series;
  const TrChartSeries *rate; /* stacked charts: NULL, or a line in percent on a right axis */
  const char *x_title;       /* NULL: "day (UTC)" on a day axis, else none */
  const char *y_title;       /* with the unit: "sessions per day"; NULL: none */
  const char *y2_title;      /* the rate axis: "failure rate (%)"; NULL: the rate's name */
  gboolean percent;          /* line charts: the values are percentages */
  guint max_columns;         /* 0 or above TR_CHART_MAX_COLUMNS: TR_CHART_MAX_COLUMNS */
} TrChart;

typedef struct
{
  const char *id, *title, *desc; /* as in TrChart */
  const char *const *columns;    /* n_columns labels, days or names */
  guint n_columns;
  const char *const *rows; /* n_rows row labels (reporters) */
  guint n_rows;
  const gint64 *cells;    /* n_rows * n_columns, row after row: negative: nothing reported;
                           * else reported, with this value (sessions): a level by its decade */
  const gint64 *marks;    /* NULL, or like cells: above 0 draws the mark strip (failures) */
  const char *value_name; /* legend: "sessions"; NULL: "value" */
  const char *mark_name;  /* legend: "with failures"; NULL: "marked" */
  const char *x_title;    /* as in TrChart */
  guint max_columns;      /* as in TrChart */
  guint max_rows;         /* 0 or above TR_CHART_MAX_ROWS: TR_CHART_MAX_ROWS */
} TrChartGrid;

typedef struct
{
  const char *id, *title, *desc; /* as in TrChart */
  const char *const *names;      /* n_items, largest first: MX hosts, IP addresses */
  const gint64 *values;          /* n_items counts */
  guint n_items;
  const char *x_title; /* with the unit: "failed sessions" */
  guint max_items;     /* 0 or above TR_CHART_MAX_ITEMS: TR_CHART_MAX_ITEMS */
} TrChartTop;

/* tr_svg_chart_stacked - kinds 1 and 3: @chart's series (counts) stacked per column as bars or
 * areas, with its rate as a line on a percent axis at the right when it has one */
void tr_svg_chart_stacked (GString *out, const TrChart *chart, TrChartShape shape);
/* tr_svg_chart_lines - kind 2: one line per series (values, or counts), e.g. failure rates */
void tr_svg_chart_lines (GString *out, const TrChart *chart);
/* tr_svg_chart_grid - kind 4: who reported when, a cell per row and column, coloured by the
 * decade of its value, with a mark strip; rows and columns as given */
void tr_svg_chart_grid (GString *out, const TrChartGrid *grid);
/* tr_svg_chart_top - kind 5: horizontal bars of the first items, in the order given, each
 * labelled with its exact value */
void tr_svg_chart_top (GString *out, const TrChartTop *top);
/* tr_svg_chart_css - the style sheet of the classes above: light, dark
 * (prefers-color-scheme) and print; for the page's <style>, once */
void tr_svg_chart_css (GString *out);

/* Numbers as the charts write them; the page's tables may use them too. */

/* tr_chart_append_count - @value in full with "," between thousands: "9,223,372,036,854,775,807" */
void tr_chart_append_count (GString *out, gint64 value);
/* tr_chart_append_fixed - @value (finite) rounded to @decimals (at most 6) places: "12.5" */
void tr_chart_append_fixed (GString *out, double value, guint decimals);

typedef struct
{
  double step;     /* between two ticks: 1, 2 or 5 x 10^n */
  double max;      /* the axis end, n * step, at least the data's maximum */
  guint n;         /* intervals: the ticks are 0, step, ..., max */
  guint decimals;  /* of a tick label, after the division by 1000^suffix */
  guint suffix;    /* 0, or the power of 1000 of the label unit: 1 k, 2 M, ..., 6 E */
  gboolean counts; /* labels of whole numbers */
} TrChartTicks;

/* tr_chart_ticks - ticks from 0 to past @data_max, about 5 of them; @counts: the step is whole;
 * a @data_max of 0 or less (or not finite) gives an axis of 0 to 1 */
void tr_chart_ticks (double data_max, gboolean counts, TrChartTicks *ticks);
/* tr_chart_append_tick - the label of tick @i of @ticks: "2,500", "15k", "1.5M", "0.2", with
 * "%" after it when @percent */
void tr_chart_append_tick (GString *out, const TrChartTicks *ticks, guint i, gboolean percent);
