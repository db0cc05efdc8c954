#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# chromium.sh [TLSRPTDB] - the report page in a real browser: Debian's chromium, headless, with
# networking off (its own network namespace, and a proxy that only records), renders the page of
# the samples, of a hostile database and of a year of 100 domains to PNG and PDF; no console
# message, no request attempted, the DOM it built holds the domains and totals and no element or
# attribute that came from the data (dom-check.py).  Installs chromium with apt when missing
# (root, TLSRPTDB_TEST_MTA=1, as the MTA tests); skips otherwise.  SHOTS=DIR keeps the PNGs.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
HERE=$SRCDIR/tests/browser

if ! command -v chromium >/dev/null; then
  [ "${TLSRPTDB_TEST_MTA:-}" = 1 ] || skip_all "no chromium; TLSRPTDB_TEST_MTA=1 installs it (.ci/run does)"
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || skip_all "no chromium, and not root with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >"$TESTTMP/apt.log" 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >>"$TESTTMP/apt.log" 2>&1; } \
    || { cat "$TESTTMP/apt.log"; echo "not ok 1 - apt-get install chromium"; exit 1; }
fi
isolated=
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && unshare -n true 2>/dev/null; then isolated=1; fi
echo "# $(chromium --version 2>/dev/null); network namespace: ${isolated:-no}"

# what chromium asks for itself whatever the page (component updates, network time), which the
# trap refuses like anything else; a request for any other host came from the page
browser_own='(update|optimizationguide-pa|safebrowsing|content-autofill)\.googleapis\.com|clients[0-9]*\.google\.com|\.gvt1\.com'

# render NAME PAGE : PNG, PDF and DOM of PAGE in $TESTTMP/NAME.*; the proxy's log in NAME.proxy
render () {
  local name=$1 page=$2 port=18555
  cat >"$TESTTMP/run.sh" <<SH
[ -n "$isolated" ] && ip link set lo up 2>/dev/null
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", $port)); s.listen(16); s.settimeout(1500)
log = open(sys.argv[1], "a")
while True:
    try: c, _ = s.accept()
    except OSError: break
    log.write("request: %r\n" % c.recv(200)[:120]); log.flush(); c.close()
' "$TESTTMP/$name.proxy" &
trap 'kill \$! 2>/dev/null' EXIT
sleep 0.3
set -- --headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --no-pings \
  --disable-domain-reliability --disable-client-side-phishing-detection --disable-default-apps \
  --disable-features=OptimizationHints,OptimizationGuideModelDownloading,NetworkTimeServiceQuerying,MediaRouter \
  --proxy-server=127.0.0.1:$port --proxy-bypass-list='<-loopback>' \
  --user-data-dir="$TESTTMP/profile-$name" --enable-logging=stderr --v=0
timeout 480 chromium "\$@" --window-size=1000,1400 --screenshot="$TESTTMP/$name.png" "file://$page" 2>"$TESTTMP/$name.log1"
timeout 480 chromium "\$@" --no-pdf-header-footer --print-to-pdf="$TESTTMP/$name.pdf" "file://$page" 2>"$TESTTMP/$name.log2"
timeout 480 chromium "\$@" --dump-dom "file://$page" >"$TESTTMP/$name.dom" 2>"$TESTTMP/$name.log3"
SH
  : >"$TESTTMP/$name.proxy"
  if [ -n "$isolated" ]; then timeout 1500 unshare -n bash "$TESTTMP/run.sh"; else timeout 1500 bash "$TESTTMP/run.sh"; fi
  is "$name: PNG" "$(head -c 8 "$TESTTMP/$name.png" 2>/dev/null | od -An -c | tr -d ' ')" '211PNG\r\n032\n'
  is "$name: PDF" "$(head -c 5 "$TESTTMP/$name.pdf" 2>/dev/null)" "%PDF-"
  # (chromium's own pages, chrome://, log to the console too: a slow machine's font warning)
  is "$name: no console message" "$(cat "$TESTTMP/$name".log? | grep 'CONSOLE' | grep -v 'source: chrome://' | head -5)" ""
  is "$name: no request attempted by the page" "$(grep -vE "$browser_own" "$TESTTMP/$name.proxy")" ""
  echo "# $name: requests of chromium's own services (updates, time), refused: $(grep -cE "$browser_own" "$TESTTMP/$name.proxy")"
  [ -z "${SHOTS:-}" ] || cp "$TESTTMP/$name.png" "$SHOTS/"
}
# dom NAME TEXT... : the DOM of NAME passes dom-check.py with TEXT
dom () {
  local name=$1; shift
  if python3 "$HERE/dom-check.py" "$TESTTMP/$name.dom" "$@" >"$TESTTMP/$name.check"; then pass "$name: DOM clean, text there"
  else fail "$name: DOM"; sed 's/^/#   /' "$TESTTMP/$name.check" | head -20; fi
}

# the samples
db=$TESTTMP/samples.db
for f in "$SRCDIR"/samples/*.eml; do "$TLSRPTDB" ingest --db "$db" <"$f"; done
"$TLSRPTDB" report --db "$db" --since 2026-11-01 --until 2026-11-30 -o "$TESTTMP/samples.html"
render samples "$TESTTMP/samples.html"
dom samples example.com example.org example.net sub.example.org 1,392 1,331 "0.82%" certificate-expired google.example

# hostile strings (as tests/cli/t-report.sh)
hdb=$TESTTMP/hostile.db
printf '%s' '{"organization-name":"<script>alert(\"org\")</script>","date-range":{"start-datetime":"2026-11-20T00:00:00Z","end-datetime":"2026-11-20T23:59:59Z"},"contact-info":"tlsrpt@evil\"><script>alert(1)</script>.example","report-id":"</svg><script>alert(2)</script>","policies":[{"policy":{"policy-type":"sts<img src=x onerror=alert(3)>","policy-string":["version: STSv1","mode: <b>enforce</b>"],"policy-domain":"<svg onload=alert(4)>.example"},"summary":{"total-successful-session-count":5,"total-failure-session-count":3},"failure-details":[{"result-type":"</svg><script>alert(5)</script>","sending-mta-ip":"\"onmouseover=\"alert(6)","receiving-mx-hostname":"mx.<iframe src=javascript:alert(7)>\u202e","failed-session-count":3,"failure-reason-code":"\u202eevil\u0001]]><!--"}]}]}' \
  | "$TLSRPTDB" ingest --db "$hdb"
printf 'From: "<script>alert(8)</script>" <x@evil.example>\nSubject: </svg><script>alert(9)</script>\nMessage-ID: <evil@evil.example>\n\nnot a report\n' \
  | "$TLSRPTDB" ingest --db "$hdb"
"$TLSRPTDB" report --db "$hdb" --since 2026-11-01 -o "$TESTTMP/hostile.html"
render hostile "$TESTTMP/hostile.html"
dom hostile "<svg onload=alert(4)>.example" "</svg><script>alert(5)</script>" "</svg><script>alert(9)</script>"

# a year of 100 domains
ydb=$TESTTMP/year.db
python3 "$SRCDIR/bench/gen-db.py" --tlsrptdb "$TLSRPTDB" "$ydb" --reports 10000 --failures 100000 \
  --domains 100 --reporters 20 --days 365 --end-day 2026-11-30 >/dev/null
"$TLSRPTDB" report --db "$ydb" --since 2025-12-01 --until 2026-11-30 -o "$TESTTMP/year.html"
# the CSV of summary has a row per domain and result type, the domain's totals on each
total=$("$TLSRPTDB" query --db "$ydb" summary --since 2025-12-01 --until 2026-11-30 --format csv-exact \
  | awk -F, 'NR > 1 && !seen[$1]++ {s += $2 + $3} END {printf "%d", s}' | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')
echo "# year: $(wc -c <"$TESTTMP/year.html") bytes, $total sessions"
render year "$TESTTMP/year.html"
dom year d0001.example "$total" "Reports by reporter and day"

done_testing
