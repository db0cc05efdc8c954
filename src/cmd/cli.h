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

/* TR_PIPELINE_OPTIONS - the options of every command that runs messages through the pipeline
 * (ingest, import, reprocess): scope, trust and limits; all are config file keys too */
#define TR_PIPELINE_OPTIONS                                                                        \
  TR_SETTING_OPTION ("domains", TRUE,                                                              \
                     "Only reports for these policy domains (*.D: subdomains of D)", "D,..."),     \
      TR_SETTING_OPTION ("trusted-authserv-id", TRUE,                                              \
                         "Believe Authentication-Results headers written by this host", "HOST"),   \
      TR_SETTING_OPTION (                                                                          \
          "require-dkim", FALSE,                                                                   \
          "Keep reports without a DKIM pass aligned with the reporter in `rejected`", NULL),       \
      TR_SETTING_OPTION ("max-message-size", TRUE, "Largest message kept whole (default 25M)",     \
                         "SIZE"),                                                                  \
      TR_SETTING_OPTION ("max-inflated-size", TRUE, "Largest decompressed report (default 32M)",   \
                         "SIZE"),                                                                  \
      TR_SETTING_OPTION ("max-json-depth", TRUE, "Deepest JSON nesting (default 64)", "N"),        \
      TR_SETTING_OPTION ("max-json-values", TRUE,                                                  \
                         "Most JSON values (containers and commas) in one report "                 \
                         "(default 1500000)",                                                      \
                         "N"),                                                                     \
      TR_SETTING_OPTION ("max-reports", TRUE,                                                      \
                         "Most report parts taken from one message (default 16)", "N"),            \
      TR_SETTING_OPTION ("max-storage-ratio", TRUE,                                                \
                         "What a message's reports may add to the database: N times its size "     \
                         "plus 256K (default 100)",                                                \
                         "N"),                                                                     \
      TR_SETTING_OPTION ("max-rejected-size", TRUE,                                                \
                         "Bytes of messages `rejected` may hold in all; beyond it only their "     \
                         "facts (default 256M)",                                                   \
                         "SIZE")
