# backend.sh - the PostgreSQL backend for the command-line tests (sourced by tests/cli/lib.sh when
# TLSRPTDB_TEST_BACKEND=postgresql)
# shellcheck shell=bash
#
# One test body, two backends: a test calls newdb, sql, counts and "$TLSRPTDB" as always, and
# here they mean a private PostgreSQL server (tests/pg/lib.sh):
# - newdb: a new database, made from a template that `tlsrptdb upgrade` gave the schema (as the
#   owner, once per script); its connection string names no user
# - "$TLSRPTDB": tests/pg/as-role.sh, which runs the binary as the server's OS user, logged in
#   as the role of its command (ingest and import: tlsrpt_ingest; prune and reprocess:
#   tlsrpt_maint; upgrade and copy: tlsrpt_owner; the others: tlsrpt_read), never a superuser
# - sql DB QUERY: psql as the owner (tests change rows by hand), booleans printed as 1 and 0
#   as sqlite3 prints them
# Skipped (skip_all) where no server can be run (tests/pg/README.md, "The gate").

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$SRCDIR/tests/pg/lib.sh"

pg_gate
pg_setup >/dev/null || { echo "not ok 1 - a PostgreSQL server for the tests"; exit 1; }
# the binary runs as the server's OS user: it must reach the files of the test
chmod 0755 "$TESTTMP"
export TLSRPTDB_BIN=$TLSRPTDB PG_DIR PG_USER PG_PORT
TLSRPTDB=$SRCDIR/tests/pg/as-role.sh

# pg_db_admin SQL : SQL as the bootstrap superuser, outside the test databases
pg_db_admin () { PG_DB_OVERRIDE=postgres pg_psql "$PG_ADMIN" -c "$1" >/dev/null; }
# pg_make_db NAME [TEMPLATE] : a database the test roles may use (as pg_make_roles makes tlsrpt)
pg_make_db () {
  pg_db_admin "CREATE DATABASE $1 OWNER tlsrpt_owner TEMPLATE ${2:-template0}" \
    && pg_db_admin "REVOKE ALL ON DATABASE $1 FROM PUBLIC" \
    && pg_db_admin "GRANT CONNECT, TEMPORARY ON DATABASE $1 TO tlsrpt_owner, tlsrptdb_writer, tlsrptdb_reader" \
    && { [ -n "${2:-}" ] || PG_DB_OVERRIDE=$1 pg_psql "$PG_ADMIN" -c "REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO tlsrptdb_writer, tlsrptdb_reader;" >/dev/null; }
}
# pg_conninfo_of NAME : how the tests name database NAME (no user: as-role.sh picks the role)
pg_conninfo_of () { echo "host=$PG_DIR/sock port=$PG_PORT dbname=$1"; }
# pg_dbname CONNINFO : the database a connection string names
pg_dbname () { printf '%s\n' "$1" | sed -n 's/.*dbname=\([^ ]*\).*/\1/p'; }

# newdb_empty : a new database without the schema (for upgrade tests)
newdb_empty () {
  local name
  name=t$(od -An -N5 -tx1 /dev/urandom | tr -d ' \n')
  pg_make_db "$name" || return 1
  pg_conninfo_of "$name"
}
# newdb : a new database with this program's schema
newdb () {
  local name
  name=t$(od -An -N5 -tx1 /dev/urandom | tr -d ' \n')
  pg_make_db "$name" tlsrpt_template || return 1
  pg_conninfo_of "$name"
}
# sql DB QUERY : one value per line, columns separated by |, NULL as nothing, booleans 1 and 0
sql () {
  PG_DB_OVERRIDE=$(pg_dbname "$1") pg_psql tlsrpt_owner -F '|' -c "$2" \
    | awk -F'|' -v OFS='|' '{ for (i = 1; i <= NF; i++) { if ($i == "t") $i = 1; else if ($i == "f") $i = 0 } print }'
}

pg_make_db tlsrpt_template || { echo "not ok 1 - a template database"; exit 1; }
TLSRPTDB_PG_ROLE=tlsrpt_owner "$TLSRPTDB" upgrade --db "$(pg_conninfo_of tlsrpt_template)" >/dev/null \
  || { echo "not ok 1 - tlsrptdb upgrade of the template database"; exit 1; }
# SQLite's group_concat() for the tests' own SQL (a test fixture: not part of the schema)
PG_DB_OVERRIDE=tlsrpt_template pg_psql tlsrpt_owner >/dev/null <<'EOF'
CREATE FUNCTION group_concat_step(text, anyelement, text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2::text ELSE $1 || $3 || $2::text END $$;
CREATE AGGREGATE group_concat(anyelement, text) (SFUNC = group_concat_step, STYPE = text);
CREATE FUNCTION group_concat_step(text, anyelement) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT group_concat_step($1, $2, ',') $$;
CREATE AGGREGATE group_concat(anyelement) (SFUNC = group_concat_step, STYPE = text);
EOF
echo "# PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{ print $NF }') in $PG_DIR, OS user $PG_USER"
# copydb DB : a new database with DB's rows (DB as the template: no session may be on it)
copydb () {
  local name
  name=t$(od -An -N5 -tx1 /dev/urandom | tr -d ' \n')
  pg_make_db "$name" "$(pg_dbname "$1")" || return 1
  pg_conninfo_of "$name"
}
# schema_version DB : the database's schema version
schema_version () { sql "$1" "SELECT max(version) FROM tlsrptdb_version"; }
# claim_schema DB N : make DB say it has schema version N (as a newer tlsrptdb would)
claim_schema () { sql "$1" "INSERT INTO tlsrptdb_version (version) VALUES ($2)" >/dev/null; }
