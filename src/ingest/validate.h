/* validate.h - normalise a decoded report before it is stored */
#pragma once

#include <glib.h>

#include "bounds.h"
#include "report.h"

/* How far after the time a report was received its date-times may lie (clock skew, a day that
 * has not ended yet); later ones are not believed. */
#define TR_VALIDATE_FUTURE_SECONDS (2 * 86400)

/* tr_validate_report - normalise @report in place: date-times to UTC "YYYY-MM-DDTHH:MM:SSZ"
 * (no offset means UTC; unparseable ones, and ones more than TR_VALIDATE_FUTURE_SECONDS after
 * @received_at, fall back to the begin/end of an RFC 8460 @filename, else NULL), text values
 * cut to limits->max_string_length at a UTF-8 boundary, session counts beyond belief dropped
 * (TR_COUNT_MAX, TR_REPORT_COUNT_MAX), the reporter key for dedup, a synthesised
 * "sha256:<hex>" report-id when none was sent, the report day and the content fingerprint.
 * @info and @filename may be NULL; @received_at ("YYYY-MM-DDTHH:MM:SSZ") NULL means now.
 * Deviations are added to report->warnings.  Its text values must be valid UTF-8, as
 * decode.c makes them (it is the one place that repairs text, and warns).
 * Errors: TR_ERROR_DATA when nothing sensible is left to store.
 */
gboolean tr_validate_report (TrReport *report, const TrMailInfo *info, const char *filename,
                             const char *received_at, const TrLimits *limits, GError **error);

/* tr_validate_datetime - @text as "YYYY-MM-DDTHH:MM:SSZ" in UTC, or NULL if it is no date-time */
char *tr_validate_datetime (const char *text);

/* tr_validate_latest - the latest date-time believed of a report received at @received_at
 * (NULL: now), as "YYYY-MM-DDTHH:MM:SSZ" */
char *tr_validate_latest (const char *received_at);

/* tr_validate_contact_domain - the lower-cased domain of a contact-info (the domain of a
 * mailbox, or the host of an http(s) URL), or NULL: the name a report is filed under, and the
 * one its DKIM signature must be aligned with */
char *tr_validate_contact_domain (const char *contact);

/* tr_validate_fingerprint - SHA-256 (64 hex digits) of the content of a validated @report:
 * every value stored from its JSON, in order (not its layout, not the mail) */
char *tr_validate_fingerprint (const TrReport *report);
