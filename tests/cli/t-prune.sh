# t-prune.sh - tlsrptdb prune: boundaries, what goes with a report, rejected, dry runs, summaries
. "$(dirname "$0")/lib.sh"

# prune DB [OPTION...] : run prune, set $status, $out and $err
prune () {
  _db=$1; shift
  "$TLSRPTDB" prune --db "$_db" "$@" >"$TESTTMP/out" 2>"$TESTTMP/err"
  status=$?
  out=$(cat "$TESTTMP/out") err=$(cat "$TESTTMP/err")
}
# report_on DAY ID : a report (1 policy, 2 failure details) whose date-range starts on DAY
report_on () {
  printf '{"organization-name":"Example Sender","date-range":{"start-datetime":"%sT00:00:00Z","end-datetime":"%sT23:59:59Z"},"contact-info":"tlsrpt@sender.example","report-id":"%s","policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: enforce"],"policy-domain":"example.com","mx-host":["mx.example.com"]},"summary":{"total-successful-session-count":7,"total-failure-session-count":3},"failure-details":[{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"mx.example.com","failed-session-count":2},{"result-type":"starttls-not-supported","sending-mta-ip":"192.0.2.2","receiving-mx-hostname":"mx.example.com","failed-session-count":1}]}]}\n' \
    "$1" "$1" "$2"
}
# days_ago N : the UTC day N days before today
days_ago () { date -u -d "$1 days ago" +%F; }
# add DB DAY ID : ingest a report of DAY
add () { report_on "$2" "$3" >"$TESTTMP/r.json"; ingest "$1" "$TESTTMP/r.json"; }

# --- the command line ----------------------------------------------------------------------------
"$TLSRPTDB" help prune | grep -q -- '--older-than'; is "help prune shows its options" "$?" 0
db=$(newdb)
add "$db" "$(days_ago 1)" r1
for span in "" 30 30x d -5d 2026-13-01 2026-02-30 2026-1-01 99999999d; do
  prune "$db" --older-than "$span"
  is "--older-than '$span': usage error" "$status" 64
done
prune "$db"
is "no --older-than: usage error" "$status" 64
prune "$TESTTMP/nowhere/reports.db" --older-than 30d
is "no database: exit 66" "$status" 66
[ ! -e "$TESTTMP/nowhere" ]; is "no database: none created" "$?" 0

# --- boundaries ----------------------------------------------------------------------------------
db=$(newdb)
add "$db" "$(days_ago 0)" today
add "$db" "$(days_ago 30)" day30
add "$db" "$(days_ago 31)" day31
add "$db" "$(days_ago 400)" day400
cut=$(days_ago 30)
prune "$db" --older-than 30d --dry-run
is "dry run: exit 0" "$status" 0
is "dry run: what would go" "$out" \
  "would remove 2 reports (2 policies, 4 failure details) from before $cut, and 0 rejected messages received before $cut"
is "dry run: nothing removed" "$(counts "$db")" "4 4 8 0"
prune "$db" --older-than 30d
is "30d: exit 0" "$status" 0
is "30d: what went" "$out" \
  "removed 2 reports (2 policies, 4 failure details) from before $cut, and 0 rejected messages received before $cut"
is "30d: the day 30 days ago is kept, the one before goes" \
  "$(sql "$db" "SELECT group_concat(report_id, ' ') FROM (SELECT report_id FROM reports ORDER BY report_day) AS r")" "day30 today"
is "30d: policies and failure details went with their reports" "$(counts "$db")" "2 2 4 0"
on_sqlite && is "30d: no orphans" "$(sql "$db" "PRAGMA foreign_key_check")" ""
prune "$db" --older-than 30d
is "again: nothing left to remove" "$out" \
  "removed 0 reports (0 policies, 0 failure details) from before $cut, and 0 rejected messages received before $cut"

# an absolute date keeps that day; weeks, months and years
db=$(newdb)
add "$db" 2025-03-01 a
add "$db" 2025-02-28 b
prune "$db" --older-than 2025-03-01
is "date: the day itself is kept" "$(sql "$db" "SELECT group_concat(report_id) FROM reports")" "a"
db=$(newdb)
add "$db" "$(days_ago 14)" w14
add "$db" "$(days_ago 15)" w15
prune "$db" --older-than 2w
is "2w: 14 days kept, 15 removed" "$(sql "$db" "SELECT group_concat(report_id) FROM reports")" "w14"
db=$(newdb)
add "$db" "$(date -u -d '1 year ago' +%F)" y1
add "$db" "$(date -u -d '1 year ago 1 day ago' +%F)" y1d
prune "$db" --older-than 1y
is "1y: a year ago kept, the day before removed" "$(sql "$db" "SELECT group_concat(report_id) FROM reports")" "y1"
prune "$db" --older-than 6m
is "6m: refused (minutes or months?) with a hint" "$status:$(printf '%s' "$err" | grep -c 'write 6min or 6mo')" "64:1"
prune "$db" --older-than 6mo
is "6mo: a year ago removed" "$(sql "$db" "SELECT count(*) FROM reports")" "0"
db=$(newdb)
add "$db" "$(days_ago 1)" yesterday
add "$db" "$(days_ago 2)" before
prune "$db" --older-than yesterday
is "yesterday: the same words as query --since" "$(sql "$db" "SELECT group_concat(report_id) FROM reports")" "yesterday"
prune "$db" --older-than 2026-02-30
is "an impossible date: 64" "$status" 64

# --- rejected messages ---------------------------------------------------------------------------
db=$(newdb)
for n in 1 2 3; do
  printf 'From: someone@example.org\nSubject: hello\n\nJust note %s.\n' $n >"$TESTTMP/note.eml"
  ingest "$db" "$TESTTMP/note.eml"
done
add "$db" "$(days_ago 100)" old
sql "$db" "UPDATE rejected SET received_at = '$(days_ago 91)T23:59:59Z' WHERE id = 1;
  UPDATE rejected SET received_at = '$(days_ago 90)T00:00:00Z' WHERE id = 2"
prune "$db" --older-than 90d --rejected-only --dry-run
is "rejected, dry run" "$out" "would remove 1 rejected message received before $(days_ago 90)"
prune "$db" --older-than 90d --rejected-only
is "rejected only: exit 0" "$status" 0
is "rejected only: the message received before the day goes, not the reports" \
  "$(sql "$db" "SELECT group_concat(id) FROM (SELECT id FROM rejected ORDER BY id) AS r") $(sql "$db" "SELECT count(*) FROM reports")" "2,3 1"
prune "$db" --older-than 90d
is "both: the old report goes" "$out" \
  "removed 1 report (1 policies, 2 failure details) from before $(days_ago 90), and 0 rejected messages received before $(days_ago 90)"

# --- more than one batch -------------------------------------------------------------------------
db=$(newdb)
mkdir -p "$TESTTMP/many"
python3 "$SRCDIR/bench/gen-report.py" -n 2 --count 2100 --out-dir "$TESTTMP/many" --name p >/dev/null
"$TLSRPTDB" import --db "$db" "$TESTTMP/many" >/dev/null
add "$db" 2025-06-01 keep
prune "$db" --older-than 2025-01-01
is "2100 reports in batches" "$out" \
  "removed 2100 reports (2100 policies, 4200 failure details) from before 2025-01-01, and 0 rejected messages received before 2025-01-01"
is "2100 reports: one left" "$(counts "$db")" "1 1 2 0"
on_sqlite && is "integrity" "$(sql "$db" "PRAGMA integrity_check")" "ok"

# --- summaries stay consistent: every view and derived table of a pruned database equals that of
# a database that only ever had the reports that were kept -----------------------------------------
a=$(newdb) b=$(newdb)
for db in "$a" "$b"; do
  add "$db" "$(days_ago 2)" k1
  add "$db" "$(days_ago 3)" k2
  add "$db" "$(days_ago 3)" k3
done
add "$a" "$(days_ago 40)" o1
add "$a" "$(days_ago 41)" o2
prune "$a" --older-than 30d
is "summaries: the old reports went" "$(sql "$a" "SELECT count(*) FROM reports")" "3"
if on_sqlite; then
  objects=$(sql "$a" "SELECT name FROM sqlite_master WHERE (type = 'view' OR (type = 'table'
    AND name NOT IN ('reports', 'policies', 'failures', 'rejected'))) AND name NOT LIKE 'sqlite%' ORDER BY name")
else
  objects=$(sql "$a" "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
    AND table_name NOT IN ('reports', 'policies', 'failures', 'rejected', 'report_warnings') ORDER BY 1")
fi
if [ -z "$objects" ]; then
  pass "summaries: none in this schema # SKIP no views or summary tables yet"
fi
for o in $objects; do
  sql "$a" "SELECT * FROM \"$o\"" | sort >"$TESTTMP/a.rows"
  sql "$b" "SELECT * FROM \"$o\"" | sort >"$TESTTMP/b.rows"
  if cmp -s "$TESTTMP/a.rows" "$TESTTMP/b.rows"; then
    pass "summaries: $o after prune = without the old reports"
  else
    fail "summaries: $o after prune = without the old reports"
    diff "$TESTTMP/a.rows" "$TESTTMP/b.rows" | sed 's/^/#   /'
  fi
done

done_testing
