/* html-report-private.h - what html-report.c and html-report-charts.c share */
#pragma once

#include "html-report.h"

#define CELL_CHARS 200u /* characters of a sender's string shown in a table cell */

/* text - @raw (any bytes) made safe as element text or attribute value, cut at @max chars */
void html_text (GString *out, const char *raw, gsize max);
/* html_count - a count, or an em dash for a missing (negative) one */
void html_count (GString *out, gint64 value);
/* html_rate - @rate (0..1) as a percentage with two decimals, or an em dash for NAN */
void html_rate (GString *out, double rate);
/* html_td_count, html_td_rate, html_td_text - a cell */
void html_td_count (GString *out, gint64 value);
void html_td_rate (GString *out, double rate);
void html_td_text (GString *out, const char *raw);
/* html_head_row - "<thead><tr><th>...</th>...</tr></thead>" for the NULL-terminated titles; a
 * title starting with '#' is a numeric column (its cells align right) */
void html_head_row (GString *out, const char *const *titles);

/* html_charts_window - the charts of the whole window with their data: sessions and rate,
 * the failure rate of the worst domains, result types over time */
void html_charts_window (GString *out, const TrOverview *ov);
/* html_charts_domains - a chart of each charted domain */
void html_charts_domains (GString *out, const TrOverview *ov);
/* html_chart_grid - who reported when */
void html_chart_grid (GString *out, const TrOverview *ov);
/* html_charts_top - the top MX hosts and sending IPs, with their tables */
void html_charts_top (GString *out, const TrOverview *ov);
