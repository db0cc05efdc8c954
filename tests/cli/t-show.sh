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
# invalid UTF-8 cannot come in through ingest (it makes text valid): put it there directly
sql "$hdb" "UPDATE reports SET mail_from = CAST(x'62616420ff20627974650a' AS TEXT)"
db=$hdb
golden show-hostile.txt show 1
golden show-hostile.json show 1 --format json
golden show-hostile.csv show 1 --format csv
check "hostile show json parses" json_ok "$EXPECTED/show-hostile.json"
if grep -q "$(printf '\033')" "$EXPECTED/show-hostile.txt"; then fail "hostile show: no ESC in text"
else pass "hostile show: no ESC in text"; fi
if [ -n "$HAVE_PYTHON" ]; then
  is "hostile show csv: header and one row" "$(csv_rows "$EXPECTED/show-hostile.csv")" "2 x 23"
fi
done_testing
