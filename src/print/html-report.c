/* html-report.c - the report page: head and style, the verdict and the key figures, then the
 * sections (charts in html-report-charts.c) and tables
 *
 * Tables first name what a person looks for (domain, reporter, type), numbers align right,
 * and every cell of a sender's string is cut (CELL_CHARS) and escaped (markup.h).  Long tables
 * live in a scrolling container; the page prints without its <details> data.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "counting.h"
#include "html-report-private.h"
#include "markup.h"
#include "svg-chart.h"

static const char page_css[]
    = "html{-webkit-text-size-adjust:100%}\n"
      "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;line-height:1.45;"
      "max-width:72rem;margin:0 auto;padding:1rem;color:#1a1a1a;background:#fff}\n"
      "h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin-top:2.2rem;"
      "border-bottom:1px solid #ccc}h3{font-size:1.05rem;margin-top:1.6rem}\n"
      "nav ul{display:flex;flex-wrap:wrap;gap:.3rem 1rem;padding:0;list-style:none}\n"
      "table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}\n"
      "th,td{padding:.2rem .5rem;border-bottom:1px solid #ddd;text-align:left;"
      "vertical-align:top}\n"
      "th{background:#f2f2f2}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;"
      "white-space:nowrap}\n"
      ".wide{overflow-x:auto;max-width:100%}\n"
      ".figures{display:flex;flex-wrap:wrap;gap:.5rem 2rem;margin:1rem 0;padding:0;"
      "list-style:none}\n"
      ".figures li{min-width:8rem}.figures span{display:block;font-size:.85rem;color:#555}"
      ".figures strong{font-size:1.4rem}\n"
      ".problems{padding-left:0;list-style:none}.problems li{margin:.3rem 0}\n"
      ".lvl{display:inline-block;min-width:5.5rem;font-weight:700;font-size:.8rem;"
      "padding:0 .3rem;margin-right:.4rem;border:1px solid currentColor;text-align:center}\n"
      ".lvl-2{color:#b00020}.lvl-1{color:#8a5a00}.lvl-0{color:#1b6e20}\n"
      ".note,.muted{color:#555;font-size:.9rem}\n"
      "code{overflow-wrap:anywhere}td{overflow-wrap:anywhere}\n"
      "figure{margin:1.2rem 0}figcaption{font-weight:600;margin-bottom:.3rem}\n"
      "summary{cursor:pointer;color:#0b5394}\n"
      "@media (prefers-color-scheme:dark){body{color:#e6e6e6;background:#121212}"
      "th{background:#262626}th,td{border-color:#3a3a3a}h2{border-color:#444}"
      ".note,.muted,.figures span{color:#aaa}summary{color:#8ab4f8}"
      ".lvl-2{color:#ff8a80}.lvl-1{color:#ffd180}.lvl-0{color:#b9f6ca}}\n"
      "@media print{body{max-width:none;padding:0;font-size:10pt}nav,details{display:none}"
      "h2{break-after:avoid}figure,tr{break-inside:avoid}.wide{overflow:visible}}\n";

/* --- cells -------------------------------------------------------------------------------- */

void
html_text (GString *out, const char *raw, gsize max)
{
  tr_markup_append (out, raw, max);
}

void
html_count (GString *out, gint64 value)
{
  if (value < 0)
    g_string_append (out, "\xe2\x80\x94");
  else
    tr_chart_append_count (out, value);
}

void
html_rate (GString *out, double rate)
{
  if (isnan (rate))
    {
      g_string_append (out, "\xe2\x80\x94");
      return;
    }
  tr_chart_append_fixed (out, 100.0 * rate, 2);
  g_string_append_c (out, '%');
}

void
html_td_count (GString *out, gint64 value)
{
  g_string_append (out, "<td class=\"n\">");
  html_count (out, value);
  g_string_append (out, "</td>");
}

void
html_td_rate (GString *out, double rate)
{
  g_string_append (out, "<td class=\"n\">");
  html_rate (out, rate);
  g_string_append (out, "</td>");
}

void
html_td_text (GString *out, const char *raw)
{
  g_string_append (out, "<td>");
  if (raw != NULL)
    html_text (out, raw, CELL_CHARS);
  g_string_append (out, "</td>");
}

void
html_head_row (GString *out, const char *const *titles)
{
  g_string_append (out, "<thead><tr>");
  for (guint i = 0; titles[i] != NULL; i++)
    {
      gboolean numeric = titles[i][0] == '#' && titles[i][1] != '\0';

      g_string_append (out, numeric ? "<th class=\"n\">" : "<th>");
      html_text (out, numeric ? titles[i] + 1 : titles[i], 0);
      g_string_append (out, "</th>");
    }
  g_string_append (out, "</tr></thead>\n");
}

/* --- the top of the page ------------------------------------------------------------------ */

static const char *const level_names[] = { "OK", "WARNING", "CRITICAL" };

void
tr_html_report_problems (GString *out, const TrOverview *ov)
{
  g_string_append (out, "<ul class=\"problems\">\n");
  if (ov->problems->len == 0)
    g_string_append (out, "<li><span class=\"lvl lvl-0\">OK</span>No problems found.</li>\n");
  for (guint i = 0; i < ov->problems->len && i < TR_OVERVIEW_PROBLEMS; i++)
    {
      const TrOverviewProblem *p = g_ptr_array_index (ov->problems, i);

      g_string_append_printf (out, "<li><span class=\"lvl lvl-%d\">%s</span>", (int) p->level,
                              level_names[p->level]);
      if (p->subject != NULL)
        {
          g_string_append (out, "<strong>");
          html_text (out, p->subject, CELL_CHARS);
          g_string_append (out, "</strong>: ");
        }
      html_text (out, p->text, 0);
      if (p->detail != NULL)
        {
          g_string_append (out, " <code>");
          html_text (out, p->detail, CELL_CHARS);
          g_string_append (out, "</code>");
        }
      g_string_append (out, "</li>\n");
    }
  if (ov->problems->len > TR_OVERVIEW_PROBLEMS)
    g_string_append_printf (out, "<li>and %u more (the tables below show them)</li>\n",
                            ov->problems->len - TR_OVERVIEW_PROBLEMS);
  g_string_append (out, "</ul>\n");
}

/* figure_item - one key figure */
static void
figure_item (GString *out, const char *name, gint64 count, double rate)
{
  g_string_append_printf (out, "<li><span>%s</span> <strong>", name);
  if (count >= 0)
    html_count (out, count);
  else
    html_rate (out, rate);
  g_string_append (out, "</strong></li>\n");
}

/* head - the document head, the title, the window and the contents */
static void
head (GString *out, const TrOverview *ov, const TrHtmlReport *page)
{
  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                        "<meta name=\"color-scheme\" content=\"light dark\">\n"
                        "<meta name=\"generator\" content=\"tlsrptdb ");
  html_text (out, page->version, 40);
  g_string_append (out, "\">\n<title>");
  html_text (out, page->title, 0);
  g_string_append_printf (out, "</title>\n<style>\n%s", page_css);
  tr_svg_chart_css (out);
  g_string_append (out, "</style>\n</head>\n<body>\n<header>\n<h1>");
  html_text (out, page->title, 0);
  g_string_append_printf (out, "</h1>\n<p class=\"muted\">Report days %s to %s (%u days, UTC)",
                          ov->since_day, ov->until_day, ov->window_days);
  if (page->filters != NULL)
    {
      g_string_append (out, "; only ");
      html_text (out, page->filters, 400);
    }
  g_string_append_printf (out, ". Compared with %s to %s.</p>\n", ov->prev_since_day,
                          ov->prev_until_day);
  g_string_append (out, "<nav><ul><li><a href=\"#sessions\">Sessions</a></li>"
                        "<li><a href=\"#domains\">Domains</a></li>"
                        "<li><a href=\"#types\">Result types</a></li>"
                        "<li><a href=\"#reporters\">Reporters</a></li>"
                        "<li><a href=\"#where\">MX hosts and IPs</a></li>"
                        "<li><a href=\"#failures\">Failure details</a></li>"
                        "<li><a href=\"#rejected\">Rejected mail</a></li></ul></nav>\n"
                        "</header>\n<main>\n");
}

/* summary - the verdict and the key figures */
static void
summary (GString *out, const TrOverview *ov)
{
  g_string_append (out, "<section id=\"summary\">\n<h2>At a glance</h2>\n");
  tr_html_report_problems (out, ov);
  g_string_append (out, "<ul class=\"figures\">\n");
  figure_item (out, "sessions", tr_count_add (ov->successful, ov->failed), 0);
  figure_item (out, "failed sessions", ov->failed, 0);
  figure_item (out, "failure rate", -1, tr_overview_rate (ov->successful, ov->failed));
  figure_item (out, "failure rate before", -1,
               tr_overview_rate (ov->prev_successful, ov->prev_failed));
  figure_item (out, "domains", ov->domains->len, 0);
  figure_item (out, "domains with failures", tr_overview_domains_failing (ov), 0);
  figure_item (out, "reports", ov->reports, 0);
  figure_item (out, "rejected messages", ov->n_rejected, 0);
  g_string_append (out, "</ul>\n");
  if (ov->reports == 0)
    g_string_append (out, "<p><strong>No reports in this window.</strong> If reports used to "
                          "arrive, the receiving pipeline or the TLSRPT record may be "
                          "broken.</p>\n");
  g_string_append (out, "</section>\n");
}

/* --- tables ------------------------------------------------------------------------------- */

/* td_change - the change of the failure rate against the window before, in points */
static void
td_change (GString *out, const TrOverviewDomain *d)
{
  double now = tr_overview_rate (d->successful, d->failed);
  double before = tr_overview_rate (d->prev_successful, d->prev_failed);

  g_string_append (out, "<td class=\"n\">");
  if (isnan (before))
    g_string_append (out, "new");
  else if (isnan (now))
    g_string_append (out, "\xe2\x80\x94");
  else
    {
      double points = 100.0 * (now - before);

      g_string_append (out, points > 0.005 ? "+" : points < -0.005 ? "\xe2\x88\x92" : "\xc2\xb1");
      tr_chart_append_fixed (out, fabs (points), 2);
      g_string_append (out, " pp");
    }
  g_string_append (out, "</td>");
}

/* td_types - a domain's result types with their failed sessions, the first 3 */
static void
td_types (GString *out, const TrOverviewDomain *d)
{
  g_string_append (out, "<td>");
  for (guint i = 0; i < d->types->len && i < 3; i++)
    {
      const TrOverviewCount *c = &g_array_index (d->types, TrOverviewCount, i);

      g_string_append (out, i ? ", " : "");
      html_text (out, c->name, TR_CHART_MAX_LABEL);
      g_string_append_c (out, ' ');
      html_count (out, c->value);
    }
  if (d->types->len > 3)
    g_string_append_printf (out, ", %u more", d->types->len - 3);
  g_string_append (out, "</td>");
}

/* domains_table - per domain, as query summary counts */
static void
domains_table (GString *out, const TrOverview *ov)
{
  static const char *const titles[] = { "policy domain", "#successful",  "#failed", "#failure rate",
                                        "#reports",      "#rate before", "#change", "policy",
                                        "last report",   "result types", NULL };

  g_string_append (out, "<section id=\"domains\">\n<h2>Domains</h2>\n");
  if (ov->domains->len == 0)
    g_string_append (out, "<p>No reports in this window.</p>\n");
  else
    {
      g_string_append (out, "<div class=\"wide\"><table id=\"domain-table\">\n");
      html_head_row (out, titles);
      g_string_append (out, "<tbody>\n");
    }
  for (guint i = 0; i < ov->domains->len; i++)
    {
      const TrOverviewDomain *d = g_ptr_array_index (ov->domains, i);

      g_string_append (out, "<tr>");
      html_td_text (out, d->name);
      html_td_count (out, d->successful);
      html_td_count (out, d->failed);
      html_td_rate (out, tr_overview_rate (d->successful, d->failed));
      html_td_count (out, d->reports);
      html_td_rate (out, tr_overview_rate (d->prev_successful, d->prev_failed));
      td_change (out, d);
      html_td_text (out, d->policy ? d->policy : "");
      html_td_text (out, d->last_day);
      td_types (out, d);
      g_string_append (out, "</tr>\n");
    }
  if (ov->domains->len > 0)
    g_string_append (out, "</tbody>\n</table></div>\n");
  if (ov->silent_domains->len > 0)
    {
      g_string_append (out, "<h3>Domains without reports in this window</h3>\n<ul>\n");
      for (guint i = 0; i < ov->silent_domains->len; i++)
        {
          const TrOverviewDomain *d = g_ptr_array_index (ov->silent_domains, i);

          g_string_append (out, "<li>");
          html_text (out, d->name, CELL_CHARS);
          g_string_append_printf (out, ": %" G_GINT64_FORMAT " reports in the window before</li>\n",
                                  d->prev_reports);
        }
      g_string_append (out, "</ul>\n");
    }
  g_string_append (out, "</section>\n");
}

/* types_table - per result type, with explain's words */
static void
types_table (GString *out, const TrOverview *ov)
{
  static const char *const titles[] = { "result type",   "#failed sessions", "#share", "#domains",
                                        "what it means", "the fix",          NULL };
  gint64 all = 0;

  g_string_append (out, "<section id=\"types\">\n<h2>Why: result types</h2>\n");
  if (ov->types->len == 0)
    {
      g_string_append (out, "<p>No failure details in this window.</p>\n</section>\n");
      return;
    }
  g_string_append (out, "<p class=\"note\"><code>tlsrptdb explain TYPE</code> tells how to "
                        "check.</p>\n<div class=\"wide\"><table>\n");
  html_head_row (out, titles);
  g_string_append (out, "<tbody>\n");
  for (guint k = 0; k < ov->types->len; k++)
    all = tr_count_add (all, ((TrOverviewType *) ov->types->pdata[k])->failed);
  for (guint i = 0; i < ov->types->len; i++)
    {
      const TrOverviewType *t = g_ptr_array_index (ov->types, i);
      g_string_append (out, "<tr><td>");
      html_text (out, t->name, CELL_CHARS);
      if (t->is_new)
        g_string_append (out, " <strong>(new)</strong>");
      g_string_append (out, "</td>");
      html_td_count (out, t->failed);
      html_td_rate (out, all > 0 ? (double) t->failed / (double) all : NAN);
      html_td_count (out, t->domains);
      html_td_text (out, t->meaning);
      html_td_text (out, t->fix);
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</tbody>\n</table></div>\n</section>\n");
}

/* reporters_table - who reported, and when last */
static void
reporters_table (GString *out, const TrOverview *ov)
{
  static const char *const titles[]
      = { "reporter",      "#reports",     "#days",       "#sessions", "#failed",
          "#failure rate", "first report", "last report", NULL };

  g_string_append (out, "<section id=\"reporters\">\n<h2>Reporters</h2>\n");
  if (ov->reporters->len == 0)
    {
      g_string_append (out, "<p>No reports in this window.</p>\n</section>\n");
      return;
    }
  html_chart_grid (out, ov);
  g_string_append (out, "<div class=\"wide\"><table>\n");
  html_head_row (out, titles);
  g_string_append (out, "<tbody>\n");
  for (guint i = 0; i < ov->reporters->len; i++)
    {
      const TrOverviewReporter *r = g_ptr_array_index (ov->reporters, i);

      g_string_append (out, "<tr><td>");
      html_text (out, r->name, CELL_CHARS);
      if (r->silent)
        g_string_append (out, " <strong>(silent)</strong>");
      g_string_append (out, "</td>");
      html_td_count (out, r->reports);
      html_td_count (out, r->days);
      html_td_count (out, tr_count_add (r->successful, r->failed));
      html_td_count (out, r->failed);
      html_td_rate (out, tr_overview_rate (r->successful, r->failed));
      html_td_text (out, r->first_day ? r->first_day : "");
      html_td_text (out, r->last_day ? r->last_day : r->prev_last_day);
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</tbody>\n</table></div>\n</section>\n");
}

/* failures_table - the newest failure details */
static void
failures_table (GString *out, const TrOverview *ov)
{
  static const char *const titles[]
      = { "day",        "reporter",     "policy domain", "policy",    "result type",
          "sending IP", "receiving MX", "receiving IP",  "#sessions", "reason code",
          NULL };

  g_string_append (out, "<section id=\"failures\">\n<h2>The newest failure details</h2>\n");
  if (ov->failures->len == 0)
    {
      g_string_append (out, "<p>None in this window.</p>\n</section>\n");
      return;
    }
  g_string_append_printf (out,
                          "<p class=\"note\">At most %u, newest first; <code>tlsrptdb query "
                          "failures</code> lists them all.</p>\n<div class=\"wide\"><table>\n",
                          TR_OVERVIEW_FAILURES);
  html_head_row (out, titles);
  g_string_append (out, "<tbody>\n");
  for (guint i = 0; i < ov->failures->len; i++)
    {
      const TrOverviewFailure *f = g_ptr_array_index (ov->failures, i);

      g_string_append (out, "<tr>");
      html_td_text (out, f->day);
      html_td_text (out, f->reporter);
      html_td_text (out, f->domain);
      html_td_text (out, f->policy_type);
      html_td_text (out, f->result_type);
      html_td_text (out, f->sending_ip);
      html_td_text (out, f->mx);
      html_td_text (out, f->receiving_ip);
      html_td_count (out, f->failed);
      html_td_text (out, f->reason_code);
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</tbody>\n</table></div>\n</section>\n");
}

/* rejected_table - the messages kept in `rejected` */
static void
rejected_table (GString *out, const TrOverview *ov)
{
  static const char *const titles[]
      = { "last delivery", "#deliveries", "#bytes", "from", "subject", "reason", NULL };

  g_string_append (out, "<section id=\"rejected\">\n<h2>Messages kept in <code>rejected</code>"
                        "</h2>\n");
  if (ov->n_rejected == 0)
    {
      g_string_append (out, "<p>None delivered in this window.</p>\n</section>\n");
      return;
    }
  g_string_append_printf (out,
                          "<p class=\"note\">%" G_GINT64_FORMAT " delivered in the window%s; "
                          "<code>tlsrptdb reprocess</code> tries them again after an upgrade.</p>"
                          "\n<div class=\"wide\"><table>\n",
                          ov->n_rejected,
                          ov->n_rejected > ov->rejected->len ? ", the newest shown" : "");
  html_head_row (out, titles);
  g_string_append (out, "<tbody>\n");
  for (guint i = 0; i < ov->rejected->len; i++)
    {
      const TrOverviewRejected *r = g_ptr_array_index (ov->rejected, i);

      g_string_append (out, "<tr>");
      html_td_text (out, r->last_received_at);
      html_td_count (out, r->deliveries);
      html_td_count (out, (gint64) MIN (r->message_size, (guint64) G_MAXINT64));
      html_td_text (out, r->mail_from);
      html_td_text (out, r->subject);
      html_td_text (out, r->reason);
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</tbody>\n</table></div>\n</section>\n");
}

/* tr_html_report - the page */
void
tr_html_report (GString *out, const TrOverview *ov, const TrHtmlReport *page)
{
  head (out, ov, page);
  summary (out, ov);
  html_charts_window (out, ov);
  domains_table (out, ov);
  html_charts_domains (out, ov);
  types_table (out, ov);
  reporters_table (out, ov);
  html_charts_top (out, ov);
  failures_table (out, ov);
  rejected_table (out, ov);
  g_string_append (out, "</main>\n<footer>\n<p class=\"muted\">Written by tlsrptdb ");
  html_text (out, page->version, 40);
  g_string_append (out, ". Sessions are counted as <code>tlsrptdb query summary</code> counts "
                        "them: a report that describes the same sessions under an MTA-STS and a "
                        "DANE policy counts them once. Days are the report days of the reports "
                        "(UTC).</p>\n</footer>\n</body>\n</html>\n");
}
