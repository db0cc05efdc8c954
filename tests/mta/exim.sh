#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# exim.sh [TLSRPTDB] - end to end through a real Exim on loopback (installs it with apt)
#
# Two set-ups from contrib/exim, side by side, in Debian's split configuration: the alias with
# SYSTEM_ALIASES_PIPE_TRANSPORT (tls-reports@localhost, runs as nobody) and the router +
# pipe transport (tls-pipe@localhost, runs as tlsrptdb).  The same checks as postfix.sh:
# samples stored, a repeat counted, unwritable database -> deferred and queued (never
# bounced), `exim4 -qff` then stores it once, a non-report delivered and kept in `rejected`.
# Exim conflicts with Postfix and OpenSMTPD: they are removed first.  Needs root; changes the
# machine (a CI machine).  The Exim daemon started here is stopped at the end.  Idempotent.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

mta_gate
log=/var/log/exim4/mainlog

remove_mtas_except exim4
if ! command -v exim4 >/dev/null; then
  echo "exim4-config exim4/dc_eximconfig_configtype select local delivery only; not on a network" | debconf-set-selections
  apt_install exim4-daemon-light || { cat "$TESTTMP/apt.log"; echo "not ok 1 - apt-get install exim4-daemon-light"; exit 1; }
fi
[ -f /run/exim4/exim.pid ] && kill "$(cat /run/exim4/exim.pid)" 2>/dev/null
# an empty queue and no retry records: nothing left from an earlier run
exim4 -bp 2>/dev/null | awk 'NF >= 3 && $3 ~ /-/ {print $3}' | xargs -r exim4 -Mrm >/dev/null 2>&1
rm -f /var/spool/exim4/db/retry*
mta_setup

# split configuration, local delivery only, on loopback
sed -i -e "s/^dc_use_split_config=.*/dc_use_split_config='true'/" \
  -e "s/^dc_eximconfig_configtype=.*/dc_eximconfig_configtype='local'/" \
  -e "s/^dc_local_interfaces=.*/dc_local_interfaces='127.0.0.1'/" /etc/exim4/update-exim4.conf.conf
# contrib/exim/aliases: the macros (from its comment) and the alias line
grep -Eo 'SYSTEM_ALIASES_[A-Z_]+ = .*' "$CONTRIB/exim/aliases" >/etc/exim4/conf.d/main/000_localmacros
sed -i '/^tls-reports:/d' /etc/aliases
contrib_lines "$CONTRIB/exim/aliases" alias >>/etc/aliases
# contrib/exim/router and transport, at the places their comments name
contrib_lines "$CONTRIB/exim/router" pipe | sed 's/local_parts = tls-reports/local_parts = tls-pipe/' \
  >/etc/exim4/conf.d/router/350_local_tlsrptdb
contrib_lines "$CONTRIB/exim/transport" pipe >/etc/exim4/conf.d/transport/30_local_tlsrptdb
update-exim4.conf || fail "update-exim4.conf"
exim4 -bV >/dev/null 2>"$TESTTMP/bV" || { fail "exim4 -bV"; sed 's/^/# /' "$TESTTMP/bV"; }
log_start=$(($(stat -c %s "$log" 2>/dev/null || echo 0) + 1))
exim4 -bd # no queue runner: the test runs the queue itself (exim4 -qff)
check "exim started" wait_for 10 test -s /run/exim4/exim.pid
echo "# aliases: $(grep '^tls-reports:' /etc/aliases); macros: $(tr '\n' ' ' </etc/exim4/conf.d/main/000_localmacros)"
echo "# transport: $(grep command /etc/exim4/conf.d/transport/30_local_tlsrptdb)"

# deliver RCPT FILE : submit with sendmail -odf (delivery in the foreground); $outcome is
# delivered (=>), deferred (==) or bounced (**), from the log lines it wrote
deliver () {
  local start
  start=$(($(stat -c %s "$log" 2>/dev/null || echo 0) + 1))
  sendmail -odf -i -f sender@localhost "$1" <"$2"
  tail -c +"$start" "$log" >"$TESTTMP/new.log"
  if grep -Eq " \*\* (.*<$1>|$1 )" "$TESTTMP/new.log"; then outcome=bounced
  elif grep -Eq " == (.*<$1>|$1 )" "$TESTTMP/new.log"; then outcome=deferred
  elif grep -Eq " => .*<$1>" "$TESTTMP/new.log"; then outcome=delivered
  else outcome=unknown; fi
}
queued () { exim4 -bp | grep -c "$1"; }

ref=$TESTTMP/ref/reports.db
for f in "$SAMPLES"/*.eml; do "$TLSRPTDB" ingest --db "$ref" <"$f"; done
for variant in alias pipe; do
  if [ $variant = alias ]; then rcpt=tls-reports@localhost; else rcpt=tls-pipe@localhost; fi
  bad=
  for f in "$SAMPLES"/*.eml; do
    deliver "$rcpt" "$f"
    [ "$outcome" = delivered ] || { bad="$bad ${f##*/}:$outcome"; sed 's/^/#   /' "$TESTTMP/new.log" | head -5; }
  done
  is "$variant: every sample delivered (=>)" "$bad" ""
  is "$variant: the samples stored as a direct ingest stores them" \
    "$(rows $variant "SELECT reporter_key, report_id FROM reports ORDER BY 1, 2")" \
    "$(sqlite3 "$ref" "SELECT reporter_key, report_id FROM reports ORDER BY 1, 2")"
  is "$variant: the database belongs to the pipe's user" "$(stat -c %U "$W/$variant/reports.db")" \
    "$([ $variant = alias ] && echo nobody || echo tlsrptdb)"
  deliver "$rcpt" "$SAMPLES/google.eml"
  is "$variant: a repeat is delivered and counted" "$outcome $(rows $variant "SELECT max(deliveries) FROM reports")" "delivered 2"

  chmod 0400 "$W/$variant"/reports.db*
  report_json "mta-$variant-deferred" >"$TESTTMP/r.json"
  mail_gzip "mta-$variant-deferred" "$TESTTMP/r.json" >"$W/msgs/deferred-$variant.eml"
  deliver "$rcpt" "$W/msgs/deferred-$variant.eml"
  is "$variant: unwritable database: deferred" "$outcome" deferred
  echo "#   $(grep -E " == |transport output" "$TESTTMP/new.log" | cut -d' ' -f4- | cut -c1-250 | tr '\n' ' ')"
  is "$variant: the message stays in the queue" "$(queued "$rcpt")" 1
  chmod 0640 "$W/$variant"/reports.db*
  start=$(($(stat -c %s "$log") + 1))
  exim4 -qff
  tail -c +"$start" "$log" >"$TESTTMP/new.log"
  check "$variant: after exim4 -qff it is delivered" grep -q "=> .*<$rcpt>" "$TESTTMP/new.log"
  is "$variant: stored once" "$(rows $variant "SELECT count(*), sum(deliveries) FROM reports WHERE report_id = 'mta-$variant-deferred'")" "1|1"
  is "$variant: queue empty" "$(queued "$rcpt")" 0

  check_non_report "$variant" "$rcpt" delivered
done
tail -c +"$log_start" "$log" >"$TESTTMP/run.log"
is "nothing bounced" "$(grep -c ' \*\* ' "$TESTTMP/run.log")" 0
kill "$(cat /run/exim4/exim.pid)" 2>/dev/null
# shellcheck disable=SC2016 # sh expands it
check "exim stopped" wait_for 10 sh -c '! kill -0 "$(cat /run/exim4/exim.pid 2>/dev/null)" 2>/dev/null'
echo "# figures: $(exim4 --version | head -1 | cut -d' ' -f1-3), $(grep -c ' => ' "$TESTTMP/run.log") deliveries, $(grep -c ' == ' "$TESTTMP/run.log") deferred"
done_testing
