#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# digest.sh [TLSRPTDB] - `tlsrptdb digest` through a real Postfix, as README's cron line sends it
# (`tlsrptdb digest --to ... | /usr/sbin/sendmail -t`), to a local mailbox, read back with
# Python's mailbox and email packages: delivered, one message each, valid MIME
# (multipart/alternative with a text and an HTML part, no defect), the subject as documented,
# the HTML part the page of `report`; a window without reports is mailed too.  Postfix is stopped
# at the end.  Needs root; changes the machine (a CI machine): installs postfix (removing exim4
# and opensmtpd if present), a local user tlsrptdigest, and main.cf for local delivery (no
# mailbox_command).  Idempotent.
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
postfix_local
postconf -X mailbox_command 2>/dev/null # procmail.sh and dovecot.sh set one
user=tlsrptdigest
mailbox_user "$user"
box=$(postconf -h mail_spool_directory)/$user
: >"$box" && chown "$user:mail" "$box" && chmod 0600 "$box"
postfix start >/dev/null 2>&1
check "postfix started" wait_for 10 postfix status

db=$W/digest.db
for f in "$SAMPLES"/*.eml; do "$TLSRPTDB" ingest --db "$db" <"$f"; done
# send SUBJECT-WANTED OPTIONS... : the cron line, then wait for the delivery
send () {
  local before
  before=$(grep -c "to=<$user@localhost>.*status=sent" "$log" 2>/dev/null)
  shift
  "$TLSRPTDB" digest --db "$db" --to "$user@localhost" --from root@localhost "$@" | /usr/sbin/sendmail -t
  check "digest $*: delivered (status=sent)" wait_for 30 more_than "$before" "to=<$user@localhost>.*status=sent"
}
send "" --since 2026-11-18 --until 2026-11-25
send "" --since 2026-10-01 --until 2026-10-07
"$TLSRPTDB" report --db "$db" --since 2026-11-18 --until 2026-11-25 -o "$TESTTMP/page.html"

python3 - "$box" "$TESTTMP/page.html" >"$TESTTMP/read.out" 2>&1 <<'PY'
import mailbox, sys
from email import policy
from email.parser import BytesParser
box = mailbox.mbox(sys.argv[1], factory=lambda f: BytesParser(policy=policy.default).parse(f))
msgs = list(box)
print("messages", len(msgs))
for m in msgs:
    parts = [p.get_content_type() for p in m.iter_parts()]
    print("message", m.get_content_type(), parts, len(m.defects), m["Subject"], m["Auto-Submitted"], sep="|")
html = msgs[0].get_body(("html",)).get_content()
print("html is the page", html == open(sys.argv[2], encoding="utf-8").read())
print("text", "TLSRPT CRITICAL - " in msgs[0].get_body(("plain",)).get_content())
PY
sed 's/^/# /' "$TESTTMP/read.out"
is "two messages in the mailbox" "$(grep '^messages' "$TESTTMP/read.out")" "messages 2"
is "the digest: valid MIME, both parts, the subject" "$(grep '^message|' "$TESTTMP/read.out" | head -1)" \
  "message|multipart/alternative|['text/plain', 'text/html']|0|TLS reports, week 47: 4 domains with failures|auto-generated"
is "a window without reports: mailed, saying so" "$(grep '^message|' "$TESTTMP/read.out" | tail -1 | cut -d'|' -f2-5)" \
  "multipart/alternative|['text/plain', 'text/html']|0|TLS reports, week 40: no reports"
is "the HTML part is the report, byte for byte" "$(grep '^html' "$TESTTMP/read.out")" "html is the page True"
is "the text part says what check would" "$(grep '^text' "$TESTTMP/read.out")" "text True"
is "nothing bounced" "$(grep -c 'status=bounced' "$log")" 0
postfix stop >/dev/null 2>&1
check "postfix stopped" wait_for 10 sh -c '! postfix status 2>/dev/null'
echo "# figures: postfix $(postconf -h mail_version), digest of $(wc -c <"$box") bytes in the mailbox"
done_testing
