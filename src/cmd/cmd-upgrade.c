/* cmd-upgrade.c - tlsrptdb upgrade: bring the database to the schema of this program (what
 * the next ingest would do), so that the read-only commands can use it */
#include "config.h"

#include <stdio.h>
#include <sysexits.h>

#include "commands.h"
#include "dbpath.h"
#include "error.h"
#include "log.h"
#include "query.h"
#include "settings.h"

/* cmd_upgrade - tlsrptdb upgrade [--db PATH] */
int
cmd_upgrade (int argc, char **argv)
{
  g_autofree char *opt_db = NULL, *opt_config = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, "Database file", "PATH" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
      "Config file (default $TLSRPTDB_CONFIG, else " TR_SETTINGS_DEFAULT_FILE " if present)",
      "PATH" },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = NULL;
  g_auto (TrSettings) settings = TR_SETTINGS_INIT;
  g_autofree char *path = NULL;
  gboolean exit_now = FALSE;

  tr_log_open ("upgrade", FALSE);
  if (!tr_parse_options ("upgrade", NULL,
                         "Upgrade the database schema to this program's version (run it as the "
                         "database's owner).",
                         entries, &argc, &argv, &exit_now, &error))
    return tr_cmd_fail (error);
  if (exit_now)
    return EX_OK;
  if (argc > 1)
    g_set_error (&error, TR_ERROR, TR_ERROR_USAGE, "unexpected argument \"%s\"", argv[1]);
  else if (tr_settings_load (&settings, opt_config, &error))
    {
      path = tr_db_path (opt_db, settings.db);
      store = tr_store_open (path, TR_STORE_READ_WRITE, &error);
    }
  if (error == NULL)
    {
      g_auto (TrStoreInfo) info = { 0 };

      if (tr_store_info (store, &info, &error))
        printf ("%s: schema version %u\n", path, info.schema_version);
    }
  if (error != NULL)
    return tr_cmd_fail (error);
  return EX_OK;
}
