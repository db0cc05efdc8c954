/* mail.h - find the report parts of one message (GMime stays inside mail.c) */
#pragma once

#include <glib.h>

#include "bounds.h"
#include "report.h"

/* tr_mail_init - initialise GMime once per process; safe to call again */
void tr_mail_init (void);

/* tr_mail_extract - parse @message (the bytes as the MTA handed them over) and return its
 * candidate report parts, best first, at most limits->max_reports of them.
 *
 * Accepts a leading mbox "From " line, LF or CRLF, unterminated multiparts, report parts at any
 * depth (also inside message/rfc822), and a message that is itself the report: a bare JSON text,
 * a bare gzip stream, or base64 text of one.  Parts are picked by media type, then filename, and
 * only when neither finds one, by content (gzip magic, a JSON object); never by position.
 *
 * On success returns a new array of TrPayload (never empty) and sets *info (owned by the caller;
 * its members may be NULL).  *info is set whenever the message had a header, even on error, so
 * that a rejected message can be logged by Message-ID.
 * Errors: TR_ERROR_NOT_REPORT when no part looks like a report.
 */
GPtrArray *tr_mail_extract (GBytes *message, const TrLimits *limits, TrMailInfo **info,
                            GError **error);

/* tr_mail_fingerprint - SHA-256 (hex) of what makes @message the same message when it is
 * delivered again: its Message-ID and its body (the header fields the MTAs on the way add,
 * Received and the like, differ at each delivery), and the true @message_size of a message cut
 * at the size limit; all of its bytes when it has no header.  CRLF counts as LF.  A message in
 * `rejected` is kept once per fingerprint. */
char *tr_mail_fingerprint (GBytes *message, guint64 message_size, const char *message_id);

/* TR_MAIL_HEADER_VALUE_MAX - the longest header value tr_mail_header_fields keeps (cut there) */
#define TR_MAIL_HEADER_VALUE_MAX (16 * 1024)

/* tr_mail_header_fields - the header fields at the start of @message (after an mbox "From "
 * line) as they are in its bytes: unfolded but not decoded, each as a name and a value in the
 * new array (of char *, two per field; a NUL byte becomes U+FFFD), at most @max_fields of them
 * (*@more: how many more there were), values cut at TR_MAIL_HEADER_VALUE_MAX bytes.  Empty when
 * @message does not start with a header field (a bare report).  No GMime: the bytes as kept. */
GPtrArray *tr_mail_header_fields (GBytes *message, guint max_fields, guint *more);
