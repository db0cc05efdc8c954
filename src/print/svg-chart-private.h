/* svg-chart-private.h - what the files of the SVG charts share; not for callers
 *
 * svg-chart-util.c   numbers, ticks, text width, ids
 * svg-chart-data.c   the x axis's columns and days, series aggregated into the columns
 * svg-chart-frame.c  the <svg> element, patterns, legend, axes, the "no data" chart
 * svg-chart.c        stacked bars and areas, lines, the style sheet
 * svg-chart-grid.c   the reporter grid and the top-N bars
 */
#pragma once

#include <glib.h>

#include "svg-chart.h"

#define TR_CHART_W 640.0    /* viewBox width of every chart */
#define TR_CHART_H 300.0    /* viewBox height of the charts over time */
#define TR_CHART_FONT 12.0  /* text height: the font-size of the <g> around the content */
#define TR_CHART_PAD 8.0    /* space at the chart's edges */
#define TR_CHART_TOP 30.0   /* below the heading */
#define TR_CHART_X_LABEL 16 /* characters of an x-axis category name */

/* the x axis: the categories as drawn, in at most TR_CHART_MAX_COLUMNS columns */
typedef struct
{
  guint n;         /* columns */
  guint group;     /* categories per column (the last may have fewer) */
  guint n_cat;     /* categories given */
  gboolean days;   /* every category is a YYYY-MM-DD day */
  char **label;    /* n: the clean label of each column's first category (the axis cuts it
                    * to TR_CHART_X_LABEL) */
  char *last;      /* the clean label of the last category */
  guint32 *julian; /* days: per column, the day that names it (its most important boundary) */
  guint8 *flags;   /* days: per column, TR_DAY_* of any of its days */
} TrColumns;

enum
{
  TR_DAY_MONDAY = 1,
  TR_DAY_MONTH = 2,
  TR_DAY_QUARTER = 4,
  TR_DAY_YEAR = 8,
};

/* a series as drawn: aggregated into the columns */
typedef struct
{
  char *name;      /* clean, cut to TR_CHART_MAX_LABEL */
  double *v;       /* per column; NaN: missing */
  gboolean counts; /* from counts (else from values) */
  gint64 total;    /* counts: the saturating sum of every count given */
  gboolean any;    /* some value is present */
  double peak;     /* the largest value, in column peak_col */
  guint peak_col;
} TrChartSeriesData;

/* svg-chart-util.c */
gint64 tr_chart_add (gint64 a, gint64 b);
void tr_chart_append_coord (GString *out, double v);
void tr_chart_append_short (GString *out, gint64 value);
void tr_chart_append_percent (GString *out, double value);
double tr_chart_text_width (const char *clean);
char *tr_chart_id (const char *raw);

/* svg-chart-data.c */
void tr_columns_init (TrColumns *c, const char *const *labels, guint n_cat, guint max);
void tr_columns_clear (TrColumns *c);
void tr_columns_append_range (GString *s, const TrColumns *c);
void tr_columns_append_at (GString *s, const TrColumns *c, guint col);
void tr_columns_append_group_note (GString *s, const TrColumns *c, const char *how);
guint tr_columns_tick_mode (const TrColumns *c);
gboolean tr_columns_wants_tick (const TrColumns *c, guint col, guint mode);
char *tr_columns_tick_label (const TrColumns *c, guint col, guint mode, guint *year);
void tr_chart_series_init (TrChartSeriesData *d, const char *name, const TrColumns *c,
                           gboolean counts);
void tr_chart_series_add (TrChartSeriesData *d, const TrChartSeries *s, const TrColumns *c,
                          gboolean percent);
void tr_chart_series_finish (TrChartSeriesData *d, guint n);
void tr_chart_series_clear (TrChartSeriesData *d);

/* svg-chart-frame.c */
typedef enum
{
  TR_SWATCH_FILL,  /* a square in the series' fill */
  TR_SWATCH_LINE,  /* a line in the series' dash, with its marker */
  TR_SWATCH_RATE,  /* the rate line */
  TR_SWATCH_CLASS, /* a square (or a strip) of the class given */
  TR_SWATCH_NONE   /* only text */
} TrSwatchKind;

typedef struct
{
  const char *text; /* clean */
  TrSwatchKind kind;
  guint slot;        /* series slot */
  const char *klass; /* TR_SWATCH_CLASS: the class */
  const char *fill;  /* TR_SWATCH_CLASS: the fallback fill */
  gboolean half;     /* TR_SWATCH_CLASS: a strip, not a square */
} TrLegendItem;

typedef struct
{
  double x0, x1, y0, y1; /* the plot area: left, right, top, bottom */
  gboolean x_grid;       /* vertical gridlines at the x ticks */
} TrPlot;

void tr_svg_open (GString *out, const char *id, double h, const char *title, const char *desc);
void tr_svg_close (GString *out);
void tr_svg_patterns (GString *out, const char *id, guint n_slots);
void tr_svg_fill (GString *out, const char *id, guint slot);
void tr_svg_stroke (GString *out, const char *id, guint slot, double width);
void tr_svg_line_style (GString *out, guint slot);
void tr_svg_marker_style (GString *out, guint slot);
void tr_svg_marker (GString *d, guint slot, double x, double y);
double tr_svg_legend (GString *out, const char *id, const TrLegendItem *items, guint n, double y);
void tr_svg_y_axis (GString *out, const TrPlot *p, const TrChartTicks *t, gboolean percent,
                    const char *title, gboolean right);
void tr_svg_x_axis (GString *out, const TrPlot *p, const TrColumns *c, const char *title);
double tr_svg_y_ticks_width (const TrChartTicks *t, gboolean percent);
void tr_svg_no_data (GString *out, const char *id, const char *title);
void tr_svg_text (GString *out, const char *klass, double x, double y, const char *anchor,
                  const char *clean);
void tr_svg_rect (GString *d, double x, double y, double w, double h);
