/* decode.h - payload bytes to a TrReport: inflate (zlib) and parse (json-glib stays here) */
#pragma once

#include <glib.h>

#include "bounds.h"
#include "report.h"

/* tr_decode_inflate - the JSON text inside @payload: gzip (by magic 1f 8b, whatever the label)
 * is inflated with a hard cap of limits->max_inflated_size, stopping at the end of the gzip
 * stream and ignoring stray bytes after it; anything else is returned as it is.
 * Errors: TR_ERROR_LIMIT (over the cap), TR_ERROR_DATA (corrupt or truncated gzip).
 */
GBytes *tr_decode_inflate (GBytes *payload, const TrLimits *limits, GError **error);

/* tr_decode_content_coding - @body (an HTTP request's) with its Content-Encoding @coding undone:
 * "gzip" and "x-gzip" are inflated with a hard cap of limits->max_inflated_size when @body starts
 * with the gzip magic (a body without it is taken as it is: the content decides, as for mail);
 * NULL, "" and "identity" leave it as it is.  Case and surrounding blanks do not matter.
 * Errors: TR_ERROR_DATA (another coding, corrupt gzip), TR_ERROR_LIMIT (over the cap). */
GBytes *tr_decode_content_coding (GBytes *body, const char *coding, const TrLimits *limits,
                                  GError **error);

/* tr_decode_report - parse the JSON text @json (which the report keeps as raw_json) leniently
 * (doc/deviations.md): null is absent, counts may be numbers or numeric strings, mx-host a string
 * or an array, unknown members and enum values are kept.  Dates are left as sent; validate.c
 * normalises them.  Nesting deeper than limits->max_json_depth is refused before json-glib sees it.
 * Errors: TR_ERROR_DATA (not JSON, not an object, no "policies" array), TR_ERROR_LIMIT (depth).
 */
TrReport *tr_decode_report (GBytes *json, const TrLimits *limits, GError **error);

/* tr_decode_json_compact - a stored report's JSON text @json in compact form (json-glib's), for
 * embedding in JSON output; NULL when it is not strict JSON (the lenient parse took it) */
char *tr_decode_json_compact (GBytes *json);
/* tr_decode_string_array - the strings of @json, a JSON array text of strings as decode.c
 * stores mx-host and policy-string; NULL when it is not one */
GStrv tr_decode_string_array (const char *json);
