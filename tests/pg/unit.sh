#!/bin/bash
# unit.sh TEST [ARG...] - run the unit test TEST (tests/unit/test-store-pg) against a private
# PostgreSQL server (lib.sh) with the schema of $TLSRPTDB upgrade, as the schema's owner, named
# by $TLSRPTDB_TEST_PG_DB.  Where no server can be run (the gate of lib.sh), TEST runs alone and
# skips what needs one.
set -u
: "${TLSRPTDB:?the tlsrptdb binary}" "${SRCDIR:?the source tree}"
TESTTMP=$(mktemp -d "${TMPDIR:-/tmp}/tlsrptdb-unit.XXXXXX") || exit 99
export TESTTMP
skip_all () { echo "# $*" >&2; exit 77; }
# the test runs from / as the server's OS user (pg_as): its own path made absolute
case $1 in /*) ;; *) set -- "$PWD/$1" "${@:2}" ;; esac
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$SRCDIR/tests/pg/lib.sh"

if ! (pg_gate) >/dev/null 2>&1; then
  rm -rf "$TESTTMP"
  exec "$@"
fi
pg_gate
pg_setup >&2 || exit 99
db=$(pg_conninfo tlsrpt_owner)
pg_as tlsrpt_owner "$TLSRPTDB" upgrade --db "$db" >&2 || exit 99
chmod 0755 "$TESTTMP"
pg_as tlsrpt_owner env TLSRPTDB_TEST_PG_DB="$db" "$@"
