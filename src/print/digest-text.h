/* digest-text.h - the text/plain part of the digest (digest-text.c): what a monitoring check
 * would say, the per-domain table, what changed, new failure types with their fix, silent
 * reporters, rejected mail */
#pragma once

#include <glib.h>

#include "overview-model.h"

#define TR_DIGEST_DOMAINS 30u /* domains in the text table; the HTML part has them all */

/* tr_digest_text - append the text of @overview under the heading @title (ours) */
void tr_digest_text (GString *out, const TrOverview *overview, const char *title);
/* tr_digest_status_line - "TLSRPT CRITICAL - example.net: 100.0% of 2 sessions failed; ..."
 * (at most about 200 characters; sender strings escaped) */
void tr_digest_status_line (GString *out, const TrOverview *overview);
