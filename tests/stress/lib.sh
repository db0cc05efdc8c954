# lib.sh - shared by the stress tests (sourced): finds the binary, makes a work directory,
# and reuses the TAP helpers and report_json of tests/cli/lib.sh.
#
# The binary is $1 of the calling script, else $TLSRPTDB, else build/src/tlsrptdb of this tree.
# The work directory ($TESTTMP) is removed at exit unless KEEP=1.
set -u
STRESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRCDIR=$(cd "$STRESS_DIR/../.." && pwd)
TLSRPTDB=${1:-${TLSRPTDB:-$SRCDIR/build/src/tlsrptdb}}
case $TLSRPTDB in /*) ;; *) TLSRPTDB=$PWD/$TLSRPTDB ;; esac
[ -x "$TLSRPTDB" ] || { echo "not ok 1 - no binary at $TLSRPTDB (give its path as \$1 or \$TLSRPTDB)"; exit 1; }
# not the /etc/tlsrptdb.conf of the machine running the tests
TLSRPTDB_CONFIG=${TLSRPTDB_CONFIG:-$SRCDIR/tests/cli/empty.conf}
TESTTMP=$(mktemp -d "${TMPDIR:-/tmp}/tlsrptdb-stress.XXXXXX") || exit 1
export TLSRPTDB SRCDIR TESTTMP TLSRPTDB_CONFIG
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$TESTTMP"' EXIT
# shellcheck source=../cli/lib.sh
. "$SRCDIR/tests/cli/lib.sh"

# done_testing - the TAP plan and the plain closing line "N passed, M failed"
done_testing () {
  echo "1..$_n"
  echo "$(basename "$0" .sh): $((_n - _failed)) passed, $_failed failed"
  [ "$_failed" -eq 0 ]
}

# integrity DB : "ok" when SQLite finds the database sound
integrity () { sqlite3 -batch -noheader "$1" "PRAGMA integrity_check" 2>&1 | head -5 | tr '\n' ' ' | sed 's/ $//'; }

# sleep_ms N : sleep N milliseconds without starting a process
exec 8<> <(:)
sleep_ms () { local t; printf -v t '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); read -r -t "$t" -u 8 || :; }
# now_ms : $now = milliseconds since the epoch, without starting a process
now_ms () { now=$((${EPOCHREALTIME/./} / 1000)); }

# report_failures ID N : a valid bare-JSON report with one policy and N failure-details (the
# details are made once per N and kept: call it outside $(...) to profit)
declare -A _failure_details
report_failures () {
  if [ -z "${_failure_details[$2]+set}" ]; then
    _failure_details[$2]=$(awk -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s{\"result-type\":\"certificate-expired\",\"sending-mta-ip\":\"192.0.2.%d\",\"receiving-mx-hostname\":\"mx%d.example.com\",\"receiving-ip\":\"198.51.100.%d\",\"failed-session-count\":1}", (i ? "," : ""), i % 250 + 1, i, i % 250 + 1 }')
  fi
  printf '{"organization-name":"Example Sender","date-range":{"start-datetime":"2026-11-20T00:00:00Z","end-datetime":"2026-11-20T23:59:59Z"},"contact-info":"tlsrpt@sender.example","report-id":"%s","policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: enforce","mx: mx.example.com","max_age: 86400"],"policy-domain":"example.com","mx-host":["mx.example.com"]},"summary":{"total-successful-session-count":5,"total-failure-session-count":%d},"failure-details":[%s]}]}\n' "$1" "$2" "${_failure_details[$2]}"
}

