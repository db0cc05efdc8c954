/* report.c - constructors and destructors of the model in report.h */
#include "config.h"

#include <string.h>

#include "report.h"

TrMailInfo *
tr_mail_info_new (void)
{
  TrMailInfo *info = g_new0 (TrMailInfo, 1);

  info->auth_results = g_ptr_array_new_with_free_func (g_free);
  return info;
}

void
tr_mail_info_free (TrMailInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->message_id);
  g_free (info->subject);
  g_free (info->from);
  g_free (info->date);
  g_free (info->tls_report_domain);
  g_free (info->tls_report_submitter);
  g_ptr_array_unref (info->auth_results);
  g_free (info);
}

/* tr_payload_new - a payload holding a new reference to @data */
TrPayload *
tr_payload_new (GBytes *data, const char *content_type, const char *filename, const char *where)
{
  TrPayload *payload = g_new0 (TrPayload, 1);

  payload->data = g_bytes_ref (data);
  payload->content_type = g_strdup (content_type);
  payload->filename = g_strdup (filename);
  payload->where = g_strdup (where);
  return payload;
}

void
tr_payload_free (TrPayload *payload)
{
  if (payload == NULL)
    return;
  g_bytes_unref (payload->data);
  g_free (payload->content_type);
  g_free (payload->filename);
  g_free (payload->where);
  g_free (payload);
}

TrFailure *
tr_failure_new (void)
{
  TrFailure *failure = g_new0 (TrFailure, 1);

  failure->failed_session_count = TR_COUNT_ABSENT;
  return failure;
}

void
tr_failure_free (TrFailure *failure)
{
  if (failure == NULL)
    return;
  g_free (failure->result_type);
  g_free (failure->sending_mta_ip);
  g_free (failure->receiving_mx_hostname);
  g_free (failure->receiving_mx_helo);
  g_free (failure->receiving_ip);
  g_free (failure->additional_information);
  g_free (failure->failure_reason_code);
  g_free (failure);
}

TrPolicy *
tr_policy_new (void)
{
  TrPolicy *policy = g_new0 (TrPolicy, 1);

  policy->total_successful_session_count = TR_COUNT_ABSENT;
  policy->total_failure_session_count = TR_COUNT_ABSENT;
  policy->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) tr_failure_free);
  return policy;
}

void
tr_policy_free (TrPolicy *policy)
{
  if (policy == NULL)
    return;
  g_free (policy->policy_type);
  g_free (policy->policy_domain);
  g_free (policy->policy_string);
  g_free (policy->mx_host);
  g_ptr_array_unref (policy->failures);
  g_free (policy);
}

static void
warning_free (gpointer data)
{
  TrWarning *warning = data;

  g_free (warning->text);
  g_free (warning);
}

TrReport *
tr_report_new (void)
{
  TrReport *report = g_new0 (TrReport, 1);

  report->policies = g_ptr_array_new_with_free_func ((GDestroyNotify) tr_policy_free);
  report->warnings = g_ptr_array_new_with_free_func (warning_free);
  report->dkim_aligned = -1;
  return report;
}

void
tr_report_free (TrReport *report)
{
  if (report == NULL)
    return;
  g_free (report->organization_name);
  g_free (report->contact_info);
  g_free (report->report_id);
  g_free (report->start_datetime_raw);
  g_free (report->end_datetime_raw);
  g_free (report->start_datetime);
  g_free (report->end_datetime);
  g_free (report->report_day);
  g_free (report->reporter_key);
  g_free (report->fingerprint);
  g_free (report->dkim_result);
  g_free (report->dkim_domain);
  g_clear_pointer (&report->raw_json, g_bytes_unref);
  g_ptr_array_unref (report->policies);
  g_ptr_array_unref (report->warnings);
  g_free (report);
}

/* The warning codes: stable, for scripts (doc/deviations.md lists them with the deviations). */
const TrWarningCode tr_warning_codes[] = {
  { "not-a-string", "a member that should be a string is an array or object: ignored" },
  { "scalar-as-string", "a member that should be a string is a number or boolean: kept as text" },
  { "placeholder-name", "RFC 8460's placeholder name used for a member (D16)" },
  { "count-fraction", "a session count is not a whole number: truncated" },
  { "count-as-string", "a session count is a string of digits: read as a number" },
  { "count-unusable", "a session count is not a number: ignored" },
  { "count-beyond-belief", "a session count above a trillion: not believed" },
  { "count-report-total", "a session count that takes the report's counts past 2^52: ignored" },
  { "array-expected", "a member that should be an array is not one: ignored" },
  { "array-bare", "an array member sent as a bare string: read as one element (D7)" },
  { "array-null", "null inside an array: skipped" },
  { "array-non-string", "a non-string inside an array of strings: kept as text" },
  { "member-missing", "an object RFC 8460 requires (policy, summary) is missing" },
  { "object-expected", "a member that should be an object is not: ignored" },
  { "element-not-object", "an element of policies or failure-details is not an object: skipped" },
  { "result-type-missing", "a failure detail without result-type" },
  { "no-policies", "the report has no policies" },
  { "byte-order-mark", "the JSON starts with a UTF-8 byte order mark" },
  { "utf8-repaired", "a text value is not valid UTF-8: repaired" },
  { "text-cut", "a text value longer than 16 KiB: cut" },
  { "date-missing", "start- or end-datetime missing" },
  { "date-unusable", "start- or end-datetime unusable" },
  { "date-from-filename", "a date-time taken from the RFC 8460 filename instead" },
  { "date-future", "a date-time far after the report arrived: not believed" },
  { "date-order", "end-datetime before start-datetime" },
  { "report-id-synthesized", "report-id missing: synthesised from the JSON (D9)" },
  { "foreign-policies", "policies about other domains than ours: not stored" },
  { "warnings-suppressed", "more warnings than are kept" },
  { "unknown-code", "a warning stored by a newer version, with a code this one does not know" },
  { NULL, NULL },
};

/* tr_warning_code_static - the code of the table that equals @code, or NULL */
const char *
tr_warning_code_static (const char *code)
{
  for (guint i = 0; code != NULL && tr_warning_codes[i].code != NULL; i++)
    if (strcmp (code, tr_warning_codes[i].code) == 0)
      return tr_warning_codes[i].code;
  return NULL;
}

/* tr_warning_code_known - whether @code is one of the codes above */
gboolean
tr_warning_code_known (const char *code)
{
  return tr_warning_code_static (code) != NULL;
}

/* add_warning - append one warning */
static void
add_warning (TrReport *report, const char *code, char *text)
{
  TrWarning *warning = g_new0 (TrWarning, 1);

  warning->code = code;
  warning->text = text;
  g_ptr_array_add (report->warnings, warning);
}

/* tr_report_warn - note a deviation; shown by --verbose and show, stored, never fatal.  Bounded,
 * so that a hostile report cannot fill memory with warnings: after TR_REPORT_MAX_WARNINGS, one
 * more says so. */
void
tr_report_warn (TrReport *report, const char *code, const char *format, ...)
{
  va_list args;

  g_return_if_fail (tr_warning_code_known (code));
  if (report->warnings->len > TR_REPORT_MAX_WARNINGS)
    return;
  if (report->warnings->len == TR_REPORT_MAX_WARNINGS)
    {
      add_warning (report, "warnings-suppressed", g_strdup ("further warnings suppressed"));
      return;
    }
  va_start (args, format);
  add_warning (report, code, g_strdup_vprintf (format, args));
  va_end (args);
}
