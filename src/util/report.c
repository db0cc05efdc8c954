/* report.c - constructors and destructors of the model in report.h */
#include "config.h"

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

TrReport *
tr_report_new (void)
{
  TrReport *report = g_new0 (TrReport, 1);

  report->policies = g_ptr_array_new_with_free_func ((GDestroyNotify) tr_policy_free);
  report->warnings = g_ptr_array_new_with_free_func (g_free);
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

/* tr_report_warn - note a deviation; shown by --verbose, never fatal.  Bounded, so that a hostile
 * report cannot fill memory with warnings: after TR_REPORT_MAX_WARNINGS, one line says so. */
void
tr_report_warn (TrReport *report, const char *format, ...)
{
  va_list args;

  if (report->warnings->len > TR_REPORT_MAX_WARNINGS)
    return;
  if (report->warnings->len == TR_REPORT_MAX_WARNINGS)
    {
      g_ptr_array_add (report->warnings, g_strdup ("further warnings suppressed"));
      return;
    }
  va_start (args, format);
  g_ptr_array_add (report->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}
