#!/bin/sh
# run-tap.sh SCRIPT - run one CLI test script in a fresh temporary directory, then remove it.
set -u
TESTTMP=$(mktemp -d "${TMPDIR:-/tmp}/tlsrptdb-test.XXXXXX") || exit 99
export TESTTMP
# the default database (XDG_DATA_HOME) is the test's own, never the user's
XDG_DATA_HOME=$TESTTMP/xdg-data
export XDG_DATA_HOME
unset TLSRPTDB_DB
trap 'rm -rf "$TESTTMP"' EXIT INT TERM
bash "$1"
