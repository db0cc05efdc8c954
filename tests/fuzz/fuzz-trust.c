/* fuzz-trust.c - libFuzzer harness: any bytes as Authentication-Results headers and the names
 * they are judged against, through tr_trust_judge, tr_trust_in_scope and tr_trust_org_domain
 *
 * The input is lines (LF): the trusted authserv-ids (comma-separated), the report's contact-info,
 * the TLS-Report-Submitter, a policy domain, then one Authentication-Results value per line, the
 * topmost first.  The headers and every name but the trusted ids come from the sender, so all
 * of it is hostile.  The seeds are in tests/fuzz/seeds-trust/.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "trust.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - judge one message; every outcome is fine except a crash, a leak,
 * undefined behaviour or a verdict outside its documented values */
int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *domains[] = { "example.com", "*.example.net", NULL };
  g_autofree char *text = g_strndup ((const char *) data, size); /* stops at a NUL, as headers do */
  g_auto (GStrv) lines = g_strsplit (text, "\n", 64);
  g_auto (GStrv) trusted = NULL;
  g_autoptr (TrMailInfo) info = tr_mail_info_new ();
  g_autoptr (TrReport) report = tr_report_new ();
  g_autoptr (TrPolicy) policy = tr_policy_new ();
  g_autofree char *seen = NULL;
  g_autofree char *org = NULL;
  guint n = g_strv_length (lines);

  trusted = g_strsplit (n > 0 ? lines[0] : "", ",", 8);
  report->contact_info = n > 1 ? g_strdup (lines[1]) : NULL;
  info->tls_report_submitter = n > 2 ? g_strdup (lines[2]) : NULL;
  info->tls_report_domain = n > 2 ? g_strdup (lines[2]) : NULL;
  policy->policy_domain = n > 3 && *lines[3] ? g_strdup (lines[3]) : NULL;
  g_ptr_array_add (report->policies, g_steal_pointer (&policy));
  for (guint i = 4; i < n; i++)
    g_ptr_array_add (info->auth_results, g_strdup (lines[i]));

  tr_trust_judge (report, info, trusted);
  if (trusted[0] != NULL)
    {
      g_assert (report->dkim_result != NULL);
      g_assert (report->dkim_aligned >= -1 && report->dkim_aligned <= 1);
    }
  else
    g_assert (report->dkim_result == NULL);
  if (!tr_trust_in_scope (report, info, domains, &seen))
    g_assert (seen != NULL);
  org = tr_trust_org_domain (info->tls_report_submitter);
  if (org != NULL)
    g_assert (strlen (org) <= strlen (info->tls_report_submitter));
  return 0;
}
