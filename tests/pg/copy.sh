#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# copy.sh [TLSRPTDB] - tlsrptdb copy: SQLite -> PostgreSQL -> SQLite gives the same database
#
# bench/gen-db.py writes the benchmark database (COPY_REPORTS reports, ten failure details
# each: 10,000 here, so that CI stays short; bench/pg-copy.sh runs the 100,000 of the benchmark),
# with some rejected messages beside; it is copied into PostgreSQL as the schema's owner and
# back into a new SQLite file.  The three give the same `query summary --format json` (and the
# same by day, reporter and result type, and the same reports and failure details), and the same
# numbers of rows in every table.  A second copy adds nothing; an interrupted one (SIGTERM)
# finishes when run again.  Prints "# figures:" with the times of the two copies.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

N=${COPY_REPORTS:-10000}
command -v python3 >/dev/null || skip_all "no python3"
pg_gate
check "the server starts" pg_setup || { done_testing; exit 1; }
chmod 0755 "$TESTTMP"
work=$TESTTMP/work # the server's OS user writes the SQLite files of the copies here
mkdir -p "$work"
[ "$(id -u)" != 0 ] || chown "$PG_USER:" "$work"
a=$work/a.db b=$work/b.db pg=$(pg_conninfo tlsrpt_owner)

# --- the source: the benchmark's database, and some rejected messages ---
check "gen-db.py writes $N reports" python3 "$SRCDIR/bench/gen-db.py" --tlsrptdb "$TLSRPTDB" \
  --reports "$N" --failures $((N * 10)) --domains 200 --end-day 2026-11-30 "$a"
for i in 1 2 3; do
  printf 'From: junk@spam.example\nSubject: junk %d\nMessage-ID: <junk-%d@spam.example>\n\n%s\n' \
    "$i" "$i" "$(head -c 3000 /dev/zero | tr '\0' x)" | "$TLSRPTDB" ingest --db "$a"
done
sqlite3 "$a" "UPDATE rejected SET fingerprint = NULL WHERE id = 1" # kept before schema step 5
# gen-db.py's own seed report (the schema comes from an ingest) is one more
R=$(sqlite3 "$a" "SELECT count(*) FROM reports")
[ "$(id -u)" != 0 ] || chown "$PG_USER:" "$a"*

# copy FROM TO : tlsrptdb copy as the schema's owner; $status, $out, $err, $ms
copy () {
  local start
  now_ms; start=$now
  pg_as tlsrpt_owner "$TLSRPTDB" copy "$1" "$2" >"$TESTTMP/out" 2>"$TESTTMP/err"
  status=$?
  now_ms; ms=$((now - start))
  out=$(cat "$TESTTMP/out") err=$(cat "$TESTTMP/err")
}
copy "$a" "$pg"
is "SQLite -> PostgreSQL: exit 0" "$status:$err" "0:"
is "SQLite -> PostgreSQL: everything copied" "$out" \
  "copied $R reports (0 there already) and 3 rejected messages (0 there already)"
to_pg_ms=$ms
copy "$pg" "$b"
is "PostgreSQL -> SQLite: exit 0" "$status:$err" "0:"
to_sqlite_ms=$ms

# --- the same answers and the same rows ---
# answers DB : what tlsrptdb says of DB (as the reader for PostgreSQL)
answers () {
  local q
  for q in "summary" "summary --by day" "summary --by reporter" "summary --by result-type,mx" \
    "reports --limit 500" "failures --limit 500"; do
    # shellcheck disable=SC2086
    pg_as tlsrpt_read "$TLSRPTDB" query --db "$1" $q --since 2025-01-01 --format json
  done
}
answers "$a" >"$TESTTMP/a.json"
answers "$pg" >"$TESTTMP/pg.json"
answers "$b" >"$TESTTMP/b.json"
check "the answers are not empty" test "$(grep -c '"failed"' "$TESTTMP/a.json")" -gt 100
check "query summary (and by day, reporter, type and MX; reports, failures): SQLite = PostgreSQL" \
  cmp -s "$TESTTMP/a.json" "$TESTTMP/pg.json"
check "... = SQLite again" cmp -s "$TESTTMP/a.json" "$TESTTMP/b.json"
tables="reports policies failures report_warnings rejected summary_sessions summary_policy_failures"
rows () {
  local t
  for t in $tables; do
    if [ "${1#*=}" != "$1" ]; then pg_psql tlsrpt_read -c "SELECT count(*) FROM $t"
    else sqlite3 "$1" "SELECT count(*) FROM $t"; fi
  done | tr '\n' ' '
}
is "rows of every table: PostgreSQL = SQLite" "$(rows "$pg")" "$(rows "$a")"
is "rows of every table: SQLite again = SQLite" "$(rows "$b")" "$(rows "$a")"
is "deliveries, arrival, verdict and rejected bytes came along" \
  "$(sqlite3 "$b" "SELECT sum(deliveries), max(received_at), count(dkim_result), (SELECT value FROM counters WHERE name = 'rejected_bytes') FROM reports")" \
  "$(sqlite3 "$a" "SELECT sum(deliveries), max(received_at), count(dkim_result), (SELECT value FROM counters WHERE name = 'rejected_bytes') FROM reports")"
is "a rejected message without a fingerprint got one" \
  "$(pg_psql tlsrpt_read -c "SELECT count(*) FROM rejected WHERE fingerprint IS NULL")" 0

# --- again: nothing twice; interrupted: finished by a second run ---
copy "$a" "$pg"
is "copied again: nothing added" "$status:$out" \
  "0:copied 0 reports ($R there already) and 0 rejected messages (3 there already)"
c=$work/c.db
(pg_exec tlsrpt_owner "$TLSRPTDB" copy "$pg" "$c" >"$TESTTMP/out" 2>&1) &
copier=$! # the copy itself
for _ in $(seq 1 400); do
  [ -f "$c" ] && [ "$(sqlite3 "$c" "SELECT count(*) FROM reports" 2>/dev/null || echo 0)" -gt 0 ] && break
  sleep 0.02
done
kill -TERM "$copier"
wait "$copier"
stopped=$(sqlite3 "$c" "SELECT count(*) FROM reports")
if grep -q '^stopped after' "$TESTTMP/out"; then pass "SIGTERM: stopped after $stopped reports, whole batches"
else pass "SIGTERM: the copy finished first # SKIP too fast to interrupt"; fi
copy "$pg" "$c"
is "run again: it finishes" "$status:$(rows "$c")" "0:$(rows "$a")"
echo "# figures: copy of $N reports ($((N * 10)) failure details): SQLite -> PostgreSQL $to_pg_ms ms, PostgreSQL -> SQLite $to_sqlite_ms ms"
done_testing
