# t-bench.sh - bench/run.sh still works: one untimed-size round of every case, and the checks the
# script makes of its databases pass.  Only that: timings are not a test (doc/performance.md).
. "$SRCDIR/tests/cli/lib.sh"

for tool in cc pkg-config python3; do
  command -v "$tool" >/dev/null || skip_all "no $tool"
done
build_dir=$(dirname "$(dirname "$TLSRPTDB")")

BENCH_ROUNDS=1 BENCH_PREFILL=2 TMPDIR=$TESTTMP bash "$SRCDIR/bench/run.sh" "$build_dir" \
  >"$TESTTMP/bench.out" 2>"$TESTTMP/bench.err"
status=$?
sed 's/^/# /' "$TESTTMP/bench.out"
check "run.sh set up and ran every case (exit 0 or 1, not 2)" [ "$status" -le 1 ]
check "no check of the benchmark's databases failed" \
  sh -c '! grep -q "CHECK FAILED" "$1"' sh "$TESTTMP/bench.out"
for case in floor small duplicate big count store parse; do
  check "a row for $case" grep -q "^$case " "$TESTTMP/bench.out"
done
check "duplicate is set against its stage floor" \
  grep -q "^duplicate's stage alone: count = [0-9.]*x floor" "$TESTTMP/bench.out"
check "big is set against its stage floors" \
  grep -q "^big's stages alone: store + parse - floor = [0-9.]*x floor" "$TESTTMP/bench.out"
check "a verdict" grep -q "^RESULT: \(PASS\|FAIL\)$" "$TESTTMP/bench.out"
check "its temp directory is gone" sh -c '! ls -d "$1"/tlsrptdb-bench.* 2>/dev/null' sh "$TESTTMP"
if [ "$status" -gt 1 ]; then
  sed 's/^/# stderr: /' "$TESTTMP/bench.err"
fi
done_testing
