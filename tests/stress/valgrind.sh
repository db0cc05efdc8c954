#!/bin/bash
# valgrind.sh [TLSRPTDB] - ingest under valgrind memcheck: zero errors, zero definite leaks
#
# Every sample (stored, then again as a duplicate), every file of tests/corpus (CORPUS=0 leaves
# those out), --reject on a non-report, and a database that cannot be created (exit 75).
# One-time allocations of GLib, GMime and SQLite that are still reachable at exit are not
# errors; "definitely lost" blocks are.  Use the plain build (not ASan).
. "$(dirname "$0")/lib.sh"

if ! command -v valgrind >/dev/null; then
  if [ "$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null 2>&1; fi
  command -v valgrind >/dev/null || skip_all "no valgrind (apt-get install valgrind)"
fi
runs=0
# vg DESC WANT_STATUS FILE [OPTION...] : ingest FILE under memcheck (status 99 = memcheck errors)
vg () {
  local desc=$1 want=$2 file=$3 s
  shift 3
  runs=$((runs + 1))
  G_SLICE=always-malloc G_DEBUG=gc-friendly valgrind -q --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --error-exitcode=99 --log-file="$TESTTMP/vg.log" \
    "$TLSRPTDB" ingest --db "$db" "$@" <"$file" >/dev/null 2>"$TESTTMP/vg.err"
  s=$?
  if [ "$s" = "$want" ] && [ ! -s "$TESTTMP/vg.log" ]; then pass "$desc"
  else fail "$desc (exit $s, want $want)"; head -30 "$TESTTMP/vg.log" | sed 's/^/#   /'; fi
}

db=$(newdb)
for f in "$SAMPLES"/*.eml; do vg "sample ${f##*/}" 0 "$f"; done
for f in "$SAMPLES"/*.eml; do vg "sample ${f##*/} again (duplicate)" 0 "$f"; done
if [ "${CORPUS:-1}" = 1 ]; then
  for f in "$SRCDIR"/tests/corpus/*; do
    case ${f##*/} in LIST | *.py) continue ;; esac
    db=$(newdb)
    vg "corpus ${f##*/}" 0 "$f"
  done
fi
db=$(newdb)
vg "non-report with --reject" 65 "$SRCDIR/tests/corpus/n_plain_text_mail.eml" --reject
touch "$TESTTMP/file"
db=$TESTTMP/file/sub/reports.db
vg "database cannot be created (deferred)" 75 "$SAMPLES/google.eml"
echo "# figures: valgrind_runs=$runs"
done_testing
