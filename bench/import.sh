#!/usr/bin/env bash
# bench/import.sh - the import benchmark: tlsrptdb import of many small report emails.
#
# Usage: bench/import.sh [--quick] [BUILD_DIR]     (BUILD_DIR defaults to build/ at the repo top)
#
# Measures, interleaved round by round (floor, maildir, mbox, floor, ...), the wall time and peak
# RSS of one process each:
#   floor      bench/floor.c: links the same libraries as tlsrptdb and returns 0
#   maildir    tlsrptdb import of a Maildir of N small report emails (new/) into a fresh db
#   mbox       tlsrptdb import of one mbox file holding the same N emails into a fresh db
#   maildir-s  the same as maildir with N/10 emails: peak RSS must not grow with N
# The rate is N / (median wall - median floor wall). Targets: maildir and mbox at least
# 5,000 messages/s; peak RSS of maildir at most 1.25 x that of maildir-s (plus 1 MiB).
# N: BENCH_MESSAGES (default 10000). Rounds: BENCH_ROUNDS (default 5); --quick: 3.
# Exit status 0 if every target is met, 1 if not, 2 on a setup error.
# Needs: bash, cc, pkg-config, python3, the -dev packages tlsrptdb itself builds with.
set -euo pipefail

usage ()
{
  sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

rounds=${BENCH_ROUNDS:-5}
n=${BENCH_MESSAGES:-10000}
build_dir=
while [ $# -gt 0 ]; do
  case $1 in
    --quick) rounds=3 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "import.sh: unknown option: $1" >&2; usage >&2; exit 2 ;;
    *) build_dir=$1 ;;
  esac
  shift
done
case $rounds in
  '' | *[!0-9]* | 0) echo "import.sh: BENCH_ROUNDS must be a positive integer" >&2; exit 2 ;;
esac
case $n in
  '' | *[!0-9]* | 0 | ? | ??) echo "import.sh: BENCH_MESSAGES must be a number >= 100" >&2; exit 2 ;;
esac

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench_dir")
build_dir=${build_dir:-$root/build}
bin=$build_dir/src/tlsrptdb
if [ ! -x "$bin" ]; then
  echo "import.sh: $bin not found; build first (meson setup build && meson compile -C build)" >&2
  exit 2
fi
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tlsrptdb-bench-import.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cc=${CC:-cc}
libs="gmime-3.0 glib-2.0 gio-2.0 json-glib-1.0 sqlite3 zlib"
"$cc" -O2 -o "$tmp/runone" "$bench_dir/runone.c"
# shellcheck disable=SC2046,SC2086
"$cc" -O2 -g -Wl,--no-as-needed -o "$tmp/floor" "$bench_dir/floor.c" $(pkg-config --cflags --libs $libs)

# The inputs: a Maildir of N messages, a small one of N/10, and an mbox of the same N (mboxrd).
small=$((n / 10))
mkdir -p "$tmp/md/cur" "$tmp/md/new" "$tmp/md/tmp" "$tmp/md-s/cur" "$tmp/md-s/new" "$tmp/md-s/tmp"
echo "import.sh: writing $n messages..." >&2
python3 "$bench_dir/gen-report.py" -n 3 --count "$n" --out-dir "$tmp/md/new" --name m
for i in $(seq 1 "$small"); do
  cp "$tmp/md/new/m-$i.eml" "$tmp/md-s/new/"
done
python3 - "$tmp/md/new" "$n" "$tmp/all.mbox" <<'PY'
import re, sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
quote = re.compile(rb"^(>*From )", re.M)
with open(out, "wb") as f:
    for i in range(1, n + 1):
        data = open("%s/m-%d.eml" % (src, i), "rb").read()
        f.write(b"From noreply@reporter.example.com Tue Jan  2 11:14:15 2024\n")
        f.write(quote.sub(rb">\1", data))
        if not data.endswith(b"\n"):
            f.write(b"\n")
        f.write(b"\n")
PY

results=$tmp/results
errlog=$tmp/stderr
: > "$results"

# run CASE CMD... - run one measured process (stdin /dev/null); append "CASE WALL RSS"
run ()
{
  local name=$1 out wall rss code
  shift
  out=$("$tmp/runone" /dev/null "$@" 2>> "$errlog")
  read -r wall rss code <<< "$out"
  if [ "$code" != 0 ]; then
    echo "import.sh: $name: exit status $code: $*" >&2
    cat "$errlog" >&2
    exit 2
  fi
  echo "$name $wall $rss" >> "$results"
}

# Warm up: the page cache holds the binaries, the libraries and the inputs.
"$tmp/floor" < /dev/null
"$bin" import --db "$tmp/warm.db" "$tmp/md" "$tmp/all.mbox" > /dev/null 2>> "$errlog"
rm -f "$tmp"/warm.db*

echo "tlsrptdb import benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $(nproc 2> /dev/null || echo '?') CPUs"
echo "binary: $bin; $rounds rounds; $n messages of $(wc -c < "$tmp/md/new/m-1.eml") B; mbox $(($(wc -c < "$tmp/all.mbox") / 1024)) KiB"
for r in $(seq 1 "$rounds"); do
  run floor "$tmp/floor"
  run maildir "$bin" import --db "$tmp/md-$r.db" "$tmp/md"
  run mbox "$bin" import --db "$tmp/mbox-$r.db" "$tmp/all.mbox"
  run maildir-s "$bin" import --db "$tmp/mds-$r.db" "$tmp/md-s"
  if [ "$r" = "$rounds" ]; then
    for c in md mbox mds; do
      sqlite3 "$tmp/$c-$r.db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null 2>&1 || true
      cp "$tmp/$c-$r.db" "$tmp/$c-check.db"
    done
  fi
  rm -f "$tmp"/md-"$r".db* "$tmp"/mbox-"$r".db* "$tmp"/mds-"$r".db*
  printf '.' >&2
done
echo >&2

python3 - "$results" "$n" "$small" "$tmp/md-check.db" "$tmp/mbox-check.db" "$tmp/mds-check.db" <<'PY'
import sqlite3, statistics, sys

results, n, small = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
dbs = {"maildir": (sys.argv[4], n), "mbox": (sys.argv[5], n), "maildir-s": (sys.argv[6], small)}
problems = []
for case, (db, want) in dbs.items():
    con = sqlite3.connect(db)
    got = con.execute("SELECT count(*), coalesce(max(deliveries), 0) FROM reports").fetchone()
    rej = con.execute("SELECT count(*) FROM rejected").fetchone()[0]
    con.close()
    if got != (want, 1) or rej != 0:
        problems.append("%s: %d reports (max deliveries %d), %d rejected; expected %d, 1, 0"
                        % (case, got[0], got[1], rej, want))

data = {}
for line in open(results):
    name, wall, rss = line.split()
    data.setdefault(name, []).append((float(wall), int(rss)))
med = {k: (statistics.median(w for w, _ in v), statistics.median(r for _, r in v))
       for k, v in data.items()}
fw, fr = med["floor"]
count = {"floor": 0, "maildir": n, "mbox": n, "maildir-s": small}
ok = not problems
print("%-10s %9s %10s %12s %10s  %s" % ("case", "messages", "wall ms", "messages/s", "RSS KiB", "target"))
for k in ("floor", "maildir", "mbox", "maildir-s"):
    w, r = med[k]
    rate = count[k] / (w - fw) if count[k] and w > fw else 0
    line = "%-10s %9d %10.1f %12.0f %10d" % (k, count[k], w * 1000, rate, r)
    if k in ("maildir", "mbox"):
        good = rate >= 5000
        ok = ok and good
        line += "  >= 5000/s  %s" % ("PASS" if good else "FAIL")
    if k == "maildir-s":
        big = med["maildir"][1]
        good = big <= 1.25 * r + 1024
        ok = ok and good
        line += "  RSS(%d) <= 1.25 x RSS(%d) + 1 MiB: %d KiB  %s" % (n, small, big, "PASS" if good else "FAIL")
    print(line)
print("medians of %d rounds; messages/s = messages / (wall - floor wall)" % len(data["floor"]))
for p in problems:
    print("CHECK FAILED: " + p)
print("RESULT: " + ("PASS" if ok else "FAIL"))
sys.exit(0 if ok else 1)
PY
