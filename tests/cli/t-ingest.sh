# t-ingest.sh - tlsrptdb ingest: the command line, exit codes and database contents
. "$(dirname "$0")/lib.sh"

# --- the command line --------------------------------------------------------------------------
"$TLSRPTDB" --version >"$TESTTMP/v"; is "--version exits 0" "$?" 0
grep -q '^tlsrptdb [0-9]' "$TESTTMP/v"; is "--version prints the version" "$?" 0
"$TLSRPTDB" --help | grep -q 'ingest'; is "--help lists ingest" "$?" 0
"$TLSRPTDB" help ingest | grep -q -- '--max-message-size'; is "help ingest shows its options" "$?" 0
"$TLSRPTDB" ingest --help | grep -q -- '--reject'; is "ingest --help shows its options" "$?" 0
"$TLSRPTDB" frobnicate 2>/dev/null; is "an unknown command is a usage error" "$?" 64
"$TLSRPTDB" 2>/dev/null; is "no command is a usage error" "$?" 64

db=$(newdb)
ingest "$db" "$SAMPLES/google.eml" --bogus
is "ingest: a bad option defers (75), never bounces" "$status" 75
case $err in "tlsrptdb ingest: "*) pass "ingest: the error is one line naming the command" ;;
  *) fail "ingest: the error is one line naming the command ($err)" ;; esac
ingest "$db" "$SAMPLES/google.eml" --max-message-size 12X
is "ingest: a bad size defers" "$status" 75
ingest "$db" "$SAMPLES/google.eml" --max-reports 0
is "ingest: a zero limit defers" "$status" 75
[ ! -e "$db" ]; is "ingest: a bad command line creates no database" "$?" 0

# --- storing -----------------------------------------------------------------------------------
db=$(newdb)
ingest "$db" "$SAMPLES/google.eml"
is "google sample: exit 0" "$status" 0
is "google sample: silent on success" "$out$err" ""
is "google sample: rows" "$(counts "$db")" "1 1 3 0"
typeof=typeof
on_pg && typeof=pg_typeof
is "google sample: report columns" \
  "$(sql "$db" "SELECT reporter_key, report_day, deliveries, $typeof(raw_json), received_at = last_received_at FROM reports")" \
  "google.example|2026-11-20|1|text|1"
if on_sqlite; then
  is "schema version and application id" \
    "$(sql "$db" "PRAGMA user_version") $(sql "$db" "PRAGMA application_id")" "7 1414680660"
  is "WAL mode" "$(sql "$db" "PRAGMA journal_mode")" "wal"
else
  is "schema version and application id" \
    "$(sql "$db" "SELECT max(version) || ' ' || min(application_id) FROM tlsrptdb_version")" "7 1414680660"
fi
is "failure counts sum" "$(sql "$db" "SELECT sum(failed_session_count) FROM failures")" \
  "$(sql "$db" "SELECT total_failure_session_count FROM policies")"
is "mail facts recorded" \
  "$(sql "$db" "SELECT tls_report_domain IS NOT NULL AND tls_report_submitter IS NOT NULL AND message_id IS NOT NULL AND subject IS NOT NULL FROM reports")" "1"

ingest "$db" "$SAMPLES/google.eml" --verbose
is "duplicate: exit 0" "$status" 0
case $out in "duplicate google.example "*": delivery 2") pass "duplicate: --verbose says so" ;;
  *) fail "duplicate: --verbose says so ($out)" ;; esac
is "duplicate: no new rows" "$(counts "$db")" "1 1 3 0"
is "duplicate: deliveries counted" "$(sql "$db" "SELECT deliveries FROM reports")" "2"

# the same report-id from another organisation is another report; from the same one, a repeat
report_json same-id tlsrpt@one.example >"$TESTTMP/one.json"
report_json same-id tlsrpt@two.example >"$TESTTMP/two.json"
report_json same-id TLSRPT@One.Example >"$TESTTMP/one-again.json"
db=$(newdb)
ingest "$db" "$TESTTMP/one.json" --verbose
case $out in "stored one.example same-id: 1 policies, 1 failure details") pass "stored: --verbose says so" ;;
  *) fail "stored: --verbose says so ($out)" ;; esac
ingest "$db" "$TESTTMP/two.json"
is "same report-id, other organisation: stored" "$(counts "$db")" "2 2 2 0"
ingest "$db" "$TESTTMP/one.json"
is "same report-id, same organisation, same content: a repeat" \
  "$(counts "$db") $(sql "$db" "SELECT deliveries FROM reports WHERE reporter_key = 'one.example'")" "2 2 2 0 2"
# the same key (the reporter key is folded to lower case), other content (contact-info as
# written): another report, kept beside the first, never a repeat of it
ingest "$db" "$TESTTMP/one-again.json" --verbose
is "same report-id, same organisation, other content: kept beside it" \
  "$(counts "$db") $(sql "$db" "SELECT group_concat(deliveries, ' ') FROM (SELECT deliveries FROM reports WHERE reporter_key = 'one.example' ORDER BY id) AS r")" "3 3 3 0 2 1"
case $out in "stored one.example same-id: 1 policies, 1 failure details; CONFLICT: 1 other stored report of this reporter and report-id holds other content (all are kept)")
  pass "other content: --verbose says it is a conflict" ;;
  *) fail "other content: --verbose says it is a conflict ($out)" ;; esac

# the MTA's locale changes nothing stored (ingest runs in the C locale): raw 8-bit Subjects,
# in UTF-8 and in Latin-1, are stored as the same UTF-8 under every locale
report_json locale-id >"$TESTTMP/locale.json"
for subject in 'caf\303\251 \342\200\224 UTF-8' 'caf\351 Latin-1'; do
  { printf "From: tlsrpt@sender.example\nSubject: $subject\nContent-Type: application/tlsrpt+json\n\n"
    cat "$TESTTMP/locale.json"; } >"$TESTTMP/locale.eml"
  got=
  for lc in C C.UTF-8 POSIX; do
    db=$(newdb)
    LC_ALL=$lc LANG=$lc ingest "$db" "$TESTTMP/locale.eml"
    got="$got $status:$(sql "$db" "SELECT subject FROM reports")"
  done
  case $subject in *UTF-8) want='café — UTF-8' ;; *) want='café Latin-1' ;; esac
  is "Subject '$want': the same under C, C.UTF-8 and POSIX" "$got" " 0:$want 0:$want 0:$want"
done

# every sample is stored once, with its policies, and a second delivery adds nothing
db=$(newdb)
n=0
for f in "$SAMPLES"/*.eml; do
  ingest "$db" "$f"
  is "sample $(basename "$f"): exit 0" "$status" 0
  n=$((n + 1))
done
is "samples: one report each, nothing rejected" \
  "$(sql "$db" "SELECT count(*), (SELECT count(*) FROM rejected) FROM reports")" "$n|0"
is "samples: every report has a policy" \
  "$(sql "$db" "SELECT count(*) FROM reports WHERE id NOT IN (SELECT report_ref FROM policies)")" "0"
before=$(counts "$db")
for f in "$SAMPLES"/*.eml; do ingest "$db" "$f"; done
is "samples again: no new rows" "$(counts "$db")" "$before"
is "samples again: every report delivered twice" \
  "$(sql "$db" "SELECT count(*) FROM reports WHERE deliveries = 2")" "$n"
"$TLSRPTDB" query --db "$db" reports --since 2000-01-01 --format json >"$TESTTMP/dates.json"
is "date-times are UTC ISO 8601, as stored and as read back" \
  "$(grep -o '"start_datetime":"[^"]*"' "$TESTTMP/dates.json" | grep -c -v -E ':"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"$') $(grep -c '"start_datetime"' "$TESTTMP/dates.json")" "0 $n"

# --- what is not a report is kept, not lost -----------------------------------------------------
db=$(newdb)
printf 'From: someone@example.org\nSubject: hello\nMessage-ID: <hello@example.org>\n\nJust a note.\n' >"$TESTTMP/note.eml"
ingest "$db" "$TESTTMP/note.eml"
is "not a report: exit 0" "$status" 0
is "not a report: kept in rejected" "$(counts "$db")" "0 0 0 1"
is "not a report: raw bytes kept" "$(sql "$db" "SELECT raw_message = $(sql_file "$TESTTMP/note.eml"), message_size, truncated, message_id FROM rejected")" \
  "1|$(wc -c <"$TESTTMP/note.eml")|0|hello@example.org"
ingest "$db" "$TESTTMP/note.eml" --reject
is "not a report, --reject: exit 65" "$status" 65
is "not a report, --reject: still kept, once, its delivery counted" \
  "$(sql "$db" "SELECT count(*), sum(deliveries) FROM rejected")" "1|2"
case $err in "tlsrptdb ingest: hello@example.org: not a report"*) pass "--reject: one line on stderr" ;;
  *) fail "--reject: one line on stderr ($err)" ;; esac

# over the message size limit: kept up to the limit, with the true size
ingest "$db" "$SAMPLES/google.eml" --max-message-size 1K
is "too large: exit 0" "$status" 0
is "too large: kept truncated with the true size" \
  "$(sql "$db" "SELECT length(raw_message), message_size, truncated, reason LIKE 'message too large%' FROM rejected WHERE id = 2")" \
  "1024|$(wc -c <"$SAMPLES/google.eml")|1|1"

is "too large: the header still names the message" \
  "$(sql "$db" "SELECT message_id IS NOT NULL FROM rejected WHERE id = 2")" "1"

# more report parts than --max-reports: those taken are stored, the message is kept for the rest
db=$(newdb)
ingest "$db" "$SRCDIR/tests/corpus/y_two_reports.eml" --max-reports 1
is "too many reports: exit 0" "$status" 0
is "too many reports: one stored, the message kept" \
  "$(sql "$db" "SELECT (SELECT count(*) FROM reports), reason FROM rejected")" \
  "1|more than 1 report parts: the rest were not read"

# the limits on inflated bytes and JSON values hold for a whole message, not for each report
db=$(newdb)
ingest "$db" "$SRCDIR/tests/corpus/y_two_reports.eml"
sizes=$(sql "$db" "SELECT group_concat($(sql_bytes raw_json), ' ') FROM (SELECT raw_json FROM reports ORDER BY id) AS r")
set -- $sizes
db=$(newdb)
ingest "$db" "$SRCDIR/tests/corpus/y_two_reports.eml" --max-inflated-size $(($1 + $2 - 1))
is "inflated size of the whole message: exit 0" "$status" 0
is "inflated size of the whole message: the first stored, the message kept for the second" \
  "$(sql "$db" "SELECT (SELECT count(*) FROM reports), reason FROM rejected")" \
  "1|unusable report in part 3: over what the reports before it in this message left of the limits: inflated size exceeds $(($2 - 1)) bytes"
set --

# --- where the database is ---------------------------------------------------------------------
if on_pg; then
  db=$(newdb)
  TLSRPTDB_DB=$db "$TLSRPTDB" ingest <"$SAMPLES/google.eml"
  is "TLSRPTDB_DB names a PostgreSQL database" "$(sql "$db" "SELECT count(*) FROM reports")" "1"
  printf '[tlsrptdb]\ndb = %s\n' "$db" >"$TESTTMP/pg.conf"
  "$TLSRPTDB" ingest --config "$TESTTMP/pg.conf" <"$SAMPLES/mox.eml"
  is "so does the config file's db" "$(sql "$db" "SELECT count(*) FROM reports")" "2"
fi
if on_sqlite; then
export XDG_DATA_HOME="$TESTTMP/xdg"
"$TLSRPTDB" ingest <"$SAMPLES/google.eml"
is "default database: XDG_DATA_HOME/tlsrptdb/reports.db" \
  "$(sql "$XDG_DATA_HOME/tlsrptdb/reports.db" "SELECT count(*) FROM reports")" "1"
TLSRPTDB_DB="$TESTTMP/env/reports.db" "$TLSRPTDB" ingest <"$SAMPLES/google.eml"
is "TLSRPTDB_DB wins over XDG_DATA_HOME" "$(sql "$TESTTMP/env/reports.db" "SELECT count(*) FROM reports")" "1"
TLSRPTDB_DB="$TESTTMP/env/reports.db" "$TLSRPTDB" ingest --db "$TESTTMP/opt/reports.db" <"$SAMPLES/google.eml"
is "--db wins over TLSRPTDB_DB" "$(sql "$TESTTMP/opt/reports.db" "SELECT count(*) FROM reports")" "1"
unset XDG_DATA_HOME

# --- the WAL stays short: checkpointed when long, then rewound in place, not truncated ---------
db=$(newdb)
ingest "$db" "$SAMPLES/google.eml"
walsize=0 shrank=
for i in $(seq 1 40); do
  report_json "wal-$i" >"$TESTTMP/wal.json"
  "$TLSRPTDB" ingest --db "$db" <"$TESTTMP/wal.json"
  size=$(wc -c <"$db-wal")
  [ "$size" -lt "$walsize" ] && shrank="$shrank $i"
  walsize=$size
done
is "WAL: checkpointed into the database file" \
  "$(sql "file:$db?immutable=1" "SELECT count(*) > 1 FROM reports")" "1"
is "WAL: its file is reused, never cut back" "$shrank" ""
frames=$(sql "$db" "PRAGMA wal_checkpoint(PASSIVE)" | cut -d'|' -f2) # what the next process reads
check "WAL: rewound, a new process finds $frames pages in it (< 300)" [ "$frames" -lt 300 ]
check "WAL: the file is $walsize bytes (< 1.3 MB)" [ "$walsize" -lt 1300000 ]
python3 "$SRCDIR/bench/gen-report.py" -n 10000 --id wal-big >"$TESTTMP/wal-big.eml"
ingest "$db" "$TESTTMP/wal-big.eml"
is "WAL: after a large report, cut back to 4 MiB" "$status $(wc -c <"$db-wal")" "0 4194304"
is "WAL: integrity" "$(sql "$db" "PRAGMA integrity_check")" "ok"
fi # on_sqlite

# --- racing ingests of the same report store it once --------------------------------------------
db=$(newdb)
ingest "$db" "$SAMPLES/mox.eml" # create the database first: the race is about the report
for i in 1 2 3 4 5 6 7 8; do
  ("$TLSRPTDB" ingest --db "$db" <"$SAMPLES/google.eml"; echo $? >"$TESTTMP/race.$i") &
done
wait
is "race: every ingest exits 0" "$(cat "$TESTTMP"/race.* | sort -u)" "0"
is "race: stored once, eight deliveries" \
  "$(sql "$db" "SELECT count(*), sum(deliveries) FROM reports WHERE reporter_key = 'google.example'")" "1|8"
on_sqlite && is "race: integrity" "$(sql "$db" "PRAGMA integrity_check")" "ok"

done_testing
