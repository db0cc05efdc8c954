#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# apache.sh [TLSRPTDB] - reports over HTTPS through a real Apache 2.4 (mod_cgid, mod_ssl) on
# 127.0.0.1 (installs it with apt)
#
# Debian's Apache configuration with contrib/apache/tlsrptdb.conf as the site, TLS with a
# self-signed certificate.  First the harness, proven with the stand-in program fake-cgi.sh:
# TLS, who runs the program with what, other methods and paths, the body limit, chunked
# bodies, what the program's answers become, a client gone mid-body, the script timeout, 32
# POSTs at once.  Then the checks of the real program (real.sh), TLSRPTDB run as the servers run
# it (plain `tlsrptdb`, which is `tlsrptdb cgi` under GATEWAY_INTERFACE): all of them.  Needs root; changes the machine (a CI machine): installs
# apache2 and curl, adds the user tlsrptdb and www-data to its group; starts its own Apache
# from a copy of /etc/apache2 and stops it at the end.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=../mta/common.sh
. "$(dirname "$0")/../mta/common.sh"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=real.sh
. "$(dirname "$0")/real.sh"

web_gate
web_install apache2
web_setup
apache_start
check "apache started" test -s "$W/apache/run/apache2.pid"
echo "# $(apache2 -v | head -1)"

check_tls apache
report_json web-facts >"$TESTTMP/r.json"
post_report "$TESTTMP/r.json" encoded
is "apache: stored by the stand-in" "$code|$body" "201|stored"
env_facts apache
is "apache: runs the program as www-data, with the groups of www-data" "$(ran | sed -n 's/^uid=//p')" \
  "www-data gid=www-data groups=www-data,tlsrptdb"
is "apache: the CGI variables" \
  "$(for v in GATEWAY_INTERFACE REQUEST_METHOD CONTENT_LENGTH CONTENT_TYPE HTTP_CONTENT_ENCODING REMOTE_ADDR SCRIPT_NAME HTTPS TLSRPTDB_CONFIG; do printf '%s=%s ' $v "$(ran_env $v)"; done)" \
  "GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST CONTENT_LENGTH=$(wc -c <"$TESTTMP/report.gz") CONTENT_TYPE=application/tlsrpt+json HTTP_CONTENT_ENCODING=gzip REMOTE_ADDR=127.0.0.1 SCRIPT_NAME=/tlsrpt HTTPS=on TLSRPTDB_CONFIG=$W/etc/tlsrptdb.conf "
is "apache: no PATH_INFO, no HOME" "$(ran_env PATH_INFO)|$(ran_env HOME)" "|"
is "apache: the body arrives as sent (Content-Encoding: gzip is not undone)" \
  "$(cmp "$(grep -lx "HTTP_X_TEST_ID=$reqno" "$W/fake/"*.env | sed 's/env$/body/')" "$TESTTMP/report.gz" && echo same)" same

url="${url}/extra" post "$TESTTMP/r.json"
is "apache: POST /tlsrpt/extra runs the program with PATH_INFO=/extra (the stand-in: 404)" "$(ran_env PATH_INFO)|$code" "/extra|404"
# a program that answers without reading the body: Apache fails to write the body to it
# (AH02651 Broken pipe) and the sender gets no status at all (with a small body: a 404 cut
# short, or nothing, by chance)
bytes 1048576 "$TESTTMP/1m"
got=
for i in 1 2 3; do url="${url}/extra" post "$TESTTMP/1m" -H 'X-Fake-CGI: noread'; got="$got $code:$(sed -n 's/^curl: (\([0-9]*\)).*/\1/p' "$TESTTMP/curl.err")"; done
echo "# fact: apache: a program that answers 404 without reading a 1 MiB body, 3 times (status:curl error):$got"
is "apache: ... no 404 reaches the sender" "$(echo "$got" | grep -c ' 404:$')" 0
url="${url}x" post "$TESTTMP/r.json"
is "apache: POST /tlsrptx: 404 from Apache, the program does not run" "$code|$(ran)" "404|"
check_methods apache 405
echo "# fact: apache: Allow header of the 405: $(curl -sS --cacert "$CERT" -o /dev/null -D - "$url" | tr -d '\r' | sed -n 's/^Allow: //Ip')"

# contrib's query-string guard: any query string is refused (403), the program does not run
url="${url}?ingest" post "$TESTTMP/r.json"
is "apache: POST /tlsrpt?ingest: 403, the program does not run" "$code|$(ran)" "403|"
url="${url}?a=b" post "$TESTTMP/r.json"
is "apache: POST /tlsrpt?a=b: 403, the program does not run" "$code|$(ran)" "403|"

# Apache started with umask 027 and without that guard: the program gets Apache's umask, and a
# query string without '=' becomes its arguments (RFC 3875 4.4, "search")
apache_stop
umask 027
apache_start '/<If "-n %{QUERY_STRING}">/,/<\/If>/d'
umask 022
post "$TESTTMP/r.json"
is "apache started with umask 027: the program's umask is 0027" "$(ran | sed -n 's/^umask=//p')" 0027
url="${url}?prune+--older-than+1d" post "$TESTTMP/r.json"
is "apache without the guard: POST /tlsrpt?prune+--older-than+1d runs the program with those arguments" \
  "$(ran | sed -n 's/^argv=//p')" "prune --older-than 1d"
url="${url}?a=b" post "$TESTTMP/r.json"
is "apache without the guard: POST /tlsrpt?a=b: no argument, QUERY_STRING a=b" "$(ran | sed -n 's/^argv=//p')|$(ran_env QUERY_STRING)" "|a=b"
apache_stop
apache_start

# the body limit (LimitRequestBody 25 MiB): with a Content-Length over it Apache answers 413 and
# the program does not run; at the limit it runs
bytes 26214401 "$TESTTMP/big"
post "$TESTTMP/big" -H 'Content-Type: application/tlsrpt+gzip'
is "apache: 25 MiB + 1 with Content-Length: 413, the program does not run" "$code|$(ran)" "413|"
bytes 26214400 "$TESTTMP/limit"
post "$TESTTMP/limit" -H 'Content-Type: application/tlsrpt+gzip'
is "apache: 25 MiB exactly: the program runs and reads it all" "$code|$(ran | sed -n 's/^read=//p')" "201|26214400"
# chunked: no CONTENT_LENGTH; the program reads to EOF
post "$TESTTMP/r.json" -H 'Transfer-Encoding: chunked'
is "apache: a chunked body: no CONTENT_LENGTH, the program reads it all to EOF" \
  "$code|$(ran_env CONTENT_LENGTH)|$(ran | sed -n 's/^read=//p')" "201||$(wc -c <"$TESTTMP/r.json")"
post "$TESTTMP/big" -H 'Transfer-Encoding: chunked'
echo "# fact: apache: a chunked body of 25 MiB + 1: $code; the program $(ran | grep -E '^(read|answered)=' | tr '\n' ' ')"
is "apache: a chunked body over the limit: 413, and no answer of the program" "$code|$(ran | grep '^answered=')" "413|"

check_answers apache
grep -c 'End of script output before headers' "$W/apache/log/error.log" | sed 's/^/# fact: apache: error.log lines "End of script output before headers": /'

# a client that goes away mid-body: 100 KB announced, sent at 20 KB/s, curl killed after 1 s
bytes 102400 "$TESTTMP/100k"
reqno=$((reqno + 1))
curl -sS --cacert "$CERT" -o /dev/null --limit-rate 20k -H "X-Test-Id: $reqno" --data-binary @"$TESTTMP/100k" "$url" 2>/dev/null &
curl_pid=$!
sleep 1
kill "$curl_pid"
wait "$curl_pid" 2>/dev/null
wait_for 10 sh -c "grep -lqx 'HTTP_X_TEST_ID=$reqno' $W/fake/*.env"
pid=$(grep -lx "HTTP_X_TEST_ID=$reqno" "$W/fake/"*.env | sed 's|.*/||; s|\.env$||')
wait_for 10 sh -c "! kill -0 $pid 2>/dev/null"
is "apache: a client gone mid-body: the program started, and was ended before it read it all" \
  "$(ran | grep -cE '^(read|answered)=')|$(kill -0 "$pid" 2>/dev/null && echo running)" "0|"

# the script timeout (CGIDScriptTimeout, 60 s in contrib; 3 s here): 504 to the sender, the
# program is killed
apache_stop
apache_start 's/CGIDScriptTimeout .*/CGIDScriptTimeout 3/'
start=$(date +%s)
post "$TESTTMP/r.json" -H 'X-Fake-CGI: sleep=6'
took=$(($(date +%s) - start))
is "apache: a program silent for longer than CGIDScriptTimeout: 504" "$code" 504
echo "# fact: apache: CGIDScriptTimeout 3, a program that sleeps 6 s: $code after $took s"
sleep 4
is "apache: ... and the program was killed (it never finished)" "$(ran | grep -c '^slept=')" 0
apache_stop
apache_start

check_concurrent apache 32
start=$(date +%s) pids=()
for i in 1 2 3 4 5 6 7 8; do
  curl -sS --cacert "$CERT" -o /dev/null -H 'X-Fake-CGI: sleep=2' --data-binary @"$TESTTMP/r.json" "$url" &
  pids+=($!)
done
wait "${pids[@]}"
took=$(($(date +%s) - start))
echo "# fact: apache: 8 POSTs at once to a program that takes 2 s: all answered after $took s"
check "apache: ... they ran at the same time (less than 8 x 2 s)" test "$took" -lt 16

real_checks apache corpus form repeat limit fault concurrent method
apache_stop
check "apache stopped" sh -c "! test -e $W/apache/run/apache2.pid || ! kill -0 \$(cat $W/apache/run/apache2.pid) 2>/dev/null"
echo "# figures: $(apache2 -v | sed -n 's/^Server version: //p'), $reqno requests"
done_testing
