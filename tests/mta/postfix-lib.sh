# postfix-lib.sh - shared by the tests that deliver through Postfix: postfix.sh, procmail.sh and
# dovecot.sh (sourced after common.sh).  Postfix logs to $log; deliver submits with sendmail and
# waits for the status line.
# shellcheck shell=bash disable=SC2034 # $log and $outcome are for the tests
log=$W/postfix.log

# postfix_install [PKG...] : Postfix ("Local only") and PKG... with apt, after removing Exim and
# OpenSMTPD (they conflict); then Postfix stopped and its queue empty (nothing from an earlier run)
postfix_install () {
  remove_mtas_except postfix
  if ! command -v postfix >/dev/null; then
    printf '%s\n' "postfix postfix/main_mailer_type select Local only" "postfix postfix/mailname string localhost" \
      | debconf-set-selections
  fi
  if ! command -v postfix >/dev/null || [ $# -gt 0 ]; then
    apt_install postfix "$@" || { cat "$TESTTMP/apt.log"; echo "not ok 1 - apt-get install postfix $*"; exit 1; }
  fi
  postfix stop >/dev/null 2>&1
  postsuper -d ALL >/dev/null 2>&1
}
# postfix_local : main.cf for local delivery only, on loopback, logging to $log; master.cf without
# chroot (only Debian's systemd unit prepares one)
postfix_local () {
  postconf -e "myhostname = localhost" "mydestination = localhost" "inet_interfaces = loopback-only" \
    "maillog_file = $log" "bounce_queue_lifetime = 1h"
  postconf -F '*/*/chroot = n'
}
# more_than N PATTERN : the log has more than N lines matching PATTERN
more_than () { [ "$(grep -c "$2" "$log" 2>/dev/null)" -gt "$1" ]; }
# deliver RCPT FILE : submit with sendmail, wait for its status line; $outcome = sent/deferred/...
deliver () {
  local before
  before=$(grep -c "to=<$1>.*status=" "$log" 2>/dev/null)
  sendmail -i -f sender@localhost "$1" <"$2"
  if wait_for 30 more_than "$before" "to=<$1>.*status="; then
    outcome=$(grep "to=<$1>.*status=" "$log" | tail -1 | sed 's/.*status=\([a-z]*\).*/\1/')
  else
    outcome=timeout
  fi
}
# queued RCPT : how many messages to RCPT are in the queue
queued () { postqueue -j 2>/dev/null | grep -c "\"$1\""; }
# flush RCPT : postqueue -f, then wait for the next status=sent of RCPT
flush () {
  local before
  before=$(grep -c "to=<$1>.*status=sent" "$log")
  postqueue -f
  wait_for 30 more_than "$before" "to=<$1>.*status=sent"
}

# deliver_samples ADDR RCPT DBDIR : every sample, addressed To: ADDR, delivered to RCPT through
# Postfix; checks that each was sent and that DBDIR holds them as a direct ingest stores them
deliver_samples () {
  local ref="$TESTTMP/ref-$3/reports.db" bad='' f
  for f in "$SAMPLES"/*.eml; do
    "$TLSRPTDB" ingest --db "$ref" <"$f"
    addressed_to "$1" "$f" >"$W/msgs/${f##*/}"
    deliver "$2" "$W/msgs/${f##*/}"
    [ "$outcome" = sent ] || bad="$bad ${f##*/}:$outcome"
  done
  is "every sample delivered (status=sent)" "$bad" ""
  is "the samples stored as a direct ingest stores them" \
    "$(rows "$3" "SELECT reporter_key, report_id FROM reports ORDER BY 1, 2")" \
    "$(sqlite3 "$ref" "SELECT reporter_key, report_id FROM reports ORDER BY 1, 2")"
}
