/* fuzz-mail.c - libFuzzer harness: any bytes as a message, through tr_mail_extract
 *
 * The input is what an MTA would hand to `tlsrptdb ingest` on stdin.  The limits are the
 * defaults, except the message size, which libFuzzer's -max_len bounds anyway.
 */
#include "config.h"

#include <stdint.h>

#include "mail.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - extract the report parts of one message; every outcome is fine
 * except a crash, a leak or undefined behaviour */
int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static gboolean initialised;
  const TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GBytes) message = g_bytes_new (data, size);
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = NULL;
  g_autoptr (GError) error = NULL;

  if (!initialised)
    {
      tr_mail_init ();
      initialised = TRUE;
    }
  payloads = tr_mail_extract (message, &limits, &info, &error);
  g_assert ((payloads == NULL) != (error == NULL));
  if (payloads != NULL)
    {
      g_assert (payloads->len > 0 && payloads->len <= limits.max_reports);
      for (guint i = 0; i < payloads->len; i++)
        {
          const TrPayload *payload = g_ptr_array_index (payloads, i);
          g_assert (payload->data != NULL);
        }
    }
  return 0;
}
