/* cmd-config.c - tlsrptdb config [KEY...]: the effective settings and where each came from
 *
 * As Postfix's "postconf -n": by default the config file, the database and every setting that
 * is not at its default; with --all every setting.  Each with its source: the default, the
 * config file and line, the environment, or the command line (config takes the options of the
 * pipeline, so the settings of an ingest command line can be checked).  A mistake in the config
 * file is reported as every command reports it (exit 78), with its line: this is also the check.
 */
#include "config.h"

#include <string.h>

#include "check.h"
#include "command.h"
#include "suggest.h"

typedef struct
{
  gboolean all;
} ConfigOptions;

static const TrColumn config_columns[] = {
  { "key", "Setting", TR_COLUMN_TEXT },
  { "value", "Value", TR_COLUMN_TEXT },
  { "source", "Source", TR_COLUMN_TEXT },
  { "origin", "Where", TR_COLUMN_TEXT },
};

static void
config_options (TrContext *ctx, GOptionGroup *group)
{
  ConfigOptions *o = ctx->options;
  const GOptionEntry entries[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &o->all, "Every setting, also those at their default",
      NULL },
    G_OPTION_ENTRY_NULL,
  };

  g_option_group_add_entries (group, entries);
}

/* known_key - whether @key is "config", a setting or check.KEY (a key of [check]); else a usage
 * error that suggests one */
static gboolean
known_key (const char *key, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name, *meant;

  g_ptr_array_add (names, g_strdup ("config"));
  for (guint i = 0; (name = tr_settings_key_name (i)) != NULL; i++)
    g_ptr_array_add (names, g_strdup (name));
  for (guint i = 0; i < tr_check_n_keys; i++)
    g_ptr_array_add (names, g_strconcat ("check.", tr_check_keys[i].key, NULL));
  for (guint i = 0; i < names->len; i++)
    if (strcmp (key, g_ptr_array_index (names, i)) == 0)
      return TRUE;
  meant = tr_suggest (key, (const char *const *) names->pdata, names->len);
  g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "unknown setting \"%s\"%s%s%s", key,
               meant ? ": did you mean " : "", meant ? meant : "", meant ? "?" : "");
  return FALSE;
}

static gboolean
config_prepare (TrContext *ctx, GError **error)
{
  for (int i = 1; i < ctx->argc; i++)
    if (!known_key (ctx->argv[i], error))
      return FALSE;
  return TRUE;
}

/* print_row - one setting: its value and where it came from */
static void
print_row (TrPrinter *printer, const TrSettings *settings, const char *key, const char *value)
{
  const char *where;
  TrSettingSource source = tr_settings_origin (settings, key, &where);

  tr_printer_field_str (printer, key);
  tr_printer_field_str (printer, value);
  tr_printer_field_str (printer, tr_setting_source_name (source));
  tr_printer_field_str (printer, where);
  tr_printer_end_row (printer);
}

/* wanted - whether the row of @key is printed */
static gboolean
wanted (TrContext *ctx, const char *key)
{
  ConfigOptions *o = ctx->options;

  if (ctx->argc > 1)
    {
      for (int i = 1; i < ctx->argc; i++)
        if (strcmp (ctx->argv[i], key) == 0)
          return TRUE;
      return FALSE;
    }
  return o->all || strcmp (key, "config") == 0 || strcmp (key, "db") == 0
         || tr_settings_origin (&ctx->settings, key, NULL) != TR_SOURCE_DEFAULT;
}

/* config_notes - what text adds: a missing config file, a database that depends on the user */
static void
config_notes (TrContext *ctx)
{
  g_autofree char *note = NULL;

  if (ctx->settings.file == NULL)
    {
      note = g_strdup_printf ("No config file: %s does not exist.", TR_SETTINGS_DEFAULT_FILE);
      tr_printer_note (ctx->printer, note);
      g_clear_pointer (&note, g_free);
    }
  if (tr_settings_origin (&ctx->settings, "db", NULL) == TR_SOURCE_DEFAULT)
    {
      note = g_strdup_printf ("The database is the default of user %s. Set db in %s so that "
                              "the MTA, cron jobs and every user read the same one.",
                              g_get_user_name (), TR_SETTINGS_DEFAULT_FILE);
      tr_printer_note (ctx->printer, note);
    }
}

/* config_run - the settings asked for, in the order of the settings table, then the keys of
 * [check] */
static gboolean
config_run (TrContext *ctx, GError **error)
{
  TrPrinter *printer = ctx->printer;
  const char *key;

  tr_printer_begin_listing (printer, "settings", config_columns, G_N_ELEMENTS (config_columns));
  if (wanted (ctx, "config"))
    print_row (printer, &ctx->settings, "config", ctx->settings.file);
  if (wanted (ctx, "db"))
    print_row (printer, &ctx->settings, "db", ctx->db);
  for (guint i = 0; (key = tr_settings_key_name (i)) != NULL; i++)
    if (strcmp (key, "db") != 0 && wanted (ctx, key))
      {
        g_autofree char *value = tr_settings_value (&ctx->settings, key);

        print_row (printer, &ctx->settings, key, value);
      }
  for (guint i = 0; i < tr_check_n_keys; i++) /* [check]: check's, and the verdict of report */
    {
      g_autofree char *name = g_strconcat ("check.", tr_check_keys[i].key, NULL);
      const char *value = tr_settings_command_value (&ctx->settings, tr_check_keys[i].key);

      if (wanted (ctx, name))
        print_row (printer, &ctx->settings, name, value ? value : tr_check_keys[i].fallback);
    }
  config_notes (ctx);
  return tr_printer_end (printer, error);
}

const TrCommand tr_command_config = {
  .name = "config",
  .parameter = "[SETTING...]",
  .summary = "show the settings in effect and where each comes from",
  .description = "Show the config file, the database and every setting that is not at its "
                 "default (--all: every setting), each with where it comes from: the default, "
                 "the config file and its line, the environment or the command line.",
  .flags = TR_COMMAND_SETTINGS | TR_COMMAND_PIPELINE | TR_COMMAND_FORMAT,
  .store = TR_COMMAND_NO_STORE,
  .max_args = G_MAXUINT,
  .options_size = sizeof (ConfigOptions),
  .options = config_options,
  .prepare = config_prepare,
  .run = config_run,
};
