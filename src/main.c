/* main.c - the command table of tlsrptdb and the dispatch to cmd-NAME.c */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "command.h"

/* The commands, in the order "tlsrptdb --help" lists them. */
static const TrCommand *const commands[] = {
  &tr_command_ingest,  &tr_command_import,  &tr_command_reprocess, &tr_command_prune,
  &tr_command_query,   &tr_command_show,    &tr_command_rejected,  &tr_command_inspect,
  &tr_command_explain, &tr_command_report,  &tr_command_digest,    &tr_command_check,
  &tr_command_metrics, &tr_command_upgrade, &tr_command_copy,      &tr_command_config,
  &tr_command_cgi,
};

static void
usage (FILE *out)
{
  fprintf (
      out,
      "Usage: %s COMMAND [OPTION...]\n\n"
      "Store TLS-RPT (RFC 8460) reports from email in SQLite or PostgreSQL, and query them.\n\n"
      "Commands:\n",
      PACKAGE_NAME);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
  fprintf (out, "  %-10s %s\n", "help", "show the options of a command");
  fprintf (out,
           "\nOptions:\n  -h, --help     Show this help\n"
           "  -V, --version  Show the version (also: tlsrptdb version)\n\n"
           "\"%s help COMMAND\" shows the options of COMMAND; see tlsrptdb(1).\n",
           PACKAGE_NAME);
}

static const TrCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_ascii_strcasecmp (commands[i]->name, name) == 0)
      return commands[i];
  return NULL;
}

int
main (int argc, char **argv)
{
  const TrCommand *command = argc < 2 ? NULL : find_command (argv[1]);

  /* Run by a web server (RFC 3875): the request is all there is.  The arguments are a
   * stranger's (Apache makes a query string without '=' the arguments: "?prune+--older-than+1d"),
   * so none is looked at.  A CGI script that runs tlsrptdb for other commands unsets the
   * variable (tlsrptdb-cgi(1)). */
  if (g_getenv ("GATEWAY_INTERFACE") != NULL)
    {
      static char *cgi_argv[] = { (char *) "cgi", NULL };

      return tr_command_main (&tr_command_cgi, 1, cgi_argv);
    }

  /* A delivery command (ingest) stays in the C locale whatever the environment: what it stores
   * must not depend on the MTA's locale (Postfix passes LANG=C, Exim none), and loading a locale
   * opens some two dozen files, a tenth of what ingest itself costs (doc/performance.md).  The
   * others talk to people. */
  if (command == NULL || !(command->flags & TR_COMMAND_DELIVERY))
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
  if (strcmp (argv[1], "--version") == 0 || strcmp (argv[1], "-V") == 0
      || strcmp (argv[1], "version") == 0)
    {
      printf ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EX_OK;
    }
  if (strcmp (argv[1], "help") == 0)
    {
      if (argc >= 3 && strcmp (argv[2], "--complete") == 0) /* the shells' completion */
        return tr_complete (commands, G_N_ELEMENTS (commands), argc - 3, argv + 3);
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
      tr_command_help (command);
      return EX_OK;
    }

  if (command == NULL)
    {
      fprintf (stderr, "%s: unknown command \"%s\" (see %s --help)\n", PACKAGE_NAME, argv[1],
               PACKAGE_NAME);
      return EX_USAGE;
    }
  return tr_command_main (command, argc - 1, argv + 1);
}
