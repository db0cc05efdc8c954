/* dbpath.h - where the database is: --db, else $TLSRPTDB_DB, else the XDG data directory */
#pragma once

#include <glib.h>

/* tr_db_path - the database path to use; @option is the --db value or NULL (newly allocated) */
char *tr_db_path (const char *option);
