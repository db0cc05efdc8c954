#!/bin/bash
# reliability.sh [TLSRPTDB] - the delivery-agent promise, proved (doc/reliability.md)
#
# Runs in order: stress/concurrency.sh, stress/crash.sh, stress/diskfull.sh,
# stress/resources.sh, stress/valgrind.sh, fuzz/run.sh (FUZZ_SECONDS, default 60, per harness),
# pg/selftest.sh, pg/draft.sh (a private PostgreSQL server, see tests/pg/README.md),
# mta/postfix.sh, mta/digest.sh, mta/exim.sh, mta/procmail.sh, mta/dovecot.sh, mta/opensmtpd.sh,
# monitoring/nagios.sh, monitoring/promtool.sh, https/apache.sh, https/nginx.sh,
# https/lighttpd.sh, browser/chromium.sh.  TLSRPTDB ($1) is the plain build's binary (default
# build/src/tlsrptdb).
# The MTA tests install Postfix, then Exim, then Postfix again with procmail and Dovecot, then
# OpenSMTPD; the monitoring tests Nagios, then Prometheus and node_exporter; the HTTPS tests
# Apache, nginx with fcgiwrap, and lighttpd; with apt (root only; a CI machine; only with
# TLSRPTDB_TEST_MTA=1); the pg tests PostgreSQL if it is missing (the same, or
# TLSRPTDB_TEST_PG=1).  Prints each step's output, then a summary with the figures; exits 1 if
# any failed, or with RELIABILITY_NO_SKIP=1 (CI) if any was skipped.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
TLSRPTDB=${1:-${TLSRPTDB:-$repo/build/src/tlsrptdb}}
case $TLSRPTDB in /*) ;; *) TLSRPTDB=$PWD/$TLSRPTDB ;; esac
export TLSRPTDB
logs=$(mktemp -d "${TMPDIR:-/tmp}/tlsrptdb-reliability.XXXXXX") || exit 1
trap 'rm -rf "$logs"' EXIT

passed=0 failed=0 skipped=0 summary=
step () { # step NAME CMD... : run one step, keep its output and verdict
  local name=$1 start status verdict
  shift
  echo "=== $name"
  start=$(date +%s)
  "$@" 2>&1 | tee "$logs/$name.log"
  status=${PIPESTATUS[0]}
  if [ "$status" = 77 ] || grep -q '^1\.\.0 # SKIP' "$logs/$name.log"; then verdict=SKIP; skipped=$((skipped + 1))
  elif [ "$status" = 0 ]; then verdict=PASS; passed=$((passed + 1))
  else verdict=FAIL; failed=$((failed + 1)); fi
  summary+="$verdict $name ($(($(date +%s) - start)) s): $(grep -E '(passed|failed)' "$logs/$name.log" | tail -1)"$'\n'
  summary+=$(grep -E '^# figures:|^ok fuzz|^FAIL fuzz|# SKIP' "$logs/$name.log" | sed 's/^/    /')
  summary+=$'\n'
}

begin=$(date +%s)
step concurrency bash "$here/stress/concurrency.sh" "$TLSRPTDB"
step crash bash "$here/stress/crash.sh" "$TLSRPTDB"
step diskfull bash "$here/stress/diskfull.sh" "$TLSRPTDB"
step resources bash "$here/stress/resources.sh" "$TLSRPTDB"
step valgrind bash "$here/stress/valgrind.sh" "$TLSRPTDB"
step fuzz bash "$here/fuzz/run.sh" "${FUZZ_SECONDS:-60}"
step pg-selftest bash "$here/pg/selftest.sh" "$TLSRPTDB"
step pg-draft bash "$here/pg/draft.sh" "$TLSRPTDB"
step postfix bash "$here/mta/postfix.sh" "$TLSRPTDB"
step digest-postfix bash "$here/mta/digest.sh" "$TLSRPTDB"
step exim bash "$here/mta/exim.sh" "$TLSRPTDB"
step procmail bash "$here/mta/procmail.sh" "$TLSRPTDB"
step dovecot bash "$here/mta/dovecot.sh" "$TLSRPTDB"
step opensmtpd bash "$here/mta/opensmtpd.sh" "$TLSRPTDB"
step nagios bash "$here/monitoring/nagios.sh" "$TLSRPTDB"
step promtool bash "$here/monitoring/promtool.sh" "$TLSRPTDB"
step https-apache bash "$here/https/apache.sh" "$TLSRPTDB"
step https-nginx bash "$here/https/nginx.sh" "$TLSRPTDB"
step https-lighttpd bash "$here/https/lighttpd.sh" "$TLSRPTDB"
step browser bash "$here/browser/chromium.sh" "$TLSRPTDB"

echo "=== summary ($(($(date +%s) - begin)) s)"
printf '%s' "$summary"
echo "reliability: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && { [ "${RELIABILITY_NO_SKIP:-0}" != 1 ] || [ "$skipped" -eq 0 ]; }
