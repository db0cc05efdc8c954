#!/bin/sh
# test.sh - install what the tests need, then build and run the whole test suite twice: as built
# for users (build/), and under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/); then
# the reliability suite (tests/reliability.sh: concurrency, crashes, disk full, resources,
# valgrind, fuzzing; with TLSRPTDB_TEST_MTA=1, as .ci/run sets it, also real Postfix, Exim,
# procmail, Dovecot and OpenSMTPD, which changes the machine's mail system, and Apache, nginx
# and lighttpd, which it installs).  RELIABILITY=0
# leaves the reliability suite out.
set -eu
cd "$(dirname "$0")/.."
sh contrib/install-deps.sh tidy zsh mandoc # t-report.sh validates the report page with tidy; the completion and manual page tests use zsh and mandoc
setup () { # setup DIR [MESON OPTION...]
  dir=$1; shift
  if [ -d "$dir" ]; then meson setup --reconfigure "$dir" "$@" >/dev/null; else meson setup "$dir" "$@" >/dev/null; fi
}
setup build
meson compile -C build >/dev/null # all targets: the reliability suite runs some that no meson test needs
meson test -C build --print-errorlogs
setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C build-asan --print-errorlogs
if [ "${RELIABILITY:-1}" = 1 ]; then
  bash tests/reliability.sh build/src/tlsrptdb
fi
