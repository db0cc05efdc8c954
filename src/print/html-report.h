/* html-report.h - the report page: one self-contained HTML5 document of an overview
 * (html-report.c: the page and its tables; html-report-charts.c: the charts, each with its data)
 *
 * Inline CSS and inline SVG (svg-chart.h); no script, no external fonts, images or requests.
 * Every string from the overview is made valid, visible and escaped (markup.h); the page's own
 * words are ours.  The same overview gives the same bytes: no clock, no locale, no hash order.
 */
#pragma once

#include <glib.h>

#include "overview-model.h"

typedef struct
{
  const char *title;   /* the <h1> and <title>: our words and the window's days */
  const char *filters; /* what was selected, as given by the user ("domain example.com; ..."),
                        * or NULL: any bytes */
  const char *version; /* tlsrptdb's */
} TrHtmlReport;

/* tr_html_report - append the page of @overview to @out */
void tr_html_report (GString *out, const TrOverview *overview, const TrHtmlReport *page);

/* tr_html_report_problems - append @overview's problems as a list (also used by the digest) */
void tr_html_report_problems (GString *out, const TrOverview *overview);
