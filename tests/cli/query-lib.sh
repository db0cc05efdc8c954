# query-lib.sh - helpers for t-query.sh, t-show.sh and t-explain.sh (sourced after lib.sh)
EXPECTED=$SRCDIR/tests/expected
# golden NAME CMD... : run CMD (stdout only), compare with tests/expected/NAME using diff -u;
# TLSRPTDB_UPDATE_GOLDEN=1 writes the file instead
golden () {
  _name=$1; shift
  "$@" >"$TESTTMP/golden.out" 2>"$TESTTMP/golden.err"
  _rc=$?
  if [ -n "${TLSRPTDB_UPDATE_GOLDEN:-}" ]; then cp "$TESTTMP/golden.out" "$EXPECTED/$_name"; fi
  if [ "$_rc" -ne 0 ]; then fail "$_name: exit $_rc ($(cat "$TESTTMP/golden.err"))"; return; fi
  if diff -u "$EXPECTED/$_name" "$TESTTMP/golden.out" >"$TESTTMP/golden.diff"; then pass "$_name"
  else fail "$_name"; sed 's/^/# /' "$TESTTMP/golden.diff" | head -40; fi
}
# q ARGS... : tlsrptdb with ARGS; sets $status, $out, $err
q () {
  "$TLSRPTDB" "$@" >"$TESTTMP/q.out" 2>"$TESTTMP/q.err"
  status=$?
  out=$(cat "$TESTTMP/q.out") err=$(cat "$TESTTMP/q.err")
}
HAVE_PYTHON=; if command -v python3 >/dev/null 2>&1; then HAVE_PYTHON=1; fi
# json_ok FILE : FILE holds one JSON document (python3, else jq; skipped without both)
json_ok () {
  if [ -n "$HAVE_PYTHON" ]; then python3 -m json.tool "$1" >/dev/null 2>&1
  elif command -v jq >/dev/null 2>&1; then jq . "$1" >/dev/null 2>&1
  else return 0; fi
}
# csv_rows FILE : "rows x columns" as Python's csv module reads FILE (empty without python3)
csv_rows () {
  [ -n "$HAVE_PYTHON" ] || return 0
  python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
print("%d x %s" % (len(rows), ",".join(sorted(set(str(len(r)) for r in rows)))))' "$1"
}
