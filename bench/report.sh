#!/usr/bin/env bash
# bench/report.sh - the report benchmark: `report` and `digest` on a large database, whole process.
#
# Usage: bench/report.sh [BUILD_DIR] [DB]   (BUILD_DIR defaults to build/ at the repo top)
#
# Without DB, generates one with bench/gen-db.py (100,000 reports, 1,000,000 failure rows,
# 1,000 domains, 20 reporters, one year up to today; about a minute) in a temporary directory.
# Runs each command BENCH_ROUNDS times (default 11), interleaved, and prints the median wall
# time of the whole process, its CPU time (user + system) and the output's size, against the
# targets of issue 15: a year of the 1,000 domains in under 1 s and under 10 MB of HTML.  Exit
# status 0 if every median meets them, 1 if not, 2 on a setup error.  Needs bash, python3 and
# GNU date and time.
set -euo pipefail

rounds=${BENCH_ROUNDS:-11}
target_ms=1000
target_bytes=$((10 * 1000 * 1000))
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench_dir")
build_dir=${1:-$root/build}
bin=$build_dir/src/tlsrptdb
db=${2:-}
if [ ! -x "$bin" ]; then
  echo "report.sh: $bin not found; build first" >&2
  exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tlsrptdb-rbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if [ -z "$db" ]; then
  db=$tmp/big.db
  python3 "$bench_dir/gen-db.py" --tlsrptdb "$bin" "$db"
fi

names=("report (30 days)" "report --since 1y" "digest (7 days)" "digest --since 1y")
cmds=("report" "report --since 1y" "digest --to postmaster@example.com"
  "digest --since 1y --to postmaster@example.com")

# run I : one run of command I; appends "wall_ms cpu_ms bytes" to $tmp/t.I
run () {
  local s e
  s=$(date +%s%N)
  # shellcheck disable=SC2086
  /usr/bin/time -f '%U %S' -o "$tmp/cpu" "$bin" ${cmds[$1]} --db "$db" >"$tmp/out"
  e=$(date +%s%N)
  echo "$(((e - s) / 1000000)) $(awk '{printf "%d", ($1 + $2) * 1000}' "$tmp/cpu") $(wc -c <"$tmp/out")" >>"$tmp/t.$1"
}

for i in "${!cmds[@]}"; do run "$i"; rm "$tmp/t.$i"; done # warm the page cache
for ((r = 0; r < rounds; r++)); do
  for i in "${!cmds[@]}"; do run "$i"; done
done

median () { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
status=0
printf '%-22s %10s %10s %12s %s\n' "command" "wall" "cpu" "bytes" "result"
for i in "${!cmds[@]}"; do
  wall=$(cut -d' ' -f1 "$tmp/t.$i" | median)
  cpu=$(cut -d' ' -f2 "$tmp/t.$i" | median)
  bytes=$(cut -d' ' -f3 "$tmp/t.$i" | median)
  result=PASS
  if [ "$wall" -gt "$target_ms" ] || [ "$bytes" -gt "$target_bytes" ]; then result=FAIL; status=1; fi
  printf '%-22s %7s ms %7s ms %12s %s\n' "${names[$i]}" "$wall" "$cpu" "$bytes" "$result"
done
exit $status
