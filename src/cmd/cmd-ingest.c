/* cmd-ingest.c - tlsrptdb ingest: one email on stdin, its reports into SQLite
 *
 * Design (see doc/design.md):
 * - We are a delivery agent.  Exit 0 tells the MTA to delete its copy, so we exit 0 only once
 *   the message is durably in the database: as reports, or in `rejected` with the reason when it
 *   holds nothing we can use (retrying cannot fix a bad report, and a bounce goes to a no-reply
 *   address).  Everything the administrator can fix exits 75, so that the MTA keeps the message
 *   and retries: that includes our own bugs, which a last-resort handler turns into 75 too.
 * - Every input is bounded (bounds.h); what is over a limit is kept up to the limit.
 * - Silent on success; one line on stderr on failure, the detail to syslog (facility mail).
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "command.h"
#include "ingest.h"
#include "log.h"
#include "mail.h"

/* read_capped - read all of @fd, keeping at most @cap bytes; *@size gets the true size */
static GBytes *
read_capped (int fd, gsize cap, guint64 *size, GError **error)
{
  g_autoptr (GByteArray) kept = g_byte_array_new ();
  guint8 buffer[64 * 1024];

  *size = 0;
  for (;;)
    {
      ssize_t n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY, "reading standard input: %s",
                       g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;
      if (kept->len < cap)
        g_byte_array_append (kept, buffer, (guint) MIN ((gsize) n, cap - kept->len));
      *size += (guint64) n; /* drain the rest, so the MTA sees us take the whole message */
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&kept));
}

static void
ingest_options (TrContext *ctx, GOptionGroup *group)
{
  const GOptionEntry entries[] = {
    TR_SETTING_OPTION ("reject", FALSE,
                       "Exit 65 (the MTA bounces) for an unusable message, after keeping it", NULL),
    TR_SETTING_OPTION ("verbose", FALSE, "Say what was stored", NULL),
    G_OPTION_ENTRY_NULL,
  };

  g_option_group_add_entries (group, entries);
}

/* ingest_run - tlsrptdb ingest [--db PATH] [--reject] [--verbose] [--max-*] < message */
static gboolean
ingest_run (TrContext *ctx, GError **error)
{
  const TrSettings *settings = &ctx->settings;
  g_autoptr (GBytes) message = NULL;
  g_autofree char *received_at = NULL;
  g_autoptr (TrMessage) prepared = NULL;
  const char *where;
  TrIngestResult result;
  guint64 message_size = 0;

  if (geteuid () == 0)
    tr_log_warning ("running as root: MTAs do not run pipes as root, so this is probably a "
                    "set-up mistake (see tlsrptdb(1), FILES)");
  tr_mail_init ();
  message = read_capped (STDIN_FILENO, settings->limits.max_message_size, &message_size, error);
  if (message == NULL)
    {
      g_prefix_error (error, "stdin: ");
      return FALSE;
    }

  received_at = tr_store_now ();
  prepared = tr_ingest_prepare (message, message_size, received_at, settings);
  where = prepared->info->message_id ? prepared->info->message_id : "stdin";
  tr_ingest_result_init (&result);
  tr_store_set_rejected_budget (ctx->store, settings->limits.max_rejected_size);
  if (!tr_ingest_store_durably (ctx->store, prepared,
                                &(TrArrival){ .received_at = received_at, .via = "mail" }, &result,
                                error))
    {
      g_prefix_error (error, "%s: cannot store, deferred: ", where);
      tr_ingest_result_clear (&result);
      return FALSE;
    }
  tr_ingest_result_log (&result, where, settings->verbose);
  tr_ingest_result_clear (&result);
  if (prepared->unusable && settings->reject)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_DATA, "%s: %s", where, prepared->reason);
      return FALSE;
    }
  return TRUE;
}

const TrCommand tr_command_ingest = {
  .name = "ingest",
  .parameter = "< MESSAGE",
  .summary = "store the TLS-RPT report(s) in one email read from standard input",
  .description = "Store the TLS-RPT report(s) of the email on standard input.",
  .flags = TR_COMMAND_SETTINGS | TR_COMMAND_PIPELINE | TR_COMMAND_DELIVERY,
  .store = TR_COMMAND_CREATE,
  .max_args = 0,
  .options = ingest_options,
  .run = ingest_run,
};
