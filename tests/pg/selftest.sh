#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# selftest.sh [TLSRPTDB] - the PostgreSQL test harness (tests/pg/lib.sh) checks itself
#
# Starts a private server (installing PostgreSQL first where the gate allows, see lib.sh),
# checks that it listens on its socket only and syncs commits as a production server does,
# has `tlsrptdb upgrade` create the schema as its owner, and checks that each role can
# do what its command needs and nothing more: ingest inserts and updates the columns of a
# repeat delivery, never deletes; the reader only reads; the pruner deletes reports and
# rejected messages, whose dependent rows follow; nobody but the owner changes the schema; no
# test role is a superuser.  Then the logins: peer only for the server's OS user, a password
# only from a .pgpass file.  Then a commit survives a crash of the server (stop -m immediate),
# a client finds no server while it is down, and a stopped server is cleaned up.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

pg_gate
check "the server starts" pg_setup || { done_testing; exit 1; }
echo "# $("$PG_BINDIR/postgres" --version); OS user $PG_USER; $PG_DIR"

# --- the server ---
is "no TCP listener" "$(pg_psql "$PG_ADMIN" -c 'SHOW listen_addresses')" ""
is "the socket directory is the server user's alone" "$(stat -c '%a %U' "$PG_DIR/sock")" "700 $PG_USER"
is "fsync, synchronous_commit, full_page_writes" \
  "$(pg_psql "$PG_ADMIN" -c 'SHOW fsync' -c 'SHOW synchronous_commit' -c 'SHOW full_page_writes' | tr '\n' ' ')" "on on on "
# (not by connecting to 127.0.0.1: the system's own cluster may listen there)
postmaster=$(head -1 "$PG_DIR/data/postmaster.pid")
if command -v ss >/dev/null; then
  is "the server has no TCP socket (ss)" "$(ss -Htanp 2>/dev/null | grep -c "pid=$postmaster,")" 0
else
  pass "the server has no TCP socket # SKIP no ss"
fi
is "no test role is a superuser or may make roles or databases" \
  "$(pg_psql "$PG_ADMIN" -c "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'tlsrpt%' AND rolname <> '$PG_ADMIN' AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication)")" 0

# --- the schema, made by tlsrptdb upgrade as its owner ---
check "the owner creates the schema (tlsrptdb upgrade)" \
  pg_as tlsrpt_owner "$TLSRPTDB" upgrade --db "$(pg_conninfo tlsrpt_owner)"
is "schema version" "$(pg_psql tlsrpt_read -c 'SELECT max(version) FROM tlsrptdb_version')" 7
pg_try tlsrpt_owner "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
is "the owner is no superuser" "$pg_out" f

# can ROLE DESC SQL / cannot ROLE DESC SQL : SQL as ROLE succeeds / is refused for lack of a privilege
can () {
  if pg_try "$1" "$3"; then pass "$1 can $2"; else fail "$1 can $2"; echo "#   $pg_err"; fi
}
cannot () {
  if pg_try "$1" "$3"; then fail "$1 cannot $2"; echo "#   it did: $pg_out"
  elif printf '%s' "$pg_err" | grep -q -E 'permission denied|must be owner|read-only transaction'; then pass "$1 cannot $2"
  else fail "$1 cannot $2 (another error)"; echo "#   $pg_err"; fi
}
sha=$(printf '%064d' 1) sha2=$(printf '%064d' 2)
new_report="INSERT INTO reports (reporter_key, report_id, report_day, raw_json, received_at,
  last_received_at, content_sha256) VALUES ('sender.example', 'r-1', '2026-11-20', '{}', now(), now(), '$sha')"

# ingest (tlsrpt_ingest, in tlsrptdb_writer)
can tlsrpt_ingest "insert a report, its policy, failure details and summaries" "BEGIN;
$new_report;
INSERT INTO policies (report_ref, policy_index, policy_type, policy_domain,
  total_successful_session_count, total_failure_session_count, domain)
  VALUES (currval('reports_id_seq'), 0, 'sts', 'example.com', 5, 1, 'example.com');
INSERT INTO failures (policy_ref, result_type, receiving_mx_hostname, failed_session_count)
  VALUES (currval('policies_id_seq'), 'certificate-expired', 'mx.example.com', 1);
INSERT INTO summary_sessions (report_ref, policy_domain, report_day, reporter_key, sts_successful,
  sts_failed) VALUES (currval('reports_id_seq'), 'example.com', '2026-11-20', 'sender.example', 5, 1);
INSERT INTO summary_policy_failures (policy_ref, result_type, receiving_mx, failed)
  VALUES (currval('policies_id_seq'), 'certificate-expired', 'mx.example.com', 1);
INSERT INTO report_warnings (report_ref, code, text) VALUES (currval('reports_id_seq'), 'array-bare', 'x');
COMMIT"
can tlsrpt_ingest "count a repeat delivery by ON CONFLICT" "$new_report ON CONFLICT
  (md5(reporter_key), md5(report_id), content_sha256) DO UPDATE SET deliveries = reports.deliveries + 1, last_received_at = excluded.last_received_at RETURNING deliveries"
is "the repeat is counted, not stored" "$pg_out" 2
can tlsrpt_ingest "keep a rejected message, and count its repeat" "INSERT INTO rejected (received_at,
  last_received_at, reason, raw_message, message_size, fingerprint) VALUES (now(), now(), 'not a report', 'abcd', 4, '$sha')
  ON CONFLICT (fingerprint) DO UPDATE SET deliveries = rejected.deliveries + 1, reason = excluded.reason;
  INSERT INTO rejected (received_at, last_received_at, reason, raw_message, message_size, fingerprint)
  VALUES (now(), now(), 'not a report', 'abcd', 4, '$sha')
  ON CONFLICT (fingerprint) DO UPDATE SET deliveries = rejected.deliveries + 1, reason = excluded.reason"
can tlsrpt_ingest "read the rejected budget under a row lock" "BEGIN; SELECT value FROM counters WHERE name = 'rejected_bytes' FOR UPDATE; COMMIT"
is "counters.rejected_bytes follows the rows" "$pg_out" 4
cannot tlsrpt_ingest "change a stored report's JSON" "UPDATE reports SET raw_json = '[]'"
cannot tlsrpt_ingest "change a stored report's key" "UPDATE reports SET report_id = 'other'"
cannot tlsrpt_ingest "delete a report" "DELETE FROM reports"
cannot tlsrpt_ingest "delete a failure detail" "DELETE FROM failures"
cannot tlsrpt_ingest "delete a rejected message" "DELETE FROM rejected"
cannot tlsrpt_ingest "truncate" "TRUNCATE failures"
cannot tlsrpt_ingest "create a table" "CREATE TABLE t (x int)"
cannot tlsrpt_ingest "drop a table" "DROP TABLE counters"
cannot tlsrpt_ingest "write the schema version" "INSERT INTO tlsrptdb_version (version) VALUES (6)"

# the reader (tlsrpt_read, in tlsrptdb_reader)
can tlsrpt_read "read the views" "SELECT domain, successful, failed FROM daily_summary"
is "the views apply the counting rule" "$pg_out" "example.com|5|1"
can tlsrpt_read "read rejected messages" "SELECT count(*) FROM rejected"
cannot tlsrpt_read "insert a report" "$(printf '%s' "$new_report" | sed 's/r-1/r-2/')"
cannot tlsrpt_read "count a delivery" "UPDATE reports SET deliveries = deliveries + 1"
cannot tlsrpt_read "delete" "DELETE FROM rejected"
cannot tlsrpt_read "create a table" "CREATE TABLE t (x int)"
pg_try tlsrpt_read "SHOW default_transaction_read_only"
is "the reader's sessions are read-only" "$pg_out" on

# the pruner (tlsrpt_maint, in tlsrptdb_pruner): prune and reprocess
can tlsrpt_maint "store a report as ingest does" "$(printf '%s' "$new_report" | sed "s/'$sha'/'$sha2'/")"
can tlsrpt_maint "prune reports; policies, failures and summaries follow" "DELETE FROM reports WHERE report_id = 'r-1' AND content_sha256 = '$sha'"
is "nothing is left of the pruned report" \
  "$(pg_psql tlsrpt_read -c 'SELECT (SELECT count(*) FROM policies) + (SELECT count(*) FROM failures) + (SELECT count(*) FROM summary_sessions) + (SELECT count(*) FROM summary_policy_failures)')" 0
can tlsrpt_maint "delete rejected messages" "DELETE FROM rejected"
is "counters.rejected_bytes follows the delete" "$(pg_psql tlsrpt_read -c "SELECT value FROM counters WHERE name = 'rejected_bytes'")" 0
cannot tlsrpt_maint "truncate" "TRUNCATE reports CASCADE"
cannot tlsrpt_maint "drop a table" "DROP TABLE reports CASCADE"
cannot tlsrpt_maint "delete the schema version" "DELETE FROM tlsrptdb_version"

# --- logins ---
if [ "$(id -u)" = 0 ]; then
  # root is not in the map: peer authentication refuses it even though root can reach the socket
  "$PG_BINDIR/psql" -X -w -h "$PG_DIR/sock" -p "$PG_PORT" -d "$PG_DATABASE" -U tlsrpt_ingest -c 'SELECT 1' >/dev/null 2>"$TESTTMP/root.err"
  is "another OS user (root) is refused" "$? $(grep -c 'Peer authentication failed' "$TESTTMP/root.err")" "2 1"
fi
pg_try postgres "SELECT 1"
is "a role outside the map is refused" "$? $(printf '%s' "$pg_err" | grep -c -E 'Peer authentication failed|does not exist')" "2 1"
check "a password from PGPASSFILE (.pgpass) logs in" pg_set_password tlsrpt_read
can tlsrpt_read "log in with the password in \$PG_DIR/pgpass" "SELECT 1"
PG_PASSFILE=/nonexistent pg_try tlsrpt_read "SELECT 1"
is "without the file the password login fails" "$? $(printf '%s' "$pg_err" | grep -c 'no password supplied')" "2 1"
is "the .pgpass file is the server user's, mode 0600" "$(stat -c '%a %U' "$PG_DIR/pgpass")" "600 $PG_USER"

# --- the server goes away and comes back ---
can tlsrpt_ingest "commit a report" "$(printf '%s' "$new_report" | sed 's/r-1/r-crash/')"
check "the server crashes (stop -m immediate)" pg_stop immediate
pg_try tlsrpt_read "SELECT 1"
is "a client finds no server while it is down" "$? $(printf '%s' "$pg_err" | grep -c -E 'No such file or directory|Connection refused')" "2 1"
check "the server starts again (crash recovery)" pg_start
is "the committed report survived the crash" "$(pg_psql tlsrpt_read -c "SELECT count(*) FROM reports WHERE report_id = 'r-crash'")" 1
check "pg_read_only on" pg_read_only on
cannot tlsrpt_ingest "write while the database is read-only" "$(printf '%s' "$new_report" | sed 's/r-1/r-ro/')"
check "pg_read_only off" pg_read_only off
check "the server restarts (fast)" pg_restart
can tlsrpt_ingest "write after the restart" "$(printf '%s' "$new_report" | sed 's/r-1/r-ro/')"

check "the server stops" pg_stop
check "no postmaster.pid is left" test ! -e "$PG_DIR/data/postmaster.pid"
no_server_left () { ! pgrep -f "^$PG_BINDIR/postgres -D $PG_DIR/data" >/dev/null; }
check "no server process is left" no_server_left
dir=$PG_DIR
pg_cleanup
check "its directory is removed" test ! -e "$dir"
done_testing
