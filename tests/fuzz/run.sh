#!/bin/bash
# run.sh [SECONDS] - build the libFuzzer harnesses (if needed) and run each for SECONDS (default
# 60) on a fresh copy of the seed corpus: samples/*.eml, tests/corpus/*, and the report parts of
# the samples.  Prints the executions of each; exits 1 on a crash, leak, timeout or OOM (the
# input is kept in $FUZZ_OUT, default build-fuzz/findings), 77 when clang cannot be had.
#
# Environment: FUZZ_BUILD (default <repo>/build-fuzz), FUZZ_OUT, FUZZ_TARGETS ("fuzz-mail
# fuzz-decode fuzz-trust fuzz-dedup").  A finding of fuzz-mail or fuzz-decode becomes a regression
# input: tests/corpus/i_fuzz_<name> with a LIST line; one of fuzz-trust, a case in
# tests/unit/test-trust.c; one of fuzz-dedup, a case in tests/unit/test-store.c.
# fuzz-trust starts from its own seeds (tests/fuzz/seeds-trust/: lines, not messages);
# fuzz-dedup from pairs of the samples' reports (two reports and Authentication-Results lines,
# separated by NUL bytes), made here.
set -u
seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD:-$repo/build-fuzz}
out=${FUZZ_OUT:-$build/findings}
targets=${FUZZ_TARGETS:-fuzz-mail fuzz-decode fuzz-trust fuzz-dedup}

# clang and its fuzzer runtime (Debian 12: clang 14)
if ! command -v clang >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "run.sh: installing clang" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang libclang-rt-dev >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev >/dev/null 2>&1; }
  fi
  command -v clang >/dev/null || { echo "run.sh: SKIP: no clang"; exit 77; }
fi

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$repo" -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false \
    >"$build.setup.log" 2>&1 || { cat "$build.setup.log"; echo "run.sh: meson setup failed"; exit 1; }
fi
# shellcheck disable=SC2046
meson compile -C "$build" $(for t in $targets; do printf 'tests/fuzz/%s ' "$t"; done) >"$build/fuzz-compile.log" 2>&1 \
  || { tail -30 "$build/fuzz-compile.log"; echo "run.sh: build failed"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tlsrptdb-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/seeds" "$out"
cp "$repo"/samples/*.eml "$work/seeds/"
for f in "$repo"/tests/corpus/*; do
  case ${f##*/} in LIST | *.py) ;; *) cp "$f" "$work/seeds/" ;; esac
done
# the report parts of the samples, transfer-decoded, as the decoder gets them
if command -v python3 >/dev/null; then
  python3 - "$work/seeds" "$repo"/samples/*.eml <<'PY'
import email, sys
out = sys.argv[1]
for path in sys.argv[2:]:
    msg = email.message_from_binary_file(open(path, "rb"))
    for i, part in enumerate(msg.walk()):
        if part.get_content_maintype() == "application":
            data = part.get_payload(decode=True)
            if data:
                open("%s/part-%s-%d" % (out, path.rsplit("/", 1)[-1], i), "wb").write(data)
PY
  # fuzz-dedup: each sample report with itself, with another, and with a copy of other content
  mkdir -p "$work/seeds-dedup"
  python3 - "$work/seeds-dedup" "$work"/seeds/part-* <<'PY'
import gzip, sys
out, parts = sys.argv[1], sys.argv[2:]
ar = b"\0mx.our.example; dkim=pass header.d=google.example\nmx.our.example; dkim=pass header.d=evil.example"
reports = []
for p in parts:
    data = open(p, "rb").read()
    reports.append(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
for i, r in enumerate(reports):
    other = reports[(i + 1) % len(reports)]
    changed = r.replace(b"1", b"2", 1)
    for j, pair in enumerate((r + b"\0" + r, r + b"\0" + other, r + b"\0" + changed + ar)):
        open("%s/pair-%d-%d" % (out, i, j), "wb").write(pair)
PY
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$repo/tests/lsan.supp:print_suppressions=0}
failed=0
total=0
for t in $targets; do
  mkdir -p "$work/corpus-$t"
  case $t in
    fuzz-trust) cp "$here"/seeds-trust/* "$work/corpus-$t/" ;;
    fuzz-dedup) cp "$work"/seeds-dedup/* "$work/corpus-$t/" ;;
    *) cp "$work"/seeds/* "$work/corpus-$t/" ;;
  esac
  "$build/tests/fuzz/$t" "$work/corpus-$t" -dict="$here/tlsrpt.dict" -max_total_time="$seconds" \
    -max_len=262144 -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 \
    -artifact_prefix="$out/$t-" >"$work/$t.log" 2>&1
  status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -1)
  peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "$work/$t.log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$work/$t.log" | tail -1)
  total=$((total + ${execs:-0}))
  if [ "$status" -ne 0 ]; then
    failed=$((failed + 1))
    grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$work/$t.log" | head -20
    echo "FAIL $t: exit $status after ${execs:-?} executions (${cov:-?}); input kept in $out/"
  else
    echo "ok $t: ${execs:-?} executions in ${seconds} s, ${cov:-?}, peak RSS ${peak:-?} MB"
  fi
done
echo "fuzz: $total executions: $(($(echo "$targets" | wc -w) - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
