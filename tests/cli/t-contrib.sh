# t-contrib.sh - the quick start and the MTA set-ups of contrib/ keep to one obvious database:
# the samples go into a database of their own, the set-ups name theirs in /etc/tlsrptdb.conf
# (contrib/tlsrptdb.conf), which the pipes and the commands run by hand both read
# shellcheck shell=bash disable=SC2154 # status, out, err: set by q (query-lib.sh)
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=query-lib.sh
. "$(dirname "$0")/query-lib.sh"
CONTRIB=$SRCDIR/contrib

# --- the quick start ---------------------------------------------------------------------------
db=$TESTTMP/quick/reports.db
XDG_DATA_HOME=$TESTTMP/xdg HOME=$TESTTMP/home sh "$CONTRIB/quickstart.sh" "$TLSRPTDB" "$db" \
  >"$TESTTMP/quick.out" 2>"$TESTTMP/quick.err"
is "quickstart: exit 0" "$?" 0
is "quickstart: every sample stored in its own database" \
  "$(sql "$db" "SELECT count(DISTINCT report_id) FROM reports")" "$(find "$SAMPLES" -name '*.eml' | wc -l)"
check "quickstart: the default database is left alone" test ! -e "$TESTTMP/xdg/tlsrptdb/reports.db"
check "quickstart: ... and no other one is made" test ! -e "$TESTTMP/home/.local"
case $(cat "$TESTTMP/quick.out") in
  *"query failures --db $db --since 2026-11-01"*) pass "quickstart: prints the --db to use" ;;
  *) fail "quickstart: prints the --db to use" ;;
esac
XDG_DATA_HOME=$TESTTMP/xdg HOME=$TESTTMP/home sh "$CONTRIB/quickstart.sh" "$TLSRPTDB" "$db" >/dev/null 2>&1
is "quickstart again: the database is made anew (one delivery each)" \
  "$(sql "$db" "SELECT max(deliveries) FROM reports")" 1

# --- the config file of the set-ups ----------------------------------------------------------------
q config --config "$CONTRIB/tlsrptdb.conf" db --format csv-exact
is "contrib/tlsrptdb.conf: a valid config file that names the database" \
  "$status $(printf '%s\n' "$out" | sed -n 2p | cut -d, -f1-3)" "0 db,/var/lib/tlsrptdb/reports.db,file"
q config --config "$CONTRIB/tlsrptdb.conf" --format csv-exact
is "contrib/tlsrptdb.conf: only the database is set; the rest are examples" \
  "$(printf '%s\n' "$out" | cut -d, -f1 | tr -d '\r' | tr '\n' ' ')" "key config db "

# every pipe of a system-wide set-up reads that file, and none names a database of its own
for f in postfix/aliases postfix/master.cf exim/aliases exim/transport opensmtpd/smtpd.conf dovecot/sieve; do
  lines=$(grep -v '^#' "$CONTRIB/$f" | grep 'ingest')
  case $lines in
    *"--db"*) fail "$f: the pipe names a database of its own ($lines)" ;;
    *'--config /etc/tlsrptdb.conf'* | *'"--config", "/etc/tlsrptdb.conf"'*) pass "$f: the pipe reads /etc/tlsrptdb.conf" ;;
    *) fail "$f: the pipe reads /etc/tlsrptdb.conf ($lines)" ;;
  esac
  grep -q 'install -m 0644 contrib/tlsrptdb.conf /etc/tlsrptdb.conf\|^#   db = ' "$CONTRIB/$f" \
    && pass "$f: its set-up writes /etc/tlsrptdb.conf" || fail "$f: its set-up writes /etc/tlsrptdb.conf"
done
# and nothing in contrib/ or the README claims modes the program does not make
check "no 0600 database files claimed" sh -c "! grep -rn 'mode 0600\|files are mode 0600\|0600 owned' '$CONTRIB' '$SRCDIR/README.md' '$SRCDIR/doc'"

done_testing
