# real.sh - the checks that need the real program, `tlsrptdb cgi` (sourced after lib.sh)
# shellcheck shell=bash disable=SC2154 # code/body/url/W from lib.sh
#
# Each function takes the server's name; real_checks installs $TLSRPTDB where contrib/ puts the
# program, run with no arguments as the servers run it (plain `tlsrptdb` under GATEWAY_INTERFACE
# is `tlsrptdb cgi`).  The database is $W/db/reports.db in the shared directory (2770, group
# tlsrptdb), named by $W/etc/tlsrptdb.conf, which the server passes as TLSRPTDB_CONFIG.

# db QUERY : read the test database (read-only)
db () { sqlite3 -batch -noheader "file:$W/db/reports.db?mode=ro" "$1" 2>&1; }

# real_setup NAME : $TLSRPTDB is the CGI program; a fresh database in the shared directory, with
# the config's size limit at 1 MiB.  Made by either user, it is 0660 (the directory is
# set-group-ID and group-writable), and each user writes what the other made; one made 0640 (by
# an earlier tlsrptdb) is refused (503) until it is made 0660.
real_setup () {
  use_program "$TLSRPTDB"
  rm -rf "${W:?}/db/"*
  printf '[tlsrptdb]\ndb = %s\nmax-message-size = 1M\n' "$W/db/reports.db" >"$W/etc/tlsrptdb.conf"
  report_json "web-perm-$1" >"$TESTTMP/perm.json"
  post_report "$TESTTMP/perm.json" gzip
  is "$1: the first report, over HTTPS, makes the database: 201" "$code" 201
  is "$1: ... 0660, group tlsrptdb, and so its -wal and -shm" \
    "$(stat -c '%a %U %G' "$W/db/reports.db"* | sort -u | tr '\n' ' ')" "660 www-data tlsrptdb "
  report_json "web-perm1-$1" >"$TESTTMP/perm.json"
  mail_gzip "web-perm1-$1" "$TESTTMP/perm.json" >"$TESTTMP/perm.eml"
  as_user tlsrptdb "$TLSRPTDB" ingest --db "$W/db/reports.db" <"$TESTTMP/perm.eml"
  is "$1: ... and the MTA's user stores mail in it (exit 0)" "$?" 0
  rm -f "$W/db/"*
  as_user tlsrptdb "$TLSRPTDB" import --db "$W/db/reports.db" /dev/null >/dev/null
  is "$1: the database made by the MTA's user: 0660, group tlsrptdb" "$(stat -c '%a %U %G' "$W/db/reports.db")" "660 tlsrptdb tlsrptdb"
  post_report "$TESTTMP/perm.json" gzip
  is "$1: ... the web server's user stores in it (201)" "$code" 201
  chmod 0640 "$W/db/reports.db"*
  report_json "web-perm2-$1" >"$TESTTMP/perm.json"
  post_report "$TESTTMP/perm.json" gzip
  is "$1: a database left 0640 (made by an earlier tlsrptdb): 503, Retry-After" "$code|$(header Retry-After | grep -c .)" "503|1"
  chmod 0660 "$W/db/reports.db"*
  post_report "$TESTTMP/perm.json" gzip
  is "$1: ... made 0660: the retry is stored (201)" "$code" 201
  # the -wal and -shm files made anew by the web server's user: the database's mode, the
  # directory's group, so that the MTA's user can write them too
  sqlite3 "$W/db/reports.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  rm -f "$W/db/reports.db-wal" "$W/db/reports.db-shm"
  report_json "web-perm3-$1" >"$TESTTMP/perm.json"
  post_report "$TESTTMP/perm.json" gzip
  is "$1: -wal and -shm made by the web server: stored, 0660, group tlsrptdb" \
    "$code $(stat -c '%a %U %G' "$W/db/reports.db-wal" "$W/db/reports.db-shm" | sort -u | tr '\n' ' ')" \
    "201 660 www-data tlsrptdb "
  report_json "web-perm4-$1" >"$TESTTMP/perm.json"
  mail_gzip "web-perm4-$1" "$TESTTMP/perm.json" >"$TESTTMP/perm.eml"
  as_user tlsrptdb "$TLSRPTDB" ingest --db "$W/db/reports.db" <"$TESTTMP/perm.eml"
  is "$1: ... and the MTA's user still stores mail (exit 0)" "$?" 0
}

# real_corpus_checks NAME : every report of tests/corpus (y_*) and samples/, as its JSON was
# stored, POSTed as gzip (201, or 200 where an earlier one is the same report) and then as JSON
# (200): the database then holds what a direct ingest of the same JSON holds, each delivered twice
real_corpus_checks () {
  local ref=$TESTTMP/ref-corpus/reports.db json=$TESTTMP/json f out want got bad_gz='' bad_js='' n=0
  rm -rf "$json" "${ref%/*}" && mkdir -p "$json" "${ref%/*}"
  for f in "$SRCDIR"/tests/corpus/y_* "$SAMPLES"/*.eml; do "$TLSRPTDB" ingest --db "$TESTTMP/all.db" <"$f" >/dev/null 2>&1; done
  sqlite3 "$TESTTMP/all.db" "SELECT writefile('$json/' || printf('%04d', id) || '.json', raw_json) FROM reports" >/dev/null
  rm -f "$TESTTMP/all.db"*
  for f in "$json"/*.json; do
    n=$((n + 1))
    out=$("$TLSRPTDB" ingest --verbose --db "$ref" <"$f" 2>&1)
    case $out in stored*) want=201 ;; duplicate*) want=200 ;; *) want="?$out" ;; esac
    post_report "$f" gzip
    [ "$code" = "$want" ] || bad_gz="$bad_gz ${f##*/}:$code/$want"
    post_report "$f" json
    [ "$code" = 200 ] || bad_js="$bad_js ${f##*/}:$code"
  done
  is "$1: $n corpus reports as gzip: stored (201) or duplicate (200) as ingest says" "$bad_gz" ""
  is "$1: the same as JSON: duplicates (200)" "$bad_js" ""
  got=$(db "SELECT reporter_key, report_id, content_sha256 FROM reports WHERE report_id NOT LIKE 'web-%' ORDER BY 1, 2, 3")
  is "$1: the database holds what ingest stores of the same JSON" "$got" \
    "$(sqlite3 "$ref" "SELECT reporter_key, report_id, content_sha256 FROM reports ORDER BY 1, 2, 3")"
  is "$1: each delivered twice as often as a direct ingest counts" \
    "$(db "SELECT report_id, deliveries FROM reports WHERE report_id NOT LIKE 'web-%' ORDER BY 1")" \
    "$(sqlite3 "$ref" "SELECT report_id, 2 * deliveries FROM reports ORDER BY 1")"
}

# real_form_checks NAME : the forms a sender may use: gzip without a media type, as
# application/octet-stream, gzip with Content-Encoding: gzip and application/tlsrpt+json
real_form_checks () {
  local form
  for form in untyped generic encoded; do
    report_json "web-$1-$form" >"$TESTTMP/form.json"
    post_report "$TESTTMP/form.json" $form
    is "$1: a report as $form: stored (201), one row" "$code|$(db "SELECT count(*) FROM reports WHERE report_id = 'web-$1-$form'")" "201|1"
  done
}

# real_repeat_checks NAME : a report that came by mail first (ingest as the MTA's user), then
# over HTTPS: 200, one row, two deliveries; junk: 400 and kept in rejected, once
real_repeat_checks () {
  report_json "web-$1-mail-first" >"$TESTTMP/mf.json"
  mail_gzip "web-$1-mail-first" "$TESTTMP/mf.json" >"$TESTTMP/mf.eml"
  as_user tlsrptdb "$TLSRPTDB" ingest --db "$W/db/reports.db" <"$TESTTMP/mf.eml"
  post_report "$TESTTMP/mf.json" gzip
  is "$1: a report that came by mail first: 200 (duplicate)" "$code" 200
  is "$1: ... one row, two deliveries" "$(db "SELECT count(*), sum(deliveries) FROM reports WHERE report_id = 'web-$1-mail-first'")" "1|2"
  printf 'GARBAGE %s not a report\n' "$1" >"$TESTTMP/junk"
  post "$TESTTMP/junk" -H 'Content-Type: application/tlsrpt+json'
  is "$1: junk: 400, a body that names no path" "$code $(printf '%s' "$body" | grep -c /)" "400 0"
  is "$1: ... kept in rejected" "$(db "SELECT count(*) FROM rejected WHERE CAST(raw_message AS TEXT) LIKE 'GARBAGE $1%'")" 1
  post "$TESTTMP/junk" -H 'Content-Type: application/tlsrpt+json'
  is "$1: junk again: 400, still one row in rejected, two deliveries" \
    "$code|$(db "SELECT count(*), sum(deliveries) FROM rejected WHERE CAST(raw_message AS TEXT) LIKE 'GARBAGE $1%'")" "400|1|2"
}

# real_limit_checks NAME : a body over the program's size limit (1 MiB in the test's config)
# gets 413 from the program, with a Content-Length and chunked
real_limit_checks () {
  bytes 1048577 "$TESTTMP/over"
  post "$TESTTMP/over" -H 'Content-Type: application/tlsrpt+gzip'
  is "$1: 1 MiB + 1 (the program's limit 1 MiB): 413" "$code" 413
  post "$TESTTMP/over" -H 'Content-Type: application/tlsrpt+gzip' -H 'Transfer-Encoding: chunked'
  is "$1: the same, chunked: 413" "$code" 413
}

# real_fault_checks NAME : a database locked past the busy timeout, then read-only: 503 with
# Retry-After, and stored by the sender's next try once the fault is gone
real_fault_checks () {
  local holder
  report_json "web-$1-locked" >"$TESTTMP/locked.json"
  { echo 'BEGIN IMMEDIATE;'; sleep 14; echo 'COMMIT;'; } | sqlite3 "$W/db/reports.db" &
  holder=$!
  sleep 0.5
  post_report "$TESTTMP/locked.json" gzip
  is "$1: database locked: 503 with Retry-After" "$code|$(header Retry-After | grep -c '^[0-9]')" "503|1"
  wait "$holder"
  post_report "$TESTTMP/locked.json" gzip
  is "$1: ... once the lock is gone, the retry is stored (201), once" \
    "$code|$(db "SELECT count(*), sum(deliveries) FROM reports WHERE report_id = 'web-$1-locked'")" "201|1|1"

  report_json "web-$1-readonly" >"$TESTTMP/ro.json"
  chmod 0440 "$W/db/reports.db"*
  post_report "$TESTTMP/ro.json" gzip
  is "$1: database read-only: 503 with Retry-After" "$code|$(header Retry-After | grep -c '^[0-9]')" "503|1"
  echo "# $1: the answer: $code $(header Retry-After | sed 's/^/Retry-After: /') $(echo "$body" | head -1)"
  is "$1: ... its body names no path" "$(printf '%s' "$body" | grep -c /)" 0
  chmod 0660 "$W/db/reports.db"*
  post_report "$TESTTMP/ro.json" gzip
  is "$1: ... writable again: the retry is stored (201), once" \
    "$code|$(db "SELECT count(*), sum(deliveries) FROM reports WHERE report_id = 'web-$1-readonly'")" "201|1|1"
}

# real_concurrent_checks NAME : 32 POSTs at once, 16 reports each sent twice: 16 stored, 16
# duplicates, each report once with two deliveries
real_concurrent_checks () {
  local i pids=()
  for i in $(seq 16); do report_json "web-$1-conc-$i" | gzip -c >"$TESTTMP/conc-$i.gz"; done
  for i in $(seq 32); do
    curl -sS --cacert "$CERT" -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/tlsrpt+gzip' \
      --data-binary @"$TESTTMP/conc-$(((i - 1) % 16 + 1)).gz" "$url" >"$TESTTMP/conc.$i" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}"
  is "$1: 32 POSTs at once (16 reports twice): 16 stored, 16 duplicates" \
    "$(cat "$TESTTMP"/conc.* | sort | uniq -c | awk '{ printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1 }')" "200 x16, 201 x16"
  rm -f "$TESTTMP"/conc.*
  is "$1: ... each report once, with two deliveries" \
    "$(db "SELECT count(*), sum(deliveries), max(deliveries) FROM reports WHERE report_id LIKE 'web-$1-conc-%'")" "16|32|2"
}

# real_method_checks NAME : what reaches the program that is not a POST to it: under Apache a
# path below the address runs it (PATH_INFO), and it answers 404 after reading the body; other
# methods are refused by the server, and the program's own 405 is in t-cgi.sh
real_method_checks () {
  report_json "web-$1-path" >"$TESTTMP/path.json"
  url="${url}/extra" post_report "$TESTTMP/path.json" gzip
  is "$1: POST /tlsrpt/extra: 404 from the program, nothing stored" \
    "$code|$body|$(db "SELECT count(*) FROM reports WHERE report_id = 'web-$1-path'")" "404|no report address here|0"
  bytes 1048576 "$TESTTMP/1m"
  url="${url}/extra" post "$TESTTMP/1m"
  is "$1: ... with a body of 1 MiB too: the program reads it first, so the 404 reaches the sender" "$code" 404
}

# real_checks NAME [WHICH...] : all of the above (or the functions named) with the real program,
# then the database's integrity check
real_checks () {
  local name=$1 f which
  shift
  which=("$@")
  [ $# -gt 0 ] || which=(corpus form repeat limit fault concurrent)
  if ! "$TLSRPTDB" help cgi >/dev/null 2>&1; then
    fail "$name: $TLSRPTDB has the command cgi"
    return
  fi
  real_setup "$name"
  for f in "${which[@]}"; do "real_${f}_checks" "$name"; done
  is "$name: integrity_check" "$(db "PRAGMA integrity_check")" ok
  use_program "$HTTPS_DIR/fake-cgi.sh"
}
