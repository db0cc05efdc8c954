/* ingest.c - the pipeline shared by the commands that take in messages
 *
 * tr_ingest_prepare() runs mail -> decode -> validate with no database, so that a command can
 * batch the writes (import) or reuse them (reprocess); tr_ingest_store() writes one prepared
 * message inside the caller's transaction.  Nothing is lost: a message that yields no usable
 * report, or only some, is kept whole in `rejected` with the reason.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "error.h"
#include "escape.h"
#include "ingest.h"
#include "log.h"
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
  g_free (message->fingerprint);
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
decode_payload (const TrPayload *payload, const TrMailInfo *info, const char *received_at,
                const TrLimits *limits, TrLimits *left, GError **error)
{
  g_autoptr (GBytes) json = NULL;
  g_autoptr (TrReport) report = NULL;

  json = tr_decode_inflate (payload->data, left, error);
  if (json != NULL)
    report = tr_decode_report (json, left, error);
  if (report == NULL
      || !tr_validate_report (report, info, payload->filename, received_at, limits, error))
    {
      if (g_error_matches (*error, TR_ERROR, TR_ERROR_LIMIT)
          && (left->max_inflated_size < limits->max_inflated_size
              || left->max_json_values < limits->max_json_values))
        g_prefix_error (error,
                        "over what the reports before it in this message left of the limits: ");
      return NULL;
    }
  left->max_inflated_size -= MIN (left->max_inflated_size, g_bytes_get_size (report->raw_json));
  left->max_json_values -= MIN (left->max_json_values, report->json_values);
  return g_steal_pointer (&report);
}

/* TR_REASON_MAX - the longest reason kept: reasons quote what the sender wrote */
#define TR_REASON_MAX 1024

/* add_reason - append one reason to the message's list of them (at most TR_REASON_MAX bytes) */
static void G_GNUC_PRINTF (2, 3) add_reason (GString *reasons, const char *format, ...)
{
  g_autofree char *reason = NULL;
  g_autofree char *cut = NULL;
  va_list args;

  if (reasons->len >= TR_REASON_MAX)
    return;
  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  if (reasons->len > 0)
    g_string_append (reasons, "; ");
  cut = tr_escape_cut (reason, TR_REASON_MAX - MIN (reasons->len, TR_REASON_MAX));
  g_string_append (reasons, cut);
}

/* admit - whether @report is ours and, when required, authenticated; else the reason why not.
 * Of a report about several domains, only the policies about ours are kept. */
static gboolean
admit (TrReport *report, const TrMailInfo *info, const TrSettings *settings, GString *reasons)
{
  g_autofree char *seen = NULL;
  guint total = report->policies->len, foreign;

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
        add_reason (reasons, "not authenticated: signed by %s, not aligned with the reporter %s",
                    report->dkim_domain ? report->dkim_domain : "an unnamed domain",
                    report->reporter_key);
      return FALSE;
    }
  foreign = tr_trust_keep_in_scope (report, info, settings->domains);
  report->foreign_policies = foreign;
  if (foreign > 0)
    tr_report_warn (report, "foreign-policies",
                    "%u of %u policies are about other domains than ours: not stored", foreign,
                    total);
  return TRUE;
}

/* text_cost - the bytes of @text, stored @copies times (in rows and index entries) */
static guint64
text_cost (const char *text, guint copies)
{
  return text != NULL ? (guint64) strlen (text) * copies : 0;
}

/* storage_cost - what storing @report takes in the database, at most: its JSON text, and for
 * each policy and failure detail its row, index entries and summary rows, and its text values
 * as often as they are stored, with room for half-full index pages (a policy domain is in five
 * rows and keys, a result type and MX in two).  Measured against real growth of every shape of
 * report: doc/reliability.md, "What one message can cost". */
static guint64
storage_cost (const TrReport *report)
{
  guint64 cost = g_bytes_get_size (report->raw_json);

  for (guint i = 0; i < report->policies->len; i++)
    {
      const TrPolicy *p = g_ptr_array_index (report->policies, i);

      cost += TR_POLICY_ROW_COST + text_cost (p->policy_type, 2) + text_cost (p->policy_domain, 8)
              + text_cost (p->policy_string, 2) + text_cost (p->mx_host, 2);
      for (guint j = 0; j < p->failures->len; j++)
        {
          const TrFailure *f = g_ptr_array_index (p->failures, j);

          cost += TR_FAILURE_ROW_COST + text_cost (f->result_type, 4)
                  + text_cost (f->receiving_mx_hostname, 4) + text_cost (f->sending_mta_ip, 2)
                  + text_cost (f->receiving_mx_helo, 2) + text_cost (f->receiving_ip, 2)
                  + text_cost (f->additional_information, 2)
                  + text_cost (f->failure_reason_code, 2);
        }
    }
  return cost;
}

/* same_report - whether @a and @b are the same report: key and content */
static gboolean
same_report (const TrReport *a, const TrReport *b)
{
  return strcmp (a->reporter_key, b->reporter_key) == 0 && strcmp (a->report_id, b->report_id) == 0
         && strcmp (a->fingerprint, b->fingerprint) == 0;
}

/* take_report - add @report to @message unless it holds the same report already (one message
 * is one delivery, however many copies it carries) */
static void
take_report (TrMessage *message, TrReport *report)
{
  for (guint i = 0; i < message->reports->len; i++)
    if (same_report (g_ptr_array_index (message->reports, i), report))
      {
        tr_report_free (report);
        return;
      }
  g_ptr_array_add (message->reports, report);
}

/* check_cost - keep the reports of @message only if storing them costs no more than the
 * storage ratio allows for a message of its size: a message is kept in `rejected` instead.
 * This reason decides the fate of the whole message, so it comes first, before the reasons
 * of single parts (the list is cut at TR_REASON_MAX bytes). */
static void
check_cost (TrMessage *message, const TrLimits *limits, GString *reasons)
{
  guint64 cost = 0, allowed;
  g_autofree char *parts = NULL;

  for (guint i = 0; i < message->reports->len; i++)
    cost += storage_cost (g_ptr_array_index (message->reports, i));
  allowed = (guint64) limits->max_storage_ratio * message->message_size + TR_STORAGE_ALLOWANCE;
  if (cost <= allowed)
    return;
  parts = g_strdup (reasons->str);
  g_string_truncate (reasons, 0);
  add_reason (
      reasons,
      "reports too large for their message: storing them would take about %" G_GUINT64_FORMAT
      " bytes, more than %u times the %" G_GUINT64_FORMAT " bytes of the message "
      "(--max-storage-ratio) plus %u",
      cost, limits->max_storage_ratio, message->message_size, TR_STORAGE_ALLOWANCE);
  if (*parts != '\0')
    add_reason (reasons, "%s", parts);
  g_ptr_array_set_size (message->reports, 0);
  message->unusable = TRUE;
}

/* take_payload - decode, validate and admit one candidate @payload of @message: its report is
 * taken, or why not is in @reasons */
static void
take_payload (TrMessage *message, const TrPayload *payload, const char *received_at,
              const TrSettings *settings, TrLimits *left, GString *reasons)
{
  g_autoptr (GError) error = NULL;
  TrReport *report
      = decode_payload (payload, message->info, received_at, &settings->limits, left, &error);

  if (report == NULL)
    {
      add_reason (reasons, "unusable report in %s: %s", payload->where ? payload->where : "message",
                  error->message);
      message->unusable = TRUE;
    }
  else if (admit (report, message->info, settings, reasons))
    take_report (message, report);
  else
    tr_report_free (report);
}

/* message_new - a TrMessage of @bytes (@message_size bytes in truth), with nothing in it yet */
static TrMessage *
message_new (GBytes *bytes, guint64 message_size)
{
  TrMessage *message = g_new0 (TrMessage, 1);

  message->message = g_bytes_ref (bytes);
  message->message_size = message_size;
  message->reports = g_ptr_array_new_with_free_func ((GDestroyNotify) tr_report_free);
  return message;
}

/* tr_ingest_prepare - take @message apart (no database); what cannot be used is in ->reason */
TrMessage *
tr_ingest_prepare (GBytes *bytes, guint64 message_size, const char *received_at,
                   const TrSettings *settings)
{
  g_autoptr (TrMessage) message = message_new (bytes, message_size);
  g_autoptr (GString) reasons = g_string_new (NULL);
  g_autoptr (GPtrArray) payloads = NULL;
  g_autoptr (GError) error = NULL;
  TrLimits limits = settings->limits, left = settings->limits;
  gboolean too_large = message_size > g_bytes_get_size (bytes);

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
    take_payload (message, g_ptr_array_index (payloads, i), received_at, settings, &left, reasons);
  check_cost (message, &settings->limits, reasons);

  if (reasons->len > 0)
    {
      message->reason = g_string_free (g_steal_pointer (&reasons), FALSE);
      message->fingerprint = tr_mail_fingerprint (bytes, message_size, message->info->message_id);
    }
  return g_steal_pointer (&message);
}

/* request_fingerprint - who a request body is, for keeping it in `rejected` once: the SHA-256
 * of its bytes and its content coding (a body is never cut: one over the limit is not kept) */
static char *
request_fingerprint (GBytes *body, const char *content_encoding)
{
  static const guchar nul = 0;
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len;
  const guint8 *data = g_bytes_get_data (body, &len);

  g_checksum_update (sum, (const guchar *) "tlsrptdb request 1", -1);
  g_checksum_update (sum, &nul, 1);
  if (content_encoding != NULL)
    g_checksum_update (sum, (const guchar *) content_encoding, -1);
  g_checksum_update (sum, &nul, 1);
  if (len > 0)
    g_checksum_update (sum, data, (gssize) len);
  return g_strdup (g_checksum_get_string (sum));
}

/* tr_ingest_prepare_request - the body of a request over HTTPS (no database): the report itself */
TrMessage *
tr_ingest_prepare_request (GBytes *body, const char *content_encoding, const char *received_at,
                           const TrSettings *settings)
{
  g_autoptr (TrMessage) message = message_new (body, g_bytes_get_size (body));
  g_autoptr (GString) reasons = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) decoded = NULL;
  TrLimits left = settings->limits;

  message->info = tr_mail_info_new (); /* a POSTed body is never read as a mail */
  if (g_bytes_get_size (body) == 0)
    add_reason (reasons, "not a report: an empty body");
  else if ((decoded = tr_decode_content_coding (body, content_encoding, &settings->limits, &error))
           == NULL)
    add_reason (reasons, "unusable report in body: %s", error->message);
  else
    {
      TrPayload payload = { .data = decoded, .where = (char *) "body" };

      take_payload (message, &payload, received_at, settings, &left, reasons);
    }
  message->unusable = message->unusable || decoded == NULL;
  check_cost (message, &settings->limits, reasons);
  if (reasons->len > 0)
    {
      message->reason = g_string_free (g_steal_pointer (&reasons), FALSE);
      message->fingerprint = request_fingerprint (body, content_encoding);
    }
  return g_steal_pointer (&message);
}

/* append_warnings - "; 3 warnings: count-string x2, array-bare" (the codes, each once, in the
 * order they came; show gives their texts) */
static void
append_warnings (GString *line, const GPtrArray *warnings)
{
  g_autoptr (GHashTable) seen = NULL;
  g_autoptr (GPtrArray) codes = NULL;

  if (warnings->len == 0)
    return;
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  codes = g_ptr_array_new ();
  for (guint i = 0; i < warnings->len; i++)
    {
      const char *code = ((const TrWarning *) g_ptr_array_index (warnings, i))->code;
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (seen, code));

      if (n == 0)
        g_ptr_array_add (codes, (gpointer) code);
      g_hash_table_insert (seen, (gpointer) code, GUINT_TO_POINTER (n + 1));
    }
  g_string_append_printf (line, "; %u warning%s:", warnings->len, warnings->len == 1 ? "" : "s");
  for (guint i = 0; i < codes->len; i++)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (seen, g_ptr_array_index (codes, i)));

      g_string_append_printf (line, "%s %s", i > 0 ? "," : "",
                              (const char *) g_ptr_array_index (codes, i));
      if (n > 1)
        g_string_append_printf (line, " x%u", n);
    }
}

/* stored_line - what storing @report did, for --verbose and the mail log */
static char *
stored_line (const TrReport *report, const TrStoreResult *stored)
{
  g_autoptr (GString) line = g_string_new (NULL);

  if (stored->outcome == TR_STORE_STORED)
    g_string_printf (line, "stored %s %s: %u policies, %u failure details", report->reporter_key,
                     report->report_id, stored->n_policies, stored->n_failures);
  else
    g_string_printf (line, "duplicate %s %s: delivery %" G_GINT64_FORMAT, report->reporter_key,
                     report->report_id, stored->deliveries);
  if (report->foreign_policies > 0)
    g_string_append_printf (line, " (%u policies about other domains not stored)",
                            report->foreign_policies);
  if (stored->authenticated_now)
    g_string_append (line, "; this delivery was authenticated (dkim=pass, aligned): recorded");
  if (stored->outcome == TR_STORE_STORED && stored->same_key > 0)
    g_string_append_printf (line,
                            "; CONFLICT: %u other stored report%s of this reporter and report-id "
                            "hold%s other content (all are kept)",
                            stored->same_key, stored->same_key == 1 ? "" : "s",
                            stored->same_key == 1 ? "s" : "");
  if (stored->outcome == TR_STORE_STORED)
    append_warnings (line, report->warnings);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* rejected_line - what keeping the message in `rejected` did */
static char *
rejected_line (TrRejectedOutcome outcome, const char *reason)
{
  switch (outcome)
    {
      case TR_REJECTED_KEPT:
        return g_strdup_printf ("rejected: %s", reason);
      case TR_REJECTED_KEPT_WITHOUT_BYTES:
        return g_strdup_printf ("rejected, only its facts kept (the rejected budget, "
                                "--max-rejected-size, is full): %s",
                                reason);
      case TR_REJECTED_REPEAT:
        return g_strdup_printf ("rejected (kept before, delivery counted): %s", reason);
      case TR_REJECTED_NOT_KEPT:
        return g_strdup_printf ("rejected, not kept (`rejected` holds as many requests over "
                                "HTTPS as --max-rejected-requests allows): %s",
                                reason);
      case TR_REJECTED_KNOWN:
      default:
        return g_strdup_printf ("rejected (kept before): %s", reason);
    }
}

/* tr_ingest_store - write @message inside the caller's transaction */
gboolean
tr_ingest_store (TrStore *store, const TrMessage *message, const TrArrival *arrival,
                 gboolean count_repeats, TrIngestResult *result, GError **error)
{
  for (guint i = 0; i < message->reports->len; i++)
    {
      const TrReport *report = g_ptr_array_index (message->reports, i);
      TrStoreResult stored;

      if (!tr_store_add_report (store, report, message->info, arrival, &stored, error))
        return FALSE;
      if (stored.outcome == TR_STORE_STORED)
        result->stored++;
      else
        result->duplicates++;
      if (stored.outcome == TR_STORE_STORED && stored.same_key > 0)
        result->conflicts++;
      if (stored.authenticated_now)
        result->authenticated++;
      g_ptr_array_add (result->lines, stored_line (report, &stored));
    }
  if (message->reason != NULL)
    {
      TrRejectedMessage rejected = {
        .raw = message->message,
        .message_size = message->message_size,
        .reason = message->reason,
        .info = message->info,
        .fingerprint = message->fingerprint,
      };
      TrRejectedOutcome outcome;

      if (!tr_store_add_rejected (store, &rejected, arrival, count_repeats, &outcome, error))
        return FALSE;
      if (outcome == TR_REJECTED_KEPT || outcome == TR_REJECTED_KEPT_WITHOUT_BYTES)
        result->rejected++;
      else if (outcome == TR_REJECTED_NOT_KEPT)
        result->not_kept++;
      else
        result->rejected_known++;
      g_ptr_array_add (result->lines, rejected_line (outcome, message->reason));
    }
  return TRUE;
}

/* tr_ingest_store_durably - @message in one transaction of its own */
gboolean
tr_ingest_store_durably (TrStore *store, const TrMessage *message, const TrArrival *arrival,
                         TrIngestResult *result, GError **error)
{
  if (!tr_store_begin (store, error))
    return FALSE;
  if (!tr_ingest_store (store, message, arrival, TRUE, result, error))
    {
      tr_store_rollback (store);
      return FALSE;
    }
  if (result->stored == 0 && result->rejected == 0 && result->authenticated == 0)
    return tr_store_commit_relaxed (store, error); /* only counted repeats */
  return tr_store_commit (store, error);
}

/* tr_ingest_result_log - what storing did, to syslog (and on stdout with @print) */
void
tr_ingest_result_log (const TrIngestResult *result, const char *where, gboolean print)
{
  for (guint i = 0; i < result->lines->len; i++)
    {
      const char *line = g_ptr_array_index (result->lines, i);

      tr_log_notice ("%s: %s", where, line);
      if (print)
        {
          g_autofree char *shown = tr_escape_text (line);

          printf ("%s\n", shown);
        }
    }
  if (result->conflicts > 0)
    tr_log_warning ("%s: %u report%s stored beside a report with the same reporter and report-id "
                    "but other content: a conflict, see tlsrptdb query reports",
                    where, result->conflicts, result->conflicts == 1 ? "" : "s");
}
