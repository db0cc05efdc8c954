# t-security.sh - forged and hostile mail cannot hide, replace or bury real reports, stop a query,
# make ingest defer, or fill the disk (doc/design.md, "Threat model")
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip_all "python3 writes the hostile inputs"
HOSTILE="python3 $(dirname "$0")/hostile.py"

# google_report ID TOTAL-FAILED : Google's style: its contact-info, a predictable report-id
google_report () {
  printf '{"organization-name":"Google Inc.","date-range":{"start-datetime":"2026-11-20T00:00:00Z","end-datetime":"2026-11-20T23:59:59Z"},"contact-info":"smtp-tls-reporting@google.example","report-id":"%s","policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: enforce","mx: mx.example.com","max_age: 86400"],"policy-domain":"example.com","mx-host":["mx.example.com"]},"summary":{"total-successful-session-count":100,"total-failure-session-count":%d}' "$1" "$2"
  if [ "$2" -gt 0 ]; then
    printf ',"failure-details":[{"result-type":"starttls-not-supported","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"mx.example.com","failed-session-count":%d}]' "$2"
  fi
  printf '}]}\n'
}
# signed MAIL-FILE JSON-FILE HEADER... : a report mail from Google, with Authentication-Results
signed () {
  _out=$1 _json=$2; shift 2
  { for _h in "$@"; do printf 'Authentication-Results: %s\n' "$_h"; done
    mail_gzip "$(basename "$_json" .json)" "$_json"; } >"$_out"
}
q () { "$TLSRPTDB" "$@" >"$TESTTMP/out" 2>"$TESTTMP/err"; status=$?; out=$(cat "$TESTTMP/out"); err=$(cat "$TESTTMP/err"); }
id=2026-11-20T00:00:00Z_example.com
google_report "$id" 0 >"$TESTTMP/forged.json"
google_report "$id" 7 >"$TESTTMP/real.json"
trust="--trusted-authserv-id mx.our.example"
pass_ar="mx.our.example; dkim=pass header.d=google.example header.s=s1"

# --- 1. default config: a forgery sent first does not make the real report a duplicate ---------
db=$(newdb)
ingest "$db" "$TESTTMP/forged.json"
ingest "$db" "$TESTTMP/real.json" --verbose
is "forged first, then the real one: both kept" "$(counts "$db")" "2 2 1 0"
case $out in *"CONFLICT: 1 other stored report"*) pass "the real one is stored and called a conflict" ;;
  *) fail "the real one is stored and called a conflict ($out)" ;; esac
is "its failure details are there" \
  "$(sql "$db" "SELECT sum(failed_session_count) FROM failures")" "7"
q query --db "$db" reports --format csv
is "query reports shows the conflict on both" \
  "$(echo "$out" | tr -d '\r' | cut -d, -f3,8,9 | sort)" "$(printf 'google.example,1,1\ngoogle.example,1,1\nreporter,deliveries,conflicts')"
q show --db "$db" "$id"
is "show shows both, each naming the other" "$(echo "$out" | grep -c '^Conflicts with: *row [12]$')" "2"
ingest "$db" "$TESTTMP/real.json"
ingest "$db" "$TESTTMP/forged.json"
is "each is then a repeat of itself" \
  "$(sql "$db" "SELECT group_concat(deliveries, ' ') FROM (SELECT deliveries FROM reports ORDER BY id)")" "2 2"
q query --db "$db" summary --since 2026-11-01 --format csv
is "summary counts both (nothing removed)" "$(echo "$out" | tail -1 | cut -d, -f1-3)" "example.com,200,7"

# --- 2. trust configured: an authenticated report is never displaced or hidden -----------------
db=$(newdb)
signed "$TESTTMP/forged.eml" "$TESTTMP/forged.json" "mx.our.example; spf=pass"
signed "$TESTTMP/real.eml" "$TESTTMP/real.json" "$pass_ar"
ingest "$db" "$TESTTMP/forged.eml" $trust
ingest "$db" "$TESTTMP/real.eml" $trust
is "trust: the real report stored beside the forgery, authenticated" \
  "$(sql "$db" "SELECT group_concat(coalesce(dkim_result, '-') || ':' || coalesce(dkim_aligned, '-'), ' ') FROM (SELECT * FROM reports ORDER BY id)")" \
  "none:- pass:1"
q query --db "$db" reports --authenticated --format csv
is "--authenticated shows the real report, and only it" \
  "$(echo "$out" | tail -n +2 | tr -d '\r' | cut -d, -f6,7)" "100,7"
# the forger copies the real report exactly and sends it first: one report, and the real
# delivery's verdict is kept
db=$(newdb)
signed "$TESTTMP/copy.eml" "$TESTTMP/real.json" "mx.our.example; dkim=fail header.d=google.example"
ingest "$db" "$TESTTMP/copy.eml" $trust
ingest "$db" "$TESTTMP/real.eml" $trust --verbose
is "an identical copy first: the real delivery authenticates it" \
  "$(sql "$db" "SELECT count(*), deliveries, dkim_result, dkim_aligned FROM reports")" "1|2|pass|1"
case $out in *"this delivery was authenticated"*) pass "--verbose says so" ;; *) fail "--verbose says so ($out)" ;; esac
q query --db "$db" reports --authenticated --format csv
is "--authenticated counts it" "$(echo "$out" | tail -n +2 | wc -l)" "1"
ingest "$db" "$TESTTMP/copy.eml" $trust
is "a later unauthenticated copy changes no verdict" \
  "$(sql "$db" "SELECT deliveries, dkim_result FROM reports")" "3|pass"

# --- 3. require-dkim: the signature must cover the name the report is filed under --------------
db=$(newdb)
sed 's|smtp-tls-reporting@google.example|https://google.example/@evil.example|' "$TESTTMP/forged.json" >"$TESTTMP/url.json"
signed "$TESTTMP/url.eml" "$TESTTMP/url.json" "mx.our.example; dkim=pass header.d=evil.example"
sed -i 's/^TLS-Report-Submitter: .*/TLS-Report-Submitter: evil.example/' "$TESTTMP/url.eml"
ingest "$db" "$TESTTMP/url.eml" $trust --require-dkim
is "contact-info https://google.example/@evil.example signed by evil.example: refused" \
  "$(sql "$db" "SELECT (SELECT count(*) FROM reports), reason FROM rejected")" \
  "0|not authenticated: signed by evil.example, not aligned with the reporter google.example"
signed "$TESTTMP/sub.eml" "$TESTTMP/forged.json" "mx.our.example; dkim=pass header.d=evil.example"
sed -i 's/^TLS-Report-Submitter: .*/TLS-Report-Submitter: evil.example/' "$TESTTMP/sub.eml"
ingest "$db" "$TESTTMP/sub.eml" $trust --require-dkim
is "TLS-Report-Submitter of the signer does not make it aligned" "$(counts "$db")" "0 0 0 2"
ingest "$db" "$TESTTMP/real.eml" $trust --require-dkim
is "the real report is stored, authenticated" \
  "$(sql "$db" "SELECT count(*), dkim_aligned, reporter_key FROM reports")" "1|1|google.example"
# a trusted header without a DKIM result is the verdict; a pass planted below it is not read
signed "$TESTTMP/planted.eml" "$TESTTMP/real.json" "mx.our.example; spf=pass smtp.mailfrom=google.example" "$pass_ar"
ingest "$(newdb)" "$TESTTMP/planted.eml" $trust --require-dkim
is "a planted dkim=pass below a trusted spf-only header: not authenticated" "$status" 0
db2=$(newdb)
ingest "$db2" "$TESTTMP/planted.eml" $trust
is "... and stored as such without require-dkim" "$(sql "$db2" "SELECT dkim_result FROM reports")" "none"

# --- 4. reprocess and import leave a message only for identical content ------------------------
db=$(newdb)
ingest "$db" "$TESTTMP/real.eml" --domains other.example # the real one: kept, not our domain
ingest "$db" "$TESTTMP/forged.json"                      # the forgery takes its key first
"$TLSRPTDB" reprocess --db "$db" >"$TESTTMP/out" 2>&1
is "reprocess: the real report is stored beside the forgery" \
  "$(sql "$db" "SELECT count(*), sum(failed_session_count) FROM reports r JOIN policies p ON p.report_ref = r.id LEFT JOIN failures f ON f.policy_ref = p.id")" "2|7"
is "reprocess: its message leaves rejected only now that it is stored" "$(counts "$db")" "2 2 1 0"
db=$(newdb)
ingest "$db" "$TESTTMP/forged.json"
mkdir -p "$TESTTMP/box"
cp "$TESTTMP/real.eml" "$TESTTMP/box/real.eml"
"$TLSRPTDB" import --db "$db" --no-progress "$TESTTMP/box" >"$TESTTMP/out" 2>&1
is "import: a report with other content under a stored key is stored, not skipped" "$(counts "$db")" "2 2 1 0"

# --- 5. one report with very many policies: every read is linear --------------------------------
db=$(newdb)
$HOSTILE policies 40000 >"$TESTTMP/many.json"
ingest "$db" "$TESTTMP/many.json"
is "40,000 policy domains in one report: stored" "$status:$(sql "$db" "SELECT count(*) FROM policies")" "0:40000"
# a quadratic read takes minutes here (36 s for 16,000 before the fix); a linear one a second
for args in "summary" "summary --by result-type" "summary --by domain,mx" "summary --domain d7.example" \
  "summary --result-type certificate-expired" "failures --limit 5" "reports"; do
  # shellcheck disable=SC2086
  timeout 60 "$TLSRPTDB" query --db "$db" $args --since 2026-11-01 --format csv >"$TESTTMP/out" 2>&1
  is "query $args: answers within 60 s" "$?" "0"
done
is "summary over them is right" \
  "$("$TLSRPTDB" query --db "$db" summary --since 2026-11-01 --by reporter --format csv | tail -1 | cut -d, -f1-3)" \
  "hostile.example,40000,40000"

# --- 6. counts near 2^63 are not believed; sums cannot overflow ----------------------------------
db=$(newdb)
for n in 1 2; do
  printf '{"contact-info":"x@big.example","report-id":"big-%s","date-range":{"start-datetime":"2026-11-20T00:00:00Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":9223372036854775807,"total-failure-session-count":9223372036854775807},"failure-details":[{"result-type":"a","failed-session-count":9223372036854775807},{"result-type":"a","failed-session-count":9223372036854775807}]},{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":1000000000000,"total-failure-session-count":3}}]}' "$n" >"$TESTTMP/big.json"
  ingest "$db" "$TESTTMP/big.json" --verbose
  is "counts of 2^63-1 ($n): stored, exit 0 (never 75)" "$status" 0
done
is "counts beyond belief are NULL, the believable ones kept" \
  "$(sql "$db" "SELECT count(total_successful_session_count), sum(total_successful_session_count), count(failed_session_count) FROM policies LEFT JOIN failures ON policy_ref = policies.id")" \
  "2|2000000000000|0"
q query --db "$db" summary --since 2026-11-01 --format csv
is "query summary works" "$status:$(echo "$out" | tail -1 | cut -d, -f1-3)" "0:example.com,2000000000000,6"
q query --db "$db" summary --since 2026-11-01 --by result-type --format csv
case $out in *,-*) fail "--by result-type: no negative number ($out)" ;; *) pass "--by result-type: no negative number" ;; esac
is "daily_summary works" "$(sql "$db" "SELECT successful, failed FROM daily_summary" 2>&1)" "2000000000000|6"

# --- 7. one message adds at most a bounded multiple of its own size -----------------------------
# db_bytes DB : the size of the database with its WAL checkpointed
db_bytes () { sqlite3 "$1" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null; stat -c %s "$1"; }
db=$(newdb)
ingest "$db" "$SAMPLES/google.eml"
for attack in "padded 31" "empty-details 700000"; do
  # shellcheck disable=SC2086
  $HOSTILE $attack >"$TESTTMP/attack.eml"
  size=$(stat -c %s "$TESTTMP/attack.eml")
  before=$(db_bytes "$db")
  ingest "$db" "$TESTTMP/attack.eml"
  growth=$(($(db_bytes "$db") - before))
  is "${attack%% *} (a $size-byte mail): exit 0" "$status" 0
  check "${attack%% *}: the database grew by $growth bytes, at most 100 x $size + 256 KiB" \
    test "$growth" -le $((100 * size + 262144))
  is "${attack%% *}: kept in rejected, saying why" \
    "$(sql "$db" "SELECT reason LIKE '%--max-storage-ratio%' FROM rejected ORDER BY id DESC LIMIT 1")" "1"
done
python3 "$SRCDIR/bench/gen-report.py" -n 10000 >"$TESTTMP/bigreal.eml"
ingest "$db" "$TESTTMP/bigreal.eml"
is "a real report of 10,000 failure details is still stored whole" \
  "$(sql "$db" "SELECT count(*) FROM failures f JOIN policies p ON p.id = f.policy_ref JOIN reports r ON r.id = p.report_ref WHERE r.reporter_key = 'reporter.example.com'")" "10000"

# --- 8. rejected: one copy per message, and a budget for all of them -----------------------------
db=$(newdb)
$HOSTILE junk 512 >"$TESTTMP/junk.eml"
for _ in 1 2 3 4 5 6 7 8 9 10; do ingest "$db" "$TESTTMP/junk.eml"; done
is "the same junk ten times: one row, ten deliveries" \
  "$(sql "$db" "SELECT count(*), sum(deliveries), sum(length(raw_message)) = $(stat -c %s "$TESTTMP/junk.eml") FROM rejected")" "1|10|1"
# the same message through an MTA again: other Received lines, the same message
{ printf 'Received: from x by y; Fri, 20 Nov 2026 01:00:00 +0000\n'; cat "$TESTTMP/junk.eml"; } >"$TESTTMP/junk2.eml"
ingest "$db" "$TESTTMP/junk2.eml"
is "... and with another Received line" "$(sql "$db" "SELECT count(*), sum(deliveries) FROM rejected")" "1|11"
for seed in 1 2 3; do
  $HOSTILE junk 300 "$seed" >"$TESTTMP/junk-$seed.eml"
  ingest "$db" "$TESTTMP/junk-$seed.eml" --max-rejected-size 1M
done
is "a budget of 1 MiB: the first messages kept whole, then only their facts" \
  "$(sql "$db" "SELECT group_concat(raw_dropped || ':' || (length(raw_message) > 0) || ':' || (subject IS NOT NULL), ' ') FROM (SELECT * FROM rejected ORDER BY id)")" \
  "0:1:1 0:1:1 1:0:1 1:0:1"
is "the budget holds" "$(sql "$db" "SELECT sum(length(raw_message)) <= 1048576, (SELECT value FROM counters) = sum(length(raw_message)) FROM rejected")" "1|1"
ingest "$db" "$TESTTMP/junk-3.eml" --verbose --max-rejected-size 1M
case $out in *"only its facts kept"*|*"kept before"*) pass "--verbose says what was kept" ;; *) fail "--verbose says what was kept ($out)" ;; esac

# --- 9. strings from the mail reach no terminal or log raw ----------------------------------------
db=$(newdb)
esc=$(printf '\033')
printf 'From: x@evil.example\nMessage-ID: <a\033[2J\033]52;c;ZXZpbA==\007\r\302\233b\342\200\256c@evil.example>\nSubject: hi\n\nnot a report\n' >"$TESTTMP/evil.eml"
ingest "$db" "$TESTTMP/evil.eml" --reject --verbose
is "hostile Message-ID, --reject: exit 65" "$status" 65
all=$(cat "$TESTTMP/out" "$TESTTMP/err")
case $all in *"$esc"*|*$'\a'*|*$'\r'*|*$'\302\233'*|*$'\342\200\256'*) fail "ingest prints no ESC, BEL, CR, C1 or U+202E ($all)" ;;
  *) pass "ingest prints no ESC, BEL, CR, C1 or U+202E" ;; esac
case $err in *'\u009bb\u202ec'*) pass "... but shows them escaped" ;; *) fail "... but shows them escaped ($err)" ;; esac
report_json "$(printf 'r\033[2J\342\200\256')" >"$TESTTMP/evilid.json"
mkdir -p "$TESTTMP/evilbox"
cp "$TESTTMP/evilid.json" "$TESTTMP/evilbox/$(printf 'x\033[2J.json')"
"$TLSRPTDB" import --db "$db" --verbose --no-progress "$TESTTMP/evilbox" >"$TESTTMP/out" 2>&1
"$TLSRPTDB" reprocess --db "$db" --verbose >>"$TESTTMP/out" 2>&1
all=$(cat "$TESTTMP/out")
case $all in *"$esc"*|*$'\342\200\256'*) fail "import and reprocess --verbose print nothing raw ($all)" ;;
  *) pass "import and reprocess --verbose print nothing raw" ;; esac

# --- 10. import does not follow a symbolic link it finds ----------------------------------------
db=$(newdb)
mkdir -p "$TESTTMP/md/cur" "$TESTTMP/md/new" "$TESTTMP/secret"
printf 'root:secret-hash:19000:0:99999:7:::\n' >"$TESTTMP/secret/shadow"
ln -s "$TESTTMP/secret/shadow" "$TESTTMP/md/cur/x"
cp "$SAMPLES/google.eml" "$TESTTMP/md/cur/y"
"$TLSRPTDB" import --db "$db" --no-progress "$TESTTMP/md" >"$TESTTMP/out" 2>&1
is "a link to a file in a Maildir: not read" "$(counts "$db")" "1 1 3 0"
"$TLSRPTDB" import --db "$db" --no-progress "$TESTTMP/md/cur/x" >"$TESTTMP/out" 2>&1
is "a link named on the command line: the user's choice" "$(sql "$db" "SELECT count(*) FROM rejected")" "1"

# --- 11. CSV cells cannot become spreadsheet formulas --------------------------------------------
db=$(newdb)
printf '{"contact-info":"x@csv.example","report-id":"=HYPERLINK(\\"http://evil.example\\",\\"x\\")","date-range":{"start-datetime":"2026-11-20T00:00:00Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":1,"total-failure-session-count":1},"failure-details":[{"result-type":"+cmd|%s /C calc%s!A0","failure-reason-code":"@SUM(A1)","failed-session-count":1}]}]}' "'" "'" >"$TESTTMP/csv.json"
ingest "$db" "$TESTTMP/csv.json"
q query --db "$db" failures --format csv
is "csv: formula cells get a leading quote" \
  "$(echo "$out" | tail -1 | tr -d '\r' | grep -o "\"'[=+@][^,]*" | cut -c1-4 | tr '\n' ' ')" "\"'+c \"'@S \"'=H "
q query --db "$db" failures --format csv-exact
case $out in *"'="*|*"'+"*|*"'@"*) fail "csv-exact: the exact values ($out)" ;; *) pass "csv-exact: the exact values" ;; esac

# --- 12. show's pretty JSON escapes C1 controls, bidi overrides and line separators --------------
db=$(newdb)
printf '{"contact-info":"x@show.example","report-id":"s","organization-name":"a\\u009b31mb\\u202ec\\u2028d\\u0085e","policies":[]}' >"$TESTTMP/show.json"
ingest "$db" "$TESTTMP/show.json"
q show --db "$db" s
case $out in *$'\302\233'*|*$'\342\200\256'*|*$'\342\200\250'*|*$'\302\205'*) fail "show: nothing raw in the JSON ($out)" ;;
  *) pass "show: nothing raw in the JSON" ;; esac
case $out in *'a\u009b31mb\u202ec\u2028d\u0085e'*) pass "show: shown escaped" ;; *) fail "show: shown escaped ($out)" ;; esac

# --- 13. one message is one delivery ----------------------------------------------------------
db=$(newdb)
$HOSTILE copies 16 >"$TESTTMP/copies.eml"
ingest "$db" "$TESTTMP/copies.eml"
is "16 copies of a report in one message: one report, one delivery" "$(sql "$db" "SELECT count(*), sum(deliveries) FROM reports")" "1|1"

# --- 14. scope: only our policies are stored, and it is said ---------------------------------------
db=$(newdb)
ingest "$db" "$SAMPLES/mox.eml" --domains example.org --verbose
case $out in *"(1 policies about other domains not stored)"*) pass "scope: --verbose says what was left out" ;;
  *) fail "scope: --verbose says what was left out ($out)" ;; esac
is "scope: the raw JSON stays whole" "$(sql "$db" "SELECT json_array_length(raw_json, '\$.policies') FROM reports")" "2"

# --- 15. a report from the far future is not believed ---------------------------------------------
db=$(newdb)
printf '{"contact-info":"x@future.example","report-id":"f","date-range":{"start-datetime":"9999-12-31T00:00:00Z","end-datetime":"9999-12-31T23:59:59Z"},"policies":[]}' >"$TESTTMP/future.json"
ingest "$db" "$TESTTMP/future.json" --verbose
today=$(date -u +%Y-%m-%d)
is "dated 9999-12-31: filed under the day it came" \
  "$(sql "$db" "SELECT report_day, start_datetime IS NULL, end_datetime IS NULL FROM reports")" "$today|1|1"
"$TLSRPTDB" prune --db "$db" --older-than "$(date -u -d tomorrow +%Y-%m-%d)" --force >/dev/null
is "and pruned like any other" "$(counts "$db")" "0 0 0 0"

# --- 16. what cannot be a database file is refused ------------------------------------------------
for bad in /dev/null /dev/full "$TESTTMP/dangling.db" "file:$TESTTMP/x.db" "postgres://x/y"; do
  [ "$bad" = "$TESTTMP/dangling.db" ] && ln -sf "$TESTTMP/nowhere/x.db" "$bad"
  ingest "$bad" "$SAMPLES/google.eml"
  is "--db $bad: deferred (75) with a reason" "$status:$(echo "$err" | grep -c -e 'not a regular file' -e 'symbolic link to nothing' -e 'looks like a URI' -e 'PostgreSQL')" "75:1"
done
[ ! -e /dev/null-journal ] && [ ! -e /dev/null-wal ] && [ ! -e "$TESTTMP/nowhere" ] && [ ! -e postgres: ] && [ ! -e file: ]
is "nothing was created" "$?" 0
q query --db /dev/null summary
is "query --db /dev/null: a configuration error (78)" "$status" 78

done_testing
