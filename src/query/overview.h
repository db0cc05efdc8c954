/* overview.h - the page's and the digest's data gathered above the store interface
 * (overview.c, overview-listings.c, overview-build.c), and judged (verdict.c)
 *
 * The counting rule is query's (counting.h): a domain's sessions, failed sessions, reports and
 * result types are those of `query summary` with the same filter (tested: t-report.sh).
 */
#pragma once

#include <glib.h>

#include "check.h"
#include "overview-model.h"
#include "store.h"

/* tr_overview_build - what @filter selects (its domains, reporters, authenticated; since_day and
 * until_day must be set; the rejected messages by their days of arrival only).  TR_ERROR_USAGE
 * for a window that cannot be. */
TrOverview *tr_overview_build (TrStore *store, const TrQueryFilter *filter, GError **error);

/* tr_overview_judge - fill @overview's problems and level by check's thresholds in @rules
 * (warning, critical, min_sessions, rejected: [check] of the config file, or check's defaults;
 * doc/design.md, "The verdict") */
void tr_overview_judge (TrOverview *overview, const TrCheckRules *rules);
