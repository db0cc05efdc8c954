/* report.h - the plain C model that flows between the stages
 *
 * mail.c fills TrMailInfo and TrPayload, decode.c turns a payload into a TrReport,
 * validate.c normalises it, store.c writes it.  No GMime or json-glib type appears here.
 * Every string is owned, NUL-terminated UTF-8 (or NULL for "absent or null").
 */
#pragma once

#include <glib.h>

/* A count that was absent, null or unreadable: stored as SQL NULL. */
#define TR_COUNT_ABSENT G_MININT64
/* The largest session count believed (a trillion sessions in a day is no real count), and the
 * largest sum of all the counts of one report: validate.c drops larger ones with a warning, so
 * that no sum over a report can overflow, and sums over many reports saturate (doc/design.md). */
#define TR_COUNT_MAX G_GINT64_CONSTANT (1000000000000)
#define TR_REPORT_COUNT_MAX (G_GINT64_CONSTANT (1) << 52)

/* The mail-level facts of one message (all may be NULL). */
typedef struct
{
  char *message_id;           /* without the angle brackets */
  char *subject;              /* decoded (RFC 2047) */
  char *from;                 /* the From header, decoded */
  char *date;                 /* the Date header as "YYYY-MM-DDTHH:MM:SSZ", if it parses */
  char *tls_report_domain;    /* TLS-Report-Domain */
  char *tls_report_submitter; /* TLS-Report-Submitter */
  GPtrArray *auth_results;    /* of char *: Authentication-Results values, topmost first */
} TrMailInfo;

/* One candidate report part, transfer-decoded (base64/QP undone) but not inflated. */
typedef struct
{
  GBytes *data;
  char *content_type; /* "type/subtype", lower case, or NULL for a bare input */
  char *filename;     /* Content-Disposition filename or Content-Type name, or NULL */
  char *where;        /* for messages: "part 2", "part 1.2 (message/rfc822) part 2", "body" */
} TrPayload;

typedef struct
{
  char *result_type; /* verbatim, unknown values kept */
  char *sending_mta_ip;
  char *receiving_mx_hostname;
  char *receiving_mx_helo;
  char *receiving_ip;
  gint64 failed_session_count; /* or TR_COUNT_ABSENT */
  char *additional_information;
  char *failure_reason_code;
} TrFailure;

typedef struct
{
  guint index;         /* decode.c: its position among the report's policies, from 0 */
  char *policy_type;   /* verbatim: "sts", "tlsa", "no-policy-found", or whatever was sent */
  char *policy_domain; /* may be NULL (D5) */
  char *policy_string; /* JSON array text, e.g. ["version: STSv1","mode: enforce"], or NULL */
  char *mx_host;       /* JSON array text; a bare string is stored as a one-element array */
  gint64 total_successful_session_count; /* or TR_COUNT_ABSENT */
  gint64 total_failure_session_count;    /* or TR_COUNT_ABSENT */
  GPtrArray *failures;                   /* of TrFailure, never NULL */
} TrPolicy;

typedef struct
{
  char *organization_name;
  char *contact_info;
  char *report_id; /* as sent; validate.c synthesises "sha256:<hex>" when missing or empty */
  gboolean report_id_synthesized;
  char *start_datetime_raw; /* the date-range strings as sent */
  char *end_datetime_raw;
  char *start_datetime; /* validate.c: "YYYY-MM-DDTHH:MM:SSZ" in UTC, or NULL */
  char *end_datetime;
  char *report_day;    /* validate.c: "YYYY-MM-DD" the report is filed under (doc/schema.md) */
  char *reporter_key;  /* validate.c: who sent it, for dedup (see doc/schema.md) */
  char *fingerprint;   /* validate.c: SHA-256 (hex) of its content, for dedup */
  GBytes *raw_json;    /* the decompressed JSON text exactly as received */
  gsize json_values;   /* decode.c: its containers plus commas, as limits->max_json_values counts */
  char *dkim_result;   /* trust.c: "pass", "fail", ... from a trusted Authentication-Results */
  char *dkim_domain;   /* trust.c: the header.d of that result */
  int dkim_aligned;    /* trust.c: 1 aligned with the reporter, 0 not, -1 unknown */
  GPtrArray *policies; /* of TrPolicy, never NULL (may be empty) */
  guint foreign_policies; /* ingest.c: policies about other domains than ours, not kept */
  GPtrArray *warnings;    /* of TrWarning: deviations noticed on the way (kept with the report) */
} TrReport;

/* One deviation of a report from RFC 8460, or a change made to it: a stable short code
 * (tr_warning_codes, doc/deviations.md) and a text that says where. */
typedef struct
{
  const char *code; /* static: one of tr_warning_codes */
  char *text;
} TrWarning;

/* The warning codes, with a line each on what they mean; NULL-terminated. */
typedef struct
{
  const char *code;
  const char *meaning;
} TrWarningCode;
extern const TrWarningCode tr_warning_codes[];

TrMailInfo *tr_mail_info_new (void);
void tr_mail_info_free (TrMailInfo *info);
TrPayload *tr_payload_new (GBytes *data, const char *content_type, const char *filename,
                           const char *where);
void tr_payload_free (TrPayload *payload);
TrFailure *tr_failure_new (void);
void tr_failure_free (TrFailure *failure);
TrPolicy *tr_policy_new (void);
void tr_policy_free (TrPolicy *policy);
TrReport *tr_report_new (void);
void tr_report_free (TrReport *report);
/* tr_report_warn - add a warning with the code @code (one of tr_warning_codes); at most
 * TR_REPORT_MAX_WARNINGS are kept, then one "warnings-suppressed" */
#define TR_REPORT_MAX_WARNINGS 100
void tr_report_warn (TrReport *report, const char *code, const char *format, ...)
    G_GNUC_PRINTF (3, 4);
/* tr_warning_code_known - whether @code is one of tr_warning_codes */
gboolean tr_warning_code_known (const char *code);
/* tr_warning_code_static - the static string of tr_warning_codes equal to @code, or NULL */
const char *tr_warning_code_static (const char *code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrMailInfo, tr_mail_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrPayload, tr_payload_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrFailure, tr_failure_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrPolicy, tr_policy_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrReport, tr_report_free)
