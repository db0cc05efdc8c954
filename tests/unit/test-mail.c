/* test-mail.c - tr_mail_extract: finding report parts in messages shaped like real senders' */
#include "config.h"

#include <string.h>
#include <zlib.h>

#include <glib.h>

#include "error.h"
#include "mail.h"

#define REPORT_JSON                                                                                \
  "{\"organization-name\":\"Example Org\",\"date-range\":{\"start-datetime\":"                     \
  "\"2024-09-03T00:00:00Z\",\"end-datetime\":\"2024-09-03T23:59:59Z\"},\"contact-info\":"          \
  "\"tlsrpt@example.org\",\"report-id\":\"2024-09-03T00:00:00Z_example.net\",\"policies\":[{"      \
  "\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"example.net\"},"            \
  "\"summary\":{\"total-successful-session-count\":12,\"total-failure-session-count\":0}}]}"

/* gzip_bytes - @text compressed as a gzip stream */
static GBytes *
gzip_bytes (const char *text)
{
  z_stream z = { 0 };
  gsize len = strlen (text);
  gsize cap = len + 128;
  guint8 *out = g_malloc (cap);
  int rc;

  g_assert_cmpint (
      deflateInit2 (&z, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), ==,
      Z_OK);
  z.next_in = (Bytef *) text;
  z.avail_in = (uInt) len;
  z.next_out = out;
  z.avail_out = (uInt) cap;
  rc = deflate (&z, Z_FINISH);
  g_assert_cmpint (rc, ==, Z_STREAM_END);
  cap = z.total_out;
  deflateEnd (&z);
  return g_bytes_new_take (out, cap);
}

/* base64_lines - @data in base64, 76 columns a line, each line ending in LF */
static char *
base64_lines (GBytes *data)
{
  gsize len;
  const guint8 *bytes = g_bytes_get_data (data, &len);
  g_autofree char *flat = g_base64_encode (bytes, len);
  GString *out = g_string_new (NULL);
  gsize flat_len = strlen (flat);

  for (gsize i = 0; i < flat_len; i += 76)
    {
      g_string_append_len (out, flat + i, MIN (76, flat_len - i));
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* report_b64 - the test report, gzipped, in base64 lines */
static char *
report_b64 (void)
{
  g_autoptr (GBytes) gz = gzip_bytes (REPORT_JSON);

  return base64_lines (gz);
}

/* to_crlf - @text with every LF turned into CRLF */
static char *
to_crlf (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append_c (out, '\r');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* extract - run tr_mail_extract on @len bytes of @text with @limits (NULL: defaults) */
static GPtrArray *
extract_limits (const char *text, gsize len, const TrLimits *limits, TrMailInfo **info,
                GError **error)
{
  g_autoptr (GBytes) bytes = g_bytes_new (text, len);
  TrLimits defaults = TR_LIMITS_INIT;

  return tr_mail_extract (bytes, limits != NULL ? limits : &defaults, info, error);
}

/* extract - run tr_mail_extract on the string @text with the default limits */
static GPtrArray *
extract (const char *text, TrMailInfo **info, GError **error)
{
  return extract_limits (text, strlen (text), NULL, info, error);
}

/* assert_payload - payload @i of @payloads has these labels and starts like a report */
static void
assert_payload (GPtrArray *payloads, guint i, const char *content_type, const char *filename,
                const char *where, guint8 first)
{
  TrPayload *payload;
  gsize len;
  const guint8 *data;

  g_assert_nonnull (payloads);
  g_assert_cmpuint (i, <, payloads->len);
  payload = g_ptr_array_index (payloads, i);
  g_assert_cmpstr (payload->content_type, ==, content_type);
  g_assert_cmpstr (payload->filename, ==, filename);
  g_assert_cmpstr (payload->where, ==, where);
  data = g_bytes_get_data (payload->data, &len);
  g_assert_cmpuint (len, >=, 2);
  g_assert_cmpuint (data[0], ==, first);
  if (first == 0x1f)
    g_assert_cmpuint (data[1], ==, 0x8b);
}

/* assert_info_empty - every member of @info is NULL */
static void
assert_info_empty (TrMailInfo *info)
{
  g_assert_nonnull (info);
  g_assert_null (info->message_id);
  g_assert_null (info->subject);
  g_assert_null (info->from);
  g_assert_null (info->date);
  g_assert_null (info->tls_report_domain);
  g_assert_null (info->tls_report_submitter);
}

/* test_bare_json - a bare JSON text (BOM and blank lines first) is the payload */
static void
test_bare_json (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract ("\xef\xbb\xbf\n  " REPORT_JSON "\n", &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, NULL, NULL, "body", 0xef);
  assert_info_empty (info);
}

/* test_bare_gzip - a bare gzip stream is the payload */
static void
test_bare_gzip (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GBytes) gz = gzip_bytes (REPORT_JSON);
  gsize len;
  const char *data = g_bytes_get_data (gz, &len);
  g_autoptr (GPtrArray) payloads = extract_limits (data, len, NULL, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, NULL, NULL, "body", 0x1f);
  g_assert_true (g_bytes_equal (((TrPayload *) payloads->pdata[0])->data, gz));
  assert_info_empty (info);
}

/* test_bare_base64 - base64 text of a gzip stream (Mail::TLSRPT's report.json.gz.b64) */
static void
test_bare_base64 (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GBytes) gz = gzip_bytes (REPORT_JSON);
  g_autofree char *b64 = base64_lines (gz);
  g_autoptr (GPtrArray) payloads = extract (b64, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, NULL, NULL, "body", 0x1f);
  g_assert_true (g_bytes_equal (((TrPayload *) payloads->pdata[0])->data, gz));
  assert_info_empty (info);
}

/* test_bare_base64_not_report - base64 text of something else is not a report */
static void
test_bare_base64_not_report (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract ("SGVsbG8gd29ybGQ=\n", &info, &error);

  g_assert_error (error, TR_ERROR, TR_ERROR_NOT_REPORT);
  g_assert_null (payloads);
}

/* test_google - Google's packaging: unquoted report-type after boundary, folded name= and
 * filename= after a trailing space, LF line endings */
static void
test_google (void)
{
  g_autofree char *b64 = report_b64 ();
  g_autofree char *msg = g_strdup_printf (
      "Return-Path: <noreply-smtp-tls-reporting@google.com>\n"
      "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=google.com; s=20230601;\n"
      "        h=to:from:subject:message-id:tls-report-submitter:tls-report-domain\n"
      "         :date:mime-version:from:to:cc:subject:date:message-id:reply-to;\n"
      "        bh=AAAA; b=BBBB\n"
      "MIME-Version: 1.0\n"
      "Date: Wed, 04 Sep 2024 03:53:20 -0700\n"
      "TLS-Report-Domain: example.net\n"
      "TLS-Report-Submitter: google.com\n"
      "Message-ID: <000000000000a1b2c3d4e5f6a7b8@google.com>\n"
      "Subject: Report Domain: example.net Submitter: google.com\n"
      " Report-ID: <2024.09.03T00.00.00Z+example.net@google.com>\n"
      "From: noreply-smtp-tls-reporting@google.com\n"
      "To: tls-reports@example.net\n"
      "Content-Type: multipart/report; boundary=\"0000000000002a1b2c3d4e5f6a7b\"; "
      "report-type=tlsrpt\n"
      "\n"
      "--0000000000002a1b2c3d4e5f6a7b\n"
      "Content-Type: text/plain; charset=\"UTF-8\"; format=flowed; delsp=yes\n"
      "\n"
      "This is an aggregate TLS report from google.com\n"
      "\n"
      "--0000000000002a1b2c3d4e5f6a7b\n"
      "Content-Type: application/tlsrpt+gzip; \n"
      "\tname=\"google.com!example.net!1725321600!1725407999!001.json.gz\"\n"
      "Content-Disposition: attachment; \n"
      "\tfilename=\"google.com!example.net!1725321600!1725407999!001.json.gz\"\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "%s"
      "--0000000000002a1b2c3d4e5f6a7b--\n",
      b64);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract (msg, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, "application/tlsrpt+gzip",
                  "google.com!example.net!1725321600!1725407999!001.json.gz", "part 2", 0x1f);
  g_assert_cmpstr (info->message_id, ==, "000000000000a1b2c3d4e5f6a7b8@google.com");
  g_assert_cmpstr (info->subject, ==,
                   "Report Domain: example.net Submitter: google.com Report-ID: "
                   "<2024.09.03T00.00.00Z+example.net@google.com>");
  g_assert_cmpstr (info->from, ==, "noreply-smtp-tls-reporting@google.com");
  g_assert_cmpstr (info->date, ==, "2024-09-04T10:53:20Z");
  g_assert_cmpstr (info->tls_report_domain, ==, "example.net");
  g_assert_cmpstr (info->tls_report_submitter, ==, "google.com");
}

/* test_microsoft - Microsoft 2024: CRLF, a quoted-printable text/html part first, the report
 * with a filename only and an empty Content-Description, a display name in From */
static void
test_microsoft (void)
{
  g_autofree char *b64 = report_b64 ();
  g_autofree char *lf = g_strdup_printf (
      "Received: from EX1.prod.outlook.com by EX2.prod.outlook.com with HTTPS; Thu, 14 May "
      "2026 21:32:30 +0000\n"
      "From: Microsoft TLS Report <tlsrpt-noreply@microsoft.com>\n"
      "To: <tls-reports@example.net>\n"
      "Subject: Report Domain: example.net Submitter: microsoft.com Report-ID:\n"
      " 134232617934286362+example.net\n"
      "Date: Thu, 14 May 2026 21:32:30 +0000\n"
      "Message-ID: <134232617934286362+example.net@example.net>\n"
      "TLS-Report-Domain:\n"
      " example.net\n"
      "TLS-Report-Submitter: microsoft.com  \n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/report;\n"
      "\tboundary=\"_000_134232617934286362exampleNET_\"; report-type=tlsrpt\n"
      "\n"
      "--_000_134232617934286362exampleNET_\n"
      "Content-Type: text/html; charset=\"utf-8\"\n"
      "Content-Transfer-Encoding: quoted-printable\n"
      "\n"
      "<html><head><meta http-equiv=3D\"Content-Type\" content=3D\"text/html; charset=3D=\n"
      "utf-8\"></head><body>{ This is a TLS report. }</body></html>\n"
      "\n"
      "--_000_134232617934286362exampleNET_\n"
      "Content-Type: application/tlsrpt+gzip\n"
      "Content-Description:\n"
      "Content-Disposition: attachment;\n"
      "\tfilename=\"microsoft.com!example.net!1778630400!1778716799!134232617934286362.json.gz\"\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "%s"
      "\n"
      "--_000_134232617934286362exampleNET_--\n",
      b64);
  g_autofree char *msg = to_crlf (lf);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract (msg, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, "application/tlsrpt+gzip",
                  "microsoft.com!example.net!1778630400!1778716799!134232617934286362.json.gz",
                  "part 2", 0x1f);
  g_assert_cmpstr (info->message_id, ==, "134232617934286362+example.net@example.net");
  g_assert_cmpstr (info->subject, ==,
                   "Report Domain: example.net Submitter: microsoft.com Report-ID: "
                   "134232617934286362+example.net");
  g_assert_nonnull (strstr (info->from, "tlsrpt-noreply@microsoft.com"));
  g_assert_cmpstr (info->date, ==, "2026-05-14T21:32:30Z");
  g_assert_cmpstr (info->tls_report_domain, ==, "example.net");
  g_assert_cmpstr (info->tls_report_submitter, ==, "microsoft.com");
}

/* test_mailru_unterminated - mail.ru: quoted report-type and no closing boundary */
static void
test_mailru_unterminated (void)
{
  g_autofree char *b64 = report_b64 ();
  g_autofree char *msg = g_strdup_printf (
      "From: tlsrpt@mail.ru\n"
      "To: tls-reports@example.net\n"
      "Subject: Report\n"
      "Auto-Submitted: auto-generated\n"
      "TLS-Report-Domain: example.net\n"
      "TLS-Report-Submitter: mail.ru\n"
      "Date: Tue, 03 Sep 2024 02:11:09 +0300\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/report; boundary=\"d3b8c0f1e2\"; report-type=\"tlsrpt\"\n"
      "\n"
      "--d3b8c0f1e2\n"
      "Content-Type: text/plain; charset=utf-8\n"
      "Content-Transfer-Encoding: 7bit\n"
      "\n"
      "This is an aggregate TLS report from mail.ru\n"
      "--d3b8c0f1e2\n"
      "Content-Type: application/tlsrpt+gzip\n"
      "Content-Disposition: attachment; "
      "filename=\"mail.ru!example.net!1725235200!1725321600!001.json.gz\"\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "%s",
      b64);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract (msg, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, "application/tlsrpt+gzip",
                  "mail.ru!example.net!1725235200!1725321600!001.json.gz", "part 2", 0x1f);
  g_assert_cmpstr (info->date, ==, "2024-09-02T23:11:09Z");
  g_assert_cmpstr (info->subject, ==, "Report");
  g_assert_null (info->message_id);
}

/* test_postfix_reporter - sys4 tlsrpt-reporter (Python email): "====" boundary, the part's own
 * MIME-Version, no Date */
static void
test_postfix_reporter (void)
{
  g_autofree char *b64 = report_b64 ();
  g_autofree char *lf = g_strdup_printf (
      "Content-Type: multipart/report; report-type=\"tlsrpt\";\n"
      " boundary=\"===============4839204981638419307==\"\n"
      "MIME-Version: 1.0\n"
      "From: noreply-smtp-tls-reporting@mail.example.org\n"
      "To: tls-reports@example.net\n"
      "Subject: Report Domain: example.net Submitter: mail.example.org Report-ID:\n"
      " <2026-11-21T00:00:00Z_idx1_example.net@mail.example.org>\n"
      "TLS-Report-Domain: example.net\n"
      "TLS-Report-Submitter: mail.example.org\n"
      "TLS-Required: No\n"
      "Message-ID: <179532665308.21080.1234567890@mail.example.org>\n"
      "\n"
      "--===============4839204981638419307==\n"
      "Content-Type: text/plain; charset=\"us-ascii\"\n"
      "MIME-Version: 1.0\n"
      "Content-Transfer-Encoding: 7bit\n"
      "\n"
      "This is an aggregate TLS report from mail.example.org\n"
      "--===============4839204981638419307==\n"
      "Content-Type: application/tlsrpt+gzip\n"
      "MIME-Version: 1.0\n"
      "Content-Transfer-Encoding: base64\n"
      "Content-Disposition: attachment;\n"
      " filename=\"mail.example.org!example.net!1795219200!1795305599!1.json.gz\"\n"
      "\n"
      "%s"
      "--===============4839204981638419307==--\n",
      b64);
  g_autofree char *msg = to_crlf (lf);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract (msg, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, "application/tlsrpt+gzip",
                  "mail.example.org!example.net!1795219200!1795305599!1.json.gz", "part 2", 0x1f);
  g_assert_null (info->date);
  g_assert_cmpstr (info->message_id, ==, "179532665308.21080.1234567890@mail.example.org");
  g_assert_cmpstr (info->tls_report_submitter, ==, "mail.example.org");
}

/* test_mox_single_part - the whole message body is application/tlsrpt+gzip */
static void
test_mox_single_part (void)
{
  g_autofree char *b64 = report_b64 ();
  g_autofree char *msg = g_strdup_printf (
      "From: tlsrpt@mail.sender.example.com\n"
      "Subject: Report Domain: example.net\n"
      "TLS-Report-Domain: example.net\n"
      "TLS-Report-Submitter: mail.sender.example.com\n"
      "MIME-Version: 1.0\n"
      "Content-Type: application/tlsrpt+gzip\n"
      "Content-Disposition: attachment;\n"
      "  filename=\"mail.sender.example!example.com!1013662812!1013749130.json.gz\"\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "%s",
      b64);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract (msg, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, "application/tlsrpt+gzip",
                  "mail.sender.example!example.com!1013662812!1013749130.json.gz", "body", 0x1f);
  g_assert_null (info->message_id);
  g_assert_null (info->date);
}

/* test_rfc_json_8bit - the RFC 8460 example: application/tlsrpt+json in 8bit with a .json.gz
 * filename, a non-standard Date and unindented Subject continuation lines */
static void
test_rfc_json_8bit (void)
{
  const char *msg
      = "From: tlsrpt@mail.sender.example.com\n"
        "Date: Fri, May 09 2017 16:54:30 -0800\n"
        "To: mts-sts-tlsrpt@example.net\n"
        "Subject: Report Domain: example.net\n"
        "Submitter: mail.sender.example.com\n"
        "Report-ID: <735ff.e317+bf22029@example.net>\n"
        "TLS-Report-Domain: example.net\n"
        "TLS-Report-Submitter: mail.sender.example.com\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=\"tlsrpt\";\n"
        "    boundary=\"----=_NextPart_000_024E_01CC9B0A.AFE54C00\"\n"
        "Content-Language: en-us\n"
        "\n"
        "This is a multipart message in MIME format.\n"
        "\n"
        "------=_NextPart_000_024E_01CC9B0A.AFE54C00\n"
        "Content-Type: text/plain; charset=\"us-ascii\"\n"
        "Content-Transfer-Encoding: 7bit\n"
        "\n"
        "This is an aggregate TLS report from mail.sender.example.com\n"
        "\n"
        "------=_NextPart_000_024E_01CC9B0A.AFE54C00\n"
        "Content-Type: application/tlsrpt+json\n"
        "Content-Transfer-Encoding: 8bit\n"
        "Content-Disposition: attachment;\n"
        "    filename=\"mail.sender.example!example.com!1013662812!1013749130.json.gz\"\n"
        "\n"
        "{\n"
        "  \"organization-name\": \"Company-X\",\n"
        "  \"policies\": []\n"
        "}\n"
        "\n"
        "------=_NextPart_000_024E_01CC9B0A.AFE54C00--\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract (msg, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, "application/tlsrpt+json",
                  "mail.sender.example!example.com!1013662812!1013749130.json.gz", "part 2", '{');
  g_assert_cmpstr (info->subject, ==, "Report Domain: example.net");
  g_assert_cmpstr (info->tls_report_domain, ==, "example.net");
}

/* test_octet_stream_rfc2231 - application/octet-stream whose filename is RFC 2231-continued */
static void
test_octet_stream_rfc2231 (void)
{
  g_autofree char *b64 = report_b64 ();
  g_autofree char *msg = g_strdup_printf ("From: reports@example.org\n"
                                          "Subject: TLS report\n"
                                          "MIME-Version: 1.0\n"
                                          "Content-Type: multipart/mixed; boundary=b1\n"
                                          "\n"
                                          "--b1\n"
                                          "Content-Type: text/plain\n"
                                          "\n"
                                          "Attached.\n"
                                          "--b1\n"
                                          "Content-Type: application/octet-stream\n"
                                          "Content-Disposition: attachment;\n"
                                          " filename*0=\"example.org!example.net!1725321600!\";\n"
                                          " filename*1=\"1725407999.json.gz\"\n"
                                          "Content-Transfer-Encoding: base64\n"
                                          "\n"
                                          "%s"
                                          "--b1--\n",
                                          b64);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract (msg, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, "application/octet-stream",
                  "example.org!example.net!1725321600!1725407999.json.gz", "part 2", 0x1f);
}

/* test_forwarded - a report inside a forwarded message/rfc822, in a nested multipart */
static void
test_forwarded (void)
{
  g_autofree char *b64 = report_b64 ();
  g_autofree char *msg
      = g_strdup_printf ("From: admin@example.net\n"
                         "To: tls-reports@example.net\n"
                         "Subject: Fwd: Report Domain: example.net Submitter: google.com\n"
                         "Message-ID: <fwd-1@example.net>\n"
                         "MIME-Version: 1.0\n"
                         "Content-Type: multipart/mixed; boundary=outer\n"
                         "\n"
                         "--outer\n"
                         "Content-Type: multipart/alternative; boundary=alt\n"
                         "\n"
                         "--alt\n"
                         "Content-Type: text/plain\n"
                         "\n"
                         "See the forwarded report.\n"
                         "--alt\n"
                         "Content-Type: text/html\n"
                         "\n"
                         "<p>See the forwarded report.</p>\n"
                         "--alt--\n"
                         "--outer\n"
                         "Content-Type: message/rfc822\n"
                         "Content-Disposition: inline\n"
                         "\n"
                         "From: noreply-smtp-tls-reporting@google.com\n"
                         "Subject: Report Domain: example.net Submitter: google.com\n"
                         "Message-ID: <inner@google.com>\n"
                         "MIME-Version: 1.0\n"
                         "Content-Type: multipart/report; boundary=inner; report-type=tlsrpt\n"
                         "\n"
                         "--inner\n"
                         "Content-Type: text/plain\n"
                         "\n"
                         "This is an aggregate TLS report from google.com\n"
                         "--inner\n"
                         "Content-Type: application/tlsrpt+gzip; name=\"report.json.gz\"\n"
                         "Content-Transfer-Encoding: base64\n"
                         "\n"
                         "%s"
                         "--inner--\n"
                         "\n"
                         "--outer--\n",
                         b64);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract (msg, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, "application/tlsrpt+gzip", "report.json.gz",
                  "part 2 (message/rfc822) part 2", 0x1f);
  /* The info is the outer message's. */
  g_assert_cmpstr (info->message_id, ==, "fwd-1@example.net");
}

/* two_reports_message - a message with an octet-stream .json attachment, then two
 * application/tlsrpt+gzip parts, the second inside a nested multipart */
static char *
two_reports_message (void)
{
  g_autofree char *b64 = report_b64 ();

  return g_strdup_printf ("From: reports@example.org\n"
                          "Content-Type: multipart/mixed; boundary=m\n"
                          "\n"
                          "--m\n"
                          "Content-Type: application/octet-stream; name=extra.json\n"
                          "\n"
                          "{\"policies\": []}\n"
                          "--m\n"
                          "Content-Type: application/tlsrpt+gzip; name=one.json.gz\n"
                          "Content-Transfer-Encoding: base64\n"
                          "\n"
                          "%s"
                          "--m\n"
                          "Content-Type: multipart/mixed; boundary=n\n"
                          "\n"
                          "--n\n"
                          "Content-Type: text/plain\n"
                          "\n"
                          "Second report:\n"
                          "--n\n"
                          "Content-Type: Application/TLSRPT+GZIP; name=two.json.gz\n"
                          "Content-Transfer-Encoding: base64\n"
                          "\n"
                          "%s"
                          "--n--\n"
                          "--m--\n",
                          b64, b64);
}

/* test_two_reports - every report part is returned, application/tlsrpt* first */
static void
test_two_reports (void)
{
  g_autofree char *msg = two_reports_message ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract (msg, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 3);
  assert_payload (payloads, 0, "application/tlsrpt+gzip", "one.json.gz", "part 2", 0x1f);
  assert_payload (payloads, 1, "application/tlsrpt+gzip", "two.json.gz", "part 3.2", 0x1f);
  assert_payload (payloads, 2, "application/octet-stream", "extra.json", "part 1", '{');
}

/* test_max_reports - at most limits->max_reports payloads, the best ones */
static void
test_max_reports (void)
{
  g_autofree char *msg = two_reports_message ();
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = NULL;

  limits.max_reports = 1;
  payloads = extract_limits (msg, strlen (msg), &limits, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, "application/tlsrpt+gzip", "one.json.gz", "part 2", 0x1f);
}

/* test_mbox_from_crlf - an mbox "From " line, CRLF, and an extra blank line at the end */
static void
test_mbox_from_crlf (void)
{
  g_autofree char *b64 = report_b64 ();
  g_autofree char *lf
      = g_strdup_printf ("From noreply-smtp-tls-reporting@google.com  Wed Sep  4 10:53:21 2024\n"
                         "Return-Path: <noreply-smtp-tls-reporting@google.com>\n"
                         "X-Original-To: tls-reports@example.net\n"
                         "Delivered-To: tls-reports@example.net\n"
                         "From: noreply-smtp-tls-reporting@google.com\n"
                         "Message-ID: <mbox-1@google.com>\n"
                         "Content-Type: multipart/report; boundary=\"b\"; report-type=tlsrpt\n"
                         "\n"
                         "--b\n"
                         "Content-Type: text/plain\n"
                         "\n"
                         "Report.\n"
                         "--b\n"
                         "Content-Type: application/tlsrpt+gzip\n"
                         "Content-Transfer-Encoding: base64\n"
                         "\n"
                         "%s"
                         "--b--\n"
                         "\n",
                         b64);
  g_autofree char *msg = to_crlf (lf);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract (msg, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, "application/tlsrpt+gzip", NULL, "part 2", 0x1f);
  g_assert_cmpstr (info->message_id, ==, "mbox-1@google.com");
  g_assert_cmpstr (info->from, ==, "noreply-smtp-tls-reporting@google.com");
}

/* test_not_report - a plain message is NOT_REPORT, with its info and a short message */
static void
test_not_report (void)
{
  const char *msg = "From: Someone <someone@example.org>\n"
                    "Subject: Hello\n"
                    "Message-ID: <hello@example.org>\n"
                    "Date: Mon, 1 Jan 2024 12:00:00 +0100\n"
                    "Content-Type: multipart/alternative; boundary=x\n"
                    "\n"
                    "--x\n"
                    "Content-Type: text/plain\n"
                    "\n"
                    "Hello: this is not a report, secret words.\n"
                    "--x\n"
                    "Content-Type: text/html\n"
                    "\n"
                    "{<p>Hello</p>}\n"
                    "--x--\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract (msg, &info, &error);

  g_assert_null (payloads);
  g_assert_error (error, TR_ERROR, TR_ERROR_NOT_REPORT);
  g_assert_cmpstr (error->message, ==,
                   "no report part found (2 MIME parts: text/plain, text/html)");
  g_assert_nonnull (info);
  g_assert_cmpstr (info->message_id, ==, "hello@example.org");
  g_assert_cmpstr (info->subject, ==, "Hello");
  g_assert_cmpstr (info->date, ==, "2024-01-01T11:00:00Z");
  g_assert_nonnull (strstr (info->from, "someone@example.org"));
}

/* test_tier2_base64_text - a text/plain part whose base64 content is gzip (tier 2) */
static void
test_tier2_base64_text (void)
{
  g_autofree char *b64 = report_b64 ();
  g_autofree char *msg = g_strdup_printf ("From: a@example.org\n"
                                          "Content-Type: multipart/mixed; boundary=x\n"
                                          "\n"
                                          "--x\n"
                                          "Content-Type: text/plain\n"
                                          "\n"
                                          "Human text.\n"
                                          "--x\n"
                                          "Content-Type: text/plain\n"
                                          "Content-Transfer-Encoding: base64\n"
                                          "\n"
                                          "%s"
                                          "--x--\n",
                                          b64);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract (msg, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, "text/plain", NULL, "part 2", 0x1f);
}

/* test_tier2_body_blob - a plain body that is a bare base64 blob of gzip, no CTE */
static void
test_tier2_body_blob (void)
{
  g_autofree char *b64 = report_b64 ();
  g_autofree char *msg = g_strdup_printf ("From: a@example.org\n"
                                          "Subject: report\n"
                                          "\n"
                                          "%s",
                                          b64);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract (msg, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, "text/plain", NULL, "body", 0x1f);
}

/* test_tier2_json_body - a plain body holding the JSON, found by content only */
static void
test_tier2_json_body (void)
{
  const char *msg = "From: a@example.org\n"
                    "Subject: report\n"
                    "Content-Type: text/plain; charset=utf-8\n"
                    "\n"
                    "  " REPORT_JSON "\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract (msg, &info, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, "text/plain", NULL, "body", ' ');
}

/* test_tier2_html_ignored - an HTML body is never a candidate, whatever it starts with */
static void
test_tier2_html_ignored (void)
{
  const char *msg = "From: a@example.org\n"
                    "Content-Type: text/html\n"
                    "\n"
                    "{\"policies\": []}\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract (msg, &info, &error);

  g_assert_null (payloads);
  g_assert_error (error, TR_ERROR, TR_ERROR_NOT_REPORT);
  g_assert_cmpstr (error->message, ==, "no report part found (1 MIME part: text/html)");
}

/* test_long_base64_line - one 869-character base64 line, CRLF, no closing boundary (tlsrpt-be) */
static void
test_long_base64_line (void)
{
  g_autoptr (GString) json = g_string_new ("{\"report-id\":\"");
  g_autoptr (GBytes) gz = NULL;
  g_autofree char *flat = NULL;
  g_autofree char *lf = NULL;
  g_autofree char *msg = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = NULL;
  guint32 seed = 1;

  /* Incompressible text, so that the base64 line is long. */
  for (int i = 0; i < 1100; i++)
    {
      seed = seed * 1103515245u + 12345u;
      g_string_append_c (json, 'a' + (char) ((seed >> 16) % 26));
    }
  g_string_append (json, "\",\"policies\":[]}");
  gz = gzip_bytes (json->str);
  flat = g_base64_encode (g_bytes_get_data (gz, NULL), g_bytes_get_size (gz));
  g_assert_cmpuint (strlen (flat), >, 800);
  lf = g_strdup_printf ("From: tlsrpt@mail.sender.example.com\n"
                        "Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"B\"\n"
                        "\n"
                        "--B\n"
                        "Content-Type: text/plain\n"
                        "\n"
                        "Report.\n"
                        "--B\n"
                        "Content-Type: application/tlsrpt+gzip\n"
                        "Content-Transfer-Encoding: base64\n"
                        "\n"
                        "%s\n",
                        flat);
  msg = to_crlf (lf);
  payloads = extract (msg, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, "application/tlsrpt+gzip", NULL, "part 2", 0x1f);
  g_assert_true (g_bytes_equal (((TrPayload *) payloads->pdata[0])->data, gz));
}

/* test_truncated_base64 - base64 cut in the middle of a line decodes what is there */
static void
test_truncated_base64 (void)
{
  g_autofree char *b64 = report_b64 ();
  g_autofree char *msg = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = NULL;

  b64[strlen (b64) / 2 + 1] = '\0';
  msg = g_strdup_printf ("From: a@example.org\n"
                         "Content-Type: multipart/report; boundary=z\n"
                         "\n"
                         "--z\n"
                         "Content-Type: application/tlsrpt+gzip\n"
                         "Content-Transfer-Encoding: base64\n"
                         "\n"
                         "%s",
                         b64);
  payloads = extract (msg, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payloads->len, ==, 1);
  assert_payload (payloads, 0, "application/tlsrpt+gzip", NULL, "part 1", 0x1f);
}

/* test_header_cleaning - invalid UTF-8 is repaired, RFC 2047 decoded, long values cut at a
 * character boundary, control characters blanked */
static void
test_header_cleaning (void)
{
  g_autoptr (GString) msg = g_string_new (NULL);
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = NULL;

  limits.max_string_length = 10;
  g_string_append (msg,
                   "From: =?utf-8?q?J=C3=B6rg?= <j@example.org>\n"
                   "Subject: =?utf-8?b?UmVwb3J0IMOcYmVyc2ljaHQ=?=\n"
                   "Message-ID: <bad\xff\xfe@example.org>\n"
                   "TLS-Report-Domain: a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9.example\n"
                   "TLS-Report-Submitter: a\tb\n"
                   "\n"
                   "Body text.\n");
  payloads = extract_limits (msg->str, msg->len, &limits, &info, &error);
  g_assert_error (error, TR_ERROR, TR_ERROR_NOT_REPORT);
  g_assert_nonnull (info);
  g_assert_true (g_utf8_validate (info->message_id, -1, NULL));
  g_assert_cmpuint (strlen (info->message_id), <=, 10);
  g_assert_cmpstr (info->subject, ==,
                   "Report \xc3\x9c"
                   "b"); /* "Report Üb", 10 bytes */
  g_assert_true (g_str_has_prefix (info->from, "J\xc3\xb6rg"));
  /* "a" and six "é": byte 10 is inside the fifth "é", so the cut keeps four. */
  g_assert_cmpstr (info->tls_report_domain, ==, "a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
  g_assert_cmpstr (info->tls_report_submitter, ==, "a b");
}

/* test_empty - an empty message is NOT_REPORT */
static void
test_empty (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = extract_limits ("", 0, NULL, &info, &error);

  g_assert_null (payloads);
  g_assert_error (error, TR_ERROR, TR_ERROR_NOT_REPORT);
}

/* test_garbage - random bytes, NUL bytes and a header block full of NULs never crash */
static void
test_garbage (void)
{
  static const char nuls[] = "From: a@b\r\nSubject: x\0y\r\n\r\n\0\0\0{\0";
  GRand *rand = g_rand_new_with_seed (42);

  for (int round = 0; round < 200; round++)
    {
      gsize len = (gsize) g_rand_int_range (rand, 0, 4096);
      g_autofree guint8 *data = g_malloc (len + 1);
      g_autoptr (GError) error = NULL;
      g_autoptr (TrMailInfo) info = NULL;
      g_autoptr (GPtrArray) payloads = NULL;

      for (gsize i = 0; i < len; i++)
        data[i] = (guint8) g_rand_int_range (rand, 0, 256);
      /* Every other round looks like a header block first. */
      if (round % 2 == 1 && len > 12)
        memcpy (data, "Subject: x\n\n", 12);
      payloads = extract_limits ((const char *) data, len, NULL, &info, &error);
      g_assert_true (payloads != NULL || error != NULL);
    }
  g_rand_free (rand);

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TrMailInfo) info = NULL;
    g_autoptr (GPtrArray) payloads = extract_limits (nuls, sizeof nuls - 1, NULL, &info, &error);

    g_assert_true (payloads != NULL || error != NULL);
    g_assert_nonnull (info);
  }
}

/* test_deep_nesting - 10,000 nested multiparts: the walk stops at max_mime_depth */
static void
test_deep_nesting (void)
{
  g_autoptr (GString) msg = g_string_new ("From: a@example.org\n"
                                          "Content-Type: multipart/mixed; boundary=\"b0\"\n\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = NULL;
  const int depth = 10000;

  for (int i = 1; i < depth; i++)
    g_string_append_printf (msg, "--b%d\nContent-Type: multipart/mixed; boundary=\"b%d\"\n\n",
                            i - 1, i);
  g_string_append_printf (msg, "--b%d\nContent-Type: application/tlsrpt+json\n\n{}\n", depth - 1);
  payloads = extract_limits (msg->str, msg->len, NULL, &info, &error);
  g_assert_null (payloads);
  g_assert_error (error, TR_ERROR, TR_ERROR_NOT_REPORT);
}

/* test_depth_limit - a report within max_mime_depth is found, one below it is not */
static void
test_depth_limit (void)
{
  const char *msg = "From: a@example.org\n"
                    "Content-Type: multipart/mixed; boundary=\"b0\"\n\n"
                    "--b0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n"
                    "--b1\nContent-Type: text/plain\n\nx\n"
                    "--b1\nContent-Type: application/tlsrpt+json\n\n{}\n"
                    "--b1--\n--b0--\n";
  TrLimits limits = TR_LIMITS_INIT;

  for (guint max_depth = 1; max_depth <= 2; max_depth++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TrMailInfo) info = NULL;
      g_autoptr (GPtrArray) payloads = NULL;

      limits.max_mime_depth = max_depth;
      payloads = extract_limits (msg, strlen (msg), &limits, &info, &error);
      if (max_depth == 1)
        {
          g_assert_error (error, TR_ERROR, TR_ERROR_NOT_REPORT);
          continue;
        }
      g_assert_no_error (error);
      assert_payload (payloads, 0, "application/tlsrpt+json", NULL, "part 1.2", '{');
    }
}

/* test_many_parts - 100,000 tiny parts: bounded work, then NOT_REPORT */
static void
test_many_parts (void)
{
  g_autoptr (GString) msg
      = g_string_new ("From: a@example.org\nContent-Type: multipart/mixed; boundary=zz\n\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = NULL;

  for (int i = 0; i < 100000; i++)
    g_string_append (msg, "--zz\nContent-Type: text/plain\n\nx\n");
  g_string_append (msg, "--zz--\n");
  payloads = extract_limits (msg->str, msg->len, NULL, &info, &error);
  g_assert_null (payloads);
  g_assert_error (error, TR_ERROR, TR_ERROR_NOT_REPORT);
}

/* test_huge_address_header - a From header with a million addresses is not parsed whole */
static void
test_huge_address_header (void)
{
  g_autoptr (GString) msg = g_string_new ("Subject: many\nTo: ");
  g_autoptr (GError) error = NULL;
  g_autoptr (TrMailInfo) info = NULL;
  g_autoptr (GPtrArray) payloads = NULL;

  for (int i = 0; i < 1000000; i++)
    g_string_append (msg, "a@b,");
  g_string_append (msg, "\n\n{}\n");
  payloads = extract_limits (msg->str, msg->len, NULL, &info, &error);
  g_assert_null (payloads);
  g_assert_error (error, TR_ERROR, TR_ERROR_NOT_REPORT);
  g_assert_cmpstr (info->subject, ==, "many");
}

/* fingerprint - tr_mail_fingerprint of @text */
static char *
fingerprint (const char *text, const char *message_id)
{
  g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));

  return tr_mail_fingerprint (bytes, strlen (text), message_id);
}

/* the same message delivered again, through other MTAs or with other line ends, is the same */
static void
test_fingerprint (void)
{
  g_autofree char *a = fingerprint ("Received: by a\nSubject: x\n\nbody\nline\n", "id@x");
  g_autofree char *b
      = fingerprint ("Received: by b\nReceived: by c\nSubject: x\n\nbody\nline\n", "id@x");
  g_autofree char *crlf
      = fingerprint ("Received: by a\r\nSubject: x\r\n\r\nbody\r\nline\r\n", "id@x");
  g_autofree char *other_body = fingerprint ("Subject: x\n\nbody\nline2\n", "id@x");
  g_autofree char *other_id = fingerprint ("Subject: x\n\nbody\nline\n", "id@y");
  g_autofree char *lone_cr = fingerprint ("Subject: x\n\nbody\rline\n", "id@x");
  g_autofree char *bare = fingerprint ("{\"report-id\":1}", NULL);
  g_autofree char *bare2 = fingerprint ("{\"report-id\":2}", NULL);

  g_assert_cmpuint (strlen (a), ==, 64);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==, crlf);
  g_assert_cmpstr (a, !=, other_body);
  g_assert_cmpstr (a, !=, other_id);
  g_assert_cmpstr (a, !=, lone_cr);
  g_assert_cmpstr (bare, !=, bare2);
}

/* fields_text - the pairs of tr_mail_header_fields as "name=value|..." */
static char *
fields_text (const char *message, gsize len, guint max, guint *more)
{
  g_autoptr (GBytes) bytes = g_bytes_new (message, len);
  g_autoptr (GPtrArray) fields = tr_mail_header_fields (bytes, max, more);
  GString *s = g_string_new (NULL);

  g_assert_cmpuint (fields->len % 2, ==, 0);
  for (guint i = 0; i < fields->len; i += 2)
    g_string_append_printf (s, "%s%s=%s", i ? "|" : "", (char *) g_ptr_array_index (fields, i),
                            (char *) g_ptr_array_index (fields, i + 1));
  return g_string_free (s, FALSE);
}

/* the header fields as the bytes have them: unfolded, not decoded, bounded */
static void
test_header_fields (void)
{
  static const char folded[] = "From sender@example Fri Nov 20 01:00:00 2026\r\n"
                               "Subject: =?utf-8?q?caf=C3=A9?=\r\n"
                               "X-Long: one\r\n\ttwo\r\n"
                               "From:  x@example\r\n"
                               "\r\n"
                               "Not: a header\r\n";
  static const char nul[] = "Subject: a\0b\n\nbody";
  guint more = 9;
  char *text;

  text = fields_text (folded, sizeof folded - 1, 10, &more);
  g_assert_cmpstr (text, ==, "Subject==?utf-8?q?caf=C3=A9?=|X-Long=one\ttwo|From=x@example");
  g_assert_cmpuint (more, ==, 0);
  g_free (text);
  text = fields_text (folded, sizeof folded - 1, 1, &more);
  g_assert_cmpstr (text, ==, "Subject==?utf-8?q?caf=C3=A9?=");
  g_assert_cmpuint (more, ==, 2);
  g_free (text);
  text = fields_text (nul, sizeof nul - 1, 10, &more);
  g_assert_cmpstr (text, ==,
                   "Subject=a\xef\xbf\xbd"
                   "b");
  g_free (text);
  /* a bare report has no header; neither has an empty message */
  text = fields_text (REPORT_JSON, strlen (REPORT_JSON), 10, &more);
  g_assert_cmpstr (text, ==, "");
  g_free (text);
  text = fields_text ("", 0, 10, &more);
  g_assert_cmpstr (text, ==, "");
  g_free (text);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tr_mail_init ();
  tr_mail_init (); /* safe to call again */

  g_test_add_func ("/mail/bare/json", test_bare_json);
  g_test_add_func ("/mail/bare/gzip", test_bare_gzip);
  g_test_add_func ("/mail/bare/base64", test_bare_base64);
  g_test_add_func ("/mail/bare/base64-not-report", test_bare_base64_not_report);
  g_test_add_func ("/mail/sender/google", test_google);
  g_test_add_func ("/mail/sender/microsoft", test_microsoft);
  g_test_add_func ("/mail/sender/mailru-unterminated", test_mailru_unterminated);
  g_test_add_func ("/mail/sender/postfix-reporter", test_postfix_reporter);
  g_test_add_func ("/mail/sender/mox-single-part", test_mox_single_part);
  g_test_add_func ("/mail/sender/rfc-json-8bit", test_rfc_json_8bit);
  g_test_add_func ("/mail/pick/octet-stream-rfc2231", test_octet_stream_rfc2231);
  g_test_add_func ("/mail/pick/forwarded", test_forwarded);
  g_test_add_func ("/mail/pick/two-reports", test_two_reports);
  g_test_add_func ("/mail/pick/max-reports", test_max_reports);
  g_test_add_func ("/mail/pick/tier2-base64-text", test_tier2_base64_text);
  g_test_add_func ("/mail/pick/tier2-body-blob", test_tier2_body_blob);
  g_test_add_func ("/mail/pick/tier2-json-body", test_tier2_json_body);
  g_test_add_func ("/mail/pick/tier2-html-ignored", test_tier2_html_ignored);
  g_test_add_func ("/mail/input/mbox-from-crlf", test_mbox_from_crlf);
  g_test_add_func ("/mail/input/long-base64-line", test_long_base64_line);
  g_test_add_func ("/mail/input/truncated-base64", test_truncated_base64);
  g_test_add_func ("/mail/info/header-cleaning", test_header_cleaning);
  g_test_add_func ("/mail/not-report/plain", test_not_report);
  g_test_add_func ("/mail/not-report/empty", test_empty);
  g_test_add_func ("/mail/hostile/garbage", test_garbage);
  g_test_add_func ("/mail/hostile/deep-nesting", test_deep_nesting);
  g_test_add_func ("/mail/hostile/depth-limit", test_depth_limit);
  g_test_add_func ("/mail/hostile/many-parts", test_many_parts);
  g_test_add_func ("/mail/hostile/huge-address-header", test_huge_address_header);
  g_test_add_func ("/mail/fingerprint", test_fingerprint);
  g_test_add_func ("/mail/header-fields", test_header_fields);

  return g_test_run ();
}
