/* libs.h - the library set of the ingest benchmark's floor programs (floor.c, store-floor.c,
 * parse-floor.c): the libraries tlsrptdb links (gmime-3.0, glib-2.0, gio-2.0, json-glib-1.0,
 * sqlite3, zlib), one symbol of each referenced so that, linked with -Wl,--no-as-needed, every
 * one is loaded and start-up costs what tlsrptdb's does.  Use (void) tr_bench_libs in main. */
#pragma once

#include <gio/gio.h>
#include <glib.h>
#include <gmime/gmime.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <zlib.h>

/* The addresses are stored in a volatile array so that the references survive optimisation. */
static void *volatile tr_bench_libs[] = {
  (void *) g_mime_init, (void *) json_parser_new,     (void *) sqlite3_libversion,
  (void *) zlibVersion, (void *) g_file_new_for_path, (void *) g_strdup,
};
