# common.sh - shared by the tests in tests/mta (sourced after tests/stress/lib.sh)
# shellcheck shell=bash disable=SC2034,SC2154 # CONTRIB: for the tests; $outcome: their deliver
#
# The binary is copied to $W/bin (every directory up to it readable by the pipe's users), the
# databases live in $W/alias (owned by nobody, for the alias) and $W/pipe (owned by the
# dedicated user tlsrptdb, for the pipe transport and OpenSMTPD), or in the home of a mailbox
# user, $W/USER (procmail, Dovecot).  The MTA lines are taken from contrib/, with the paths
# replaced.
W=${MTA_WORKDIR:-/var/tmp/tlsrptdb-mta}
CONTRIB=${CONTRIB_DIR:-$SRCDIR/contrib} # another copy of contrib/, to try a fix

# mta_gate : skip the test unless it may change this machine's mail system: as root, with
# apt-get, and only when TLSRPTDB_TEST_MTA=1 (.ci/run sets it)
mta_gate () {
  [ "${TLSRPTDB_TEST_MTA:-}" = 1 ] || skip_all "changes the machine's mail system; TLSRPTDB_TEST_MTA=1 runs it (.ci/run does)"
  [ "$(id -u)" = 0 ] || skip_all "not root"
  command -v apt-get >/dev/null || skip_all "no apt-get"
}
# mta_setup : the work directory, the binary, the dedicated user
mta_setup () {
  rm -rf "$W"
  install -d -m 0755 "$W" "$W/bin" "$W/msgs"
  install -m 0755 "$TLSRPTDB" "$W/bin/tlsrptdb"
  id tlsrptdb >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin tlsrptdb
  install -d -o nobody -g nogroup -m 0750 "$W/alias"
  install -d -o tlsrptdb -g tlsrptdb -m 0750 "$W/pipe"
}
# contrib_lines FILE DBDIR : the configuration lines of a contrib/ file, pointed at the test paths:
# the binary, the database $W/DBDIR/reports.db, and the config file that names it (for
# /etc/tlsrptdb.conf), $W/conf/DBDIR.conf, written here from contrib/tlsrptdb.conf
contrib_lines () {
  local conf="$W/conf/${2//\//-}.conf"
  install -d -m 0755 "$W/conf"
  grep -v '^#' "$CONTRIB/tlsrptdb.conf" | sed -e '/^$/d' -e "s|/var/lib/tlsrptdb/reports.db|$W/$2/reports.db|g" >"$conf"
  chmod 0644 "$conf"
  grep -v '^#' "$1" | sed -e '/^$/d' -e "s|/usr/local/bin/tlsrptdb|$W/bin/tlsrptdb|g" \
    -e "s|/var/lib/tlsrptdb/reports.db|$W/$2/reports.db|g" -e "s|/etc/tlsrptdb.conf|$conf|g"
}
# rows DBDIR QUERY : read a test database (read-only)
rows () { sqlite3 -batch -noheader "file:$W/$1/reports.db?mode=ro" "$2" 2>&1; }
# check_non_report VARIANT RCPT OUTCOME : a plain message to RCPT is delivered (deliver's
# $outcome is OUTCOME) and kept in `rejected`; then the database's integrity_check
check_non_report () {
  printf 'From: someone@localhost\nTo: %s\nSubject: hello\nMessage-ID: <mta-%s-plain@localhost>\n\nNot a report.\n' "$2" "$1" >"$W/msgs/plain-$1.eml"
  deliver "$2" "$W/msgs/plain-$1.eml"
  is "$1: a non-report is delivered" "$outcome" "$3"
  is "$1: and kept in rejected" "$(rows "$1" "SELECT count(*) FROM rejected WHERE message_id = 'mta-$1-plain@localhost'")" 1
  is "$1: integrity_check" "$(rows "$1" "PRAGMA integrity_check")" ok
}
# wait_for SECONDS CMD... : poll CMD every 0.2 s until it succeeds
wait_for () {
  local n=$(($1 * 5))
  shift
  while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.2; n=$((n - 1)); done
  return 1
}
# apt_install PKG... : install, with one apt-get update when the first try fails
apt_install () {
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "$@" >"$TESTTMP/apt.log" 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$@" >>"$TESTTMP/apt.log" 2>&1; }
}
# remove_mtas_except KEEP : stop and remove the MTAs other than KEEP (postfix, exim4, opensmtpd):
# they conflict with each other, and each test leaves the one it used installed
remove_mtas_except () {
  if [ "$1" != exim4 ] && dpkg-query -W -f='${Status}' exim4-base 2>/dev/null | grep -q 'ok installed'; then
    pkill -x exim4 2>/dev/null # only exim4's own daemon: exim.sh may have left one
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq 'exim4*' >/dev/null 2>&1
  fi
  if [ "$1" != postfix ] && command -v postfix >/dev/null; then
    postfix stop >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq postfix >/dev/null 2>&1
  fi
  if [ "$1" != opensmtpd ] && dpkg-query -W -f='${Status}' opensmtpd 2>/dev/null | grep -q 'ok installed'; then
    [ -f /run/smtpd.pid ] && kill "$(cat /run/smtpd.pid)" 2>/dev/null # opensmtpd.sh may have left one
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq opensmtpd >/dev/null 2>&1
  fi
}
# mailbox_user NAME : a local user with the home $W/NAME, for procmail and Dovecot (mta_setup first)
mailbox_user () {
  id "$1" >/dev/null 2>&1 || useradd --home-dir "$W/$1" --shell /bin/sh "$1"
  usermod -d "$W/$1" "$1" >/dev/null 2>&1 # an earlier run with another MTA_WORKDIR
  install -d -o "$1" -g "$1" -m 0750 "$W/$1"
}
# as_user USER CMD... : run CMD as USER, without the test's TLSRPTDB_CONFIG (as the MTA runs it)
as_user () { local u=$1; shift; env -u TLSRPTDB_CONFIG runuser -u "$u" -- "$@"; }
# addressed_to ADDR FILE : FILE with its To: header replaced by ADDR (the address that procmail
# recipes and Sieve scripts look for; the samples are addressed to various tlsrpt@ addresses)
addressed_to () { sed "1,/^\r\?\$/s/^To:[^\r]*/To: $1/" "$2"; }
