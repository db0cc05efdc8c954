/* log.c - stderr for the person or MTA watching, syslog (LOG_MAIL) for the record
 *
 * Postfix and Exim copy what a pipe prints into their log and into bounces, so stderr gets one
 * short line and only on failure; syslog gets the detail (OpenSMTPD log.c does the same).
 * Messages carry strings from the mail (Message-IDs, reasons naming domains), so every line is
 * escaped (escape.c) and cut to LOG_MAX_LINE bytes before it is written anywhere.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "escape.h"
#include "log.h"

/* the longest line written to stderr or syslog, in bytes */
#define LOG_MAX_LINE 2048

static char *log_prefix;
static gboolean log_syslog;

/* tr_log_open - start logging as "tlsrptdb COMMAND"; @use_syslog for the MTA-facing commands */
void
tr_log_open (const char *command, gboolean use_syslog)
{
  g_free (log_prefix);
  log_prefix = g_strdup_printf ("%s %s", PACKAGE_NAME, command);
  log_syslog = use_syslog;
  if (use_syslog)
    openlog (PACKAGE_NAME, LOG_PID, LOG_MAIL);
}

/* safe_line - @text escaped onto one line and cut to LOG_MAX_LINE bytes */
static char *
safe_line (const char *text)
{
  g_autofree char *escaped = tr_escape_text (text);

  return tr_escape_cut (escaped, LOG_MAX_LINE);
}

/* tr_log_error - "tlsrptdb COMMAND: WHERE: MESSAGE" on stderr, and to syslog */
void
tr_log_error (const char *where, const char *format, ...)
{
  int saved_errno = errno;
  g_autofree char *message = NULL;
  g_autofree char *line = NULL;
  g_autofree char *safe = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  line = g_strconcat (where ? where : "", where ? ": " : "", message, NULL);
  safe = safe_line (line);
  fprintf (stderr, "%s: %s\n", log_prefix ? log_prefix : PACKAGE_NAME, safe);
  if (log_syslog)
    syslog (LOG_ERR, "%s", safe);
  errno = saved_errno;
}

/* tr_log_notice - syslog only (info level): what ingest did, for the mail log */
void
tr_log_notice (const char *format, ...)
{
  int saved_errno = errno;
  g_autofree char *message = NULL;
  g_autofree char *safe = NULL;
  va_list args;

  if (!log_syslog)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  safe = safe_line (message);
  syslog (LOG_INFO, "%s", safe);
  errno = saved_errno;
}

/* tr_log_warning - to syslog for the MTA-facing commands, else to stderr */
void
tr_log_warning (const char *format, ...)
{
  int saved_errno = errno;
  g_autofree char *message = NULL;
  g_autofree char *safe = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  safe = safe_line (message);
  if (log_syslog)
    syslog (LOG_WARNING, "%s", safe);
  else
    fprintf (stderr, "%s: warning: %s\n", log_prefix ? log_prefix : PACKAGE_NAME, safe);
  errno = saved_errno;
}
