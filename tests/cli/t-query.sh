# t-query.sh - tlsrptdb query summary|failures|reports: numbers, filters, formats, access
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/query-lib.sh"

# --- a database of every sample ---------------------------------------------------------------
db=$(newdb)
for f in "$SAMPLES"/*.eml; do ingest "$db" "$f"; done
is "samples stored" "$(sql "$db" "SELECT count(*) FROM reports")" "7"
Q=(query --db "$db")
S="--since 2026-11-01"

# shellcheck disable=SC2086
{
  golden query-summary.txt "$TLSRPTDB" "${Q[@]}" summary $S
  golden query-summary.json "$TLSRPTDB" "${Q[@]}" summary $S --format json
  golden query-summary.csv "$TLSRPTDB" "${Q[@]}" summary $S --format csv
  golden query-summary-day.txt "$TLSRPTDB" "${Q[@]}" summary $S --until 2026-11-25 --by day
  golden query-summary-reporter.txt "$TLSRPTDB" "${Q[@]}" summary $S --by reporter
  golden query-summary-day-domain.csv "$TLSRPTDB" "${Q[@]}" summary --since 2026-11-17 --until 2026-11-25 --by day,domain --format csv
  golden query-summary-result-type.txt "$TLSRPTDB" "${Q[@]}" summary $S --by result-type
  golden query-summary-mx.json "$TLSRPTDB" "${Q[@]}" summary $S --by mx --format json
  golden query-summary-filters.txt "$TLSRPTDB" "${Q[@]}" summary --since 2026-11-19 --until 2026-11-22 \
    --domain example.org --domain example.com --by day --by domain
  golden query-summary-type-filter.txt "$TLSRPTDB" "${Q[@]}" summary $S --result-type STS-policy-fetch-error
  golden query-summary-reporter-filter.csv "$TLSRPTDB" "${Q[@]}" summary $S --reporter Google.Example --format csv
  golden query-summary-mx-filter.txt "$TLSRPTDB" "${Q[@]}" summary $S --mx mx2.example.org --by reporter
  golden query-summary-limit.txt "$TLSRPTDB" "${Q[@]}" summary $S --limit 2

  golden query-failures.txt "$TLSRPTDB" "${Q[@]}" failures
  golden query-failures.json "$TLSRPTDB" "${Q[@]}" failures --format json
  golden query-failures.csv "$TLSRPTDB" "${Q[@]}" failures --format csv
  golden query-failures-filters.txt "$TLSRPTDB" "${Q[@]}" failures --since 2026-11-19T10:00:00Z \
    --until 2026-11-22T23:00:00+02:00 --domain example.org
  golden query-failures-reporter.txt "$TLSRPTDB" "${Q[@]}" failures --reporter corp.mail.example --limit 1
  golden query-failures-type-mx.txt "$TLSRPTDB" "${Q[@]}" failures --result-type certificate-host-mismatch --mx MX2.example.org

  golden query-reports.txt "$TLSRPTDB" "${Q[@]}" reports
  golden query-reports.json "$TLSRPTDB" "${Q[@]}" reports --format json
  golden query-reports.csv "$TLSRPTDB" "${Q[@]}" reports --format csv
  golden query-reports-filters.txt "$TLSRPTDB" "${Q[@]}" reports --domain example.org --since 2026-11-22
  golden query-reports-type.txt "$TLSRPTDB" "${Q[@]}" reports --result-type tlsa-invalid
}
for f in query-summary.json query-failures.json query-reports.json query-summary-mx.json; do
  check "$f parses as JSON" json_ok "$EXPECTED/$f"
done

# --- the counting rule ---------------------------------------------------------------------------
# Microsoft: the same 17 sessions under an sts and a tlsa policy count once
is "sts+tlsa for one domain counted once" \
  "$("$TLSRPTDB" "${Q[@]}" summary --since 2026-11-21 --until 2026-11-21 --format csv | tail -n 1 | tr -d '\r')" \
  "example.org,17,0,0.0000,1,,"
is "the daily_summary view uses the same rule" \
  "$(sql "$db" "SELECT successful, failed FROM daily_summary WHERE report_day = '2026-11-21'")" "17|0"
# Postfix: a no-policy-found policy without policy-domain falls back to TLS-Report-Domain and is
# added (it is other sessions), the tlsa policy of the MX host is its own domain
is "no policy-domain: TLS-Report-Domain, added to the sts sessions" \
  "$(sql "$db" "SELECT domain, successful, failed FROM daily_summary WHERE report_day = '2026-11-22' ORDER BY domain")" \
  "example.org|10|2
mx1.example.org|12|0"
# failure details: sts and tlsa copies of the same details count once, other types add
mdb=$(newdb)
cat >"$TESTTMP/ms.json" <<'EOF'
{"organization-name":"Microsoft Corporation","date-range":{"start-datetime":"2026-11-10T00:00:00Z","end-datetime":"2026-11-10T23:59:59Z"},"contact-info":"tlsrpt@microsoft.example","report-id":"ms-1","policies":[
{"policy":{"policy-type":"sts","policy-domain":"Example.NET"},"summary":{"total-successful-session-count":90,"total-failure-session-count":10},"failure-details":[{"result-type":"certificate-expired","receiving-mx-hostname":"mx1.example.net","failed-session-count":6},{"result-type":"validation-failure","receiving-mx-hostname":"mx1.example.net","failed-session-count":4}]},
{"policy":{"policy-type":"tlsa","policy-domain":"example.net"},"summary":{"total-successful-session-count":90,"total-failure-session-count":10},"failure-details":[{"result-type":"certificate-expired","receiving-mx-hostname":"mx1.example.net","failed-session-count":6},{"result-type":"validation-failure","receiving-mx-hostname":"mx1.example.net","failed-session-count":4}]},
{"policy":{"policy-type":"no-policy-found","policy-domain":"example.net"},"summary":{"total-successful-session-count":5,"total-failure-session-count":1},"failure-details":[{"result-type":"starttls-not-supported","failed-session-count":1}]}]}
EOF
ingest "$mdb" "$TESTTMP/ms.json"
ingest "$mdb" "$TESTTMP/ms.json" # a repeat delivery adds nothing
golden query-rule.csv "$TLSRPTDB" query --db "$mdb" summary --since 2026-11-01 --format csv
golden query-rule-types.csv "$TLSRPTDB" query --db "$mdb" summary --since 2026-11-01 --by result-type --format csv
is "rule: 95 successful, 11 failed, once" \
  "$(sql "$mdb" "SELECT successful, failed FROM report_sessions")" "95|11"
is "failure_details view: one row per detail" "$(sql "$mdb" "SELECT count(*) FROM failure_details")" "5"

# an unknown result type appears as itself
udb=$(newdb)
report_json odd-type | sed 's/"certificate-expired"/"x-Brand-New"/' >"$TESTTMP/odd.json"
ingest "$udb" "$TESTTMP/odd.json"
q query --db "$udb" summary --since 2026-11-01 --by result-type --format csv
is "unknown result type kept" "$(echo "$out" | tail -n 1 | tr -d '\r')" "x-Brand-New,,1,,1"

# --- relative spans, against reports dated from today -------------------------------------------
rdb=$(newdb)
for back in 1 5 40; do
  day=$(date -u -d "-$back days" +%Y-%m-%d 2>/dev/null) || skip_all "needs GNU date"
  report_json "rel-$back" | sed "s/2026-11-20/$day/g; s/example.com/d$back.example/g" >"$TESTTMP/rel.json"
  ingest "$rdb" "$TESTTMP/rel.json"
done
q query --db "$rdb" summary --format csv
is "summary: the last 30 days by default" "$(echo "$out" | tail -n +2 | cut -d, -f1 | sort | tr '\n' ' ')" \
  "d1.example d5.example "
q query --db "$rdb" failures --since 3d --format csv
is "--since 3d" "$(echo "$out" | tail -n +2 | cut -d, -f3 | sort | tr '\n' ' ')" "d1.example "
q query --db "$rdb" reports --since 72h --format csv
is "--since 72h" "$(echo "$out" | tail -n +2 | wc -l)" "1"
q query --db "$rdb" reports --since 6w --until 2w --format csv
is "--since 6w --until 2w" "$(echo "$out" | tail -n +2 | cut -d, -f3 | tr '\n' ' ')" "sender.example "

# --- usage errors: 64 with a message that says what was expected ----------------------------------
for args in "summary --since tomorrowish" "summary --since 3m" "summary --until 2026-13-45" "failures --limit -1" \
  "summary --by colour" "reports --format xml" "failures --domain 'a;b'" "summary --mx ''" \
  "summary --by day --by day" "failures --by day" "bogus" "summary extra" "summary --nope"; do
  # shellcheck disable=SC2086
  eval "set -- $args"
  q query --db "$db" "$@"
  is "usage error: $args" "$status" 64
  case $err in "tlsrptdb query: "*expected*|"tlsrptdb query: "*"could be minutes"*|"tlsrptdb query: "*twice*|"tlsrptdb query: "*only*|"tlsrptdb query: "*Unknown*) pass "message: $args" ;;
    *) fail "message: $args ($err)" ;; esac
done
q query --db "$db" --since 2026-11-01 --format csv
is "query alone is query summary" "$out" "$("$TLSRPTDB" query summary --db "$db" --since 2026-11-01 --format csv)"

# --- access --------------------------------------------------------------------------------------
if on_pg; then
  q query --db "$(newdb_empty)" summary
  is "a database without the schema: 66" "$status" 66
  case $err in *"tlsrptdb upgrade"*) pass "without the schema: says how to create it" ;;
    *) fail "without the schema: says how to create it ($err)" ;; esac
fi
if on_sqlite; then
q query --db "$TESTTMP/none/reports.db" summary
is "missing database: 66" "$status" 66
case $err in *"tlsrptdb ingest creates it"*) pass "missing database: says how to create it" ;;
  *) fail "missing database: says how to create it ($err)" ;; esac
[ ! -e "$TESTTMP/none" ]; is "missing database: nothing created" "$?" 0
fi

edb=$(newdb)
printf 'From: a@example.org\nSubject: hi\n\nnot a report\n' >"$TESTTMP/note.eml"
ingest "$edb" "$TESTTMP/note.eml"
for sub in summary failures reports; do
  q query --db "$edb" $sub
  is "empty database: $sub text is empty, exit 0" "$status:$out" "0:"
  q query --db "$edb" $sub --format json
  is "empty database: $sub json" "$status:$out" "0:{\"version\":2,\"kind\":\"$sub\",\"rows\":[]}"
  q query --db "$edb" $sub --format csv
  is "empty database: $sub csv is the header" "$status:$(echo "$out" | wc -l)" "0:1"
done

# read-only file and directory (as an unprivileged user when run as root)
if on_sqlite; then
rodir=$TESTTMP/ro
mkdir "$rodir"
ingest "$rodir/reports.db" "$SAMPLES/google.eml"
chmod 0444 "$rodir/reports.db"*
chmod 0555 "$rodir"
[ "$(id -u)" = 0 ] && chmod 0755 "$TESTTMP" # mktemp -d makes it 0700: let the other user in
as_other () { if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi; }
as_other "$TLSRPTDB" query --db "$rodir/reports.db" reports --format csv >"$TESTTMP/ro.out" 2>"$TESTTMP/ro.err"
is "read-only database: query works" "$?:$(wc -l <"$TESTTMP/ro.out")" "0:2"
chmod 0755 "$rodir"
chmod 0644 "$rodir/reports.db"*
# the sqlite3 shell checkpoints and removes -wal and -shm when it closes
sqlite3 "$rodir/reports.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
is "no -wal and -shm left" "$(ls "$rodir")" "reports.db"
chmod 0444 "$rodir/reports.db"
chmod 0555 "$rodir"
as_other "$TLSRPTDB" query --db "$rodir/reports.db" reports --format csv >"$TESTTMP/ro.out" 2>"$TESTTMP/ro.err"
ro_status=$?
chmod 0755 "$rodir"
is "read-only directory without -wal/-shm: query works" "$ro_status" 0

# while a writer holds the write lock (WAL: readers are not blocked)
wdb=$(newdb)
ingest "$wdb" "$SAMPLES/google.eml"
(printf 'BEGIN IMMEDIATE;\nINSERT INTO rejected (received_at, reason, raw_message, message_size) VALUES (1, 2, x\x2700\x27, 1);\n'; sleep 3; printf 'COMMIT;\n') | sqlite3 "$wdb" &
writer=$!
sleep 1
q query --db "$wdb" reports --format csv
is "query while ingest writes: works" "$status:$(echo "$out" | wc -l)" "0:2"
wait "$writer"
else
# a writer holds an exclusive lock on a table (readers are not blocked)
wdb=$(newdb)
ingest "$wdb" "$SAMPLES/google.eml"
sql "$wdb" "BEGIN; LOCK TABLE rejected IN EXCLUSIVE MODE; SELECT pg_sleep(3); COMMIT" >/dev/null &
writer=$!
sleep 1
q query --db "$wdb" reports --format csv
is "query while a writer holds a lock: works" "$status:$(echo "$out" | wc -l)" "0:2"
wait "$writer"
fi

# --- PostgreSQL: the schema by upgrade, as the owner; a newer one refused ----------------------------
if on_pg; then
  udb=$(newdb_empty)
  TLSRPTDB_PG_ROLE=tlsrpt_ingest q ingest --db "$udb" <"$SAMPLES/google.eml"
  is "no schema: ingest (not the owner) defers, saying who may create it" \
    "$status:$(printf '%s' "$err" | grep -c "as the database's owner")" "75:1"
  q upgrade --db "$udb"
  is "upgrade as the owner: schema 7" "$status:$out" "0:$udb: schema version 7"
  q upgrade --db "$udb"
  is "upgrade again: nothing to do" "$status:$out" "0:$udb: schema version 7"
  for f in "$SAMPLES"/*.eml; do ingest "$udb" "$f"; done
  golden query-summary.txt "$TLSRPTDB" query --db "$udb" summary $S
  sql "$udb" "INSERT INTO tlsrptdb_version (version) VALUES (99)"
  ingest "$udb" "$SAMPLES/google.eml"
  is "a newer schema: ingest defers (75)" "$status:$(printf '%s' "$err" | grep -c 'newer than this program')" "75:1"
  q query --db "$udb" summary
  is "a newer schema: query exits 75" "$status" 75
  TLSRPTDB_PG_ROLE=tlsrpt_read q upgrade --db "$(newdb_empty)"
  is "upgrade as a reader: 75, saying who may" "$status:$(printf '%s' "$err" | grep -c "as the database's owner")" "75:1"
fi

# --- an older database: refused with a way out, then upgraded with its summaries back-filled ------
if on_sqlite; then
odb=$(newdb)
for f in "$SAMPLES"/*.eml; do ingest "$odb" "$f"; done
undo_step_5 "$odb"
sql "$odb" "DROP TRIGGER reports_summary_delete; DROP TRIGGER policies_summary_delete; DROP TABLE summary_sessions;
  DROP TABLE summary_policy_failures; DROP INDEX reports_reporter_day; PRAGMA user_version = 2;"
q query --db "$odb" summary
is "schema 2: query exits 75" "$status" 75
case $err in *"tlsrptdb upgrade"*) pass "schema 2: says how to upgrade" ;; *) fail "schema 2: says how to upgrade ($err)" ;; esac
q upgrade --db "$odb"
is "upgrade: exit 0" "$status" 0
is "upgrade: schema 7" "$(sql "$odb" "PRAGMA user_version")" "7"
golden query-summary.txt "$TLSRPTDB" query --db "$odb" summary $S
golden query-failures.csv "$TLSRPTDB" query --db "$odb" failures --format csv
q upgrade --db "$TESTTMP/none2/reports.db"
is "upgrade of a missing database: 66" "$status" 66

# --- a schema-3 database (failure summaries kept by a trigger) is not read until it is upgraded
# (the reads use what step 5 adds); ingest takes it to the latest, where the store writes the summaries:
# one row per policy, result type and MX, never counted twice
tdb=$(newdb)
for f in "$SAMPLES"/*.eml; do ingest "$tdb" "$f"; done
undo_step_5 "$tdb"
sql "$tdb" "CREATE TRIGGER failures_summary AFTER INSERT ON failures BEGIN
  INSERT INTO summary_policy_failures (policy_ref, result_type, receiving_mx, failed)
  VALUES (NEW.policy_ref, coalesce(NEW.result_type, '(none)'), lower(coalesce(NEW.receiving_mx_hostname, '')),
  coalesce(NEW.failed_session_count, 0)) ON CONFLICT (policy_ref, result_type, receiving_mx) DO UPDATE SET
  failed = failed + excluded.failed; END; PRAGMA user_version = 3;"
q query --db "$tdb" summary $S
is "schema 3: query exits 75 and says how to upgrade" "$status:$(echo "$err" | grep -c 'tlsrptdb upgrade')" "75:1"
report_json schema3-upgrade >"$TESTTMP/schema3.json"
ingest "$tdb" "$TESTTMP/schema3.json"
is "schema 3: the next ingest upgrades to 7 and drops the trigger" \
  "$(sql "$tdb" "SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master WHERE name = 'failures_summary')")" "7|0"
failure_sums="SELECT policy_ref, coalesce(result_type, '(none)'), lower(coalesce(receiving_mx_hostname, '')),
  sum(coalesce(failed_session_count, 0)) FROM failures GROUP BY 1, 2, 3"
is "schema 4: summary_policy_failures is exactly the sums of failures" \
  "$(sql "$tdb" "SELECT (SELECT count(*) FROM ($failure_sums EXCEPT SELECT policy_ref, result_type, receiving_mx, failed FROM summary_policy_failures)),
    (SELECT count(*) FROM (SELECT policy_ref, result_type, receiving_mx, failed FROM summary_policy_failures EXCEPT $failure_sums)),
    (SELECT count(*) FROM summary_policy_failures)")" "0|0|$(sql "$tdb" "SELECT count(*) FROM ($failure_sums)")"
else
  odb=$(newdb)
  for f in "$SAMPLES"/*.eml; do ingest "$odb" "$f"; done
fi # on_sqlite

# --- prune (deleting reports) keeps the summaries right --------------------------------------------
if on_sqlite; then
  sql "$odb" "PRAGMA foreign_keys = ON; DELETE FROM reports WHERE reporter_key = 'google.example'"
else
  sql "$odb" "DELETE FROM reports WHERE reporter_key = 'google.example'"
fi
is "deleted report: its summary rows are gone" \
  "$(sql "$odb" "SELECT (SELECT count(*) FROM summary_sessions WHERE report_ref = 1), (SELECT count(*) FROM summary_policy_failures WHERE policy_ref = 1)")" "0|0"
q query --db "$odb" summary $S --domain example.com --format csv
is "deleted report: summary without it" "$(echo "$out" | tail -n 1 | tr -d '\r' | cut -d, -f1-5)" "example.com,47,2,0.0408,2"

# --- hostile bytes in stored values, in every format ----------------------------------------------
hdb=$(newdb)
printf '%s' '{"organization-name":"Evil, \"Inc\"\nNext line","date-range":{"start-datetime":"2026-11-15T00:00:00Z","end-datetime":"2026-11-16T00:00:00Z"},"contact-info":"tlsrpt@evil.example","report-id":"id,with \"quotes\"\u0001\n=1+1","policies":[{"policy":{"policy-type":"sts","policy-domain":"evil.example"},"summary":{"total-successful-session-count":1,"total-failure-session-count":2},"failure-details":[{"result-type":"x-\u001b[31mred\u001b[0m","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"mx.evil.example","failed-session-count":2,"failure-reason-code":"a,b \"c\"\r\nd\te\u0001\u007f\u202eevil\u2028x"}]}]}' >"$TESTTMP/evil.json"
ingest "$hdb" "$TESTTMP/evil.json"
printf 'From: x@evil.example\nSubject: bad \377 byte, "q"\nMessage-ID: <evil@evil.example>\nContent-Type: application/tlsrpt+json\n\n' >"$TESTTMP/evil2.eml"
sed 's/id,with/second id,with/' "$TESTTMP/evil.json" >>"$TESTTMP/evil2.eml"
ingest "$hdb" "$TESTTMP/evil2.eml"
is "hostile reports stored" "$(sql "$hdb" "SELECT count(*) FROM reports")" "2"
# hostile_goldens PREFIX : every listing of $hdb in every format, as tests/expected/PREFIX-*
hostile_goldens () {
  for sub in "summary --since 2026-11-01 --by reporter" "failures" "reports"; do
    name=$(echo "$sub" | cut -d' ' -f1)
    # shellcheck disable=SC2086
    {
      golden "$1-$name.txt" "$TLSRPTDB" query --db "$hdb" $sub
      golden "$1-$name.json" "$TLSRPTDB" query --db "$hdb" $sub --format json
      golden "$1-$name.csv" "$TLSRPTDB" query --db "$hdb" $sub --format csv
    }
    check "$1 $name: JSON parses" json_ok "$EXPECTED/$1-$name.json"
    if grep -q "$(printf '\033')" "$EXPECTED/$1-$name.txt"; then fail "$1 $name: no ESC in text"
    else pass "$1 $name: no ESC in text"; fi
    if [ -n "$HAVE_PYTHON" ]; then
      want=3; [ "$name" = summary ] && want=2 # both reports are from one reporter
      is "$1 $name: CSV has a header and its rows, of one width" \
        "$(csv_rows "$EXPECTED/$1-$name.csv" | grep -c "^$want x [0-9]*\$")" "1"
    fi
  done
  is "$1 text: one line per row" "$(grep -c 'evil' "$EXPECTED/$1-failures.txt" | head -1)" "2"
}
hostile_goldens query-hostile-ingested
# invalid UTF-8 cannot come in through ingest (it makes text valid): put it there directly (SQLite
# only: PostgreSQL refuses it, so the PostgreSQL backend makes every value valid on the way in)
if on_sqlite; then
  sql "$hdb" "UPDATE failures SET receiving_ip = CAST(x'3139322e302e32ff0a31' AS TEXT);
    UPDATE reports SET report_id = CAST(x'62616420ff2062797465' AS TEXT) WHERE id = 2"
  hostile_goldens query-hostile
fi

# --- the subcommand is the first argument left after the options -----------------------------------
q query --db "$db" --reporter reports summary $S --format csv
is "query --reporter reports summary: the summary of reporter \"reports\" (nothing)" \
  "$status:$(printf '%s\n' "$out" | head -1 | cut -d, -f1)" "0:policy_domain"
q query --db "$db" reports summary
is "query reports summary: a second subcommand is refused" "$status" 64
q query --db "$db" --format csv --since 2026-11-01
is "query without a subcommand is summary" "$status:$(printf '%s' "$out" | head -1 | cut -d, -f1)" "0:policy_domain"
q query --db "$db" sumary
is "query sumary: 64, naming the four" "$status:$(printf '%s' "$err" | grep -c 'expected summary, failures, reports or rejected')" "64:1"

# --- parse warnings: a filter, and counted per reporter ---------------------------------------------
wdb=$(newdb)
ingest "$wdb" "$SAMPLES/google.eml"
printf 'From: tlsrpt@warn.example\nSubject: warn\nMessage-ID: <warn@warn.example>\nContent-Type: application/tlsrpt+json\n\n{"organization-name":"Warn","date-range":{"start-datetime":"2026-11-16T00:00:00Z","end-datetime":"2026-11-16T23:59:59Z"},"contact-info":"tlsrpt@warn.example","report-id":"warn-1","policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com","mx-host":"mx1.example.com"},"summary":{"total-successful-session-count":"12","total-failure-session-count":0}}]}\n' | "$TLSRPTDB" ingest --db "$wdb"
q query --db "$wdb" reports $S --warning count-as-string --format csv
is "reports --warning: only the report with it" "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f3,10)" "warn.example,2"
q query --db "$wdb" reports $S --warning date-future --warning no-policies --format csv
is "reports --warning: none has these" "$(printf '%s\n' "$out" | wc -l)" "1"
q query --db "$wdb" failures $S --warning array-bare --format csv
is "failures --warning: the filter holds for every subcommand" "$(printf '%s\n' "$out" | wc -l)" "1"
q query --db "$wdb" reports --warning Bogus
is "reports --warning with an unknown code: 64, naming the codes" "$status:$(printf '%s' "$err" | grep -c 'count-as-string')" "64:1"
q query --db "$wdb" summary $S --by reporter --format csv
is "summary --by reporter: a warnings column" \
  "$(printf '%s\n' "$out" | tr -d '\r' | cut -d, -f1,6 | sort -u)" \
  "$(printf 'google.example,0\nreporter,warnings\nwarn.example,2')"
q query --db "$wdb" summary $S --by domain --format csv
is "summary --by domain: no warnings column" "$(printf '%s\n' "$out" | head -1 | grep -c warnings)" "0"

done_testing
