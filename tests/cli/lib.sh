# lib.sh - TAP helpers for the CLI tests (sourced; needs TLSRPTDB, SRCDIR and TESTTMP)
#
# The backend is a parameter: TLSRPTDB_TEST_BACKEND=postgresql (the meson tests *-pg) runs the same
# test body against a private PostgreSQL server (tests/pg/backend.sh redefines newdb and sql, and
# points $TLSRPTDB at a wrapper that logs in as the command's role); what only SQLite has (a file,
# PRAGMAs, its WAL) is checked under "if on_sqlite".
set -u
: "${TLSRPTDB:?TLSRPTDB is the binary under test}" "${SRCDIR:?}" "${TESTTMP:?}"
SAMPLES=$SRCDIR/samples
_n=0
_failed=0

skip_all () { echo "1..0 # SKIP $*"; exit 0; }
pass () { _n=$((_n + 1)); echo "ok $_n - $*"; }
fail () { _n=$((_n + 1)); _failed=$((_failed + 1)); echo "not ok $_n - $*"; }
# is DESC GOT WANT
is () {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1"; echo "#   got:  '$2'"; echo "#   want: '$3'"; fi
}
# check DESC CMD... : passes when CMD exits 0
check () { _d=$1; shift; if "$@"; then pass "$_d"; else fail "$_d"; fi; }
# sql DB QUERY : one value per line, columns separated by |
sql () { sqlite3 -batch -noheader "$1" "$2"; }
# newdb : a fresh database path
newdb () { echo "$(mktemp -d "$TESTTMP/db.XXXXXX")/reports.db"; }
# ingest DB FILE [OPTION...] : run ingest, set $status, $out and $err
ingest () {
  _db=$1 _file=$2; shift 2
  "$TLSRPTDB" ingest --db "$_db" "$@" <"$_file" >"$TESTTMP/out" 2>"$TESTTMP/err"
  status=$?
  out=$(cat "$TESTTMP/out") err=$(cat "$TESTTMP/err")
}
# counts DB : "reports policies failures rejected"
counts () {
  sql "$1" "SELECT (SELECT count(*) FROM reports) || ' ' || (SELECT count(*) FROM policies)
    || ' ' || (SELECT count(*) FROM failures) || ' ' || (SELECT count(*) FROM rejected)"
}
BACKEND=${TLSRPTDB_TEST_BACKEND:-sqlite}
on_sqlite () { [ "$BACKEND" = sqlite ]; }
on_pg () { [ "$BACKEND" = postgresql ]; }
# sql_bytes EXPR : SQL for the length in bytes of the text EXPR
sql_bytes () { if on_sqlite; then echo "length(CAST($1 AS BLOB))"; else echo "octet_length($1)"; fi; }
# sql_file FILE : SQL for the bytes of FILE
sql_file () {
  if on_sqlite; then echo "readfile('$1')"
  else echo "decode('$(od -An -v -tx1 "$1" | tr -d ' \n')', 'hex')"; fi
}
# outdir NAME : a new directory for the files a command writes (--output); the binary runs as
# another OS user on PostgreSQL (tests/pg/as-role.sh), so there it is writable by all
outdir () {
  mkdir -p "$TESTTMP/$1" && { on_sqlite || chmod 0777 "$TESTTMP/$1"; } && echo "$TESTTMP/$1"
}
# copydb DB : a new database with DB's rows
copydb () { _to=$(newdb) && sqlite3 "$1" ".backup '$_to'" && echo "$_to"; }
# schema_version DB : the database's schema version
schema_version () { sql "$1" "PRAGMA user_version"; }
# claim_schema DB N : make DB say it has schema version N (as a newer tlsrptdb would)
claim_schema () { sql "$1" "PRAGMA user_version = $2"; }
if on_pg; then
  # shellcheck source=../pg/backend.sh
  . "$SRCDIR/tests/pg/backend.sh"
fi
done_testing () {
  echo "1..$_n"
  echo "# $_n tests, $_failed failed"
  [ "$_failed" -eq 0 ]
}
# report_json ID [CONTACT] : a small valid report as bare JSON (ingest accepts it without a mail)
report_json () {
  printf '{"organization-name":"Example Sender","date-range":{"start-datetime":"2026-11-20T00:00:00Z","end-datetime":"2026-11-20T23:59:59Z"},"contact-info":"%s","report-id":"%s","policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: enforce","mx: mx.example.com","max_age: 86400"],"policy-domain":"example.com","mx-host":["mx.example.com"]},"summary":{"total-successful-session-count":5,"total-failure-session-count":1},"failure-details":[{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"mx.example.com","failed-session-count":1}]}]}\n' \
    "${2:-tlsrpt@sender.example}" "$1"
}

# mail_gzip ID JSONFILE : a report email (multipart/report, application/tlsrpt+gzip, base64) on stdout
mail_gzip () {
  printf 'From: noreply-tlsrpt@sender.example\nTo: tls-reports@example.com\nSubject: Report Domain: example.com Submitter: sender.example Report-ID: <%s>\nMessage-ID: <%s@sender.example>\nDate: Fri, 20 Nov 2026 01:00:00 +0000\nTLS-Report-Domain: example.com\nTLS-Report-Submitter: sender.example\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type="tlsrpt"; boundary="b-%s"\n\n--b-%s\nContent-Type: text/plain; charset=utf-8\n\nThis is an aggregate TLS report from sender.example.\n\n--b-%s\nContent-Type: application/tlsrpt+gzip; name="sender.example!example.com!1795132800!1795219199!%s.json.gz"\nContent-Disposition: attachment; filename="sender.example!example.com!1795132800!1795219199!%s.json.gz"\nContent-Transfer-Encoding: base64\n\n' \
    "$1" "$1" "$1" "$1" "$1" "$1" "$1"
  gzip -c <"$2" | base64
  printf '\n--b-%s--\n' "$1"
}
