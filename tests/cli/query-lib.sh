# query-lib.sh - helpers for t-query.sh, t-show.sh and t-explain.sh (sourced after lib.sh)
EXPECTED=$SRCDIR/tests/expected
# golden NAME CMD... : run CMD (stdout only), compare with tests/expected/NAME using diff -u;
# TLSRPTDB_UPDATE_GOLDEN=1 writes the file instead
golden () {
  _name=$1; shift
  "$@" >"$TESTTMP/golden.out" 2>"$TESTTMP/golden.err"
  _rc=$?
  if [ -n "${TLSRPTDB_UPDATE_GOLDEN:-}" ]; then cp "$TESTTMP/golden.out" "$EXPECTED/$_name"; fi
  if [ "$_rc" -ne 0 ]; then fail "$_name: exit $_rc ($(cat "$TESTTMP/golden.err"))"; return; fi
  if diff -u "$EXPECTED/$_name" "$TESTTMP/golden.out" >"$TESTTMP/golden.diff"; then pass "$_name"
  else fail "$_name"; sed 's/^/# /' "$TESTTMP/golden.diff" | head -40; fi
}
# q ARGS... : tlsrptdb with ARGS; sets $status, $out, $err
q () {
  "$TLSRPTDB" "$@" >"$TESTTMP/q.out" 2>"$TESTTMP/q.err"
  status=$?
  out=$(cat "$TESTTMP/q.out") err=$(cat "$TESTTMP/q.err")
}
# qtty CMD-ARGS... : as q, on a terminal (a pty made by script(1), 200 columns); stderr is mixed in
qtty () {
  out=$(COLUMNS=200 script -qec "$(printf '%q ' "$TLSRPTDB" "$@")" /dev/null | tr -d '\r')
}
HAVE_PYTHON=; if command -v python3 >/dev/null 2>&1; then HAVE_PYTHON=1; fi
# json_ok FILE : FILE holds one JSON document (python3, else jq; skipped without both)
json_ok () {
  if [ -n "$HAVE_PYTHON" ]; then python3 -m json.tool "$1" >/dev/null 2>&1
  elif command -v jq >/dev/null 2>&1; then jq . "$1" >/dev/null 2>&1
  else return 0; fi
}
# csv_rows FILE : "rows x columns" as Python's csv module reads FILE (empty without python3)
csv_rows () {
  [ -n "$HAVE_PYTHON" ] || return 0
  python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
print("%d x %s" % (len(rows), ",".join(sorted(set(str(len(r)) for r in rows)))))' "$1"
}
# undo_step_6 DB : take a database of this program back to schema 5 (before requests over HTTPS
# kept their facts in rejected, schema step 6)
undo_step_6 () {
  sql "$1" "DROP TRIGGER rejected_requests_insert; DROP TRIGGER rejected_requests_delete;
    DELETE FROM counters WHERE name = 'rejected_requests'; ALTER TABLE rejected DROP COLUMN media_type;
    ALTER TABLE rejected DROP COLUMN content_encoding; ALTER TABLE rejected DROP COLUMN user_agent;
    PRAGMA user_version = 5;"
}
# undo_step_5 DB : take a database of this program back to schema 4 (before reports were told
# apart by content, schema step 5), for the upgrade tests; the views and the trigger that read
# the reports table are left out (step 5 creates them again, or no longer needs them)
undo_step_5 () {
  undo_step_6 "$1"
  sql "$1" "DROP TRIGGER rejected_bytes_insert; DROP TRIGGER rejected_bytes_delete;
    DROP TRIGGER rejected_bytes_update; DROP TABLE counters; DROP INDEX rejected_fingerprint;
    ALTER TABLE rejected DROP COLUMN fingerprint; ALTER TABLE rejected DROP COLUMN deliveries;
    ALTER TABLE rejected DROP COLUMN last_received_at; ALTER TABLE rejected DROP COLUMN raw_dropped;
    ALTER TABLE rejected DROP COLUMN received_via; ALTER TABLE rejected DROP COLUMN client_address;
    DROP VIEW daily_failures; DROP VIEW report_failures; DROP VIEW daily_summary;
    DROP VIEW report_sessions; DROP VIEW failure_details; DROP TABLE report_warnings;
    ALTER TABLE policies DROP COLUMN domain;
    CREATE TABLE reports_old (id INTEGER PRIMARY KEY, reporter_key TEXT NOT NULL,
      organization_name TEXT, contact_info TEXT, report_id TEXT NOT NULL,
      report_id_synthesized INTEGER NOT NULL DEFAULT 0, start_datetime TEXT, end_datetime TEXT,
      report_day TEXT, raw_json TEXT NOT NULL, message_id TEXT, subject TEXT, mail_from TEXT,
      mail_date TEXT, tls_report_domain TEXT, tls_report_submitter TEXT, received_at TEXT NOT NULL,
      last_received_at TEXT NOT NULL, deliveries INTEGER NOT NULL DEFAULT 1, dkim_result TEXT,
      dkim_domain TEXT, dkim_aligned INTEGER, UNIQUE (reporter_key, report_id));
    INSERT INTO reports_old SELECT id, reporter_key, organization_name, contact_info, report_id,
      report_id_synthesized, start_datetime, end_datetime, report_day, raw_json, message_id,
      subject, mail_from, mail_date, tls_report_domain, tls_report_submitter, received_at,
      last_received_at, deliveries, dkim_result, dkim_domain, dkim_aligned FROM reports;
    DROP TABLE reports; ALTER TABLE reports_old RENAME TO reports;
    CREATE INDEX reports_day ON reports (report_day);
    CREATE INDEX reports_reporter_day ON reports (reporter_key, report_day);
    CREATE TRIGGER reports_summary_delete AFTER DELETE ON reports BEGIN
      DELETE FROM summary_sessions WHERE report_ref = OLD.id; END;
    PRAGMA user_version = 4;"
}
