/* bounds.h - bounds on every external input, with their documented defaults */
#pragma once

#include <glib.h>

typedef struct
{
  gsize max_message_size;    /* bytes of one message read from stdin */
  gsize max_inflated_size;   /* bytes of one decompressed report */
  guint max_json_depth;      /* nesting of [ and { in one report */
  gsize max_json_values;     /* containers plus commas in one report: json-glib's tree costs a few
                              * hundred bytes per value, so this, not the size, bounds its memory */
  guint max_reports;         /* report parts taken from one message */
  gsize max_string_length;   /* bytes of one stored text value; longer ones are cut */
  guint max_mime_depth;      /* nesting of multiparts and message/rfc822 parts */
  guint max_storage_ratio;   /* what one message's reports may add to the database: at most this
                              * many times the message's size, plus TR_STORAGE_ALLOWANCE */
  guint64 max_rejected_size; /* bytes of messages the `rejected` table may hold in all */
  guint64 max_rejected_requests; /* rows of `rejected` that came over HTTPS (anyone can POST) */
} TrLimits;

#define TR_DEFAULT_MAX_MESSAGE_SIZE (25u * 1024 * 1024)
#define TR_DEFAULT_MAX_INFLATED_SIZE (32u * 1024 * 1024)
#define TR_DEFAULT_MAX_JSON_DEPTH 64u
#define TR_DEFAULT_MAX_JSON_VALUES 1500000u /* a 100,000-failure report has about 900,000 */
#define TR_DEFAULT_MAX_REPORTS 16u
#define TR_DEFAULT_MAX_STRING_LENGTH (16u * 1024)
#define TR_DEFAULT_MAX_MIME_DEPTH 32u
/* a real report is estimated at 40 times its message in the database (10,000 failure details:
 * 6.9 MB for a mail of 174 KB), 54 times when sent as bare gzip (HTTPS); gzip packs whitespace
 * or repeated values a thousand times tighter (doc/design.md, "What one message may cost") */
#define TR_DEFAULT_MAX_STORAGE_RATIO 100u
#define TR_STORAGE_ALLOWANCE (256u * 1024)
/* what one policy and one failure detail take in the database besides their text values: the
 * row, its index entries and summary rows (measured: doc/reliability.md) */
#define TR_POLICY_ROW_COST 256u
#define TR_FAILURE_ROW_COST 64u
#define TR_DEFAULT_MAX_REJECTED_SIZE (G_GUINT64_CONSTANT (256) * 1024 * 1024)
/* a row kept without its bytes takes up to about 2 KiB (reason, user agent, media type), so
 * 10,000 rows add at most about 20 MB to the budget; real senders' requests are rarely refused */
#define TR_DEFAULT_MAX_REJECTED_REQUESTS 10000u

#define TR_LIMITS_INIT                                                                             \
  {                                                                                                \
    .max_message_size = TR_DEFAULT_MAX_MESSAGE_SIZE,                                               \
    .max_inflated_size = TR_DEFAULT_MAX_INFLATED_SIZE,                                             \
    .max_json_depth = TR_DEFAULT_MAX_JSON_DEPTH, .max_json_values = TR_DEFAULT_MAX_JSON_VALUES,    \
    .max_reports = TR_DEFAULT_MAX_REPORTS, .max_string_length = TR_DEFAULT_MAX_STRING_LENGTH,      \
    .max_mime_depth = TR_DEFAULT_MAX_MIME_DEPTH,                                                   \
    .max_storage_ratio = TR_DEFAULT_MAX_STORAGE_RATIO,                                             \
    .max_rejected_size = TR_DEFAULT_MAX_REJECTED_SIZE,                                             \
    .max_rejected_requests = TR_DEFAULT_MAX_REJECTED_REQUESTS,                                     \
  }
