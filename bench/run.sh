#!/usr/bin/env bash
# bench/run.sh - the ingest benchmark: tlsrptdb ingest against a do-nothing program's floor.
#
# Usage: bench/run.sh [--quick] [BUILD_DIR]     (BUILD_DIR defaults to build/ at the repo top)
#
# Measures, interleaved round by round (floor, small, duplicate, big, floor, ...) so that the drift
# of a noisy machine hits every case alike, the wall time and peak RSS of one process each:
#   floor      bench/floor.c: links the same libraries as tlsrptdb and returns 0 (stdin: small email)
#   small      tlsrptdb ingest of a NEW small report (1 policy, 3 failure details) into a shared db
#   duplicate  tlsrptdb ingest of a small report that is already in that db
#   big        tlsrptdb ingest of a report with 10,000 failure details into a db of its own
# and three programs that do only one stage that a case cannot skip, linked like the floor:
#   count      bench/store-floor.c count: open a copy of the shared db and add 1 to the duplicate's
#              deliveries, nothing else: the database work of a repeat delivery
#   store      bench/store-floor.c store: the least SQLite work that storing the big case's data
#              takes (its rows and raw_json, durably; no mail, no JSON, no summaries)
#   parse      bench/parse-floor.c: json-glib's parse of the big case's JSON, nothing else
# and compares the medians with the targets (see doc/performance.md). Exit status 0 if every
# target is met, 1 if not, 2 on a setup error. Rounds: BENCH_ROUNDS (default 21); --quick: 5.
# The shared db first gets BENCH_PREFILL (default 200) reports, untimed, so that small and
# duplicate run against a db that has been in use, not an empty one.
# Needs: bash, cc, pkg-config, python3, the -dev packages tlsrptdb itself builds with.
set -euo pipefail

usage ()
{
  sed -n '2,23s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

rounds=${BENCH_ROUNDS:-21}
prefill=${BENCH_PREFILL:-200}
build_dir=
while [ $# -gt 0 ]; do
  case $1 in
    --quick) rounds=5 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "run.sh: unknown option: $1" >&2; usage >&2; exit 2 ;;
    *) build_dir=$1 ;;
  esac
  shift
done
case $rounds in
  '' | *[!0-9]* | 0) echo "run.sh: BENCH_ROUNDS must be a positive integer" >&2; exit 2 ;;
esac
case $prefill in
  '' | *[!0-9]*) echo "run.sh: BENCH_PREFILL must be a number" >&2; exit 2 ;;
esac

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench_dir")
build_dir=${build_dir:-$root/build}
bin=$build_dir/src/tlsrptdb
if [ ! -x "$bin" ]; then
  echo "run.sh: $bin not found; build first (meson setup build && meson compile -C build)" >&2
  exit 2
fi

# A debug or sanitizer build makes the figures meaningless: say so.
if [ -r "$build_dir/meson-info/intro-buildoptions.json" ]; then
  python3 - "$build_dir/meson-info/intro-buildoptions.json" <<'PY' >&2 || true
import json, sys
opts = {o["name"]: o["value"] for o in json.load(open(sys.argv[1]))}
bt, san = opts.get("buildtype"), opts.get("b_sanitize")
print("build: buildtype=%s b_sanitize=%s" % (bt, san))
if bt not in ("release", "debugoptimized", "minsize") or san not in (None, "none"):
    print("WARNING: not an optimised build without sanitizers; figures are not comparable")
PY
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tlsrptdb-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cc=${CC:-cc}
libs="gmime-3.0 glib-2.0 gio-2.0 json-glib-1.0 sqlite3 zlib"

# Build the helper and the floor program.
"$cc" -O2 -o "$tmp/runone" "$bench_dir/runone.c"
# the floor and the stage floors, all linked alike (bench/libs.h)
for prog in floor store-floor parse-floor; do
  # shellcheck disable=SC2046,SC2086
  "$cc" -O2 -g -Wl,--no-as-needed -o "$tmp/$prog" "$bench_dir/$prog.c" $(pkg-config --cflags --libs $libs)
done

# The messages: one new small report per round, one for the duplicate case, one to seed each db.
python3 "$bench_dir/gen-report.py" -n 3 --count "$rounds" --out-dir "$tmp" --name small
python3 "$bench_dir/gen-report.py" -n 3 --id dup > "$tmp/dup.eml"
if [ "$prefill" -gt 0 ]; then
  python3 "$bench_dir/gen-report.py" -n 3 --count "$prefill" --out-dir "$tmp" --name prefill
fi
python3 "$bench_dir/gen-report.py" -n 3 --id seed --json "$tmp/seed.json" --rows "$tmp/seed.rows" > "$tmp/seed.eml"
python3 "$bench_dir/gen-report.py" -n 10000 --json "$tmp/big.json" --rows "$tmp/big.rows" > "$tmp/big.eml"

results=$tmp/results
errlog=$tmp/stderr
: > "$results"

# run CASE INPUT CMD... - run one measured process; append "CASE WALL RSS" to the results
run ()
{
  local name=$1 input=$2 out wall rss code
  shift 2
  out=$("$tmp/runone" "$input" "$@" 2>> "$errlog")
  read -r wall rss code <<< "$out"
  if [ "$code" != 0 ]; then
    echo "run.sh: $name: exit status $code: $*" >&2
    cat "$errlog" >&2
    exit 2
  fi
  echo "$name $wall $rss" >> "$results"
}

# untimed - run a command with stdin from a file, failing loudly
untimed ()
{
  local input=$1
  shift
  if ! "$@" < "$input" > /dev/null 2>> "$errlog"; then
    echo "run.sh: setup step failed: $*" >&2
    cat "$errlog" >&2
    exit 2
  fi
}

# Warm up: create the shared db, store the duplicate's report once, and run every case once so
# that the page cache holds the binaries, libraries and inputs.
shared=$tmp/shared.db
untimed "$tmp/seed.eml" "$bin" ingest --db "$shared"
untimed "$tmp/dup.eml" "$bin" ingest --db "$shared"
for p in $(seq 1 "$prefill"); do
  untimed "$tmp/prefill-$p.eml" "$bin" ingest --db "$shared"
  rm -f "$tmp/prefill-$p.eml"
done
# The count case works on a copy of the shared db as it is now, on the duplicate's report.
cp "$shared" "$tmp/count.db"
if [ -e "$shared-wal" ]; then
  cp "$shared-wal" "$tmp/count.db-wal"
fi
dup_key=$(python3 -c 'import sqlite3, sys
print("\t".join(sqlite3.connect(sys.argv[1]).execute("SELECT reporter_key, report_id FROM reports"
      " WHERE report_id LIKE ? ESCAPE ?", ("%\\_dup", "\\")).fetchone()))' "$tmp/count.db")
IFS=$'\t' read -r dup_reporter dup_id <<< "$dup_key"
untimed /dev/null "$tmp/store-floor" count "$tmp/count.db" "$dup_reporter" "$dup_id"
untimed "$tmp/seed.eml" "$tmp/floor"
untimed "$tmp/seed.eml" "$bin" ingest --db "$tmp/warm.db"
untimed "$tmp/big.eml" "$bin" ingest --db "$tmp/warm.db"
untimed /dev/null "$tmp/store-floor" store "$tmp/warm-store.db" "$tmp/big.json" "$tmp/big.rows" big
untimed /dev/null "$tmp/parse-floor" "$tmp/big.json"
rm -f "$tmp"/warm.db* "$tmp"/warm-store.db*

echo "tlsrptdb ingest benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $(nproc 2> /dev/null || echo '?') CPUs"
echo "binary: $bin; $rounds rounds after $prefill untimed reports; messages: small $(wc -c < "$tmp/small-1.eml") B, big $(wc -c < "$tmp/big.eml") B"
for r in $(seq 1 "$rounds"); do
  # The big case's db exists (holds the seed report) but has not seen the big one: really stored.
  untimed "$tmp/seed.eml" "$bin" ingest --db "$tmp/big-$r.db"
  run floor "$tmp/small-$r.eml" "$tmp/floor"
  run small "$tmp/small-$r.eml" "$bin" ingest --db "$shared"
  run duplicate "$tmp/dup.eml" "$bin" ingest --db "$shared"
  run count /dev/null "$tmp/store-floor" count "$tmp/count.db" "$dup_reporter" "$dup_id"
  run big "$tmp/big.eml" "$bin" ingest --db "$tmp/big-$r.db"
  untimed /dev/null "$tmp/store-floor" store "$tmp/store-$r.db" "$tmp/seed.json" "$tmp/seed.rows" seed
  run store /dev/null "$tmp/store-floor" store "$tmp/store-$r.db" "$tmp/big.json" "$tmp/big.rows" big
  run parse /dev/null "$tmp/parse-floor" "$tmp/big.json"
  if [ "$r" = "$rounds" ]; then
    cp "$tmp/big-$r.db" "$tmp/big-check.db"
    if [ -e "$tmp/big-$r.db-wal" ]; then
      cp "$tmp/big-$r.db-wal" "$tmp/big-check.db-wal"
    fi
    cp "$tmp/store-$r.db" "$tmp/store-check.db"
    cp "$tmp/store-$r.db-wal" "$tmp/store-check.db-wal"
  fi
  rm -f "$tmp/big-$r.db" "$tmp/big-$r.db"-wal "$tmp/big-$r.db"-shm
  rm -f "$tmp/store-$r.db" "$tmp/store-$r.db"-wal "$tmp/store-$r.db"-shm
  printf '.' >&2
done
echo >&2
wal_size=0
if [ -e "$shared-wal" ]; then
  wal_size=$(wc -c < "$shared-wal")
fi

# Check that the cases did what they claim, then summarise.
python3 - "$results" "$rounds" "$shared" "$tmp/big-check.db" "$prefill" "$wal_size" "$tmp/store-check.db" "$tmp/count.db" <<'PY'
import sqlite3, statistics, sys

results, rounds, shared, bigdb = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
prefill, wal_size, storedb, countdb = int(sys.argv[5]), int(sys.argv[6]), sys.argv[7], sys.argv[8]

def q(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()

problems = []
n = q(shared, "SELECT count(*) FROM reports")
if n != rounds + 2 + prefill:
    problems.append("shared db holds %d reports, expected %d (seed + dup + prefill + one per round)"
                    % (n, rounds + 2 + prefill))
d = q(shared, "SELECT deliveries FROM reports WHERE report_id LIKE '%\\_dup' ESCAPE '\\'")
if d != rounds + 1:
    problems.append("duplicate report has deliveries=%s, expected %d" % (d, rounds + 1))
f = q(bigdb, "SELECT count(*) FROM failures")
if f != 10000 + 3:
    problems.append("big db holds %d failure rows, expected 10003 (10,000 + the seed's 3)" % f)
d = q(countdb, "SELECT deliveries FROM reports WHERE report_id LIKE '%\\_dup' ESCAPE '\\'")
if d != rounds + 2:
    problems.append("count db: duplicate report has deliveries=%s, expected %d" % (d, rounds + 2))
for sql in ("SELECT count(*) FROM failures", "SELECT sum(failed_session_count) FROM failures",
            "SELECT sum(length(raw_json)) FROM reports"):
    if q(storedb, sql) != q(bigdb, sql):
        problems.append("the store floor's db differs from the big db: %s" % sql)

data = {}
for line in open(results):
    name, wall, rss = line.split()
    data.setdefault(name, []).append((float(wall), int(rss)))

med = {k: (statistics.median(w for w, _ in v), statistics.median(r for _, r in v)) for k, v in data.items()}
fw, fr = med["floor"]
# per-round ratio, a second view that cancels drift between rounds
per_round = {k: statistics.median(v[i][0] / data["floor"][i][0] for i in range(len(v))) for k, v in data.items()}

targets = {"small": (1.6, None), "duplicate": (1.3, None), "big": (12.0, 32 * 1024)}
ok = not problems
print("%-10s %10s %8s %12s %10s %9s  %s" % ("case", "wall ms", "x floor", "x (rounds)", "RSS KiB", "x floor", "target"))
for k in ("floor", "small", "duplicate", "big", "count", "store", "parse"):
    w, r = med[k]
    line = "%-10s %10.2f %8.2f %12.2f %10d %9.2f" % (k, w * 1000, w / fw, per_round[k], r, r / fr)
    if k in targets:
        tw, tr = targets[k]
        good = w / fw <= tw and (tr is None or r <= tr)
        ok = ok and good
        tgt = "<= %.1fx floor" % tw + ("" if tr is None else ", RSS <= %d MiB" % (tr // 1024))
        line += "  %s  %s" % (tgt, "PASS" if good else "FAIL")
    print(line)
print("medians of %d rounds; 'x (rounds)' = median of the per-round ratios" % rounds)
# the stages a case cannot skip, each measured with the process floor in it
print("count, store, parse: one stage each, no mail (bench/store-floor.c, bench/parse-floor.c)")
print("duplicate's stage alone: count = %.2fx floor (target %.1fx); duplicate is %.2fx of it"
      % (med["count"][0] / fw, targets["duplicate"][0], med["duplicate"][0] / med["count"][0]))
stages = med["store"][0] + med["parse"][0] - fw
print("big's stages alone: store + parse - floor = %.2fx floor (target %.1fx); big is %.2fx of that"
      % (stages / fw, targets["big"][0], med["big"][0] / stages))
print("shared db after the run: %d reports, WAL file %d KiB" % (n, wal_size // 1024))
for p in problems:
    print("CHECK FAILED: " + p)
print("RESULT: " + ("PASS" if ok else "FAIL"))
sys.exit(0 if ok else 1)
PY
