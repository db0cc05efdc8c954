/* timespec.h - the one parser of every option that takes a time or a span */
#pragma once

#include <glib.h>

/* tr_time_parse - the point in time @text names, in UTC: a date ("2026-11-20": its midnight,
 * UTC), a date-time ("2026-11-20T10:00:00Z"; no offset is UTC), "today" or "yesterday" (their
 * midnight, UTC), or a span back from @now: a number and one of s, min, h, d, w, mo, y ("30d",
 * "24h", "90min", "13mo", "1y").  A bare "m" is refused, with a hint: minutes or months?
 * @option names the option in the TR_ERROR_USAGE message. */
GDateTime *tr_time_parse (const char *option, const char *text, GDateTime *now, GError **error);

/* tr_time_parse_day - tr_time_parse() as the UTC day "YYYY-MM-DD" it falls on */
char *tr_time_parse_day (const char *option, const char *text, GDateTime *now, GError **error);

/* tr_time_parse_span - a span only ("48h", "2d", "90min"; not a date) as the time it reaches back
 * from @now, in seconds (a month or a year as long as the calendar makes it) */
gboolean tr_time_parse_span (const char *option, const char *text, GDateTime *now,
                             GTimeSpan *seconds, GError **error);

/* tr_time_day - the UTC day of @t as "YYYY-MM-DD" */
char *tr_time_day (GDateTime *t);
