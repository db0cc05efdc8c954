#!/usr/bin/env bash
# bench/pg-bench.sh - issue 17's three PostgreSQL targets, with the real backend, beside SQLite
#
# Usage: bench/pg-bench.sh [--quick] [BUILD_DIR]   (BUILD_DIR defaults to build/ at the repo top)
#
# Starts a private PostgreSQL server (tests/pg/lib.sh: unix socket only, fsync and
# synchronous_commit on), has `tlsrptdb upgrade` create the schema as its owner, then measures
# whole processes, each run as the server's OS user (peer authentication), SQLite's beside:
#   ingest   a new small report (gen-report.py -n 3) by `tlsrptdb ingest`, into SQLite and into
#            PostgreSQL as the ingest role, interleaved round by round, BENCH_ROUNDS (21) each:
#            medians, and the median of the per-round ratios.  Target: at most 1.5x.
#   import   `tlsrptdb import` of a Maildir of BENCH_MESSAGES (10,000) small reports into a new
#            database of each backend, BENCH_IMPORT_ROUNDS (3) each: messages/s of the median.
#            Target: PostgreSQL at least 5,000 messages/s.
#   query    bench/gen-db.py's database (BENCH_REPORTS, 100,000 reports, ten failure details
#            each) into SQLite, `tlsrptdb copy` of it into PostgreSQL (timed), VACUUM ANALYZE by
#            the owner (as autovacuum would); then `tlsrptdb query summary` as the read-only
#            role, interleaved with SQLite's, BENCH_ROUNDS each: medians.  Target: under 150 ms.
# --quick: 5 rounds, 2,000 messages, 10,000 reports.  Prints a table per part and "# figures:"
# lines.  Exit status 0, or 2 on a setup error (not whether the targets are met: see
# doc/performance.md for what was measured).  Needs what tests/pg/lib.sh needs, and python3.
set -euo pipefail

rounds=${BENCH_ROUNDS:-21}
messages=${BENCH_MESSAGES:-10000}
import_rounds=${BENCH_IMPORT_ROUNDS:-3}
reports=${BENCH_REPORTS:-100000}
if [ "${1:-}" = --quick ]; then
  rounds=5 messages=2000 import_rounds=1 reports=10000
  shift
fi
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench_dir")
build_dir=${1:-$root/build}
case $build_dir in /*) ;; *) build_dir=$PWD/$build_dir ;; esac
TLSRPTDB=$build_dir/src/tlsrptdb
[ -x "$TLSRPTDB" ] || { echo "pg-bench.sh: $TLSRPTDB not found; build first" >&2; exit 2; }
export TLSRPTDB TLSRPTDB_MODULE_DIR=$build_dir/src TLSRPTDB_CONFIG=$root/tests/cli/empty.conf

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tlsrptdb-pgbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2034 # read by tests/pg/lib.sh
TESTTMP=$tmp
skip_all () { echo "pg-bench.sh: cannot run a PostgreSQL server: $*" >&2; exit 2; }
# shellcheck source-path=SCRIPTDIR source=../tests/pg/lib.sh
. "$root/tests/pg/lib.sh"
pg_gate
pg_setup >/dev/null || { echo "pg-bench.sh: the server did not start" >&2; exit 2; }
chmod 0755 "$tmp"
mkdir -p "$tmp/w"
[ "$(id -u)" != 0 ] || chown "$PG_USER:" "$tmp/w"
pg_as tlsrpt_owner "$TLSRPTDB" upgrade --db "$(pg_conninfo tlsrpt_owner)" >/dev/null || exit 2
# the schema alone, the template of the databases of import and query
PG_DB_OVERRIDE=postgres pg_psql "$PG_ADMIN" -c "CREATE DATABASE tpl OWNER tlsrpt_owner TEMPLATE $PG_DATABASE" >/dev/null || exit 2

# as_user CMD... : CMD as the server's OS user, no process in between when root (setpriv execs)
as_user () {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid="$PG_USER" --regid="$PG_USER" --init-groups "$@"
  else
    "$@"
  fi
}
# timed VAR CMD... : run CMD (stdout and stderr to files), its wall time in ms (3 decimals) in VAR
timed () {
  local var=$1 start end
  shift
  start=$EPOCHREALTIME
  "$@" >"$tmp/out" 2>"$tmp/err" || { echo "pg-bench.sh: failed: $* ($(head -c 300 "$tmp/err"))" >&2; exit 2; }
  end=$EPOCHREALTIME
  printf -v "$var" '%s' "$(echo "$start $end" | awk '{ printf "%.3f", ($2 - $1) * 1000 }')"
}
median () { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum () { sort -g | head -1; }
ingest_pg=$(pg_conninfo tlsrpt_ingest)
s='' p='' copy_ms='' # set by timed

# --- ingest: one whole process, a new small report ---
mkdir -p "$tmp/small"
python3 "$bench_dir/gen-report.py" -n 3 --count $((rounds + 2)) --out-dir "$tmp/small" --name s >/dev/null
as_user env PGUSER=tlsrpt_ingest "$TLSRPTDB" ingest --db "$tmp/w/i.db" <"$tmp/small/s-$((rounds + 1)).eml"
as_user env PGUSER=tlsrpt_ingest "$TLSRPTDB" ingest --db "$ingest_pg" <"$tmp/small/s-$((rounds + 2)).eml"
: >"$tmp/ing.sqlite"; : >"$tmp/ing.pg"; : >"$tmp/ing.ratio"
for i in $(seq 1 "$rounds"); do
  timed s as_user "$TLSRPTDB" ingest --db "$tmp/w/i.db" <"$tmp/small/s-$i.eml"
  timed p as_user env PGUSER=tlsrpt_ingest "$TLSRPTDB" ingest --db "$ingest_pg" <"$tmp/small/s-$i.eml"
  echo "$s" >>"$tmp/ing.sqlite"; echo "$p" >>"$tmp/ing.pg"
  awk -v s="$s" -v p="$p" 'BEGIN { printf "%.3f\n", p / s }' >>"$tmp/ing.ratio"
done
ing_s=$(median <"$tmp/ing.sqlite") ing_p=$(median <"$tmp/ing.pg") ing_r=$(median <"$tmp/ing.ratio")
echo "ingest of a new small report, one whole process, $rounds rounds (ms)"
printf '  %-10s median %8.2f  min %8.2f\n' sqlite "$ing_s" "$(minimum <"$tmp/ing.sqlite")" \
  postgresql "$ing_p" "$(minimum <"$tmp/ing.pg")"
echo "# figures: ingest: SQLite $ing_s ms, PostgreSQL $ing_p ms (medians); PostgreSQL/SQLite ${ing_r}x (median of the rounds' ratios; target 1.5x)"

# --- import: a Maildir of small reports ---
mkdir -p "$tmp/md/cur" "$tmp/md/tmp" "$tmp/md/new"
python3 "$bench_dir/gen-report.py" -n 3 --count "$messages" --out-dir "$tmp/md/new" --name m >/dev/null
chmod -R a+rX "$tmp/md"
: >"$tmp/imp.sqlite"; : >"$tmp/imp.pg"
for i in $(seq 1 "$import_rounds"); do
  timed s as_user "$TLSRPTDB" import --no-progress --db "$tmp/w/imp-$i.db" "$tmp/md"
  PG_DB_OVERRIDE=postgres pg_psql "$PG_ADMIN" -c "CREATE DATABASE imp$i OWNER tlsrpt_owner TEMPLATE tpl" >/dev/null
  timed p as_user env PGUSER=tlsrpt_owner "$TLSRPTDB" import --no-progress --db "host=$PG_DIR/sock port=$PG_PORT dbname=imp$i" "$tmp/md"
  echo "$s" >>"$tmp/imp.sqlite"; echo "$p" >>"$tmp/imp.pg"
done
imp_s=$(median <"$tmp/imp.sqlite") imp_p=$(median <"$tmp/imp.pg")
rate () { awk -v n="$messages" -v ms="$1" 'BEGIN { printf "%.0f", n / (ms / 1000) }'; }
echo "import of $messages small reports (a Maildir), $import_rounds rounds"
printf '  %-10s median %9.1f ms  %6s messages/s\n' sqlite "$imp_s" "$(rate "$imp_s")" postgresql "$imp_p" "$(rate "$imp_p")"
echo "# figures: import: SQLite $(rate "$imp_s")/s, PostgreSQL $(rate "$imp_p")/s (target 5000/s)"

# --- query summary on the benchmark database ---
echo "pg-bench.sh: generating $reports reports..." >&2
python3 "$bench_dir/gen-db.py" --tlsrptdb "$TLSRPTDB" --reports "$reports" --failures $((reports * 10)) "$tmp/w/big.db" >&2
[ "$(id -u)" != 0 ] || chown "$PG_USER:" "$tmp/w/big.db"
PG_DB_OVERRIDE=postgres pg_psql "$PG_ADMIN" -c "CREATE DATABASE big OWNER tlsrpt_owner TEMPLATE tpl" >/dev/null
big_pg="host=$PG_DIR/sock port=$PG_PORT dbname=big"
timed copy_ms as_user env PGUSER=tlsrpt_owner "$TLSRPTDB" copy --no-progress "$tmp/w/big.db" "$big_pg"
PG_DB_OVERRIDE=big pg_psql tlsrpt_owner -c "VACUUM ANALYZE reports, policies, failures, report_warnings, rejected, summary_sessions, summary_policy_failures" >/dev/null
: >"$tmp/q.sqlite"; : >"$tmp/q.pg"
for i in $(seq 0 "$rounds"); do
  timed s as_user "$TLSRPTDB" query --db "$tmp/w/big.db" summary
  timed p as_user env PGUSER=tlsrpt_read "$TLSRPTDB" query --db "$big_pg" summary
  [ "$i" = 0 ] && continue # the first of each warms the caches
  echo "$s" >>"$tmp/q.sqlite"; echo "$p" >>"$tmp/q.pg"
done
q_s=$(median <"$tmp/q.sqlite") q_p=$(median <"$tmp/q.pg")
echo "query summary on $reports reports ($((reports * 10)) failure details), $rounds rounds (ms)"
printf '  %-10s median %8.2f  min %8.2f\n' sqlite "$q_s" "$(minimum <"$tmp/q.sqlite")" \
  postgresql "$q_p" "$(minimum <"$tmp/q.pg")"
echo "# figures: copy of $reports reports SQLite -> PostgreSQL: $(awk -v ms="$copy_ms" 'BEGIN { printf "%.1f", ms / 1000 }') s"
echo "# figures: query summary: SQLite $q_s ms, PostgreSQL $q_p ms (medians; target 150 ms)"
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
