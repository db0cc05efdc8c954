/* test-ingest.c - tr_ingest_prepare_request: the body of a request over HTTPS is the report
 * itself, whatever its media type, with its Content-Encoding undone; never read as a mail */
#include "config.h"

#include <string.h>

#include <zlib.h>

#include "error.h"
#include "ingest.h"

static const char report[]
    = "{\"organization-name\":\"Example Sender\",\"date-range\":{\"start-datetime\":"
      "\"2026-11-20T00:00:00Z\",\"end-datetime\":\"2026-11-20T23:59:59Z\"},\"contact-info\":"
      "\"tlsrpt@sender.example\",\"report-id\":\"r1\",\"policies\":[{\"policy\":{\"policy-type\":"
      "\"sts\",\"policy-domain\":\"example.com\"},\"summary\":{\"total-successful-session-count\":"
      "5,\"total-failure-session-count\":0}}]}";

/* gzip_bytes - @data gzipped */
static GBytes *
gzip_bytes (const void *data, gsize len)
{
  z_stream z = { 0 };
  GByteArray *out = g_byte_array_new ();
  guint8 buf[4096];
  int ret;

  g_assert_cmpint (deflateInit2 (&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), ==,
                   Z_OK);
  z.next_in = (Bytef *) data;
  z.avail_in = (uInt) len;
  do
    {
      z.next_out = buf;
      z.avail_out = sizeof buf;
      ret = deflate (&z, Z_FINISH);
      g_byte_array_append (out, buf, sizeof buf - z.avail_out);
    }
  while (ret != Z_STREAM_END);
  deflateEnd (&z);
  return g_byte_array_free_to_bytes (out);
}

/* prepare - tr_ingest_prepare_request of @body with @coding and default settings (plus
 * @domains, if not NULL) */
static TrMessage *
prepare (GBytes *body, const char *coding, const char *domains)
{
  g_auto (TrSettings) settings = TR_SETTINGS_INIT;

  if (domains != NULL)
    g_assert_true (tr_settings_set (&settings, "domains", domains, FALSE, NULL));
  g_assert_true (tr_settings_set (&settings, "trusted-authserv-id", "mx.example.com", FALSE, NULL));
  return tr_ingest_prepare_request (body, coding, "2026-11-21T06:00:00Z", &settings);
}

/* assert_one_report - @message holds one usable report, unauthenticated, with no mail facts */
static void
assert_one_report (TrMessage *message)
{
  const TrReport *r;

  g_assert_null (message->reason);
  g_assert_false (message->unusable);
  g_assert_cmpuint (message->reports->len, ==, 1);
  r = g_ptr_array_index (message->reports, 0);
  g_assert_cmpstr (r->report_id, ==, "r1");
  g_assert_cmpstr (r->reporter_key, ==, "sender.example");
  g_assert_cmpstr (r->dkim_result, ==, "none");
  g_assert_null (message->info->message_id);
  tr_message_free (message);
}

/* the forms a sender may use: JSON, gzip, gzip as Content-Encoding, and both */
static void
test_forms (void)
{
  g_autoptr (GBytes) json = g_bytes_new_static (report, strlen (report));
  g_autoptr (GBytes) gz = gzip_bytes (report, strlen (report));
  g_autoptr (GBytes) gzgz = gzip_bytes (g_bytes_get_data (gz, NULL), g_bytes_get_size (gz));

  assert_one_report (prepare (json, NULL, NULL));
  assert_one_report (prepare (gz, NULL, NULL));
  assert_one_report (prepare (gz, "gzip", NULL));
  assert_one_report (prepare (gzgz, "gzip", NULL));
  assert_one_report (prepare (json, "gzip", NULL)); /* labelled, not encoded: the content decides */
}

/* junk: unusable, with a reason and a fingerprint of the body and its coding */
static void
test_junk (void)
{
  g_autoptr (GBytes) junk = g_bytes_new_static ("GARBAGE", 7);
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr (TrMessage) a = prepare (junk, NULL, NULL);
  g_autoptr (TrMessage) b = prepare (junk, NULL, NULL);
  g_autoptr (TrMessage) c = prepare (junk, "gzip", NULL);
  g_autoptr (TrMessage) d = prepare (junk, "br", NULL);
  g_autoptr (TrMessage) e = prepare (empty, NULL, NULL);

  g_assert_true (a->unusable);
  g_assert_cmpuint (a->reports->len, ==, 0);
  g_assert_true (g_str_has_prefix (a->reason, "unusable report in body: "));
  g_assert_cmpuint (strlen (a->fingerprint), ==, 64);
  g_assert_cmpstr (a->fingerprint, ==, b->fingerprint);
  g_assert_cmpstr (a->fingerprint, !=, c->fingerprint);
  g_assert_true (d->unusable);
  g_assert_nonnull (strstr (d->reason, "Content-Encoding br is not supported"));
  g_assert_true (e->unusable);
  g_assert_cmpstr (e->reason, ==, "not a report: an empty body");
}

/* a body that is a mail with a planted Authentication-Results header is not read as a mail: it
 * is no report, and its header authenticates nothing */
static void
test_not_a_mail (void)
{
  g_autofree char *mail = g_strdup_printf (
      "Authentication-Results: mx.example.com; dkim=pass header.d=sender.example\n"
      "From: tlsrpt@sender.example\nContent-Type: application/tlsrpt+json\n\n%s\n",
      report);
  g_autoptr (GBytes) body = g_bytes_new_take (g_strdup (mail), strlen (mail));
  g_autoptr (TrMessage) message = prepare (body, NULL, NULL);

  g_assert_true (message->unusable);
  g_assert_cmpuint (message->reports->len, ==, 0);
}

/* out of scope: kept with the reason, not unusable */
static void
test_scope (void)
{
  g_autoptr (GBytes) json = g_bytes_new_static (report, strlen (report));
  g_autoptr (TrMessage) message = prepare (json, NULL, "example.org");

  g_assert_false (message->unusable);
  g_assert_cmpuint (message->reports->len, ==, 0);
  g_assert_true (g_str_has_prefix (message->reason, "not our domain: "));
  g_assert_nonnull (message->fingerprint);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ingest/request/forms", test_forms);
  g_test_add_func ("/ingest/request/junk", test_junk);
  g_test_add_func ("/ingest/request/not-a-mail", test_not_a_mail);
  g_test_add_func ("/ingest/request/scope", test_scope);
  return g_test_run ();
}
