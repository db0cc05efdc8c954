#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# postfix.sh [TLSRPTDB] - end to end through a real Postfix on loopback (installs it with apt)
#
# Two set-ups from contrib/postfix, side by side: the alias (tls-reports@localhost, runs as
# nobody) and the pipe(8) transport (tls-pipe@localhost, runs as tlsrptdb).  For each: the
# samples are delivered and stored as a direct ingest stores them; a repeat counts a delivery;
# with the database unwritable a new report is deferred (not bounced) and stays in the queue;
# once writable again, `postqueue -f` stores it, once; a non-report is delivered and kept in
# `rejected`.  Nothing bounces.  Postfix is stopped at the end.  Needs root; changes the machine
# (a CI machine): installs postfix, removes exim4 and opensmtpd if present, edits /etc/aliases
# and /etc/postfix.  Idempotent.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=postfix-lib.sh
. "$(dirname "$0")/postfix-lib.sh"

mta_gate

# shellcheck disable=SC2119 # nothing but postfix
postfix_install
mta_setup

# main.cf: local only, on loopback, log to a file; master.cf: no chroot
postfix_local
postconf -e "alias_maps = hash:/etc/aliases" "alias_database = hash:/etc/aliases" \
  "transport_maps = hash:/etc/postfix/transport" "default_privs = nobody"
# the pipe(8) transport of contrib/postfix/master.cf and the main.cf line that goes with it
postconf -MX tlsrptdb/unix 2>/dev/null
contrib_lines "$CONTRIB/postfix/master.cf" pipe >>/etc/postfix/master.cf
contrib_lines "$CONTRIB/postfix/main.cf" pipe | grep '^tlsrptdb_destination_recipient_limit' | while read -r line; do postconf -e "$line"; done
contrib_lines "$CONTRIB/postfix/transport" pipe | sed 's/^tls-reports@example.com/tls-pipe@localhost/' >/etc/postfix/transport
postmap /etc/postfix/transport
# the alias of contrib/postfix/aliases
sed -i '/^tls-reports:/d' /etc/aliases
contrib_lines "$CONTRIB/postfix/aliases" alias >>/etc/aliases
newaliases
postfix check 2>&1 | sed 's/^/# postfix check: /'
postfix start >/dev/null 2>&1
check "postfix started" wait_for 10 postfix status
echo "# master.cf: $(grep -A1 '^tlsrptdb' /etc/postfix/master.cf | tr -s ' \n' ' ')"
echo "# aliases: $(grep '^tls-reports:' /etc/aliases)"

ref=$TESTTMP/ref/reports.db
for f in "$SAMPLES"/*.eml; do "$TLSRPTDB" ingest --db "$ref" <"$f"; done
sent_total=0
for variant in alias pipe; do
  if [ $variant = alias ]; then rcpt=tls-reports@localhost; else rcpt=tls-pipe@localhost; fi
  bad=
  for f in "$SAMPLES"/*.eml; do
    deliver "$rcpt" "$f"
    sent_total=$((sent_total + 1))
    [ "$outcome" = sent ] || bad="$bad ${f##*/}:$outcome"
  done
  is "$variant: every sample delivered (status=sent)" "$bad" ""
  is "$variant: the samples stored as a direct ingest stores them" \
    "$(rows $variant "SELECT reporter_key, report_id FROM reports ORDER BY 1, 2")" \
    "$(sqlite3 "$ref" "SELECT reporter_key, report_id FROM reports ORDER BY 1, 2")"
  owner=$(stat -c %U "$W/$variant/reports.db")
  is "$variant: the database belongs to the pipe's user" "$owner" "$([ $variant = alias ] && echo nobody || echo tlsrptdb)"
  deliver "$rcpt" "$SAMPLES/google.eml"
  is "$variant: a repeat is delivered and counted" "$outcome $(rows $variant "SELECT max(deliveries) FROM reports")" "sent 2"

  # unwritable: the alias' database file read-only; the pipe's directory and files read-only
  if [ $variant = alias ]; then chmod 0400 "$W/alias/reports.db"; else chmod 0500 "$W/pipe"; chmod 0400 "$W/pipe"/reports.db*; fi
  report_json "mta-$variant-deferred" >"$TESTTMP/r.json"
  mail_gzip "mta-$variant-deferred" "$TESTTMP/r.json" >"$W/msgs/deferred-$variant.eml"
  deliver "$rcpt" "$W/msgs/deferred-$variant.eml"
  is "$variant: unwritable database: deferred" "$outcome" deferred
  echo "#   $(grep "to=<$rcpt>.*status=deferred" "$log" | tail -1 | sed 's/.*status=deferred //' | cut -c1-220)"
  is "$variant: the message stays in the queue" "$(queued "$rcpt")" 1
  if [ $variant = alias ]; then chmod 0640 "$W/alias/reports.db"; else chmod 0750 "$W/pipe"; chmod 0640 "$W/pipe"/reports.db*; fi
  check "$variant: after postqueue -f it is delivered" flush "$rcpt"
  is "$variant: stored once" "$(rows $variant "SELECT count(*), sum(deliveries) FROM reports WHERE report_id = 'mta-$variant-deferred'")" "1|1"
  is "$variant: queue empty" "$(queued "$rcpt")" 0

  check_non_report "$variant" "$rcpt" sent
done
is "nothing bounced" "$(grep -c 'status=bounced' "$log")" 0
postfix stop >/dev/null 2>&1
check "postfix stopped" wait_for 10 sh -c '! postfix status 2>/dev/null'
echo "# figures: postfix $(postconf -h mail_version), $(grep -c 'status=sent' "$log") deliveries sent, $(grep -c 'status=deferred' "$log") deferred"
done_testing
