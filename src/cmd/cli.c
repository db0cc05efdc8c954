/* cli.c - options that are also config file keys: kept as (key, value) pairs while GOption
 * parses the command line, applied over the config file afterwards, so that the command line
 * wins and one table (settings.c) serves both */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "dbpath.h"

/* The options given that are also config file keys, as (key, value) pairs. */
static GPtrArray *cli_pairs;

/* tr_cli_setting_option - keep an option that is also a config file key */
gboolean
tr_cli_setting_option (const char *name, const char *value, gpointer data, GError **error)
{
  if (cli_pairs == NULL)
    cli_pairs = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (cli_pairs, g_strdup (name + 2)); /* without "--" */
  g_ptr_array_add (cli_pairs, g_strdup (value ? value : "true"));
  return TRUE;
}

/* tr_cli_settings_load - the config file, then the command line; and the database path */
gboolean
tr_cli_settings_load (TrSettings *settings, const char *config, char **db_path, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) pairs = g_steal_pointer (&cli_pairs);
  const char *db = NULL;

  if (!tr_settings_load (settings, config, error))
    return FALSE;
  for (guint i = 0; pairs != NULL && i + 1 < pairs->len; i += 2)
    {
      const char *key = g_ptr_array_index (pairs, i);
      const char *value = g_ptr_array_index (pairs, i + 1);
      gboolean append = g_hash_table_contains (seen, key);

      g_hash_table_add (seen, (gpointer) key);
      if (strcmp (key, "db") == 0)
        db = value; /* --db wins over $TLSRPTDB_DB, which wins over the config file */
      if (!tr_settings_set (settings, key, value, append, error))
        {
          g_prefix_error (error, "--");
          return FALSE;
        }
    }
  *db_path = tr_db_path (db, settings->db);
  return TRUE;
}
