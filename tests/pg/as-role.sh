#!/bin/bash
# as-role.sh ARG... - run tlsrptdb ($TLSRPTDB_BIN) with ARG... against the private server of
# tests/pg/backend.sh ($PG_DIR, $PG_PORT), as its OS user ($PG_USER), logged in as the role
# that its command needs (tests/pg/README.md, "Roles and privileges"); $TLSRPTDB_PG_ROLE names
# another.  The binary replaces this script (setpriv, not runuser, which would stay as its
# parent): a signal the test sends to this pid reaches tlsrptdb itself.  The exit status is
# tlsrptdb's.
set -u
case ${1:-} in
  ingest | import) role=tlsrpt_ingest ;;
  prune | reprocess) role=tlsrpt_maint ;;
  upgrade | copy) role=tlsrpt_owner ;;
  *) role=tlsrpt_read ;;
esac
role=${TLSRPTDB_PG_ROLE:-$role}
run=()
if [ "$(id -u)" = 0 ] && [ "$PG_USER" != root ]; then
  run=(setpriv --reuid="$PG_USER" --regid="$PG_USER" --init-groups)
fi
exec "${run[@]}" env PGHOST="$PG_DIR/sock" PGPORT="$PG_PORT" PGUSER="$role" \
  PGPASSFILE="${PG_PASSFILE:-/nonexistent}" "$TLSRPTDB_BIN" "$@"
