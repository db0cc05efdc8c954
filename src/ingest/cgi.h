/* cgi.h - the CGI protocol (RFC 3875) for `tlsrptdb cgi`: the request from the environment and
 * the body on a file descriptor, read with bounds; the answer, written after the body was read
 *
 * Everything here comes from a stranger: the variables are cleaned (valid UTF-8, controls made
 * visible, cut), CONTENT_LENGTH must be digits, and nothing is read beyond the bounds given.
 * What the web servers do with a CGI program, measured: tests/https/FACTS.md.
 */
#pragma once

#include <glib.h>

/* the longest request header value kept (Content-Type, Content-Encoding, User-Agent) */
#define TR_CGI_MAX_HEADER 255
/* what is read and thrown away at most, before an answer, of a body that is not used: Apache
 * loses the answer of a program that did not read its body (FACTS.md), and a body that goes on
 * beyond this is the web server's limit to enforce (LimitRequestBody) */
#define TR_CGI_MAX_DRAIN (G_GUINT64_CONSTANT (64) * 1024 * 1024)
/* Retry-After of a 503, in seconds: a lock passes in seconds, a full disk or a broken config
 * needs the administrator; senders back off from there */
#define TR_CGI_RETRY_AFTER 300

typedef struct
{
  char *method;           /* REQUEST_METHOD, or NULL */
  char *path_info;        /* PATH_INFO, or NULL when absent or empty */
  char *media_type;       /* CONTENT_TYPE as sent, or NULL */
  char *content_encoding; /* HTTP_CONTENT_ENCODING, or NULL */
  char *user_agent;       /* HTTP_USER_AGENT, or NULL */
  char *client_address;   /* REMOTE_ADDR when it is an IP address, else NULL */
  gboolean has_length;    /* CONTENT_LENGTH was given (not empty) */
  gboolean bad_length;    /* ... but is not a decimal number */
  guint64 content_length;
  int fd;           /* the body (standard input) */
  guint64 consumed; /* bytes of it read so far */
  gboolean at_eof;  /* it ended */
  guint status;     /* the answer when the command succeeds (201, 200), set by it */
} TrCgiRequest;

/* tr_cgi_request_new - the request that @envp (NULL: the process's environment) describes, its body
 * on
 * @fd.  Never fails: what is wrong with it is found by tr_cgi_check and tr_cgi_read_body. */
TrCgiRequest *tr_cgi_request_new (char **envp, int fd);
void tr_cgi_request_free (TrCgiRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrCgiRequest, tr_cgi_request_free)

/* tr_cgi_check - whether @request is one the receiver takes, before anything is read or opened:
 * a POST to the program itself.
 * Errors: TR_ERROR_METHOD (not POST), TR_ERROR_NO_PATH (a PATH_INFO), TR_ERROR_DATA (a
 * CONTENT_LENGTH that is no number). */
gboolean tr_cgi_check (const TrCgiRequest *request, GError **error);

/* tr_cgi_read_body - the whole body, at most @max bytes: CONTENT_LENGTH bytes, or to the end
 * when there is none (Apache, chunked).  A CONTENT_LENGTH over @max is refused without reading.
 * Errors: TR_ERROR_LIMIT (over @max), TR_ERROR_DATA (it ended before CONTENT_LENGTH bytes: the
 * client went away), TR_ERROR_TEMPORARY (a read error). */
GBytes *tr_cgi_read_body (TrCgiRequest *request, gsize max, GError **error);

/* tr_cgi_drain - read and throw away what is left of the body, at most @max bytes (never more
 * than CONTENT_LENGTH in all); the bytes thrown away */
guint64 tr_cgi_drain (TrCgiRequest *request, guint64 max);

/* tr_cgi_response - the whole answer with @status: the Status line first, a short text body
 * that is the same for every request with that status (never a path or a message of ours),
 * Retry-After with a 503, Allow with a 405.  An unknown @status is 500. */
GString *tr_cgi_response (guint status);

/* tr_cgi_answer - drain the body (TR_CGI_MAX_DRAIN) and write tr_cgi_response (@status) on
 * standard output; FALSE when it could not be written (the client or server went away) */
gboolean tr_cgi_answer (TrCgiRequest *request, guint status);
