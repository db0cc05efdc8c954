#!/bin/bash
# t-corpus.sh - feed tests/corpus/* and samples/*.eml to `tlsrptdb ingest`; check exit and rows
#
# Environment (set by tests/cli/meson.build): TLSRPTDB = the binary, SRCDIR = the source tree,
# TESTTMP = a fresh private temporary directory.  Output is TAP; the plan comes last.
# Large hostile inputs (gzip bomb, 200,000-deep JSON, 30 MB message, 10,000 failure-details)
# are generated here in $TESTTMP, not committed.
# shellcheck disable=SC2046,SC2086  # word splitting of counts and of $(... echo 0/1) is intended
set -u

: "${TLSRPTDB:?TLSRPTDB must name the tlsrptdb binary}"
: "${SRCDIR:?SRCDIR must name the source tree}"
: "${TESTTMP:?TESTTMP must name a private temporary directory}"

CORPUS=$SRCDIR/tests/corpus
SAMPLES=$SRCDIR/samples
T=0
FAILED=0

# tap_ok - print one TAP result: tap_ok STATUS(0=pass) DESCRIPTION [DIAGNOSTIC]
tap_ok ()
{
  T=$((T + 1))
  if [ "$1" -eq 0 ]; then
    echo "ok $T - $2"
  else
    echo "not ok $T - $2"
    FAILED=$((FAILED + 1))
    [ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/# /'
  fi
  return 0
}

# is - pass if GOT equals WANT: is DESC GOT WANT
is ()
{
  if [ "$2" = "$3" ]; then tap_ok 0 "$1"; else tap_ok 1 "$1" "got:  '$2'
want: '$3'"; fi
}

# sq - one value from an SQLite database (empty if the file does not exist)
sq ()
{
  [ -f "$1" ] || { echo ""; return 0; }
  sqlite3 -batch -noheader "$1" "$2" 2>&1
}

# counts - "reports policies failures rejected" of a database ("0 0 0 0" if absent)
counts ()
{
  if [ ! -f "$1" ]; then echo "0 0 0 0"; return 0; fi
  sq "$1" "SELECT (SELECT count(*) FROM reports) || ' ' || (SELECT count(*) FROM policies)
            || ' ' || (SELECT count(*) FROM failures) || ' ' || (SELECT count(*) FROM rejected);"
}

DBN=0
# newdb - set $db to the path of a database file that does not exist yet (no subshell!)
newdb ()
{
  DBN=$((DBN + 1))
  db=$TESTTMP/db-$DBN.sqlite
}

# ingest - run `tlsrptdb ingest --db DB [OPTIONS] < FILE`; sets RC; stderr goes to $TESTTMP/err
ingest ()
{
  local db=$1 file=$2
  shift 2
  "$TLSRPTDB" ingest --db "$db" "$@" < "$file" > "$TESTTMP/out" 2> "$TESTTMP/err"
  RC=$?
}

# crashed - true if RC looks like a signal, a sanitizer abort, or a temporary failure
crashed ()
{
  [ "$RC" -ge 128 ] || [ "$RC" -eq 75 ] || [ "$RC" -eq 1 ]
}

[ -x "$TLSRPTDB" ] || { echo "1..0 # SKIP $TLSRPTDB not built"; exit 0; }
command -v sqlite3 > /dev/null || { echo "1..0 # SKIP sqlite3 CLI not installed"; exit 0; }
[ -f "$CORPUS/LIST" ] || { echo "Bail out! $CORPUS/LIST missing"; exit 1; }
NOISY=""
LOUD=""

# --- 1. the committed corpus ---------------------------------------------------------------
while read -r file want_rc want_r want_p want_f want_j; do
  case $file in '' | '#'*) continue ;; esac
  path=$CORPUS/$file
  if [ ! -f "$path" ]; then
    tap_ok 1 "$file: listed in LIST but missing"
    continue
  fi
  newdb
  ingest "$db" "$path"
  err=$(head -c 400 "$TESTTMP/err")
  if grep -q -E 'CRITICAL|WARNING \*\*|runtime error|AddressSanitizer|LeakSanitizer' "$TESTTMP/err"; then
    NOISY="$NOISY $file"
  fi
  case $file in
    y_*) if [ "$want_j" = 0 ] && { [ -s "$TESTTMP/out" ] || [ -s "$TESTTMP/err" ]; }; then LOUD="$LOUD $file"; fi ;;
  esac
  got=$(counts "$db")
  case $file in
    i_*)
      set -- $got
      if crashed || [ "$RC" -ne "$want_rc" ] || [ $(($1 + $4)) -lt 1 ]; then
        tap_ok 1 "$file: handled cleanly (exit $RC, rows $got)" "$err"
      else
        tap_ok 0 "$file: handled cleanly (exit $RC; reports/policies/failures/rejected $got)"
      fi
      ;;
    *)
      is "$file: exit and rows (exit reports policies failures rejected)" \
        "$RC $got" "$want_rc $want_r $want_p $want_f $want_j"
      [ "$RC $got" = "$want_rc $want_r $want_p $want_f $want_j" ] || [ -z "$err" ] || echo "# stderr: $err"
      ;;
  esac
  case $file in
    n_*)
      newdb
      ingest "$db" "$path" --reject
      is "$file: --reject gives 65 and still keeps it" "$RC $(counts "$db")" "65 0 0 0 1"
      ;;
  esac
done < "$CORPUS/LIST"

is "no GLib critical/warning or sanitizer report on stderr for any corpus file" "${NOISY# }" ""

is "silent on success: no output for stored y_ files" "${LOUD# }" ""

# every corpus file must be listed
for path in "$CORPUS"/[yni]_*; do
  f=${path##*/}
  grep -q "^$f " "$CORPUS/LIST" || tap_ok 1 "$f: not in LIST (run make-corpus.py)"
done

# --- 2. field checks on selected corpus files ---------------------------------------------
# one_db - ingest FILE into a fresh database and print its path
one_db ()
{
  local one=$TESTTMP/one-$1.sqlite
  "$TLSRPTDB" ingest --db "$one" < "$CORPUS/$1" > /dev/null 2>&1
  echo "$one"
}

db=$(one_db y_plain.eml)
is "y_plain: reporter_key from contact-info" "$(sq "$db" 'SELECT reporter_key FROM reports')" "reporter.example"
is "y_plain: mail facts" "$(sq "$db" "SELECT message_id || '|' || tls_report_domain || '|' || tls_report_submitter || '|' || mail_date FROM reports")" \
  "corpus.1@reporter.example|example.com|reporter.example|2026-11-21T06:00:00Z"
is "y_plain: dates and day" "$(sq "$db" "SELECT start_datetime || ' ' || end_datetime || ' ' || report_day FROM reports")" \
  "2026-11-20T00:00:00Z 2026-11-20T23:59:59Z 2026-11-20"
is "y_plain: failure row" "$(sq "$db" "SELECT result_type || ' ' || sending_mta_ip || ' ' || receiving_ip || ' ' || receiving_mx_hostname || ' ' || failed_session_count FROM failures")" \
  "certificate-expired 192.0.2.1 203.0.113.1 mx.example.com 1"
is "y_plain: raw_json kept" "$(sq "$db" "SELECT json_extract(raw_json, '\$.\"report-id\"') FROM reports")" "2026-11-20T00:00:00Z_example.com"

db=$(one_db y_datetime_offset.json)
is "y_datetime_offset: +02:00 converted to UTC, day from start" \
  "$(sq "$db" "SELECT start_datetime || ' ' || end_datetime || ' ' || report_day FROM reports")" \
  "2026-11-19T22:00:00Z 2026-11-20T21:59:59Z 2026-11-19"
db=$(one_db y_datetime_lowercase_fraction.json)
is "y_datetime_lowercase_fraction: start parsed" "$(sq "$db" 'SELECT start_datetime FROM reports')" "2026-11-20T00:00:00Z"
db=$(one_db y_datetime_garbage.json)
is "y_datetime_garbage: NULL dates" "$(sq "$db" 'SELECT count(*) FROM reports WHERE start_datetime IS NULL AND end_datetime IS NULL AND report_day IS NOT NULL')" "1"
db=$(one_db y_no_report_id.json)
is "y_no_report_id: sha256 report-id synthesized" \
  "$(sq "$db" "SELECT report_id_synthesized || ' ' || substr(report_id, 1, 7) || ' ' || length(report_id) FROM reports")" "1 sha256: 71"
db=$(one_db y_empty_report_id.json)
is "y_empty_report_id: synthesized" "$(sq "$db" 'SELECT report_id_synthesized FROM reports')" "1"
db=$(one_db y_null_everywhere.json)
is "y_null_everywhere: reporter unknown, NULL fields" \
  "$(sq "$db" "SELECT reporter_key || ' ' || report_id_synthesized || ' ' || (organization_name IS NULL) || (contact_info IS NULL) || (start_datetime IS NULL) FROM reports")" \
  "unknown 1 111"
is "y_null_everywhere: policy and failure columns NULL" \
  "$(sq "$db" "SELECT count(*) FROM policies WHERE policy_type IS NULL AND policy_domain IS NULL AND total_successful_session_count IS NULL")|$(sq "$db" "SELECT count(*) FROM failures WHERE result_type IS NULL AND failed_session_count IS NULL AND sending_mta_ip IS NULL")" "2|1"
db=$(one_db y_counts_numeric_strings.json)
is "y_counts_numeric_strings: counts read" \
  "$(sq "$db" "SELECT total_successful_session_count || ' ' || total_failure_session_count || ' ' || (SELECT failed_session_count FROM failures) FROM policies")" "10 1 1"
db=$(one_db y_counts_floats.json)
is "y_counts_floats: counts read" "$(sq "$db" "SELECT total_successful_session_count || ' ' || total_failure_session_count FROM policies")" "10 1"
db=$(one_db y_mx_host_string.json)
is "y_mx_host_string: one-element array" "$(sq "$db" "SELECT json_array_length(mx_host) || ' ' || json_extract(mx_host, '\$[0]') FROM policies")" "1 *.mail.example.com"
db=$(one_db y_unknown_result_type.json)
is "y_unknown_result_type: kept verbatim" "$(sq "$db" "SELECT policy_type || ' ' || (SELECT result_type FROM failures) FROM policies")" \
  "future-policy-type quantum-entanglement-failure"
db=$(one_db y_long_string_40k.json)
is "y_long_string_40k: text cut at 16 KiB" "$(sq "$db" "SELECT length(failure_reason_code) BETWEEN 1 AND 16384 FROM failures")" "1"
db=$(one_db y_idn_and_no_policy_domain.json)
is "y_idn_and_no_policy_domain: NULL policy_domain kept" "$(sq "$db" "SELECT count(*) FROM policies WHERE policy_domain IS NULL AND policy_type = 'no-policy-found'")" "1"
db=$(one_db y_unicode_escapes.json)
is "y_unicode_escapes: UTF-8 stored" "$(sq "$db" 'SELECT organization_name FROM reports')" "Beispiel GmbH äöü – 🔒"
db=$(one_db y_policies_empty.json)
is "y_policies_empty: policies [] stored" "$(sq "$db" 'SELECT count(*) FROM reports')|$(sq "$db" 'SELECT count(*) FROM policies')" "1|0"
db=$(one_db n_plain_text_mail.eml)
is "n_plain_text_mail: rejected row keeps bytes and facts" \
  "$(sq "$db" "SELECT message_size = length(raw_message), truncated, message_id, subject FROM rejected" | tr '|' ' ')" \
  "1 0 hello.1@example.com hello"
db=$(one_db y_one_good_one_bad.eml)
is "y_one_good_one_bad: rejected row has a reason" "$(sq "$db" "SELECT length(reason) > 0 FROM rejected")" "1"

# --- 3. samples: counts, fields, and a second delivery ------------------------------------
# sample_check - ingest samples/NAME twice; check rows and deliveries
sample_check ()
{
  local name=$1 want=$2 sum_ok=$3
  newdb
  ingest "$db" "$SAMPLES/$name"
  is "samples/$name: exit and rows" "$RC $(counts "$db")" "0 $want 0"
  is "samples/$name: sum of total-successful-session-count" \
    "$(sq "$db" 'SELECT total(total_successful_session_count) FROM policies' | sed 's/\.0$//')" "$sum_ok"
  ingest "$db" "$SAMPLES/$name"
  is "samples/$name: second delivery is a duplicate" "$RC $(counts "$db") $(sq "$db" 'SELECT deliveries FROM reports')" "0 $want 0 2"
  SDB=$db
}

sample_check google.eml "1 1 3" 1284
is "google: fields" "$(sq "$SDB" "SELECT reporter_key || ' ' || report_id || ' ' || report_day FROM reports")" \
  "google.example 2026-11-20T00:00:00Z_example.com 2026-11-20"
is "google: mx-host array and failures" \
  "$(sq "$SDB" "SELECT json_array_length(mx_host) || ' ' || json_array_length(policy_string) || ' ' || (SELECT sum(failed_session_count) FROM failures) FROM policies")" "2 5 9"
is "google: IPv6 failure" "$(sq "$SDB" "SELECT count(*) FROM failures WHERE sending_mta_ip = '2001:db8:4860:4864::1b'")" "1"

sample_check microsoft-2023.eml "1 1 1" 41
is "microsoft-2023: naive date-times read as UTC" \
  "$(sq "$SDB" "SELECT start_datetime || ' ' || end_datetime || ' ' || reporter_key || ' ' || message_id FROM reports")" \
  "2026-11-19T00:00:00Z 2026-11-19T23:59:59Z microsoft.example 134081856000123456+example.com@example.com"
is "microsoft-2023: failure without IPs" \
  "$(sq "$SDB" "SELECT result_type || ' ' || (sending_mta_ip IS NULL) || (receiving_mx_hostname IS NULL) || ' ' || failed_session_count FROM failures")" \
  "sts-policy-fetch-error 11 2"

sample_check microsoft-2024.eml "1 2 0" 34
is "microsoft-2024: sts and tlsa for one domain" \
  "$(sq "$SDB" "SELECT group_concat(policy_type || ':' || policy_domain, ' ') FROM (SELECT * FROM policies ORDER BY policy_index)")" \
  "sts:example.org tlsa:example.org"
is "microsoft-2024: tlsa policy_string is a JSON array" \
  "$(sq "$SDB" "SELECT json_valid(policy_string) AND json_type(policy_string) = 'array' FROM policies WHERE policy_type = 'tlsa'")" "1"

sample_check mailru.eml "1 1 2" 0
is "mailru: reporter_key from contact-info, end next midnight, day from start" \
  "$(sq "$SDB" "SELECT reporter_key || ' ' || tls_report_submitter || ' ' || end_datetime || ' ' || report_day || ' ' || subject FROM reports")" \
  "corp.mail.example mail.example 2026-11-19T00:00:00Z 2026-11-18 Report"
is "mailru: long failure-reason-code with quotes kept" \
  "$(sq "$SDB" "SELECT count(*) FROM failures WHERE failure_reason_code LIKE 'unable to do http request: Get \"https://mta-sts.example.net/%' AND sending_mta_ip IS NULL")" "1"

sample_check postfix-tlsrpt-reporter.eml "1 3 2" 22
is "postfix: no Date header" "$(sq "$SDB" "SELECT (mail_date IS NULL) || ' ' || report_day || ' ' || report_id FROM reports")" \
  "1 2026-11-22 2026-11-22T00:00:00Z_idx1_example.org"
is "postfix: policies in order, no-policy-found without domain" \
  "$(sq "$SDB" "SELECT group_concat(policy_type || ':' || ifnull(policy_domain, 'NULL'), ' ') FROM (SELECT * FROM policies ORDER BY policy_index)")" \
  "tlsa:mx1.example.org sts:example.org no-policy-found:NULL"
is "postfix: receiving-mx-helo keeps CR LF" \
  "$(sq "$SDB" "SELECT instr(receiving_mx_helo, char(13, 10)) > 0 FROM failures WHERE receiving_mx_helo IS NOT NULL")" "1"

sample_check stalwart.eml "1 1 0" 6
is "stalwart: contact-info null, reporter from organization-name" \
  "$(sq "$SDB" "SELECT (contact_info IS NULL) || ' ' || reporter_key || ' ' || report_id || ' ' || end_datetime || ' ' || report_day FROM reports")" \
  "1 mx.example.net 1795392000_14022719533861154077 2026-11-24T00:00:00Z 2026-11-23"

sample_check mox.eml "1 2 1" 6
is "mox: two tlsa policies with mx-host" \
  "$(sq "$SDB" "SELECT group_concat(policy_domain || ':' || json_extract(mx_host, '\$[0]'), ' ') FROM (SELECT * FROM policies ORDER BY policy_index)")" \
  "example.org:mx1.example.org sub.example.org:mx1.example.org"
is "mox: reporter and id" "$(sq "$SDB" "SELECT reporter_key || ' ' || report_id FROM reports")" \
  "mail.example.net 20261124.example.org@mail.example.net"

# all samples into one database: 7 reports, then all again: still 7, deliveries 2 each
newdb
for s in "$SAMPLES"/*.eml; do "$TLSRPTDB" ingest --db "$db" < "$s" > /dev/null 2>&1; done
for s in "$SAMPLES"/*.eml; do "$TLSRPTDB" ingest --db "$db" < "$s" > /dev/null 2>&1; done
is "all samples twice into one database" \
  "$(sq "$db" 'SELECT count(*), sum(deliveries), (SELECT count(*) FROM policies), (SELECT count(*) FROM failures), (SELECT count(*) FROM rejected) FROM reports')" \
  "7|14|11|9|0"

# --- 4. options ----------------------------------------------------------------------------
newdb
ingest "$db" "$SAMPLES/google.eml" --max-message-size 1K
is "--max-message-size 1K: kept truncated" \
  "$RC $(counts "$db") $(sq "$db" "SELECT truncated || ' ' || length(raw_message) || ' ' || (message_size = $(wc -c < "$SAMPLES/google.eml"))  FROM rejected")" \
  "0 0 0 0 1 1 1024 1"
newdb
ingest "$db" "$CORPUS/y_unknown_keys_nesting20.json" --max-json-depth 8
is "--max-json-depth 8: nesting 23 rejected" "$RC $(counts "$db")" "0 0 0 0 1"
newdb
ingest "$db" "$SAMPLES/google.eml" --max-json-depth nonsense
is "bad option value: exit 75" "$RC" "75"
newdb
ingest "$db" "$CORPUS/y_two_reports.eml" --max-reports 1
set -- $(counts "$db")
tap_ok $([ "$RC" -eq 0 ] && [ "$1" -le 1 ] && echo 0 || echo 1) "--max-reports 1: at most one report stored (exit $RC, rows $*)"
ingest "$db" "$SAMPLES/mox.eml" --verbose
is "--verbose: one 'stored' line" "$(cat "$TESTTMP/out")" \
  "stored mail.example.net 20261124.example.org@mail.example.net: 2 policies, 1 failure details"

# --- 5. hostile inputs generated now -------------------------------------------------------
H=$TESTTMP/hostile
mkdir -p "$H"

# measure - run ingest under /usr/bin/time if present; sets RC and RSS (KiB, or 0)
measure ()
{
  local db=$1 file=$2
  RSS=0
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$TESTTMP/rss" "$TLSRPTDB" ingest --db "$db" < "$file" > /dev/null 2> "$TESTTMP/err"
    RC=$?
    RSS=$(tail -n 1 "$TESTTMP/rss" | tr -cd 0-9)
    [ -n "$RSS" ] || RSS=0
  else
    ingest "$db" "$file"
  fi
}

# mail_with - wrap a base64 file as the attachment of a report mail
mail_with ()
{
  printf 'From: bomb@reporter.example\nTo: tlsrpt@example.com\nSubject: Report\nMIME-Version: 1.0\n'
  printf 'Content-Type: multipart/report; report-type="tlsrpt"; boundary="BB"\n\n--BB\n'
  printf 'Content-Type: text/plain\n\nreport\n--BB\nContent-Type: application/tlsrpt+gzip\n'
  printf 'Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="bomb.json.gz"\n\n'
  base64 -w 76 "$1"
  printf -- '--BB--\n'
}

# gzip bomb: 1 GiB of zeros (after a '{' so that it looks like JSON) -> ~1 MB gzip
{ printf '{"policies":[],"x":"'; head -c 1073741824 /dev/zero; } | gzip -c -1 > "$H/bomb.gz"
mail_with "$H/bomb.gz" > "$H/bomb.eml"
newdb
measure "$db" "$H/bomb.eml"
is "gzip bomb in a mail (1 GiB inflated): kept in rejected" "$RC $(counts "$db")" "0 0 0 0 1"
tap_ok $([ "$RSS" -lt 524288 ] && echo 0 || echo 1) "gzip bomb: bounded memory (max RSS ${RSS} KiB)"
newdb
measure "$db" "$H/bomb.gz"
is "gzip bomb bare: kept in rejected" "$RC $(counts "$db")" "0 0 0 0 1"

# 200,000-deep JSON, bare and gzipped in a mail
{ printf '{"policies":['; head -c 200000 /dev/zero | tr '\0' '['; head -c 200000 /dev/zero | tr '\0' ']'; printf ']}'; } > "$H/deep.json"
newdb
ingest "$db" "$H/deep.json"
is "200,000-deep JSON bare: kept in rejected" "$RC $(counts "$db")" "0 0 0 0 1"
gzip -c -n < "$H/deep.json" > "$H/deep.gz"
mail_with "$H/deep.gz" > "$H/deep.eml"
newdb
ingest "$db" "$H/deep.eml"
is "200,000-deep JSON in a mail: kept in rejected" "$RC $(counts "$db")" "0 0 0 0 1"
# 200,000-deep MIME nesting is bounded by the MIME depth limit
{
  printf 'From: a@reporter.example\nSubject: deep mime\nMIME-Version: 1.0\n'
  k=0
  while [ $k -lt 2000 ]; do printf 'Content-Type: multipart/mixed; boundary="m%d"\n\n--m%d\n' $k $k; k=$((k + 1)); done
  printf 'Content-Type: text/plain\n\nbottom\n'
} > "$H/deepmime.eml"
newdb
ingest "$db" "$H/deepmime.eml"
is "2,000-deep MIME nesting: kept in rejected" "$RC $(counts "$db")" "0 0 0 0 1"

# a 30 MB message: over the 25 MiB default, kept truncated
{
  printf 'From: big@reporter.example\nTo: tlsrpt@example.com\nSubject: big\nMessage-ID: <big.1@reporter.example>\nMIME-Version: 1.0\n'
  printf 'Content-Type: multipart/report; report-type="tlsrpt"; boundary="BB"\n\n--BB\nContent-Type: text/plain\n\n'
  head -c 22500000 /dev/zero | base64 -w 76
  printf -- '--BB--\n'
} > "$H/big.eml"
size=$(wc -c < "$H/big.eml")
newdb
measure "$db" "$H/big.eml"
is "30 MB message: kept truncated in rejected" \
  "$RC $(counts "$db") $(sq "$db" "SELECT truncated || ' ' || length(raw_message) || ' ' || message_size || ' ' || (reason LIKE 'message too large%') || ' ' || ifnull(message_id, 'big.1@reporter.example') FROM rejected")" \
  "0 0 0 0 1 1 26214400 $size 1 big.1@reporter.example"
tap_ok $([ "$RSS" -lt 524288 ] && echo 0 || echo 1) "30 MB message: bounded memory (max RSS ${RSS} KiB)"

# a report with 10,000 failure-details
{
  printf '{"organization-name":"Many","date-range":{"start-datetime":"2026-11-20T00:00:00Z","end-datetime":"2026-11-20T23:59:59Z"},'
  printf '"contact-info":"tlsrpt@many.example","report-id":"many-10000","policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com"},'
  printf '"summary":{"total-successful-session-count":1,"total-failure-session-count":10000},"failure-details":['
  awk 'BEGIN { for (i = 0; i < 10000; i++) printf "%s{\"result-type\":\"validation-failure\",\"sending-mta-ip\":\"198.51.100.%d\",\"receiving-mx-hostname\":\"mx%d.example.com\",\"failed-session-count\":1}", (i ? "," : ""), i % 256, i }'
  printf ']}]}'
} > "$H/many.json"
gzip -c -n < "$H/many.json" > "$H/many.gz"
mail_with "$H/many.gz" > "$H/many.eml"
newdb
ingest "$db" "$H/many.eml"
is "10,000 failure-details: all stored" \
  "$RC $(counts "$db") $(sq "$db" 'SELECT sum(failed_session_count) FROM failures')" "0 1 1 10000 0 10000"

echo "1..$T"
[ "$FAILED" -eq 0 ]
