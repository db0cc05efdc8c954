/* html-report-charts.c - the report page's charts (svg-chart.h), each in a figure with its
 * caption and its data as a table (in a <details>: long, but there for screen readers, copy and
 * paste; days without reports are left out of it)
 *
 * What is drawn stays bounded whatever the data: the whole window at full resolution,
 * TR_OVERVIEW_DOMAIN_CHARTS domains of their own (by groups of days beyond 92 days: a year of
 * them is 6.5 KB instead of 24 KB each), and the charts' own bounds (svg-chart.h).
 */
#include "config.h"

#include <math.h>

#include "html-report-private.h"
#include "markup.h"
#include "svg-chart.h"

#define DOMAIN_COLUMNS_DAYS 92u /* longer windows: a domain's chart in groups of days */
#define DOMAIN_COLUMNS 53u
#define RATE_LINES 7u /* domains in the rate chart, besides all of them */

/* figure_open, figure_close - a figure with @caption around a chart */
static void
figure_open (GString *out, const char *caption)
{
  g_string_append (out, "<figure>\n<figcaption>");
  html_text (out, caption, 0);
  g_string_append (out, "</figcaption>\n<div class=\"tr-chart-wrap\">\n");
}

static void
figure_close (GString *out)
{
  g_string_append (out, "</div>\n</figure>\n");
}

/* rates - the failure rate per day in percent, NAN for a day without sessions (newly allocated) */
static double *
rates (const gint64 *successful, const gint64 *failed, guint n)
{
  double *r = g_new (double, n + 1);

  for (guint i = 0; i < n; i++)
    r[i] = 100.0 * tr_overview_rate (successful[i], failed[i]);
  return r;
}

/* day_table - the days with sessions of @successful and @failed (and @reports if not NULL) */
static void
day_table (GString *out, const TrOverview *ov, const gint64 *successful, const gint64 *failed,
           const gint64 *reports)
{
  static const char *const titles[]
      = { "day", "#reports", "#successful", "#failed", "#failure rate", NULL };
  gboolean any = FALSE;

  for (guint i = 0; i < ov->n_days && !any; i++)
    any = successful[i] > 0 || failed[i] > 0 || (reports != NULL && reports[i] > 0);
  if (!any)
    return;
  g_string_append (out, "<details>\n<summary>The data, by day</summary>\n<div class=\"wide\">"
                        "<table>\n");
  html_head_row (out, reports ? titles
                              : (const char *const[]){ "day", "#successful", "#failed",
                                                       "#failure rate", NULL });
  g_string_append (out, "<tbody>\n");
  for (guint i = 0; i < ov->n_days; i++)
    {
      if (successful[i] == 0 && failed[i] == 0 && (reports == NULL || reports[i] == 0))
        continue;
      g_string_append_printf (out, "<tr><td>%s</td>", ov->days[i]);
      if (reports)
        html_td_count (out, reports[i]);
      html_td_count (out, successful[i]);
      html_td_count (out, failed[i]);
      html_td_rate (out, tr_overview_rate (successful[i], failed[i]));
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</tbody>\n</table></div>\n</details>\n");
}

/* sessions_chart - successful and failed sessions per day, with the failure rate */
static void
sessions_chart (GString *out, const char *id, const char *title, const TrOverview *ov,
                const gint64 *successful, const gint64 *failed, guint max_columns)
{
  g_autofree double *rate = rates (successful, failed, ov->n_days);
  TrChartSeries series[] = { { "successful", successful, NULL }, { "failed", failed, NULL } };
  TrChartSeries line = { "failure rate", NULL, rate };
  TrChart chart = { .id = id,
                    .title = title,
                    .categories = (const char *const *) ov->days,
                    .n_categories = ov->n_days,
                    .series = series,
                    .n_series = 2,
                    .rate = &line,
                    .y_title = max_columns ? "sessions" : "sessions per day",
                    .y2_title = "failure rate (%)",
                    .max_columns = max_columns };

  tr_svg_chart_stacked (out, &chart, TR_CHART_BARS);
}

/* rate_chart - the failure rate of all domains and of the worst ones, per day */
static void
rate_chart (GString *out, const TrOverview *ov)
{
  TrChartSeries series[RATE_LINES + 1];
  double *values[RATE_LINES + 1];
  guint n = 0;

  values[n] = rates (ov->day_successful, ov->day_failed, ov->n_days);
  series[n] = (TrChartSeries){ "all domains", NULL, values[n] };
  n++;
  for (guint i = 0; i < ov->n_charted && n <= RATE_LINES; i++)
    {
      const TrOverviewDomain *d = g_ptr_array_index (ov->domains, i);

      if (d->failed == 0)
        break;
      values[n] = rates (d->day_successful, d->day_failed, ov->n_days);
      series[n] = (TrChartSeries){ d->name, NULL, values[n] };
      n++;
    }
  {
    TrChart chart = { .id = "chart-rate",
                      .title = "Failure rate per day",
                      .categories = (const char *const *) ov->days,
                      .n_categories = ov->n_days,
                      .series = series,
                      .n_series = n,
                      .percent = TRUE,
                      .y_title = "failure rate (%)" };

    figure_open (out, "The failure rate: all domains, and those with the most failed sessions");
    tr_svg_chart_lines (out, &chart);
    figure_close (out);
  }
  for (guint k = 0; k < n; k++)
    g_free (values[k]);
}

/* types_chart - failed sessions by result type over time, with the data */
static void
types_chart (GString *out, const TrOverview *ov)
{
  g_autofree TrChartSeries *series = g_new0 (TrChartSeries, ov->n_series + 1);
  TrChart chart = { .id = "chart-types",
                    .title = "Failed sessions by result type",
                    .categories = (const char *const *) ov->days,
                    .n_categories = ov->n_days,
                    .series = series,
                    .n_series = ov->n_series,
                    .y_title = "failed sessions per day" };

  for (guint k = 0; k < ov->n_series; k++)
    series[k] = (TrChartSeries){ ov->series_names[k], ov->series_days[k], NULL };
  figure_open (out, "Why sessions failed: the result types, day by day");
  tr_svg_chart_stacked (out, &chart, TR_CHART_AREA);
  figure_close (out);
  g_string_append (out, "<details>\n<summary>The data, by day</summary>\n<div class=\"wide\">"
                        "<table>\n<thead><tr><th>day</th>");
  for (guint k = 0; k < ov->n_series; k++)
    {
      g_string_append (out, "<th class=\"n\">");
      html_text (out, ov->series_names[k], TR_CHART_MAX_LABEL);
      g_string_append (out, "</th>");
    }
  g_string_append (out, "</tr></thead>\n<tbody>\n");
  for (guint i = 0; i < ov->n_days; i++)
    {
      gboolean any = FALSE;

      for (guint k = 0; k < ov->n_series; k++)
        any |= ov->series_days[k][i] > 0;
      if (!any)
        continue;
      g_string_append_printf (out, "<tr><td>%s</td>", ov->days[i]);
      for (guint k = 0; k < ov->n_series; k++)
        html_td_count (out, ov->series_days[k][i]);
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</tbody>\n</table></div>\n</details>\n");
}

void
html_charts_window (GString *out, const TrOverview *ov)
{
  g_string_append (out, "<section id=\"sessions\">\n<h2>Sessions, day by day</h2>\n");
  figure_open (out, "Successful and failed sessions per day, with the failure rate");
  sessions_chart (out, "chart-sessions", "Sessions per day, all domains", ov, ov->day_successful,
                  ov->day_failed, 0);
  figure_close (out);
  day_table (out, ov, ov->day_successful, ov->day_failed, ov->day_reports);
  rate_chart (out, ov);
  g_string_append (out, "</section>\n<section id=\"types-over-time\">\n<h2>Result types over "
                        "time</h2>\n");
  if (ov->n_series == 0)
    g_string_append (out, "<p>No failed sessions in the window.</p>\n");
  else
    types_chart (out, ov);
  g_string_append (out, "</section>\n");
}

void
html_charts_domains (GString *out, const TrOverview *ov)
{
  guint columns = ov->n_days > DOMAIN_COLUMNS_DAYS ? DOMAIN_COLUMNS : 0;

  if (ov->n_charted == 0)
    return;
  g_string_append_printf (out,
                          "<section id=\"domain-charts\">\n<h2>Each domain</h2>\n<p>The %u domains "
                          "at the top of the table above%s.</p>\n",
                          ov->n_charted, columns ? ", in groups of days (the window is long)" : "");
  for (guint i = 0; i < ov->n_charted; i++)
    {
      const TrOverviewDomain *d = g_ptr_array_index (ov->domains, i);
      g_autofree char *id = g_strdup_printf ("chart-domain-%u", i + 1);
      g_autofree char *title = g_strconcat ("Sessions of ", d->name, NULL);

      g_string_append_printf (out, "<h3 id=\"%s-h\">", id);
      html_text (out, d->name, TR_CHART_MAX_LABEL * 2);
      g_string_append (out, "</h3>\n<figure>\n<div class=\"tr-chart-wrap\">\n");
      sessions_chart (out, id, title, ov, d->day_successful, d->day_failed, columns);
      figure_close (out);
      day_table (out, ov, d->day_successful, d->day_failed, NULL);
    }
  g_string_append (out, "</section>\n");
}

void
html_chart_grid (GString *out, const TrOverview *ov)
{
  TrChartGrid grid = { .id = "chart-reporters",
                       .title = "Reports by reporter and day",
                       .columns = (const char *const *) ov->days,
                       .n_columns = ov->n_days,
                       .rows = (const char *const *) ov->grid_rows,
                       .n_rows = ov->n_grid_rows,
                       .cells = ov->grid_cells,
                       .marks = ov->grid_marks,
                       .value_name = "sessions:",
                       .mark_name = "with failures" };

  figure_open (out, "Who reported when: a row per reporter, a cell per day; a row that stops is "
                    "a reporter gone silent");
  tr_svg_chart_grid (out, &grid);
  figure_close (out);
}

/* top_chart - the top MX hosts or IPs, with a table */
static void
top_chart (GString *out, const char *id, const char *what, GArray *top, guint n_all)
{
  g_autofree const char **names = g_new0 (const char *, top->len + 1);
  g_autofree gint64 *values = g_new0 (gint64, top->len + 1);
  g_autofree char *title = g_strdup_printf ("Failed sessions by %s", what);
  static const char *const titles[] = { "#", "name", "#failed sessions", NULL };
  TrChartTop chart = { .id = id,
                       .title = title,
                       .names = names,
                       .values = values,
                       .n_items = top->len,
                       .x_title = "failed sessions" };

  for (guint i = 0; i < top->len; i++)
    {
      names[i] = g_array_index (top, TrOverviewCount, i).name;
      values[i] = g_array_index (top, TrOverviewCount, i).value;
    }
  figure_open (out, title);
  tr_svg_chart_top (out, &chart);
  figure_close (out);
  g_string_append_printf (out, "<p class=\"note\">%u of %u with failed sessions.</p>\n", top->len,
                          n_all);
  g_string_append (out, "<div class=\"wide\"><table>\n");
  html_head_row (out, titles);
  g_string_append (out, "<tbody>\n");
  for (guint i = 0; i < top->len; i++)
    {
      g_string_append_printf (out, "<tr><td class=\"n\">%u</td>", i + 1);
      html_td_text (out, names[i]);
      html_td_count (out, values[i]);
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</tbody>\n</table></div>\n");
}

void
html_charts_top (GString *out, const TrOverview *ov)
{
  g_string_append (out, "<section id=\"where\">\n<h2>Where: receiving MX hosts and sending "
                        "IPs</h2>\n");
  if (ov->n_mxs == 0 && ov->n_ips == 0)
    g_string_append (out, "<p>No failed sessions in the window.</p>\n");
  else
    {
      top_chart (out, "chart-mx", "receiving MX host", ov->mxs, ov->n_mxs);
      top_chart (out, "chart-ip", "sending IP address", ov->ips, ov->n_ips);
    }
  g_string_append (out, "</section>\n");
}
