/* dbpath.c - where the database is: --db, else $TLSRPTDB_DB, else the config file's db, else
 * the XDG data directory */
#include "config.h"

#include "dbpath.h"

/* tr_db_path - the database path to use: @option (--db), $TLSRPTDB_DB, @configured, XDG */
char *
tr_db_path (const char *option, const char *configured, TrSettingSource *source)
{
  const char *env = g_getenv ("TLSRPTDB_DB");

  if (option != NULL && *option != '\0')
    return *source = TR_SOURCE_COMMAND_LINE, g_strdup (option);
  if (env != NULL && *env != '\0')
    return *source = TR_SOURCE_ENVIRONMENT, g_strdup (env);
  if (configured != NULL && *configured != '\0')
    return *source = TR_SOURCE_FILE, g_strdup (configured);
  /* $XDG_DATA_HOME, else ~/.local/share; an MTA pipe has no useful HOME: use --db there */
  *source = TR_SOURCE_DEFAULT;
  return g_build_filename (g_get_user_data_dir (), PACKAGE_NAME, "reports.db", NULL);
}
