/* floor.c - the do-nothing program that sets the per-process floor of the ingest benchmark.
 *
 * It is linked against the same libraries as tlsrptdb (gmime-3.0, glib-2.0, gio-2.0,
 * json-glib-1.0, sqlite3, zlib) and does nothing: the cost of running it is exec, the dynamic
 * loader, relocations and the libraries' constructors, which every tlsrptdb run pays too.
 * One symbol of each library is referenced (and the script links with -Wl,--no-as-needed), so
 * the linker keeps every library even though none of them is called. Prints nothing. */

#include <gio/gio.h>
#include <glib.h>
#include <gmime/gmime.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <zlib.h>

/* The addresses are stored in a volatile array so that the references survive optimisation. */
static void *volatile keep[] = {
  (void *) g_mime_init, (void *) json_parser_new,     (void *) sqlite3_libversion,
  (void *) zlibVersion, (void *) g_file_new_for_path, (void *) g_strdup,
};

/* main - do nothing and succeed */
int
main (void)
{
  (void) keep;
  return 0;
}
