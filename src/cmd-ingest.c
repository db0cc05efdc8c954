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
#include "dbpath.h"
#include "error.h"
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
store_message (TrStore *store, const TrMessage *message, const char *received_at,
               TrIngestResult *result, GError **error)
{
  if (!tr_store_begin (store, error))
    return FALSE;
  if (!tr_ingest_store (store, message, received_at, result, error))
    {
      tr_store_rollback (store);
      return FALSE;
    }
  return tr_store_commit (store, error);
}

/* parse_count - a positive whole number, with a K, M or G suffix if @suffix, into @out */
static gboolean
parse_count (const char *text, gboolean suffix, guint64 max, guint64 *out)
{
  char *end = NULL;
  guint64 value, scale = 1;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  errno = 0;
  value = g_ascii_strtoull (text, &end, 10);
  if (errno != 0)
    return FALSE;
  switch (suffix ? g_ascii_toupper (*end) : '\0')
    {
      case 'K':
        scale = 1024, end++;
        break;
      case 'M':
        scale = 1024 * 1024, end++;
        break;
      case 'G':
        scale = 1024 * 1024 * 1024, end++;
        break;
      default:
        break;
    }
  if (*end != '\0' || value == 0 || value > max / scale)
    return FALSE;
  *out = value * scale;
  return TRUE;
}

static TrSettings opt_settings = TR_SETTINGS_INIT;

/* limit_option - the callback of every --max-* option */
static gboolean
limit_option (const char *name, const char *value, gpointer data, GError **error)
{
  guint64 n;
  gboolean is_size = g_str_has_suffix (name, "-size");

  if (!parse_count (value, is_size, is_size ? G_MAXSIZE / 2 : G_MAXINT, &n))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s wants a positive %s, not \"%s\"", name,
                   is_size ? "size such as 25M" : "whole number", value);
      return FALSE;
    }
  if (strcmp (name, "--max-message-size") == 0)
    opt_settings.limits.max_message_size = (gsize) n;
  else if (strcmp (name, "--max-inflated-size") == 0)
    opt_settings.limits.max_inflated_size = (gsize) n;
  else if (strcmp (name, "--max-json-depth") == 0)
    opt_settings.limits.max_json_depth = (guint) n;
  else if (strcmp (name, "--max-json-values") == 0)
    opt_settings.limits.max_json_values = (gsize) n;
  else if (strcmp (name, "--max-reports") == 0)
    opt_settings.limits.max_reports = (guint) n;
  return TRUE;
}

/* fatal_signal - last resort: a crash must defer the message (75), never bounce or lose it */
static void
fatal_signal (int signo)
{
  static const char text[] = PACKAGE_NAME " ingest: internal error (fatal signal): deferred\n";

  (void) signo;
  (void) !write (STDERR_FILENO, text, sizeof text - 1);
  _exit (EX_TEMPFAIL);
}

#if defined(__SANITIZE_ADDRESS__)
#define TR_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define TR_SANITIZED 1
#endif
#endif

static void
install_last_resort (void)
{
#ifndef TR_SANITIZED /* the sanitizers' own reports matter more in a test build */
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
  g_autofree char *opt_db = NULL;
  gboolean opt_reject = FALSE, opt_verbose = FALSE, exit_now = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, "Database file", "PATH" },
    { "reject", 0, 0, G_OPTION_ARG_NONE, &opt_reject,
      "Exit 65 (the MTA bounces) for an unusable message, after keeping it", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Say what was stored", NULL },
    { "max-message-size", 0, 0, G_OPTION_ARG_CALLBACK, limit_option,
      "Largest message kept whole (default 25M)", "SIZE" },
    { "max-inflated-size", 0, 0, G_OPTION_ARG_CALLBACK, limit_option,
      "Largest decompressed report (default 32M)", "SIZE" },
    { "max-json-depth", 0, 0, G_OPTION_ARG_CALLBACK, limit_option,
      "Deepest JSON nesting (default 64)", "N" },
    { "max-json-values", 0, 0, G_OPTION_ARG_CALLBACK, limit_option,
      "Most JSON values (containers and commas) in one report (default 1500000)", "N" },
    { "max-reports", 0, 0, G_OPTION_ARG_CALLBACK, limit_option,
      "Most report parts taken from one message (default 16)", "N" },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) message = NULL;
  g_autoptr (TrStore) store = NULL;
  g_autofree char *path = NULL;
  g_autofree char *received_at = NULL;
  g_autoptr (TrMessage) prepared = NULL;
  const char *where;
  TrIngestResult result;
  guint64 message_size = 0;
  int status;

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

  tr_mail_init ();
  path = tr_db_path (opt_db);
  message = read_capped (STDIN_FILENO, opt_settings.limits.max_message_size, &message_size, &error);
  if (message == NULL)
    {
      tr_log_error ("stdin", NULL, "%s", error->message);
      return tr_exit_code (error, TR_EXIT_MODE_DELIVERY);
    }

  prepared = tr_ingest_prepare (message, message_size, &opt_settings);
  where = prepared->info->message_id ? prepared->info->message_id : "stdin";
  received_at = tr_store_now ();
  tr_ingest_result_init (&result);
  store = tr_store_open (path, TR_STORE_READ_WRITE, &error);
  if (store == NULL || !store_message (store, prepared, received_at, &result, &error))
    {
      tr_log_error (where, NULL, "cannot store, deferred: %s", error->message);
      tr_ingest_result_clear (&result);
      return tr_exit_code (error, TR_EXIT_MODE_DELIVERY);
    }

  for (guint i = 0; i < result.lines->len; i++)
    {
      const char *line = g_ptr_array_index (result.lines, i);
      tr_log_notice ("%s: %s", where, line);
      if (opt_verbose)
        printf ("%s\n", line);
    }
  status = EX_OK;
  if (prepared->unusable && opt_reject)
    {
      tr_log_error (where, NULL, "%s", prepared->reason);
      status = EX_DATAERR;
    }
  tr_ingest_result_clear (&result);
  return status;
}
