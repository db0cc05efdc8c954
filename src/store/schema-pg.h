/* schema-pg.h - the numbered schema migrations of the PostgreSQL database (doc/schema.md) */
#pragma once

#include <glib.h>

/* tlsrptdb_version.application_id, as SQLite's PRAGMA application_id: "TRPT"; also the key of
 * the advisory lock that migrations take */
#define TR_PG_APPLICATION_ID 1414680660

/* The first version a PostgreSQL database has: the SQLite version whose data contract its first
 * step implements.  One number names one contract on both backends: step 6 will be written for
 * both (tests/unit/test-schema-pg.c holds them equal). */
#define TR_PG_FIRST_VERSION 5u

/* tr_pg_migrations - the step to version TR_PG_FIRST_VERSION + N is element N; never edit a step
 * that has shipped */
extern const char *const tr_pg_migrations[];
/* tr_pg_schema_version - the version this program writes */
extern const guint tr_pg_schema_version;
