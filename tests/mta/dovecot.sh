#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# dovecot.sh [TLSRPTDB] - end to end through Dovecot's LDA and the Sieve pipe extension, started
# by Postfix's local delivery (installs postfix, dovecot-core and dovecot-sieve with apt)
#
# The Dovecot set-up in the comment of contrib/dovecot/sieve goes into
# /etc/dovecot/conf.d/90-sieve-extprograms.conf, its install and ln commands are run, and the
# script itself is the ~/.dovecot.sieve of the local user tlsrpt-dovecot (paths replaced: the
# pipe directory, the binary, the database, in that user's home).  Postfix hands that user's
# mail to `mailbox_command = /usr/lib/dovecot/dovecot-lda -f "$SENDER" -a "$RECIPIENT"`; the
# mailboxes are Maildirs.  The reports are addressed (To:) to the script's address.  Checked:
# the samples are delivered and stored as a direct ingest stores them, each also filed in the
# folder TLS-Reports (the safety net); a repeat counts a delivery; a non-report is kept in
# `rejected`; other mail goes to INBOX.  Dovecot cannot defer: with the database read-only, or
# locked for longer than Dovecot lets the program run (10 s), the report is delivered but not
# stored, and it is in the folder, from which `tlsrptdb import` stores it once afterwards.
# Then three broken set-ups (Sieve not enabled for the LDA, the pipe extension not enabled, the
# program not in sieve_pipe_bin_dir): the report is not stored, and only the mailbox copy is
# left.  Nothing bounces.  Needs root; changes the machine (a CI machine): installs postfix,
# dovecot-core and dovecot-sieve, removes exim4 and opensmtpd if present, sets mailbox_command,
# writes /etc/dovecot/local.conf and conf.d/90-sieve-extprograms.conf, adds the user
# tlsrpt-dovecot.  Postfix is stopped at the end.  Idempotent.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=postfix-lib.sh
. "$(dirname "$0")/postfix-lib.sh"

mta_gate

postfix_install dovecot-core dovecot-sieve
mta_setup
user=tlsrpt-dovecot
rcpt=$user@localhost
home=$W/$user
mailbox_user "$user"
dbdir=$user/tlsrptdb # for rows
db=$W/$dbdir/reports.db
folder=$home/Maildir/.TLS-Reports
inbox=$home/Maildir
addr=tls-reports@example.com # the script's address
dlog=$W/dovecot.log
install -o "$user" -g "$user" -m 0600 /dev/null "$dlog"

# the paths of the contrib file, replaced
paths () {
  sed -e "s|/usr/lib/dovecot/sieve-pipe|$W/sieve-pipe|g" -e "s|/usr/local/bin/tlsrptdb|$W/bin/tlsrptdb|g" \
    -e "s|/home/vmail/tlsrptdb/reports.db|$db|g"
}
sieve=$CONTRIB/dovecot/sieve
# the Dovecot set-up and the commands of its comment; then the test's own settings
sed -n '/^# Dovecot set-up/,/^# Programs/s/^#   //p' "$sieve" | paths >"$TESTTMP/90-sieve-extprograms.conf"
cp "$TESTTMP/90-sieve-extprograms.conf" /etc/dovecot/conf.d/90-sieve-extprograms.conf
sed -n '/^# Programs/,/^# Then/s/^#   //p' "$sieve" | paths >"$TESTTMP/commands"
sh -e "$TESTTMP/commands" || fail "the commands of contrib/dovecot/sieve"
printf 'mail_location = maildir:~/Maildir\nlog_path = %s\n' "$dlog" >/etc/dovecot/local.conf
contrib_lines "$sieve" "$dbdir" | paths >"$home/.dovecot.sieve"
chown "$user:" "$home/.dovecot.sieve"
doveconf -n >/dev/null 2>"$TESTTMP/doveconf" || { fail "doveconf -n"; sed 's/^/# /' "$TESTTMP/doveconf"; }
echo "# 90-sieve-extprograms.conf: $(tr -s ' \n' ' ' </etc/dovecot/conf.d/90-sieve-extprograms.conf)"
echo "# commands: $(tr '\n' ';' <"$TESTTMP/commands")"
echo "# script: $(grep -v '^ *#' "$home/.dovecot.sieve" | tr -s ' \n' ' ')"

postfix_local
# shellcheck disable=SC2016 # Postfix expands $SENDER and $RECIPIENT
postconf -e 'mailbox_command = /usr/lib/dovecot/dovecot-lda -f "$SENDER" -a "$RECIPIENT"'
postfix start >/dev/null 2>&1
check "postfix started" wait_for 10 postfix status

# report ID : a new report mail (To: the script's address) in $W/msgs/ID.eml
report () {
  report_json "$1" >"$TESTTMP/r.json"
  mail_gzip "$1" "$TESTTMP/r.json" >"$W/msgs/$1.eml"
}
stored () { rows "$dbdir" "SELECT count(*), sum(deliveries) FROM reports WHERE report_id = '$1'"; }
# holds DIR STRING : how many messages of the Maildir folder DIR contain STRING
holds () { grep -rl -- "$2" "$1/new" "$1/cur" 2>/dev/null | wc -l; }
# msgs DIR : how many messages the Maildir folder DIR holds
msgs () { find "$1/new" "$1/cur" -type f 2>/dev/null | wc -l; }
# import : tlsrptdb import of the folder, as the mail user; its summary line is shown
import () {
  as_user "$user" "$W/bin/tlsrptdb" import --db "$db" "$folder" >"$TESTTMP/import" 2>&1
  echo "#   import: $(cat "$TESTTMP/import")"
}
# others ID : the count and deliveries of the reports other than ID
others () { rows "$dbdir" "SELECT count(*), sum(deliveries) FROM reports WHERE report_id != '$1'"; }
# dlog_mark, then dlog_new : the lines Dovecot logged since dlog_mark, without their prefix
dlog_mark () { dlog_at=$(($(stat -c %s "$dlog") + 1)); }
dlog_new () { tail -c +"$dlog_at" "$dlog" | sed 's/^.*><[^>]*>: //' | cut -c1-170 | tr '\n' ' '; }

deliver_samples "$addr" "$rcpt" "$dbdir"
is "the database belongs to the mail user" "$(stat -c %U "$db")" "$user"
is "every sample also filed in TLS-Reports, none in INBOX" "$(msgs "$folder") $(msgs "$inbox")" "7 0"
deliver "$rcpt" "$W/msgs/google.eml"
is "a repeat is delivered and counted" "$outcome $(rows "$dbdir" "SELECT max(deliveries) FROM reports")" "sent 2"

printf 'From: someone@localhost\nTo: %s\nSubject: hello\nMessage-ID: <mta-dovecot-plain@localhost>\n\nNot a report.\n' "$addr" >"$W/msgs/plain.eml"
deliver "$rcpt" "$W/msgs/plain.eml"
is "a non-report is delivered, kept in rejected, and filed" \
  "$outcome $(rows "$dbdir" "SELECT count(*) FROM rejected WHERE message_id = 'mta-dovecot-plain@localhost'") $(holds "$folder" mta-dovecot-plain@)" "sent 1 1"
printf 'From: someone@localhost\nTo: %s\nSubject: hello\nMessage-ID: <mta-dovecot-other@localhost>\n\nFor the inbox.\n' "$rcpt" >"$W/msgs/other.eml"
deliver "$rcpt" "$W/msgs/other.eml"
is "other mail goes to INBOX, not to tlsrptdb" \
  "$outcome $(holds "$inbox" mta-dovecot-other@) $(rows "$dbdir" "SELECT count(*) FROM rejected WHERE message_id = 'mta-dovecot-other@localhost'")" "sent 1 0"
is "integrity_check" "$(rows "$dbdir" "PRAGMA integrity_check")" ok

# unwritable: the database file read-only.  Dovecot files the report and exits 0.
chmod 0400 "$db"
report mta-dovecot-unwritable
dlog_mark
deliver "$rcpt" "$W/msgs/mta-dovecot-unwritable.eml"
chmod 0640 "$db"*
is "unwritable database: delivered (Dovecot cannot defer), not stored, in the folder" \
  "$outcome $(stored mta-dovecot-unwritable) $(holds "$folder" mta-dovecot-unwritable@)" "sent 0| 1"
echo "#   dovecot: $(dlog_new)"
before=$(others mta-dovecot-unwritable)
import
is "import of the folder stores it once and counts nothing else" \
  "$(stored mta-dovecot-unwritable) $(others mta-dovecot-unwritable)" "1|1 $before"
before=$(others -)
import
is "a second import changes nothing" "$(others -)" "$before"
is "the import keeps the non-report in rejected once (CRLF piped, LF filed: the same message)" \
  "$(rows "$dbdir" "SELECT count(*) FROM rejected WHERE message_id = 'mta-dovecot-plain@localhost'")" "1"

# locked for longer than sieve_pipe_exec_timeout: Dovecot stops the program
as_user "$user" sqlite3 "$db" "BEGIN IMMEDIATE;" ".shell sleep 13" "COMMIT;" >/dev/null 2>&1 &
locker=$!
sleep 0.5
report mta-dovecot-locked
now_ms
start=$now
dlog_mark
deliver "$rcpt" "$W/msgs/mta-dovecot-locked.eml"
now_ms
locked_ms=$((now - start))
wait "$locker"
is "database locked for 13 s: delivered, not stored, in the folder" \
  "$outcome $(stored mta-dovecot-locked) $(holds "$folder" mta-dovecot-locked@)" "sent 0| 1"
echo "#   after $locked_ms ms; dovecot: $(dlog_new)"
check "the delivery took about 10 s (the program was stopped, not waited for)" test "$locked_ms" -ge 9000 -a "$locked_ms" -lt 12500
import
is "import of the folder stores it once" "$(stored mta-dovecot-locked)" "1|1"

# broken set-ups: the report is not stored; only the mailbox copy is left
conf=/etc/dovecot/conf.d/90-sieve-extprograms.conf
broken () { # broken NAME WHERE : deliver a new report, check it is not stored and WHERE has it
  report "mta-dovecot-$1"
  dlog_mark
  deliver "$rcpt" "$W/msgs/mta-dovecot-$1.eml"
  is "$1: delivered, not stored, a copy in $(basename "$2")" \
    "$outcome $(stored "mta-dovecot-$1") $(holds "$2" "mta-dovecot-$1@")" "sent 0| 1"
  echo "#   dovecot: $(dlog_new)"
}
sed '/^protocol lda {$/,/^}$/d' "$TESTTMP/90-sieve-extprograms.conf" >"$conf"
broken no-sieve-in-lda "$inbox"
sed '/sieve_extensions/d' "$TESTTMP/90-sieve-extprograms.conf" >"$conf"
broken no-pipe-extension "$inbox"
cp "$TESTTMP/90-sieve-extprograms.conf" "$conf"
rm "$W/sieve-pipe/tlsrptdb"
broken not-in-pipe-dir "$folder"
sh -e "$TESTTMP/commands"

is "nothing bounced" "$(grep -c 'status=bounced' "$log")" 0
postfix stop >/dev/null 2>&1
check "postfix stopped" wait_for 10 sh -c '! postfix status 2>/dev/null'
echo "# figures: dovecot $(dovecot --version | cut -d' ' -f1) (pigeonhole $(doveconf -n 2>/dev/null | sed -n 's/^# Pigeonhole version \([^ ]*\).*/\1/p')) LDA from postfix $(postconf -h mail_version), $(grep -c 'status=sent' "$log") deliveries sent, $(msgs "$folder") in TLS-Reports, $(grep -c 'piped message to program' "$dlog") piped; read-only database: delivered, not stored, imported from the folder; locked 13 s: program stopped after $locked_ms ms"
done_testing
