/* test-cgi.c - the CGI request (RFC 3875) from hostile variables and bodies, and the answers */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cgi.h"
#include "error.h"

/* body_fd - a file descriptor that reads @text (@len bytes) */
static int
body_fd (const char *text, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("test-cgi-XXXXXX", &path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (write (fd, text, len), ==, (gssize) len);
  g_assert_cmpint (lseek (fd, 0, SEEK_SET), ==, 0);
  g_unlink (path);
  return fd;
}

/* request - the request of the variables @vars ("NAME=value", NULL-terminated) with @body */
static TrCgiRequest *
request (const char *const *vars, const char *body)
{
  return tr_cgi_request_new ((char **) vars, body_fd (body, strlen (body)));
}

static void
request_free (TrCgiRequest *r)
{
  close (r->fd);
  tr_cgi_request_free (r);
}

/* the variables are cleaned and bounded; the client address only when it is one */
static void
test_variables (void)
{
  g_autofree char *long_agent = g_strnfill (1000, 'a');
  g_autofree char *agent_var = g_strconcat ("HTTP_USER_AGENT=", long_agent, NULL);
  const char *const vars[]
      = { "REQUEST_METHOD=POST",          "CONTENT_TYPE=application/tlsrpt+gzip\x1b[31m",
          "HTTP_CONTENT_ENCODING= gzip ", agent_var,
          "REMOTE_ADDR=2001:db8::25",     NULL };
  const char *const bad_addr[] = { "REQUEST_METHOD=POST", "REMOTE_ADDR=127.0.0.1; rm -rf", NULL };
  TrCgiRequest *r = request (vars, "");

  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_cmpstr (r->media_type, ==, "application/tlsrpt+gzip\\x1b[31m");
  g_assert_cmpstr (r->content_encoding, ==, "gzip");
  g_assert_cmpuint (strlen (r->user_agent), <=, TR_CGI_MAX_HEADER);
  g_assert_cmpstr (r->client_address, ==, "2001:db8::25");
  g_assert_null (r->path_info);
  g_assert_false (r->has_length);
  request_free (r);
  r = request (bad_addr, "");
  g_assert_null (r->client_address);
  request_free (r);
}

/* CONTENT_LENGTH: digits only */
static void
test_length (void)
{
  static const struct
  {
    const char *value;
    gboolean has, bad;
    guint64 length;
  } cases[] = {
    { "12", TRUE, FALSE, 12 },
    { "0", TRUE, FALSE, 0 },
    { "", FALSE, FALSE, 0 },
    { "abc", TRUE, TRUE, 0 },
    { "-1", TRUE, TRUE, 0 },
    { "+5", TRUE, TRUE, 0 },
    { " 5", TRUE, TRUE, 0 },
    { "5 ", TRUE, TRUE, 0 },
    { "0x10", TRUE, TRUE, 0 },
    { "18446744073709551615", TRUE, FALSE, G_MAXUINT64 },
    { "18446744073709551616", TRUE, TRUE, 0 },
    { "99999999999999999999999999", TRUE, TRUE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *var = g_strconcat ("CONTENT_LENGTH=", cases[i].value, NULL);
      const char *const vars[] = { "REQUEST_METHOD=POST", var, NULL };
      TrCgiRequest *r = request (vars, "");
      g_autoptr (GError) error = NULL;

      g_assert_cmpint (r->has_length, ==, cases[i].has);
      g_assert_cmpint (r->bad_length, ==, cases[i].bad);
      if (!cases[i].bad)
        g_assert_cmpuint (r->content_length, ==, cases[i].length);
      g_assert_cmpint (tr_cgi_check (r, &error), ==, !cases[i].bad);
      if (cases[i].bad)
        g_assert_error (error, TR_ERROR, TR_ERROR_DATA);
      request_free (r);
    }
}

/* only a POST to the program itself */
static void
test_check (void)
{
  const char *const get[] = { "REQUEST_METHOD=GET", NULL };
  const char *const none[] = { "CONTENT_LENGTH=3", NULL };
  const char *const post_lower[] = { "REQUEST_METHOD=post", NULL };
  const char *const extra[] = { "REQUEST_METHOD=POST", "PATH_INFO=/extra", NULL };
  const char *const slash[] = { "REQUEST_METHOD=POST", "PATH_INFO=/", NULL };
  const char *const *refused[] = { get, none, post_lower };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (GError) error = NULL;
      TrCgiRequest *r = request (refused[i], "abc");

      g_assert_false (tr_cgi_check (r, &error));
      g_assert_error (error, TR_ERROR, TR_ERROR_METHOD);
      request_free (r);
    }
  {
    g_autoptr (GError) error = NULL;
    TrCgiRequest *r = request (extra, "");

    g_assert_false (tr_cgi_check (r, &error));
    g_assert_error (error, TR_ERROR, TR_ERROR_NO_PATH);
    request_free (r);
    r = request (slash, "");
    g_assert_true (tr_cgi_check (r, NULL));
    request_free (r);
  }
}

/* read_body - tr_cgi_read_body of @body with CONTENT_LENGTH @length (NULL: none), at most @max */
static GBytes *
read_body (const char *length, const char *body, gsize max, guint64 *consumed, guint64 *drained,
           GError **error)
{
  g_autofree char *var = length ? g_strconcat ("CONTENT_LENGTH=", length, NULL) : NULL;
  const char *const vars[] = { "REQUEST_METHOD=POST", var, NULL };
  TrCgiRequest *r = request (vars, body);
  GBytes *out = tr_cgi_read_body (r, max, error);

  *consumed = r->consumed;
  *drained = tr_cgi_drain (r, 4);
  request_free (r);
  return out;
}

/* the body: CONTENT_LENGTH bytes and never more, to its end without one, bounded either way */
static void
test_body (void)
{
  GError *error = NULL;
  guint64 consumed, drained;
  GBytes *body;

  body = read_body ("5", "hello, and what follows", 10, &consumed, &drained, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "hello", 5);
  g_assert_cmpuint (consumed + drained, ==, 5); /* nothing beyond CONTENT_LENGTH */
  g_bytes_unref (body);
  /* over the limit by CONTENT_LENGTH: refused unread; then drained, bounded */
  g_assert_null (read_body ("11", "hello world", 10, &consumed, &drained, &error));
  g_assert_error (error, TR_ERROR, TR_ERROR_LIMIT);
  g_clear_error (&error);
  g_assert_cmpuint (consumed, ==, 0);
  g_assert_cmpuint (drained, ==, 4);
  /* the client went away: fewer bytes than announced */
  g_assert_null (read_body ("100", "hello", 1000, &consumed, &drained, &error));
  g_assert_error (error, TR_ERROR, TR_ERROR_DATA);
  g_clear_error (&error);
  /* no CONTENT_LENGTH (chunked): to the end, or one byte over the limit */
  body = read_body (NULL, "0123456789", 10, &consumed, &drained, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (body), ==, 10);
  g_bytes_unref (body);
  g_assert_null (read_body (NULL, "0123456789abcdef", 10, &consumed, &drained, &error));
  g_assert_error (error, TR_ERROR, TR_ERROR_LIMIT);
  g_clear_error (&error);
  g_assert_cmpuint (consumed, ==, 11);
  g_assert_cmpuint (drained, ==, 4);
  body = read_body ("0", "", 10, &consumed, &drained, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
  g_bytes_unref (body);
}

/* the answers: Status first, fixed short bodies, Retry-After with 503, Allow with 405 */
static void
test_response (void)
{
  static const guint statuses[] = { 200, 201, 400, 403, 404, 405, 413, 500, 503 };
  g_autoptr (GString) unknown = tr_cgi_response (299);
  g_autoptr (GString) internal = tr_cgi_response (500);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr (GString) r = tr_cgi_response (statuses[i]);
      g_autofree char *first = g_strdup_printf ("Status: %u ", statuses[i]);
      const char *body = strstr (r->str, "\r\n\r\n");

      g_assert_true (g_str_has_prefix (r->str, first));
      g_assert_nonnull (body);
      g_assert_null (strchr (body, '/'));
      g_assert_cmpint (strstr (r->str, "\r\nRetry-After: 300\r\n") != NULL, ==, statuses[i] == 503);
      g_assert_cmpint (strstr (r->str, "\r\nAllow: POST\r\n") != NULL, ==, statuses[i] == 405);
    }
  g_assert_cmpstr (unknown->str, ==, internal->str);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cgi/variables", test_variables);
  g_test_add_func ("/cgi/length", test_length);
  g_test_add_func ("/cgi/check", test_check);
  g_test_add_func ("/cgi/body", test_body);
  g_test_add_func ("/cgi/response", test_response);
  return g_test_run ();
}
