/* test-trust.c - trust.c: Authentication-Results, alignment, scope */
#include "config.h"

#include "trust.h"

/* judge - the verdict on a report from @contact with the Authentication-Results @headers */
static TrReport *
judge (const char *contact, const char *submitter, const char *const *headers, char **trusted)
{
  TrReport *report = tr_report_new ();
  g_autoptr (TrMailInfo) info = tr_mail_info_new ();

  report->contact_info = g_strdup (contact);
  info->tls_report_submitter = g_strdup (submitter);
  for (guint i = 0; headers[i] != NULL; i++)
    g_ptr_array_add (info->auth_results, g_strdup (headers[i]));
  tr_trust_judge (report, info, trusted);
  return report;
}

static char *trusted_mx[] = { "mx.our.example", NULL };

static void
test_pass_aligned (void)
{
  const char *const headers[]
      = { "mx.our.example; dkim=pass (2048-bit key; secure) header.d=google.com "
          "header.i=@google.com header.s=20230601 header.b=\"AbC;d=x\"; spf=pass",
          NULL };
  g_autoptr (TrReport) r
      = judge ("smtp-tls-reporting@google.com", "google.com", headers, trusted_mx);

  g_assert_cmpstr (r->dkim_result, ==, "pass");
  g_assert_cmpstr (r->dkim_domain, ==, "google.com");
  g_assert_cmpint (r->dkim_aligned, ==, 1);
}

static void
test_forged_below (void)
{
  /* the sender planted a pass below the verdict of our own host */
  const char *const headers[] = { "mx.our.example; dkim=fail header.d=google.com",
                                  "mx.our.example; dkim=pass header.d=google.com", NULL };
  g_autoptr (TrReport) r = judge ("x@google.com", "google.com", headers, trusted_mx);

  g_assert_cmpstr (r->dkim_result, ==, "fail");
}

static void
test_untrusted_id (void)
{
  const char *const headers[] = { "mx.elsewhere.example; dkim=pass header.d=google.com", NULL };
  g_autoptr (TrReport) r = judge ("x@google.com", "google.com", headers, trusted_mx);

  g_assert_cmpstr (r->dkim_result, ==, "none");
  g_assert_null (r->dkim_domain);
  g_assert_cmpint (r->dkim_aligned, ==, -1);
}

static void
test_unrelated_domain (void)
{
  const char *const headers[] = { "mx.our.example; dkim = pass header.d=attacker.example", NULL };
  g_autoptr (TrReport) r = judge ("x@google.com", "google.com", headers, trusted_mx);

  g_assert_cmpstr (r->dkim_result, ==, "pass");
  g_assert_cmpstr (r->dkim_domain, ==, "attacker.example");
  g_assert_cmpint (r->dkim_aligned, ==, 0);
}

static void
test_mailru (void)
{
  /* submitter mail.ru, contact and signature corp.mail.ru: the same organizational domain */
  const char *const headers[] = { "mx.our.example; dkim=pass header.d=corp.mail.ru", NULL };
  g_autoptr (TrReport) r = judge ("tlsrpt@corp.mail.ru", "mail.ru", headers, trusted_mx);

  g_assert_cmpint (r->dkim_aligned, ==, 1);
}

static void
test_several_signatures (void)
{
  /* an ESP signature and the reporter's own: the aligned pass wins */
  const char *const headers[] = { "mx.our.example; dkim=pass header.d=esp.example; "
                                  "dkim=fail header.d=reporter.example; "
                                  "dkim=pass header.i=tls@reporter.example",
                                  NULL };
  g_autoptr (TrReport) r = judge ("tls@reporter.example", NULL, headers, trusted_mx);

  g_assert_cmpstr (r->dkim_result, ==, "pass");
  g_assert_cmpstr (r->dkim_domain, ==, "reporter.example");
  g_assert_cmpint (r->dkim_aligned, ==, 1);
}

static void
test_not_configured (void)
{
  const char *const headers[] = { "mx.our.example; dkim=pass header.d=google.com", NULL };
  g_autoptr (TrReport) r = judge ("x@google.com", "google.com", headers, NULL);

  g_assert_null (r->dkim_result);
}

static void
test_hostile_values (void)
{
  const char *const headers[] = { "",
                                  ";;;",
                                  "(((",
                                  "mx.our.example",
                                  "mx.our.example; dkim",
                                  "mx.our.example; dkim=",
                                  "\"mx.our.example\"; dkim=pass",
                                  NULL };
  g_autoptr (TrReport) r = judge ("x@google.com", "google.com", headers, trusted_mx);

  g_assert_nonnull (r->dkim_result);
}

static void
test_org_domain (void)
{
  static const char *const cases[][2] = {
    { "mail.google.com", "google.com" },
    { "google.com", "google.com" },
    { "corp.mail.ru", "mail.ru" },
    { "MX.Example.COM.", "example.com" },
    { "com", "com" },
    { "a.b.example", "b.example" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *org = tr_trust_org_domain (cases[i][0]);
      g_assert_cmpstr (org, ==, cases[i][1]);
    }
  if (g_file_test ("/usr/share/publicsuffix/public_suffix_list.dat", G_FILE_TEST_EXISTS))
    {
      g_autofree char *org = tr_trust_org_domain ("mx.mail.example.co.uk");
      g_assert_cmpstr (org, ==, "example.co.uk");
    }
}

static void
test_scope (void)
{
  g_autoptr (TrReport) report = tr_report_new ();
  g_autoptr (TrMailInfo) info = tr_mail_info_new ();
  TrPolicy *policy = tr_policy_new ();
  char *ours[] = { "example.com", "*.example.org", NULL };
  char *apex_only[] = { "example.org", NULL };
  g_autofree char *seen = NULL;

  policy->policy_domain = g_strdup ("mx.example.org");
  g_ptr_array_add (report->policies, policy);
  g_assert_true (tr_trust_in_scope (report, info, NULL, NULL));
  g_assert_true (tr_trust_in_scope (report, info, ours, NULL));
  g_assert_false (tr_trust_in_scope (report, info, apex_only, &seen));
  g_assert_cmpstr (seen, ==, "mx.example.org");

  /* a policy without a domain stands for the TLS-Report-Domain of the message */
  g_clear_pointer (&policy->policy_domain, g_free);
  info->tls_report_domain = g_strdup ("Example.COM");
  g_assert_true (tr_trust_in_scope (report, info, ours, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trust/dkim/pass-aligned", test_pass_aligned);
  g_test_add_func ("/trust/dkim/forged-below", test_forged_below);
  g_test_add_func ("/trust/dkim/untrusted-id", test_untrusted_id);
  g_test_add_func ("/trust/dkim/unrelated-domain", test_unrelated_domain);
  g_test_add_func ("/trust/dkim/mailru-aligned", test_mailru);
  g_test_add_func ("/trust/dkim/several-signatures", test_several_signatures);
  g_test_add_func ("/trust/dkim/not-configured", test_not_configured);
  g_test_add_func ("/trust/dkim/hostile", test_hostile_values);
  g_test_add_func ("/trust/org-domain", test_org_domain);
  g_test_add_func ("/trust/scope", test_scope);
  return g_test_run ();
}
