/* log.h - one short line on stderr, and the same to syslog (facility mail) */
#pragma once

#include <glib.h>

/* tr_log_open - start logging as "tlsrptdb COMMAND"; @use_syslog for the MTA-facing commands */
void tr_log_open (const char *command, gboolean use_syslog);

/* tr_log_error - "tlsrptdb COMMAND: WHERE: MESSAGE" on stderr, and to syslog for the MTA-facing
 * commands (@where may be NULL) */
void tr_log_error (const char *where, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* tr_log_notice - syslog only (info level): what ingest did, for the mail log */
void tr_log_notice (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* tr_log_warning - to syslog for the MTA-facing commands, else to stderr */
void tr_log_warning (const char *format, ...) G_GNUC_PRINTF (1, 2);
