#!/usr/bin/env bash
# bench/pg-floor.sh - the PostgreSQL floors of issue 17 beside SQLite's (bench/pg-notes.md)
#
# Usage: bench/pg-floor.sh [--quick] [BUILD_DIR]   (BUILD_DIR defaults to build/ at the repo top)
#
# Starts a private PostgreSQL server (tests/pg/lib.sh: unix socket only, fsync and
# synchronous_commit on), loads doc/schema-pg-draft.sql as its owner and works as the ingest
# role, never a superuser.  Then, interleaved round by round, the wall time of one process each
# (bench/runone.c), every one run as the server's OS user (peer authentication):
#   floor          bench/floor.c: tlsrptdb's libraries, returns 0
#   pg-nothing     bench/pg-floor.c nothing: the same plus libpq
#   connect        pg-floor connect: PQconnectdb (peer) and PQfinish
#   connect-scram  the same with a password from a .pgpass file (scram-sha-256)
#   pg-exec        pg-floor small exec: a new small report (1 policy, 3 failure details), one
#                  statement at a time (8 round trips)
#   pg-pipe        pg-floor small pipeline: the same in one statement, one pipeline
#   pg-pipe+sum    the same and the summary tables, in the same statement
#   pg-repeat      pg-floor small pipeline on a stored report: a repeat delivery counted
#   sqlite-store   bench/store-floor.c store: the same new report into SQLite (WAL,
#                  synchronous=FULL), no summaries
#   ingest         tlsrptdb ingest of a new small report into SQLite (the whole program)
# Then the rate of storing 10,000 small reports from one process (BENCH_RATE_N, in transactions
# of BENCH_BATCH = 250): pg-floor rate exec, pipeline, copy, pipeline+sum, copy+sum, and
# pg-floor sqlite-rate, BENCH_RATE_ROUNDS (3) each.  Prints medians and minimums (on a shared
# machine the minimum is the better estimate of the cost alone); exit status 0, or 2 on a
# setup error.  Rounds: BENCH_ROUNDS (default 21); --quick: 5.  Needs root or PostgreSQL
# installed (tests/pg/README.md), bash, cc, pkg-config, python3, libpq-dev.
set -euo pipefail

rounds=${BENCH_ROUNDS:-21}
rate_n=${BENCH_RATE_N:-10000}
batch=${BENCH_BATCH:-250}
rate_rounds=${BENCH_RATE_ROUNDS:-3}
build_dir=
while [ $# -gt 0 ]; do
  case $1 in
    --quick) rounds=5 rate_rounds=1 ;;
    -h | --help) sed -n '2,/^set /s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) echo "pg-floor.sh: unknown option: $1" >&2; exit 2 ;;
    *) build_dir=$1 ;;
  esac
  shift
done
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench_dir")
build_dir=${build_dir:-$root/build}
case $build_dir in /*) ;; *) build_dir=$PWD/$build_dir ;; esac
bin=$build_dir/src/tlsrptdb
[ -x "$bin" ] || { echo "pg-floor.sh: $bin not found; build first" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tlsrptdb-pgbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# tests/pg/lib.sh wants these two of tests/stress/lib.sh
# shellcheck disable=SC2034 # read by tests/pg/lib.sh
TESTTMP=$tmp
skip_all () { echo "pg-floor.sh: cannot run a PostgreSQL server: $*" >&2; exit 2; }
# shellcheck source=../tests/pg/lib.sh
. "$root/tests/pg/lib.sh"
pg_gate
pg_setup >/dev/null || { echo "pg-floor.sh: the server did not start" >&2; exit 2; }
pg_load_schema "$root/doc/schema-pg-draft.sql" || exit 2
pg_set_password tlsrpt_read # for connect-scram; tlsrpt_ingest stays peer

cc=${CC:-cc}
libs="gmime-3.0 glib-2.0 gio-2.0 json-glib-1.0 sqlite3 zlib"
"$cc" -O2 -o "$tmp/runone" "$bench_dir/runone.c"
for prog in floor store-floor pg-floor; do
  extra=
  [ $prog != pg-floor ] || extra=libpq
  # shellcheck disable=SC2046,SC2086
  "$cc" -O2 -g -Wl,--no-as-needed -o "$tmp/$prog" "$bench_dir/$prog.c" $(pkg-config --cflags --libs $libs $extra)
done
python3 "$bench_dir/gen-report.py" -n 3 --id seed --json "$tmp/small.json" --rows "$tmp/small.rows" >"$tmp/seed.eml"
python3 "$bench_dir/gen-report.py" -n 3 --count "$rounds" --out-dir "$tmp" --name small
python3 "$bench_dir/gen-report.py" -n 3 --count 200 --out-dir "$tmp" --name prefill
# everything runs as the server's OS user, in a directory of its own
[ "$(id -u)" != 0 ] || chown -R "$PG_USER:" "$tmp"
chmod 0755 "$tmp"

ingest_ci=$(pg_conninfo tlsrpt_ingest)
read_ci=$(pg_conninfo tlsrpt_read)
results=$tmp/results
: >"$results"
# run CASE INPUT CMD... - one measured process, as the server's OS user
run () {
  local name=$1 input=$2 out wall rss code
  shift 2
  out=$(pg_server_user env PGPASSFILE="$PG_DIR/pgpass" "$tmp/runone" "$input" "$@" 2>>"$tmp/stderr")
  read -r wall rss code <<<"$out"
  if [ "$code" != 0 ]; then echo "pg-floor.sh: $name: exit $code: $*" >&2; cat "$tmp/stderr" >&2; exit 2; fi
  echo "$name $wall $rss" >>"$results"
}
untimed () { pg_server_user env PGPASSFILE="$PG_DIR/pgpass" "$@" >/dev/null 2>>"$tmp/stderr" || { echo "pg-floor.sh: setup: $*" >&2; cat "$tmp/stderr" >&2; exit 2; }; }

# a database in use: 200 reports in each, and the report that pg-repeat repeats
untimed "$tmp/pg-floor" rate "$ingest_ci" "$tmp/small.json" "$tmp/small.rows" prefill 200 50 pipeline+sum
untimed "$tmp/pg-floor" small "$ingest_ci" "$tmp/small.json" "$tmp/small.rows" repeated pipeline+sum
untimed "$tmp/store-floor" store "$tmp/store.db" "$tmp/small.json" "$tmp/small.rows" seed
for i in $(seq 1 200); do untimed "$bin" ingest --db "$tmp/ingest.db" <"$tmp/prefill-$i.eml"; done
# warm the page cache
untimed "$tmp/floor"
untimed "$tmp/pg-floor" connect "$ingest_ci"

echo "PostgreSQL floors, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $(nproc) CPUs, $("$PG_BINDIR/postgres" --version)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$rounds rounds; small report: 1 policy, 3 failure details, raw_json $(wc -c <"$tmp/small.json") B"
for r in $(seq 1 "$rounds"); do
  run floor "$tmp/small-$r.eml" "$tmp/floor"
  run pg-nothing /dev/null "$tmp/pg-floor" nothing
  run connect /dev/null "$tmp/pg-floor" connect "$ingest_ci"
  run connect-scram /dev/null "$tmp/pg-floor" connect "$read_ci"
  run pg-exec /dev/null "$tmp/pg-floor" small "$ingest_ci" "$tmp/small.json" "$tmp/small.rows" "exec-$r" exec
  run pg-pipe /dev/null "$tmp/pg-floor" small "$ingest_ci" "$tmp/small.json" "$tmp/small.rows" "pipe-$r" pipeline
  run pg-pipe+sum /dev/null "$tmp/pg-floor" small "$ingest_ci" "$tmp/small.json" "$tmp/small.rows" "sum-$r" pipeline+sum
  run pg-repeat /dev/null "$tmp/pg-floor" small "$ingest_ci" "$tmp/small.json" "$tmp/small.rows" repeated pipeline+sum
  run sqlite-store /dev/null "$tmp/store-floor" store "$tmp/store.db" "$tmp/small.json" "$tmp/small.rows" "store-$r"
  run ingest "$tmp/small-$r.eml" "$bin" ingest --db "$tmp/ingest.db"
  printf '.' >&2
done
echo >&2
# CPU time, which a shared machine disturbs much less than wall time: of each process (from
# wait4), and of its server process (pg-floor small reads /proc before it disconnects)
pg_server_user env PG_FLOOR_CPU="$tmp/server-cpu" python3 - "$tmp" "$bin" "$ingest_ci" "$rounds" >"$tmp/cpu" <<'PY'
import os, resource, subprocess, sys
tmp, binary, ci, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
small = [tmp + "/small.json", tmp + "/small.rows"]
cases = [("floor", [tmp + "/floor"], tmp + "/seed.eml"),
         ("pg-nothing", [tmp + "/pg-floor", "nothing"], None),
         ("pg-exec", [tmp + "/pg-floor", "small", ci] + small + ["cpu-exec-%d", "exec"], None),
         ("pg-pipe", [tmp + "/pg-floor", "small", ci] + small + ["cpu-pipe-%d", "pipeline"], None),
         ("pg-pipe+sum", [tmp + "/pg-floor", "small", ci] + small + ["cpu-sum-%d", "pipeline+sum"], None),
         ("sqlite-store", [tmp + "/store-floor", "store", tmp + "/store.db"] + small + ["cpu-%d"], None),
         ("ingest", [binary, "ingest", "--db", tmp + "/ingest.db"], tmp + "/small-%d.eml")]
for r in range(1, rounds + 1):
    for name, argv, stdin in cases:
        argv = [a.replace("%d", str(r)) if "%d" in a else a for a in argv]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(stdin.replace("%d", str(r)) if stdin else os.devnull, "rb") as f:
            subprocess.run(argv, stdin=f, stdout=subprocess.DEVNULL, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        ms = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
        server = 0.0
        if name.startswith("pg-") and name != "pg-nothing":
            with open(os.environ["PG_FLOOR_CPU"]) as log:
                server = float(log.read().split()[-1])
        print("%s %.3f %.3f" % (name, ms, server))
PY
rates=$tmp/rates
: >"$rates"
for r in $(seq 1 "$rate_rounds"); do
  for mode in exec pipeline copy pipeline+sum copy+sum; do
    printf '%s ' "$mode" >>"$rates"
    pg_server_user "$tmp/pg-floor" rate "$ingest_ci" "$tmp/small.json" "$tmp/small.rows" "$mode-$r" "$rate_n" "$batch" "$mode" >>"$rates"
  done
  printf 'sqlite ' >>"$rates"
  pg_server_user "$tmp/pg-floor" sqlite-rate "$tmp/rate-$r.db" "$tmp/small.json" "$tmp/small.rows" "r-$r" "$rate_n" "$batch" >>"$rates"
  printf '.' >&2
done
echo >&2
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
check_rows=$(pg_psql tlsrpt_read -c "SELECT count(*) FROM reports WHERE report_id LIKE 'pipeline+sum-%'" -c "SELECT count(*) FROM failures f JOIN policies p ON p.id = f.policy_ref JOIN reports r ON r.id = p.report_ref WHERE r.report_id LIKE 'copy-%'" -c "SELECT deliveries FROM reports WHERE report_id = 'repeated'" -c "SELECT count(*) FROM summary_sessions s JOIN reports r ON r.id = s.report_ref WHERE r.report_id LIKE 'copy+sum-%' AND s.policy_domain = 'example.com' AND (s.sts_successful, s.sts_failed, s.tlsa_failed, s.other_failed) = (12345, 2496530, 0, 0)" \
  -c "SELECT count(*) FROM summary_policy_failures s JOIN policies p ON p.id = s.policy_ref JOIN reports r ON r.id = p.report_ref WHERE r.report_id LIKE 'pipeline+sum-%'" | tr '\n' ' ')

python3 - "$results" "$rates" "$check_rows" "$rate_rounds" "$rate_n" "$rounds" "$tmp/cpu" <<'PY'
import statistics, sys
results, rates, check, rate_rounds, n, rounds = sys.argv[1], sys.argv[2], sys.argv[3].split(), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
cpu = {}
for line in open(sys.argv[7]):
    name, client, server = line.split()
    cpu.setdefault(name, []).append((float(client), float(server)))
want = [str(rate_rounds * n), str(rate_rounds * n * 3), str(1 + rounds), str(rate_rounds * n),
        str(rate_rounds * n * 3)]
if check != want:
    print("CHECK FAILED: rows %s, expected %s" % (check, want))
data = {}
for line in open(results):
    name, wall, rss = line.split()
    data.setdefault(name, []).append(float(wall) * 1000)
med = {k: statistics.median(v) for k, v in data.items()}
low = {k: min(v) for k, v in data.items()}
# per-round ratios cancel the drift of a shared machine between rounds
per_round = {k: statistics.median(v[i] / data["ingest"][i] for i in range(len(v))) for k, v in data.items()}
print("%-14s %9s %9s %9s %11s   (%d rounds; ms of one whole process)"
      % ("case", "median", "min", "x floor", "x ingest/rd", len(data["floor"])))
for k in ("floor", "pg-nothing", "connect", "connect-scram", "pg-exec", "pg-pipe", "pg-pipe+sum", "pg-repeat", "sqlite-store", "ingest"):
    print("%-14s %9.2f %9.2f %9.2f %11.2f" % (k, med[k], low[k], med[k] / med["floor"], per_round[k]))
for name, m in (("medians", med), ("minimums", low)):
    print("%s: libpq's load %.2f ms; a peer connection %.2f ms; SCRAM adds %.2f ms"
          % (name, m["pg-nothing"] - m["floor"], m["connect"] - m["pg-nothing"], m["connect-scram"] - m["connect"]))
    proj = m["ingest"] - m["sqlite-store"] + m["pg-pipe+sum"]
    proj_exec = m["ingest"] - m["sqlite-store"] + m["pg-exec"]
    print("  ingest into PostgreSQL, projected = ingest - sqlite-store + pg-pipe+sum = %.2f ms = %.2fx ingest"
          " (target <= 1.5x); with pg-exec (no summaries) %.2fx" % (proj, proj / m["ingest"], proj_exec / m["ingest"]))
print("%-14s %9s %9s %9s   (CPU ms, medians of %d runs)" % ("cpu", "process", "server", "sum", rounds))
for k in ("floor", "pg-nothing", "pg-exec", "pg-pipe", "pg-pipe+sum", "sqlite-store", "ingest"):
    c = statistics.median(x for x, _ in cpu[k])
    sv = statistics.median(y for _, y in cpu[k])
    print("%-14s %9.2f %9.2f %9.2f" % (k, c, sv, c + sv))
cm = {k: statistics.median(x + y for x, y in v) for k, v in cpu.items()}
proj = cm["ingest"] - cm["sqlite-store"] + cm["pg-pipe+sum"]
print("CPU of an ingest into PostgreSQL, projected = ingest - sqlite-store + pg-pipe+sum = %.2f ms"
      " = %.2fx ingest's" % (proj, proj / cm["ingest"]))
r = {}
for line in open(rates):
    mode, count, secs, per_s, client_us, server_us = line.split()
    r.setdefault(mode, []).append((float(per_s), float(client_us), float(server_us)))
print("%-14s %9s %9s %11s %11s   (%d reports from one process, batches; of %d runs)"
      % ("rate", "median/s", "best/s", "client us/r", "server us/r", n, rate_rounds))
for k in ("exec", "pipeline", "copy", "pipeline+sum", "copy+sum", "sqlite"):
    v = r[k]
    print("%-14s %9.0f %9.0f %11.1f %11.1f" % (k, statistics.median(x[0] for x in v), max(x[0] for x in v),
          statistics.median(x[1] for x in v), statistics.median(x[2] for x in v)))
PY
