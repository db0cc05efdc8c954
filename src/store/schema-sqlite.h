/* schema-sqlite.h - the numbered schema migrations of the SQLite database (doc/schema.md) */
#pragma once

#include <glib.h>

/* PRAGMA application_id: "TRPT" */
#define TR_SCHEMA_APPLICATION_ID 0x54525054

/* tr_schema_migrations - step N (1-based) is element N-1; never edit a step that has shipped */
extern const char *const tr_schema_migrations[];
extern const guint tr_schema_version;
