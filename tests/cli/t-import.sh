# t-import.sh - tlsrptdb import: every kind of input, re-runs, interruptions, progress, exit codes
. "$(dirname "$0")/lib.sh"

# import DB ARG... : run import, set $status, $out and $err
import () {
  _db=$1; shift
  "$TLSRPTDB" import --db "$_db" "$@" </dev/null >"$TESTTMP/out" 2>"$TESTTMP/err"
  status=$?
  out=$(cat "$TESTTMP/out") err=$(cat "$TESTTMP/err")
}
# mbox FILE... : the files as an mboxrd mailbox on stdout ("From " lines quoted, a blank line after
# each message)
mbox () {
  for _f in "$@"; do
    printf 'From sender@example.org Thu Nov 20 10:00:00 2026\n'
    sed 's/^\(>*From \)/>\1/' "$_f"
    echo
  done
}
# note NAME : a message that is not a report, with "From " lines in its body
note () {
  printf 'From: someone@example.org\nSubject: %s\nMessage-ID: <%s@example.org>\n\nFrom the desk of %s:\n>From quoted once.\n\nFrom here on, nothing.\n' "$1" "$1" "$1"
}

# --- the command line ----------------------------------------------------------------------------
"$TLSRPTDB" --help | grep -q '^  import '; is "--help lists import" "$?" 0
"$TLSRPTDB" help import | grep -q -- '--max-message-size'; is "help import shows its options" "$?" 0
import "$(newdb)"
is "no PATH: usage error" "$status" 64
import "$(newdb)" --bogus "$SAMPLES/google.eml"
is "bad option: usage error" "$status" 64
import "$(newdb)" --max-reports 0 "$SAMPLES/google.eml"
is "bad setting: configuration error" "$status" 78
import "$(newdb)" --jobs 0 "$SAMPLES/google.eml"
is "--jobs 0: usage error" "$status:$err" "64:tlsrptdb import: --jobs: expected a number from 1 to 64"

# --- single files, kind found from content -------------------------------------------------------
d=$TESTTMP/files
mkdir -p "$d"
report_json bare-json >"$d/a.json"
report_json bare-gzip | gzip -c >"$d/b.json.gz"
report_json gzip-odd-name | gzip -c >"$d/c.dat"
report_json base64-gzip | gzip -c | base64 >"$d/d.txt"
cp "$SAMPLES/google.eml" "$d/e.eml"
mbox "$SAMPLES/mox.eml" "$SAMPLES/stalwart.eml" >"$d/f.eml" # an mbox named like a message
db=$(newdb)
import "$db" "$d/a.json" "$d/b.json.gz" "$d/c.dat" "$d/d.txt" "$d/e.eml" "$d/f.eml"
is "files: exit 0" "$status" 0
is "files: every kind stored (the mbox split in two)" "$(counts "$db" | cut -d' ' -f1,4)" "7 0"
is "files: bare JSON, gzip and base64" \
  "$(sql "$db" "SELECT count(*) FROM reports WHERE report_id IN ('bare-gzip', 'bare-json', 'base64-gzip', 'gzip-odd-name')")" "4"
case $out in "imported 7 messages in "*": 7 reports stored, 0 duplicates, 0 rejected (0 kept before), 0 inputs unreadable")
  pass "files: the summary line" ;; *) fail "files: the summary line ($out)" ;; esac
is "files: nothing on stderr when piped" "$err" ""

# stdin
db=$(newdb)
"$TLSRPTDB" import --db "$db" - <"$SAMPLES/google.eml" >/dev/null 2>&1
is "stdin: a message" "$?|$(counts "$db")" "0|1 1 3 0"
mbox "$SAMPLES"/*.eml | "$TLSRPTDB" import --db "$db" - >/dev/null 2>&1
is "stdin: an mbox" "$?|$(sql "$db" "SELECT count(*) FROM reports")" "0|$(ls "$SAMPLES"/*.eml | wc -l)"

# --- mbox: splitting and >From unquoting keep each message's bytes exactly ------------------------
note one >"$TESTTMP/one.eml"
note two >"$TESTTMP/two.eml"
printf 'From: x@example.org\nSubject: no newline at the end\n\nlast line' >"$TESTTMP/three.eml"
{ mbox "$TESTTMP/one.eml" "$SAMPLES/google.eml" "$TESTTMP/two.eml"
  printf 'From sender@example.org Thu Nov 20 10:00:00 2026\n'; cat "$TESTTMP/three.eml"; } >"$TESTTMP/notes.mbox"
db=$(newdb)
import "$db" "$TESTTMP/notes.mbox" --verbose
is "mbox: exit 0" "$status" 0
is "mbox: one report, three messages kept" "$(counts "$db")" "1 1 3 3"
for n in one two three; do
  is "mbox: message '$n' kept byte for byte" \
    "$(sql "$db" "SELECT count(*) FROM rejected WHERE raw_message = $(sql_file "$TESTTMP/$n.eml") AND message_size = length(raw_message)")" "1"
done
case $out in *"notes.mbox:2: stored google.example "*) pass "mbox: --verbose names PATH:N" ;;
  *) fail "mbox: --verbose names PATH:N ($out)" ;; esac

# CRLF line ends
mbox "$SAMPLES/google.eml" "$TESTTMP/one.eml" | sed 's/$/\r/' >"$TESTTMP/crlf.mbox"
sed 's/$/\r/' "$TESTTMP/one.eml" >"$TESTTMP/one-crlf.eml"
db=$(newdb)
import "$db" "$TESTTMP/crlf.mbox"
is "mbox with CRLF: split in two" "$status|$(counts "$db" | cut -d' ' -f1,4)" "0|1 1"
is "mbox with CRLF: the message kept byte for byte" \
  "$(sql "$db" "SELECT count(*) FROM rejected WHERE raw_message = $(sql_file "$TESTTMP/one-crlf.eml")")" "1"

# the size limit applies to each message of an mbox, as to ingest
db=$(newdb)
import "$db" "$TESTTMP/notes.mbox" --max-message-size 1K
is "mbox, --max-message-size: the report message is kept cut" \
  "$(sql "$db" "SELECT count(*) FROM rejected WHERE truncated AND length(raw_message) = 1024 AND message_size = $(wc -c <"$SAMPLES/google.eml") AND reason LIKE 'message too large%'")" "1"
is "mbox, --max-message-size: the others are whole" "$(sql "$db" "SELECT count(*) FROM rejected WHERE NOT truncated")" "3"

# --- Maildir ---------------------------------------------------------------------------------------
md=$TESTTMP/Maildir
mkdir -p "$md/cur" "$md/new" "$md/tmp" "$md/.Reports/cur" "$md/.Reports/new" "$md/.Reports/tmp"
cp "$SAMPLES/google.eml" "$md/new/1700000000.M1P1.host"
cp "$SAMPLES/mox.eml" "$md/cur/1700000001.M2P2.host:2,S"
cp "$SAMPLES/stalwart.eml" "$md/.Reports/cur/1700000002.M3P3.host:2,"
cp "$SAMPLES/mailru.eml" "$md/tmp/1700000003.M4P4.host" # being delivered: not read
echo "3 V1 N4" >"$md/dovecot-uidlist"
note maildir >"$md/new/1700000004.M5P5.host"
db=$(newdb)
import "$db" "$md"
is "Maildir: cur/, new/ and a Maildir++ folder; not tmp/ nor the index files" \
  "$status|$(counts "$db" | cut -d' ' -f1,4)" "0|3 1"

# --- directories: recursive, hidden names and links to directories skipped ------------------------
tree=$TESTTMP/tree
mkdir -p "$tree/2025/11" "$tree/2025/12" "$tree/.trash"
cp "$SAMPLES/google.eml" "$tree/2025/11/google.eml"
report_json in-tree | gzip -c >"$tree/2025/12/report.json.gz"
mbox "$SAMPLES/mox.eml" "$SAMPLES/stalwart.eml" >"$tree/2025/old-mail"
cp "$SAMPLES/mailru.eml" "$tree/.trash/deleted.eml"
cp "$SAMPLES/mailru.eml" "$tree/2025/.hidden.eml"
ln -s .. "$tree/2025/12/loop"
cp -r "$md" "$tree/Maildir"
db=$(newdb)
import "$db" "$tree"
is "mixed directory: exit 0" "$status" 0
is "mixed directory: files, an mbox and a Maildir (3 of whose reports are repeats)" \
  "$(counts "$db" | cut -d' ' -f1,4)" "4 1"
is "mixed directory: hidden files not read" "$(sql "$db" "SELECT count(*) FROM reports WHERE reporter_key LIKE '%mail.ru%'")" "0"

# the test corpus: import stores what ingesting each file stores
corpus=$TESTTMP/corpus
mkdir -p "$corpus"
for f in "$SRCDIR"/tests/corpus/*; do
  case $f in *LIST | *.py | */n_empty.eml) ;; *) cp "$f" "$corpus/" ;; esac # import skips empty files
done
db1=$(newdb) db2=$(newdb)
for f in "$corpus"/*; do "$TLSRPTDB" ingest --db "$db1" <"$f" >/dev/null 2>&1; done
import "$db2" "$corpus"
is "corpus: import exit 0" "$status" 0
is "corpus: import stores what ingest stores" \
  "$(sql "$db2" "SELECT group_concat(reporter_key || ' ' || report_id, '|') FROM (SELECT * FROM reports ORDER BY reporter_key, report_id) AS r") $(counts "$db2")" \
  "$(sql "$db1" "SELECT group_concat(reporter_key || ' ' || report_id, '|') FROM (SELECT * FROM reports ORDER BY reporter_key, report_id) AS r") $(counts "$db1")"

# --- worker threads: the same rows, in the same order, as one thread -----------------------------
# (every corpus file and sample, good, deviant and hostile, several times so that workers overlap)
hex=hex
on_pg && hex="encode(convert_to(raw_json, 'UTF8'), 'hex')"
rows=("SELECT id, reporter_key, report_id, $hex, message_id, mail_from FROM reports ORDER BY id"
  "SELECT * FROM policies ORDER BY id" "SELECT * FROM failures ORDER BY id"
  "SELECT * FROM summary_sessions ORDER BY report_ref, policy_domain"
  "SELECT * FROM summary_policy_failures ORDER BY policy_ref, result_type, receiving_mx"
  "SELECT id, reason, message_size, truncated, $(on_pg && echo "encode(raw_message, 'hex')" || echo "hex(raw_message)") FROM rejected ORDER BY id")
# all_rows DB : every row of the tables above
all_rows () { for _q in "${rows[@]}"; do sql "$1" "$_q"; done; }
mixed=$TESTTMP/mixed
mkdir -p "$mixed"
for f in "$SRCDIR"/tests/corpus/[yni]_* "$SAMPLES"/*.eml; do
  for k in 1 2 3; do cp "$f" "$mixed/$k-${f##*/}"; done
done
db1=$(newdb) db4=$(newdb)
import "$db1" --jobs 1 "$mixed"
status1=$status
import "$db4" --jobs 4 "$mixed"
is "--jobs 1 and --jobs 4: exit 0" "$status1 $status" "0 0"
is "--jobs 4 stores the same rows in the same order as --jobs 1" \
  "$(all_rows "$db4" | cksum)" "$(all_rows "$db1" | cksum)"
is "--jobs 4: every message accounted for" "$(sql "$db4" "SELECT (SELECT count(*) FROM reports) > 0, (SELECT count(*) FROM rejected) > 0")" "1|1"

# --- re-runs store nothing twice ----------------------------------------------------------------
db=$(newdb)
import "$db" "$tree" "$TESTTMP/notes.mbox"
before=$(counts "$db")
import "$db" "$tree" "$TESTTMP/notes.mbox"
is "re-run: exit 0" "$status" 0
is "re-run: no new rows (rejected messages not kept twice)" "$(counts "$db")" "$before"
is "re-run: deliveries not counted" "$(sql "$db" "SELECT max(deliveries) FROM reports")" "1"
case $out in "imported 12 messages in "*": 0 reports stored, 8 duplicates, 4 rejected (4 kept before), 0 inputs unreadable")
  pass "re-run: the summary says so" ;; *) fail "re-run: the summary says so ($out)" ;; esac
ingest "$db" "$TESTTMP/one.eml"
is "ingest counts a delivery of a rejected message, and keeps it once" \
  "$(sql "$db" "SELECT count(*), sum(deliveries) FROM rejected WHERE subject = 'one'")" "1|2"

# --- inputs that cannot be read ------------------------------------------------------------------
db=$(newdb)
import "$db" "$SAMPLES/google.eml" "$TESTTMP/missing.eml" "$TESTTMP/missing-dir/"
is "some inputs missing: exit 65" "$status" 65
is "some inputs missing: the others imported" "$(counts "$db")" "1 1 3 0"
is "some inputs missing: each listed, then the count" \
  "$(printf '%s\n' "$err" | sed "s|$TESTTMP/||")" \
  "tlsrptdb import: missing.eml: cannot open: No such file or directory
tlsrptdb import: missing-dir/: cannot open: No such file or directory
tlsrptdb import: 2 inputs could not be read"
case $out in *", 2 inputs unreadable") pass "some inputs missing: in the summary" ;;
  *) fail "some inputs missing: in the summary ($out)" ;; esac
import "$(newdb)" "$TESTTMP/missing.eml"
is "the only input missing: exit 66" "$status" 66
if [ "$(id -u)" != 0 ]; then
  mkdir -p "$TESTTMP/locked"; cp "$SAMPLES/google.eml" "$TESTTMP/locked/"; chmod 000 "$TESTTMP/locked"
  import "$(newdb)" "$TESTTMP/locked" "$SAMPLES/mox.eml"
  is "unreadable directory: exit 65" "$status" 65
  chmod 700 "$TESTTMP/locked"
else
  pass "unreadable directory: skipped as root # SKIP root reads everything"
fi
if on_sqlite; then
  db=$(newdb); mkdir -p "$(dirname "$db")"; echo "not a database at all, but long enough......" >"$db"
else
  db=$(newdb_empty); sql "$db" "CREATE TABLE other (x integer)"
fi
import "$db" "$SAMPLES/google.eml"
is "a database that cannot be used: exit 75" "$status" 75

# --- interrupted imports: commit what is done; a re-run finishes without doubles ------------------
big=$TESTTMP/big
mkdir -p "$big/cur" "$big/new" "$big/tmp"
n=3000
python3 "$SRCDIR/bench/gen-report.py" -n 3 --count "$n" --out-dir "$big/new" --name k >/dev/null

# kill -9 in the middle
db=$(newdb)
"$TLSRPTDB" import --db "$db" "$big" >/dev/null 2>&1 &
pid=$!
got=0
for i in $(seq 1 500); do
  got=$(sql "$db" "SELECT count(*) FROM reports" 2>/dev/null || echo 0)
  [ "${got:-0}" -gt 0 ] && break
  sleep 0.01
done
kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
got=$(sql "$db" "SELECT count(*) FROM reports")
if [ "$got" -lt "$n" ]; then pass "kill -9: stopped midway ($got of $n)"
else pass "kill -9: the import finished before the kill # SKIP too fast to interrupt"; fi
is "kill -9: a whole number of batches (no partial message)" \
  "$(sql "$db" "SELECT count(*) FROM reports WHERE id NOT IN (SELECT report_ref FROM policies)")" "0"
import "$db" "$big"
is "kill -9, re-run: exit 0" "$status" 0
is "kill -9, re-run: every report once, one delivery each" \
  "$(sql "$db" "SELECT count(*), count(DISTINCT report_id), max(deliveries) FROM reports")" "$n|$n|1"
on_sqlite && is "kill -9, re-run: integrity" "$(sql "$db" "PRAGMA integrity_check")" "ok"

# SIGTERM: commits what is done, says so, exits 75
db=$(newdb)
"$TLSRPTDB" import --db "$db" "$big" >"$TESTTMP/out" 2>"$TESTTMP/err" &
pid=$!
for i in $(seq 1 500); do
  got=$(sql "$db" "SELECT count(*) FROM reports" 2>/dev/null || echo 0)
  [ "${got:-0}" -gt 0 ] && break
  sleep 0.01
done
kill -TERM "$pid" 2>/dev/null; wait "$pid"; status=$?
if grep -q '^interrupted after' "$TESTTMP/out"; then
  is "SIGTERM: exit 75" "$status" 75
  grep -q 'run the same import again' "$TESTTMP/err"; is "SIGTERM: says to run it again" "$?" 0
  is "SIGTERM: the summary counts what was committed" \
    "$(sed -n 's/.*: \([0-9]*\) reports stored.*/\1/p' "$TESTTMP/out")" "$(sql "$db" "SELECT count(*) FROM reports")"
else
  pass "SIGTERM: the import finished first # SKIP too fast to interrupt"
  pass "SIGTERM # SKIP"; pass "SIGTERM # SKIP"
fi
import "$db" "$big"
is "SIGTERM, re-run: every report once" "$(sql "$db" "SELECT count(*), max(deliveries) FROM reports")" "$n|1"

# --- progress: on a terminal only ------------------------------------------------------------------
db=$(newdb)
import "$db" "$big"
is "piped: no progress on stderr" "$err" ""
if command -v script >/dev/null 2>&1; then
  db=$(newdb)
  script -qec "'$TLSRPTDB' import --db '$db' '$big'" /dev/null >"$TESTTMP/tty" 2>&1
  is "terminal: exit 0" "$?" 0
  grep -q "$(printf '\r')\[#*\.*\] *[0-9]*%  [0-9]* msgs: [0-9]* new, [0-9]* dup, [0-9]* rej" "$TESTTMP/tty"
  is "terminal: a progress line with a bar" "$?" 0
  grep -q "imported $n messages" "$TESTTMP/tty"; is "terminal: the summary line" "$?" 0
  grep -q "$(printf '\033')\[K" "$TESTTMP/tty"; is "terminal: the line is erased at the end" "$?" 0
  db=$(newdb)
  script -qec "'$TLSRPTDB' import --no-progress --db '$db' '$big'" /dev/null >"$TESTTMP/tty" 2>&1
  grep -q "msgs: [0-9]* new" "$TESTTMP/tty"; is "terminal, --no-progress: no progress line" "$?" 1
else
  pass "terminal: progress # SKIP script(1) not found"
fi

done_testing
