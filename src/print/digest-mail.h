/* digest-mail.h - the digest as an RFC 5322 message: multipart/alternative, text/plain and
 * text/html, built with GMime (digest-mail.c), ready for `sendmail -t` */
#pragma once

#include <glib.h>

typedef struct
{
  const char *from, *to; /* address lists as a person writes them ("Ops <ops@example.com>") */
  const char *subject;   /* any UTF-8 text of ours or of the administrator's: encoded as needed */
  GDateTime *date;
  const char *text; /* the text/plain part, UTF-8 */
  const char *html; /* the text/html part, UTF-8 */
} TrDigestMail;

/* tr_digest_mail_check_address - @value is a list of at least one address (TR_ERROR_USAGE
 * naming @option if not: empty, unparsable, a control character) */
gboolean tr_digest_mail_check_address (const char *option, const char *value, GError **error);

/* tr_digest_mail_build - the message of @mail as bytes (line feeds; every line at most 998
 * bytes, parts in quoted-printable or base64 as their content needs) */
GBytes *tr_digest_mail_build (const TrDigestMail *mail, GError **error);
