/* main.c - the command table of tlsrptdb and the dispatch to cmd-NAME.c */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "commands.h"
#include "error.h"

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} TrCommand;

static const TrCommand commands[] = {
  { "ingest", cmd_ingest, "store the TLS-RPT report(s) in one email read from standard input" },
  { "import", cmd_import, "store the reports in files, directories, mbox files and Maildirs" },
  { "reprocess", cmd_reprocess, "run the messages kept in `rejected` through the parser again" },
  { "prune", cmd_prune, "delete old reports and rejected messages" },
  { "query", cmd_query, "summary, failures or reports: answer questions from the database" },
  { "show", cmd_show, "show one stored report: its JSON and its mail facts" },
  { "explain", cmd_explain, "what each RFC 8460 result type means, and how to fix it" },
  { "upgrade", cmd_upgrade, "bring the database to this program's schema version" },
};

/* tr_parse_options - parse @entries for @command; --help prints the help and sets *@exit_now */
gboolean
tr_parse_options (const char *command, const char *parameter, const char *summary,
                  const GOptionEntry *entries, int *argc, char ***argv, gboolean *exit_now,
                  GError **error)
{
  gboolean want_help = FALSE;
  const GOptionEntry help_entries[] = {
    { "help", 'h', 0, G_OPTION_ARG_NONE, &want_help, "Show this help", NULL },
    G_OPTION_ENTRY_NULL,
  };
  g_autofree char *prgname = g_strdup_printf ("%s %s", PACKAGE_NAME, command);
  g_autoptr (GOptionContext) ctx = g_option_context_new (parameter);
  g_autoptr (GError) local_error = NULL;

  *exit_now = FALSE;
  g_set_prgname (prgname);
  g_option_context_set_help_enabled (ctx, FALSE);
  g_option_context_set_summary (ctx, summary);
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_main_entries (ctx, help_entries, NULL);
  if (!g_option_context_parse (ctx, argc, argv, &local_error))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "%s (see %s help %s)", local_error->message,
                   PACKAGE_NAME, command);
      return FALSE;
    }
  if (want_help)
    {
      g_autofree char *help = g_option_context_get_help (ctx, TRUE, NULL);
      fputs (help, stdout);
      *exit_now = TRUE;
    }
  return TRUE;
}

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: %s COMMAND [OPTION...]\n\n"
           "Store TLS-RPT (RFC 8460) reports from email in SQLite, and query them.\n\n"
           "Commands:\n",
           PACKAGE_NAME);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "  %-10s %s\n", "help", "show the options of a command");
  fprintf (out,
           "\nOptions:\n  -h, --help     Show this help\n"
           "  --version      Show the version\n\n"
           "\"%s help COMMAND\" shows the options of COMMAND; see tlsrptdb(1).\n",
           PACKAGE_NAME);
}

static const TrCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

int
main (int argc, char **argv)
{
  const TrCommand *command;

  /* ingest stays in the C locale whatever the environment: what it stores must not depend on the
   * MTA's locale (Postfix passes LANG=C, Exim none), and loading a locale opens some two dozen
   * files, a tenth of what ingest itself costs (doc/performance.md).  The others talk to people. */
  if (argc < 2 || strcmp (argv[1], "ingest") != 0)
    setlocale (LC_ALL, "");
  if (argc < 2)
    {
      usage (stderr);
      return EX_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      usage (stdout);
      return EX_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EX_OK;
    }
  if (strcmp (argv[1], "help") == 0)
    {
      char *help_argv[] = { NULL, (char *) "--help", NULL };

      if (argc < 3)
        {
          usage (stdout);
          return EX_OK;
        }
      command = find_command (argv[2]);
      if (command == NULL)
        {
          fprintf (stderr, "%s: unknown command \"%s\"\n", PACKAGE_NAME, argv[2]);
          return EX_USAGE;
        }
      help_argv[0] = (char *) command->name;
      return command->run (2, help_argv);
    }

  command = find_command (argv[1]);
  if (command == NULL)
    {
      fprintf (stderr, "%s: unknown command \"%s\" (see %s --help)\n", PACKAGE_NAME, argv[1],
               PACKAGE_NAME);
      return EX_USAGE;
    }
  return command->run (argc - 1, argv + 1);
}
