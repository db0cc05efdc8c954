/* report-page.h - the page of a window, shared by report and digest (report-page.c) */
#pragma once

#include <glib.h>

#include "overview.h"
#include "settings.h"
#include "window-options.h"

/* tr_report_page - the page of @window's filter (its wildcards and reporter names resolved
 * against the database first, as query's are), and its overview, judged by the thresholds of
 * @settings' [check] group, in *@overview (if not NULL); NULL with @error if the store cannot
 * be read or a threshold of the config file is wrong */
GString *tr_report_page (TrStore *store, TrWindowOptions *window, const TrSettings *settings,
                         TrOverview **overview, GError **error);
