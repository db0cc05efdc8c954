#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# draft.sh [TLSRPTDB] - the draft PostgreSQL schema (doc/schema-pg-draft.sql) gives SQLite's answers
#
# Stores the samples and a few odd reports (upper-case policy types, a domain with a non-ASCII
# capital, no policy domain, a missing count, no result type) with `tlsrptdb ingest` into
# SQLite, copies the rows of reports, policies and failures into the draft schema on a private
# PostgreSQL server (as the ingest role, with COPY), lets tlsrptdb_summarize() write the summary
# tables, and compares every view row by row with SQLite's, and the summary tables too.  Dates
# are compared as the contract's text; numbers as numbers (PostgreSQL prints 1 where SQLite
# prints 1.0).  Needs python3 (with its sqlite3 module).
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip_all "no python3"
pg_gate
check "the server starts" pg_setup || { done_testing; exit 1; }
check "the owner loads the draft schema" pg_load_schema "$SRCDIR/doc/schema-pg-draft.sql"

# --- the SQLite side ---
db=$TESTTMP/sqlite/reports.db
for f in "$SAMPLES"/*.eml; do "$TLSRPTDB" ingest --db "$db" <"$f"; done
# odd ( ID POLICY-TYPE POLICY-DOMAIN ) : a report whose policy has this type and domain ("null": absent)
odd () {
  local type=\"$2\" domain=\"$3\"
  [ "$2" != null ] || type=null
  [ "$3" != null ] || domain=null
  printf '{"organization-name":"Odd Sender","date-range":{"start-datetime":"2026-11-21T00:00:00Z","end-datetime":"2026-11-21T23:59:59Z"},"contact-info":"tlsrpt@odd.example","report-id":"%s","policies":[{"policy":{"policy-type":%s,"policy-domain":%s},"summary":{"total-successful-session-count":7,"total-failure-session-count":3},"failure-details":[{"result-type":"certificate-expired","receiving-mx-hostname":"MX.Example.COM","failed-session-count":2},{"receiving-mx-hostname":"mx.example.com","failed-session-count":1},{"result-type":"certificate-expired","receiving-mx-hostname":"mx.example.com"}]},{"policy":{"policy-type":"TLSA","policy-domain":%s},"summary":{"total-successful-session-count":6,"total-failure-session-count":4},"failure-details":[{"result-type":"certificate-expired","receiving-mx-hostname":"mx.example.com","failed-session-count":5}]},{"policy":{"policy-type":"no-policy-found"},"summary":{"total-successful-session-count":1}}]}\n' \
    "$1" "$type" "$domain" "$domain"
}
odd odd-1 STS 'ÉCOLE.Example' >"$TESTTMP/odd-1.json"
odd odd-2 Sts 'École.example' >"$TESTTMP/odd-2.json"
odd odd-3 null null >"$TESTTMP/odd-3.json"
odd odd-4 sts '' >"$TESTTMP/odd-4.json"
for f in "$TESTTMP"/odd-*.json; do "$TLSRPTDB" ingest --db "$db" <"$f"; done
is "SQLite holds the samples and the odd reports" "$(sql "$db" "SELECT count(*) FROM reports")" \
  "$(($(find "$SAMPLES" -name '*.eml' | wc -l) + 4))"

# --- the same rows into PostgreSQL, as the ingest role ---
# copy_rows TABLE COLUMNS : TABLE's rows of the SQLite database in COPY's text format
copy_rows () {
  python3 - "$db" "$1" "$2" <<'PY'
import sqlite3, sys
db, table, columns = sys.argv[1], sys.argv[2], sys.argv[3]
def cell(v):
    if v is None:
        return "\\N"
    s = str(v)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
for row in sqlite3.connect(db).execute("SELECT %s FROM %s ORDER BY id" % (columns, table)):
    sys.stdout.write("\t".join(cell(v) for v in row) + "\n")
PY
}
r_cols="id, reporter_key, organization_name, contact_info, report_id, report_id_synthesized,
  start_datetime, end_datetime, report_day, raw_json, message_id, subject, mail_from, mail_date,
  tls_report_domain, tls_report_submitter, received_at, last_received_at, deliveries, dkim_result,
  dkim_domain, dkim_aligned, content_sha256"
p_cols="id, report_ref, policy_index, policy_type, policy_domain, policy_string, mx_host,
  total_successful_session_count, total_failure_session_count"
f_cols="id, policy_ref, result_type, sending_mta_ip, receiving_mx_hostname, receiving_mx_helo,
  receiving_ip, failed_session_count, additional_information, failure_reason_code"
for t in reports policies failures; do
  case $t in reports) cols=$r_cols ;; policies) cols=$p_cols ;; failures) cols=$f_cols ;; esac
  copy_rows $t "$cols" >"$TESTTMP/$t.copy"
  check "COPY $t as the ingest role" pg_psql tlsrpt_ingest -c "COPY $t ($cols) FROM STDIN" <"$TESTTMP/$t.copy"
done
check "tlsrptdb_summarize() of all the reports, as the ingest role" \
  pg_psql tlsrpt_ingest -c "SELECT tlsrptdb_summarize(array_agg(id)) FROM reports" -o /dev/null

# --- compare ---
# same NAME SQLITE_SELECT PG_SELECT : both give the same rows (in SQL's order of all columns)
same () {
  sql "$db" "$2" >"$TESTTMP/s.out" 2>&1
  pg_psql tlsrpt_read -F '|' -c "$3" >"$TESTTMP/p.out" 2>&1
  python3 - "$TESTTMP/s.out" "$TESTTMP/p.out" >"$TESTTMP/diff" <<'PY'
import sys
def norm(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        cells = []
        for c in line.rstrip("\n").split("|"):
            try:
                cells.append(repr(float(c)))
            except ValueError:
                cells.append(c)
        rows.append(cells)
    return sorted(rows)
a, b = norm(sys.argv[1]), norm(sys.argv[2])
if a != b:
    print("sqlite: %d rows, postgresql: %d rows" % (len(a), len(b)))
    for x in a:
        if x not in b: print("only sqlite:     " + "|".join(x))
    for x in b:
        if x not in a: print("only postgresql: " + "|".join(x))
    sys.exit(1)
print("%d rows" % len(a))
PY
  local status=$?
  if [ $status = 0 ]; then pass "$1: the same rows ($(cat "$TESTTMP/diff"))"; else fail "$1"; sed 's/^/#   /' "$TESTTMP/diff" | head -20; fi
}
utc () { echo "to_char($1 AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"; }
fd_cols="failure_row, report_row, report_day, reporter_key, organization_name, report_id,
  %s, %s, policy_row, policy_type, policy_domain, domain, result_type, sending_mta_ip,
  receiving_mx_hostname, receiving_mx_helo, receiving_ip, failed_session_count,
  failure_reason_code, additional_information"
# shellcheck disable=SC2059 # the format is ours
same "failure_details" "SELECT $(printf "$fd_cols" start_datetime end_datetime) FROM failure_details" \
  "SELECT $(printf "$fd_cols" "$(utc start_datetime)" "$(utc end_datetime)") FROM failure_details"
same "report_sessions" "SELECT * FROM report_sessions" "SELECT * FROM report_sessions"
same "daily_summary" "SELECT * FROM daily_summary" "SELECT * FROM daily_summary"
same "report_failures" "SELECT * FROM report_failures" "SELECT * FROM report_failures"
same "daily_failures" "SELECT * FROM daily_failures" "SELECT * FROM daily_failures"
same "summary_sessions" "SELECT * FROM summary_sessions" "SELECT * FROM summary_sessions"
same "summary_policy_failures" "SELECT * FROM summary_policy_failures" "SELECT * FROM summary_policy_failures"
same "the domain keys (lower() of ASCII only, as SQLite's)" \
  "SELECT DISTINCT domain FROM report_sessions" "SELECT DISTINCT domain FROM report_sessions"
is "PostgreSQL's own lower() would have folded É (the database's locale is C.UTF-8)" \
  "$(pg_psql tlsrpt_read -c "SELECT lower('ÉCOLE' COLLATE \"default\"), lower('ÉCOLE' COLLATE \"C\")")" "école|École"
same "the order of the domain keys (byte order)" \
  "SELECT group_concat(domain, ',') FROM (SELECT DISTINCT domain FROM report_sessions ORDER BY domain)" \
  "SELECT string_agg(domain, ',' ORDER BY domain) FROM (SELECT DISTINCT domain FROM report_sessions) d"
same "the instants, as the contract's text" \
  "SELECT id, start_datetime, end_datetime, mail_date, received_at FROM reports" \
  "SELECT id, $(utc start_datetime), $(utc end_datetime), $(utc mail_date), $(utc received_at) FROM reports"
same "raw_json byte for byte" "SELECT id, hex(raw_json) FROM reports" \
  "SELECT id, upper(encode(convert_to(raw_json, 'UTF8'), 'hex')) FROM reports"
same "mx_host and policy_string as text" "SELECT id, mx_host, policy_string FROM policies" \
  "SELECT id, mx_host, policy_string FROM policies"
same "json_each() and json_array_elements_text() of mx_host" \
  "SELECT p.id, mx.value FROM policies p, json_each(p.mx_host) AS mx" \
  "SELECT p.id, mx FROM policies p, json_array_elements_text(p.mx_host) AS mx"
is "tlsrptdb_json() reads a report" \
  "$(pg_psql tlsrpt_read -c "SELECT tlsrptdb_json(raw_json) #>> '{date-range,end-datetime}' FROM reports WHERE report_id = 'odd-1'")" \
  "2026-11-21T23:59:59Z"
is "tlsrptdb_json() is NULL where jsonb cannot hold the JSON" \
  "$(pg_psql tlsrpt_read -c "SELECT tlsrptdb_json('{\"a\":\"\\u0000\"}') IS NULL, tlsrptdb_json('{') IS NULL")" "t|t"
done_testing
