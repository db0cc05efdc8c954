/* test-trust.c - trust.c: Authentication-Results, alignment, scope */
#include "config.h"

#include "trust.h"
#include "validate.h"

/* judge - the verdict on a report from @contact with the Authentication-Results @headers */
static TrReport *
judge (const char *contact, const char *submitter, const char *const *headers, char **trusted)
{
  TrReport *report = tr_report_new ();
  g_autoptr (TrMailInfo) info = tr_mail_info_new ();

  report->contact_info = g_strdup (contact);
  report->reporter_key = tr_validate_contact_domain (contact); /* as validate.c files it */
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

/* a header the sender planted below a trusted one without a DKIM result is not believed */
static void
test_planted_below_spf_only (void)
{
  const char *const headers[] = { "mx.our.example; spf=pass smtp.mailfrom=google.com",
                                  "mx.our.example; dkim=pass header.d=google.com", NULL };
  g_autoptr (TrReport) r = judge ("x@google.com", "google.com", headers, trusted_mx);

  g_assert_cmpstr (r->dkim_result, ==, "none");
  g_assert_cmpint (r->dkim_aligned, ==, -1);
}

/* the submitter header the sender writes does not make a signature aligned: only the name the
 * report is filed under does */
static void
test_submitter_not_counted (void)
{
  const char *const headers[] = { "mx.our.example; dkim=pass header.d=evil.example", NULL };
  g_autoptr (TrReport) r
      = judge ("smtp-tls-reporting@google.com", "evil.example", headers, trusted_mx);

  g_assert_cmpstr (r->dkim_result, ==, "pass");
  g_assert_cmpint (r->dkim_aligned, ==, 0);
}

/* a contact-info URL with an '@' in its path is filed under its host, and aligned against it */
static void
test_url_contact (void)
{
  const char *const headers[] = { "mx.our.example; dkim=pass header.d=evil.example", NULL };
  g_autoptr (TrReport) r
      = judge ("https://google.example/@evil.example", "evil.example", headers, trusted_mx);

  g_assert_cmpstr (r->reporter_key, ==, "google.example");
  g_assert_cmpint (r->dkim_aligned, ==, 0);
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

/* of a report about several domains only the policies about ours are kept, in order */
static void
test_keep_in_scope (void)
{
  g_autoptr (TrReport) report = tr_report_new ();
  char *ours[] = { "example.com", NULL };
  const char *domains[] = { "other.example", "example.com", "x.other.example", "EXAMPLE.com." };

  for (guint i = 0; i < G_N_ELEMENTS (domains); i++)
    {
      TrPolicy *policy = tr_policy_new ();

      policy->index = i;
      policy->policy_domain = g_strdup (domains[i]);
      g_ptr_array_add (report->policies, policy);
    }
  g_assert_cmpuint (tr_trust_keep_in_scope (report, NULL, NULL), ==, 0);
  g_assert_cmpuint (tr_trust_keep_in_scope (report, NULL, ours), ==, 2);
  g_assert_cmpuint (report->policies->len, ==, 2);
  g_assert_cmpuint (((TrPolicy *) g_ptr_array_index (report->policies, 0))->index, ==, 1);
  g_assert_cmpuint (((TrPolicy *) g_ptr_array_index (report->policies, 1))->index, ==, 3);
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
  g_test_add_func ("/trust/dkim/planted-below-spf-only", test_planted_below_spf_only);
  g_test_add_func ("/trust/dkim/submitter-not-counted", test_submitter_not_counted);
  g_test_add_func ("/trust/dkim/url-contact", test_url_contact);
  g_test_add_func ("/trust/org-domain", test_org_domain);
  g_test_add_func ("/trust/scope", test_scope);
  g_test_add_func ("/trust/keep-in-scope", test_keep_in_scope);
  return g_test_run ();
}
