# t-store-faults.sh - every database problem the administrator can fix defers the message (75)
. "$(dirname "$0")/lib.sh"

msg=$SAMPLES/google.eml

# expect_defer DESC DB [PATTERN] : ingest must exit 75 with one line on stderr (matching PATTERN)
expect_defer () {
  ingest "$2" "$msg"
  is "$1: exit 75" "$status" 75
  lines=$(printf '%s\n' "$err" | wc -l)
  is "$1: one line on stderr" "$lines" 1
  case $err in *${3:-}*) pass "$1: says why" ;; *) fail "$1: says why ($err)" ;; esac
}

touch "$TESTTMP/file"
expect_defer "directory is a file" "$TESTTMP/file/sub/reports.db" "cannot create directory"

head -c 4096 /dev/urandom >"$TESTTMP/junk.db"
expect_defer "not a database" "$TESTTMP/junk.db"

db=$(newdb)
mkdir -p "$(dirname "$db")"
sqlite3 "$db" "CREATE TABLE mine (x); INSERT INTO mine VALUES (1);"
expect_defer "another program's database" "$db" "not a tlsrptdb database"
is "another program's database: untouched" "$(sql "$db" "SELECT count(*) FROM mine")" "1"

db=$(newdb)
ingest "$db" "$msg"
sqlite3 "$db" "PRAGMA user_version = 99"
expect_defer "newer schema" "$db" "newer than this program"

# a writer holding the lock past the busy timeout (10 s)
db=$(newdb)
ingest "$db" "$msg"
mkfifo "$TESTTMP/hold"
(sqlite3 "$db" <"$TESTTMP/hold" >/dev/null 2>&1) &
holder=$!
exec 3>"$TESTTMP/hold"
echo "BEGIN IMMEDIATE; INSERT INTO rejected (received_at, reason, raw_message, message_size) VALUES ('x', 'x', x'00', 1);" >&3
sleep 1
report_json locked-test >"$TESTTMP/locked.eml"
start=$(date +%s)
ingest "$db" "$TESTTMP/locked.eml"
end=$(date +%s)
is "locked database: exit 75" "$status" 75
[ $((end - start)) -ge 9 ]; is "locked database: waited for the busy timeout" "$?" 0
echo "ROLLBACK;" >&3
exec 3>&-
wait "$holder"
ingest "$db" "$TESTTMP/locked.eml"
is "locked database: the retry stores it" "$status $(sql "$db" "SELECT count(*) FROM reports")" "0 2"

# permissions only bind an unprivileged user: run those cases as nobody
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  as_nobody () { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
  mkdir -p "$TESTTMP/ro"
  chmod 0755 "$TESTTMP" "$TESTTMP/ro"
  as_nobody "$TLSRPTDB" ingest --db "$TESTTMP/ro/reports.db" <"$msg" 2>"$TESTTMP/err"
  is "unwritable directory: exit 75" "$?" 75
  db=$TESTTMP/ro/existing.db
  "$TLSRPTDB" ingest --db "$db" <"$msg"
  chmod 0644 "$db"
  report_json readonly-test >"$TESTTMP/ro.eml"
  chmod 0644 "$TESTTMP/ro.eml"
  as_nobody "$TLSRPTDB" ingest --db "$db" <"$TESTTMP/ro.eml" 2>"$TESTTMP/err"
  is "read-only database: exit 75" "$?" 75
  is "read-only database: nothing written" "$(sql "$db" "SELECT count(*) FROM reports")" "1"
elif [ "$(id -u)" != 0 ]; then
  mkdir -p "$TESTTMP/ro" && chmod 0555 "$TESTTMP/ro"
  ingest "$TESTTMP/ro/reports.db" "$msg"
  is "unwritable directory: exit 75" "$status" 75
fi

done_testing
