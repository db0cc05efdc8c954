/* error.c - TR_ERROR and the one mapping from errors to exit codes (sysexits.h; a monitoring
 * plugin's UNKNOWN) or, for a CGI program, to HTTP statuses */
#include "config.h"

#include <sysexits.h>

#include "error.h"

/* tr_error_quark - the TR_ERROR domain (written out: clang-format mangles G_DEFINE_QUARK) */
GQuark
tr_error_quark (void)
{
  return g_quark_from_static_string ("tr-error-quark");
}

/* http_status - the HTTP status of @error: 4xx when the sender's retry cannot help (the data,
 * the request), 503 when the administrator can fix it (the sender retries after Retry-After),
 * 500 for our own bug (a 5xx: the sender retries, nothing is lost) */
static int
http_status (const GError *error)
{
  if (error->domain != TR_ERROR)
    return 500;
  switch ((TrError) error->code)
    {
      case TR_ERROR_NOT_REPORT:
      case TR_ERROR_DATA:
        return 400;
      case TR_ERROR_REFUSED:
        return 403;
      case TR_ERROR_NO_PATH:
        return 404;
      case TR_ERROR_METHOD:
        return 405;
      case TR_ERROR_LIMIT:
        return 413;
      case TR_ERROR_TEMPORARY:
      case TR_ERROR_CONFIG:
      case TR_ERROR_USAGE:
      case TR_ERROR_NOT_FOUND:
        return 503;
      case TR_ERROR_INTERNAL:
      default:
        return 500;
    }
}

/* tr_exit_code - the sysexits.h status for @error (NULL means success), or its HTTP status */
int
tr_exit_code (const GError *error, TrExitMode mode)
{
  if (mode == TR_EXIT_MODE_CGI)
    return error == NULL ? 200 : http_status (error);
  if (error == NULL)
    return EX_OK;
  /* a plugin that cannot judge (no database, a bad option, a newer schema, our own bug) says
   * UNKNOWN: 64 or 66 would be read as UNKNOWN by some engines and as CRITICAL by others */
  if (mode == TR_EXIT_MODE_MONITORING)
    return TR_EXIT_UNKNOWN;

  if (error->domain != TR_ERROR)
    return mode == TR_EXIT_MODE_DELIVERY ? EX_TEMPFAIL : EX_SOFTWARE;

  switch ((TrError) error->code)
    {
      case TR_ERROR_NOT_REPORT:
      case TR_ERROR_DATA:
      case TR_ERROR_LIMIT:
      case TR_ERROR_REFUSED:
        return EX_DATAERR;
      case TR_ERROR_TEMPORARY:
        return EX_TEMPFAIL;
      case TR_ERROR_CONFIG:
        return mode == TR_EXIT_MODE_DELIVERY ? EX_TEMPFAIL : EX_CONFIG;
      case TR_ERROR_USAGE:
      case TR_ERROR_METHOD:
      case TR_ERROR_NO_PATH:
        return mode == TR_EXIT_MODE_DELIVERY ? EX_TEMPFAIL : EX_USAGE;
      case TR_ERROR_NOT_FOUND:
        return mode == TR_EXIT_MODE_DELIVERY ? EX_TEMPFAIL : EX_NOINPUT;
      case TR_ERROR_INTERNAL:
      default:
        return mode == TR_EXIT_MODE_DELIVERY ? EX_TEMPFAIL : EX_SOFTWARE;
    }
}
