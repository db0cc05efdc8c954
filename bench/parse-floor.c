/* parse-floor.c - the JSON floor of the ingest benchmark's big case.
 *
 * Usage: parse-floor JSON
 *
 * Reads the file JSON and parses it with json-glib (json_parser_load_from_data), the parser
 * tlsrptdb uses, and exits without looking at the tree or freeing it.  It is linked like
 * bench/floor.c, so its start-up is the floor's and the difference is the parse: what reading a
 * report costs with this stack before a single member is looked at.  Exit status 0, or 1 with a
 * message on stderr. */

#include <stdio.h>

#include "libs.h"

/* main - parse the file named by argv[1] */
int
main (int argc, char **argv)
{
  GError *error = NULL;
  JsonParser *parser;
  char *data;
  gsize len;

  (void) tr_bench_libs;
  if (argc != 2)
    {
      fprintf (stderr, "usage: parse-floor JSON\n");
      return 1;
    }
  if (!g_file_get_contents (argv[1], &data, &len, &error))
    {
      fprintf (stderr, "parse-floor: %s\n", error->message);
      return 1;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &error)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      fprintf (stderr, "parse-floor: %s: %s\n", argv[1],
               error != NULL ? error->message : "not a JSON object");
      return 1;
    }
  return 0;
}
