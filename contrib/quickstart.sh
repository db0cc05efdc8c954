#!/bin/sh
# quickstart.sh - install the build dependencies, build tlsrptdb into build/, ingest the bundled
# samples/ into the default database, show what was stored, and write report.html (the page of
# `tlsrptdb report`) for them.  Safe to run again.
set -eu
cd "$(dirname "$0")/.."
sh contrib/install-deps.sh
[ -d build ] || meson setup build >/dev/null
meson compile -C build >/dev/null
db=${TLSRPTDB_DB:-${XDG_DATA_HOME:-$HOME/.local/share}/tlsrptdb/reports.db}
echo "Ingesting samples/*.eml into $db"
for f in samples/*.eml; do
  printf '  %-34s ' "$(basename "$f")"
  ./build/src/tlsrptdb ingest --verbose <"$f"
done
echo
./build/src/tlsrptdb query reports
echo
# the samples are dated November 2026, so go back that far (summary's default is the last 30 days)
./build/src/tlsrptdb query summary --since 2026-11-01
echo
# the page of the same days, to open in a browser
./build/src/tlsrptdb report --since 2026-11-15 --until 2026-11-25 --output report.html
echo "Wrote $(pwd)/report.html: open it in a browser (tlsrptdb report, tlsrptdb-report(1))"
