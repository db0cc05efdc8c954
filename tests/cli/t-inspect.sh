# t-inspect.sh - tlsrptdb inspect: what ingest would store of a message, without a database
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/query-lib.sh"

CORPUS=$SRCDIR/tests/corpus
I="$TLSRPTDB inspect"
# from FILE ARGS... : inspect FILE on standard input (its input is then "stdin", not a path of
# this machine, in the golden files)
from () { _f=$1; shift; "$TLSRPTDB" inspect "$@" <"$_f"; }

# --- what it prints ----------------------------------------------------------------------------
# shellcheck disable=SC2086
{
  golden inspect-google.txt from "$SAMPLES/google.eml"
  golden inspect-google.json from "$SAMPLES/google.eml" --format json
  golden inspect-bare.csv from "$CORPUS/y_bare_gzip.json.gz" --format csv
}
check "inspect json parses" json_ok "$EXPECTED/inspect-google.json"

# the reports print as show prints them once stored: the same members, the same values
db=$(newdb)
ingest "$db" "$SAMPLES/postfix-tlsrpt-reporter.eml"
if [ -n "$HAVE_PYTHON" ]; then
  "$TLSRPTDB" show --db "$db" 1 --format json >"$TESTTMP/show.json"
  $I "$SAMPLES/postfix-tlsrpt-reporter.eml" --format json >"$TESTTMP/inspect.json"
  is "the reports of inspect are those of show" "$(python3 -c '
import json, sys
shown = json.load(open(sys.argv[1]))["rows"][0]
message = json.load(open(sys.argv[2]))["rows"][0]
report = message["reports"][0]
common = [k for k in report if k in shown]
differ = [k for k in common if report[k] != shown[k]]
mail = [k for k in ("message_id", "subject", "mail_from", "mail_date") if message[k] != shown[k]]
print(len(common), differ, mail)' "$TESTTMP/show.json" "$TESTTMP/inspect.json")" "14 [] []"
fi

# --- inputs: anything ingest and import take ----------------------------------------------------
count_inputs () { $I "$@" --format json 2>/dev/null | grep -c '^{"input"'; }
is "a bare .json" "$(count_inputs "$CORPUS/y_bare_json.json")" "1"
is "a bare .json.gz" "$(count_inputs "$CORPUS/y_bare_gzip.json.gz")" "1"
if [ -n "$HAVE_PYTHON" ]; then
  python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    z.write(sys.argv[1], "report.json")' "$CORPUS/y_bare_json.json" "$TESTTMP/report.zip"
  q inspect "$TESTTMP/report.zip"
  is "a bare .zip" "$status:$(printf '%s\n' "$out" | grep -c '^  Reporter: ')" "0:1"
fi
q inspect <"$SAMPLES/mox.eml"
is "standard input without FILE" "$status:$(printf '%s\n' "$out" | head -n 1)" "0:Input:                stdin"
q inspect - <"$SAMPLES/mox.eml"
is "- is standard input" "$status:$(printf '%s\n' "$out" | head -n 1)" "0:Input:                stdin"
{ printf 'From sender@example Fri Nov 20 01:00:00 2026\n'; cat "$SAMPLES/google.eml"; echo
  printf 'From sender@example Fri Nov 20 01:00:00 2026\n'; cat "$SAMPLES/mox.eml"; } >"$TESTTMP/box.mbox"
q inspect "$TESTTMP/box.mbox" --format json
is "an mbox file: each message" "$status:$(printf '%s\n' "$out" | grep -o '"input":"[^"]*"' | sed 's/.*://' | tr '\n' ' ')" '0:1" 2" '
mkdir "$TESTTMP/dir" && cp "$SAMPLES/google.eml" "$SAMPLES/mox.eml" "$TESTTMP/dir/"
is "a directory: each file" "$(count_inputs "$TESTTMP/dir")" "2"

# --- exit status and reasons ---------------------------------------------------------------------
q inspect "$SAMPLES/google.eml" "$SAMPLES/mox.eml"
is "usable reports: exit 0, quiet" "$status:$err" "0:"
for f in n_corrupt_gzip.eml n_plain_text_mail.eml n_invalid_json.json n_html_only.eml; do
  d=$(newdb)
  ingest "$d" "$CORPUS/$f"
  q inspect "$CORPUS/$f" --format json
  is "$f: 65 with the reason rejected records" \
    "$status:$(printf '%s\n' "$out" | grep -cF "\"usable\":false,\"reason\":$(sql "$d" "SELECT json_quote(reason) FROM rejected")")" "65:1"
done
q inspect "$SAMPLES/google.eml" "$CORPUS/n_corrupt_gzip.eml"
is "one input unusable: 65, the others printed" "$status:$(printf '%s\n' "$out" | grep -c '^Usable: ')" "65:2"
case $err in *"1 of 2 messages would be kept in \`rejected\`"*) pass "says how many" ;;
  *) fail "says how many ($err)" ;; esac
q inspect "$TESTTMP/missing.eml"
is "a missing file: 66" "$status" 66
q inspect "$CORPUS/n_empty.eml"
is "an empty file holds no message: 65" "$status:$err" "65:tlsrptdb inspect: no message in the input"
q inspect "$TESTTMP/missing.eml" "$SAMPLES/google.eml"
is "a missing file among others: 65, the others printed" "$status:$(printf '%s\n' "$out" | grep -c '^Usable: ')" "65:1"
q inspect --max-message-size 1000 "$SAMPLES/google.eml"
is "the limits apply" "$status:$(printf '%s\n' "$out" | grep -c '^Reason: *message too large: 2450 bytes, limit 1000$')" "65:1"

# --- settings: scope and trust as the config file says -------------------------------------------
q inspect --domains example.org "$SAMPLES/google.eml"
is "out of scope: 65, not our domain" "$status:$(printf '%s\n' "$out" | grep -c '^Reason: *not our domain: example.com$')" "65:1"
printf 'Authentication-Results: mx.example.com; dkim=pass header.d=google.example\n' >"$TESTTMP/ar.eml"
cat "$SAMPLES/google.eml" >>"$TESTTMP/ar.eml"
printf '[tlsrptdb]\ntrusted-authserv-id = mx.example.com\n' >"$TESTTMP/trust.conf"
q inspect --config "$TESTTMP/trust.conf" "$TESTTMP/ar.eml"
is "trust from the config file: authenticated" "$status:$(printf '%s\n' "$out" | grep -c '^  Trust: *authenticated: dkim=pass by google.example, aligned with the reporter google.example$')" "0:1"
q inspect --config "$TESTTMP/trust.conf" "$SAMPLES/google.eml"
is "trusted host, no header: not authenticated" "$(printf '%s\n' "$out" | grep -c '^  Trust: *not authenticated: no DKIM result from a trusted host$')" "1"
q inspect --config "$TESTTMP/trust.conf" --require-dkim "$SAMPLES/google.eml"
is "--require-dkim: 65, the reason" "$status:$(printf '%s\n' "$out" | grep -c '^Reason: *not authenticated: no DKIM result from a trusted host$')" "65:1"

# --- no database -------------------------------------------------------------------------------
mkdir "$TESTTMP/nodb"
q inspect --db "$TESTTMP/nodb/reports.db" "$SAMPLES/google.eml"
is "no database is created or opened" "$status:$(ls "$TESTTMP/nodb" | wc -l | tr -d ' ')" "0:0"
TLSRPTDB_DB=$TESTTMP/nodb/env.db "$TLSRPTDB" inspect "$SAMPLES/google.eml" >/dev/null
is "... nor the one of \$TLSRPTDB_DB" "$(ls "$TESTTMP/nodb" | wc -l | tr -d ' ')" "0"

# --- warnings and hostile values -----------------------------------------------------------------
warn_json='{"organization-name":"Warn","date-range":{"start-datetime":"2026-11-16T00:00:00Z","end-datetime":"2026-11-16T23:59:59Z"},"contact-info":"tlsrpt@warn.example","report-id":"warn-1","policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com","mx-host":"mx1.example.com"},"summary":{"total-successful-session-count":"12","total-failure-session-count":"1"},"failure-details":[{"result-type":"starttls-not-supported","receiving-mx-hostname":"mx1.example.com","failed-session-count":1.5}]}]}'
printf '%s\n' "$warn_json" >"$TESTTMP/warn.json"
q inspect "$TESTTMP/warn.json"
is "the parse warnings" "$(printf '%s\n' "$out" | grep -c '^    count-as-string  policies\[0\]\.summary\.total-')" "2"
is "what a result type means" "$(printf '%s\n' "$out" | grep -c '^  starttls-not-supported  the MX did not offer STARTTLS')" "1"
printf 'From: x@evil.example\nSubject: bad \377 byte, \033[2J\001\nMessage-ID: <evil@evil.example>\nContent-Type: application/tlsrpt+json\n\n{"organization-name":"Evil\\n\\u202e\\"Inc\\"","date-range":{"start-datetime":"2026-11-15T00:00:00Z","end-datetime":"2026-11-15T23:59:59Z"},"contact-info":"tlsrpt@evil.example","report-id":"evil,\\u0001\\u001b[2J","policies":[{"policy":{"policy-type":"sts","policy-domain":"evil.example"},"summary":{"total-successful-session-count":1,"total-failure-session-count":1},"failure-details":[{"result-type":"\\u001b[31mred\\u202e","failed-session-count":1}]}]}\n' >"$TESTTMP/evil.eml"
golden inspect-hostile.txt from "$TESTTMP/evil.eml"
golden inspect-hostile.json from "$TESTTMP/evil.eml" --format json
golden inspect-hostile.csv from "$TESTTMP/evil.eml" --format csv
check "hostile inspect json parses" json_ok "$EXPECTED/inspect-hostile.json"
if grep -q "$(printf '\033')" "$EXPECTED/inspect-hostile.txt"; then fail "hostile inspect: no ESC in text"
else pass "hostile inspect: no ESC in text"; fi
if grep -q "$(printf '\342\200\256')" "$EXPECTED/inspect-hostile.txt"; then fail "hostile inspect: no bidi override in text"
else pass "hostile inspect: no bidi override in text"; fi
done_testing
