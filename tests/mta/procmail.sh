#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# procmail.sh [TLSRPTDB] - end to end through procmail, started by Postfix's local delivery
# (installs postfix and procmail with apt)
#
# The recipe of contrib/procmail/procmailrc (only the binary's path replaced) is the
# ~/.procmailrc of the local user tlsrpt-procmail, whose mail Postfix hands to
# `mailbox_command = /usr/bin/procmail -a "$EXTENSION"`; the database is where the recipe puts
# it, in that user's home.  The reports are addressed (To:) to the recipe's address.  Checked:
# the samples are delivered and stored as a direct ingest stores them; a repeat counts a
# delivery; with the database read-only a new report is deferred (tlsrptdb's 75 reaches Postfix
# through EXITCODE) and stays in the queue, and after the fix `postqueue -f` stores it once; a
# non-report is kept in `rejected`; other mail still reaches the mailbox.  Then the recipe with
# its safety net enabled (a copy in a Maildir folder), and two broken recipes (no `w` flag, no
# `EXITCODE=$?`): with those, the report that should have been deferred is lost, which is what
# the deferral check catches.  Nothing bounces.  Needs root; changes the machine (a CI machine):
# installs postfix and procmail, removes exim4 and opensmtpd if present, sets mailbox_command,
# adds the user tlsrpt-procmail.  Postfix is stopped at the end.  Idempotent.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=postfix-lib.sh
. "$(dirname "$0")/postfix-lib.sh"

mta_gate

postfix_install procmail
mta_setup
user=tlsrpt-procmail
rcpt=$user@localhost
home=$W/$user
mailbox_user "$user"
dbdir=$user/.local/share/tlsrptdb # the recipe's $HOME/.local/share/tlsrptdb, for rows
db=$W/$dbdir/reports.db
mbox=/var/mail/$user # procmail's DEFAULT
rm -f "$mbox"
addr=tls-reports@example.com # the recipe's address

postfix_local
# shellcheck disable=SC2016 # Postfix expands $EXTENSION
postconf -e 'mailbox_command = /usr/bin/procmail -a "$EXTENSION"'
# recipe VARIANT : ~/.procmailrc from contrib: "shipped" as it is; "net" with its safety net (a
# copy in the Maildir folder ~/tls-reports/) enabled; "no-w" without the pipe's w flag;
# "no-exitcode" without EXITCODE=$?.  Fails if the change finds nothing to change.
recipe () {
  contrib_lines "$CONTRIB/procmail/procmailrc" "$dbdir" >"$TESTTMP/procmailrc"
  case $1 in
    shipped) cat ;;
    net) sed -e 's/^\([[:space:]]*\)#\(:0 c\)$/\1\2/' -e 's/^\([[:space:]]*\)#\(tls-reports\/\)$/\1\2/' ;;
    no-w) sed 's/^\([[:space:]]*:0\) w$/\1/' ;;
    no-exitcode) sed '/EXITCODE=/d' ;;
  esac <"$TESTTMP/procmailrc" >"$home/.procmailrc"
  chown "$user:" "$home/.procmailrc"
  [ "$1" = shipped ] || ! cmp -s "$TESTTMP/procmailrc" "$home/.procmailrc" || fail "recipe $1: nothing changed"
}
recipe shipped
postfix start >/dev/null 2>&1
check "postfix started" wait_for 10 postfix status
echo "# recipe: $(grep -v '^[[:space:]]*#' "$home/.procmailrc" | tr -s '\t\n' ' ')"
# report ID : a new report mail (To: the recipe's address) in $W/msgs/ID.eml
report () {
  report_json "$1" >"$TESTTMP/r.json"
  mail_gzip "$1" "$TESTTMP/r.json" >"$W/msgs/$1.eml"
}
stored () { rows "$dbdir" "SELECT count(*), sum(deliveries) FROM reports WHERE report_id = '$1'"; }

deliver_samples "$addr" "$rcpt" "$dbdir"
is "the database is in the mailbox owner's home and belongs to them" "$(stat -c %U "$db")" "$user"
deliver "$rcpt" "$W/msgs/google.eml"
is "a repeat is delivered and counted" "$outcome $(rows "$dbdir" "SELECT max(deliveries) FROM reports")" "sent 2"

# unwritable: the database file read-only (contrib/README.md, "Testing a set-up")
chmod 0400 "$db"
report mta-procmail-deferred
deliver "$rcpt" "$W/msgs/mta-procmail-deferred.eml"
is "unwritable database: deferred" "$outcome" deferred
echo "#   $(grep "to=<$rcpt>.*status=deferred" "$log" | tail -1 | sed 's/.*status=deferred //' | cut -c1-320)"
is "the message stays in the queue" "$(queued "$rcpt")" 1
chmod 0640 "$db"*
check "after postqueue -f it is delivered" flush "$rcpt"
is "stored once" "$(stored mta-procmail-deferred)" "1|1"
is "queue empty" "$(queued "$rcpt")" 0

printf 'From: someone@localhost\nTo: %s\nSubject: hello\nMessage-ID: <mta-procmail-plain@localhost>\n\nNot a report.\n' "$addr" >"$W/msgs/plain.eml"
deliver "$rcpt" "$W/msgs/plain.eml"
is "a non-report is delivered" "$outcome" sent
is "and kept in rejected" "$(rows "$dbdir" "SELECT count(*) FROM rejected WHERE message_id = 'mta-procmail-plain@localhost'")" 1
printf 'From: someone@localhost\nTo: %s\nSubject: hello\nMessage-ID: <mta-procmail-other@localhost>\n\nFor the mailbox.\n' "$rcpt" >"$W/msgs/other.eml"
deliver "$rcpt" "$W/msgs/other.eml"
is "other mail is delivered to the mailbox, and only that" "$outcome $(grep -c '^Message-ID: <mta-procmail-other@' "$mbox") $(grep -c '^From ' "$mbox")" "sent 1 1"
is "and not to tlsrptdb" "$(rows "$dbdir" "SELECT count(*) FROM rejected WHERE message_id = 'mta-procmail-other@localhost'")" 0
is "integrity_check" "$(rows "$dbdir" "PRAGMA integrity_check")" ok

# the safety net: a copy in ~/tls-reports/ before the pipe
recipe net
chmod 0400 "$db"
report mta-procmail-net
deliver "$rcpt" "$W/msgs/mta-procmail-net.eml"
is "safety net: unwritable database: deferred" "$outcome" deferred
is "safety net: a copy in the folder" "$(find "$home/tls-reports/new" -type f | wc -l)" 1
chmod 0640 "$db"*
check "safety net: after postqueue -f it is delivered" flush "$rcpt"
is "safety net: stored once; the retry left a second copy" "$(stored mta-procmail-net) $(find "$home/tls-reports/new" -type f | wc -l)" "1|1 2"
as_user "$user" "$W/bin/tlsrptdb" import --db "$db" "$home/tls-reports" >"$TESTTMP/import" 2>&1
echo "#   import: $(cat "$TESTTMP/import")"
is "safety net: importing the folder stores nothing twice, counts nothing" "$(stored mta-procmail-net)" "1|1"

# broken recipes: the report of an unwritable database is lost instead of deferred
lost=
for variant in no-w no-exitcode; do
  recipe $variant
  chmod 0400 "$db"
  report "mta-procmail-$variant"
  deliver "$rcpt" "$W/msgs/mta-procmail-$variant.eml"
  chmod 0640 "$db"*
  is "without ${variant#no-}: unwritable database: delivered, not stored, no copy: lost" \
    "$outcome $(stored "mta-procmail-$variant") $(grep -c "mta-procmail-$variant" "$mbox")" "sent 0| 0"
  lost="$lost, no ${variant#no-}: $outcome"
done
recipe shipped

is "nothing bounced" "$(grep -c 'status=bounced' "$log")" 0
postfix stop >/dev/null 2>&1
check "postfix stopped" wait_for 10 sh -c '! postfix status 2>/dev/null'
echo "# figures: $(procmail -v 2>&1 | head -1 | cut -d' ' -f1-2) from postfix $(postconf -h mail_version), $(grep -c 'status=sent' "$log") deliveries sent, $(grep -c 'status=deferred' "$log") deferred then sent; broken recipes with an unwritable database$lost (lost)"
done_testing
