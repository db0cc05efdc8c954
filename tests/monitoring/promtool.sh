#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# promtool.sh [TLSRPTDB [RULES...]] - `tlsrptdb metrics` as Prometheus' own tools read it, and the
# alerting rules checked and unit-tested (installs prometheus and prometheus-node-exporter with
# apt)
#
# The exposition of a database built for it (reports dated from today: failures, a new result
# type, a silent reporter, rejected mail, sts+tlsa pairs, and a hostile policy domain and result
# type: quote, backslash, line feed, CR, an injected "# TYPE" line, bidi and emoji, 200 bytes),
# written with --output into a textfile-collector directory, must: have mode 0644 and leave no
# temporary file; be the same under a locale with a decimal comma; pass `promtool check metrics`
# without a remark, as must the exposition of a large database (bench/gen-db.py: 6,000 reports
# on more than the 2,000 domains an exposition holds; the rest counted in tlsrpt_metrics_left_out); be served by node_exporter's textfile
# collector sample for sample, without a scrape error; never be seen half written by a reader
# while it is rewritten 50 times; fail with a clear message, leaving the old file, for a user
# who cannot write the directory.  Then each RULES file (default: contrib/prometheus/
# tlsrpt.rules.yml) passes `promtool check rules` and, if RULES's NAME.test.yml is beside it,
# `promtool test rules`; the shipped test fails for rules with a wrong threshold, so a failure is
# seen.  Needs root; changes the machine (a CI machine): installs the two packages, stops the
# instances their postinst started; runs its own node_exporter on a free port from 19100 on,
# stopped at the end.  Idempotent.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=../cli/check-lib.sh
. "$SRCDIR/tests/cli/check-lib.sh"

monitoring_gate
rules=("${@:2}")
[ ${#rules[@]} -gt 0 ] || rules=("$SRCDIR/contrib/prometheus/tlsrpt.rules.yml")
if ! command -v promtool >/dev/null || ! command -v prometheus-node-exporter >/dev/null; then
  install_or_fail prometheus prometheus-node-exporter
fi
service_stop prometheus
service_stop prometheus-node-exporter
monitoring_setup
start=$(date +%s)
dir=$W/textfile prom=$W/textfile/tlsrpt.prom db=$W/db/reports.db R=$TESTTMP/reports
install -d -m 0755 "$dir"
install -d -m 2755 "$W/db"
install -m 0644 "$SRCDIR/tests/cli/empty.conf" "$W/empty.conf" # not the machine's config file

# the database: what the alerts look at, and hostile label values
daily "$R" g.example a.example 20 1 500 1 validation-failure enforce
daily "$R" m.example a.example 20 1 500 0 validation-failure enforce
rep "$R" g.example a.example 1 90 10 certificate-expired enforce
rep "$R" microsoft.example ms.example 1 900 100 certificate-expired enforce tlsa
daily "$R" g.example quiet.example 20 4 100 0
daily "$R" m.example quiet.example 20 1 100 0
python3 - "$(day 1)" >"$R/evil.json" <<'EOF'
import json, sys
d = sys.argv[1]
print(json.dumps({"organization-name": "x", "contact-info": "tlsrpt@evil\u202e.example", "report-id": "evil",
    "date-range": {"start-datetime": d + "T00:00:00Z", "end-datetime": d + "T23:59:59Z"},
    "policies": [{"policy": {"policy-type": "sts",
        "policy-domain": 'evil"} 1\n# TYPE x gauge\\ \r\u202e\U0001F600' + "a" * 180},
        "summary": {"total-successful-session-count": 5, "total-failure-session-count": 1},
        "failure-details": [{"result-type": 'x"\n} 1', "failed-session-count": 1}]}]}))
EOF
load "$db" "$R"
ingest "$db" "$SRCDIR/tests/corpus/n_plain_text_mail.eml"

# write [ENV...] : the exposition into $prom; $status, $err
write () {
  env "$@" "$W/bin/tlsrptdb" metrics --config "$W/empty.conf" --db "$db" --output "$prom" 2>"$TESTTMP/err"
  status=$? err=$(cat "$TESTTMP/err")
}
write
is "written" "$status:$err" "0:"
is "mode 0644" "$(stat -c %a "$prom")" 644
is "no temporary file left" "$(ls -A "$dir")" tlsrpt.prom
cp "$prom" "$TESTTMP/expected"
if comma=$(comma_env); then
  # shellcheck disable=SC2086 # words
  write $comma
  check "the same under a decimal-comma locale ($comma)" cmp -s "$prom" "$TESTTMP/expected"
else
  fail "no locale with a decimal comma (localedef failed)"
fi
is "the hostile domain: one sample line each, escaped" \
  "$(grep -c '^tlsrpt_day_sessions{domain="evil\\"} 1\\n# type x gauge\\\\ ' "$prom")" 1
is "the hostile result type: escaped" "$(grep -c 'result_type="x\\"\\n} 1"' "$prom")" 2
is "no line of its own" "$(grep -c '^# TYPE x' "$prom")" 0
out=$(promtool check metrics <"$prom" 2>&1)
is "promtool check metrics: no problem" "$?:$out" "0:"
printf '# HELP x X\n# TYPE x gauge\nx{domain="quote"d"} 1\n' | promtool check metrics >/dev/null 2>&1
is "promtool check metrics refuses an unescaped quote (the check can fail)" "$?" 1

# a large database: every family within its bounds
python3 "$SRCDIR/bench/gen-db.py" --tlsrptdb "$W/bin/tlsrptdb" "$TESTTMP/large.db" --reports 6000 \
  --failures 30000 --domains 2300 --reporters 20 --days 30 >"$TESTTMP/gen.log" 2>&1 ||
  { sed 's/^/#   /' "$TESTTMP/gen.log"; fail "bench/gen-db.py"; }
"$W/bin/tlsrptdb" metrics --config "$W/empty.conf" --db "$TESTTMP/large.db" >"$TESTTMP/large.prom"
is "large: written" "$?" 0
out=$(promtool check metrics <"$TESTTMP/large.prom" 2>&1)
is "large: promtool check metrics: no problem" "$?:$out" "0:"
check "large: domains beyond 2000 left out, and said" \
  grep -q '^tlsrpt_metrics_left_out{what="domains"} [1-9]' "$TESTTMP/large.prom"
is "large: 2000 domains" "$(grep -c '^tlsrpt_sessions_total{' "$TESTTMP/large.prom")" 2000
large_samples=$(grep -vc '^#' "$TESTTMP/large.prom")
large_bytes=$(wc -c <"$TESTTMP/large.prom")
rm -f "$TESTTMP/large.db"*

# node_exporter's textfile collector, on the first free port from 19100
port_free () { ! { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; }
# scrape : the body of GET /metrics
scrape () {
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  sed '1,/^\r$/d' <&3
  exec 3<&-
}
port=19100
while ! port_free $port && [ $port -lt 19120 ]; do port=$((port + 1)); done
prometheus-node-exporter --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
  --collector.textfile --collector.textfile.directory="$dir" >"$TESTTMP/node-exporter.log" 2>&1 &
exporter=$!
if wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
  scrape >"$TESTTMP/scrape"
  is "node_exporter: no scrape error" "$(grep '^node_textfile_scrape_error' "$TESTTMP/scrape")" "node_textfile_scrape_error 0"
  # node_exporter writes 1796428799 as 1.796428799e+09 and sorts the labels: samples compared
  # as label sets and numbers
  samples () {
    python3 -c '
import re, sys
pair = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\]|\\.)*)\",?")
for line in open(sys.argv[1], encoding="utf-8", newline="\n"):  # a CR stays in its label
    if line.startswith("tlsrpt_"):
        series, value = line.rstrip("\n").rsplit(" ", 1)
        name, _, labels = series.partition("{")
        print(name, sorted(pair.findall(labels)), float(value))
' "$1" | LC_ALL=C sort
  }
  samples "$prom" >"$TESTTMP/written"
  samples "$TESTTMP/scrape" >"$TESTTMP/served"
  check "node_exporter: serves every sample as written ($(wc -l <"$TESTTMP/written"))" cmp -s "$TESTTMP/written" "$TESTTMP/served"
  cmp -s "$TESTTMP/written" "$TESTTMP/served" || diff "$TESTTMP/written" "$TESTTMP/served" | head -20 | cut -c1-200 | sed 's/^/#   /'
  check "node_exporter: logged no error" sh -c "! grep -q 'level=error' '$TESTTMP/node-exporter.log'"
  is "node_exporter: the file's time, for TlsrptMetricsStale" "$(grep -c '^node_textfile_mtime_seconds{file=".*tlsrpt.prom"}' "$TESTTMP/scrape")" 1
else
  fail "node_exporter did not listen on 127.0.0.1:$port"
  sed 's/^/#   /' "$TESTTMP/node-exporter.log"
fi
kill "$exporter" 2>/dev/null
wait "$exporter" 2>/dev/null

# readers see the old file or the new one, never a part: 50 rewrites while reading (the
# database does not change meanwhile, so every version is the same)
(for _ in $(seq 50); do "$W/bin/tlsrptdb" metrics --config "$W/empty.conf" --db "$db" --output "$prom" 2>/dev/null; done; touch "$TESTTMP/written.done") &
reads=0 partial=0
while [ ! -e "$TESTTMP/written.done" ]; do
  cmp -s "$prom" "$TESTTMP/expected" || partial=$((partial + 1))
  reads=$((reads + 1))
done
wait
is "$reads reads during 50 rewrites: none saw a partial file" "$partial" 0
is "and no temporary file is left" "$(ls -A "$dir")" tlsrpt.prom
# for comparison, not asserted (a race): a writer that rewrites the file in place
rm -f "$TESTTMP/written.done"
(for _ in $(seq 50); do "$W/bin/tlsrptdb" metrics --config "$W/empty.conf" --db "$db" >"$prom" 2>/dev/null; done; touch "$TESTTMP/written.done") &
in_place_reads=0 in_place_partial=0
while [ ! -e "$TESTTMP/written.done" ]; do
  cmp -s "$prom" "$TESTTMP/expected" || in_place_partial=$((in_place_partial + 1))
  in_place_reads=$((in_place_reads + 1))
done
wait
write

# a directory the user cannot write, by a user who may read the database
chmod a+r "$W/db"/*
write runuser -u nobody -- env
is "unwritable directory: exit 78 (permission: the admin's to grant)" "$status" 78
is "unwritable directory: the message" "${err##*$'\n'}" "tlsrptdb metrics: cannot write $prom: cannot create a file in $dir: Permission denied"
check "unwritable directory: the old file is kept" cmp -s "$prom" "$TESTTMP/expected"

# rules: check rules, and test rules where a NAME.test.yml is beside NAME.yml
# promtool_is DESC ARG... : promtool ARG... exits 0; its output shown if not
promtool_is () {
  local desc=$1 out
  shift
  if out=$(promtool "$@" 2>&1); then pass "$desc"; else fail "$desc"; printf '%s\n' "$out" | sed 's/^/#   /'; fi
}
for r in "${rules[@]}"; do
  promtool_is "check rules ${r##*/}" check rules "$r"
  t=${r%.yml}.test.yml
  [ ! -f "$t" ] || promtool_is "test rules ${t##*/}" test rules "$t"
done
# the shipped test fails for rules that do not do what check does
cp "$SRCDIR/contrib/prometheus/tlsrpt.rules.test.yml" "$TESTTMP/"
sed 's/> 0\.05 and/> 0.5 and/' "$SRCDIR/contrib/prometheus/tlsrpt.rules.yml" >"$TESTTMP/tlsrpt.rules.yml"
promtool test rules "$TESTTMP/tlsrpt.rules.test.yml" >"$TESTTMP/wrong.log" 2>&1
is "test rules fails for a wrong threshold (the test can fail)" "$?:$(grep -c 'FAILED' "$TESTTMP/wrong.log")" "1:1"

echo "# figures: $(promtool --version 2>&1 | head -1 | cut -d' ' -f1-3), $(prometheus-node-exporter --version 2>&1 | head -1 | cut -d' ' -f1-3), $(grep -vc '^#' "$prom") samples in $(wc -c <"$prom") bytes; large database: $large_samples samples in $large_bytes bytes; partial reads during 50 rewrites: $partial of $reads (in place: $in_place_partial of $in_place_reads); $(($(date +%s) - start)) s"
done_testing
