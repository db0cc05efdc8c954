#!/usr/bin/env bash
# bench/pg-query.sh - bench/query.sh's three questions on PostgreSQL, beside SQLite (bench/pg-notes.md)
#
# Usage: bench/pg-query.sh [BUILD_DIR] [DB]   (BUILD_DIR defaults to build/ at the repo top)
#
# Without DB, generates an SQLite database with bench/gen-db.py (100,000 reports, 1,000,000
# failure rows, 1,000 domains, 20 reporters, one year up to today).  Starts a private PostgreSQL
# server (tests/pg/lib.sh), loads doc/schema-pg-draft.sql, copies the rows of every table into it
# (COPY, as the ingest role) and has the owner VACUUM ANALYZE them, as autovacuum would on a
# database in use.  Then times, interleaved, BENCH_ROUNDS (11) times each, one whole process:
# `tlsrptdb query ...` on SQLite, and bench/pg-floor.c query running the same statements on
# PostgreSQL as the read-only role (the statements of src/query.c, translated: see
# bench/pg-notes.md).  Prints the medians against the target (150 ms).  Exit status 0, or 2 on
# a setup error.  Needs what bench/pg-floor.sh needs.
set -euo pipefail

rounds=${BENCH_ROUNDS:-11}
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench_dir")
build_dir=${1:-$root/build}
case $build_dir in /*) ;; *) build_dir=$PWD/$build_dir ;; esac
bin=$build_dir/src/tlsrptdb
db=${2:-}
[ -x "$bin" ] || { echo "pg-query.sh: $bin not found; build first" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tlsrptdb-pgquery.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2034 # read by tests/pg/lib.sh
TESTTMP=$tmp
skip_all () { echo "pg-query.sh: cannot run a PostgreSQL server: $*" >&2; exit 2; }
# shellcheck source=../tests/pg/lib.sh
. "$root/tests/pg/lib.sh"
pg_gate
pg_setup >/dev/null || { echo "pg-query.sh: the server did not start" >&2; exit 2; }
pg_load_schema "$root/doc/schema-pg-draft.sql" || exit 2

cc=${CC:-cc}
libs="gmime-3.0 glib-2.0 gio-2.0 json-glib-1.0 sqlite3 zlib libpq"
"$cc" -O2 -o "$tmp/runone" "$bench_dir/runone.c"
# shellcheck disable=SC2046,SC2086
"$cc" -O2 -g -Wl,--no-as-needed -o "$tmp/pg-floor" "$bench_dir/pg-floor.c" $(pkg-config --cflags --libs $libs)
if [ -z "$db" ]; then
  db=$tmp/big.db
  python3 "$bench_dir/gen-db.py" --tlsrptdb "$bin" "$db" >&2
else
  cp "$db" "$tmp/big.db"
  db=$tmp/big.db
fi
[ "$(id -u)" != 0 ] || chown -R "$PG_USER:" "$tmp"
chmod 0755 "$tmp"

# copy TABLE : the SQLite table's rows into PostgreSQL's, by COPY (text format)
copy () {
  local cols
  cols=$(sqlite3 "$db" "SELECT group_concat(name, ', ') FROM pragma_table_info('$1')")
  python3 - "$db" "$1" "$cols" <<'PY' | pg_psql tlsrpt_ingest -c "COPY $1 ($cols) FROM STDIN"
import hashlib, sqlite3, sys
db, table, cols = sys.argv[1:4]
out = sys.stdout
# gen-db.py's reports have no content_sha256 (as rows from before schema step 5): make one up
key = cols.split(", ").index("content_sha256") if table == "reports" else -1
for row in sqlite3.connect(db).execute("SELECT %s FROM %s" % (cols, table)):
    row = list(row)
    if key >= 0 and row[key] is None:
        row[key] = hashlib.sha256(str(row[0]).encode()).hexdigest()
    out.write("\t".join("\\N" if v is None else str(v).replace("\\", "\\\\").replace("\t", "\\t")
                        .replace("\n", "\\n").replace("\r", "\\r") for v in row) + "\n")
PY
}
echo "pg-query.sh: copying the database into PostgreSQL..." >&2
for t in reports policies failures summary_sessions summary_policy_failures; do copy "$t"; done
pg_psql tlsrpt_owner -c "SELECT setval('reports_id_seq', (SELECT max(id) FROM reports))" \
  -c "SELECT setval('policies_id_seq', (SELECT max(id) FROM policies))" \
  -c "SELECT setval('failures_id_seq', (SELECT max(id) FROM failures))" -c "VACUUM ANALYZE reports, policies, failures, summary_sessions, summary_policy_failures" >/dev/null
echo "pg-query.sh: $(pg_psql tlsrpt_read -c "SELECT (SELECT count(*) FROM reports) || ' reports, ' || (SELECT count(*) FROM failures) || ' failure rows, ' || pg_size_pretty(pg_database_size(current_database()))")" >&2

since30=$(date -u -d '30 days ago' +%F)
since7=$(date -u -d '7 days ago' +%F)
domain=$(sqlite3 -readonly "$db" "SELECT policy_domain FROM summary_sessions GROUP BY policy_domain ORDER BY count(*) DESC LIMIT 1")
ci=$(pg_conninfo tlsrpt_read)
# The statements of src/query.c for the three questions, in PostgreSQL: sum_sessions and
# sum_details (the C code then applies the rule per report), and list_failures.
rule () { echo "greatest(s.sts_$1, s.tlsa_$1) + s.other_$1"; }
sessions="least(sum($(rule successful)), 9223372036854775807)::bigint, least(sum($(rule failed)), 9223372036854775807)::bigint, count(DISTINCT s.report_ref)"
domain_key="lower(coalesce(nullif(p.policy_domain, ''), nullif(r.tls_report_domain, ''), '(none)'))"
details="SELECT r.id, $domain_key, r.report_day, r.reporter_key, CASE lower(p.policy_type) WHEN 'sts' THEN 1 WHEN 'tlsa' THEN 2 ELSE 0 END, f.result_type, f.receiving_mx, f.failed FROM reports r JOIN policies p ON p.report_ref = r.id JOIN summary_policy_failures f ON f.policy_ref = p.id WHERE r.report_day >= \$1"
q_summary=("SELECT s.policy_domain, $sessions FROM summary_sessions s WHERE s.report_day >= \$1 GROUP BY s.policy_domain" "$since30" -- "$details" "$since30")
# the same answer with the rule applied by the server (report_failures' way): a row per domain
# and result type instead of one per report, policy and detail
agg_details="SELECT domain, result_type, sum(failed), count(DISTINCT id) FROM (SELECT r.id, $domain_key AS domain, f.result_type, greatest(coalesce(sum(f.failed) FILTER (WHERE lower(p.policy_type) = 'sts'), 0), coalesce(sum(f.failed) FILTER (WHERE lower(p.policy_type) = 'tlsa'), 0)) + coalesce(sum(f.failed) FILTER (WHERE coalesce(lower(p.policy_type), '') NOT IN ('sts', 'tlsa')), 0) AS failed FROM reports r JOIN policies p ON p.report_ref = r.id JOIN summary_policy_failures f ON f.policy_ref = p.id WHERE r.report_day >= \$1 GROUP BY r.id, 2, 3) AS per_report GROUP BY 1, 2"
q_summary_agg=("SELECT s.policy_domain, $sessions FROM summary_sessions s WHERE s.report_day >= \$1 GROUP BY s.policy_domain" "$since30" -- "$agg_details" "$since30")
q_day=("SELECT s.report_day, $sessions FROM summary_sessions s WHERE s.policy_domain = ANY (\$1::text[]) AND s.report_day >= \$2 GROUP BY s.report_day" "{$domain}" "$since30"
  -- "$details AND r.id IN (SELECT report_ref FROM summary_sessions WHERE policy_domain = ANY (\$2::text[])) AND $domain_key = ANY (\$2::text[])" "$since30" "{$domain}")
q_failures=("SELECT r.report_day, r.reporter_key, $domain_key, p.policy_type, f.result_type, f.sending_mta_ip, f.receiving_mx_hostname, f.receiving_ip, f.failed_session_count, r.id, f.failure_reason_code, f.receiving_mx_helo, f.additional_information, r.report_id FROM reports r JOIN policies p ON p.report_ref = r.id JOIN failures f ON f.policy_ref = p.id WHERE r.report_day >= \$1 ORDER BY r.report_day DESC, r.id DESC, p.policy_index, f.id LIMIT 100" "$since7")

results=$tmp/results
: >"$results"
# run CASE CMD... : one measured process as the server's OS user; "CASE WALL_MS" to the results
run () {
  local name=$1 out wall code
  shift
  out=$(pg_server_user "$tmp/runone" /dev/null "$@" 2>>"$tmp/stderr")
  read -r wall _ code <<<"$out"
  [ "$code" = 0 ] || { echo "pg-query.sh: $name: exit $code" >&2; cat "$tmp/stderr" >&2; exit 2; }
  echo "$name $wall" >>"$results"
}
for pass in warm $(seq 1 "$rounds"); do
  run "sqlite summary" "$bin" query summary --db "$db"
  run "pg summary" "$tmp/pg-floor" query "$ci" "${q_summary[@]}"
  run "pg summary, rule in SQL" "$tmp/pg-floor" query "$ci" "${q_summary_agg[@]}"
  run "sqlite summary --by day --domain" "$bin" query summary --by day --domain "$domain" --db "$db"
  run "pg summary --by day --domain" "$tmp/pg-floor" query "$ci" "${q_day[@]}"
  run "sqlite failures --since 7d --limit 100" "$bin" query failures --since 7d --limit 100 --db "$db"
  run "pg failures --since 7d --limit 100" "$tmp/pg-floor" query "$ci" "${q_failures[@]}"
  [ "$pass" != warm ] || : >"$results"
  printf '.' >&2
done
echo >&2
echo "query benchmark on PostgreSQL, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for q in summary "summary, rule in SQL" "summary --by day --domain" "failures --since 7d --limit 100"; do
  for side in sqlite pg; do
    [ "$side $q" != "sqlite summary, rule in SQL" ] || continue
    echo "$(grep "^$side $q " "$results" | awk '{print $NF * 1000}' | sort -n | awk '{a[NR] = $1} END {printf "%.1f", a[int((NR + 1) / 2)]}') $side $q"
  done
done | awk '{ms = $1; $1 = ""; printf "%-45s %8.1f ms  %s\n", $0, ms, (ms <= 150 ? "<= 150 ms PASS" : "> 150 ms FAIL")}'
echo "rows returned (pg): summary $(pg_server_user "$tmp/pg-floor" query "$ci" "${q_summary[@]}"); rule in SQL $(pg_server_user "$tmp/pg-floor" query "$ci" "${q_summary_agg[@]}"); by day $(pg_server_user "$tmp/pg-floor" query "$ci" "${q_day[@]}")"
for sql in "$details" "$agg_details"; do
  pg_psql tlsrpt_read -c "EXPLAIN (ANALYZE, BUFFERS) $(printf '%s' "$sql" | sed "s/\\\$1/'$since30'/")" | sed 's/^/# /' | grep -E 'Scan|Join|Loop|Aggregate|Time:'
done
