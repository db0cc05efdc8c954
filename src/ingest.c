/* ingest.c - the pipeline shared by the commands that take in messages
 *
 * tr_ingest_prepare() runs mail -> decode -> validate with no database, so that a command can
 * batch the writes (import) or reuse them (reprocess); tr_ingest_store() writes one prepared
 * message inside the caller's transaction.  Nothing is lost: a message that yields no usable
 * report, or only some, is kept whole in `rejected` with the reason.
 */
#include "config.h"

#include <string.h>

#include "decode.h"
#include "error.h"
#include "ingest.h"
#include "mail.h"
#include "trust.h"
#include "validate.h"

void
tr_ingest_result_init (TrIngestResult *result)
{
  memset (result, 0, sizeof *result);
  result->lines = g_ptr_array_new_with_free_func (g_free);
}

void
tr_ingest_result_clear (TrIngestResult *result)
{
  g_clear_pointer (&result->lines, g_ptr_array_unref);
  memset (result, 0, sizeof *result);
}

void
tr_message_free (TrMessage *message)
{
  if (message == NULL)
    return;
  g_bytes_unref (message->message);
  tr_mail_info_free (message->info);
  g_ptr_array_unref (message->reports);
  g_free (message->reason);
  g_free (message);
}

/* decode_payload - one candidate part to a validated report, or NULL with the reason.
 * @left is what the reports already taken from this message left of the limits on inflated
 * bytes and JSON values: the reports of a message are held together until they are stored, so
 * those limits bound a whole message, and sixteen bombs cost no more than one. */
static TrReport *
decode_payload (const TrPayload *payload, const TrMailInfo *info, const TrLimits *limits,
                TrLimits *left, GError **error)
{
  g_autoptr (GBytes) json = NULL;
  g_autoptr (TrReport) report = NULL;

  json = tr_decode_inflate (payload->data, left, error);
  if (json != NULL)
    report = tr_decode_report (json, left, error);
  if (report == NULL || !tr_validate_report (report, info, payload->filename, limits, error))
    {
      if (g_error_matches (*error, TR_ERROR, TR_ERROR_LIMIT)
          && (left->max_inflated_size < limits->max_inflated_size
              || left->max_json_values < limits->max_json_values))
        g_prefix_error (error, "with the reports before it in this message: ");
      return NULL;
    }
  left->max_inflated_size -= MIN (left->max_inflated_size, g_bytes_get_size (report->raw_json));
  left->max_json_values -= MIN (left->max_json_values, report->json_values);
  return g_steal_pointer (&report);
}

/* add_reason - append one reason to the message's list of them */
static void G_GNUC_PRINTF (2, 3) add_reason (GString *reasons, const char *format, ...)
{
  va_list args;

  if (reasons->len > 0)
    g_string_append (reasons, "; ");
  va_start (args, format);
  g_string_append_vprintf (reasons, format, args);
  va_end (args);
}

/* admit - whether @report is ours and, when required, authenticated; else the reason why not */
static gboolean
admit (TrReport *report, const TrMailInfo *info, const TrSettings *settings, GString *reasons)
{
  g_autofree char *seen = NULL;

  tr_trust_judge (report, info, settings->trusted_authserv_ids);
  if (!tr_trust_in_scope (report, info, settings->domains, &seen))
    {
      add_reason (reasons, "not our domain: %s", seen);
      return FALSE;
    }
  if (settings->require_dkim
      && !(g_strcmp0 (report->dkim_result, "pass") == 0 && report->dkim_aligned == 1))
    {
      if (report->dkim_result == NULL || strcmp (report->dkim_result, "none") == 0)
        add_reason (reasons, "not authenticated: no DKIM result from a trusted host");
      else if (strcmp (report->dkim_result, "pass") != 0)
        add_reason (reasons, "not authenticated: dkim=%s%s%s", report->dkim_result,
                    report->dkim_domain ? " header.d=" : "",
                    report->dkim_domain ? report->dkim_domain : "");
      else
        add_reason (reasons, "not authenticated: signed by %s, not aligned with the reporter",
                    report->dkim_domain ? report->dkim_domain : "an unnamed domain");
      return FALSE;
    }
  return TRUE;
}

/* tr_ingest_prepare - take @message apart (no database); what cannot be used is in ->reason */
TrMessage *
tr_ingest_prepare (GBytes *bytes, guint64 message_size, const TrSettings *settings)
{
  g_autoptr (TrMessage) message = g_new0 (TrMessage, 1);
  g_autoptr (GString) reasons = g_string_new (NULL);
  g_autoptr (GPtrArray) payloads = NULL;
  g_autoptr (GError) error = NULL;
  TrLimits limits = settings->limits, left = settings->limits;
  gboolean too_large = message_size > g_bytes_get_size (bytes);

  message->message = g_bytes_ref (bytes);
  message->message_size = message_size;
  message->reports = g_ptr_array_new_with_free_func ((GDestroyNotify) tr_report_free);

  limits.max_reports++; /* one more than we take, to know that there were more */
  payloads = tr_mail_extract (bytes, &limits, &message->info, &error);
  if (message->info == NULL)
    message->info = tr_mail_info_new ();
  if (too_large)
    {
      /* what was read still names the message (its header) for the logs; nothing is decoded */
      add_reason (reasons, "message too large: %" G_GUINT64_FORMAT " bytes, limit %" G_GSIZE_FORMAT,
                  message_size, settings->limits.max_message_size);
      g_clear_pointer (&payloads, g_ptr_array_unref);
    }
  else if (payloads == NULL)
    add_reason (reasons, "not a report: %s", error->message);
  else if (payloads->len > settings->limits.max_reports)
    {
      add_reason (reasons, "more than %u report parts: the rest were not read",
                  settings->limits.max_reports);
      g_ptr_array_set_size (payloads, settings->limits.max_reports);
    }
  message->unusable = reasons->len > 0;

  for (guint i = 0; payloads != NULL && i < payloads->len; i++)
    {
      const TrPayload *payload = g_ptr_array_index (payloads, i);
      g_autoptr (GError) part_error = NULL;
      TrReport *report
          = decode_payload (payload, message->info, &settings->limits, &left, &part_error);

      if (report == NULL)
        {
          add_reason (reasons, "unusable report in %s: %s",
                      payload->where ? payload->where : "message", part_error->message);
          message->unusable = TRUE;
        }
      else if (admit (report, message->info, settings, reasons))
        g_ptr_array_add (message->reports, report);
      else
        tr_report_free (report);
    }

  if (reasons->len > 0)
    message->reason = g_string_free (g_steal_pointer (&reasons), FALSE);
  return g_steal_pointer (&message);
}

/* tr_ingest_store - write @message inside the caller's transaction */
gboolean
tr_ingest_store (TrStore *store, const TrMessage *message, const char *received_at,
                 TrIngestResult *result, GError **error)
{
  for (guint i = 0; i < message->reports->len; i++)
    {
      const TrReport *report = g_ptr_array_index (message->reports, i);
      TrStoreResult stored;

      if (!tr_store_add_report (store, report, message->info, received_at, &stored, error))
        return FALSE;
      if (stored.outcome == TR_STORE_STORED)
        {
          result->stored++;
          g_ptr_array_add (result->lines,
                           g_strdup_printf ("stored %s %s: %u policies, %u failure details",
                                            report->reporter_key, report->report_id,
                                            stored.n_policies, stored.n_failures));
        }
      else
        {
          result->duplicates++;
          g_ptr_array_add (result->lines,
                           g_strdup_printf ("duplicate %s %s: delivery %" G_GINT64_FORMAT,
                                            report->reporter_key, report->report_id,
                                            stored.deliveries));
        }
    }
  if (message->reason != NULL)
    {
      if (!tr_store_add_rejected (store, message->message, message->message_size, message->reason,
                                  message->info, received_at, error))
        return FALSE;
      result->rejected++;
      g_ptr_array_add (result->lines, g_strdup_printf ("rejected: %s", message->reason));
    }
  return TRUE;
}
