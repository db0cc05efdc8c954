/* command.h - a command's entry in the command table (main.c), and the context main() builds
 * for it before run(): options parsed, settings loaded, store opened, printer made
 *
 * As in notmuch's commands[]: the flags of an entry say what a command needs, so that --db,
 * --config, --format and the pipeline's options are defined once (context.c) and every command
 * receives them ready, and one function turns its error into the exit status.
 */
#pragma once

#include <glib.h>

#include "cgi.h"
#include "error.h"
#include "printer.h"
#include "settings.h"
#include "store.h"

/* What a command needs (the flags of its entry). */
typedef enum
{
  TR_COMMAND_SETTINGS = 1 << 0, /* reads the config file: --config and --db */
  TR_COMMAND_PIPELINE = 1 << 1, /* the pipeline's settings as options: scope, trust, limits */
  TR_COMMAND_FORMAT = 1 << 2,   /* prints through a TrPrinter: --format */
  TR_COMMAND_DELIVERY = 1 << 3, /* an MTA runs it: exit 0 or 75, syslog, C locale, crash = 75 */
  TR_COMMAND_CGI = 1 << 4,      /* a web server runs it (RFC 3875): the outcome is an HTTP status */
  /* a monitoring engine runs it: exit 0-3 (run() sets exit_status), an error is UNKNOWN (3)
   * with its line on stdout, a crash too; -c is not --config (the guidelines' --critical) */
  TR_COMMAND_MONITORING = 1 << 5,
} TrCommandFlags;

typedef enum
{
  TR_COMMAND_NO_STORE,
  TR_COMMAND_READ,          /* TR_STORE_READ_ONLY */
  TR_COMMAND_WRITE,         /* TR_STORE_READ_WRITE */
  TR_COMMAND_CREATE,        /* TR_STORE_CREATE */
  TR_COMMAND_READ_IF_THERE, /* TR_STORE_READ_ONLY, and no store when the default database is
                             * missing (explain: it helps without one) */
  TR_COMMAND_COPY,          /* two stores: the first argument TR_STORE_READ_ONLY
                             * (TrContext.source), the second TR_STORE_CREATE (TrContext.store) */
} TrCommandStore;

typedef struct _TrContext TrContext;
typedef struct _TrCommand TrCommand;

struct _TrCommand
{
  const char *name;
  const char *parameter;   /* what follows the options in the usage line, or NULL */
  const char *summary;     /* a line for "tlsrptdb --help" */
  const char *description; /* the paragraph of "tlsrptdb help NAME" */
  TrCommandFlags flags;
  TrCommandStore store;
  guint min_args, max_args; /* positional arguments (G_MAXUINT: no limit) */
  /* options - add the command's own options to @group, their values in ctx->options (a zeroed
   * block of options_size bytes, freed with free_options) */
  gsize options_size;
  void (*options) (TrContext *ctx, GOptionGroup *group);
  void (*free_options) (gpointer options);
  /* prepare - check the options and arguments before the config file and the store are read;
   * may change ctx->store_mode.  NULL: nothing to check. */
  gboolean (*prepare) (TrContext *ctx, GError **error);
  gboolean (*run) (TrContext *ctx, GError **error);
};

struct _TrContext
{
  const TrCommand *command;
  gpointer options;    /* the command's own option values */
  int argc;            /* the arguments left after the options, argv[0] the command's name */
  char **argv;         /* (owned by main) */
  GDateTime *now;      /* when the command started, UTC: what every time option counts back from */
  TrSettings settings; /* defaults, the config file, then the options (TR_COMMAND_SETTINGS) */
  char *db;            /* the database to use: --db, $TLSRPTDB_DB, the config file, the default */
  gboolean db_named;   /* ... one of the first three, not the default */
  TrStoreMode store_mode;
  TrStore *store;     /* opened by main as store_mode says (or NULL for TR_COMMAND_NO_STORE) */
  TrStore *source;    /* TR_COMMAND_COPY: the database read from */
  TrPrinter *printer; /* for TR_COMMAND_FORMAT: --format on stdout */
  char *config;       /* --config */
  char *format;       /* --format */
  GPtrArray *setting_pairs; /* options that are also config keys, as (key, value) pairs */
  TrCgiRequest *request;    /* TR_COMMAND_CGI: the request, answered by main once run() ends */
  int exit_status;          /* the status of a run without error (TR_COMMAND_MONITORING: the
                             * plugin's verdict, 0-2); 0 otherwise */
};

/* tr_command_main - run @command with the arguments after "tlsrptdb" (@argv[0]: its name) and
 * return the exit status: options, settings, store, printer, run(), and the error as one line */
int tr_command_main (const TrCommand *command, int argc, char **argv);
/* tr_command_help - print the usage and options of @command on stdout */
void tr_command_help (const TrCommand *command);
/* tr_command_help_text - the same text (newly allocated) */
char *tr_command_help_text (const TrCommand *command);

/* tr_complete - for the shells' completion ("tlsrptdb help --complete WORD..."): print the
 * words that may stand for the last of @words (the words after "tlsrptdb", the last one being
 * completed, maybe empty), one per line, and return 0; nothing when a file name fits
 * (cmd/complete.c) */
int tr_complete (const TrCommand *const *commands, guint n_commands, int n_words, char **words);

/* tr_setting_option - the GOptionArgFunc of every option that is also a config file key
 * (TR_SETTING_OPTION): kept in the context (the group's user data), since the command line wins
 * over the config file, which is read after the options */
gboolean tr_setting_option (const char *name, const char *value, gpointer data, GError **error);

/* tr_command_domains - the policy domains of @given (values of a repeatable option or a config
 * key, each a list split at ",", ";" and blanks), checked and in lower case, into *@out (NULL if
 * none).  TR_ERROR_USAGE naming @option. */
gboolean tr_command_domains (const char *option, char *const *given, char ***out, GError **error);

#define TR_SETTING_OPTION(name, arg, text, meta)                                                   \
  {                                                                                                \
    name, 0, (arg) ? 0 : G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK,                              \
        (gpointer) tr_setting_option, text, meta                                                   \
  }

/* The commands (cmd-NAME.c). */
extern const TrCommand tr_command_ingest, tr_command_import, tr_command_reprocess, tr_command_prune,
    tr_command_query, tr_command_show, tr_command_explain, tr_command_upgrade, tr_command_config;
extern const TrCommand tr_command_cgi, tr_command_report, tr_command_digest;
extern const TrCommand tr_command_rejected, tr_command_inspect, tr_command_copy;
extern const TrCommand tr_command_check, tr_command_metrics;
