#!/bin/sh
# quickstart.sh - install the build dependencies, build tlsrptdb into build/, ingest the bundled
# samples/ into the default database and show what was stored.  Safe to run again.
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
echo "Stored reports (sqlite3 $db):"
sqlite3 -column -header "$db" "
  SELECT r.report_day AS day, r.organization_name AS reporter, p.policy_domain AS domain,
         p.policy_type AS type, p.total_successful_session_count AS ok,
         p.total_failure_session_count AS failed, r.deliveries
  FROM reports r JOIN policies p ON p.report_ref = r.id
  ORDER BY r.report_day, r.id, p.policy_index"
