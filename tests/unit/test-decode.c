/* test-decode.c - tr_decode_inflate and tr_decode_report on gzip, zip and JSON as senders write it
 */
#include "config.h"

#include <string.h>

#include <zlib.h>

#include "decode.h"
#include "error.h"

/* ---------------------------------------------------------------------------------------- */
/* helpers                                                                                     */

/* deflate_bytes - compress @data: @window 16+15 for gzip, -15 for raw deflate */
static GBytes *
deflate_bytes (const void *data, gsize len, int window, const char *fname)
{
  z_stream z = { 0 };
  gz_header header = { 0 };
  GByteArray *out = g_byte_array_new ();
  guint8 buf[16384];
  int ret;

  g_assert_cmpint (deflateInit2 (&z, 9, Z_DEFLATED, window, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
  if (fname != NULL)
    {
      header.name = (Bytef *) fname;
      header.os = 3;
      g_assert_cmpint (deflateSetHeader (&z, &header), ==, Z_OK);
    }
  z.next_in = (Bytef *) data;
  z.avail_in = (uInt) len;
  do
    {
      z.next_out = buf;
      z.avail_out = sizeof buf;
      ret = deflate (&z, Z_FINISH);
      g_assert_cmpint (ret, !=, Z_STREAM_ERROR);
      g_byte_array_append (out, buf, sizeof buf - z.avail_out);
    }
  while (ret != Z_STREAM_END);
  deflateEnd (&z);
  return g_byte_array_free_to_bytes (out);
}

/* gzip_str - @text gzipped */
static GBytes *
gzip_str (const char *text)
{
  return deflate_bytes (text, strlen (text), 16 + MAX_WBITS, NULL);
}

/* concat - @a followed by @b */
static GBytes *
concat (GBytes *a, const void *b, gsize blen)
{
  GByteArray *out = g_byte_array_new ();
  gsize alen;
  const guint8 *adata = g_bytes_get_data (a, &alen);

  g_byte_array_append (out, adata, (guint) alen);
  g_byte_array_append (out, b, (guint) blen);
  return g_byte_array_free_to_bytes (out);
}

/* put16, put32 - little-endian writers for the zip builder */
static void
put16 (GByteArray *a, guint v)
{
  guint8 b[2] = { v & 0xff, (v >> 8) & 0xff };

  g_byte_array_append (a, b, 2);
}

static void
put32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };

  g_byte_array_append (a, b, 4);
}

typedef struct
{
  const char *name;
  const char *text;
  guint method; /* 0 stored, 8 deflate */
} ZipFile;

/* build_zip - a minimal zip archive with @n entries, central directory included */
static GBytes *
build_zip (const ZipFile *files, guint n)
{
  GByteArray *a = g_byte_array_new ();
  GByteArray *cd = g_byte_array_new ();
  guint i;
  guint32 cd_offset;

  for (i = 0; i < n; i++)
    {
      gsize ulen = strlen (files[i].text), clen;
      guint32 crc = crc32 (0L, (const Bytef *) files[i].text, (uInt) ulen);
      g_autoptr (GBytes) comp = files[i].method == 8
                                    ? deflate_bytes (files[i].text, ulen, -MAX_WBITS, NULL)
                                    : g_bytes_new (files[i].text, ulen);
      const guint8 *cdata = g_bytes_get_data (comp, &clen);
      guint32 offset = a->len;
      guint nlen = (guint) strlen (files[i].name);

      put32 (a, 0x04034b50);
      put16 (a, 20);
      put16 (a, 0);
      put16 (a, files[i].method);
      put16 (a, 0);
      put16 (a, 0);
      put32 (a, crc);
      put32 (a, (guint32) clen);
      put32 (a, (guint32) ulen);
      put16 (a, nlen);
      put16 (a, 0);
      g_byte_array_append (a, (const guint8 *) files[i].name, nlen);
      g_byte_array_append (a, cdata, (guint) clen);

      put32 (cd, 0x02014b50);
      put16 (cd, 20);
      put16 (cd, 20);
      put16 (cd, 0);
      put16 (cd, files[i].method);
      put16 (cd, 0);
      put16 (cd, 0);
      put32 (cd, crc);
      put32 (cd, (guint32) clen);
      put32 (cd, (guint32) ulen);
      put16 (cd, nlen);
      put16 (cd, 0);
      put16 (cd, 0);
      put16 (cd, 0);
      put16 (cd, 0);
      put32 (cd, 0);
      put32 (cd, offset);
      g_byte_array_append (cd, (const guint8 *) files[i].name, nlen);
    }
  cd_offset = a->len;
  g_byte_array_append (a, cd->data, cd->len);
  put32 (a, 0x06054b50);
  put16 (a, 0);
  put16 (a, 0);
  put16 (a, n);
  put16 (a, n);
  put32 (a, cd->len);
  put32 (a, cd_offset);
  put16 (a, 0);
  g_byte_array_unref (cd);
  return g_byte_array_free_to_bytes (a);
}

/* assert_bytes_str - @bytes holds exactly @text */
static void
assert_bytes_str (GBytes *bytes, const char *text)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_nonnull (bytes);
  g_assert_cmpmem (data, len, text, strlen (text));
}

/* decode_str - tr_decode_report on @text with default limits */
static TrReport *
decode_str (const char *text, GError **error)
{
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GBytes) json = g_bytes_new (text, strlen (text));

  return tr_decode_report (json, &limits, error);
}

/* policy - the policy at @i */
static TrPolicy *
policy (TrReport *report, guint i)
{
  g_assert_cmpuint (report->policies->len, >, i);
  return g_ptr_array_index (report->policies, i);
}

/* failure - failure @j of policy @i */
static TrFailure *
failure (TrReport *report, guint i, guint j)
{
  TrPolicy *p = policy (report, i);

  g_assert_cmpuint (p->failures->len, >, j);
  return g_ptr_array_index (p->failures, j);
}

static const char google_json[]
    = "{\"organization-name\":\"Google Inc.\",\"date-range\":{\"start-datetime\":"
      "\"2024-09-03T00:00:00Z\",\"end-datetime\":\"2024-09-03T23:59:59Z\"},\"contact-info\":"
      "\"smtp-tls-reporting@google.com\",\"report-id\":\"2024-09-03T00:00:00Z_example.com\","
      "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\","
      "\"mode: enforce\",\"max_age: 86400\",\"mx: mx1.example.com\",\"mx: mx2.example.com\"],"
      "\"policy-domain\":\"example.com\",\"mx-host\":[\"mx1.example.com\",\"mx2.example.com\"]},"
      "\"summary\":{\"total-successful-session-count\":42,\"total-failure-session-count\":0}}]}";

/* ---------------------------------------------------------------------------------------- */
/* inflate                                                                                     */

static void
test_gzip_ok (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GBytes) gz = gzip_str (google_json);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) out = tr_decode_inflate (gz, &limits, &error);

  g_assert_no_error (error);
  assert_bytes_str (out, google_json);
}

static void
test_gzip_trailing_crlf (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GBytes) gz = gzip_str (google_json);
  g_autoptr (GBytes) crlf = concat (gz, "\r\n", 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) out = tr_decode_inflate (crlf, &limits, &error);

  g_assert_no_error (error);
  assert_bytes_str (out, google_json);
}

static void
test_gzip_two_members (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GBytes) a = gzip_str ("{\"policies\":");
  g_autoptr (GBytes) b = gzip_str ("[]}");
  gsize blen;
  const guint8 *bdata = g_bytes_get_data (b, &blen);
  g_autoptr (GBytes) both = concat (a, bdata, blen);
  g_autoptr (GBytes) both_crlf = concat (both, "\r\n", 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) out = tr_decode_inflate (both_crlf, &limits, &error);

  g_assert_no_error (error);
  assert_bytes_str (out, "{\"policies\":[]}");
}

static void
test_gzip_fname (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GBytes) gz = deflate_bytes (google_json, strlen (google_json), 16 + MAX_WBITS,
                                         "google.com!example.com!1725321600!1725407999!001.json");
  const guint8 *d = g_bytes_get_data (gz, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) out = NULL;

  g_assert_cmpint (d[3] & 0x08, ==, 0x08); /* FNAME flag set */
  out = tr_decode_inflate (gz, &limits, &error);
  g_assert_no_error (error);
  assert_bytes_str (out, google_json);
}

static void
test_gzip_truncated (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GBytes) gz = gzip_str (google_json);
  g_autoptr (GBytes) cut = g_bytes_new_from_bytes (gz, 0, g_bytes_get_size (gz) - 12);
  g_autoptr (GBytes) header_only = g_bytes_new_from_bytes (gz, 0, 5);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) out = tr_decode_inflate (cut, &limits, &error);

  g_assert_null (out);
  g_assert_error (error, TR_ERROR, TR_ERROR_DATA);
  g_assert_cmpstr (error->message, ==, "truncated gzip data");
  g_clear_error (&error);
  g_assert_null (tr_decode_inflate (header_only, &limits, &error));
  g_assert_error (error, TR_ERROR, TR_ERROR_DATA);
}

static void
test_gzip_corrupt (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GBytes) gz = gzip_str (google_json);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (gz, NULL), g_bytes_get_size (gz));
  gsize len = g_bytes_get_size (gz);
  g_autoptr (GBytes) bad = NULL;
  g_autoptr (GBytes) bad_crc = NULL;
  g_autoptr (GError) error = NULL;

  copy[12] ^= 0xff; /* inside the deflate data */
  copy[13] ^= 0x55;
  bad = g_bytes_new (copy, len);
  g_assert_null (tr_decode_inflate (bad, &limits, &error));
  g_assert_error (error, TR_ERROR, TR_ERROR_DATA);
  g_assert_true (g_str_has_prefix (error->message, "corrupt gzip data: ")
                 || g_str_equal (error->message, "truncated gzip data"));
  g_clear_error (&error);

  copy[12] ^= 0xff;
  copy[13] ^= 0x55;
  copy[len - 6] ^= 0x01; /* CRC-32 of the trailer */
  bad_crc = g_bytes_new (copy, len);
  g_assert_null (tr_decode_inflate (bad_crc, &limits, &error));
  g_assert_error (error, TR_ERROR, TR_ERROR_DATA);
  g_assert_cmpstr (error->message, ==, "corrupt gzip data: incorrect data check");
}

static void
test_gzip_over_cap (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  gsize total = 100u * 1024 * 1024, chunk = 1024 * 1024, done;
  g_autofree guint8 *zeros = g_malloc0 (chunk);
  z_stream z = { 0 };
  GByteArray *out = g_byte_array_new ();
  guint8 buf[65536];
  g_autoptr (GBytes) bomb = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start;

  /* 100 MB of zeros, about 100 KB compressed */
  g_assert_cmpint (deflateInit2 (&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), ==,
                   Z_OK);
  for (done = 0; done < total; done += chunk)
    {
      int ret;

      z.next_in = zeros;
      z.avail_in = (uInt) chunk;
      do
        {
          z.next_out = buf;
          z.avail_out = sizeof buf;
          ret = deflate (&z, done + chunk == total ? Z_FINISH : Z_NO_FLUSH);
          g_byte_array_append (out, buf, sizeof buf - z.avail_out);
        }
      while (z.avail_out == 0 || (done + chunk == total && ret != Z_STREAM_END));
    }
  deflateEnd (&z);
  bomb = g_byte_array_free_to_bytes (out);
  g_assert_cmpuint (g_bytes_get_size (bomb), <, 1024 * 1024);

  limits.max_inflated_size = 1024 * 1024;
  start = g_get_monotonic_time ();
  g_assert_null (tr_decode_inflate (bomb, &limits, &error));
  g_assert_error (error, TR_ERROR, TR_ERROR_LIMIT);
  g_assert_cmpstr (error->message, ==, "inflated size exceeds 1048576 bytes");
  /* stopped early: inflating all 100 MB would take far longer than reading 1 MiB */
  g_test_message ("bomb refused after %" G_GINT64_FORMAT " us", g_get_monotonic_time () - start);
}

static void
test_gzip_at_cap (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  gsize len = strlen (google_json);
  g_autoptr (GBytes) gz = gzip_str (google_json);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) out = NULL;

  limits.max_inflated_size = len; /* exactly at the cap is fine */
  out = tr_decode_inflate (gz, &limits, &error);
  g_assert_no_error (error);
  assert_bytes_str (out, google_json);
  limits.max_inflated_size = len - 1;
  g_assert_null (tr_decode_inflate (gz, &limits, &error));
  g_assert_error (error, TR_ERROR, TR_ERROR_LIMIT);
}

static void
test_zip_stored (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  ZipFile files[] = { { "google.com!example.com!1725321600!1725407999.json", google_json, 0 } };
  g_autoptr (GBytes) zip = build_zip (files, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) out = tr_decode_inflate (zip, &limits, &error);

  g_assert_no_error (error);
  assert_bytes_str (out, google_json);
  limits.max_inflated_size = 10;
  g_assert_null (tr_decode_inflate (zip, &limits, &error));
  g_assert_error (error, TR_ERROR, TR_ERROR_LIMIT);
}

static void
test_zip_deflated (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  ZipFile files[] = { { "README.txt", "not this one", 8 }, { "report.JSON", google_json, 8 } };
  g_autoptr (GBytes) zip = build_zip (files, 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) out = tr_decode_inflate (zip, &limits, &error);

  g_assert_no_error (error);
  assert_bytes_str (out, google_json);
}

static void
test_zip_first_entry (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  ZipFile files[] = { { "report", "{\"policies\":[]}", 8 }, { "other", "x", 0 } };
  g_autoptr (GBytes) zip = build_zip (files, 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) out = tr_decode_inflate (zip, &limits, &error);

  g_assert_no_error (error);
  assert_bytes_str (out, "{\"policies\":[]}");
}

static void
test_zip_bad (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  ZipFile files[] = { { "report.json", google_json, 8 } };
  g_autoptr (GBytes) zip = build_zip (files, 1);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (zip, NULL), g_bytes_get_size (zip));
  g_autoptr (GBytes) bzip2 = NULL;
  g_autoptr (GBytes) cut = g_bytes_new_from_bytes (zip, 0, 40);
  g_autoptr (GBytes) magic_only = g_bytes_new_static ("PK\x03\x04", 4);
  g_autoptr (GError) error = NULL;

  copy[8] = 12;                                          /* bzip2 in the local header ... */
  copy[g_bytes_get_size (zip) - 22 - 46 - 11 + 10] = 12; /* ... and the central directory */
  bzip2 = g_bytes_new (copy, g_bytes_get_size (zip));
  g_assert_null (tr_decode_inflate (bzip2, &limits, &error));
  g_assert_error (error, TR_ERROR, TR_ERROR_DATA);
  g_assert_cmpstr (error->message, ==, "zip compression method 12 is not supported");
  g_clear_error (&error);
  g_assert_null (tr_decode_inflate (cut, &limits, &error));
  g_assert_error (error, TR_ERROR, TR_ERROR_DATA);
  g_clear_error (&error);
  g_assert_null (tr_decode_inflate (magic_only, &limits, &error));
  g_assert_error (error, TR_ERROR, TR_ERROR_DATA);
}

/* Content-Encoding of an HTTP request: gzip undone (by magic), identity and none left alone,
 * other codings refused, the cap holds */
static void
test_content_coding (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GBytes) json = g_bytes_new_static (google_json, strlen (google_json));
  g_autoptr (GBytes) gz = gzip_str (google_json);
  g_autoptr (GBytes) gzgz
      = deflate_bytes (g_bytes_get_data (gz, NULL), g_bytes_get_size (gz), 16 + MAX_WBITS, NULL);
  static const char *const none[] = { NULL, "", "identity", " Identity " };
  GError *error = NULL;
  GBytes *out;

  for (guint i = 0; i < G_N_ELEMENTS (none); i++)
    {
      out = tr_decode_content_coding (gz, none[i], &limits, &error);
      g_assert_no_error (error);
      g_assert_true (out == gz);
      g_bytes_unref (out);
    }
  out = tr_decode_content_coding (gz, "GZIP", &limits, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (out, json));
  g_bytes_unref (out);
  /* a gzip report sent with Content-Encoding: gzip as well: one layer undone */
  out = tr_decode_content_coding (gzgz, "x-gzip", &limits, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (out, gz));
  g_bytes_unref (out);
  /* labelled gzip but plain: the content decides */
  out = tr_decode_content_coding (json, "gzip", &limits, &error);
  g_assert_no_error (error);
  g_assert_true (out == json);
  g_bytes_unref (out);
  g_assert_null (tr_decode_content_coding (json, "br", &limits, &error));
  g_assert_error (error, TR_ERROR, TR_ERROR_DATA);
  g_clear_error (&error);
  limits.max_inflated_size = 100;
  g_assert_null (tr_decode_content_coding (gz, "gzip", &limits, &error));
  g_assert_error (error, TR_ERROR, TR_ERROR_LIMIT);
  g_clear_error (&error);
}

static void
test_plain_passthrough (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GBytes) json = g_bytes_new_static (google_json, strlen (google_json));
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) out = tr_decode_inflate (json, &limits, &error);
  g_autoptr (GBytes) out2 = NULL;

  g_assert_no_error (error);
  g_assert_true (out == json); /* the same bytes, a new reference */
  out2 = tr_decode_inflate (empty, &limits, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (out2), ==, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* JSON from real senders                                                                      */

static void
test_json_google (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (google_json, &error);
  TrPolicy *p;

  g_assert_no_error (error);
  g_assert_cmpstr (r->organization_name, ==, "Google Inc.");
  g_assert_cmpstr (r->contact_info, ==, "smtp-tls-reporting@google.com");
  g_assert_cmpstr (r->report_id, ==, "2024-09-03T00:00:00Z_example.com");
  g_assert_cmpstr (r->start_datetime_raw, ==, "2024-09-03T00:00:00Z");
  g_assert_cmpstr (r->end_datetime_raw, ==, "2024-09-03T23:59:59Z");
  g_assert_null (r->start_datetime); /* validate.c's job */
  p = policy (r, 0);
  g_assert_cmpstr (p->policy_type, ==, "sts");
  g_assert_cmpstr (p->policy_domain, ==, "example.com");
  g_assert_cmpstr (p->policy_string, ==,
                   "[\"version: STSv1\",\"mode: enforce\",\"max_age: 86400\","
                   "\"mx: mx1.example.com\",\"mx: mx2.example.com\"]");
  g_assert_cmpstr (p->mx_host, ==, "[\"mx1.example.com\",\"mx2.example.com\"]");
  g_assert_cmpint (p->total_successful_session_count, ==, 42);
  g_assert_cmpint (p->total_failure_session_count, ==, 0);
  g_assert_cmpuint (p->failures->len, ==, 0);
  assert_bytes_str (r->raw_json, google_json);
  g_assert_cmpuint (r->warnings->len, ==, 0);
}

/* D8: Microsoft TLSA policy-string is one string holding a JSON array; D1: no offset */
static void
test_json_microsoft_tlsa (void)
{
  static const char json[]
      = "{\"organization-name\":\"Microsoft Corporation\",\"date-range\":{\"start-datetime\":"
        "\"2023-01-10T00:00:00\",\"end-datetime\":\"2023-01-10T23:59:59\"},\"contact-info\":"
        "\"tlsrpt-noreply@microsoft.com\",\"report-id\":\"133177728000000000+example.com\","
        "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\","
        "\"mode: testing\",\"mx: mx.example.com\",\"max_age: 604800\"],\"policy-domain\":"
        "\"example.com\"},\"summary\":{\"total-successful-session-count\":3,"
        "\"total-failure-session-count\":0}},{\"policy\":{\"policy-type\":\"tlsa\","
        "\"policy-string\":[\"[\\\"3 1 1 "
        "0254B3E7A1C2D8F09E6B5A4C3D2E1F0A9B8C7D6E5F4A3B2C1D0E9F8A7B6C5D4E\\\","
        "\\\"3 1 1 0B9FA5A59EED715C26C1020C711B4F6EC42D58B0015E14337A39DAD301C5AFC3\\\"]\"],"
        "\"policy-domain\":\"example.com\"},\"summary\":{\"total-successful-session-count\":3,"
        "\"total-failure-session-count\":0}}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (json, &error);
  TrPolicy *p;

  g_assert_no_error (error);
  g_assert_cmpuint (r->policies->len, ==, 2);
  g_assert_cmpstr (r->start_datetime_raw, ==, "2023-01-10T00:00:00");
  p = policy (r, 1);
  g_assert_cmpstr (p->policy_type, ==, "tlsa");
  g_assert_cmpstr (
      p->policy_string, ==,
      "[\"[\\\"3 1 1 0254B3E7A1C2D8F09E6B5A4C3D2E1F0A9B8C7D6E5F4A3B2C1D0E9F8A7B6C5D4E\\\","
      "\\\"3 1 1 0B9FA5A59EED715C26C1020C711B4F6EC42D58B0015E14337A39DAD301C5AFC3\\\"]\"]");
  g_assert_null (p->mx_host); /* D6: Microsoft sends none */
}

/* D3, D18: mail.ru failure-details without IPs, long free text, end at next midnight */
static void
test_json_mailru (void)
{
  static const char json[]
      = "{\"organization-name\":\"Mail.ru\",\"date-range\":{\"start-datetime\":"
        "\"2024-09-02T00:00:00Z\",\"end-datetime\":\"2024-09-03T00:00:00Z\"},\"contact-info\":"
        "\"tlsrpt@corp.mail.ru\",\"report-id\":\"5f0c1e2a-9d5b-4c1e-8f3a-2b7d6e4c9a10@mail.ru\","
        "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":null,"
        "\"policy-domain\":\"example.org\",\"mx-host\":null},\"summary\":"
        "{\"total-successful-session-count\":0,\"total-failure-session-count\":1},"
        "\"failure-details\":[{\"result-type\":\"sts-policy-fetch-error\","
        "\"failed-session-count\":1,\"failure-reason-code\":\"unable to do http request: Get "
        "\\\"https://mta-sts.example.org/.well-known/mta-sts.txt\\\": context deadline "
        "exceeded\"}]}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (json, &error);
  TrFailure *f;

  g_assert_no_error (error);
  g_assert_null (policy (r, 0)->policy_string);
  g_assert_null (policy (r, 0)->mx_host);
  f = failure (r, 0, 0);
  g_assert_cmpstr (f->result_type, ==, "sts-policy-fetch-error");
  g_assert_null (f->sending_mta_ip);
  g_assert_null (f->receiving_mx_hostname);
  g_assert_null (f->receiving_ip);
  g_assert_cmpint (f->failed_session_count, ==, 1);
  g_assert_true (
      g_str_has_prefix (f->failure_reason_code, "unable to do http request: Get \"https"));
}

/* D4: Stalwart serialises "none" as null; mx-host and failure-details as [] */
static void
test_json_null_is_absent (void)
{
  static const char json[]
      = "{\"organization-name\":\"mx.example.net\",\"date-range\":{\"start-datetime\":"
        "\"2024-10-31T00:00:00Z\",\"end-datetime\":\"2024-11-01T00:00:00Z\"},\"contact-info\":null,"
        "\"report-id\":\"1730332800_11732957880687192466\",\"policies\":[{\"policy\":{"
        "\"policy-type\":\"no-policy-found\",\"policy-string\":[],\"policy-domain\":"
        "\"example.com\",\"mx-host\":[]},\"summary\":{\"total-successful-session-count\":2,"
        "\"total-failure-session-count\":null},\"failure-details\":[{\"result-type\":"
        "\"starttls-not-supported\",\"sending-mta-ip\":null,\"receiving-mx-hostname\":null,"
        "\"receiving-mx-helo\":null,\"receiving-ip\":null,\"failed-session-count\":null,"
        "\"additional-information\":null,\"failure-reason-code\":null}]}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (json, &error);
  TrPolicy *p;
  TrFailure *f;

  g_assert_no_error (error);
  g_assert_null (r->contact_info);
  p = policy (r, 0);
  g_assert_cmpstr (p->policy_string, ==, "[]");
  g_assert_cmpstr (p->mx_host, ==, "[]");
  g_assert_cmpint (p->total_failure_session_count, ==, TR_COUNT_ABSENT);
  f = failure (r, 0, 0);
  g_assert_null (f->sending_mta_ip);
  g_assert_null (f->receiving_mx_helo);
  g_assert_null (f->additional_information);
  g_assert_null (f->failure_reason_code);
  g_assert_cmpint (f->failed_session_count, ==, TR_COUNT_ABSENT);
  g_assert_cmpuint (r->warnings->len, ==, 0); /* null is not a deviation worth a warning */
}

/* D5: Postfix + tlsrpt-reporter: no policy-domain, summary first, report-id last, EHLO with CRLF */
static void
test_json_postfix_no_policy_domain (void)
{
  static const char json[]
      = "{\"organization-name\": \"Example Mail Org\", \"date-range\": {\"start-datetime\": "
        "\"2026-11-21T00:00:00Z\", \"end-datetime\": \"2026-11-21T23:59:59Z\"}, \"contact-info\": "
        "\"smtp-tls-reporting@mail.example.com\", \"policies\": [{\"summary\": "
        "{\"total-failure-session-count\": 1, \"total-successful-session-count\": 2}, \"policy\": "
        "{\"policy-type\": \"no-policy-found\"}, \"failure-details\": [{\"result-type\": "
        "\"starttls-not-supported\", \"sending-mta-ip\": \"192.0.2.10\", \"receiving-ip\": "
        "\"198.51.100.25\", \"receiving-mx-hostname\": \"mx.example.org\", \"receiving-mx-helo\": "
        "\"250-mx.example.org\\r\\n250 PIPELINING\", \"failed-session-count\": 1, "
        "\"failure-reason-code\": \"server said \\\"no\\\"\"}]}], \"report-id\": "
        "\"2026-11-21T00:00:00Z_idx1_example.org\"}";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (json, &error);
  TrPolicy *p;
  TrFailure *f;

  g_assert_no_error (error);
  g_assert_cmpstr (r->report_id, ==, "2026-11-21T00:00:00Z_idx1_example.org");
  p = policy (r, 0);
  g_assert_cmpstr (p->policy_type, ==, "no-policy-found");
  g_assert_null (p->policy_domain);
  g_assert_null (p->policy_string);
  g_assert_cmpint (p->total_successful_session_count, ==, 2);
  g_assert_cmpint (p->total_failure_session_count, ==, 1);
  f = failure (r, 0, 0);
  g_assert_cmpstr (f->receiving_mx_helo, ==, "250-mx.example.org\r\n250 PIPELINING");
  g_assert_cmpstr (f->failure_reason_code, ==, "server said \"no\"");
  g_assert_cmpstr (f->receiving_ip, ==, "198.51.100.25");
}

/* D7: mx-host as a bare string, "", [] and with the "mx: " prefix (kept verbatim) */
static void
test_json_mx_host_forms (void)
{
  static const char json[]
      = "{\"report-id\":\"x\",\"policies\":["
        "{\"policy\":{\"policy-type\":\"sts\",\"mx-host\":\"*.mail.company-y.example\"}},"
        "{\"policy\":{\"policy-type\":\"sts\",\"mx-host\":\"\"}},"
        "{\"policy\":{\"policy-type\":\"sts\",\"mx-host\":[]}},"
        "{\"policy\":{\"policy-type\":\"sts\",\"mx-host\":[\"mx: mx.server.com\"]}},"
        "{\"policy\":{\"policy-type\":\"sts\",\"mx-host\":[\"a\\\"b\",7,true,null,[\"n\"]]}},"
        "{\"policy\":{\"policy-type\":\"sts\",\"mx-host\":{\"x\":1}}},"
        "{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":\"version: STSv1\"}}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (json, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (policy (r, 0)->mx_host, ==, "[\"*.mail.company-y.example\"]");
  g_assert_cmpstr (policy (r, 1)->mx_host, ==, "[]");
  g_assert_cmpstr (policy (r, 2)->mx_host, ==, "[]");
  g_assert_cmpstr (policy (r, 3)->mx_host, ==, "[\"mx: mx.server.com\"]");
  g_assert_cmpstr (policy (r, 4)->mx_host, ==, "[\"a\\\"b\",\"7\",\"true\",\"[\\\"n\\\"]\"]");
  g_assert_null (policy (r, 5)->mx_host);
  g_assert_cmpstr (policy (r, 6)->policy_string, ==, "[\"version: STSv1\"]");
}

/* counts as numbers, integral floats, numeric strings; nonsense is absent */
static void
test_json_counts (void)
{
  static const char json[] = "{\"report-id\":\"x\",\"policies\":["
                             "{\"summary\":{\"total-successful-session-count\":\"12\","
                             "\"total-failure-session-count\":3.0}},"
                             "{\"summary\":{\"total-successful-session-count\":2.7,"
                             "\"total-failure-session-count\":-1}},"
                             "{\"summary\":{\"total-successful-session-count\":true,"
                             "\"total-failure-session-count\":\"many\"}},"
                             "{\"summary\":{\"total-successful-session-count\":1e300,"
                             "\"total-failure-session-count\":9223372036854775807}},"
                             "{\"summary\":{\"total-successful-session-count\":[1],"
                             "\"total-failure-session-count\":\" 5 \"},\"failure-details\":"
                             "[{\"result-type\":\"x\",\"failed-session-count\":\"-3\"}]}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (json, &error);

  g_assert_no_error (error);
  g_assert_cmpint (policy (r, 0)->total_successful_session_count, ==, 12);
  g_assert_cmpint (policy (r, 0)->total_failure_session_count, ==, 3);
  g_assert_cmpint (policy (r, 1)->total_successful_session_count, ==, 2);
  g_assert_cmpint (policy (r, 1)->total_failure_session_count, ==, TR_COUNT_ABSENT);
  g_assert_cmpint (policy (r, 2)->total_successful_session_count, ==, TR_COUNT_ABSENT);
  g_assert_cmpint (policy (r, 2)->total_failure_session_count, ==, TR_COUNT_ABSENT);
  g_assert_cmpint (policy (r, 3)->total_successful_session_count, ==, TR_COUNT_ABSENT);
  g_assert_cmpint (policy (r, 3)->total_failure_session_count, ==, G_MAXINT64);
  g_assert_cmpint (policy (r, 4)->total_successful_session_count, ==, TR_COUNT_ABSENT);
  g_assert_cmpint (policy (r, 4)->total_failure_session_count, ==, 5);
  g_assert_cmpint (failure (r, 4, 0)->failed_session_count, ==, TR_COUNT_ABSENT);
  g_assert_cmpuint (r->warnings->len, >=, 8);
}

/* D17: unknown policy-type and result-type are kept verbatim; numbers as strings become text */
static void
test_json_unknown_enums (void)
{
  static const char json[]
      = "{\"organization-name\":\"Company-X\",\"report-id\":42,\"policies\":[{\"policy\":{"
        "\"policy-type\":\"invalid-policy-type\",\"policy-domain\":\"company-y.example\"},"
        "\"summary\":{\"total-successful-session-count\":5326},\"failure-details\":[{"
        "\"result-type\":\"Testing\",\"sending-mta-ip\":\"x.x.x.x\",\"failed-session-count\":3,"
        "\"some-extension\":{\"deep\":[1,2]}}]}],\"x-unknown\":true}";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (json, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (r->report_id, ==, "42");
  g_assert_cmpstr (policy (r, 0)->policy_type, ==, "invalid-policy-type");
  g_assert_cmpint (policy (r, 0)->total_failure_session_count, ==, TR_COUNT_ABSENT);
  g_assert_cmpstr (failure (r, 0, 0)->result_type, ==, "Testing");
  g_assert_cmpstr (failure (r, 0, 0)->sending_mta_ip, ==, "x.x.x.x");
}

/* D3: a failure with nothing but a count; non-object failures and policies skipped */
static void
test_json_failure_missing_fields (void)
{
  static const char json[]
      = "{\"report-id\":\"133944884956529435+\",\"policies\":[7,{\"policy\":{\"policy-type\":"
        "\"sts\"},\"failure-details\":[{\"failed-session-count\":2},\"junk\",null]}],"
        "\"date-range\":\"yesterday\"}";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (json, &error);
  TrFailure *f;

  g_assert_no_error (error);
  g_assert_cmpuint (r->policies->len, ==, 1);
  g_assert_cmpuint (policy (r, 0)->failures->len, ==, 1);
  f = failure (r, 0, 0);
  g_assert_null (f->result_type);
  g_assert_cmpint (f->failed_session_count, ==, 2);
  g_assert_null (r->start_datetime_raw);
}

/* D16: placeholder names of RFC 8460 section 4.4, used only when the real key is absent */
static void
test_json_aliases (void)
{
  static const char json[]
      = "{\"organization-name\":\"Company-X\",\"email-address\":\"sts-reporting@company-x."
        "example\","
        "\"report-id\":\"5065427c-23d3-47ca-b6e0-946ea0e8c4be\",\"policies\":[{\"policy\":{"
        "\"policy-type\":\"sts\",\"mx-host-pattern\":[\"*.mail.company-y.example\"]},"
        "\"failure-details\":[{\"result-type\":\"certificate-expired\",\"additional-info-uri\":"
        "\"https://reports.company-x.example/report_info?id=5065427c\",\"failure-error-code\":"
        "\"X509_V_ERR_CERT_HAS_EXPIRED\"},{\"result-type\":\"validation-failure\","
        "\"failure-reason-code\":\"real\",\"failure-error-code\":\"alias\"}]},{\"policy\":{"
        "\"mx-host\":[\"real.example\"],\"mx-host-pattern\":[\"alias.example\"]}}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (json, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (r->contact_info, ==, "sts-reporting@company-x.example");
  g_assert_cmpstr (policy (r, 0)->mx_host, ==, "[\"*.mail.company-y.example\"]");
  g_assert_cmpstr (failure (r, 0, 0)->additional_information, ==,
                   "https://reports.company-x.example/report_info?id=5065427c");
  g_assert_cmpstr (failure (r, 0, 0)->failure_reason_code, ==, "X509_V_ERR_CERT_HAS_EXPIRED");
  g_assert_cmpstr (failure (r, 0, 1)->failure_reason_code, ==, "real");
  g_assert_cmpstr (policy (r, 1)->mx_host, ==, "[\"real.example\"]");
}

/* D20: policies [] is a valid report with a warning */
static void
test_json_policies_empty (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (
      "{\"organization-name\":\"Company-X\",\"date-range\":{\"start-datetime\":"
      "\"2016-04-01T00:00:00Z\",\"end-datetime\":\"2016-04-01T23:59:59Z\"},\"contact-info\":"
      "\"sts-reporting@company-x.example\",\"report-id\":\"5065427c-23d3\",\"policies\":[]}",
      &error);

  g_assert_no_error (error);
  g_assert_cmpuint (r->policies->len, ==, 0);
  g_assert_cmpuint (r->warnings->len, ==, 1);
}

/* check_data_error - @json is refused with TR_ERROR_DATA and a message starting with @prefix */
static void
check_data_error (const char *json, const char *prefix)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (json, &error);

  g_assert_null (r);
  g_assert_error (error, TR_ERROR, TR_ERROR_DATA);
  g_assert_true (g_str_has_prefix (error->message, prefix));
}

static void
test_json_refused (void)
{
  check_data_error ("{\"report-id\":\"x\"}", "report has no policies array");
  check_data_error ("{\"report-id\":\"x\",\"policies\":null}", "report has no policies array");
  check_data_error ("{\"report-id\":\"x\",\"policies\":{}}", "report has no policies array");
  check_data_error ("[{\"policies\":[]}]", "report is not a JSON object");
  check_data_error ("\"policies\"", "report is not a JSON object");
  check_data_error ("", "report is not a JSON object");
  check_data_error ("  \r\n", "report is not a JSON object");
  check_data_error ("{\"policies\":[1,\"a\",null]}", "report has no policy objects");
  check_data_error ("{\"policies\":[}", "report is not valid JSON");
  check_data_error ("{\"policies\":[]} trailing", "report is not valid JSON");
  check_data_error ("{\"report-id\":\"\xc3\x28\",\"policies\":[]}", "report is not valid UTF-8");
  check_data_error ("{\"report-id\":\"\xed\xa0\x80\",\"policies\":[]}",
                    "report is not valid UTF-8");
}

static void
test_json_nul_byte (void)
{
  TrLimits limits = TR_LIMITS_INIT;
  static const char text[] = "{\"report-id\":\"a\0b\",\"policies\":[]}";
  g_autoptr (GBytes) json = g_bytes_new_static (text, sizeof text - 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = tr_decode_report (json, &limits, &error);

  g_assert_null (r);
  g_assert_error (error, TR_ERROR, TR_ERROR_DATA);
}

/* nested_json - @depth arrays around a report-like object: depth counts the outer object too */
static char *
nested_json (guint depth)
{
  GString *s = g_string_new ("{\"policies\":[],\"x\":");
  guint i;

  for (i = 0; i < depth - 1; i++)
    g_string_append_c (s, '[');
  for (i = 0; i < depth - 1; i++)
    g_string_append_c (s, ']');
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static void
test_json_depth (void)
{
  g_autofree char *ok = nested_json (64);
  g_autofree char *deep = nested_json (65);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (ok, &error);
  g_autoptr (TrReport) r2 = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (r);
  r2 = decode_str (deep, &error);
  g_assert_null (r2);
  g_assert_error (error, TR_ERROR, TR_ERROR_LIMIT);
  g_assert_cmpstr (error->message, ==, "JSON nesting deeper than 64");
}

static void
test_json_depth_strings (void)
{
  /* brackets and escaped quotes inside strings do not count */
  g_autoptr (GString) s = g_string_new ("{\"report-id\":\"\\\"");
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = NULL;
  guint i;

  for (i = 0; i < 1000; i++)
    g_string_append (s, "[{");
  g_string_append (s, "\\\\\",\"policies\":[]}");
  r = decode_str (s->str, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (r->report_id, "\"[{[{"));
}

static void
test_json_deep_200000 (void)
{
  gsize n = 200000;
  g_autofree char *s = g_malloc (2 * n + 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = NULL;

  memset (s, '[', n);
  memset (s + n, ']', n);
  s[2 * n] = '\0';
  r = decode_str (s, &error);
  g_assert_null (r);
  g_assert_error (error, TR_ERROR, TR_ERROR_LIMIT);
  g_clear_error (&error);
  memset (s + n, '[', n); /* unbalanced */
  r = decode_str (s, &error);
  g_assert_null (r);
  g_assert_error (error, TR_ERROR, TR_ERROR_LIMIT);
}

/* a UTF-8 BOM and whitespace before { are accepted; raw_json drops only the BOM */
static void
test_json_bom (void)
{
  static const char text[] = "\xef\xbb\xbf \r\n{\"report-id\":\"r\xc3\xa9\",\"policies\":[]}\r\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (text, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (r->report_id, ==, "r\xc3\xa9");
  assert_bytes_str (r->raw_json, text + 3);
}

/* mox: policy-string, mx-host and failure-details as [] when empty; several policy domains */
static void
test_json_mox (void)
{
  static const char json[]
      = "{\"organization-name\":\"mox.example\",\"date-range\":{\"start-datetime\":"
        "\"2023-11-06T00:00:00Z\",\"end-datetime\":\"2023-11-06T23:59:59Z\"},\"contact-info\":"
        "\"postmaster@mox.example\",\"report-id\":\"20231106.a.example@mox.example\",\"policies\":"
        "[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-string\":[],\"policy-domain\":"
        "\"a.example\",\"mx-host\":[]},\"summary\":{\"total-successful-session-count\":1,"
        "\"total-failure-session-count\":0},\"failure-details\":[]},{\"policy\":{\"policy-type\":"
        "\"tlsa\",\"policy-string\":[\"3 1 1 e1b7ed3a\"],\"policy-domain\":\"mx.b.example\","
        "\"mx-host\":[]},\"summary\":{\"total-successful-session-count\":0,"
        "\"total-failure-session-count\":1},\"failure-details\":[{\"result-type\":"
        "\"tlsa-invalid\",\"sending-mta-ip\":\"2001:db8::1\",\"receiving-mx-hostname\":"
        "\"mx.b.example\",\"receiving-ip\":\"2001:db8::25\",\"failed-session-count\":1}]}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (json, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (r->policies->len, ==, 2);
  g_assert_cmpstr (policy (r, 1)->policy_string, ==, "[\"3 1 1 e1b7ed3a\"]");
  g_assert_cmpstr (failure (r, 1, 0)->sending_mta_ip, ==, "2001:db8::1");
  g_assert_cmpuint (r->warnings->len, ==, 0);
}

/* arrays or objects where a string belongs are absent (with a warning) */
static void
test_json_wrong_types (void)
{
  static const char json[]
      = "{\"organization-name\":[\"a\"],\"contact-info\":{\"x\":1},\"report-id\":true,"
        "\"date-range\":{\"start-datetime\":1700000000,\"end-datetime\":[]},"
        "\"policies\":[{\"policy\":[],\"summary\":\"none\",\"failure-details\":{}}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = decode_str (json, &error);

  g_assert_no_error (error);
  g_assert_null (r->organization_name);
  g_assert_null (r->contact_info);
  g_assert_cmpstr (r->report_id, ==, "true");
  g_assert_cmpstr (r->start_datetime_raw, ==, "1700000000");
  g_assert_null (r->end_datetime_raw);
  g_assert_null (policy (r, 0)->policy_type);
  g_assert_cmpuint (policy (r, 0)->failures->len, ==, 0);
}

/* many bad elements: warnings stay bounded */
static void
test_json_warnings_bounded (void)
{
  GString *s = g_string_new ("{\"policies\":[{}");
  g_autoptr (GError) error = NULL;
  g_autoptr (TrReport) r = NULL;
  guint i;

  for (i = 0; i < 10000; i++)
    g_string_append (s, ",1");
  g_string_append (s, "]}");
  r = decode_str (s->str, &error);
  g_string_free (s, TRUE);
  g_assert_no_error (error);
  g_assert_cmpuint (r->warnings->len, <=, 101);
}

/* a flat array of 600,000 numbers is refused before json-glib builds 600,000 nodes; values
 * hidden behind a quote in a comment or a single-quoted string still count */
static void
test_json_too_many_values (void)
{
  static const char *const openings[]
      = { "{\"policies\":[{}],\"x\":[0", "{\"policies\":[{}],\"x\":[/* \" */0",
          "{\"policies\":[{}],\"x\":['\"',0" };
  TrLimits limits = TR_LIMITS_INIT;

  limits.max_json_values = 500000;
  for (guint k = 0; k < G_N_ELEMENTS (openings); k++)
    {
      g_autoptr (GString) s = g_string_new (openings[k]);
      g_autoptr (GBytes) json = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (TrReport) r = NULL;

      for (guint i = 0; i < 600000; i++)
        g_string_append (s, ",1");
      g_string_append (s, "]}");
      json = g_bytes_new (s->str, s->len);
      r = tr_decode_report (json, &limits, &error);
      g_assert_null (r);
      g_assert_error (error, TR_ERROR, TR_ERROR_LIMIT);
    }

  /* a report within the limit records what it used of it: { [ { { and one comma */
  {
    g_autoptr (GBytes) json = g_bytes_new_static ("{\"policies\":[{},{}]}", 20);
    g_autoptr (GError) error = NULL;
    g_autoptr (TrReport) r = tr_decode_report (json, &limits, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (r->json_values, ==, 5);
    limits.max_json_values = 4;
    g_clear_pointer (&r, tr_report_free);
    r = tr_decode_report (json, &limits, &error);
    g_assert_null (r);
    g_assert_error (error, TR_ERROR, TR_ERROR_LIMIT);
  }
}

/* deep nesting behind a quote that json-glib does not see as a string start is still found */
static void
test_json_hidden_depth (void)
{
  static const char *const openings[]
      = { "{\"policies\":[{}],\"x\":[/* \" */", "{\"policies\":[{}],\"x\":[// \"\n",
          "{\"policies\":[{}],\"x\":['\"'," };

  for (guint k = 0; k < G_N_ELEMENTS (openings); k++)
    {
      g_autoptr (GString) s = g_string_new (openings[k]);
      g_autoptr (GError) error = NULL;
      g_autoptr (TrReport) r = NULL;

      for (guint i = 0; i < 200000; i++)
        g_string_append_c (s, '[');
      r = decode_str (s->str, &error);
      g_assert_null (r);
      g_assert_error (error, TR_ERROR, TR_ERROR_LIMIT);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/decode/gzip/ok", test_gzip_ok);
  g_test_add_func ("/decode/gzip/trailing-crlf", test_gzip_trailing_crlf);
  g_test_add_func ("/decode/gzip/two-members", test_gzip_two_members);
  g_test_add_func ("/decode/gzip/fname-header", test_gzip_fname);
  g_test_add_func ("/decode/gzip/truncated", test_gzip_truncated);
  g_test_add_func ("/decode/gzip/corrupt", test_gzip_corrupt);
  g_test_add_func ("/decode/gzip/over-cap", test_gzip_over_cap);
  g_test_add_func ("/decode/gzip/at-cap", test_gzip_at_cap);
  g_test_add_func ("/decode/zip/stored", test_zip_stored);
  g_test_add_func ("/decode/zip/deflated", test_zip_deflated);
  g_test_add_func ("/decode/zip/first-entry", test_zip_first_entry);
  g_test_add_func ("/decode/zip/bad", test_zip_bad);
  g_test_add_func ("/decode/plain/passthrough", test_plain_passthrough);
  g_test_add_func ("/decode/content-coding", test_content_coding);
  g_test_add_func ("/decode/json/google", test_json_google);
  g_test_add_func ("/decode/json/microsoft-tlsa", test_json_microsoft_tlsa);
  g_test_add_func ("/decode/json/mailru", test_json_mailru);
  g_test_add_func ("/decode/json/null-is-absent", test_json_null_is_absent);
  g_test_add_func ("/decode/json/postfix-no-policy-domain", test_json_postfix_no_policy_domain);
  g_test_add_func ("/decode/json/mox", test_json_mox);
  g_test_add_func ("/decode/json/mx-host-forms", test_json_mx_host_forms);
  g_test_add_func ("/decode/json/counts", test_json_counts);
  g_test_add_func ("/decode/json/unknown-enums", test_json_unknown_enums);
  g_test_add_func ("/decode/json/failure-missing-fields", test_json_failure_missing_fields);
  g_test_add_func ("/decode/json/aliases", test_json_aliases);
  g_test_add_func ("/decode/json/policies-empty", test_json_policies_empty);
  g_test_add_func ("/decode/json/refused", test_json_refused);
  g_test_add_func ("/decode/json/nul-byte", test_json_nul_byte);
  g_test_add_func ("/decode/json/depth", test_json_depth);
  g_test_add_func ("/decode/json/depth-strings", test_json_depth_strings);
  g_test_add_func ("/decode/json/deep-200000", test_json_deep_200000);
  g_test_add_func ("/decode/json/bom", test_json_bom);
  g_test_add_func ("/decode/json/wrong-types", test_json_wrong_types);
  g_test_add_func ("/decode/json/warnings-bounded", test_json_warnings_bounded);
  g_test_add_func ("/decode/json/too-many-values", test_json_too_many_values);
  g_test_add_func ("/decode/json/hidden-depth", test_json_hidden_depth);

  return g_test_run ();
}
