/* cmd-inspect.c - tlsrptdb inspect [FILE|-]...: read a report without storing it
 *
 * Each input (an email, a bare .json, .json.gz or .zip report, an mbox file, a directory, or
 * standard input: whatever import reads, through source.c) is taken apart by the same call as
 * ingest (tr_ingest_prepare), under the settings of the config file and the options: limits,
 * scope and trust.  What ingest would store is printed as show prints a stored report; no
 * database is opened.  The exit status says whether ingest would store every message whole:
 * 0 when it would, 65 when one would be kept in `rejected` (its reason is printed), 66 when an
 * input does not exist.
 */
#include "config.h"

#include "command.h"
#include "ingest.h"
#include "log.h"
#include "mail.h"
#include "query.h"
#include "source.h"

static gboolean
inspect_prepare (TrContext *ctx, GError **error)
{
  tr_mail_init ();
  return TRUE;
}

/* What inspect saw. */
typedef struct
{
  guint messages;
  guint unusable; /* messages ingest would keep in `rejected` */
  guint unreadable;
  guint missing; /* inputs that do not exist */
} Inspect;

/* inspect_one - take one message apart and print it */
static void
inspect_one (TrContext *ctx, GBytes *bytes, guint64 size, const char *where,
             const char *received_at, Inspect *seen)
{
  g_autoptr (TrMessage) message = tr_ingest_prepare (bytes, size, received_at, &ctx->settings);
  TrInspected inspected = {
    .input = where,
    .size = message->message_size,
    .reason = message->reason,
    .info = message->info,
    .reports = message->reports,
  };

  tr_query_inspect_message (ctx->printer, &inspected);
  seen->messages++;
  if (message->reason != NULL)
    seen->unusable++;
}

/* inspect_error - the exit status of what was seen, as an error (or none) */
static gboolean
inspect_error (const Inspect *seen, GError **error)
{
  if (seen->missing > 0 && seen->messages == 0)
    g_set_error (error, TR_ERROR, TR_ERROR_NOT_FOUND, "no input could be read");
  else if (seen->unreadable > 0)
    g_set_error (error, TR_ERROR, TR_ERROR_DATA, "%u input%s could not be read", seen->unreadable,
                 seen->unreadable == 1 ? "" : "s");
  else if (seen->messages == 0)
    g_set_error (error, TR_ERROR, TR_ERROR_DATA, "no message in the input");
  else if (seen->unusable > 0)
    g_set_error (error, TR_ERROR, TR_ERROR_DATA,
                 "%u of %u message%s would be kept in `rejected` (the reason is in the output)",
                 seen->unusable, seen->messages, seen->messages == 1 ? "" : "s");
  return error == NULL || *error == NULL;
}

/* inspect_run - every message of the inputs (standard input without any) */
static gboolean
inspect_run (TrContext *ctx, GError **error)
{
  static const char *const standard_input[] = { "-", NULL };
  const char *const *paths = ctx->argc > 1 ? (const char *const *) ctx->argv + 1 : standard_input;
  g_autoptr (TrSource) source = tr_source_new (paths, ctx->settings.limits.max_message_size);
  g_autofree char *received_at = tr_store_now ();
  Inspect seen = { 0 };

  tr_query_inspect_begin (ctx->printer);
  for (;;)
    {
      g_autoptr (GBytes) bytes = NULL;
      g_autofree char *where = NULL;
      g_autoptr (GError) input_error = NULL;
      guint64 size;
      TrSourceStatus status = tr_source_next (source, &bytes, &size, &where, &input_error);

      if (status == TR_SOURCE_END)
        break;
      if (status == TR_SOURCE_MESSAGE)
        {
          inspect_one (ctx, bytes, size, where, received_at, &seen);
          continue;
        }
      tr_log_error (where, "%s", input_error->message);
      seen.unreadable++;
      if (g_error_matches (input_error, TR_ERROR, TR_ERROR_NOT_FOUND))
        seen.missing++;
    }
  if (!tr_printer_end (ctx->printer, error))
    return FALSE;
  return inspect_error (&seen, error);
}

const TrCommand tr_command_inspect = {
  .name = "inspect",
  .parameter = "[FILE|-]...",
  .summary = "read a report without storing it: what ingest would store, and why not",
  .description = "Take each message or report file (an email, .json, .json.gz, .zip, an mbox "
                 "file, a directory; standard input without FILE) apart as ingest would, under "
                 "the settings of the config file, and print what it would store: the mail "
                 "facts, the trust verdict, each policy with its counts and failure details, the "
                 "parse warnings and what the result types mean.  No database is opened.  Exit "
                 "0 when every message would be stored whole, 65 when one would be kept in "
                 "`rejected` (with the reason).  See tlsrptdb-inspect(1).",
  .flags = TR_COMMAND_SETTINGS | TR_COMMAND_PIPELINE | TR_COMMAND_FORMAT,
  .store = TR_COMMAND_NO_STORE,
  .max_args = G_MAXUINT,
  .prepare = inspect_prepare,
  .run = inspect_run,
};
