/* error.c - TR_ERROR and the mapping from errors to exit codes: sysexits.h, or a monitoring
 * plugin's UNKNOWN */
#include "config.h"

#include <sysexits.h>

#include "error.h"

/* tr_error_quark - the TR_ERROR domain (written out: clang-format mangles G_DEFINE_QUARK) */
GQuark
tr_error_quark (void)
{
  return g_quark_from_static_string ("tr-error-quark");
}

/* tr_exit_code - the sysexits.h status for @error (NULL means success) */
int
tr_exit_code (const GError *error, TrExitMode mode)
{
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
        return EX_DATAERR;
      case TR_ERROR_TEMPORARY:
        return EX_TEMPFAIL;
      case TR_ERROR_CONFIG:
        return mode == TR_EXIT_MODE_DELIVERY ? EX_TEMPFAIL : EX_CONFIG;
      case TR_ERROR_USAGE:
        return mode == TR_EXIT_MODE_DELIVERY ? EX_TEMPFAIL : EX_USAGE;
      case TR_ERROR_NOT_FOUND:
        return mode == TR_EXIT_MODE_DELIVERY ? EX_TEMPFAIL : EX_NOINPUT;
      case TR_ERROR_INTERNAL:
      default:
        return mode == TR_EXIT_MODE_DELIVERY ? EX_TEMPFAIL : EX_SOFTWARE;
    }
}
