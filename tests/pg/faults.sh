#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# faults.sh [TLSRPTDB] - ingest into PostgreSQL when things go wrong: 75 and nothing half-written
#
# The server stopped (before an ingest, and during a run of them: each deferred message is
# stored once it is back), a wrong password and the right one from a .pgpass file, a role that
# may only read, a database made read-only, statement_timeout while a lock holds the statement,
# and kill -9 of an ingest in the middle of its transaction.  After each, the database holds
# whole reports only (every report its policy, failure details and summaries), and a retry
# stores the message once.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

pg_gate
check "the server starts" pg_setup || { done_testing; exit 1; }
chmod 0755 "$TESTTMP"
check "the owner creates the schema" pg_as tlsrpt_owner "$TLSRPTDB" upgrade --db "$(pg_conninfo tlsrpt_owner)"
db=$(pg_conninfo tlsrpt_ingest)

# deliver ROLE FILE : ingest FILE as ROLE; $status, $err
deliver () {
  pg_as "$1" "$TLSRPTDB" ingest --db "$(pg_conninfo "$1")" <"$2" >"$TESTTMP/out" 2>"$TESTTMP/err"
  status=$?
  err=$(cat "$TESTTMP/err")
}
# whole : "ok" when every report has a policy, its failure details and its summary rows
whole () {
  pg_psql tlsrpt_read -c "SELECT CASE WHEN
    (SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM policies p WHERE p.report_ref = r.id)) = 0
    AND (SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM summary_sessions s WHERE s.report_ref = r.id)) = 0
    AND (SELECT count(*) FROM failures) = (SELECT count(*) FROM reports)
    AND (SELECT count(*) FROM summary_policy_failures) = (SELECT count(*) FROM reports)
    THEN 'ok' ELSE 'partial' END"
}
stored () { pg_psql tlsrpt_read -c "SELECT count(*) FROM reports WHERE report_id = '$1'"; }
mail () { report_json "$1" >"$TESTTMP/$1.json"; chmod 0644 "$TESTTMP/$1.json"; }

# --- the server is stopped, then back --------------------------------------------------------
mail before
deliver tlsrpt_ingest "$TESTTMP/before.json"
is "a report while the server runs: 0" "$status" 0
check "the server stops" pg_stop
mail down
deliver tlsrpt_ingest "$TESTTMP/down.json"
is "the server is down: 75, saying why" "$status:$(printf '%s' "$err" | grep -c 'cannot connect to the PostgreSQL server')" "75:1"
check "the server starts again" pg_start
deliver tlsrpt_ingest "$TESTTMP/down.json"
is "the MTA's retry: stored once" "$status:$(stored down)" "0:1"

# during a run: an MTA delivering 120 messages one after another, the server stopped (fast:
# sessions are cut) and started again in the middle; whatever exits 75 is delivered again after
for i in $(seq 1 120); do mail "run-$i"; done
(
  for i in $(seq 1 120); do
    deliver tlsrpt_ingest "$TESTTMP/run-$i.json"
    [ "$status" = 0 ] || echo "$i $status" >>"$TESTTMP/deferred"
  done
) &
run=$!
for _ in $(seq 1 200); do [ "$(pg_psql tlsrpt_read -c "SELECT count(*) FROM reports WHERE report_id LIKE 'run-%'")" -ge 20 ] && break; sleep 0.05; done
pg_stop fast
sleep 1
pg_start
wait "$run"
n_deferred=$(wc -l <"$TESTTMP/deferred" 2>/dev/null || echo 0)
is "messages deferred while the server was down, each with 75" \
  "$(cut -d' ' -f2 "$TESTTMP/deferred" 2>/dev/null | sort -u | tr '\n' ' ')" "75 "
check "some were deferred ($n_deferred)" test "$n_deferred" -gt 0
while read -r i _; do deliver tlsrpt_ingest "$TESTTMP/run-$i.json"; done <"$TESTTMP/deferred"
is "after the retries, every message of the run stored once" \
  "$(pg_psql tlsrpt_read -c "SELECT count(*), count(DISTINCT report_id), max(deliveries) FROM reports WHERE report_id LIKE 'run-%'")" \
  "120|120|1"
is "nothing half-written" "$(whole)" ok

# --- logins -------------------------------------------------------------------------------------
check "tlsrpt_ingest now needs a password (scram-sha-256, from \$PG_DIR/pgpass)" pg_set_password tlsrpt_ingest
mail password
deliver tlsrpt_ingest "$TESTTMP/password.json"
is "the password from the .pgpass file (PGPASSFILE): stored" "$status:$(stored password)" "0:1"
printf '%s\n' "$(pg_server_user cat "$PG_PASSFILE" | sed 's/:[^:]*$/:wrong-password/')" \
  | pg_server_user tee "$PG_DIR/wrong.pgpass" >/dev/null
pg_server_user chmod 0600 "$PG_DIR/wrong.pgpass"
mail wrong
PG_PASSFILE=$PG_DIR/wrong.pgpass deliver tlsrpt_ingest "$TESTTMP/wrong.json"
is "a wrong password: 75, saying why" "$status:$(printf '%s' "$err" | grep -c 'password authentication failed')" "75:1"
PG_PASSFILE=/nonexistent deliver tlsrpt_ingest "$TESTTMP/wrong.json"
is "no password at all: 75" "$status" 75
is "nothing stored" "$(stored wrong)" 0

# --- reading only -------------------------------------------------------------------------------
mail readonly
deliver tlsrpt_read "$TESTTMP/readonly.json"
is "a role that may only read: 75" "$status:$(printf '%s' "$err" | grep -c 'read-only transaction')" "75:1"
check "the database is made read-only" pg_read_only on
deliver tlsrpt_ingest "$TESTTMP/readonly.json"
is "a read-only database: 75" "$status:$(stored readonly)" "75:0"
check "and writable again" pg_read_only off
deliver tlsrpt_ingest "$TESTTMP/readonly.json"
is "then stored" "$status:$(stored readonly)" "0:1"

# --- statement_timeout: a statement that waits too long for a lock ------------------------------
# hold_lock SECONDS : the owner holds a lock that every ingest's statement must wait for
hold_lock () {
  pg_psql tlsrpt_owner -c "BEGIN" -c "LOCK TABLE summary_sessions IN ACCESS EXCLUSIVE MODE" \
    -c "SELECT pg_sleep($1)" -c "COMMIT" >/dev/null &
  locker=$!
  for _ in $(seq 1 100); do
    [ "$(pg_psql tlsrpt_read -c "SELECT count(*) FROM pg_locks WHERE relation = 'summary_sessions'::regclass AND mode = 'AccessExclusiveLock' AND granted")" = 1 ] && return
    sleep 0.05
  done
}
PG_DB_OVERRIDE=postgres pg_psql "$PG_ADMIN" -c "ALTER ROLE tlsrpt_ingest SET statement_timeout = '500ms'" >/dev/null
mail timeout
hold_lock 4
deliver tlsrpt_ingest "$TESTTMP/timeout.json"
is "statement_timeout: 75, saying why" "$status:$(printf '%s' "$err" | grep -c 'statement timeout')" "75:1"
wait "$locker"
is "statement_timeout: nothing stored" "$(stored timeout)" 0
PG_DB_OVERRIDE=postgres pg_psql "$PG_ADMIN" -c "ALTER ROLE tlsrpt_ingest RESET statement_timeout" >/dev/null
deliver tlsrpt_ingest "$TESTTMP/timeout.json"
is "statement_timeout: the retry stores it" "$status:$(stored timeout)" "0:1"

# --- kill -9 in the middle of the transaction --------------------------------------------------
mail killed
hold_lock 3
(pg_exec tlsrpt_ingest "$TLSRPTDB" ingest --db "$db" <"$TESTTMP/killed.json" 2>/dev/null) &
ingest=$! # the ingest itself
# pg_admin SQL : SQL as the superuser (pg_stat_activity shows another role's wait to it only)
pg_admin () { PG_DB_OVERRIDE=$PG_DATABASE pg_psql "$PG_ADMIN" -c "$1"; }
for _ in $(seq 1 100); do
  [ "$(pg_admin "SELECT count(*) FROM pg_stat_activity WHERE usename = 'tlsrpt_ingest' AND wait_event_type = 'Lock'")" = 1 ] && break
  sleep 0.05
done
is "an ingest waits inside its transaction" \
  "$(pg_admin "SELECT count(*) FROM pg_stat_activity WHERE usename = 'tlsrpt_ingest' AND xact_start IS NOT NULL")" 1
kill -KILL "$ingest"
wait "$ingest" 2>/dev/null
wait "$locker"
for _ in $(seq 1 100); do
  [ "$(pg_admin "SELECT count(*) FROM pg_stat_activity WHERE usename = 'tlsrpt_ingest'")" = 0 ] && break
  sleep 0.05
done
is "kill -9: its session is gone, rolled back" \
  "$(pg_admin "SELECT count(*) FROM pg_stat_activity WHERE usename = 'tlsrpt_ingest'") $(stored killed)" "0 0"
is "kill -9: nothing half-written" "$(whole)" ok
deliver tlsrpt_ingest "$TESTTMP/killed.json"
is "kill -9: the MTA's retry stores it once" "$status:$(stored killed)" "0:1"
done_testing
