/* cmd-cgi.c - tlsrptdb cgi: one report POSTed over HTTPS (RFC 8460 rua=https://), run by the
 * site's web server as a CGI program (RFC 3875), into the same database as the mail
 *
 * Design (see doc/design.md, "Receiving over HTTPS"):
 * - We are run per request, never a daemon; the web server terminates TLS.  Under
 *   GATEWAY_INTERFACE main() runs this command whatever the arguments, since Apache makes a
 *   query string without '=' the program's arguments (tests/https/FACTS.md).
 * - The body is the report itself (gzip, zip or JSON by its content, whatever its media type;
 *   Content-Encoding: gzip undone), never a mail; then the same path as ingest: limits, scope,
 *   dedup by (reporter, report-id, content) across mail and HTTPS, `rejected` with the request's
 *   facts instead of mail headers.
 * - The answer says whether retrying can help: 201 stored, 200 duplicate, 400 unusable (kept in
 *   `rejected`), 403 not taken (scope), 413 over max-message-size (never kept), 404/405 not a
 *   POST to us, 503 + Retry-After for what the administrator can fix (as 75 makes an MTA
 *   retry), 500 for our own bug.  A 2xx only once the report is durable.  context.c answers,
 *   after the rest of the body is read, with texts that never name a path.
 * - The request is checked and read before the database is opened: a refused request neither
 *   opens nor creates it, and without a configured database (the web server's user has no
 *   place of its own) the answer is 503.
 * - Anyone can POST: a body is bounded by max-message-size, what it may add by
 *   max-storage-ratio, junk kept in `rejected` by max-rejected-size and max-rejected-requests.
 */
#include "config.h"

#include "command.h"
#include "ingest.h"

static void
cgi_options (TrContext *ctx, GOptionGroup *group)
{
  const GOptionEntry entries[] = {
    TR_SETTING_OPTION ("max-rejected-requests", TRUE,
                       "Requests `rejected` may hold; beyond it a bad one is only logged (default "
                       "10000)",
                       "N"),
    G_OPTION_ENTRY_NULL,
  };

  g_option_group_add_entries (group, entries);
}

/* cgi_prepare - a POST to the program itself, before the config file and the database */
static gboolean
cgi_prepare (TrContext *ctx, GError **error)
{
  return tr_cgi_check (ctx->request, error);
}

/* database_named - whether the administrator named the database: the web server's user has no
 * home of its own for the default place */
static gboolean
database_named (TrContext *ctx, GError **error)
{
  const char *env = g_getenv ("TLSRPTDB_DB");

  if (ctx->settings.db != NULL || (env != NULL && *env != '\0'))
    return TRUE;
  g_set_error (error, TR_ERROR, TR_ERROR_CONFIG,
               "no database configured: set db in the config file (TLSRPTDB_CONFIG, else "
               "%s) or TLSRPTDB_DB",
               TR_SETTINGS_DEFAULT_FILE);
  return FALSE;
}

/* decide - the answer to a request whose body was stored as @message was (@result) */
static gboolean
decide (TrCgiRequest *request, const TrMessage *message, const TrIngestResult *result,
        GError **error)
{
  if (result->stored > 0)
    request->status = 201;
  else if (result->duplicates > 0)
    request->status = 200;
  else if (message->unusable || message->reason == NULL)
    g_set_error (error, TR_ERROR, TR_ERROR_DATA, "%s",
                 message->reason ? message->reason : "no report");
  else
    g_set_error (error, TR_ERROR, TR_ERROR_REFUSED, "%s", message->reason);
  return request->status != 0;
}

/* cgi_run - tlsrptdb cgi [OPTION...] < BODY, with the CGI variables */
static gboolean
cgi_run (TrContext *ctx, GError **error)
{
  TrCgiRequest *request = ctx->request;
  const TrSettings *settings = &ctx->settings;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (TrMessage) prepared = NULL;
  g_autofree char *received_at = NULL;
  g_autofree char *where = NULL;
  TrIngestResult result;
  gboolean ok;

  body = tr_cgi_read_body (request, settings->limits.max_message_size, error);
  if (body == NULL || !database_named (ctx, error))
    return FALSE;
  received_at = tr_store_now ();
  prepared = tr_ingest_prepare_request (body, request->content_encoding, received_at, settings);
  ctx->store = tr_store_open (ctx->db, TR_STORE_CREATE, error);
  if (ctx->store == NULL)
    return FALSE;
  tr_store_set_rejected_budget (ctx->store, settings->limits.max_rejected_size);
  tr_store_set_rejected_requests (ctx->store, settings->limits.max_rejected_requests);
  tr_ingest_result_init (&result);
  ok = tr_ingest_store_durably (ctx->store, prepared,
                                &(TrArrival){ .received_at = received_at,
                                              .via = "https",
                                              .client_address = request->client_address,
                                              .media_type = request->media_type,
                                              .content_encoding = request->content_encoding,
                                              .user_agent = request->user_agent },
                                &result, error);
  where = g_strdup_printf ("https %s", request->client_address ? request->client_address : "-");
  if (ok)
    ok = decide (request, prepared, &result, error);
  else
    g_prefix_error (error, "cannot store: ");
  tr_ingest_result_log (&result, where, FALSE);
  tr_ingest_result_clear (&result);
  return ok;
}

const TrCommand tr_command_cgi = {
  .name = "cgi",
  .parameter = "< BODY",
  .summary = "store a report POSTed over HTTPS: run by the web server as a CGI program",
  .description
  = "Store the TLS-RPT report POSTed over HTTPS (rua=https://...), as a CGI program (RFC 3875) "
    "run by the web server; the request comes in the CGI variables and standard input, the "
    "answer is an HTTP status on standard output.  With GATEWAY_INTERFACE set, tlsrptdb runs "
    "this command whatever its arguments.",
  .flags = TR_COMMAND_SETTINGS | TR_COMMAND_PIPELINE | TR_COMMAND_DELIVERY | TR_COMMAND_CGI,
  .store = TR_COMMAND_NO_STORE, /* opened by run(), once the request was read */
  .max_args = 0,
  .options = cgi_options,
  .prepare = cgi_prepare,
  .run = cgi_run,
};
