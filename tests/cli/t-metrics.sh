# t-metrics.sh - tlsrptdb metrics: the Prometheus exposition of a database built for it (reports
# dated from today): values by the counting rule, the families check's rules turn on, hostile
# label values, --output written atomically, bad inputs
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/query-lib.sh"
. "$(dirname "$0")/check-lib.sh"
R=$TESTTMP/reports

db=$(newdb)
daily "$R" g.example a.example 20 1 500 1 validation-failure enforce
daily "$R" m.example a.example 20 1 500 0 validation-failure enforce
rep "$R" g.example a.example 1 90 10 certificate-expired enforce
rep "$R" microsoft.example ms.example 1 900 100 certificate-expired enforce tlsa
daily "$R" g.example old.example 20 5 100 0
load "$db" "$R"
ingest "$db" "$SRCDIR/tests/corpus/n_plain_text_mail.eml"

q metrics --db "$db"
is "exit 0" "$status" 0
printf '%s\n' "$out" >"$TESTTMP/out.prom"
# value SERIES : the value of the sample SERIES (name and labels, as written)
value () { S=$1 awk '{ v = $NF; if (substr($0, 1, length($0) - length(v) - 1) == ENVIRON["S"]) print v }' "$TESTTMP/out.prom"; }
is "sessions ever, by the counting rule" "$(value 'tlsrpt_sessions_total{domain="a.example"}')" 20120
is "failed sessions ever" "$(value 'tlsrpt_failed_sessions_total{domain="a.example"}')" 30
is "sessions of the last day" "$(value 'tlsrpt_day_sessions{domain="a.example"}')" 1101
is "failed sessions of the last day" "$(value 'tlsrpt_day_failed_sessions{domain="a.example"}')" 11
is "sts and tlsa for the same sessions once" "$(value 'tlsrpt_day_sessions{domain="ms.example"}')" 1000
is "reports of the last day" "$(value 'tlsrpt_day_reports{domain="a.example"}')" 3
is "failed sessions by result type" \
  "$(value 'tlsrpt_day_result_type_sessions{domain="a.example",result_type="certificate-expired"}')" 10
is "a new result type (check's rule)" \
  "$(value 'tlsrpt_result_type_new{domain="a.example",result_type="certificate-expired",blocks_delivery="true"}')" 1
is "an old one" \
  "$(value 'tlsrpt_result_type_new{domain="a.example",result_type="validation-failure",blocks_delivery="true"}')" 0
is "no history: not new" \
  "$(value 'tlsrpt_result_type_new{domain="ms.example",result_type="certificate-expired",blocks_delivery="true"}')" 0
is "enforced policy" "$(value 'tlsrpt_policy_enforced{domain="a.example"}')" 1
is "policy info: sts enforce" "$(value 'tlsrpt_policy_info{domain="ms.example",policy_type="sts",mode="enforce"}')" 1
is "policy info: tlsa" "$(value 'tlsrpt_policy_info{domain="ms.example",policy_type="tlsa",mode="dane"}')" 1
is "old.example: testing, not enforced" "$(value 'tlsrpt_policy_enforced{domain="old.example"}')" 0
is "the end of a reporter's latest report" \
  "$(value 'tlsrpt_last_report_timestamp_seconds{domain="old.example",reporter="g.example"}')" \
  "$(date -u -d "$(day 5)T23:59:59Z" +%s)"
is "a regular reporter" "$(value 'tlsrpt_reporter_regular{domain="old.example",reporter="g.example"}')" 1
is "the end of a domain's latest report" \
  "$(value 'tlsrpt_domain_last_report_timestamp_seconds{domain="a.example"}')" \
  "$(date -u -d "$(day 1)T23:59:59Z" +%s)"
is "messages rejected" "$(value 'tlsrpt_rejected_messages')" 1
is "messages rejected since yesterday" "$(value 'tlsrpt_day_rejected_messages')" 1
is "reports stored" "$(value 'tlsrpt_reports_total')" 58
is "schema version" "$(value 'tlsrpt_database_schema_version')" "$(schema_version "$db")"
check "database size" test "$(value 'tlsrpt_database_size_bytes')" -gt 4096
check "last ingest" test "$(value 'tlsrpt_last_ingest_timestamp_seconds')" -gt "$(date -d '1 hour ago' +%s)"
is "nothing left out" "$(value 'tlsrpt_metrics_left_out{what="domains"}')" 0
is "one HELP and one TYPE per family" "$(grep -c '^# HELP' "$TESTTMP/out.prom") $(grep -c '^# TYPE' "$TESTTMP/out.prom")" "21 21"
is "counters end in _total, and only they" \
  "$(grep '^# TYPE' "$TESTTMP/out.prom" | awk '($4 == "counter") != ($3 ~ /_total$/)' | wc -l)" 0
is "no IP address or MX in a label" "$(grep -c -E 'mx1\.|192\.0\.2' "$TESTTMP/out.prom")" 0
if command -v promtool >/dev/null 2>&1; then
  out=$(promtool check metrics <"$TESTTMP/out.prom" 2>&1)
  is "promtool check metrics" "$?:$out" "0:"
fi

q metrics --db "$db" --domain ms.example
is "--domain: only that domain" "$(grep -o 'domain="[^"]*"' <<<"$out" | sort -u | tr '\n' ' ')" 'domain="ms.example" '
q metrics --db "$db" -a
is "--authenticated: no report is" "$(grep -c '^tlsrpt_day_sessions{' <<<"$out")" 0
is "--authenticated: the database's own metrics stay" "$(grep -c '^tlsrpt_reports_total 58$' <<<"$out")" 1

# --- hostile label values --------------------------------------------------------------------------
hostile=$(newdb)
printf '{"organization-name":"x","date-range":{"start-datetime":"%sT00:00:00Z","end-datetime":"%sT23:59:59Z"},"contact-info":"tlsrpt@evil.example","report-id":"evil","policies":[{"policy":{"policy-type":"sts","policy-domain":"q\\"uo\\\\te\\n} 1\\n# TYPE x gauge"},"summary":{"total-successful-session-count":5,"total-failure-session-count":0}}]}\n' "$(day 1)" "$(day 1)" >"$TESTTMP/evil.json"
ingest "$hostile" "$TESTTMP/evil.json"
q metrics --db "$hostile"
is "hostile: exit 0" "$status" 0
is "hostile: quote, backslash and line feed escaped" \
  "$(grep -c -F 'tlsrpt_day_sessions{domain="q\"uo\\te\n} 1\n# type x gauge"} 5' <<<"$out")" 1
is "hostile: no line of its own" "$(grep -c '^# TYPE x' <<<"$out")" 0
if command -v promtool >/dev/null 2>&1; then
  printf '%s\n' "$out" >"$TESTTMP/hostile.prom"
  out=$(promtool check metrics <"$TESTTMP/hostile.prom" 2>&1)
  is "hostile: promtool check metrics" "$?:$out" "0:"
fi

# --- --output: replaced atomically -------------------------------------------------------------------
prom=$(outdir textfile)/tlsrpt.prom
q metrics --db "$db" --output "$prom"
is "--output: exit 0, nothing on stdout" "$status:$out" "0:"
is "--output: mode 0644 (the collector runs as another user)" "$(stat -c %a "$prom")" 644
is "--output: no temporary file left" "$(ls -A "$TESTTMP/textfile")" tlsrpt.prom
check "--output: the same exposition as stdout" cmp -s "$prom" "$TESTTMP/out.prom"
q metrics --db "$db" --output "$TESTTMP/nodir/tlsrpt.prom"
is "--output into a missing directory: 66" "$status" 66
case $err in *"$TESTTMP/nodir"*) pass "--output into a missing directory: says where" ;; *) fail "--output missing directory ($err)" ;; esac
q metrics --db "$db" --output "$TESTTMP/textfile"
is "--output a directory: 78" "$status" 78
check "--output a directory: the old file is kept" cmp -s "$prom" "$TESTTMP/out.prom"

# --- bad inputs ------------------------------------------------------------------------------------
q metrics --db "$TESTTMP/none/reports.db"
is "missing database: 66" "$status" 66
if on_sqlite; then # a file of another program
  sql "$TESTTMP/other.db" "CREATE TABLE notes (x TEXT)"
  q metrics --db "$TESTTMP/other.db"
  is "another program's database: 75" "$status" 75
fi
newer=$(copydb "$db")
claim_schema "$newer" 99
q metrics --db "$newer"
is "newer schema: 75" "$status" 75
empty=$(newdb)
ingest "$empty" "$SRCDIR/tests/corpus/n_plain_text_mail.eml"
q metrics --db "$empty"
is "a database without reports: exit 0" "$status" 0
is "a database without reports: its own metrics" "$(grep -c '^tlsrpt_reports_total 0$' <<<"$out")" 1
q metrics --db "$db" extra
is "an argument: 64" "$status" 64
q metrics --db "$db" --domain 'a/b'
is "a bad domain: 64" "$status" 64

done_testing
