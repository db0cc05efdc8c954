/* cli.h - the command line of the commands that take in messages: options that are also config
 * file keys are kept until the config file has been read, because the command line wins */
#pragma once

#include <glib.h>

#include "settings.h"

/* tr_cli_setting_option - the GOptionArgFunc of every option that is also a config file key
 * (TR_SETTING_OPTION): kept until tr_cli_settings_load(), since the command line wins */
gboolean tr_cli_setting_option (const char *name, const char *value, gpointer data, GError **error);

#define TR_SETTING_OPTION(name, arg, text, meta)                                                   \
  {                                                                                                \
    name, 0, (arg) ? 0 : G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK,                              \
        (gpointer) tr_cli_setting_option, text, meta                                               \
  }

/* tr_cli_settings_load - the config file @config (NULL: the default), then the options given
 * on the command line, into @settings; *@db_path gets the database to use.
 * Errors: TR_ERROR_CONFIG. */
gboolean tr_cli_settings_load (TrSettings *settings, const char *config, char **db_path,
                               GError **error);
