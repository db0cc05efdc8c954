/* report-page.c - the page of a window: what report writes and digest attaches */
#include "config.h"

#include "html-report.h"
#include "report-page.h"

/* tr_report_page - the overview of the window, judged, and its page */
GString *
tr_report_page (TrStore *store, const TrWindowOptions *window, TrOverview **overview,
                GError **error)
{
  g_autoptr (TrOverview) ov = tr_overview_build (store, &window->filter, error);
  g_autofree char *title = NULL;
  GString *page;

  if (ov == NULL)
    return NULL;
  tr_overview_judge (ov);
  title = g_strdup_printf ("TLS reports, %s to %s", ov->since_day, ov->until_day);
  page = g_string_sized_new (64 * 1024);
  tr_html_report (
      page, ov,
      &(TrHtmlReport){ .title = title, .filters = window->described, .version = PACKAGE_VERSION });
  if (overview != NULL)
    *overview = g_steal_pointer (&ov);
  return page;
}
