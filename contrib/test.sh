#!/bin/sh
# test.sh - install what the tests need, then build and run the whole test suite twice: as built
# for users (build/), and under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/).
set -eu
cd "$(dirname "$0")/.."
sh contrib/install-deps.sh
setup () { # setup DIR [MESON OPTION...]
  dir=$1; shift
  if [ -d "$dir" ]; then meson setup --reconfigure "$dir" "$@" >/dev/null; else meson setup "$dir" "$@" >/dev/null; fi
}
setup build
meson test -C build --print-errorlogs
setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C build-asan --print-errorlogs
