/* cgi.c - the CGI protocol (RFC 3875): the request from the environment and the body, bounded;
 * the answer, always with a Status line first
 *
 * Facts from the web servers (tests/https/FACTS.md): Apache streams a chunked body without
 * CONTENT_LENGTH, and loses the answer of a program that did not read its body; lighttpd passes
 * a body without headers on as 200; a client that goes away mid-body gives EOF early.  So the
 * body is read to CONTENT_LENGTH (or to its end, bounded), what is left of it is read and thrown
 * away (bounded) before any answer, and every answer starts with "Status:".
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cgi.h"
#include "error.h"
#include "escape.h"

/* header_value - @value as kept: visible escapes for controls, at most TR_CGI_MAX_HEADER bytes;
 * NULL when absent or blank */
static char *
header_value (const char *value)
{
  g_autofree char *escaped = NULL;
  g_autofree char *stripped = NULL;

  if (value == NULL)
    return NULL;
  stripped = g_strstrip (g_strdup (value));
  if (*stripped == '\0')
    return NULL;
  escaped = tr_escape_text (stripped);
  return tr_escape_cut (escaped, TR_CGI_MAX_HEADER);
}

/* parse_length - CONTENT_LENGTH: digits only (RFC 3875 4.1.2), no sign, no blanks */
static gboolean
parse_length (const char *text, guint64 *length)
{
  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  return g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, length, NULL);
}

/* tr_cgi_request_new - the request of @envp (NULL: the process's environment) */
TrCgiRequest *
tr_cgi_request_new (char **envp, int fd)
{
  g_auto (GStrv) own = envp == NULL ? g_get_environ () : NULL;
  char **env = envp != NULL ? envp : own;
  TrCgiRequest *request = g_new0 (TrCgiRequest, 1);
  const char *length = g_environ_getenv (env, "CONTENT_LENGTH");
  const char *address = g_environ_getenv (env, "REMOTE_ADDR");

  request->method = header_value (g_environ_getenv (env, "REQUEST_METHOD"));
  request->path_info = header_value (g_environ_getenv (env, "PATH_INFO"));
  request->media_type = header_value (g_environ_getenv (env, "CONTENT_TYPE"));
  request->content_encoding = header_value (g_environ_getenv (env, "HTTP_CONTENT_ENCODING"));
  request->user_agent = header_value (g_environ_getenv (env, "HTTP_USER_AGENT"));
  if (address != NULL && strlen (address) <= 64 && g_hostname_is_ip_address (address))
    request->client_address = g_strdup (address);
  request->has_length = length != NULL && *length != '\0';
  request->bad_length = request->has_length && !parse_length (length, &request->content_length);
  request->fd = fd;
  return request;
}

void
tr_cgi_request_free (TrCgiRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->method);
  g_free (request->path_info);
  g_free (request->media_type);
  g_free (request->content_encoding);
  g_free (request->user_agent);
  g_free (request->client_address);
  g_free (request);
}

/* tr_cgi_check - a POST to the program itself */
gboolean
tr_cgi_check (const TrCgiRequest *request, GError **error)
{
  if (g_strcmp0 (request->method, "POST") != 0)
    g_set_error (error, TR_ERROR, TR_ERROR_METHOD, "method %s: only POST is taken",
                 request->method ? request->method : "(none)");
  else if (request->path_info != NULL && strcmp (request->path_info, "/") != 0)
    g_set_error (error, TR_ERROR, TR_ERROR_NO_PATH, "no report address %s here",
                 request->path_info);
  else if (request->bad_length)
    g_set_error (error, TR_ERROR, TR_ERROR_DATA, "CONTENT_LENGTH is not a number");
  else
    return TRUE;
  return FALSE;
}

/* read_some - up to @len bytes of the body into @buffer; 0 at its end, -1 on error (errno) */
static gssize
read_some (TrCgiRequest *request, guint8 *buffer, gsize len)
{
  gssize n;

  if (request->at_eof || len == 0)
    return 0;
  do
    n = read (request->fd, buffer, len);
  while (n < 0 && errno == EINTR);
  if (n == 0)
    request->at_eof = TRUE;
  if (n > 0)
    request->consumed += (guint64) n;
  return n;
}

/* tr_cgi_read_body - the whole body, at most @max bytes */
GBytes *
tr_cgi_read_body (TrCgiRequest *request, gsize max, GError **error)
{
  g_autoptr (GByteArray) body = g_byte_array_new ();
  guint64 want = request->has_length ? request->content_length : (guint64) max + 1;
  guint8 buffer[64 * 1024];

  if (request->has_length && request->content_length > max)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_LIMIT,
                   "a body of %" G_GUINT64_FORMAT " bytes, over the limit of %" G_GSIZE_FORMAT
                   " (max-message-size)",
                   request->content_length, max);
      return NULL;
    }
  while (body->len < want)
    {
      gssize n = read_some (request, buffer, (gsize) MIN (sizeof buffer, want - body->len));

      if (n < 0)
        {
          int saved_errno = errno;
          g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY, "reading the body: %s",
                       g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;
      g_byte_array_append (body, buffer, (guint) n);
    }
  if (!request->has_length && body->len > max)
    g_set_error (error, TR_ERROR, TR_ERROR_LIMIT,
                 "a body over the limit of %" G_GSIZE_FORMAT " bytes (max-message-size)", max);
  else if (request->has_length && body->len < want)
    g_set_error (error, TR_ERROR, TR_ERROR_DATA,
                 "the body ended after %u of %" G_GUINT64_FORMAT " bytes (the client went away?)",
                 body->len, want);
  else
    return g_byte_array_free_to_bytes (g_steal_pointer (&body));
  return NULL;
}

/* tr_cgi_drain - read and throw away what is left of the body, at most @max bytes */
guint64
tr_cgi_drain (TrCgiRequest *request, guint64 max)
{
  guint8 buffer[64 * 1024];
  guint64 drained = 0;

  while (drained < max)
    {
      guint64 left = max - drained;
      gssize n;

      if (request->has_length && !request->bad_length)
        left = MIN (left,
                    request->content_length - MIN (request->consumed, request->content_length));
      n = read_some (request, buffer, (gsize) MIN (sizeof buffer, left));
      if (n <= 0)
        break;
      drained += (guint64) n;
    }
  return drained;
}

/* The answers: a status, its reason phrase, and the body every sender gets with it. */
static const struct
{
  guint status;
  const char *phrase;
  const char *text;
} answers[] = {
  { 200, "OK", "duplicate: this report was stored before" },
  { 201, "Created", "stored" },
  { 400, "Bad Request", "not a usable TLS report" },
  { 403, "Forbidden", "not taken: this receiver does not accept this report" },
  { 404, "Not Found", "no report address here" },
  { 405, "Method Not Allowed", "only POST" },
  { 413, "Content Too Large", "report too large" },
  { 500, "Internal Server Error", "internal error; try again later" },
  { 503, "Service Unavailable", "cannot store reports now; try again later" },
};

/* tr_cgi_response - the answer with @status, headers and body */
GString *
tr_cgi_response (guint status)
{
  GString *out = g_string_new (NULL);
  guint i = 0;

  while (i < G_N_ELEMENTS (answers) && answers[i].status != status)
    i++;
  if (i == G_N_ELEMENTS (answers))
    for (i = 0, status = 500; answers[i].status != status; i++)
      ;
  g_string_append_printf (out, "Status: %u %s\r\nContent-Type: text/plain; charset=utf-8\r\n",
                          status, answers[i].phrase);
  if (status == 503)
    g_string_append_printf (out, "Retry-After: %u\r\n", TR_CGI_RETRY_AFTER);
  if (status == 405)
    g_string_append (out, "Allow: POST\r\n");
  g_string_append_printf (out, "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n%s\n",
                          strlen (answers[i].text) + 1, answers[i].text);
  return out;
}

/* tr_cgi_answer - drain the body, then answer with @status on standard output */
gboolean
tr_cgi_answer (TrCgiRequest *request, guint status)
{
  g_autoptr (GString) answer = tr_cgi_response (status);
  gsize done = 0;

  tr_cgi_drain (request, TR_CGI_MAX_DRAIN);
  while (done < answer->len)
    {
      ssize_t n = write (STDOUT_FILENO, answer->str + done, answer->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += (gsize) n;
    }
  return TRUE;
}
