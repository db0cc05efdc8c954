# t-show.sh - tlsrptdb show: a stored report with its mail facts, in every format
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/query-lib.sh"

db=$(newdb)
for f in google microsoft-2024 postfix-tlsrpt-reporter; do ingest "$db" "$SAMPLES/$f.eml"; done
# the received times are today's: fix them
fix_times () { sql "$1" "UPDATE reports SET received_at = '2026-11-25T06:00:00Z', last_received_at = '2026-11-25T06:00:00Z'"; }
fix_times "$db"
show () { "$TLSRPTDB" show --db "$db" "$@"; }
golden show-google.txt show 2026-11-20T00:00:00Z_example.com
golden show-microsoft.json show 2 --format json
golden show-postfix.csv show 3 --format csv
check "show json parses" json_ok "$EXPECTED/show-microsoft.json"
q show --db "$db" 2026-11-20T00:00:00Z_example.com --format json
is "show json: the report embedded as JSON" \
  "$(printf '%s' "$out" | grep -c '"report":{"organization-name"')" "1"
q show --db "$db" 1
is "show by row id" "$status:$(echo "$out" | grep -c '^Report-ID: *2026-11-20T00:00:00Z_example.com$')" "0:1"
q show --db "$db" no-such-report
is "unknown report: 66" "$status" 66
case $err in "tlsrptdb show: no report"*) pass "unknown report: says so" ;; *) fail "unknown report: says so ($err)" ;; esac
q show --db "$db"
is "no argument: 64" "$status" 64
q show --db "$db" a b
is "two arguments: 64" "$status" 64
q show --db "$TESTTMP/none.db" 1
is "missing database: 66" "$status" 66

# hostile bytes: a Subject with an invalid byte, control characters in the JSON
hdb=$(newdb)
printf 'From: x@evil.example\nSubject: bad \377 byte, "q"\001\nMessage-ID: <evil@evil.example>\nContent-Type: application/tlsrpt+json\n\n{"organization-name":"Evil\\n\\"Inc\\"","date-range":{"start-datetime":"2026-11-15T00:00:00Z","end-datetime":"2026-11-15T23:59:59Z"},"contact-info":"tlsrpt@evil.example","report-id":"evil,\\u0001\\u001b[2J","policies":[{"policy":{"policy-type":"sts","policy-domain":"evil.example"},"summary":{"total-successful-session-count":1,"total-failure-session-count":0}}]}\n' >"$TESTTMP/evil.eml"
ingest "$hdb" "$TESTTMP/evil.eml"
fix_times "$hdb"
db=$hdb
# hostile_goldens PREFIX : show of the report in every format, as tests/expected/PREFIX.*
hostile_goldens () {
  golden "$1.txt" show 1
  golden "$1.json" show 1 --format json
  golden "$1.csv" show 1 --format csv
  check "$1 json parses" json_ok "$EXPECTED/$1.json"
  if grep -q "$(printf '\033')" "$EXPECTED/$1.txt"; then fail "$1: no ESC in text"
  else pass "$1: no ESC in text"; fi
  if [ -n "$HAVE_PYTHON" ]; then
    is "$1 csv: header and one row" "$(csv_rows "$EXPECTED/$1.csv")" "2 x 27"
  fi
}
hostile_goldens show-hostile-ingested
# invalid UTF-8 cannot come in through ingest (it makes text valid): put it there directly (SQLite
# only: PostgreSQL refuses it)
if on_sqlite; then
  sql "$hdb" "UPDATE reports SET mail_from = CAST(x'62616420ff20627974650a' AS TEXT)"
  hostile_goldens show-hostile
fi

# --- structure and parse warnings -----------------------------------------------------------------
# counts as strings and a fraction, mx-host a bare string: four warnings, kept with the report
wdb=$(newdb)
warn_json='{"organization-name":"Warn","date-range":{"start-datetime":"2026-11-16T00:00:00Z","end-datetime":"2026-11-16T23:59:59Z"},"contact-info":"tlsrpt@warn.example","report-id":"warn-1","policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com","mx-host":"mx1.example.com"},"summary":{"total-successful-session-count":"12","total-failure-session-count":"1"},"failure-details":[{"result-type":"starttls-not-supported","receiving-mx-hostname":"mx1.example.com","failed-session-count":1.5}]}]}'
printf 'From: tlsrpt@warn.example\nSubject: warn\nMessage-ID: <warn@warn.example>\nContent-Type: application/tlsrpt+json\n\n%s\n' "$warn_json" >"$TESTTMP/warn.eml"
q ingest --db "$wdb" --verbose <"$TESTTMP/warn.eml"
is "ingest --verbose names the warnings" "$out" \
  "stored warn.example warn-1: 1 policies, 1 failure details; 4 warnings: array-bare, count-as-string x2, count-fraction"
is "the warnings are stored with the report" \
  "$(sql "$wdb" "SELECT group_concat(code, ' ') FROM (SELECT code FROM report_warnings ORDER BY $(on_sqlite && echo rowid || echo id)) AS w")" \
  "array-bare count-as-string count-as-string count-fraction"
q show --db "$wdb" warn-1
is "show: a table of the warnings" "$(printf '%s\n' "$out" | grep -c '^  count-as-string  policies\[0\]\.summary\.total-')" "2"
is "show: the policy's MX hosts and counts" \
  "$(printf '%s\n' "$out" | grep -E '^  (MX hosts|Successful sessions|Failed sessions):' | tr -s ' ')" \
  "$(printf ' MX hosts: mx1.example.com\n Successful sessions: 12\n Failed sessions: 1')"
is "show: the failure details as a table" \
  "$(printf '%s\n' "$out" | grep -c '^    starttls-not-supported  -            mx1.example.com  -                 1')" "1"
q show --db "$wdb" warn-1 --format json
if [ -n "$HAVE_PYTHON" ]; then
  is "show json: warnings and policies as structure" "$(printf '%s' "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)["rows"][0]
p = r["policies"][0]
print(len(r["warnings"]), r["warnings"][0]["code"], p["mx_host"], p["successful"],
      p["failure_details"][0]["failed_session_count"], r["report"]["report-id"])')" \
    "4 array-bare ['mx1.example.com'] 12 1 warn-1"
fi
ingest "$wdb" "$TESTTMP/warn.eml"
is "a duplicate adds no warnings" "$(sql "$wdb" "SELECT count(*) FROM report_warnings")" "4"
# --raw: the JSON exactly as it came
q show --db "$wdb" --raw warn-1
is "show --raw: the JSON as received" "$out" "$warn_json"
q show --db "$wdb" --raw nothing-like-it
is "show --raw: unknown report: 66" "$status" 66
done_testing
