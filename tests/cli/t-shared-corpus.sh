#!/bin/bash
# t-shared-corpus.sh - ingest every file of the shared interop corpus (../shared/corpus)
#
# The corpus holds real and deliberately broken TLS-RPT reports from other projects; it is not
# part of this repository.  Each file goes to `tlsrptdb ingest` on stdin with a fresh database
# and is compared with the expectation table below.  A corpus file missing from the table is a
# failure, so that new corpus files get noticed.  TAP output, plan at the end.
#
# Environment: TLSRPTDB = the binary, SRCDIR = the source tree, TESTTMP = a private temp dir.
set -u

: "${TLSRPTDB:?TLSRPTDB must name the tlsrptdb binary}"
: "${SRCDIR:?SRCDIR must name the source tree}"
: "${TESTTMP:?TESTTMP must name a private temporary directory}"

CORPUS=${SHARED_CORPUS:-$SRCDIR/../shared/corpus}
if [ ! -d "$CORPUS" ]; then
  echo "1..0 # SKIP shared corpus not found"
  exit 0
fi
[ -x "$TLSRPTDB" ] || { echo "1..0 # SKIP $TLSRPTDB not built"; exit 0; }
command -v sqlite3 > /dev/null || { echo "1..0 # SKIP sqlite3 CLI not installed"; exit 0; }
# the backend (TLSRPTDB_TEST_BACKEND), newdb and sql; is is this file's own
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

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

# sq - one value from the database (a check of the table below, in PostgreSQL's words there)
sq ()
{
  if on_sqlite; then
    [ -f "$1" ] || { echo ""; return 0; }
    sqlite3 -batch -noheader "$1" "$2" 2>&1
  else
    sql "$1" "$(printf '%s' "$2" | sed -e 's/ifnull(/coalesce(/g' \
      -e "s/instr(\([a-z_]*\), char(13, 10))/strpos(\1, E'\\\\r\\\\n')/g" \
      -e "s/\([a-z_]*_datetime\) LIKE/to_char(\1 AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') LIKE/g")" 2>&1
  fi
}

# Expectation table, written from reading each file and MANIFEST.md.
#   file | reports | policies | failure-detail rows | sum of total-successful-session-count | check
# or
#   file | rejected
# "check" is optional SQL that must print 1.  All files: exit status 0.
# Decisions: expected.json (Mail::TLSRPT's own re-serialization, mx-host "") is a usable report
# and is stored; date_error.json is stored with NULL start_datetime; no-policies.json is stored
# with zero policies; microsoft-report.json ("Testing", "x.x.x.x") is stored verbatim.
TABLE=$(cat << 'EOF'
dmarc-report-viewer/google.json|1|1|0|1|SELECT reporter_key = 'google.com' AND json_array_length(mx_host) = 1 FROM reports, policies
dmarc-report-viewer/microsoft.json|1|2|0|4|SELECT group_concat(policy_type) = 'sts,tlsa' FROM (SELECT policy_type FROM policies ORDER BY policy_index) AS p
dmarc-report-viewer/no-contact.json|1|1|0|1|SELECT contact_info IS NULL AND end_datetime LIKE '%T00:00:00Z' FROM reports
dmarc-report-viewer/no-policy.json|1|1|0|1|SELECT policy_type = 'no-policy-found' FROM policies
dmarc-report-viewer/no_ip_and_mx.json|1|1|1|0|SELECT report_id = '1234567890+' AND (SELECT sending_mta_ip IS NULL AND receiving_mx_hostname IS NULL FROM failures) FROM reports
issue-threads/cry-inc_dmarc-report-viewer_issue57_microsoft_no-sending-mta-ip.json|1|1|1|0|SELECT (SELECT failed_session_count FROM failures) = 3 AND policy_string IS NULL FROM policies
issue-threads/cry-inc_dmarc-report-viewer_issue71_stalwart_contact-info-null.json|1|1|0|1|SELECT contact_info IS NULL AND reporter_key = 'refluxstop.de' AND report_day = '2026-01-11' FROM reports
issue-threads/parsedmarc_issue575_stalwart_egressif_no-policy-found.json|1|1|0|1|SELECT reporter_key = 'mx.egressif.io' FROM reports
issue-threads/tlsrpt-reporter_issue51_postfix_no-policy-domain.json|1|1|0|1|SELECT policy_domain IS NULL FROM policies
mail-tls-rpt/email.eml|1|1|0|343|SELECT report_id = '2020-03-02T00:00:00Z_fastmaildmarc.com' FROM reports
mail-tls-rpt/expected.json|1|1|0|343|
mail-tls-rpt/report.json|1|1|0|343|
mail-tls-rpt/report.json.gz.b64|1|1|0|343|
mox/example.eml|1|1|0|3|SELECT tls_report_submitter = 'google.com' AND report_day = '2022-09-15' FROM reports
mox/examples_test.ExampleParseMessage.eml|1|1|3|5326|
mox/microsoft.eml|1|1|0|2|SELECT start_datetime = '2023-01-10T00:00:00Z' AND end_datetime = '2023-01-10T23:59:59Z' FROM reports
mox/report_test.tlsrptMessage.eml|1|1|3|5326|
mox/report_test.tlsrptMessage2.eml|1|1|3|5326|
mox/tlsrptdb.reportMixedJSON.json|1|3|0|3|
mox/tlsrptdb.reportMultipleJSON.json|1|2|0|2|
mta-delivered/exim-address_pipe_rcpt001.example.eml|1|2|2|10|SELECT report_id = '2026-11-21T00:00:00Z_idx1_rcpt001.example' FROM reports
mta-delivered/postfix-local-alias_rcpt001.example.eml|1|2|2|10|
mta-delivered/postfix-pipe-DOR_rcpt002.example.eml|1|1|2|17|
parsedmarc/google.com_smtp_tls_report.eml|1|1|0|48|
parsedmarc/mail.ru.json|1|1|2|0|SELECT reporter_key = 'corp.mail.ru' AND end_datetime = '2024-02-23T00:00:00Z' AND report_day = '2024-02-22' FROM reports
parsedmarc/rfc8460.json|1|1|3|5326|SELECT json_array_length(mx_host) = 1 FROM policies
parsedmarc/smtp_tls.json|1|1|2|0|
smtp_tls_reporting/date_error.json|1|1|0|3|SELECT start_datetime IS NULL AND end_datetime = '2016-04-01T23:59:59Z' FROM reports
smtp_tls_reporting/example.gz|1|1|3|5326|
smtp_tls_reporting/example.json|1|1|3|5326|
smtp_tls_reporting/no-policies.json|1|0|0|0|
stalwart-mail-auth/rpt01.eml|1|1|3|5326|
stalwart-mail-auth/rpt01.json|1|1|3|5326|
stalwart-mail-auth/rpt02.eml|1|1|1|23|
stalwart-mail-auth/rpt02.json|1|1|1|23|
stalwart-mail-auth/rpt03.json|1|2|0|2|SELECT count(*) = 2 FROM policies WHERE policy_domain IS NULL AND total_failure_session_count IS NULL
tls-rpt-monitor/microsoft-report.json|1|1|1|2|SELECT result_type = 'Testing' AND sending_mta_ip = 'x.x.x.x' FROM failures
tls-rpt-monitor/microsoft-report.json.gz|1|1|0|2|
tlsrpt-be/report.json|1|1|0|99|SELECT policy_domain = 'xn--gpher-jua.test' FROM policies
tlsrpt-be/test.eml|1|1|3|5326|
tlsrpt-be/testing.json|1|1|3|5326|
tlsrpt-digest/tlsrpt_failure.eml|1|1|1|4523|
tlsrpt-digest/tlsrpt_success_google_1.eml|1|1|0|1|
tlsrpt-digest/tlsrpt_success_google_2.eml|1|1|0|4|
tlsrpt-digest/tlsrpt_success_microsoft.eml|1|1|0|2|
tlsrpt-reporter-generated/https-upload-body_example.org.json.gz|1|1|1|2|
tlsrpt-reporter-generated/mail.example.com!example.net!1795219200!1795305599!1.json|1|2|1|8|
tlsrpt-reporter-generated/mail.example.com!example.net!1795219200!1795305599!1.json.gz|1|2|1|8|
tlsrpt-reporter-generated/tlsrpt-rcpt001.example.eml|1|2|2|10|
tlsrpt-reporter-generated/tlsrpt-rcpt002.example.eml|1|1|2|17|SELECT policy_domain = 'mx.rcpt002.example' FROM policies
tlsrpt-reporter-generated/tlsrpt-rcpt004.example.eml|1|1|2|14|SELECT count(*) = 1 FROM failures WHERE additional_information = 'Zertifikat ungültig – «webpki»'
tlsrpt-reporter-generated/tlsrpt-reporter_example.net.eml|1|2|1|8|SELECT mail_date IS NULL AND instr(receiving_mx_helo, char(13, 10)) > 0 FROM reports, failures
tlsrpt-reporter-generated/tlsrpt-reporter_example.org.eml|1|1|1|2|SELECT policy_domain IS NULL AND tls_report_domain = 'example.org' FROM policies, reports
EOF
)

# lookup - the table line for a corpus-relative path, or nothing
lookup ()
{
  printf '%s\n' "$TABLE" | awk -F'|' -v f="$1" '$1 == f { print; exit }'
}

n=0
while IFS= read -r -d '' path; do
  rel=${path#"$CORPUS"/}
  case $rel in
    *.md | *.txt) continue ;;
  esac
  n=$((n + 1))
  line=$(lookup "$rel")
  if [ -z "$line" ]; then
    tap_ok 1 "$rel: not in the expectation table of t-shared-corpus.sh (add it)"
    continue
  fi
  IFS='|' read -r _ want_r want_p want_f want_s check <<< "$line"
  if on_sqlite; then db=$TESTTMP/shared-$n.sqlite; else db=$(newdb); fi
  "$TLSRPTDB" ingest --db "$db" < "$path" > /dev/null 2> "$TESTTMP/err"
  rc=$?
  if on_sqlite && [ ! -f "$db" ]; then
    tap_ok 1 "$rel: no database written (exit $rc)" "$(head -c 400 "$TESTTMP/err")"
    continue
  fi
  if [ "$want_r" = rejected ]; then
    got="$rc $(sq "$db" "SELECT (SELECT count(*) FROM reports) || ' ' || (SELECT count(*) FROM rejected)")"
    is "$rel: kept in rejected" "$got" "0 0 1"
    continue
  fi
  got="$rc $(sq "$db" "SELECT (SELECT count(*) FROM reports) || ' ' || (SELECT count(*) FROM policies) || ' '
                        || (SELECT count(*) FROM failures) || ' '
                        || (SELECT ifnull(sum(total_successful_session_count), 0) FROM policies) || ' '
                        || (SELECT count(*) FROM rejected)")"
  is "$rel: exit reports policies failures sum-successful rejected" "$got" "0 $want_r $want_p $want_f $want_s 0"
  [ "$got" = "0 $want_r $want_p $want_f $want_s 0" ] || [ ! -s "$TESTTMP/err" ] || echo "# stderr: $(head -c 400 "$TESTTMP/err")"
  if [ -n "$check" ]; then
    is "$rel: $check" "$(sq "$db" "$check")" "1"
  fi
done < <(find "$CORPUS" -type f -print0 | sort -z)

# every table entry must exist in the corpus (catches renames)
while IFS='|' read -r f _; do
  [ -f "$CORPUS/$f" ] || tap_ok 1 "$f: in the table but not in the corpus"
done <<< "$TABLE"

echo "1..$T"
[ "$FAILED" -eq 0 ]
