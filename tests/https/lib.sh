# lib.sh - shared by the tests in tests/https (sourced after tests/stress/lib.sh and
# tests/mta/common.sh): real web servers on 127.0.0.1 with TLS, running a CGI program.
# shellcheck shell=bash disable=SC2034,SC2154 # code/body/url are for the tests; W from common.sh
#
# Everything lives in $W (every directory up to the program readable by www-data): bin/tlsrptdb
# is the CGI program (the stand-in fake-cgi.sh, or the program given), etc/tlsrptdb.conf its
# config, db/ the database directory (setgid, group tlsrptdb, as contrib/ says), fake/ what the
# stand-in records, tls/ a self-signed certificate for localhost and 127.0.0.1, and one
# directory per server with its configuration, logs and pid file.  The server configurations
# are taken from contrib/<server>/tlsrptdb.conf with the paths, the port and the certificate
# replaced, so that the tests test what users copy.  Every server started is stopped at exit.
W=${WEB_WORKDIR:-/var/tmp/tlsrptdb-https}
HTTPS_DIR=$SRCDIR/tests/https
web_pids=()   # pid files of the servers started, for web_stop_all
web_groups=() # process groups started (fcgiwrap and its children)
trap 'web_stop_all; rm -rf "$TESTTMP"' EXIT

# web_gate : skip the test unless it may install and run web servers on this machine: as root,
# with apt-get, and only when TLSRPTDB_TEST_MTA=1 (.ci/run sets it), like tests/mta
web_gate () {
  [ "${TLSRPTDB_TEST_MTA:-}" = 1 ] || skip_all "installs and runs web servers; TLSRPTDB_TEST_MTA=1 runs it (.ci/run does)"
  [ "$(id -u)" = 0 ] || skip_all "not root"
  command -v apt-get >/dev/null || skip_all "no apt-get"
}
# web_install PKG... : the packages that are missing, with apt (curl and openssl always); apt
# starts no service (policy-rc.d: these machines have one that refuses, and where there is none
# one is put in place for the install), and the tests start their own instances
web_install () {
  local p missing=() policy=
  for p in curl openssl "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d && policy=1
  fi
  apt_install "${missing[@]}"
  p=$?
  [ -z "$policy" ] || rm -f /usr/sbin/policy-rc.d
  [ $p = 0 ] || { cat "$TESTTMP/apt.log"; echo "not ok 1 - apt-get install ${missing[*]}"; exit 1; }
}
# web_setup : a fresh $W with the stand-in as the program, the config, the database directory
# shared by the MTA's user tlsrptdb and www-data, and the certificate
web_setup () {
  rm -rf "$W"
  install -d -m 0755 "$W" "$W/bin" "$W/etc" "$W/tls"
  install -d -o www-data -g www-data -m 0755 "$W/run"
  install -d -o www-data -g www-data -m 0755 "$W/fake"
  install -m 0755 "$HTTPS_DIR/fake-cgi.sh" "$W/bin/tlsrptdb"
  id tlsrptdb >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin tlsrptdb
  id -nG www-data | grep -qw tlsrptdb || usermod -a -G tlsrptdb www-data
  install -d -o tlsrptdb -g tlsrptdb -m 2770 "$W/db"
  printf '[tlsrptdb]\ndb = %s\n' "$W/db/reports.db" >"$W/etc/tlsrptdb.conf"
  chgrp tlsrptdb "$W/etc/tlsrptdb.conf"
  chmod 0640 "$W/etc/tlsrptdb.conf"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$W/tls/key.pem" -out "$W/tls/cert.pem" 2>/dev/null
  CERT=$W/tls/cert.pem
}
# use_program FILE : FILE becomes the CGI program the servers run (no restart needed)
use_program () { install -m 0755 "$1" "$W/bin/tlsrptdb.new" && mv -f "$W/bin/tlsrptdb.new" "$W/bin/tlsrptdb"; }
# free_port : a TCP port of 127.0.0.1 that nothing listens on
free_port () {
  local p
  while :; do
    p=$((10000 + RANDOM % 20000)) # below the ephemeral ports (32768-)
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
# contrib_conf FILE PORT : the lines of a contrib/ web server file (comments dropped), pointed
# at the test's paths, port and certificate
contrib_conf () {
  grep -v '^[[:space:]]*#' "$1" | sed -e '/^[[:space:]]*$/d' \
    -e "s|/usr/local/bin/tlsrptdb|$W/bin/tlsrptdb|g" -e "s|/etc/tlsrptdb.conf|$W/etc/tlsrptdb.conf|g" \
    -e "s|/var/lib/tlsrptdb|$W/db|g" -e "s|/run/fcgiwrap.socket|$W/run/fcgiwrap.socket|g" \
    -e "s|/etc/letsencrypt/live/tlsrpt.example.com/fullchain.pem|$W/tls/cert.pem|g" \
    -e "s|/etc/letsencrypt/live/tlsrpt.example.com/privkey.pem|$W/tls/key.pem|g" \
    -e "s|\*:443>|127.0.0.1:$2>|" -e "s|listen 443 ssl;|listen 127.0.0.1:$2 ssl;|" \
    -e '/listen \[::\]:443/d' -e "s|^\(\$SERVER\[\"socket\"\] == \)\":443\"|\1\"127.0.0.1:$2\"|" \
    -e "s|tlsrpt.example.com|localhost|g"
}

# apache_start [SED-EXPR...] : Debian's Apache configuration (a copy of /etc/apache2 in
# $W/apache, with its own run, lock and log directories and Listen 127.0.0.1:PORT instead of
# ports 80 and 443), the modules and site enabled as contrib/apache/tlsrptdb.conf says, with
# SED-EXPR applied to the site; then started.  Sets $url.  Debian's
# other-vhosts-access-log.conf logs the requests to $W/apache/log/other_vhosts_access.log.
apache_start () {
  local a=$W/apache port e
  port=$(free_port)
  rm -rf "$a" && install -d -m 0755 "$a" "$a/run" "$a/lock" "$a/log"
  cp -a /etc/apache2 "$a/etc"
  sed -i -e "s|^export APACHE_PID_FILE=.*|export APACHE_PID_FILE=$a/run/apache2.pid|" \
    -e "s|^export APACHE_RUN_DIR=.*|export APACHE_RUN_DIR=$a/run|" \
    -e "s|^export APACHE_LOCK_DIR=.*|export APACHE_LOCK_DIR=$a/lock|" \
    -e "s|^export APACHE_LOG_DIR=.*|export APACHE_LOG_DIR=$a/log|" "$a/etc/envvars"
  printf 'Listen 127.0.0.1:%s\n' "$port" >"$a/etc/ports.conf"
  rm -f "$a/etc/sites-enabled/"*
  contrib_conf "$CONTRIB/apache/tlsrptdb.conf" "$port" >"$a/etc/sites-available/tlsrptdb.conf"
  for e in "$@"; do sed -i -e "$e" "$a/etc/sites-available/tlsrptdb.conf"; done
  export APACHE_CONFDIR=$a/etc
  a2enmod -q ssl cgid allowmethods >/dev/null
  a2ensite -q tlsrptdb >/dev/null
  apache2ctl configtest 2>&1 | grep -v -e '^Syntax OK' -e AH00558 | sed 's/^/# configtest: /'
  apache2ctl start 2>&1 | grep -v AH00558 | sed 's/^/# apache2ctl: /'
  web_pids+=("$a/run/apache2.pid")
  url=https://localhost:$port/tlsrpt
  wait_for 10 curl -s -o /dev/null --cacert "$W/tls/cert.pem" "https://localhost:$port/"
}
# apache_stop : stop the Apache started by apache_start, and wait until it is gone
apache_stop () { stop_pidfile "$W/apache/run/apache2.pid"; }

# stop_pidfile FILE : TERM the process whose pid FILE holds, wait until it is gone (10 s)
stop_pidfile () {
  local pid
  [ -s "$1" ] || return 0
  pid=$(cat "$1")
  kill "$pid" 2>/dev/null
  wait_for 10 sh -c "! kill -0 $pid 2>/dev/null"
}
# web_stop_all : stop every server that was started (at exit)
web_stop_all () {
  local f g
  for f in "${web_pids[@]}"; do stop_pidfile "$f"; done
  for g in "${web_groups[@]}"; do kill -- "-$g" 2>/dev/null; done
  return 0
}

# post FILE [CURL OPTION...] : POST FILE to $url (TLS checked against the test's certificate);
# $code = the status, $body = the body, the headers in $TESTTMP/headers.  Each request carries
# X-Test-Id: $reqno, which the stand-in records (see ran).
reqno=0
post () {
  local f=$1
  shift
  reqno=$((reqno + 1))
  code=$(curl -sS --cacert "$CERT" -o "$TESTTMP/body" -D "$TESTTMP/headers" -w '%{http_code}' \
    -H "X-Test-Id: $reqno" --data-binary @"$f" "$@" "$url" 2>"$TESTTMP/curl.err")
  body=$(cat "$TESTTMP/body" 2>/dev/null)
}
# post_report FILE FORM [CURL OPTION...] : POST the report FILE (JSON) as a sender would:
# FORM gzip (application/tlsrpt+gzip), json (application/tlsrpt+json), encoded (gzip with
# Content-Encoding: gzip and application/tlsrpt+json), generic (gzip as
# application/octet-stream), untyped (gzip without a Content-Type)
post_report () {
  local f=$1 form=$2
  shift 2
  case $form in
    json) post "$f" -H 'Content-Type: application/tlsrpt+json' "$@" ;;
    *)
      gzip -c <"$f" >"$TESTTMP/report.gz"
      case $form in
        gzip) post "$TESTTMP/report.gz" -H 'Content-Type: application/tlsrpt+gzip' "$@" ;;
        encoded) post "$TESTTMP/report.gz" -H 'Content-Type: application/tlsrpt+json' -H 'Content-Encoding: gzip' "$@" ;;
        generic) post "$TESTTMP/report.gz" -H 'Content-Type: application/octet-stream' "$@" ;;
        untyped) post "$TESTTMP/report.gz" -H 'Content-Type:' "$@" ;;
      esac ;;
  esac
}
# header NAME : the value of header NAME in the last answer (case-insensitive, without CR)
header () { tr -d '\r' <"$TESTTMP/headers" | sed -n "s/^$1: *//Ip" | tail -1; }
# ran [N] : the stand-in's record (its .info file) of request N (default: the last), or nothing
# when the program did not run for it
ran () {
  local env
  env=$(grep -lx "HTTP_X_TEST_ID=${1:-$reqno}" "$W/fake/"*.env 2>/dev/null | head -1)
  [ -n "$env" ] && cat "${env%.env}.info"
}
# ran_env NAME [N] : the value of NAME in the stand-in's environment at request N
ran_env () {
  local env
  env=$(grep -lx "HTTP_X_TEST_ID=${2:-$reqno}" "$W/fake/"*.env 2>/dev/null | head -1)
  [ -n "$env" ] && sed -n "s/^$1=//p" "$env"
}
# bytes N FILE : a file of N bytes
bytes () { head -c "$1" /dev/zero | tr '\0' x >"$2"; }

# ---- checks of the harness that the stand-in proves, for every server (NAME: the server)

# check_tls NAME : the certificate is checked (and accepted) by curl, and plain HTTP to the
# TLS port gets no report in (Apache and nginx answer 400, lighttpd closes the connection)
check_tls () {
  local plain
  printf '{}' >"$TESTTMP/small"
  post "$TESTTMP/small"
  is "$1: TLS with the test's certificate, checked by curl: 201" "$code" 201
  curl -sS -o /dev/null --data-binary @"$TESTTMP/small" "$url" 2>/dev/null
  is "$1: without the certificate curl refuses the server (exit 60)" "$?" 60
  reqno=$((reqno + 1))
  plain=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Test-Id: $reqno" --data-binary @"$TESTTMP/small" "${url/https:/http:}")
  echo "# fact: $1: plain HTTP to the TLS port: $plain"
  is "$1: plain HTTP to the TLS port: no 2xx, the program does not run" "$(case $plain in 2??) echo "$plain" ;; esac)|$(ran)" "|"
}
# check_methods NAME WANT : GET, HEAD, PUT, DELETE, OPTIONS and PATCH get WANT from the server,
# and the program does not run for any of them
check_methods () {
  local m got='' r
  for m in GET HEAD PUT DELETE OPTIONS PATCH; do
    reqno=$((reqno + 1))
    if [ $m = HEAD ]; then
      r=$(curl -sS --cacert "$CERT" -o /dev/null -w '%{http_code}' -I -H "X-Test-Id: $reqno" "$url")
    else
      r=$(curl -sS --cacert "$CERT" -o /dev/null -w '%{http_code}' -X $m -H "X-Test-Id: $reqno" "$url")
    fi
    [ -z "$(ran)" ] || r="$r(ran)"
    got="$got $m:$r"
  done
  is "$1: other methods get $2 from the server, the program does not run" "$got" \
    " GET:$2 HEAD:$2 PUT:$2 DELETE:$2 OPTIONS:$2 PATCH:$2"
}
# check_answers NAME : what the program answers reaches the sender: a status and Retry-After,
# the body, and an answer without headers, no answer, or a crash, as a 5xx status (measured)
check_answers () {
  printf '{}' >"$TESTTMP/small"
  post "$TESTTMP/small" -H 'X-Fake-CGI: 503 retry=120'
  is "$1: Status: 503 and Retry-After from the program reach the sender" "$code|$(header Retry-After)|$body" "503|120|as told"
  post "$TESTTMP/small" -H 'X-Fake-CGI: 400'
  is "$1: Status: 400 reaches the sender" "$code|$body" "400|as told"
  post "$TESTTMP/small" -H 'X-Fake-CGI: 200'
  is "$1: Status: 200 reaches the sender" "$code|$body" "200|as told"
  for m in silent crash headerless; do
    post "$TESTTMP/small" -H "X-Fake-CGI: $m"
    echo "# fact: $1: a program that $(case $m in silent) echo "exits 0 without output";; crash) echo "is killed by SIGSEGV before any output";; headerless) echo "prints a body without headers";; esac): $code, body $(wc -c <"$TESTTMP/body") bytes"
    case $code in 5??) pass "$1: $m: a 5xx status ($code): the sender retries" ;; *) fail "$1: $m: a 5xx status (got $code)" ;; esac
  done
}
# check_concurrent NAME N : N POSTs at once are all answered 201, and the program ran N times
check_concurrent () {
  local i codes first=$((reqno + 1)) runs=0 pids=()
  printf '{}' >"$TESTTMP/small"
  for i in $(seq "$2"); do
    curl -sS --cacert "$CERT" -o /dev/null -w '%{http_code}\n' -H "X-Test-Id: $((first + i - 1))" \
      --data-binary @"$TESTTMP/small" "$url" >"$TESTTMP/conc.$i" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}"
  reqno=$((first + $2 - 1))
  codes=$(cat "$TESTTMP"/conc.* | sort | uniq -c | awk '{ printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1 }')
  rm -f "$TESTTMP"/conc.*
  for i in $(seq "$first" "$reqno"); do [ -n "$(ran "$i")" ] && runs=$((runs + 1)); done
  is "$1: $2 POSTs at once: all answered 201" "$codes" "201 x$2"
  is "$1: the program ran $2 times" "$runs" "$2"
}
# env_facts NAME : the stand-in's environment at the last request, as "# fact:" lines
env_facts () {
  local env
  env=$(grep -lx "HTTP_X_TEST_ID=$reqno" "$W/fake/"*.env | head -1)
  echo "# fact: $1: the program's environment: $(sed 's/=.*//' "$env" | grep -v '^HTTP_X_TEST_ID$' | sort | tr '\n' ' ')"
  echo "# fact: $1: $(grep -E '^(uid|umask|cwd|argv)=' "${env%.env}.info" | tr '\n' ' ')"
  echo "# fact: $1: PATH=$(sed -n 's/^PATH=//p' "$env")"
}

# fcgiwrap_start [N] : fcgiwrap as www-data (with the groups of www-data), N processes (default
# 1, as Debian starts it), on the socket $W/run/fcgiwrap.socket, in its own process group
fcgiwrap_start () {
  rm -f "$W/run/fcgiwrap.socket"
  setsid env -i PATH=/usr/bin:/bin FCGIWRAP_OWN_ENV=1 setpriv --reuid=www-data --regid=www-data --init-groups \
    /usr/sbin/fcgiwrap -f -c "${1:-1}" -s "unix:$W/run/fcgiwrap.socket" </dev/null >>"$W/run/fcgiwrap.log" 2>&1 &
  web_groups+=("$!")
  fcgiwrap_group=$!
  wait_for 10 test -S "$W/run/fcgiwrap.socket"
}
# fcgiwrap_stop : stop what fcgiwrap_start started
fcgiwrap_stop () {
  kill -- "-$fcgiwrap_group" 2>/dev/null
  wait_for 10 sh -c "! kill -0 -- -$fcgiwrap_group 2>/dev/null"
}
# nginx_start [SED-EXPR...] : Debian's nginx configuration (a copy of /etc/nginx in $W/nginx,
# with its own pid file and logs) with contrib/nginx/tlsrptdb.conf as the only site, listening
# on 127.0.0.1:PORT, SED-EXPR applied to the site; then started.  Sets $url.
nginx_start () {
  local n=$W/nginx port e
  port=$(free_port)
  rm -rf "$n" && install -d -m 0755 "$n" "$n/log"
  cp -a /etc/nginx "$n/etc"
  sed -i -e "s|/etc/nginx/|$n/etc/|g" -e "s|^pid .*|pid $n/nginx.pid;|" -e "s|/var/log/nginx/|$n/log/|g" "$n/etc/nginx.conf"
  rm -f "$n/etc/sites-enabled/"*
  contrib_conf "$CONTRIB/nginx/tlsrptdb.conf" "$port" >"$n/etc/sites-available/tlsrptdb.conf"
  for e in "$@"; do sed -i -e "$e" "$n/etc/sites-available/tlsrptdb.conf"; done
  ln -s ../sites-available/tlsrptdb.conf "$n/etc/sites-enabled/"
  nginx -q -t -c "$n/etc/nginx.conf" -e "$n/log/error.log" 2>&1 | sed 's/^/# nginx -t: /'
  nginx -c "$n/etc/nginx.conf" -e "$n/log/error.log" 2>&1 | sed 's/^/# nginx: /'
  web_pids+=("$n/nginx.pid")
  url=https://localhost:$port/tlsrpt
  wait_for 10 test -s "$n/nginx.pid"
}
# nginx_stop : stop the nginx started by nginx_start
nginx_stop () { stop_pidfile "$W/nginx/nginx.pid"; }

# lighttpd_start [SED-EXPR...] : Debian's lighttpd configuration (a copy of /etc/lighttpd in
# $W/lighttpd, its plain-HTTP port moved to 127.0.0.1:PORT2, its own pid file and logs) with
# contrib/lighttpd/tlsrptdb.conf enabled, its TLS socket on 127.0.0.1:PORT, SED-EXPR applied;
# then started.  Sets $url.
lighttpd_start () {
  local l=$W/lighttpd port e
  port=$(free_port)
  rm -rf "$l" && install -d -m 0755 "$l" "$l/log" && install -d -o www-data -g www-data "$l/uploads"
  chown www-data "$l/log"
  cp -a /etc/lighttpd "$l/etc"
  sed -i -e "s|/etc/lighttpd/|$l/etc/|g" -e "s|^server.pid-file .*|server.pid-file = \"$l/lighttpd.pid\"|" \
    -e "s|^server.errorlog .*|server.errorlog = \"$l/log/error.log\"|" \
    -e "s|^server.upload-dirs .*|server.upload-dirs = ( \"$l/uploads\" )|" \
    -e "s|^server.port .*|server.port = $(free_port)\nserver.bind = \"127.0.0.1\"|" \
    -e '/use-ipv6.pl/d' "$l/etc/lighttpd.conf"
  contrib_conf "$CONTRIB/lighttpd/tlsrptdb.conf" "$port" >"$l/etc/conf-available/50-tlsrptdb.conf"
  for e in "$@"; do sed -i -e "$e" "$l/etc/conf-available/50-tlsrptdb.conf"; done
  ln -s ../conf-available/50-tlsrptdb.conf "$l/etc/conf-enabled/"
  lighttpd -tt -f "$l/etc/lighttpd.conf" 2>&1 | sed 's/^/# lighttpd -tt: /'
  lighttpd -f "$l/etc/lighttpd.conf" 2>&1 | sed 's/^/# lighttpd: /'
  web_pids+=("$l/lighttpd.pid")
  url=https://localhost:$port/tlsrpt
  wait_for 10 test -s "$l/lighttpd.pid"
}
# lighttpd_stop : stop the lighttpd started by lighttpd_start
lighttpd_stop () { stop_pidfile "$W/lighttpd/lighttpd.pid"; }
