#!/usr/bin/env bash
# bench/monitoring.sh - the benchmark of the alerts: `tlsrptdb check` and `tlsrptdb metrics` on a
# large database, whole process (issue 14: each under 150 ms, median of whole-process runs).
#
# Usage: bench/monitoring.sh [BUILD_DIR] [DB]   (BUILD_DIR defaults to build/ at the repo top)
#
# Without DB, generates one with bench/gen-db.py (100,000 reports, 1,000,000 failure rows, 1,000
# domains, 20 reporters, one year up to today; about a minute) in a temporary directory.  Times
# each command BENCH_ROUNDS times (default 11), interleaved, and prints the median wall time of the
# whole process against the target (150 ms), its CPU time (user + system: the better measure on a
# shared machine) and the size of what it printed.  check exits 0-3 by
# its verdict; any of them counts as a run.  Exit status 0 if every median meets the target, 1 if
# not, 2 on a setup error.  Needs bash, python3, and GNU date and time.
set -euo pipefail

rounds=${BENCH_ROUNDS:-11}
target_ms=150
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench_dir")
build_dir=${1:-$root/build}
bin=$build_dir/src/tlsrptdb
db=${2:-}
if [ ! -x "$bin" ]; then
  echo "monitoring.sh: $bin not found; build first" >&2
  exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tlsrptdb-mbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if [ -z "$db" ]; then
  db=$tmp/big.db
  python3 "$bench_dir/gen-db.py" --tlsrptdb "$bin" "$db"
fi
config=$root/tests/cli/empty.conf # not the machine's /etc/tlsrptdb.conf

cmds=("check" "check --format json" "metrics" "metrics --output $tmp/tlsrpt.prom")

# run I : one run of command I (its output kept in $tmp/out.I); appends "wall_ms cpu_ms" to
# $tmp/t.I
run () {
  local s e rc=0
  s=$(date +%s%N)
  # shellcheck disable=SC2086 # the command's words
  /usr/bin/time -f '%U %S' -o "$tmp/cpu" "$bin" ${cmds[$1]} --config "$config" --db "$db" >"$tmp/out.$1" 2>"$tmp/err.$1" || rc=$?
  e=$(date +%s%N)
  if [ "$rc" -gt 3 ] || { [ "$rc" -ne 0 ] && [ "${cmds[$1]%% *}" = metrics ]; }; then
    echo "monitoring.sh: ${cmds[$1]} exited $rc: $(head -c 300 "$tmp/err.$1" "$tmp/out.$1")" >&2
    exit 2
  fi
  echo "$(((e - s) / 1000000)) $(tail -n 1 "$tmp/cpu" | awk '{printf "%d", ($1 + $2) * 1000}')" >>"$tmp/t.$1"
}

for i in "${!cmds[@]}"; do run "$i"; rm "$tmp/t.$i"; done # warm the page cache
for ((r = 0; r < rounds; r++)); do
  for i in "${!cmds[@]}"; do run "$i"; done
done

median () { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
status=0
printf '%-30s %10s %10s %8s %10s %s\n' "command" "wall" "cpu" "target" "output" "result"
for i in "${!cmds[@]}"; do
  wall=$(cut -d' ' -f1 "$tmp/t.$i" | median)
  cpu=$(cut -d' ' -f2 "$tmp/t.$i" | median)
  size=$(wc -c <"$tmp/out.$i")
  [ "${cmds[$i]}" != "metrics --output $tmp/tlsrpt.prom" ] || size=$(wc -c <"$tmp/tlsrpt.prom")
  result=PASS
  if [ "$wall" -gt "$target_ms" ]; then result=FAIL; status=1; fi
  printf '%-30s %7s ms %7s ms %5s ms %8s B %s\n' "${cmds[$i]/$tmp\//}" "$wall" "$cpu" "$target_ms" "$size" "$result"
done
echo "check said: $(head -n 1 "$tmp/out.0" | cut -c1-160)"
exit $status
