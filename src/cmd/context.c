/* context.c - what main() does for every command around its run(): the options that several
 * commands share, the config file, the store, the printer, and the exit status
 *
 * The order is fixed: options, the command's own checks (prepare), the config file with the
 * options over it, the store, run().  A usage error is therefore reported before a broken config
 * file, and neither touches the database.  Options that are also config file keys are kept as
 * (key, value) pairs while GOption parses, and applied over the config file afterwards, so that
 * the command line wins and one table (settings.c) serves both.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "check.h"
#include "command.h"
#include "dbpath.h"
#include "log.h"
#include "query.h"

/* The pipeline's settings (TR_COMMAND_PIPELINE): scope, trust and limits, all config keys too. */
static const GOptionEntry pipeline_entries[] = {
  TR_SETTING_OPTION ("domains", TRUE,
                     "Only reports for these policy domains (*.D: subdomains of D)", "D,..."),
  TR_SETTING_OPTION ("trusted-authserv-id", TRUE,
                     "Believe Authentication-Results headers written by this host", "HOST"),
  TR_SETTING_OPTION ("require-dkim", FALSE,
                     "Keep reports without a DKIM pass aligned with the reporter in `rejected`",
                     NULL),
  TR_SETTING_OPTION ("max-message-size", TRUE, "Largest message kept whole (default 25M)", "SIZE"),
  TR_SETTING_OPTION ("max-inflated-size", TRUE, "Largest decompressed report (default 32M)",
                     "SIZE"),
  TR_SETTING_OPTION ("max-json-depth", TRUE, "Deepest JSON nesting (default 64)", "N"),
  TR_SETTING_OPTION ("max-json-values", TRUE,
                     "Most JSON values (containers and commas) in one report (default 1500000)",
                     "N"),
  TR_SETTING_OPTION ("max-reports", TRUE, "Most report parts taken from one message (default 16)",
                     "N"),
  TR_SETTING_OPTION ("max-storage-ratio", TRUE,
                     "What a message's reports may add to the database: N times its size plus "
                     "256K (default 100)",
                     "N"),
  TR_SETTING_OPTION ("max-rejected-size", TRUE,
                     "Bytes of messages `rejected` may hold in all; beyond it only their facts "
                     "(default 256M)",
                     "SIZE"),
  G_OPTION_ENTRY_NULL,
};

/* tr_setting_option - keep an option that is also a config file key */
gboolean
tr_setting_option (const char *name, const char *value, gpointer data, GError **error)
{
  TrContext *ctx = data;

  g_ptr_array_add (ctx->setting_pairs, g_strdup (name + 2)); /* without "--" */
  g_ptr_array_add (ctx->setting_pairs, g_strdup (value ? value : "true"));
  return TRUE;
}

/* tr_command_domains - a list of policy domains from options or the config file */
gboolean
tr_command_domains (const char *option, char *const *given, char ***out, GError **error)
{
  g_autoptr (GPtrArray) domains = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; given != NULL && given[i] != NULL; i++)
    {
      g_auto (GStrv) words = g_strsplit_set (given[i], ",; \t", -1);

      for (guint j = 0; words[j] != NULL; j++)
        {
          if (words[j][0] == '\0')
            continue;
          if (!tr_query_check_value (option, words[j], TRUE, error))
            return FALSE;
          g_ptr_array_add (domains, g_ascii_strdown (words[j], -1));
        }
    }
  g_strfreev (*out);
  *out = NULL;
  if (domains->len == 0)
    return TRUE;
  g_ptr_array_add (domains, NULL);
  *out = (char **) g_ptr_array_free (g_steal_pointer (&domains), FALSE);
  return TRUE;
}

/* load_settings - the config file, then the options given; and the database to use */
static gboolean
load_settings (TrContext *ctx, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *db = NULL;
  TrSettingSource db_source;

  if (!tr_settings_load (&ctx->settings, ctx->config, error))
    return FALSE;
  for (guint i = 0; i + 1 < ctx->setting_pairs->len; i += 2)
    {
      const char *key = g_ptr_array_index (ctx->setting_pairs, i);
      const char *value = g_ptr_array_index (ctx->setting_pairs, i + 1);
      gboolean append = g_hash_table_contains (seen, key);

      g_hash_table_add (seen, (gpointer) key);
      if (strcmp (key, "db") == 0)
        db = value; /* --db wins over $TLSRPTDB_DB, which wins over the config file */
      if (!tr_settings_set (&ctx->settings, key, value, append, error))
        {
          g_prefix_error (error, "--");
          return FALSE;
        }
      if (!append)
        {
          g_autofree char *option = g_strconcat ("--", key, NULL);

          tr_settings_set_origin (&ctx->settings, key, TR_SOURCE_COMMAND_LINE, option);
        }
    }
  ctx->db = tr_db_path (db, ctx->settings.db, &db_source);
  if (db_source == TR_SOURCE_ENVIRONMENT || db_source == TR_SOURCE_DEFAULT)
    tr_settings_set_origin (&ctx->settings, "db", db_source, "TLSRPTDB_DB");
  ctx->db_named = db_source != TR_SOURCE_DEFAULT;
  return TRUE;
}

/* option_context - the options of @ctx's command: the shared ones its flags ask for, its own,
 * and --help (*@want_help) */
static GOptionContext *
option_context (TrContext *ctx, gboolean *want_help)
{
  const TrCommand *command = ctx->command;
  const GOptionEntry db_entries[] = {
    TR_SETTING_OPTION (
        "db", TRUE, "The database: an SQLite file, or PostgreSQL (postgresql://... or key=value)",
        "DB"),
    { "config", (command->flags & TR_COMMAND_MONITORING) ? 0 : 'c', 0, G_OPTION_ARG_FILENAME,
      &ctx->config,
      "Config file (default $TLSRPTDB_CONFIG, else " TR_SETTINGS_DEFAULT_FILE " if present)",
      "PATH" },
    G_OPTION_ENTRY_NULL,
  };
  const GOptionEntry format_entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &ctx->format, "Output format: " TR_PRINTER_FORMATS,
      "FORMAT" },
    G_OPTION_ENTRY_NULL,
  };
  const GOptionEntry help_entries[] = {
    { "help", 'h', 0, G_OPTION_ARG_NONE, want_help, "Show this help", NULL },
    G_OPTION_ENTRY_NULL,
  };
  GOptionContext *oc = g_option_context_new (command->parameter);
  GOptionGroup *group = g_option_group_new (NULL, NULL, NULL, ctx, NULL);
  g_autofree char *page = g_strdup_printf ("The manual: %s-%s(1) (man %s-%s).", PACKAGE_NAME,
                                           command->name, PACKAGE_NAME, command->name);

  if (command->flags & TR_COMMAND_SETTINGS)
    g_option_group_add_entries (group, db_entries);
  if (command->flags & TR_COMMAND_FORMAT)
    g_option_group_add_entries (group, format_entries);
  if (command->options != NULL)
    command->options (ctx, group);
  if (command->flags & TR_COMMAND_PIPELINE)
    g_option_group_add_entries (group, pipeline_entries);
  g_option_group_add_entries (group, help_entries);
  g_option_context_set_main_group (oc, group);
  g_option_context_set_help_enabled (oc, FALSE);
  g_option_context_set_summary (oc, command->description);
  g_option_context_set_description (oc, page);
  return oc;
}

/* context_init - the context of @command, before its options are parsed */
static void
context_init (TrContext *ctx, const TrCommand *command)
{
  g_autofree char *prgname = g_strdup_printf ("%s %s", PACKAGE_NAME, command->name);

  g_set_prgname (prgname);
  ctx->command = command;
  ctx->options = g_malloc0 (MAX (command->options_size, 1));
  ctx->now = g_date_time_new_now_utc ();
  ctx->settings = (TrSettings) TR_SETTINGS_INIT;
  ctx->settings.command = command->name;
  ctx->setting_pairs = g_ptr_array_new_with_free_func (g_free);
}

static void
context_clear (TrContext *ctx)
{
  if (ctx->command->free_options != NULL)
    ctx->command->free_options (ctx->options);
  g_free (ctx->options);
  g_date_time_unref (ctx->now);
  tr_settings_clear (&ctx->settings);
  g_free (ctx->db);
  g_clear_pointer (&ctx->store, tr_store_close);
  g_clear_pointer (&ctx->source, tr_store_close);
  g_clear_pointer (&ctx->printer, tr_printer_free);
  g_free (ctx->config);
  g_free (ctx->format);
  g_ptr_array_unref (ctx->setting_pairs);
  g_clear_pointer (&ctx->request, tr_cgi_request_free);
}

/* tr_command_help_text - the usage and options of @command */
char *
tr_command_help_text (const TrCommand *command)
{
  TrContext ctx = { 0 };
  gboolean want_help = FALSE;
  g_autoptr (GOptionContext) oc = NULL;
  char *help;

  context_init (&ctx, command);
  oc = option_context (&ctx, &want_help);
  help = g_option_context_get_help (oc, TRUE, NULL);
  context_clear (&ctx);
  return help;
}

/* tr_command_help - the usage and options of @command */
void
tr_command_help (const TrCommand *command)
{
  g_autofree char *help = tr_command_help_text (command);

  fputs (help, stdout);
}

/* check_arguments - the number of positional arguments */
static gboolean
check_arguments (TrContext *ctx, GError **error)
{
  const TrCommand *command = ctx->command;
  guint n = (guint) ctx->argc - 1;

  if (n < command->min_args)
    g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "expected %s (see %s help %s)",
                 command->parameter, PACKAGE_NAME, command->name);
  else if (n > command->max_args && command->max_args == 1)
    g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "expected one %s, got %u arguments",
                 command->parameter, n);
  else if (n > command->max_args)
    g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "unexpected argument \"%s\"",
                 ctx->argv[command->max_args + 1]);
  return n >= command->min_args && n <= command->max_args;
}

/* open_copy_stores - TR_COMMAND_COPY: the first argument to read, the second to write (made
 * if missing); not one database twice */
static gboolean
open_copy_stores (TrContext *ctx, GError **error)
{
  const char *from = ctx->argv[1], *to = ctx->argv[2];

  if (strcmp (from, to) == 0)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "%s: the same database twice", from);
      return FALSE;
    }
  ctx->db = g_strdup (to);
  ctx->source = tr_store_open (from, TR_STORE_READ_ONLY, error);
  if (ctx->source == NULL)
    return FALSE;
  ctx->store = tr_store_open (to, ctx->store_mode, error);
  return ctx->store != NULL;
}

/* setup - everything before run(); FALSE with *@done for --help */
static gboolean
setup (TrContext *ctx, int argc, char **argv, gboolean *done, GError **error)
{
  const TrCommand *command = ctx->command;
  static const TrStoreMode modes[] = {
    0, TR_STORE_READ_ONLY, TR_STORE_READ_WRITE, TR_STORE_CREATE, TR_STORE_READ_ONLY, TR_STORE_CREATE
  };
  gboolean want_help = FALSE;
  g_autoptr (GOptionContext) oc = option_context (ctx, &want_help);
  g_autoptr (GError) local_error = NULL;

  ctx->argc = argc;
  ctx->argv = argv;
  if (!g_option_context_parse (oc, &ctx->argc, &ctx->argv, &local_error))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "%s (see %s help %s)", local_error->message,
                   PACKAGE_NAME, command->name);
      return FALSE;
    }
  if (want_help)
    {
      g_autofree char *help = g_option_context_get_help (oc, TRUE, NULL);

      fputs (help, stdout);
      *done = TRUE;
      return FALSE;
    }
  ctx->store_mode = modes[command->store];
  if ((command->flags & TR_COMMAND_FORMAT)
      && (ctx->printer = tr_printer_new (ctx->format ? ctx->format : "text", stdout,
                                         tr_printer_terminal_width (), error))
             == NULL)
    return FALSE;
  if (!check_arguments (ctx, error) || (command->prepare && !command->prepare (ctx, error)))
    return FALSE;
  if ((command->flags & TR_COMMAND_SETTINGS) && !load_settings (ctx, error))
    return FALSE;
  if (command->store == TR_COMMAND_NO_STORE)
    return TRUE;
  if (command->store == TR_COMMAND_COPY)
    return open_copy_stores (ctx, error);
  ctx->store = tr_store_open (ctx->db, ctx->store_mode, error);
  if (ctx->store == NULL && command->store == TR_COMMAND_READ_IF_THERE && !ctx->db_named
      && g_error_matches (*error, TR_ERROR, TR_ERROR_NOT_FOUND))
    g_clear_error (error); /* no database yet: the command does without */
  return *error == NULL;
}

#if defined(__SANITIZE_ADDRESS__)
#define TR_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define TR_SANITIZED 1
#endif
#endif

#ifndef TR_SANITIZED /* the sanitizers' own reports matter more in a test build */
static const char *fatal_text;
static int fatal_fd, fatal_status;

/* fatal_signal - last resort: a crash must defer the message (75), never bounce or lose it; a
 * monitoring plugin says UNKNOWN (3) on stdout, where the engine looks */
static void
fatal_signal (int signo)
{
  (void) signo;
  (void) !write (fatal_fd, fatal_text, strlen (fatal_text));
  _exit (fatal_status);
}
#endif

/* install_last_resort - a delivery command that crashes exits 75, a monitoring one 3 */
static void
install_last_resort (const char *name, gboolean monitoring)
{
#ifndef TR_SANITIZED
  static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
  struct sigaction action = { 0 };

  if (monitoring)
    {
      /* SIGBUS too: a read-only connection maps the database, and a file cut short under it
       * (not by SQLite) faults instead of failing a read */
      fatal_text = TR_CHECK_SERVICE " UNKNOWN - internal error (fatal signal), or the database "
                                    "file was cut short while it was read\n";
      fatal_fd = STDOUT_FILENO;
      fatal_status = TR_EXIT_UNKNOWN;
    }
  else
    {
      fatal_text = g_strdup_printf ("%s %s: internal error (fatal signal): deferred\n",
                                    PACKAGE_NAME, name);
      fatal_fd = STDERR_FILENO;
      fatal_status = EX_TEMPFAIL;
    }
  action.sa_handler = fatal_signal;
  sigemptyset (&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  for (guint i = 0; i < G_N_ELEMENTS (fatal); i++)
    sigaction (fatal[i], &action, NULL);
#else
  (void) name;
  (void) monitoring;
#endif
}

/* report_error - say what went wrong: one line on stderr (and syslog for delivery), or for a
 * monitoring plugin its UNKNOWN output on stdout, where the engine reads it ("TLSRPT UNKNOWN -
 * why"; an engine shows stderr nowhere, or mixed into the output) */
static void
report_error (const GError *error, TrExitMode mode)
{
  g_autoptr (TrPlugin) plugin = NULL;
  g_autofree char *text = NULL;

  if (mode != TR_EXIT_MODE_MONITORING)
    {
      tr_log_error (NULL, "%s", error->message);
      return;
    }
  plugin = tr_plugin_new (TR_CHECK_SERVICE);
  tr_plugin_raise (plugin, TR_PLUGIN_UNKNOWN);
  tr_plugin_set_summary (plugin, error->message);
  text = tr_plugin_format (plugin);
  fputs (text, stdout);
  fflush (stdout);
}

/* exit_mode - how @command reports failure (a CGI command answers with an HTTP status instead) */
static TrExitMode
exit_mode (const TrCommand *command)
{
  if (command->flags & TR_COMMAND_DELIVERY)
    return TR_EXIT_MODE_DELIVERY;
  if (command->flags & TR_COMMAND_MONITORING)
    return TR_EXIT_MODE_MONITORING;
  return TR_EXIT_MODE_TOOL;
}

/* cgi_answer - the answer of a CGI command (after the rest of the body was read): the status
 * that @error maps to, or the command's own (201, 200); what went wrong is logged, to stderr
 * (the web server's error log) only when the administrator can do something about it (5xx),
 * else to syslog */
static void
cgi_answer (TrContext *ctx, const GError *error)
{
  TrCgiRequest *request = ctx->request;
  int status = error != NULL ? tr_exit_code (error, TR_EXIT_MODE_CGI) : (int) request->status;
  g_autofree char *where
      = g_strdup_printf ("https %s", request->client_address ? request->client_address : "-");

  if (status == 0)
    status = 500; /* a command that did not say */
  if (error != NULL && status >= 500)
    tr_log_error (where, "%s: answered %d", error->message, status);
  else if (error != NULL)
    tr_log_notice ("%s: %s: answered %d", where, error->message, status);
  tr_cgi_answer (request, (guint) status);
}

/* tr_command_main - run @command; the one place where an error becomes an exit status (or, for
 * a CGI command, an HTTP status) */
int
tr_command_main (const TrCommand *command, int argc, char **argv)
{
  gboolean delivery = (command->flags & TR_COMMAND_DELIVERY) != 0;
  gboolean cgi = (command->flags & TR_COMMAND_CGI) != 0;
  TrExitMode mode = exit_mode (command);
  g_autoptr (GError) error = NULL;
  gboolean done = FALSE;
  TrContext ctx = { 0 };
  int status;

  if (delivery || mode == TR_EXIT_MODE_MONITORING)
    install_last_resort (command->name, mode == TR_EXIT_MODE_MONITORING);
  tr_log_open (command->name, delivery || cgi);
  context_init (&ctx, command);
  if (cgi)
    ctx.request = tr_cgi_request_new (NULL, STDIN_FILENO);
  if (setup (&ctx, argc, argv, &done, &error))
    command->run (&ctx, &error);
  status = ctx.exit_status;
  if (cgi && !done)
    cgi_answer (&ctx, error); /* whatever happened: a CGI program always answers */
  context_clear (&ctx);
  if (cgi)
    return EX_OK; /* the answer is the outcome; web servers ignore the exit status */
  if (error != NULL)
    report_error (error, mode);
  return error != NULL ? tr_exit_code (error, mode) : status;
}
