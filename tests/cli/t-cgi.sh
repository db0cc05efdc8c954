# t-cgi.sh - tlsrptdb as a CGI program (tlsrptdb cgi, and plain tlsrptdb under GATEWAY_INTERFACE):
# the binary run with the CGI variables a web server sets and the body on stdin; every status,
# dedup across mail and HTTPS, hostile variables, bodies too large, chunked, Content-Encoding,
# arguments ignored.  The real web servers: tests/https.
# shellcheck shell=bash source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# cgi FILE [VAR=VALUE...] [-- ARG...] : run the program as a web server runs it for a POST of
# FILE (CONTENT_LENGTH its size, REMOTE_ADDR 192.0.2.1, the database $db; VAR=VALUE overrides),
# with ARGs after the program's name; sets $code (the status of the Status line, or "none"),
# $hdrs (the header lines), $resp (the body), $err (stderr), $first (the first line)
cgi () {
  _f=$1
  shift
  _vars=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do _vars+=("$1"); shift; done
  [ "${1:-}" != -- ] || shift
  env GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST CONTENT_LENGTH="$(wc -c <"$_f")" \
    REMOTE_ADDR=192.0.2.1 SCRIPT_NAME=/tlsrpt TLSRPTDB_DB="$db" "${_vars[@]}" \
    "$TLSRPTDB" "$@" <"$_f" >"$TESTTMP/resp" 2>"$TESTTMP/err"
  parse_answer
}
# parse_answer : $code, $hdrs, $resp, $err and $first of the answer in $TESTTMP/resp
parse_answer () {
  first=$(head -1 "$TESTTMP/resp" | tr -d '\r')
  code=$(printf '%s\n' "$first" | sed -n 's/^Status: \([0-9][0-9][0-9]\) .*/\1/p')
  [ -n "$code" ] || code=none
  hdrs=$(tr -d '\r' <"$TESTTMP/resp" | sed '/^$/q')
  resp=$(tr -d '\r' <"$TESTTMP/resp" | sed '1,/^$/d')
  err=$(cat "$TESTTMP/err")
}
# header NAME : the value of header NAME in the last answer
header () { printf '%s\n' "$hdrs" | sed -n "s/^$1: //p"; }
# no_path DESC : the body of the last answer names no path and no message of ours
no_path () {
  case $resp in */* | *"$TESTTMP"* | *sqlite* | *.db*) fail "$1: body names nothing of ours ($resp)" ;;
    *) pass "$1: body names nothing of ours" ;; esac
}

db=$(newdb)
report_json cgi-1 >"$TESTTMP/r1.json"
gzip -c "$TESTTMP/r1.json" >"$TESTTMP/r1.gz"

# --- stored, duplicate -------------------------------------------------------------------------
cgi "$TESTTMP/r1.gz" CONTENT_TYPE=application/tlsrpt+gzip HTTP_USER_AGENT=Sender/1.0
is "gzip report: 201, a short text body" "$code|$resp|$(header Content-Type)" "201|stored|text/plain; charset=utf-8"
is "the Status line comes first" "$first" "Status: 201 Created"
is "stored: how it came, from where" \
  "$(sql "$db" "SELECT received_via, client_address, deliveries, message_id IS NULL FROM reports")" "https|192.0.2.1|1|1"
cgi "$TESTTMP/r1.json" CONTENT_TYPE=application/tlsrpt+json
is "the same report as JSON: 200 (duplicate)" "$code|$resp" "200|duplicate: this report was stored before"
is "... one row, two deliveries" "$(sql "$db" "SELECT count(*), sum(deliveries) FROM reports")" "1|2"
is "exit status 0 once answered" "$(env GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST TLSRPTDB_DB="$db" "$TLSRPTDB" <"$TESTTMP/r1.json" >/dev/null 2>&1; echo $?)" 0

# the media type does not matter: the content decides; Content-Encoding: gzip is undone
n=0
for ct in application/octet-stream application/gzip text/plain ''; do
  n=$((n + 1))
  report_json "cgi-type-$n" | gzip -c >"$TESTTMP/t.gz"
  cgi "$TESTTMP/t.gz" CONTENT_TYPE="$ct"
  is "gzip as '${ct:-no media type}': 201" "$code" 201
done
report_json cgi-enc >"$TESTTMP/enc.json"
gzip -c "$TESTTMP/enc.json" >"$TESTTMP/enc.gz"
cgi "$TESTTMP/enc.gz" CONTENT_TYPE=application/tlsrpt+json HTTP_CONTENT_ENCODING=gzip
is "JSON with Content-Encoding: gzip: 201" "$code" 201
report_json cgi-enc2 | gzip -c | gzip -c >"$TESTTMP/enc2.gz"
cgi "$TESTTMP/enc2.gz" CONTENT_TYPE=application/tlsrpt+gzip HTTP_CONTENT_ENCODING=gzip
is "gzip report with Content-Encoding: gzip as well: 201" "$code" 201
report_json cgi-br >"$TESTTMP/br.json"
cgi "$TESTTMP/br.json" HTTP_CONTENT_ENCODING=br
is "Content-Encoding: br: 400, kept with its coding" \
  "$code|$(sql "$db" "SELECT content_encoding, reason LIKE '%Content-Encoding br is not supported%' FROM rejected")" "400|br|1"

# --- across mail and HTTPS: one row, two deliveries, whichever came first ----------------------
report_json cgi-mail-first >"$TESTTMP/mf.json"
mail_gzip cgi-mail-first "$TESTTMP/mf.json" >"$TESTTMP/mf.eml"
ingest "$db" "$TESTTMP/mf.eml"
gzip -c "$TESTTMP/mf.json" >"$TESTTMP/mf.gz"
cgi "$TESTTMP/mf.gz" CONTENT_TYPE=application/tlsrpt+gzip
is "a report that came by mail first: 200" "$code" 200
is "... one row, two deliveries, first by mail" \
  "$(sql "$db" "SELECT count(*), sum(deliveries), received_via FROM reports WHERE report_id = 'cgi-mail-first'")" "1|2|mail"
report_json cgi-https-first >"$TESTTMP/hf.json"
cgi "$TESTTMP/hf.json"
mail_gzip cgi-https-first "$TESTTMP/hf.json" >"$TESTTMP/hf.eml"
ingest "$db" "$TESTTMP/hf.eml" --verbose
is "a report that came over HTTPS first, then by mail: duplicate" "${out%%:*}" "duplicate sender.example cgi-https-first"
is "... one row, two deliveries, first over HTTPS" \
  "$(sql "$db" "SELECT count(*), sum(deliveries), received_via FROM reports WHERE report_id = 'cgi-https-first'")" "1|2|https"

# --- unusable: 400, kept with the request's facts, once ----------------------------------------
printf 'GARBAGE not a report' >"$TESTTMP/junk"
cgi "$TESTTMP/junk" CONTENT_TYPE='application/tlsrpt+json; charset=utf-8' HTTP_USER_AGENT=$'Evil\x1b[31m/1.0'
is "junk: 400" "$code|$resp" "400|not a usable TLS report"
no_path "junk"
is "... kept in rejected with the request's facts, no mail facts" \
  "$(sql "$db" "SELECT received_via, client_address, media_type, user_agent, message_id IS NULL FROM rejected WHERE CAST(raw_message AS TEXT) LIKE 'GARBAGE%'")" \
  'https|192.0.2.1|application/tlsrpt+json; charset=utf-8|Evil\x1b[31m/1.0|1'
cgi "$TESTTMP/junk"
is "junk again: 400, one row, two deliveries" \
  "$code|$(sql "$db" "SELECT count(*), sum(deliveries) FROM rejected WHERE CAST(raw_message AS TEXT) LIKE 'GARBAGE%'")" "400|1|2"
: >"$TESTTMP/empty"
cgi "$TESTTMP/empty"
is "an empty body: 400" "$code" 400
# a mail POSTed: not read as a mail, so its planted Authentication-Results count for nothing
cgi "$SAMPLES/google.eml"
is "a mail message as the body: 400 (a body is the report itself, never a mail)" "$code" 400

# --- not taken: out of scope, 403, kept --------------------------------------------------------
printf '[tlsrptdb]\ndomains = example.org\n' >"$TESTTMP/scope.conf"
report_json cgi-scope >"$TESTTMP/scope.json"
cgi "$TESTTMP/scope.json" TLSRPTDB_CONFIG="$TESTTMP/scope.conf"
is "a report about none of our domains: 403" "$code" 403
is "... kept in rejected with the reason" \
  "$(sql "$db" "SELECT count(*) FROM rejected WHERE reason LIKE 'not our domain%' AND received_via = 'https'")" 1
printf '[tlsrptdb]\ntrusted-authserv-id = mx.example.com\nrequire-dkim = true\n' >"$TESTTMP/dkim.conf"
report_json cgi-dkim >"$TESTTMP/dkim.json"
cgi "$TESTTMP/dkim.json" TLSRPTDB_CONFIG="$TESTTMP/dkim.conf"
is "require-dkim: a report over HTTPS is never authenticated: 403, kept" \
  "$code|$(sql "$db" "SELECT count(*) FROM rejected WHERE reason LIKE 'not authenticated%'")" "403|1"
# reprocess takes it as a request again (never as a mail), and files it as having come over HTTPS
"$TLSRPTDB" reprocess --db "$db" >/dev/null
is "reprocess: the report now in scope is stored, as having come over HTTPS from its client" \
  "$(sql "$db" "SELECT received_via, client_address FROM reports WHERE report_id = 'cgi-scope'")" "https|192.0.2.1"

# --- methods and paths: 405, 404; the database is not touched ------------------------------------
nodb=$TESTTMP/nodb/reports.db
for m in GET HEAD PUT DELETE OPTIONS ''; do
  db=$nodb cgi "$TESTTMP/r1.gz" REQUEST_METHOD="$m"
  is "method '${m:-none}': 405 with Allow: POST" "$code|$(header Allow)" "405|POST"
done
db=$nodb cgi "$TESTTMP/r1.gz" PATH_INFO=/extra
is "POST /tlsrpt/extra: 404" "$code|$resp" "404|no report address here"
check "... the database was neither opened nor created" test ! -e "$TESTTMP/nodb"
# the body is read to its end before the answer (Apache loses the answer otherwise)
head -c 1048576 /dev/zero | env GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET CONTENT_LENGTH=1048576 \
  TLSRPTDB_DB="$nodb" "$TLSRPTDB" >"$TESTTMP/resp" 2>/dev/null
is "GET with a 1 MiB body: the body read to its end, then 405" "${PIPESTATUS[0]} $(head -1 "$TESTTMP/resp" | tr -d '\r')" \
  "0 Status: 405 Method Not Allowed"

# --- sizes: 413 without reading an unbounded body; the client gone: 400, nothing kept ----------
db=$(newdb)
printf '[tlsrptdb]\nmax-message-size = 1K\n' >"$TESTTMP/small.conf"
head -c 2000 /dev/zero | tr '\0' x >"$TESTTMP/2k"
cgi "$TESTTMP/2k" TLSRPTDB_CONFIG="$TESTTMP/small.conf"
is "a body over max-message-size: 413" "$code|$resp" "413|report too large"
check "... not kept, and the database not even created" test ! -e "$db"
cgi "$TESTTMP/2k" TLSRPTDB_CONFIG="$TESTTMP/small.conf" CONTENT_LENGTH=
is "the same, chunked (no CONTENT_LENGTH): 413" "$code" 413
start=$(date +%s)
head -c 100000000 /dev/zero | env GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST CONTENT_LENGTH=1000000000000 \
  TLSRPTDB_DB="$db" "$TLSRPTDB" >"$TESTTMP/resp" 2>"$TESTTMP/err"
parse_answer
is "CONTENT_LENGTH of 1 TB: 413 after reading at most 64 MiB of it" "$code" 413
check "... quickly (under 20 s)" test $(($(date +%s) - start)) -lt 20
report_json cgi-chunked >"$TESTTMP/chunked.json"
cgi "$TESTTMP/chunked.json" CONTENT_LENGTH=
is "chunked (no CONTENT_LENGTH): read to its end, 201" "$code" 201
env -u CONTENT_LENGTH GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST TLSRPTDB_DB="$db" "$TLSRPTDB" \
  <"$TESTTMP/chunked.json" >"$TESTTMP/resp" 2>"$TESTTMP/err"
parse_answer
is "CONTENT_LENGTH unset: the same, 200" "$code" 200
cgi "$TESTTMP/r1.gz" CONTENT_LENGTH=100000
is "a body shorter than CONTENT_LENGTH (the client went away): 400" "$code" 400
is "... nothing stored or kept" "$(sql "$db" "SELECT (SELECT count(*) FROM reports WHERE report_id = 'cgi-1') + (SELECT count(*) FROM rejected)")" 0
for cl in abc -1 +5 ' 5' 99999999999999999999999; do
  cgi "$TESTTMP/r1.gz" CONTENT_LENGTH="$cl"
  is "CONTENT_LENGTH '$cl': 400" "$code" 400
done

# --- hostile variables --------------------------------------------------------------------------
long=$(head -c 5000 /dev/zero | tr '\0' A)
printf 'JUNK with long headers' >"$TESTTMP/junk2"
cgi "$TESTTMP/junk2" HTTP_USER_AGENT="$long" CONTENT_TYPE="$long" REMOTE_ADDR='127.0.0.1; DROP TABLE reports' \
  HTTP_CONTENT_ENCODING=$'gzip\n'
is "hostile variables: 400 all the same" "$code" 400
is "... the user agent and media type cut to 255 bytes, no client address, the coding trimmed" \
  "$(sql "$db" "SELECT length(user_agent) <= 255, length(media_type) <= 255, client_address IS NULL, content_encoding FROM rejected WHERE CAST(raw_message AS TEXT) LIKE 'JUNK%'")" "1|1|1|gzip"
is "... the tables are all there" "$(sql "$db" "SELECT count(*) FROM sqlite_master WHERE name = 'reports'")" 1

# --- faults the administrator can fix: 503 with Retry-After, stored once they are gone -----------
db=$(newdb)
ingest "$db" "$SAMPLES/google.eml"
mkfifo "$TESTTMP/hold"
(sqlite3 "$db" <"$TESTTMP/hold" >/dev/null 2>&1) &
holder=$!
exec 3>"$TESTTMP/hold"
echo "BEGIN IMMEDIATE; INSERT INTO rejected (received_at, reason, raw_message, message_size) VALUES ('x', 'x', x'00', 1);" >&3
sleep 1
report_json cgi-locked >"$TESTTMP/locked.json"
cgi "$TESTTMP/locked.json"
is "database locked past the busy timeout: 503, Retry-After: 300" "$code|$(header Retry-After)" "503|300"
no_path "locked"
case $err in *"https 192.0.2.1: "*"answered 503"*) pass "... the reason on stderr (the web server's error log)" ;;
  *) fail "... the reason on stderr ($err)" ;; esac
echo "ROLLBACK;" >&3
exec 3>&-
wait "$holder"
cgi "$TESTTMP/locked.json"
is "... the sender's retry is stored (201), once" "$code|$(sql "$db" "SELECT count(*) FROM reports WHERE report_id = 'cgi-locked'")" "201|1"
db=$TESTTMP/none.db
printf '[tlsrptdb]\nmax-message-size = lots\n' >"$TESTTMP/bad.conf"
cgi "$TESTTMP/r1.json" TLSRPTDB_CONFIG="$TESTTMP/bad.conf"
is "a broken config file: 503" "$code|$(header Retry-After)" "503|300"
no_path "broken config"
env -u TLSRPTDB_DB GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST CONTENT_LENGTH="$(wc -c <"$TESTTMP/r1.json")" \
  HOME="$TESTTMP/home" "$TLSRPTDB" <"$TESTTMP/r1.json" >"$TESTTMP/resp" 2>"$TESTTMP/err"
parse_answer
is "no database configured: 503, and nothing made in the web server user's home" "$code|$(ls -A "$TESTTMP/home" 2>/dev/null)" "503|"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  db=$TESTTMP/ro/reports.db
  mkdir -p "$TESTTMP/ro" && chmod 0755 "$TESTTMP" "$TESTTMP/ro"
  ingest "$db" "$SAMPLES/google.eml"
  chmod 0644 "$db"* "$TESTTMP/r1.json"
  setpriv --reuid=nobody --regid=nogroup --clear-groups env GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST \
    CONTENT_LENGTH="$(wc -c <"$TESTTMP/r1.json")" TLSRPTDB_DB="$db" "$TLSRPTDB" <"$TESTTMP/r1.json" >"$TESTTMP/resp" 2>"$TESTTMP/err"
  parse_answer
  is "a database the web server's user cannot write: 503" "$code|$(header Retry-After)" "503|300"
  no_path "read-only"
  chmod 0666 "$db"*
  setpriv --reuid=nobody --regid=nogroup --clear-groups env GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST \
    CONTENT_LENGTH="$(wc -c <"$TESTTMP/r1.json")" TLSRPTDB_DB="$db" "$TLSRPTDB" <"$TESTTMP/r1.json" >"$TESTTMP/resp" 2>"$TESTTMP/err"
  parse_answer
  is "... writable: the retry is stored (201)" "$code" 201
fi

# --- arguments are ignored under GATEWAY_INTERFACE (Apache passes a query string as argv) ---------
db=$(newdb)
ingest "$db" "$SAMPLES/google.eml"
before=$(sql "$db" "SELECT count(*) FROM reports")
case $("$TLSRPTDB" prune --db "$db" --older-than 1d --dry-run) in "would remove 1 report"*) pass "prune --older-than 1d would remove the sample's report" ;;
  *) fail "prune --older-than 1d would remove the sample's report" ;; esac
report_json cgi-args >"$TESTTMP/args.json"
cgi "$TESTTMP/args.json" QUERY_STRING=prune+--older-than+1d -- prune --older-than 1d
is "tlsrptdb prune --older-than 1d under GATEWAY_INTERFACE: runs cgi (201), prunes nothing" \
  "$code|$(sql "$db" "SELECT count(*) FROM reports")" "201|$((before + 1))"
for args in "--version" "--help" "help cgi" "ingest --db /nonexistent/x.db" "query summary"; do
  # shellcheck disable=SC2086 # the words are the arguments
  cgi "$TESTTMP/args.json" -- $args
  is "tlsrptdb $args under GATEWAY_INTERFACE: answered as cgi (200)" "$first" "Status: 200 OK"
done
"$TLSRPTDB" help cgi >/dev/null
is "tlsrptdb help cgi (no GATEWAY_INTERFACE): exit 0" "$?" 0
REQUEST_METHOD=POST CONTENT_LENGTH=$(wc -c <"$TESTTMP/args.json") "$TLSRPTDB" cgi --db "$db" <"$TESTTMP/args.json" >"$TESTTMP/resp"
parse_answer
is "tlsrptdb cgi --db run by hand: options taken, answered (200)" "$code" 200

# --- the cap on requests kept in rejected -------------------------------------------------------
db=$(newdb)
printf '[tlsrptdb]\nmax-rejected-requests = 2\n' >"$TESTTMP/cap.conf"
for i in 1 2 3; do
  printf 'JUNK %s' "$i" >"$TESTTMP/j$i"
  cgi "$TESTTMP/j$i" TLSRPTDB_CONFIG="$TESTTMP/cap.conf"
  codes="${codes:-}$code "
done
is "max-rejected-requests 2: three bad requests, all 400" "$codes" "400 400 400 "
is "... two kept" "$(sql "$db" "SELECT count(*) FROM rejected")" 2
ingest "$db" "$TESTTMP/j3"
is "... mail is still kept" "$(sql "$db" "SELECT count(*) FROM rejected")" 3

done_testing
