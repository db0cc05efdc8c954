# t-schema.sh - every example SQL of doc/schema.md runs, and those that answer a question
# tlsrptdb query answers give its numbers (tests/cli/schema-examples.py compares)
# shellcheck shell=bash
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip_all "python3 compares the examples with query"
EXAMPLES="python3 $(dirname "$0")/schema-examples.py"

# The samples as they are (November 2026, for the examples with fixed days), then again moved
# to the last days (for those that count back from today), one 40 days back (outside them), and
# a report whose counts MAX() over its policies would get wrong: two sts policies of one domain
# (a policy that changed during the day), written "STS" once, and a no-policy-found beside them.
db=$(newdb)
for f in "$SAMPLES"/*.eml; do ingest "$db" "$f"; done
$EXAMPLES redate "$db" 0 1 2 3 40 5 6 >"$TESTTMP/recent.jsonl"
while IFS= read -r line; do
  printf '%s\n' "$line" >"$TESTTMP/r.json"
  ingest "$db" "$TESTTMP/r.json"
done <"$TESTTMP/recent.jsonl"
today=$(date -u +%Y-%m-%d)
printf '{"organization-name":"Changed Policy","date-range":{"start-datetime":"%sT00:00:00Z","end-datetime":"%sT23:59:59Z"},"contact-info":"tlsrpt@changed.example","report-id":"changed-1","policies":[
{"policy":{"policy-type":"sts","policy-domain":"example.com","mx-host":["mx1.example.com"]},"summary":{"total-successful-session-count":10,"total-failure-session-count":1},"failure-details":[{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"mx1.example.com","failed-session-count":1}]},
{"policy":{"policy-type":"STS","policy-domain":"Example.com","mx-host":["mx1.example.com"]},"summary":{"total-successful-session-count":0,"total-failure-session-count":1},"failure-details":[{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"MX1.example.com","failed-session-count":1}]},
{"policy":{"policy-type":"no-policy-found","policy-domain":"example.com"},"summary":{"total-successful-session-count":3,"total-failure-session-count":2},"failure-details":[{"result-type":"starttls-not-supported","sending-mta-ip":"192.0.2.2","receiving-mx-hostname":"mx2.example.com","failed-session-count":2}]}]}\n' \
  "$today" "$today" >"$TESTTMP/changed.json"
ingest "$db" "$TESTTMP/changed.json"
printf 'From: someone@example.net\nSubject: hello\nMessage-ID: <junk@example.net>\n\nNot a report.\n' >"$TESTTMP/junk.eml"
ingest "$db" "$TESTTMP/junk.eml"
is "the test database: the samples twice, the changed policy, a rejected message" \
  "$(counts "$db" | cut -d' ' -f1,4)" "$(($(find "$SAMPLES" -name '*.eml' | wc -l) * 2 + 1)) 1"

$EXAMPLES check "$SRCDIR/doc/schema.md" "$db" >"$TESTTMP/check" 2>&1
while IFS= read -r line; do
  case $line in
    "ok "*) pass "schema.md example ${line#ok }" ;;
    "not ok "*) fail "schema.md example ${line#not ok }" ;;
    *) echo "#   $line" ;;
  esac
done <"$TESTTMP/check"
compared=$(grep -c ' = tlsrptdb query' "$TESTTMP/check")
is "schema.md: the examples compared with query" "$compared" 9

done_testing
