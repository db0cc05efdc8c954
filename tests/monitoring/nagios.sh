#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# nagios.sh [TLSRPTDB] - a real Nagios 4 runs `tlsrptdb check` as a check command against
# databases built for it, and records the state, summary, long output and performance data that
# the program printed (installs nagios4-core with apt)
#
# The harness (nagios-lib.sh, README.md) checks every service in one fresh engine and reads its
# status.dat back.  First proved with shell plugins (the guidelines' kind of output, run as the
# user nagios; a hostile policy domain written unescaped, which the engine splits where it must
# not: what the escapes are for, and proof that the harness sees it; exit 64, which Nagios
# records as CRITICAL without the plugin's reason: why check exits 3 on every error; 20 KB of
# output, of which Nagios may keep only 8 KB).  Then `tlsrptdb
# check`, run by Nagios as the user nagios through the group of a 2750 database directory (as
# README.md and doc/schema.md set it up): OK, WARNING (rejected mail; a lowered threshold),
# CRITICAL (a spike), UNKNOWN (a missing database, one it may not read, a bad option),
# --enforce-ready, a hostile policy domain among 31 failing ones, and a locale with a decimal
# comma.  For each, the engine must record the exit status as the state, and the first line's
# text, the performance data and the long output exactly as the same command prints them when
# run directly as nagios.  Needs root; changes the machine (a CI machine): installs
# nagios4-core (and with it bsd-mailx, which wants an MTA: one of the MTA tests' is there by
# then, else apt brings exim4), stops the packaged nagios4.  The engine is stopped after each
# run.  Idempotent.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=nagios-lib.sh
. "$(dirname "$0")/nagios-lib.sh"
# shellcheck source=../cli/check-lib.sh
. "$SRCDIR/tests/cli/check-lib.sh"

monitoring_gate
nagios_install
monitoring_setup
start=$(date +%s)

# plugin NAME EXIT LINE... : a shell plugin $W/bin/NAME printing the LINEs and exiting EXIT
plugin () {
  local name=$1 code=$2
  shift 2
  { echo '#!/bin/sh'; printf "printf '%%s\\\\n'"; printf " '%s'" "${@//\'/\'\\\'\'}"; printf '\nexit %s\n' "$code"; } >"$W/bin/$name"
  chmod 0755 "$W/bin/$name"
}

# --- the harness ------------------------------------------------------------------------------
plugin simple 1 "TLSRPT WARNING - x | 'a'=1;2;3;0;"
sed -i '$i id -un' "$W/bin/simple" # before exit: the user it runs as, as long output
nagios_service simple "$W/bin/simple"
# a policy domain "evil's| x=1<LF>::" unescaped, as a careless printf would write it: its '|'
# starts the performance data and its line break ends the summary
plugin raw 0 "TLSRPT OK - evil's| x=1" ":: | 'evil''s| x=1" ":: sessions'=5;;;0"
nagios_service raw "$W/bin/raw"
# a plugin that exits with a sysexits code, as tlsrptdb's other commands do
plugin code64 64 "TLSRPT UNKNOWN - the reason"
nagios_service code64 "$W/bin/code64"
# 20 KB of output, for the figures (not asserted: Nagios 4.4.6 reads a plugin's output in 8 KB
# pieces and, once the plugin has exited, may keep only the first one or two; tlsrptdb check stays
# within 8000 bytes, perfdata.h)
zeros=()
for _ in $(seq 200); do zeros+=("$(printf '%099d' 0)"); done
plugin long 0 "TLSRPT OK - long" "${zeros[@]}"
nagios_service long "$W/bin/long"
check "harness: the engine ran the four checks" nagios_check_all
nagios_result simple
is "simple: state WARNING" "$nagios_state" 1
is "simple: the summary" "$nagios_output" "TLSRPT WARNING - x"
is "simple: the performance data" "$nagios_perfdata" "'a'=1;2;3;0;"
is "simple: run as $NAGIOS_USER (long output)" "$nagios_long_output" "$NAGIOS_USER"
nagios_result long
kept=$((${#nagios_output} + 1 + ${#nagios_long_output} + 1))
echo "#   of 20017 bytes printed, Nagios kept $kept"
nagios_result code64
# why check exits 3 on every error: Nagios 4 takes any other status for CRITICAL, and drops the
# reason the plugin gave
is "exit 64: recorded as CRITICAL" "$nagios_state" 2
is "exit 64: the reason replaced" "$nagios_output" "(Return code of 64 for service 'code64' on host 'tlsrptdb-test' was out of bounds)"
nagios_result raw
is "hostile, raw: the engine cuts the summary at the domain's '|'" "$nagios_output" "TLSRPT OK - evil's"
is "hostile, raw: and takes the rest of the domain for performance data" "${nagios_perfdata%% *}" "x=1"

# --- databases, readable by nagios through the directory's group ------------------------------
db=$W/db R=$TESTTMP/reports
install -d -o root -g "$NAGIOS_USER" -m 2750 "$db"
install -m 0644 "$SRCDIR/tests/cli/empty.conf" "$W/empty.conf" # not the machine's config file
daily "$R" g.example ok.example 20 1 500 1 validation-failure
daily "$R" m.example ok.example 20 1 500 1 validation-failure
load "$db/ok.db" "$R"
daily "$R" g.example spike.example 20 2 500 1
daily "$R" m.example spike.example 20 1 500 0
rep "$R" g.example spike.example 1 100 400
load "$db/spike.db" "$R"
sqlite3 "$db/ok.db" ".backup '$db/rejected.db'"
ingest "$db/rejected.db" "$SRCDIR/tests/corpus/n_plain_text_mail.eml"
daily "$R" g.example ready.example 30 1 400 0 validation-failure testing
daily "$R" m.example ready.example 30 1 100 0 validation-failure testing
load "$db/ready.db" "$R"
for i in $(seq -w 1 30); do rep "$R" g.example "d$i.example" 1 50 50; done
printf '{"organization-name":"x","date-range":{"start-datetime":"%sT00:00:00Z","end-datetime":"%sT23:59:59Z"},"contact-info":"tlsrpt@evil.example","report-id":"evil","policies":[{"policy":{"policy-type":"sts","policy-domain":"evil'"'"'| x=1\\n:: TLSRPT OK"},"summary":{"total-successful-session-count":0,"total-failure-session-count":99}}]}\n' "$(day 1)" "$(day 1)" >"$R/evil.json"
load "$db/hostile.db" "$R"
install -d -m 0700 "$W/private"
sqlite3 "$db/ok.db" ".backup '$W/private/reports.db'"
chmod -R g+r "$db"
chgrp -R "$NAGIOS_USER" "$db"

# --- tlsrptdb check, run by the engine ----------------------------------------------------------
T=$W/bin/tlsrptdb
# service NAME ARG... : run "$T check --config $W/empty.conf ARG..." as nagios now, keeping its
# output and exit status, and add it as the service NAME (ARG may start with env words: then they
# go before $T)
service () {
  local name=$1 envw=()
  shift
  while [ $# -gt 0 ] && [[ $1 == *=* && $1 != -* ]]; do envw+=("$1"); shift; done
  runuser -u "$NAGIOS_USER" -- env "${envw[@]}" "$T" check --config "$W/empty.conf" "$@" >"$TESTTMP/$name.out" 2>"$TESTTMP/$name.err"
  echo $? >"$TESTTMP/$name.status"
  nagios_service "$name" env "${envw[@]}" "$T" check --config "$W/empty.conf" "$@"
}
# recorded NAME STATE : the engine recorded state STATE for NAME, which is the exit status of the
# direct run, and the summary, performance data and long output as the direct run printed them
recorded () {
  local name=$1 printed first
  printed=$(cat "$TESTTMP/$name.out")
  first=${printed%%$'\n'*}
  nagios_result "$name"
  is "$name: state $2, the exit status" "$nagios_state:$(cat "$TESTTMP/$name.status")" "$2:$2"
  is "$name: the summary as printed" "$nagios_output" "${first%% | *}"
  is "$name: the performance data as printed" "$nagios_perfdata" "$([[ $first == *" | "* ]] && printf '%s' "${first#* | }")"
  is "$name: the long output as printed" "$nagios_long_output" "$([[ $printed == *$'\n'* ]] && printf '%s' "${printed#*$'\n'}")"
  is "$name: nothing on stderr" "$(cat "$TESTTMP/$name.err")" ""
}
service ok --db "$db/ok.db"
service rejected --db "$db/rejected.db"
service lowered --db "$db/spike.db" --critical 50
service spike --db "$db/spike.db"
service missing --db "$db/none.db"
service private --db "$W/private/reports.db"
service usage --db "$db/ok.db" --since tomorrowish
service ready --db "$db/ready.db" --enforce-ready ready.example
service hostile --db "$db/hostile.db"
if comma=$(comma_env); then
  # shellcheck disable=SC2086 # words
  service comma $comma --db "$db/ok.db" -w 0.1 -c 12.5
else
  fail "no locale with a decimal comma (localedef failed)"
fi
check "tlsrptdb check: the engine ran every check" nagios_check_all

recorded ok 0
is "ok: the summary" "$nagios_output" "TLSRPT OK - 1 domain, 1002 sessions, 2 failed (0.20%) since $(day 1)"
is "ok: the performance data" "$nagios_perfdata" "'ok.example sessions'=1002;;;0 'ok.example failed'=2;;;0 'ok.example failure rate'=0.2%;5;25;0;100"
recorded rejected 1
is "rejected: the summary" "$nagios_output" "TLSRPT WARNING - 1 message rejected since $(day 1) (not a report)"
recorded lowered 1
recorded spike 2
is "spike: the summary" "$nagios_output" "TLSRPT CRITICAL - spike.example: 40.00% of 1000 sessions failed since $(day 1) (certificate-expired)"
recorded missing 3
is "missing: the reason" "$nagios_output" "TLSRPT UNKNOWN - $db/none.db: no such database (tlsrptdb ingest creates it)"
recorded private 3
case $nagios_output in "TLSRPT UNKNOWN - $W/private/reports.db: "*) pass "private: the reason names the database" ;; *) fail "private: the reason ($nagios_output)" ;; esac
echo "#   recorded: $nagios_output"
recorded usage 3
recorded ready 0
case $nagios_perfdata in *" 'ready.example days'=30;;;0;30 "*) pass "ready: the days in the performance data" ;;
  *) fail "ready: the days in the performance data ($nagios_perfdata)" ;; esac
recorded hostile 2
is "hostile: one '|' in what the program printed" "$(head -n 1 "$TESTTMP/hostile.out" | tr -cd '|' | wc -c)" 1
is "hostile: printed within 8000 bytes" "$(($(wc -c <"$TESTTMP/hostile.out") <= 8000))" 1
is "hostile: the lines that did not fit are counted" "$(tail -n 1 "$TESTTMP/hostile.out")" "(36 more lines left out)"
is "hostile: every domain's three items recorded" "$(grep -o "'=" <<<"$nagios_perfdata" | wc -l)" 93
case $nagios_perfdata in *"'evil''\\x7c x\\x3d1\\n\\x3a\\x3a tlsrpt ok sessions'=99;;;0"*) pass "hostile: its label, escaped, whole" ;;
  *) fail "hostile: its label, escaped, whole" ;; esac
echo "#   hostile: $(head -n 1 "$TESTTMP/hostile.out" | wc -c) bytes on the first line, $(wc -c <"$TESTTMP/hostile.out") in all"
if [ -n "${comma:-}" ]; then
  recorded comma 1
  is "comma ($comma): decimal points" "$nagios_output | $nagios_perfdata" \
    "TLSRPT WARNING - ok.example: 0.20% of 1002 sessions failed since $(day 1) (validation-failure) | 'ok.example sessions'=1002;;;0 'ok.example failed'=2;;;0 'ok.example failure rate'=0.2%;0.1;12.5;0;100"
fi

echo "# figures: $(nagios4 --version 2>/dev/null | grep -m1 -o 'Nagios Core [0-9.]*'), 14 checks in 2 engine runs, $(($(date +%s) - start)) s in all; of 20017 bytes printed it kept $kept"
done_testing
