#!/bin/sh
# fake-cgi.sh - a stand-in for `tlsrptdb cgi` (RFC 3875) that records what the web server gives
# it and answers as told: it proves the web-server harness of tests/https and measures the
# servers (FACTS.md); the real program's checks are in real.sh.  The tests install it where
# contrib/ puts the program (/usr/local/bin/tlsrptdb) and the web server runs it per request.
#
# Like the real command: a method other than POST gets 405 (with Allow), a PATH_INFO
# gets 404; it reads CONTENT_LENGTH bytes, or up to EOF when there is none, and answers 413 to
# a body over FAKE_CGI_MAX bytes (default 25 MiB) without keeping more than that (with no
# CONTENT_LENGTH it keeps at most one byte more).  Before any of these answers it reads and
# discards what is left of the body, at most FAKE_CGI_DRAIN bytes (default 64 MiB): Apache
# loses the answer of a program that did not read its body (tests/https/FACTS.md).  Then it
# answers as told by its mode: the request header X-Fake-CGI (HTTP_X_FAKE_CGI), else FAKE_CGI
# (the environment: a wrapper script or the server's SetEnv), else "store":
#   store          201 "stored"
#   NNN [retry=S]  status NNN, with Retry-After: S when asked
#   silent         no output at all, exit 0          crash   killed by SIGSEGV, no output
#   noread         404 at once, without reading the body (as a careless program would)
#   sleep=S        201 after S seconds               headerless  a body without any header
# Every run leaves in FAKE_CGI_DIR (default ../fake beside this file's directory) the files
# PID.env (its environment), PID.info (argv, ids, umask, bytes read, how it ended) and PID.body.
# Its answers say nothing but a short text; never a path.
dir=${FAKE_CGI_DIR:-$(dirname "$0")/../fake}
mode=${HTTP_X_FAKE_CGI:-${FAKE_CGI:-store}}
max=${FAKE_CGI_MAX:-26214400}
drain=${FAKE_CGI_DRAIN:-67108864}
rec=$dir/$$
env >"$rec.env"
{ echo "argv=$*"; echo "uid=$(id -un) gid=$(id -gn) groups=$(id -Gn | tr ' ' ,)"; echo "umask=$(umask)"; echo "cwd=$(pwd)"; } >"$rec.info"

# answer STATUS TEXT [RETRY-AFTER] [EXTRA HEADER]
answer () {
  printf 'Status: %s\r\nContent-Type: text/plain; charset=utf-8\r\n' "$1"
  [ -z "${3:-}" ] || printf 'Retry-After: %s\r\n' "$3"
  [ -z "${4:-}" ] || printf '%s\r\n' "$4"
  printf '\r\n%s\n' "$2"
  echo "answered=$1" >>"$rec.info"
  exit 0
}

# discard : read and throw away the rest of the body, at most $drain bytes
discard () { echo "discarded=$(head -c "$drain" | wc -c)" >>"$rec.info"; }

[ "$mode" != noread ] || answer "404 Not Found" "no such report address"
[ "${REQUEST_METHOD:-}" = POST ] || { discard; answer "405 Method Not Allowed" "only POST" "" "Allow: POST"; }
[ -z "${PATH_INFO:-}" ] || { discard; answer "404 Not Found" "no such report address"; }
if [ -n "${CONTENT_LENGTH:-}" ]; then
  [ "$CONTENT_LENGTH" -le "$max" ] || { discard; answer "413 Content Too Large" "report too large"; }
  head -c "$CONTENT_LENGTH" >"$rec.body"
else
  head -c "$((max + 1))" >"$rec.body"
fi
got=$(wc -c <"$rec.body")
echo "read=$got" >>"$rec.info"
[ "$got" -le "$max" ] || { discard; answer "413 Content Too Large" "report too large"; }
[ -z "${CONTENT_LENGTH:-}" ] || [ "$got" = "$CONTENT_LENGTH" ] || echo "short=yes" >>"$rec.info"

case $mode in
  store) answer "201 Created" "stored" ;;
  [1-5][0-9][0-9]*)
    retry=
    case $mode in *retry=*) retry=${mode##*retry=} ;; esac
    answer "${mode%% *}" "as told" "$retry" ;;
  silent) echo "ended=silent" >>"$rec.info"; exit 0 ;;
  crash) echo "ended=crash" >>"$rec.info"; kill -SEGV $$ ;;
  sleep=*)
    sleep "${mode#sleep=}"
    echo "slept=yes" >>"$rec.info"
    answer "201 Created" "stored" ;;
  headerless) echo "ended=headerless" >>"$rec.info"; printf 'stored\n'; exit 0 ;;
  *) answer "500 Internal Server Error" "unknown stand-in mode" ;;
esac
