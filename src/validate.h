/* validate.h - normalise a decoded report before it is stored */
#pragma once

#include <glib.h>

#include "bounds.h"
#include "report.h"

/* tr_validate_report - normalise @report in place: date-times to UTC "YYYY-MM-DDTHH:MM:SSZ"
 * (no offset means UTC; unparseable ones fall back to the begin/end of an RFC 8460 @filename,
 * else NULL), text values cut to limits->max_string_length at a UTF-8 boundary, the reporter key
 * for dedup, and a synthesised "sha256:<hex>" report-id when none was sent.  @info and @filename
 * may be NULL.  Deviations are added to report->warnings.
 * Errors: TR_ERROR_DATA when nothing sensible is left to store.
 */
gboolean tr_validate_report (TrReport *report, const TrMailInfo *info, const char *filename,
                             const TrLimits *limits, GError **error);

/* tr_validate_datetime - @text as "YYYY-MM-DDTHH:MM:SSZ" in UTC, or NULL if it is no date-time */
char *tr_validate_datetime (const char *text);
