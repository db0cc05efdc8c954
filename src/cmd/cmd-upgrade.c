/* cmd-upgrade.c - tlsrptdb upgrade: bring the database to the schema of this program (what
 * the next ingest would do), so that the read-only commands can use it */
#include "config.h"

#include <stdio.h>

#include "command.h"

/* upgrade_run - opening the store for writing has migrated it: say to which version */
static gboolean
upgrade_run (TrContext *ctx, GError **error)
{
  g_auto (TrStoreInfo) info = { 0 };

  if (!tr_store_info (ctx->store, &info, error))
    return FALSE;
  printf ("%s: schema version %u\n", ctx->db, info.schema_version);
  return TRUE;
}

const TrCommand tr_command_upgrade = {
  .name = "upgrade",
  .summary = "bring the database to this program's schema version",
  .description = "Upgrade the database schema to this program's version (run it as the "
                 "database's owner).",
  .flags = TR_COMMAND_SETTINGS,
  .store = TR_COMMAND_WRITE,
  .max_args = 0,
  .run = upgrade_run,
};
