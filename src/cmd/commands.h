/* commands.h - the subcommands that main.c dispatches to (one cmd-NAME.c each) */
#pragma once

#include <glib.h>

/* Each returns the process exit status.  argv[0] is the command name. */
int cmd_ingest (int argc, char **argv);
int cmd_import (int argc, char **argv);
int cmd_reprocess (int argc, char **argv);
int cmd_prune (int argc, char **argv);
int cmd_query (int argc, char **argv);
int cmd_show (int argc, char **argv);
int cmd_explain (int argc, char **argv);
int cmd_upgrade (int argc, char **argv);

/* tr_cmd_open_db - the database of a read-only command, read-only: --db, else $TLSRPTDB_DB,
 * else the config file's db, else the default (TR_ERROR_CONFIG for a bad config file) */
typedef struct _TrStore TrStore;
TrStore *tr_cmd_open_db (const char *opt_db, const char *opt_config, GError **error);
/* tr_cmd_fail - print @error as one line on stderr; its exit status */
int tr_cmd_fail (const GError *error);

/* tr_parse_options - parse @entries for @command; --help prints the help and sets *@exit_now.
 * Returns FALSE with TR_ERROR_USAGE on a bad command line. */
gboolean tr_parse_options (const char *command, const char *parameter, const char *summary,
                           const GOptionEntry *entries, int *argc, char ***argv, gboolean *exit_now,
                           GError **error);
