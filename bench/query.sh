#!/usr/bin/env bash
# bench/query.sh - the query benchmark: three questions on a large database, whole process.
#
# Usage: bench/query.sh [BUILD_DIR] [DB]   (BUILD_DIR defaults to build/ at the repo top)
#
# Without DB, generates one with bench/gen-db.py (100,000 reports, 1,000,000 failure rows,
# 1,000 domains, 20 reporters, one year up to today; about a minute) in a temporary directory.
# Times each query BENCH_ROUNDS times (default 11), interleaved, and prints the median wall time
# of the whole process against the target (150 ms). Exit status 0 if every median meets it,
# 1 if not, 2 on a setup error. Needs bash, python3, and GNU date (for nanoseconds).
set -euo pipefail

rounds=${BENCH_ROUNDS:-11}
target_ms=150
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench_dir")
build_dir=${1:-$root/build}
bin=$build_dir/src/tlsrptdb
db=${2:-}
if [ ! -x "$bin" ]; then
  echo "query.sh: $bin not found; build first" >&2
  exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tlsrptdb-qbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if [ -z "$db" ]; then
  db=$tmp/big.db
  python3 "$bench_dir/gen-db.py" --tlsrptdb "$bin" "$db"
fi
domain=$(sqlite3 -readonly "$db" "SELECT policy_domain FROM summary_sessions GROUP BY policy_domain ORDER BY count(*) DESC LIMIT 1" 2>/dev/null || echo d0042.example)

names=("summary" "summary --by day --domain $domain" "failures --since 7d --limit 100")
cmds=("query summary" "query summary --by day --domain $domain" "query failures --since 7d --limit 100")

# ms: wall milliseconds of one run of tlsrptdb with the arguments $1 (word-split on purpose)
ms () {
  local s e
  s=$(date +%s%N)
  # shellcheck disable=SC2086
  "$bin" $1 --db "$db" >/dev/null
  e=$(date +%s%N)
  echo $(((e - s) / 1000000))
}

for i in "${!cmds[@]}"; do ms "${cmds[$i]}" >/dev/null; done # warm the page cache
for ((r = 0; r < rounds; r++)); do
  for i in "${!cmds[@]}"; do ms "${cmds[$i]}" >>"$tmp/t.$i"; done
done

status=0
printf '%-50s %8s %8s %s\n' "query" "median" "target" "result"
for i in "${!cmds[@]}"; do
  median=$(sort -n "$tmp/t.$i" | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  result=PASS
  if [ "$median" -gt "$target_ms" ]; then result=FAIL; status=1; fi
  printf '%-50s %6s ms %5s ms %s\n' "${names[$i]}" "$median" "$target_ms" "$result"
done
exit $status
