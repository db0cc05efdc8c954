/* test-validate.c - tr_validate_report and tr_validate_datetime */
#include "config.h"

#include <string.h>

#include "decode.h"
#include "error.h"
#include "validate.h"

/* when the reports of these tests arrived */
#define RECEIVED "2026-12-01T08:00:00Z"

/* decode_str - a report decoded from @text with default limits (must succeed) */
static TrReport *
decode_str (const char *text)
{
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GBytes) json = g_bytes_new (text, strlen (text));
  g_autoptr (GError) error = NULL;
  TrReport *report = tr_decode_report (json, &limits, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

/* validate - tr_validate_report with default limits (must succeed) */
static void
validate (TrReport *report, const TrMailInfo *info, const char *filename)
{
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GError) error = NULL;

  g_assert_true (tr_validate_report (report, info, filename, RECEIVED, &limits, &error));
  g_assert_no_error (error);
}

/* has_warning - whether one warning of @report contains @text */
static gboolean
has_warning (const TrReport *report, const char *text)
{
  guint i;

  for (i = 0; i < report->warnings->len; i++)
    {
      const TrWarning *w = g_ptr_array_index (report->warnings, i);

      if (strstr (w->text, text) != NULL || strcmp (w->code, text) == 0)
        return TRUE;
    }
  return FALSE;
}

/* check_datetime - tr_validate_datetime (@in) is @expected (NULL for "no date-time") */
static void
check_datetime (const char *in, const char *expected)
{
  g_autofree char *out = tr_validate_datetime (in);

  g_assert_cmpstr (out, ==, expected);
}

static void
test_datetime_z (void)
{
  check_datetime ("2024-09-03T00:00:00Z", "2024-09-03T00:00:00Z");
  check_datetime ("2024-09-03T23:59:59Z", "2024-09-03T23:59:59Z");
  check_datetime (" 2024-09-03T23:59:59Z\r\n", "2024-09-03T23:59:59Z");
}

static void
test_datetime_offset (void)
{
  check_datetime ("2024-09-03T00:00:00+02:00", "2024-09-02T22:00:00Z");
  check_datetime ("2024-09-03T23:30:00-01:00", "2024-09-04T00:30:00Z");
  check_datetime ("2024-09-03T00:00:00+00:00", "2024-09-03T00:00:00Z");
}

/* D1: Microsoft early 2023 sent no offset; it means UTC */
static void
test_datetime_no_offset (void)
{
  check_datetime ("2023-01-10T00:00:00", "2023-01-10T00:00:00Z");
  check_datetime ("2023-01-10T23:59:59", "2023-01-10T23:59:59Z");
}

static void
test_datetime_fraction (void)
{
  check_datetime ("2024-09-03T23:59:59.999Z", "2024-09-03T23:59:59Z");
  check_datetime ("2024-09-03T00:00:00.5+01:00", "2024-09-02T23:00:00Z");
}

static void
test_datetime_lower_case (void)
{
  check_datetime ("2024-09-03t00:00:00z", "2024-09-03T00:00:00Z");
  check_datetime ("2024-09-03 12:00:00Z", "2024-09-03T12:00:00Z");
  check_datetime ("2024-09-03", "2024-09-03T00:00:00Z");
}

static void
test_datetime_garbage (void)
{
  check_datetime (NULL, NULL);
  check_datetime ("", NULL);
  check_datetime ("April fools", NULL);
  check_datetime ("1700000000", NULL);
  check_datetime ("2024-13-03T00:00:00Z", NULL);
  check_datetime ("2024-02-30T00:00:00Z", NULL);
  check_datetime ("2024-09-03T25:00:00Z", NULL);
  check_datetime ("2024-09-03T00:00:00Zjunk", NULL);
  check_datetime ("2024-09-0", NULL);
  check_datetime ("Tue, 3 Sep 2024 00:00:00 +0000", NULL);
}

static void
test_dates_from_report (void)
{
  g_autoptr (TrReport) r = decode_str (
      "{\"report-id\":\"x\",\"date-range\":{\"start-datetime\":\"2023-01-10T00:00:00\","
      "\"end-datetime\":\"2023-01-10T23:59:59+00:00\"},\"policies\":[]}");

  validate (r, NULL, "whatever.json");
  g_assert_cmpstr (r->start_datetime, ==, "2023-01-10T00:00:00Z");
  g_assert_cmpstr (r->end_datetime, ==, "2023-01-10T23:59:59Z");
  g_assert_cmpstr (r->start_datetime_raw, ==, "2023-01-10T00:00:00");
}

/* "April fools" start-datetime: the RFC 8460 filename supplies begin/end */
static void
test_filename_fallback (void)
{
  g_autoptr (TrReport) r
      = decode_str ("{\"report-id\":\"x\",\"date-range\":{\"start-datetime\":\"April fools\","
                    "\"end-datetime\":\"2016-04-01T23:59:59Z\"},\"policies\":[]}");
  g_autoptr (TrReport) r2 = decode_str ("{\"report-id\":\"x\",\"policies\":[]}");
  g_autoptr (TrReport) r3 = decode_str ("{\"report-id\":\"x\",\"policies\":[]}");
  g_autoptr (TrReport) r4 = decode_str ("{\"report-id\":\"x\",\"policies\":[]}");

  validate (r, NULL, "company-x.example!company-y.example!1459468800!1459555199!001.json.gz");
  g_assert_cmpstr (r->start_datetime, ==, "2016-04-01T00:00:00Z");
  g_assert_cmpstr (r->end_datetime, ==, "2016-04-01T23:59:59Z");
  g_assert_true (has_warning (r, "taken from the filename"));

  /* Stalwart: four fields, no unique-id, end at the next midnight */
  validate (r2, NULL, "mx.egressif.io!redacted.example.com!1730332800!1730419200.json.gz");
  g_assert_cmpstr (r2->start_datetime, ==, "2024-10-31T00:00:00Z");
  g_assert_cmpstr (r2->end_datetime, ==, "2024-11-01T00:00:00Z");

  /* not the RFC pattern: nothing to fall back to */
  validate (r3, NULL, "example.gz");
  g_assert_null (r3->start_datetime);
  g_assert_null (r3->end_datetime);
  g_assert_true (has_warning (r3, "start-datetime missing"));
  validate (r4, NULL, "a!b!12x!1730419200.json");
  g_assert_null (r4->start_datetime);
}

static void
test_end_before_start (void)
{
  g_autoptr (TrReport) r = decode_str (
      "{\"report-id\":\"x\",\"date-range\":{\"start-datetime\":\"2024-09-03T00:00:00Z\","
      "\"end-datetime\":\"2024-09-02T00:00:00Z\"},\"policies\":[]}");

  validate (r, NULL, NULL);
  g_assert_cmpstr (r->start_datetime, ==, "2024-09-03T00:00:00Z");
  g_assert_cmpstr (r->end_datetime, ==, "2024-09-02T00:00:00Z");
  g_assert_true (has_warning (r, "before"));
}

/* key_for - the reporter_key of a report with @contact and @org, mail header @submitter */
static char *
key_for (const char *contact_json, const char *org_json, const char *submitter)
{
  g_autofree char *text = g_strdup_printf (
      "{\"report-id\":\"x\",\"contact-info\":%s,\"organization-name\":%s,\"policies\":[]}",
      contact_json, org_json);
  g_autoptr (TrReport) r = decode_str (text);
  g_autoptr (TrMailInfo) info = tr_mail_info_new ();

  info->tls_report_submitter = g_strdup (submitter);
  validate (r, info, NULL);
  return g_strdup (r->reporter_key);
}

/* check_key - the reporter key for the given inputs is @expected */
static void
check_key (const char *contact_json, const char *org_json, const char *submitter,
           const char *expected)
{
  g_autofree char *key = key_for (contact_json, org_json, submitter);

  g_assert_cmpstr (key, ==, expected);
}

static void
test_reporter_key (void)
{
  check_key ("\"smtp-tls-reporting@google.com\"", "\"Google Inc.\"", NULL, "google.com");
  check_key ("\"tlsrpt@Corp.Mail.RU\"", "\"Mail.ru\"", "mail.ru", "corp.mail.ru");
  check_key ("\"mailto:tlsrpt@Example.COM\"", "null", NULL, "example.com");
  check_key ("\"TLS reports <tlsrpt@example.net> \"", "null", NULL, "example.net");
  check_key ("\"https://Reports.Example.org:8443/tlsrpt\"", "null", NULL, "reports.example.org");
  check_key ("\"a@b@c.example\"", "null", NULL, "c.example");
  check_key ("null", "\"Stalwart Mail Server\"", "mx.example.net", "stalwart mail server");
  check_key ("\"no address here\"", "\"  Example Org \"", NULL, "example org");
  check_key ("\"tlsrpt@\"", "null", "MX.Example.NET", "mx.example.net");
  check_key ("null", "null", NULL, "unknown");
  check_key ("null", "\"\"", "  ", "unknown");
}

/* D9: no report-id (or an empty one): sha256 of the JSON text */
static void
test_report_id_synthesized (void)
{
  static const char json[]
      = "{\"organization-name\":\"Company-X\",\"report-id\":\"  \",\"policies\":[{\"policy\":{"
        "\"policy-type\":\"sts\"}}]}";
  g_autoptr (TrReport) r = decode_str (json);
  g_autoptr (TrReport) kept = decode_str ("{\"report-id\":\"5065427c\",\"policies\":[]}");
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);
  g_autofree char *expected = g_strconcat ("sha256:", hex, NULL);

  validate (r, NULL, NULL);
  g_assert_cmpstr (r->report_id, ==, expected);
  g_assert_true (r->report_id_synthesized);
  g_assert_true (has_warning (r, "report-id"));
  validate (kept, NULL, NULL);
  g_assert_cmpstr (kept->report_id, ==, "5065427c");
  g_assert_false (kept->report_id_synthesized);
}

/* a policy-less report is fine with an id; without anything naming the sender it is refused */
static void
test_nothing_left (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (TrReport) empty = decode_str ("{\"policies\":[],\"contact-info\":null}");
  g_autoptr (TrReport) with_id = decode_str ("{\"report-id\":\"r1\",\"policies\":[]}");
  g_autoptr (TrReport) only_policy = decode_str ("{\"policies\":[{}]}");
  g_autoptr (GError) error = NULL;

  g_assert_false (tr_validate_report (empty, NULL, NULL, RECEIVED, &limits, &error));
  g_assert_error (error, TR_ERROR, TR_ERROR_DATA);
  validate (with_id, NULL, NULL);
  validate (only_policy, NULL, NULL);
  g_assert_true (only_policy->report_id_synthesized);
  g_assert_cmpstr (only_policy->reporter_key, ==, "unknown");
}

/* text longer than the limit is cut at a character boundary; JSON-text fields are not */
static void
test_cut_utf8 (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (TrReport) r = decode_str (
      "{\"organization-name\":\"ab\xc3\xa9\xc3\xa9\",\"report-id\":\"abcdefgh\",\"policies\":[{"
      "\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\"],"
      "\"mx-host\":[\"mx.example.com\"]},\"failure-details\":[{\"result-type\":"
      "\"\xe2\x82\xac\xe2\x82\xac\",\"failure-reason-code\":\"abc\"}]}]}");
  g_autoptr (GError) error = NULL;
  TrPolicy *p;
  TrFailure *f;

  limits.max_string_length = 5;
  g_assert_true (tr_validate_report (r, NULL, NULL, RECEIVED, &limits, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (r->organization_name, ==, "ab\xc3\xa9"); /* 4 bytes: é not split */
  g_assert_cmpstr (r->report_id, ==, "abcde");
  p = g_ptr_array_index (r->policies, 0);
  f = g_ptr_array_index (p->failures, 0);
  g_assert_cmpstr (f->result_type, ==, "\xe2\x82\xac"); /* 3 bytes */
  g_assert_cmpstr (f->failure_reason_code, ==, "abc");
  g_assert_cmpstr (p->policy_string, ==, "[\"version: STSv1\"]");
  g_assert_cmpstr (p->mx_host, ==, "[\"mx.example.com\"]");
  g_assert_true (has_warning (r, "organization-name cut"));
}

/* a lone surrogate escape, which json-glib passes through as invalid UTF-8: decode repairs it,
 * with a warning, so that every text validate.c sees is valid */
static void
test_repair_utf8 (void)
{
  g_autoptr (TrReport) r = decode_str (
      "{\"organization-name\":\"Org \\ud800 Inc\",\"report-id\":\"id\",\"policies\":[{\"policy\":"
      "{\"policy-type\":\"sts\",\"policy-domain\":\"example.com\",\"mx-host\":[\"mx\\udfff."
      "example\"]},"
      "\"summary\":{}}]}");
  const TrPolicy *p = g_ptr_array_index (r->policies, 0);

  g_assert_true (g_utf8_validate (r->organization_name, -1, NULL));
  g_assert_true (g_str_has_prefix (r->organization_name, "Org "));
  g_assert_true (g_utf8_validate (p->mx_host, -1, NULL));
  g_assert_true (has_warning (r, "organization-name is not valid UTF-8, repaired"));
  g_assert_true (has_warning (r, "mx-host is not valid UTF-8, repaired"));
  validate (r, NULL, NULL);
  g_assert_true (g_utf8_validate (r->reporter_key, -1, NULL));
}

/* counts beyond belief are dropped, so that no sum over a report can overflow */
static void
test_counts_beyond_belief (void)
{
  g_autoptr (TrReport) r = decode_str (
      "{\"report-id\":\"r\",\"policies\":[{\"summary\":{\"total-successful-session-count\":"
      "9223372036854775807,\"total-failure-session-count\":5},\"failure-details\":["
      "{\"result-type\":\"a\",\"failed-session-count\":9223372036854775807},"
      "{\"result-type\":\"b\",\"failed-session-count\":1000000000000},"
      "{\"result-type\":\"c\",\"failed-session-count\":3}]}]}");
  TrPolicy *p;

  validate (r, NULL, NULL);
  p = g_ptr_array_index (r->policies, 0);
  g_assert_cmpint (p->total_successful_session_count, ==, TR_COUNT_ABSENT);
  g_assert_cmpint (p->total_failure_session_count, ==, 5);
  g_assert_cmpint (((TrFailure *) g_ptr_array_index (p->failures, 0))->failed_session_count, ==,
                   TR_COUNT_ABSENT);
  g_assert_cmpint (((TrFailure *) g_ptr_array_index (p->failures, 1))->failed_session_count, ==,
                   TR_COUNT_MAX);
  g_assert_cmpint (((TrFailure *) g_ptr_array_index (p->failures, 2))->failed_session_count, ==, 3);
  g_assert_true (has_warning (r, "beyond belief"));
}

/* the counts of one report add up to at most TR_REPORT_COUNT_MAX */
static void
test_counts_report_total (void)
{
  g_autoptr (TrReport) r = tr_report_new ();
  gint64 total = 0;

  r->report_id = g_strdup ("r");
  for (guint i = 0; i < 5000; i++)
    {
      TrPolicy *p = tr_policy_new ();

      p->total_successful_session_count = TR_COUNT_MAX;
      g_ptr_array_add (r->policies, p);
    }
  validate (r, NULL, NULL);
  for (guint i = 0; i < r->policies->len; i++)
    {
      TrPolicy *p = g_ptr_array_index (r->policies, i);

      if (p->total_successful_session_count != TR_COUNT_ABSENT)
        total += p->total_successful_session_count;
    }
  g_assert_cmpint (total, <=, TR_REPORT_COUNT_MAX);
  g_assert_cmpint (total, >, TR_REPORT_COUNT_MAX - TR_COUNT_MAX);
  g_assert_true (has_warning (r, "past"));
}

/* date-times far after the report arrived are not believed; the day falls back */
static void
test_future (void)
{
  g_autoptr (TrReport) r = decode_str (
      "{\"report-id\":\"r\",\"date-range\":{\"start-datetime\":\"9999-12-31T00:00:00Z\","
      "\"end-datetime\":\"2026-12-02T23:59:59Z\"},\"policies\":[]}");
  g_autoptr (TrReport) f = decode_str (
      "{\"report-id\":\"r\",\"date-range\":{\"start-datetime\":\"2027-01-01T00:00:00Z\"},"
      "\"policies\":[]}");
  g_autoptr (TrReport) soon = decode_str (
      "{\"report-id\":\"r\",\"date-range\":{\"start-datetime\":\"2026-12-02T00:00:00Z\"},"
      "\"policies\":[]}");
  g_autoptr (TrMailInfo) info = tr_mail_info_new ();

  validate (r, NULL, NULL);
  g_assert_null (r->start_datetime);
  g_assert_cmpstr (r->end_datetime, ==, "2026-12-02T23:59:59Z"); /* within two days */
  g_assert_cmpstr (r->report_day, ==, "2026-12-01");             /* the day it arrived */
  g_assert_true (has_warning (r, "in the future"));
  /* a future filename is no fallback; a future Date: is none either */
  info->date = g_strdup ("2099-01-01T00:00:00Z");
  validate (f, info, "google.example!example.com!4102444800!4102531199.json.gz");
  g_assert_null (f->start_datetime);
  g_assert_cmpstr (f->report_day, ==, "2026-12-01");
  validate (soon, NULL, NULL);
  g_assert_cmpstr (soon->report_day, ==, "2026-12-02");
}

/* the day of a report: its start, else a believable Date:, else the day it arrived */
static void
test_report_day (void)
{
  g_autoptr (TrReport) r = decode_str ("{\"report-id\":\"r\",\"policies\":[]}");
  g_autoptr (TrMailInfo) info = tr_mail_info_new ();

  info->date = g_strdup ("2026-11-29T23:00:00Z");
  validate (r, info, NULL);
  g_assert_cmpstr (r->report_day, ==, "2026-11-29");
}

/* contact-info is read one way, for filing and for alignment alike */
static void
test_contact_domain (void)
{
  static const struct
  {
    const char *contact, *domain;
  } cases[] = {
    { "mailto:smtp-tls-reporting@google.com", "google.com" },
    { "Name <TLSRPT@Example.COM>", "example.com" },
    { "https://google.example/@evil.example", "google.example" },
    { "https://user@google.example:8443/x?y@evil.example", "google.example" },
    { "http://[2001:db8::1]/", "2001:db8::1" },
    { "https://", NULL },
    { "no domain", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *domain = tr_validate_contact_domain (cases[i].contact);

      g_assert_cmpstr (domain, ==, cases[i].domain);
    }
}

/* the fingerprint is of the content: the same values in another layout are the same report,
 * another count or name is not */
static void
test_fingerprint (void)
{
  static const char *const same[] = {
    "{\"report-id\":\"r\",\"policies\":[{\"policy\":{\"policy-type\":\"sts\"},"
    "\"summary\":{\"total-successful-session-count\":5}}]}",
    "{ \"policies\" : [ { \"summary\" : { \"total-successful-session-count\" : 5 },\n"
    "  \"policy\" : { \"policy-type\" : \"sts\" } } ], \"report-id\" : \"r\" }",
  };
  static const char *const other[] = {
    "{\"report-id\":\"r\",\"policies\":[{\"policy\":{\"policy-type\":\"sts\"},"
    "\"summary\":{\"total-successful-session-count\":6}}]}",
    "{\"report-id\":\"r\",\"policies\":[{\"policy\":{\"policy-type\":\"tlsa\"},"
    "\"summary\":{\"total-successful-session-count\":5}}]}",
    "{\"report-id\":\"r\",\"organization-name\":\"x\",\"policies\":[{\"policy\":"
    "{\"policy-type\":\"sts\"},\"summary\":{\"total-successful-session-count\":5}}]}",
  };
  g_autoptr (TrReport) a = decode_str (same[0]);
  g_autoptr (TrReport) b = decode_str (same[1]);

  validate (a, NULL, NULL);
  validate (b, NULL, NULL);
  g_assert_cmpuint (strlen (a->fingerprint), ==, 64);
  g_assert_cmpstr (a->fingerprint, ==, b->fingerprint);
  for (guint i = 0; i < G_N_ELEMENTS (other); i++)
    {
      g_autoptr (TrReport) c = decode_str (other[i]);

      validate (c, NULL, NULL);
      g_assert_cmpstr (a->fingerprint, !=, c->fingerprint);
    }
}

/* test_warning_codes_documented - doc/deviations.md has a row for every warning code, and no
 * row for a code that does not exist (scripts rely on that table) */
static void
test_warning_codes_documented (void)
{
  g_autofree char *path
      = g_test_build_filename (G_TEST_DIST, "..", "..", "doc", "deviations.md", NULL);
  g_autofree char *doc = NULL;
  g_auto (GStrv) lines = NULL;
  guint rows = 0, n = 0;

  g_assert_true (g_file_get_contents (path, &doc, NULL, NULL));
  for (n = 0; tr_warning_codes[n].code != NULL; n++)
    {
      g_autofree char *row = g_strdup_printf ("\n| `%s` | ", tr_warning_codes[n].code);

      if (strstr (doc, row) == NULL)
        g_error ("doc/deviations.md lacks the warning code %s", tr_warning_codes[n].code);
    }
  lines = g_strsplit (doc, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "| `"))
      {
        g_autofree char *code = g_strndup (lines[i] + 3, strcspn (lines[i] + 3, "`"));

        g_assert_true (tr_warning_code_known (code));
        rows++;
      }
  g_assert_cmpuint (rows, ==, n);
}

/* test_warning_codes_in_man_page - tlsrptdb-query(1) lists every code */
static void
test_warning_codes_in_man_page (void)
{
  g_autofree char *path
      = g_test_build_filename (G_TEST_DIST, "..", "..", "doc", "tlsrptdb-query.1", NULL);
  g_autofree char *man = NULL;

  g_assert_true (g_file_get_contents (path, &man, NULL, NULL));
  for (guint i = 0; tr_warning_codes[i].code != NULL; i++)
    {
      g_autofree char *item = g_strdup_printf ("\n.Li %s ", tr_warning_codes[i].code);

      if (strstr (man, item) == NULL)
        g_error ("tlsrptdb-query.1 lacks the warning code %s", tr_warning_codes[i].code);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/datetime/z", test_datetime_z);
  g_test_add_func ("/validate/datetime/offset", test_datetime_offset);
  g_test_add_func ("/validate/datetime/no-offset", test_datetime_no_offset);
  g_test_add_func ("/validate/datetime/fraction", test_datetime_fraction);
  g_test_add_func ("/validate/datetime/lower-case", test_datetime_lower_case);
  g_test_add_func ("/validate/datetime/garbage", test_datetime_garbage);
  g_test_add_func ("/validate/dates/from-report", test_dates_from_report);
  g_test_add_func ("/validate/dates/filename-fallback", test_filename_fallback);
  g_test_add_func ("/validate/dates/end-before-start", test_end_before_start);
  g_test_add_func ("/validate/reporter-key", test_reporter_key);
  g_test_add_func ("/validate/report-id/synthesized", test_report_id_synthesized);
  g_test_add_func ("/validate/nothing-left", test_nothing_left);
  g_test_add_func ("/validate/cut/utf8", test_cut_utf8);
  g_test_add_func ("/validate/repair/utf8", test_repair_utf8);
  g_test_add_func ("/validate/counts/beyond-belief", test_counts_beyond_belief);
  g_test_add_func ("/validate/counts/report-total", test_counts_report_total);
  g_test_add_func ("/validate/dates/future", test_future);
  g_test_add_func ("/validate/report-day", test_report_day);
  g_test_add_func ("/validate/contact-domain", test_contact_domain);
  g_test_add_func ("/validate/fingerprint", test_fingerprint);
  g_test_add_func ("/validate/warning-codes-documented", test_warning_codes_documented);
  g_test_add_func ("/validate/warning-codes-in-man-page", test_warning_codes_in_man_page);

  return g_test_run ();
}
