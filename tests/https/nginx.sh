#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# nginx.sh [TLSRPTDB] - reports over HTTPS through a real nginx and fcgiwrap on 127.0.0.1
# (installs them with apt)
#
# Debian's nginx configuration with contrib/nginx/tlsrptdb.conf as the only site, TLS with a
# self-signed certificate, fcgiwrap as www-data.  First the harness, proven with the stand-in
# program fake-cgi.sh: TLS, who runs the program with what, other methods, the body limit,
# chunked bodies, what the program's answers become, a client gone mid-body, the read
# timeout, one fcgiwrap process against four, 32 POSTs at once, the rate limit.  Then the
# checks of the real program (real.sh: the shared database, the corpus, the faults, 32 POSTs
# at once), TLSRPTDB run with no arguments.  Needs root; changes the machine (a
# CI machine): installs nginx, fcgiwrap and curl, adds the user tlsrptdb and www-data to its
# group; starts its own nginx (from a copy of /etc/nginx) and fcgiwrap, and stops them at the end.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=../mta/common.sh
. "$(dirname "$0")/../mta/common.sh"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=real.sh
. "$(dirname "$0")/real.sh"

web_gate
web_install nginx fcgiwrap
web_setup
fcgiwrap_start 4
check "fcgiwrap started" test -S "$W/run/fcgiwrap.socket"
# the shipped rate limit (1 a second, bursts of 60) would refuse most of this test's requests;
# it is checked at the end
nginx_start 's/rate=1r\/s/rate=1000r\/s/'
check "nginx started" test -s "$W/nginx/nginx.pid"
echo "# $(nginx -v 2>&1)"

check_tls nginx
report_json web-facts >"$TESTTMP/r.json"
post_report "$TESTTMP/r.json" encoded
is "nginx: stored by the stand-in" "$code|$body" "201|stored"
env_facts nginx
is "nginx: fcgiwrap runs the program as www-data, with the groups of www-data" "$(ran | sed -n 's/^uid=//p')" \
  "www-data gid=www-data groups=www-data,tlsrptdb"
is "nginx: the CGI variables" \
  "$(for v in GATEWAY_INTERFACE REQUEST_METHOD CONTENT_LENGTH CONTENT_TYPE HTTP_CONTENT_ENCODING REMOTE_ADDR SCRIPT_NAME HTTPS TLSRPTDB_CONFIG; do printf '%s=%s ' $v "$(ran_env $v)"; done)" \
  "GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST CONTENT_LENGTH=$(wc -c <"$TESTTMP/report.gz") CONTENT_TYPE=application/tlsrpt+json HTTP_CONTENT_ENCODING=gzip REMOTE_ADDR=127.0.0.1 SCRIPT_NAME=/tlsrpt HTTPS=on TLSRPTDB_CONFIG=$W/etc/tlsrptdb.conf "
is "nginx: no PATH_INFO, no HOME; fcgiwrap's own environment (PATH and the rest) passes on" \
  "$(ran_env PATH_INFO)|$(ran_env HOME)|$(ran_env PATH)|$(ran_env FCGIWRAP_OWN_ENV)" "||/usr/bin:/bin|1"
is "nginx: the body arrives as sent (Content-Encoding: gzip is not undone)" \
  "$(cmp "$(grep -lx "HTTP_X_TEST_ID=$reqno" "$W/fake/"*.env | sed 's/env$/body/')" "$TESTTMP/report.gz" && echo same)" same
url="${url}?prune+--older-than+1d" post "$TESTTMP/r.json"
is "nginx: POST /tlsrpt?prune+--older-than+1d: no arguments, only QUERY_STRING" \
  "$(ran | sed -n 's/^argv=//p')|$(ran_env QUERY_STRING)" "|prune+--older-than+1d"
url="${url}/extra" post "$TESTTMP/r.json"
is "nginx: POST /tlsrpt/extra: 404 from nginx, the program does not run" "$code|$(ran)" "404|"
check_methods nginx 405

# the umask: the program gets fcgiwrap's, that of whoever started it
fcgiwrap_stop
umask 027
fcgiwrap_start 4
check "fcgiwrap started" test -S "$W/run/fcgiwrap.socket"
umask 022
post "$TESTTMP/r.json"
is "nginx: fcgiwrap started with umask 027: the program's umask is 0027" "$(ran | sed -n 's/^umask=//p')" 0027

# the body limit (client_max_body_size 25m): over it 413, the program does not run, also chunked
bytes 26214401 "$TESTTMP/big"
post "$TESTTMP/big" -H 'Content-Type: application/tlsrpt+gzip'
is "nginx: 25 MiB + 1 with Content-Length: 413, the program does not run" "$code|$(ran)" "413|"
bytes 26214400 "$TESTTMP/limit"
post "$TESTTMP/limit" -H 'Content-Type: application/tlsrpt+gzip'
is "nginx: 25 MiB exactly: the program runs and reads it all" "$code|$(ran | sed -n 's/^read=//p')" "201|26214400"
post "$TESTTMP/r.json" -H 'Transfer-Encoding: chunked'
is "nginx: a chunked body: CONTENT_LENGTH is set (nginx reads the body first), the program reads it all" \
  "$code|$(ran_env CONTENT_LENGTH)|$(ran | sed -n 's/^read=//p')" "201|$(wc -c <"$TESTTMP/r.json")|$(wc -c <"$TESTTMP/r.json")"
post "$TESTTMP/big" -H 'Transfer-Encoding: chunked'
is "nginx: a chunked body over the limit: 413, the program does not run" "$code|$(ran)" "413|"

check_answers nginx
bytes 1048576 "$TESTTMP/1m"
post "$TESTTMP/1m" -H 'X-Fake-CGI: noread'
echo "# fact: nginx: a program that answers 404 without reading a 1 MiB body: $code $(sed -n 's/^curl: //p' "$TESTTMP/curl.err")"

# a client that goes away mid-body: 100 KB announced, sent at 20 KB/s, curl killed after 1 s:
# nginx reads the whole body before it starts the program, so the program never runs
bytes 102400 "$TESTTMP/100k"
reqno=$((reqno + 1))
curl -sS --cacert "$CERT" -o /dev/null --limit-rate 20k -H "X-Test-Id: $reqno" --data-binary @"$TESTTMP/100k" "$url" 2>/dev/null &
curl_pid=$!
sleep 1
kill "$curl_pid"
wait "$curl_pid" 2>/dev/null
sleep 2
is "nginx: a client gone mid-body: the program never runs" "$(ran)" ""

# the read timeout (fastcgi_read_timeout, 60 s in contrib; 3 s here): 504 to the sender, and
# the program goes on to its end
nginx_stop
nginx_start 's/rate=1r\/s/rate=1000r\/s/' 's/fastcgi_read_timeout .*/fastcgi_read_timeout 3s;/'
start=$(date +%s)
post "$TESTTMP/r.json" -H 'X-Fake-CGI: sleep=6'
took=$(($(date +%s) - start))
is "nginx: a program silent for longer than fastcgi_read_timeout: 504" "$code" 504
echo "# fact: nginx: fastcgi_read_timeout 3s, a program that sleeps 6 s: $code after $took s"
wait_for 10 sh -c "grep -lx 'HTTP_X_TEST_ID=$reqno' $W/fake/*.env | sed 's/env\$/info/' | xargs grep -q '^slept='"
is "nginx: ... and the program was not stopped: it finished" "$(ran | grep -c '^answered=')" 1
nginx_stop
nginx_start 's/rate=1r\/s/rate=1000r\/s/'

# one fcgiwrap process runs one program at a time; four run four
for n in 1 4; do
  fcgiwrap_stop
  fcgiwrap_start $n
  start=$(date +%s) pids=()
  for i in 1 2 3 4; do
    curl -sS --cacert "$CERT" -o /dev/null -H 'X-Fake-CGI: sleep=2' --data-binary @"$TESTTMP/r.json" "$url" &
    pids+=($!)
  done
  wait "${pids[@]}"
  took[n]=$(($(date +%s) - start))
  echo "# fact: nginx: fcgiwrap -c $n, 4 POSTs at once to a program that takes 2 s: all answered after ${took[n]} s"
done
check "nginx: fcgiwrap -c 1 runs them one after the other (8 s or more)" test "${took[1]}" -ge 8
check "nginx: fcgiwrap -c 4 runs them at once (less than 8 s)" test "${took[4]}" -lt 8

check_concurrent nginx 32

real_checks nginx corpus fault concurrent

# the shipped rate limit: 100 POSTs at once from one address: about 60 pass (the burst), the
# rest get 429 and the program does not run for them
nginx_stop
nginx_start
first=$((reqno + 1)) pids=()
for i in $(seq 100); do
  curl -sS --cacert "$CERT" -o /dev/null -w '%{http_code}\n' -H "X-Test-Id: $((first + i - 1))" \
    --data-binary @"$TESTTMP/r.json" "$url" >"$TESTTMP/rate.$i" 2>&1 &
  pids+=($!)
done
wait "${pids[@]}"
reqno=$((first + 99))
cat "$TESTTMP"/rate.* >"$TESTTMP/codes"
runs=0
for i in $(seq "$first" "$reqno"); do [ -n "$(ran "$i")" ] && runs=$((runs + 1)); done
echo "# fact: nginx: 100 POSTs at once with rate=1r/s burst=60: $(sort "$TESTTMP/codes" | uniq -c | tr -s ' \n' ' ')"
is "nginx: the rate limit: 429 for those beyond the burst, and the program ran only for the others" \
  "$(grep -c 429 "$TESTTMP/codes") $(grep -c 201 "$TESTTMP/codes")" "$((100 - runs)) $runs"
check "nginx: ... at least 60 passed, and some got 429" test "$runs" -ge 60 -a "$runs" -lt 100

nginx_pid=$(cat "$W/nginx/nginx.pid")
nginx_stop
fcgiwrap_stop
check "nginx and fcgiwrap stopped" sh -c "! kill -0 $nginx_pid 2>/dev/null && ! kill -0 -- -$fcgiwrap_group 2>/dev/null"
echo "# figures: $(nginx -v 2>&1 | sed 's/.*: //'), fcgiwrap $(dpkg-query -W -f='${Version}' fcgiwrap), $reqno requests"
done_testing
