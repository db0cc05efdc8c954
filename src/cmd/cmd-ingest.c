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
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "commands.h"
#include "cli.h"
#include "error.h"
#include "escape.h"
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

/* store_message - one message in one transaction: whole or not at all */
static gboolean
store_message (TrStore *store, const TrMessage *message, const TrArrival *arrival,
               TrIngestResult *result, GError **error)
{
  if (!tr_store_begin (store, error))
    return FALSE;
  if (!tr_ingest_store (store, message, arrival, TRUE, result, error))
    {
      tr_store_rollback (store);
      return FALSE;
    }
  if (result->stored == 0 && result->rejected == 0 && result->authenticated == 0)
    return tr_store_commit_relaxed (store, error); /* only counted repeats */
  return tr_store_commit (store, error);
}

#if defined(__SANITIZE_ADDRESS__)
#define TR_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define TR_SANITIZED 1
#endif
#endif

#ifndef TR_SANITIZED /* the sanitizers' own reports matter more in a test build */
/* fatal_signal - last resort: a crash must defer the message (75), never bounce or lose it */
static void
fatal_signal (int signo)
{
  static const char text[] = PACKAGE_NAME " ingest: internal error (fatal signal): deferred\n";

  (void) signo;
  (void) !write (STDERR_FILENO, text, sizeof text - 1);
  _exit (EX_TEMPFAIL);
}
#endif

static void
install_last_resort (void)
{
#ifndef TR_SANITIZED
  static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
  struct sigaction action = { 0 };

  action.sa_handler = fatal_signal;
  sigemptyset (&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  for (guint i = 0; i < G_N_ELEMENTS (fatal); i++)
    sigaction (fatal[i], &action, NULL);
#endif
}

/* cmd_ingest - tlsrptdb ingest [--db PATH] [--reject] [--verbose] [--max-*] < message */
int
cmd_ingest (int argc, char **argv)
{
  g_autofree char *opt_config = NULL;
  gboolean exit_now = FALSE;
  const GOptionEntry entries[] = {
    TR_SETTING_OPTION ("db", TRUE, "Database file", "PATH"),
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
      "Config file (default $TLSRPTDB_CONFIG, else " TR_SETTINGS_DEFAULT_FILE " if present)",
      "PATH" },
    TR_SETTING_OPTION ("reject", FALSE,
                       "Exit 65 (the MTA bounces) for an unusable message, after keeping it", NULL),
    TR_SETTING_OPTION ("verbose", FALSE, "Say what was stored", NULL),
    TR_PIPELINE_OPTIONS,
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) message = NULL;
  g_autoptr (TrStore) store = NULL;
  g_autofree char *path = NULL;
  g_autofree char *received_at = NULL;
  TrArrival arrival = { .via = "mail" };
  g_autoptr (TrMessage) prepared = NULL;
  const char *where;
  TrIngestResult result;
  guint64 message_size = 0;
  int status;
  g_auto (TrSettings) settings = TR_SETTINGS_INIT;

  install_last_resort ();
  tr_log_open ("ingest", TRUE);
  if (!tr_parse_options ("ingest", "< MESSAGE",
                         "Store the TLS-RPT report(s) of the email on standard input.", entries,
                         &argc, &argv, &exit_now, &error))
    {
      tr_log_error (NULL, NULL, "%s", error->message);
      return tr_exit_code (error, TR_EXIT_MODE_DELIVERY);
    }
  if (exit_now)
    return EX_OK;
  if (argc > 1)
    {
      tr_log_error (NULL, NULL, "unexpected argument \"%s\" (the message is read from stdin)",
                    argv[1]);
      return EX_TEMPFAIL;
    }

  if (!tr_cli_settings_load (&settings, opt_config, &path, &error))
    {
      tr_log_error (NULL, NULL, "%s", error->message);
      return tr_exit_code (error, TR_EXIT_MODE_DELIVERY);
    }
  if (geteuid () == 0)
    tr_log_warning ("running as root: MTAs do not run pipes as root, so this is probably a "
                    "set-up mistake (see tlsrptdb(1), FILES)");

  tr_mail_init ();
  message = read_capped (STDIN_FILENO, settings.limits.max_message_size, &message_size, &error);
  if (message == NULL)
    {
      tr_log_error ("stdin", NULL, "%s", error->message);
      return tr_exit_code (error, TR_EXIT_MODE_DELIVERY);
    }

  received_at = tr_store_now ();
  prepared = tr_ingest_prepare (message, message_size, received_at, &settings);
  where = prepared->info->message_id ? prepared->info->message_id : "stdin";
  tr_ingest_result_init (&result);
  arrival.received_at = received_at;
  store = tr_store_open (path, TR_STORE_CREATE, &error);
  if (store != NULL)
    tr_store_set_rejected_budget (store, settings.limits.max_rejected_size);
  if (store == NULL || !store_message (store, prepared, &arrival, &result, &error))
    {
      tr_log_error (where, NULL, "cannot store, deferred: %s", error->message);
      tr_ingest_result_clear (&result);
      return tr_exit_code (error, TR_EXIT_MODE_DELIVERY);
    }

  for (guint i = 0; i < result.lines->len; i++)
    {
      const char *line = g_ptr_array_index (result.lines, i);
      tr_log_notice ("%s: %s", where, line);
      if (settings.verbose)
        {
          g_autofree char *shown = tr_escape_text (line);

          printf ("%s\n", shown);
        }
    }
  if (result.conflicts > 0)
    tr_log_warning ("%s: %u report%s stored beside a report with the same reporter and report-id "
                    "but other content: a conflict, see tlsrptdb query reports",
                    where, result.conflicts, result.conflicts == 1 ? "" : "s");
  status = EX_OK;
  if (prepared->unusable && settings.reject)
    {
      tr_log_error (where, NULL, "%s", prepared->reason);
      status = EX_DATAERR;
    }
  tr_ingest_result_clear (&result);
  return status;
}
