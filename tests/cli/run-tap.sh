#!/bin/sh
# run-tap.sh SCRIPT - run one CLI test script in a fresh temporary directory, then remove it.
set -u
TESTTMP=$(mktemp -d "${TMPDIR:-/tmp}/tlsrptdb-test.XXXXXX") || exit 99
export TESTTMP
trap 'rm -rf "$TESTTMP"' EXIT INT TERM
bash "$1"
