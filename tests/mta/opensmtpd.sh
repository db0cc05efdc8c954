#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# opensmtpd.sh [TLSRPTDB] - end to end through a real OpenSMTPD on loopback (installs it with apt)
#
# The action and match line of contrib/opensmtpd/smtpd.conf (paths replaced; the address,
# tls-reports@example.com, kept) are put before the first match rule of Debian's stock
# /etc/smtpd.conf, as the file's comment says, into a copy that smtpd runs with; the action
# runs as the dedicated user tlsrptdb.  The same checks as postfix.sh: samples stored, a repeat
# counted, unwritable database -> TempFail and queued (never bounced), `smtpctl schedule all`
# then stores it once, a non-report delivered and kept in `rejected`.  OpenSMTPD conflicts with
# Postfix and Exim: they are removed first.  Needs root; changes the machine (a CI machine).
# The smtpd started here is stopped at the end.  Idempotent.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

mta_gate

remove_mtas_except opensmtpd
if ! command -v smtpd >/dev/null; then
  echo "opensmtpd opensmtpd/mailname string localhost" | debconf-set-selections
  apt_install --no-install-recommends opensmtpd || { cat "$TESTTMP/apt.log"; echo "not ok 1 - apt-get install opensmtpd"; exit 1; }
fi
[ -f /run/smtpd.pid ] && kill "$(cat /run/smtpd.pid)" 2>/dev/null && wait_for 10 test ! -e /run/smtpd.pid
mta_setup
install -d -o tlsrptdb -g tlsrptdb -m 0750 "$W/opensmtpd"
log=$W/smtpd.log
rcpt=tls-reports@example.com

# the contrib lines before the first match rule of the stock configuration
contrib_lines "$CONTRIB/opensmtpd/smtpd.conf" opensmtpd >"$TESTTMP/contrib.conf"
awk -v lines="$TESTTMP/contrib.conf" '/^match / && !done { while ((getline l < lines) > 0) print l; done = 1 } { print }' \
  /etc/smtpd.conf >"$W/smtpd.conf"
smtpd -n -f "$W/smtpd.conf" >"$TESTTMP/n" 2>&1 || { fail "smtpd -n"; sed 's/^/# /' "$TESTTMP/n"; }
echo "# smtpd.conf: $(grep -v '^#' "$W/smtpd.conf" | sed '/^$/d' | tr '\n' ';')"
smtpd -d -f "$W/smtpd.conf" >"$log" 2>&1 & # foreground, logging to stderr: the test's own log
smtpd=$!
check "smtpd started" wait_for 10 sh -c 'smtpctl show stats >/dev/null 2>&1'

# more_than N PATTERN : the log has more than N lines matching PATTERN
more_than () { [ "$(grep -c "$2" "$log" 2>/dev/null)" -gt "$1" ]; }
# deliver RCPT FILE : submit with sendmail (smtpctl enqueue), wait for the mda's result line;
# $outcome = Ok, TempFail, PermFail, or "refused" when sendmail is refused at once
deliver () {
  local before pattern="mda delivery .* rcpt=<$1> .*result="
  before=$(grep -c "$pattern" "$log")
  if ! sendmail -i -f sender@localhost "$1" <"$2" 2>"$TESTTMP/sendmail"; then
    outcome="refused: $(cat "$TESTTMP/sendmail")"
  elif wait_for 30 more_than "$before" "$pattern"; then
    outcome=$(grep "$pattern" "$log" | tail -1 | sed 's/.*result=\([A-Za-z]*\).*/\1/')
  else
    outcome=timeout
  fi
}
queued () { smtpctl show queue | grep -c "|$1|"; }

ref=$TESTTMP/ref/reports.db
bad=
for f in "$SAMPLES"/*.eml; do
  "$TLSRPTDB" ingest --db "$ref" <"$f"
  deliver "$rcpt" "$f"
  [ "$outcome" = Ok ] || bad="$bad ${f##*/}:$outcome"
done
is "every sample delivered (result=Ok)" "$bad" ""
is "the samples stored as a direct ingest stores them" \
  "$(rows opensmtpd "SELECT reporter_key, report_id FROM reports ORDER BY 1, 2")" \
  "$(sqlite3 "$ref" "SELECT reporter_key, report_id FROM reports ORDER BY 1, 2")"
is "the database belongs to the action's user" "$(stat -c %U "$W/opensmtpd/reports.db")" tlsrptdb
deliver "$rcpt" "$SAMPLES/google.eml"
is "a repeat is delivered and counted" "$outcome $(rows opensmtpd "SELECT max(deliveries) FROM reports")" "Ok 2"

chmod 0400 "$W/opensmtpd/reports.db"
report_json mta-opensmtpd-deferred >"$TESTTMP/r.json"
mail_gzip mta-opensmtpd-deferred "$TESTTMP/r.json" >"$W/msgs/deferred.eml"
deliver "$rcpt" "$W/msgs/deferred.eml"
is "unwritable database: TempFail" "$outcome" TempFail
echo "#   $(grep "result=TempFail" "$log" | tail -1 | sed 's/.*result=TempFail //' | cut -c1-250)"
is "the message stays in the queue" "$(queued "$rcpt")" 1
chmod 0640 "$W/opensmtpd"/reports.db*
before=$(grep -c "rcpt=<$rcpt> .*result=Ok" "$log")
smtpctl schedule all >/dev/null
check "after smtpctl schedule all it is delivered" wait_for 30 more_than "$before" "rcpt=<$rcpt> .*result=Ok"
is "stored once" "$(rows opensmtpd "SELECT count(*), sum(deliveries) FROM reports WHERE report_id = 'mta-opensmtpd-deferred'")" "1|1"
is "queue empty" "$(queued "$rcpt")" 0

check_non_report opensmtpd "$rcpt" Ok
is "nothing refused or bounced" "$(grep -cE 'result=PermFail|failed-command' "$log")" 0
kill "$smtpd"
wait "$smtpd"
check "smtpd stopped" test ! -e /run/smtpd.pid
echo "# figures: $(smtpd -h 2>&1 | sed -n 's/^version: //p'), $(grep -c 'result=Ok' "$log") deliveries, $(grep -c 'result=TempFail' "$log") TempFail then delivered"
done_testing
