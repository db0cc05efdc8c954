#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# nagios.sh [TLSRPTDB] - what a real Nagios 4 records from a plugin's output: state, summary,
# long output and performance data (installs nagios4-core with apt)
#
# The harness (nagios-lib.sh, README.md) runs one plugin command line in a fresh engine and reads
# status.dat back.  Proved here with plugins written in the test: the guidelines' kind of output
# (state 1, the perfdata as printed), a hostile label escaped as print/perfdata.c escapes it (kept
# whole), the same text unescaped (the engine splits it where it must not: what the escapes are
# for, and proof that the harness sees it), UNKNOWN; then print/perfdata.c's own output
# (tests/unit/monitoring-sample plugin, two policy domains, one hostile) under a locale with a
# decimal comma: the engine records the summary, the long output and the performance data exactly
# as printed, with decimal points.  `tlsrptdb check` will be plugged in the same way.  Needs
# root; changes the machine (a CI machine): installs nagios4-core (and with it bsd-mailx, which
# wants an MTA: one of the MTA tests' is there by then, else apt brings exim4), stops the
# packaged nagios4.  The engine is stopped after each run.  Idempotent.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=nagios-lib.sh
. "$(dirname "$0")/nagios-lib.sh"

monitoring_gate
nagios_install
monitoring_setup
runs=0 start=$(date +%s)

# plugin NAME EXIT LINE... : a shell plugin $W/bin/NAME printing the LINEs and exiting EXIT
plugin () {
  local name=$1 code=$2
  shift 2
  { echo '#!/bin/sh'; printf "printf '%%s\\\\n'"; printf " '%s'" "${@//\'/\'\\\'\'}"; printf '\nexit %s\n' "$code"; } >"$W/bin/$name"
  chmod 0755 "$W/bin/$name"
}
# run DESC CMD... : nagios_run, one TAP line for the run itself
run () {
  local desc=$1
  shift
  runs=$((runs + 1))
  check "$desc: the engine ran the check" nagios_run "$@"
}

plugin simple 1 "TLSRPT WARNING - x | 'a'=1;2;3;0;"
sed -i '$i id -un' "$W/bin/simple" # before exit: the user it runs as, as long output
run "simple" "$W/bin/simple"
is "simple: state WARNING" "$nagios_state" 1
is "simple: the summary" "$nagios_output" "TLSRPT WARNING - x"
is "simple: the performance data" "$nagios_perfdata" "'a'=1;2;3;0;"
is "simple: run as $NAGIOS_USER (long output)" "$nagios_long_output" "$NAGIOS_USER"

# a policy domain "evil's| x=1<LF>::", escaped as print/perfdata.c escapes text and labels
plugin escaped 2 "TLSRPT CRITICAL - evil's\\x7c x=1\\n:: | 'evil''s\\x7c x\\x3d1\\n\\x3a\\x3a sessions'=5;;;0 example.com=1" \
  "evil's\\x7c x=1\\n::: 5 sessions"
run "hostile, escaped" "$W/bin/escaped"
is "hostile, escaped: state CRITICAL" "$nagios_state" 2
is "hostile, escaped: the summary, whole" "$nagios_output" "TLSRPT CRITICAL - evil's\\x7c x=1\\n::"
is "hostile, escaped: the label, whole" "$nagios_perfdata" "'evil''s\\x7c x\\x3d1\\n\\x3a\\x3a sessions'=5;;;0 example.com=1"
is "hostile, escaped: the long output" "$nagios_long_output" "evil's\\x7c x=1\\n::: 5 sessions"

# the same domain unescaped, as a careless printf would write it: its '|' starts the performance
# data and its line break ends the summary
plugin raw 0 "TLSRPT OK - evil's| x=1" ":: | 'evil''s| x=1" ":: sessions'=5;;;0"
run "hostile, raw" "$W/bin/raw"
echo "#   recorded: output [$nagios_output] long output [$nagios_long_output] perfdata [$nagios_perfdata]"
is "hostile, raw: the engine cuts the summary at the domain's '|'" "$nagios_output" "TLSRPT OK - evil's"
is "hostile, raw: and takes the rest of the domain for performance data" "${nagios_perfdata%% *}" "x=1"

plugin unknown 3 "TLSRPT UNKNOWN - cannot open the database"
run "unknown" "$W/bin/unknown"
is "unknown: state UNKNOWN" "$nagios_state" 3

# print/perfdata.c's output, in a locale whose decimal point is a comma
if comma=$(comma_env); then
  # shellcheck disable=SC2086 # words
  expected=$(env $comma "$W/bin/monitoring-sample" plugin)
  code=$?
  first=${expected%%$'\n'*}
  # shellcheck disable=SC2086 # words
  run "perfdata.c ($comma)" env $comma "$W/bin/monitoring-sample" plugin
  is "perfdata.c: the exit code is CRITICAL" "$code" 2
  is "perfdata.c: state CRITICAL" "$nagios_state" 2
  is "perfdata.c: the summary as printed" "$nagios_output" "${first%% | *}"
  is "perfdata.c: the performance data as printed" "$nagios_perfdata" "${first#* | }"
  is "perfdata.c: the long output as printed" "$nagios_long_output" "${expected#*$'\n'}"
  is "perfdata.c: 6 items, 2 of them percentages with a decimal point" \
    "$(printf '%s\n' "$nagios_perfdata" | grep -o "'=[0-9.]*%*" | tr '\n' ' ')" "'=8 '=1 '=12.5% '=3 '=3 '=100% "
  echo "#   $(printf '%s' "$nagios_perfdata" | cut -c1-200)..."
else
  fail "no locale with a decimal comma (localedef failed)"
fi

echo "# figures: $(nagios4 --version 2>/dev/null | grep -m1 -o 'Nagios Core [0-9.]*'), $runs checks in $(($(date +%s) - start)) s (a fresh engine each)"
done_testing
