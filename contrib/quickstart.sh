#!/bin/sh
# quickstart.sh [TLSRPTDB DB] - install the build dependencies, build tlsrptdb into build/, ingest
# the bundled samples/ into a database of their own (build/quickstart/reports.db, made anew),
# show what was stored, and write report.html beside it (the page of `tlsrptdb report`).  The
# samples are invented: they never go into the database the commands use by default, which is
# where a real set-up's reports belong.  Safe to run again.  With a binary and a database path
# given, it only ingests and shows (the tests use that).
set -eu
cd "$(dirname "$0")/.."
if [ $# -ge 2 ]; then
  tlsrptdb=$1 db=$2
else
  sh contrib/install-deps.sh
  [ -d build ] || meson setup build >/dev/null
  meson compile -C build >/dev/null
  tlsrptdb=./build/src/tlsrptdb db=$(pwd)/build/quickstart/reports.db
fi
rm -f "$db" "$db-wal" "$db-shm"
echo "Ingesting samples/*.eml into a database of their own, $db"
for f in samples/*.eml; do
  printf '  %-34s ' "$(basename "$f")"
  "$tlsrptdb" ingest --db "$db" --verbose <"$f"
done
echo
"$tlsrptdb" query reports --db "$db"
echo
# the samples are dated November 2026, so go back that far (summary's default is the last 30 days)
"$tlsrptdb" query summary --db "$db" --since 2026-11-01
echo
# the page of the same days, to open in a browser
"$tlsrptdb" report --db "$db" --since 2026-11-15 --until 2026-11-25 --output "$(dirname "$db")/report.html"
echo "Wrote $(dirname "$db")/report.html: open it in a browser (tlsrptdb-report(1))"
echo
echo "The samples are in $db; look further with --db:"
echo "  $tlsrptdb query failures --db $db --since 2026-11-01"
echo "Real reports go to the database your MTA set-up names in /etc/tlsrptdb.conf"
echo "(contrib/README.md); \"tlsrptdb config\" shows which database the commands use."
