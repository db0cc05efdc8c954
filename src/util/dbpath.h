/* dbpath.h - where the database is: --db, else $TLSRPTDB_DB, else the config file's db, else
 * the XDG data directory */
#pragma once

#include <glib.h>

#include "settings.h"

/* tr_db_path - the database path to use; @option is the --db value and @configured the config
 * file's, either may be NULL; *@source says which one it is (newly allocated) */
char *tr_db_path (const char *option, const char *configured, TrSettingSource *source);
