# t-reprocess.sh - tlsrptdb reprocess: rejected messages through today's parser and settings
. "$(dirname "$0")/lib.sh"

# reprocess DB [OPTION...] : run reprocess, set $status, $out and $err
reprocess () {
  _db=$1; shift
  "$TLSRPTDB" reprocess --db "$_db" "$@" >"$TESTTMP/out" 2>"$TESTTMP/err"
  status=$?
  out=$(cat "$TESTTMP/out") err=$(cat "$TESTTMP/err")
}

"$TLSRPTDB" help reprocess | grep -q -- '--max-inflated-size'; is "help reprocess shows its options" "$?" 0
"$TLSRPTDB" reprocess --db "$TESTTMP/none/reports.db" extra >/dev/null 2>&1
is "an argument: usage error" "$?" 64

# a "parser change": a limit first rejects the message, then it is raised
db=$(newdb)
ingest "$db" "$SAMPLES/google.eml" --max-inflated-size 500
is "limit: rejected at ingest" "$(counts "$db")" "0 0 0 1"
received=$(sql "$db" "SELECT received_at FROM rejected")
reprocess "$db" --max-inflated-size 500
is "same limit: exit 0" "$status" 0
is "same limit: still rejected, nothing stored" "$(counts "$db")" "0 0 0 1"
is "same limit: the summary" "$out" \
  "reprocessed 1 rejected message: 0 removed from rejected, 1 kept (0 with a new reason); 0 reports stored, 0 already stored"
reprocess "$db" --max-inflated-size 600
is "another limit: the reason is updated" \
  "$(sql "$db" "SELECT reason FROM rejected")" "unusable report in part 2: inflated size exceeds 600 bytes"
case $out in *"1 kept (1 with a new reason)"*) pass "another limit: the summary says so" ;;
  *) fail "another limit: the summary says so ($out)" ;; esac
reprocess "$db" --verbose
is "limit raised: exit 0" "$status" 0
is "limit raised: the report is stored and the message leaves rejected" "$(counts "$db")" "1 1 3 0"
is "limit raised: received when the message was first received" \
  "$(sql "$db" "SELECT received_at = '$received' AND last_received_at = '$received' AND deliveries = 1 FROM reports")" "1"
is "limit raised: --verbose" "$out" \
  "rejected 1: stored google.example 2026-11-20T00:00:00Z_example.com: 1 policies, 3 failure details
rejected 1: removed from rejected
reprocessed 1 rejected message: 1 removed from rejected, 0 kept (0 with a new reason); 1 report stored, 0 already stored"
ingest "$db" "$SAMPLES/google.eml"
is "then a repeat delivery is a duplicate" "$(sql "$db" "SELECT count(*), max(deliveries) FROM reports")" "1|2"

# a settings change: a domain that was not ours, then is
db=$(newdb)
ingest "$db" "$SAMPLES/mox.eml" --domains other.example
reprocess "$db" --domains other.example
is "out of scope: stays" "$(counts "$db")" "0 0 0 1"
reprocess "$db" --domains other.example,example.org
is "in scope now: stored (only the policy about our domains)" "$(counts "$db")" "1 1 0 0"

# a message that is not a report stays, and so does one cut at the size limit
db=$(newdb)
printf 'From: someone@example.org\nSubject: hello\n\nJust a note.\n' >"$TESTTMP/note.eml"
ingest "$db" "$TESTTMP/note.eml"
ingest "$db" "$SAMPLES/google.eml" --max-message-size 1K
before=$(sql "$db" "SELECT group_concat(id || reason, '|') FROM (SELECT id, reason FROM rejected ORDER BY id) AS r")
reprocess "$db" --verbose
is "not a report / truncated: both stay, as they were" \
  "$(counts "$db") $(sql "$db" "SELECT group_concat(id || reason, '|') FROM (SELECT id, reason FROM rejected ORDER BY id) AS r")" "0 0 0 2 $before"
case $out in *"rejected 2: truncated when it was kept: left as it is"*) pass "truncated: --verbose says why" ;;
  *) fail "truncated: --verbose says why ($out)" ;; esac

# a message with one good and one bad report: the good one was stored at ingest, the other now
db=$(newdb)
ingest "$db" "$SRCDIR/tests/corpus/y_two_reports.eml" --max-reports 1
is "partial: one stored, the message kept" "$(counts "$db" | cut -d' ' -f1,4)" "1 1"
reprocess "$db"
is "partial: the second report stored, the message removed" "$(counts "$db" | cut -d' ' -f1,4)" "2 0"
is "partial: the first report's deliveries not counted again" "$(sql "$db" "SELECT max(deliveries) FROM reports")" "1"
case $out in *"1 report stored, 1 already stored") pass "partial: the summary" ;;
  *) fail "partial: the summary ($out)" ;; esac

# running it again changes nothing
before=$(counts "$db")
reprocess "$db"
is "again: nothing changes" "$status|$(counts "$db")" "0|$before"

# many rows, more than one batch
db=$(newdb)
mkdir -p "$TESTTMP/many"
python3 "$SRCDIR/bench/gen-report.py" -n 3 --count 250 --out-dir "$TESTTMP/many" --name r >/dev/null
"$TLSRPTDB" import --db "$db" --max-inflated-size 100 "$TESTTMP/many" >/dev/null
is "250 rejected by a limit" "$(counts "$db" | cut -d' ' -f1,4)" "0 250"
reprocess "$db"
is "250 reprocessed in batches" "$status|$(counts "$db" | cut -d' ' -f1,4)" "0|250 0"
on_sqlite && is "integrity" "$(sql "$db" "PRAGMA integrity_check")" "ok"

# a missing database is not created
reprocess "$TESTTMP/nowhere/reports.db"
is "no database: exit 66" "$status" 66
[ ! -e "$TESTTMP/nowhere" ]; is "no database: none created" "$?" 0

done_testing
