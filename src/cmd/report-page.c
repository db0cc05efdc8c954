/* report-page.c - the page of a window: what report writes and digest attaches */
#include "config.h"

#include "error.h"
#include "html-report.h"
#include "log.h"
#include "query.h"
#include "report-page.h"

/* verdict_rules - the thresholds of check that the verdict applies: [check] of the config
 * file, else check's defaults */
static gboolean
verdict_rules (const TrSettings *settings, TrCheckRules *rules, GError **error)
{
  static const char *const keys[] = { "warning", "critical", "min-sessions", "rejected" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *value = tr_settings_command_value (settings, keys[i]);

      if (!tr_check_threshold (rules, keys[i], value ? value : tr_check_default (keys[i]), error))
        {
          (*error)->code = TR_ERROR_CONFIG; /* no option of report or digest sets them */
          g_prefix_error (error, "config file, [check] %s: ", keys[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* tr_report_page - the overview of the window, judged, and its page */
GString *
tr_report_page (TrStore *store, TrWindowOptions *window, const TrSettings *settings,
                TrOverview **overview, GError **error)
{
  TrCheckRules rules = { 0 };
  g_autoptr (GPtrArray) hints = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (TrOverview) ov = NULL;
  g_autofree char *title = NULL;
  GString *page;

  if (!verdict_rules (settings, &rules, error)
      || !tr_query_filter_resolve (store, &window->filter, hints, error))
    return NULL;
  for (guint i = 0; i < hints->len; i++)
    tr_log_warning ("%s", (const char *) g_ptr_array_index (hints, i));
  ov = tr_overview_build (store, &window->filter, error);
  if (ov == NULL)
    return NULL;
  tr_overview_judge (ov, &rules);
  title = g_strdup_printf ("TLS reports, %s to %s", ov->since_day, ov->until_day);
  page = g_string_sized_new (64 * 1024);
  tr_html_report (
      page, ov,
      &(TrHtmlReport){ .title = title, .filters = window->described, .version = PACKAGE_VERSION });
  if (overview != NULL)
    *overview = g_steal_pointer (&ov);
  return page;
}
