/* error.h - the TR_ERROR domain and the one place that maps errors to exit codes */
#pragma once

#include <glib.h>

#define TR_ERROR (tr_error_quark ())

typedef enum
{
  TR_ERROR_TEMPORARY,  /* the local admin can fix it: locked, disk full, newer schema; 75 */
  TR_ERROR_NOT_REPORT, /* the message carries no report; kept in `rejected` */
  TR_ERROR_DATA,       /* a report that cannot be used (bad gzip, bad JSON, no policies) */
  TR_ERROR_LIMIT,      /* an input over one of the configured limits */
  TR_ERROR_CONFIG,     /* bad configuration (ingest: 75, others: 78) */
  TR_ERROR_USAGE,      /* bad command line (ingest: 75, others: 64) */
  TR_ERROR_NOT_FOUND,  /* a database or file that does not exist (66) */
  TR_ERROR_INTERNAL,   /* our own bug or out of memory (ingest: 75, others: 70) */
  TR_ERROR_REFUSED,    /* a usable report not taken: out of scope, not authenticated (cgi: 403) */
  TR_ERROR_METHOD,     /* an HTTP method the receiver does not take (cgi: 405) */
  TR_ERROR_NO_PATH,    /* an HTTP path that names nothing here (cgi: 404) */
} TrError;

GQuark tr_error_quark (void);

/* How a command reports failure: an MTA pipe may only defer (75) or succeed; a CGI program
 * answers with an HTTP status, and a 5xx tells the sender to retry. */
typedef enum
{
  TR_EXIT_MODE_DELIVERY,   /* ingest: everything the admin can fix is 75 */
  TR_EXIT_MODE_TOOL,       /* query, import: the sysexits.h code that fits */
  TR_EXIT_MODE_CGI,        /* cgi: the HTTP status; what the admin can fix is 503 */
  TR_EXIT_MODE_MONITORING, /* check, a monitoring plugin: every error is UNKNOWN (3) */
} TrExitMode;

/* The exit status of a monitoring plugin that could not tell (Monitoring Plugins Development
 * Guidelines: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN) */
#define TR_EXIT_UNKNOWN 3

/* tr_exit_code - the sysexits.h status for @error (NULL means success), UNKNOWN for a monitoring
 * plugin, or in TR_EXIT_MODE_CGI the HTTP status (NULL: 200; a command that succeeds says 201 or
 * 200 itself) */
int tr_exit_code (const GError *error, TrExitMode mode);
