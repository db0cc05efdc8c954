/* fuzz-decode.c - libFuzzer harness: any bytes as a report part, through inflate, the lenient
 * JSON decoder and validation
 *
 * The input is a payload as mail.c hands it over (transfer-decoded, maybe gzip).  The limits are
 * smaller than the defaults so that a run spends its time on parsing, not on huge outputs.
 */
#include "config.h"

#include <stdint.h>

#include "decode.h"
#include "validate.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - decode one payload; every outcome is fine except a crash, a leak or
 * undefined behaviour */
int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GBytes) payload = g_bytes_new (data, size);
  g_autoptr (GBytes) json = NULL;
  g_autoptr (TrReport) report = NULL;
  g_autoptr (GError) error = NULL;

  limits.max_inflated_size = 4u * 1024 * 1024;
  json = tr_decode_inflate (payload, &limits, &error);
  if (json == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }
  g_assert (g_bytes_get_size (json) <= limits.max_inflated_size);
  report = tr_decode_report (json, &limits, &error);
  if (report == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }
  if (tr_validate_report (report, NULL, size % 2 ? "google.example!example.com!1!2.json.gz" : NULL,
                          "2026-12-01T00:00:00Z", &limits, &error))
    {
      g_assert (report->reporter_key != NULL && report->report_id != NULL);
    }
  else
    g_assert (error != NULL);
  return 0;
}
