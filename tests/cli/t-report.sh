# shellcheck shell=sh disable=SC2154 # $status, $out: set by q (query-lib.sh)
# t-report.sh - tlsrptdb report and digest: the page of the samples (golden), its numbers
# against query summary, valid HTML (tidy, when installed), hostile strings escaped, the
# digest's MIME structure, and the options
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/query-lib.sh"
HERE=$SRCDIR/tests/cli
W="--since 2026-11-01 --until 2026-11-30"

db=$(newdb)
for f in "$SAMPLES"/*.eml; do ingest "$db" "$f"; done
# shellcheck disable=SC2086
{
  golden report-samples.html "$TLSRPTDB" report --db "$db" $W
  "$TLSRPTDB" report --db "$db" $W >"$TESTTMP/again.html"
  is "report: the same bytes twice" "$(cmp "$TESTTMP/again.html" "$EXPECTED/report-samples.html" && echo same)" same
}

# --- every number on the page is query summary's -----------------------------------------------
# numbers DB OPTIONS... : the page's and query summary's numbers, compared
numbers () {
  _db=$1; shift
  "$TLSRPTDB" report --db "$_db" "$@" >"$TESTTMP/n.html"
  "$TLSRPTDB" query --db "$_db" summary "$@" --format json >"$TESTTMP/n.json"
  is "numbers = query summary ($*)" "$(python3 "$HERE/report-numbers.py" html "$TESTTMP/n.html")" \
    "$(python3 "$HERE/report-numbers.py" json "$TESTTMP/n.json")"
}
if [ -n "$HAVE_PYTHON" ]; then
  # shellcheck disable=SC2086
  {
    numbers "$db" $W
    numbers "$db" $W --domain example.org --domain sub.example.org
    numbers "$db" $W --reporter google.example
    numbers "$db" --since 2026-11-21 --until 2026-11-22
  }
  # a generated database: many domains, reporters, sts+tlsa pairs (Microsoft style)
  gdb=$(newdb)
  python3 "$SRCDIR/bench/gen-db.py" --tlsrptdb "$TLSRPTDB" "$gdb" --reports 3000 --failures 30000 \
    --domains 60 --reporters 8 --days 90 --end-day 2026-11-30 >/dev/null
  numbers "$gdb" --since 2026-09-15 --until 2026-11-30
  numbers "$gdb" --since 2026-11-24 --until 2026-11-30 --domain d0007.example,d0011.example
else
  pass "# SKIP no python3: numbers not compared"
fi

# --- valid HTML ----------------------------------------------------------------------------------
# tidy_ok FILE : tidy -errors finds nothing (passes without tidy)
tidy_ok () {
  command -v tidy >/dev/null 2>&1 || return 0
  tidy -errors -quiet "$1" >"$TESTTMP/tidy.out" 2>&1 || { sed 's/^/# /' "$TESTTMP/tidy.out" | head -20; return 1; }
}
command -v tidy >/dev/null 2>&1 || echo "# tidy not installed: HTML not validated"
check "tidy: the samples' page" tidy_ok "$EXPECTED/report-samples.html"
"$TLSRPTDB" report --db "$db" --since 2026-10-01 --until 2026-10-31 >"$TESTTMP/empty.html"
check "tidy: a window without reports" tidy_ok "$TESTTMP/empty.html"
is "a window without reports says so" "$(grep -c 'No reports in this window' "$TESTTMP/empty.html")" 3
if [ -n "${gdb:-}" ]; then
  "$TLSRPTDB" report --db "$gdb" --since 2026-09-01 --until 2026-11-30 >"$TESTTMP/gen.html"
  check "tidy: 90 days of 60 domains" tidy_ok "$TESTTMP/gen.html"
fi

# --- hostile strings ------------------------------------------------------------------------------
hdb=$(newdb)
printf '%s' '{"organization-name":"<script>alert(\"org\")</script>","date-range":{"start-datetime":"2026-11-20T00:00:00Z","end-datetime":"2026-11-20T23:59:59Z"},"contact-info":"tlsrpt@evil\"><script>alert(1)</script>.example","report-id":"</svg><script>alert(2)</script>","policies":[{"policy":{"policy-type":"sts<img src=x onerror=alert(3)>","policy-string":["version: STSv1","mode: <b>enforce</b>"],"policy-domain":"<svg onload=alert(4)>.example"},"summary":{"total-successful-session-count":5,"total-failure-session-count":3},"failure-details":[{"result-type":"</svg><script>alert(5)</script>","sending-mta-ip":"\"onmouseover=\"alert(6)","receiving-mx-hostname":"mx.<iframe src=javascript:alert(7)>\u202e","failed-session-count":3,"failure-reason-code":"\u202eevil\u0001]]><!--"}]}]}' >"$TESTTMP/evil.json"
ingest "$hdb" "$TESTTMP/evil.json"
printf 'From: "<script>alert(8)</script>" <x@evil.example>\nSubject: </svg><script>alert(9)</script>\nMessage-ID: <evil@evil.example>\n\nnot a report\n' >"$TESTTMP/evil.eml"
ingest "$hdb" "$TESTTMP/evil.eml"
"$TLSRPTDB" report --db "$hdb" --since 2026-11-01 >"$TESTTMP/hostile.html"
is "hostile: page written" "$?" 0
is "hostile: no <script, <img, <iframe element" "$(grep -ciE '<(script|img|iframe)' "$TESTTMP/hostile.html")" 0
is "hostile: no event-handler attribute" "$(grep -ciE '<[^>]* on[a-z]+=' "$TESTTMP/hostile.html")" 0
is "hostile: as many </svg> as <svg" "$(grep -o '</svg>' "$TESTTMP/hostile.html" | wc -l)" "$(grep -o '<svg' "$TESTTMP/hostile.html" | wc -l)"
is "hostile: bidi override shown, not obeyed" "$(grep -c "$(printf '\342\200\256')" "$TESTTMP/hostile.html")" 0
is "hostile: the rejected message is listed, escaped" "$(grep -c '&lt;/svg&gt;&lt;script&gt;alert(9)' "$TESTTMP/hostile.html")" 1
check "tidy: the hostile page" tidy_ok "$TESTTMP/hostile.html"
cp "$TESTTMP/hostile.html" "$TESTTMP/hostile-page.html" # for the browser test, if any

# --- --output, errors ------------------------------------------------------------------------------
# shellcheck disable=SC2086
{
  page=$(outdir pages)/out.html
  q report --db "$db" $W --output "$page"
  is "--output: exit 0, nothing on stdout" "$status:$out" "0:"
  is "--output: the same page" "$(cmp "$page" "$EXPECTED/report-samples.html" && echo same)" same
  is "--output: mode 0644" "$(stat -c %a "$page")" 644
  q report --db "$db" $W --output "$TESTTMP/no/such/dir/r.html"
  is "--output in a missing directory: 66" "$status" 66
  mkfifo "$TESTTMP/fifo"
  q report --db "$db" $W --output "$TESTTMP/fifo"
  is "--output to a pipe (or /dev/null): refused, 78, left alone" "$status:$(test -p "$TESTTMP/fifo" && echo fifo)" "78:fifo"
  q report --db "$db" --since 2026-12-01 --until 2026-11-01
  is "--since after --until: 64" "$status" 64
  q report --db "$db" --since 5m
  is "--since 5m: 64 (minutes or months?)" "$status" 64
  q report --db "$db" extra
  is "an argument: 64" "$status" 64
  q report --db "$TESTTMP/none.db"
  is "no database: 66" "$status" 66
}

# --- digest ------------------------------------------------------------------------------------------
# mime FILE : "content-type parts subject", and the text part, as Python's email package reads FILE
mime () {
  python3 - "$1" <<'PY'
import email, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default)
print(m.get_content_type(), [p.get_content_type() for p in m.iter_parts()], m["Subject"], sep="|")
print(m["To"], m["From"], m["Auto-Submitted"], "Date" in m, "Message-ID" in m, len(m.defects), sep="|")
open(sys.argv[1] + ".txt", "w").write(m.get_body(("plain",)).get_content())
open(sys.argv[1] + ".html", "w").write(m.get_body(("html",)).get_content())
PY
}
"$TLSRPTDB" digest --db "$db" --since 2026-11-18 --until 2026-11-25 --to "Post Master <pm@example.com>" \
  --from tlsrptdb@example.com >"$TESTTMP/d.eml"
is "digest: exit 0" "$?" 0
if [ -n "$HAVE_PYTHON" ]; then
  mime "$TESTTMP/d.eml" >"$TESTTMP/d.mime"
  is "digest: multipart/alternative, text and HTML, the subject" "$(head -1 "$TESTTMP/d.mime")" \
    "multipart/alternative|['text/plain', 'text/html']|TLS reports, week 47: 4 domains with failures"
  is "digest: headers" "$(tail -1 "$TESTTMP/d.mime")" \
    "Post Master <pm@example.com>|tlsrptdb@example.com|auto-generated|True|True|0"
  is "digest: the text says what check would" "$(grep -c '^TLSRPT CRITICAL - ' "$TESTTMP/d.eml.txt")" 1
  "$TLSRPTDB" report --db "$db" --since 2026-11-18 --until 2026-11-25 >"$TESTTMP/d.page"
  is "digest: the HTML part is the report of the window" "$(cmp "$TESTTMP/d.eml.html" "$TESTTMP/d.page" && echo same)" same
  is "digest: no line over 998 bytes" "$(awk 'length > 998' "$TESTTMP/d.eml" | wc -l)" 0
  "$TLSRPTDB" digest --db "$db" --since 2026-10-01 --until 2026-10-07 --to pm@example.com >"$TESTTMP/e.eml"
  mime "$TESTTMP/e.eml" >"$TESTTMP/e.mime"
  is "digest of a window without reports: still a message, saying so" \
    "$(head -1 "$TESTTMP/e.mime" | cut -d'|' -f3):$(grep -c 'No reports arrived' "$TESTTMP/e.eml.txt")" \
    "TLS reports, week 40: no reports:1"
  "$TLSRPTDB" digest --db "$db" --since 2026-11-01 --until 2026-11-30 --to pm@example.com \
    --subject "Berichte für März" >"$TESTTMP/s.eml"
  mime "$TESTTMP/s.eml" >"$TESTTMP/s.mime"
  is "digest --subject: encoded, read back" "$(head -1 "$TESTTMP/s.mime" | cut -d'|' -f3)" "Berichte für März"
  "$TLSRPTDB" digest --db "$hdb" --since 2026-11-01 --to pm@example.com >"$TESTTMP/h.eml"
  mime "$TESTTMP/h.eml" >/dev/null
  is "digest of the hostile database: no ESC or bidi in the text" \
    "$(grep -c "$(printf '\033')\|$(printf '\342\200\256')" "$TESTTMP/h.eml.txt")" 0
fi

# --- the verdict is check's: its thresholds, from [check] of the config file --------------------------
# rate_lines CONF : the domains the digest's text finds over a failure-rate threshold, "LEVEL domain"
rate_lines () {
  "$TLSRPTDB" digest --db "$db" ${1:+--config "$1"} --since 2026-11-18 --until 2026-11-25 \
    --to pm@example.com >"$TESTTMP/v.eml" || return 1
  mime "$TESTTMP/v.eml" >/dev/null
  awk '$1 ~ /^(CRITICAL|WARNING)$/ && /sessions failed$/ {sub(":", "", $2); print $1, $2}' \
    "$TESTTMP/v.eml.txt" | sort | tr '\n' ' '
}
# check_rates ARGS... : the domains check finds over a failure-rate threshold since the same day
check_rates () {
  "$TLSRPTDB" check --db "$db" --since 2026-11-18 --format json "$@" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(sorted(("CRITICAL" if p["state"] == "CRITICAL" else "WARNING") + " " + p["domain"]
                      for p in d["problems"] if p["rule"] == "failure-rate")), end=" ")'
}
if [ -n "$HAVE_PYTHON" ]; then
  is "verdict: check's default thresholds (5%, 25%, 10 sessions)" "$(rate_lines)" "WARNING example.org "
  is "verdict: the same domains as check says" "$(rate_lines)" "$(check_rates)"
  printf '[check]\nwarning = 0.5\ncritical = 50\nmin-sessions = 1\n' >"$TESTTMP/v.conf"
  is "verdict: [check] thresholds of the config file" "$(rate_lines "$TESTTMP/v.conf")" \
    "CRITICAL example.net WARNING example.com WARNING example.org WARNING sub.example.org "
  is "verdict: still the same as check with that file" "$(rate_lines "$TESTTMP/v.conf")" \
    "$(check_rates --config "$TESTTMP/v.conf")"
  printf '[check]\nrejected = 0\nwarning = 90\n' >"$TESTTMP/v0.conf"
  is "verdict: a threshold above every rate: none" "$(rate_lines "$TESTTMP/v0.conf")" ""
fi
printf '[check]\nwarning = lots\n' >"$TESTTMP/vbad.conf"
q digest --db "$db" --config "$TESTTMP/vbad.conf" --to pm@example.com
is "verdict: a bad [check] threshold is a config error (78), named" \
  "$status:$(printf '%s' "$err" | grep -c '\[check\] warning')" "78:1"
q report --db "$db" --config "$TESTTMP/vbad.conf"
is "verdict: the same for report" "$status" 78
printf '[check]\nwarnin = 3\n' >"$TESTTMP/vtypo.conf"
q report --db "$db" --config "$TESTTMP/vtypo.conf"
is "verdict: a typo in [check] is named for report too" "$status:$(printf '%s' "$err" | grep -c 'warning')" "78:1"

q digest --db "$db" --to "not an address"
is "digest --to garbage: 64" "$status" 64
q digest --db "$db" --to pm@example.com --subject "$(printf 'a\nBcc: x@evil.example')"
is "digest --subject with a line break: 64" "$status" 64
q digest --db "$db" --from "$(printf 'a@b.example\r\nBcc: x@evil.example')"
is "digest --from with a line break: 64" "$status" 64

done_testing
