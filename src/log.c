/* log.c - stderr for the person or MTA watching, syslog (LOG_MAIL) for the record
 *
 * Postfix and Exim copy what a pipe prints into their log and into bounces, so stderr gets one
 * short line and only on failure; syslog gets the detail (OpenSMTPD log.c does the same).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <syslog.h>

#include "log.h"

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

/* tr_log_error - "tlsrptdb COMMAND: WHERE: MESSAGE" on stderr; to syslog with @detail appended */
void
tr_log_error (const char *where, const char *detail, const char *format, ...)
{
  int saved_errno = errno;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "%s: %s%s%s\n", log_prefix ? log_prefix : PACKAGE_NAME, where ? where : "",
           where ? ": " : "", message);
  if (log_syslog)
    syslog (LOG_ERR, "%s%s%s%s%s%s", where ? where : "", where ? ": " : "", message,
            detail ? " (" : "", detail ? detail : "", detail ? ")" : "");
  errno = saved_errno;
}

/* tr_log_notice - syslog only (info level): what ingest did, for the mail log */
void
tr_log_notice (const char *format, ...)
{
  int saved_errno = errno;
  g_autofree char *message = NULL;
  va_list args;

  if (!log_syslog)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  syslog (LOG_INFO, "%s", message);
  errno = saved_errno;
}

/* tr_log_warning - to syslog for the MTA-facing commands, else to stderr */
void
tr_log_warning (const char *format, ...)
{
  int saved_errno = errno;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (log_syslog)
    syslog (LOG_WARNING, "%s", message);
  else
    fprintf (stderr, "%s: warning: %s\n", log_prefix ? log_prefix : PACKAGE_NAME, message);
  errno = saved_errno;
}
