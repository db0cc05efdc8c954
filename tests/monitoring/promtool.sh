#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# promtool.sh [TLSRPTDB [RULES...]] - print/prometheus.c's exposition and util/atomic-file.c's
# file as Prometheus' own tools read them, and alerting rules checked and unit-tested (installs
# prometheus and prometheus-node-exporter with apt)
#
# The exposition of tests/unit/monitoring-sample (hostile label values: backslash, quote, line
# feed, CR, invalid UTF-8, an injected "# TYPE" line, bidi and emoji, 3000 bytes; two values
# that are the same once valid, the second refused), written under a locale with a decimal comma
# into a textfile-collector directory, must: have mode 0644 and leave no temporary file; pass
# `promtool check metrics` without a remark; be served by node_exporter's textfile collector
# sample for sample, without a scrape error; never be seen half written by a reader while it is
# rewritten 200 times; fail with a clear message, leaving the old file, for a user who cannot
# write the directory.  Then each RULES file (default: sample-rules.yml here) passes `promtool
# check rules` and, if RULES's NAME.test.yml is beside it, `promtool test rules`; the sample's
# test with a wrong threshold fails, so a failure is seen.  Needs root; changes the machine (a CI
# machine): installs the two packages, stops the instances their postinst started; runs its own
# node_exporter on a free port from 19100 on, stopped at the end.  Idempotent.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

monitoring_gate
rules=("${@:2}")
[ ${#rules[@]} -gt 0 ] || rules=("$SRCDIR/tests/monitoring/sample-rules.yml")
if ! command -v promtool >/dev/null || ! command -v prometheus-node-exporter >/dev/null; then
  install_or_fail prometheus prometheus-node-exporter
fi
service_stop prometheus
service_stop prometheus-node-exporter
monitoring_setup
dir=$W/textfile prom=$W/textfile/tlsrpt.prom
install -d -m 0755 "$dir"
comma=$(comma_env) || fail "no locale with a decimal comma (localedef failed)"
# write [ENV...] : the sample exposition into $prom; $status, $err
write () {
  env "$@" "$W/bin/monitoring-sample" metrics "$prom" 2>"$TESTTMP/err"
  status=$? err=$(cat "$TESTTMP/err")
}
# shellcheck disable=SC2086 # words
write $comma
is "written ($comma)" "$status" 0
is "the second of two values that are the same once valid is refused, and said" \
  "$(grep -c 'a sample with these labels was written' <<<"$err")" 1
is "mode 0644" "$(stat -c %a "$prom")" 644
is "no temporary file left" "$(ls -A "$dir")" tlsrpt.prom
is "4 HELP and TYPE lines, 9 samples per family" "$(wc -l <"$prom")" 22
is "numbers with a decimal point" "$(grep -c ' 1234\.5$' "$prom") $(grep -c ',5$' "$prom")" "2 0"
out=$(promtool check metrics <"$prom" 2>&1)
is "promtool check metrics: no problem" "$?:$out" "0:"
printf '# HELP x X\n# TYPE x gauge\nx{domain="quote"d"} 1\n' | promtool check metrics >/dev/null 2>&1
is "promtool check metrics refuses an unescaped quote (the check can fail)" "$?" 1

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
  grep '^tlsrpt_sample' "$prom" | LC_ALL=C sort >"$TESTTMP/written"
  grep '^tlsrpt_sample' "$TESTTMP/scrape" | LC_ALL=C sort >"$TESTTMP/served"
  check "node_exporter: serves every sample as written (18)" cmp -s "$TESTTMP/written" "$TESTTMP/served"
  [ "$(wc -l <"$TESTTMP/served")" = 18 ] || { echo "#   served:"; sed 's/^/#   /' "$TESTTMP/served" | cut -c1-200; }
  check "node_exporter: logged no error" sh -c "! grep -q 'level=error' '$TESTTMP/node-exporter.log'"
else
  fail "node_exporter did not listen on 127.0.0.1:$port"
  sed 's/^/#   /' "$TESTTMP/node-exporter.log"
fi
kill "$exporter" 2>/dev/null
wait "$exporter" 2>/dev/null

# readers see the old file or the new one, never a part: 200 rewrites while reading
cp "$prom" "$TESTTMP/expected"
(for _ in $(seq 200); do "$W/bin/monitoring-sample" metrics "$prom" 2>/dev/null; done; touch "$TESTTMP/written.done") &
reads=0 partial=0
while [ ! -e "$TESTTMP/written.done" ]; do
  cmp -s "$prom" "$TESTTMP/expected" || partial=$((partial + 1))
  reads=$((reads + 1))
done
wait
is "$reads reads during 200 rewrites: none saw a partial file" "$partial" 0
is "and no temporary file is left" "$(ls -A "$dir")" tlsrpt.prom
# for comparison, not asserted (a race): a writer that rewrites the file in place
rm -f "$TESTTMP/written.done"
(for _ in $(seq 200); do "$W/bin/monitoring-sample" metrics - >"$prom" 2>/dev/null; done; touch "$TESTTMP/written.done") &
in_place_reads=0 in_place_partial=0
while [ ! -e "$TESTTMP/written.done" ]; do
  cmp -s "$prom" "$TESTTMP/expected" || in_place_partial=$((in_place_partial + 1))
  in_place_reads=$((in_place_reads + 1))
done
wait
"$W/bin/monitoring-sample" metrics "$prom" 2>/dev/null

# a directory the user cannot write: a clear error, the old file kept
write runuser -u nobody -- env
is "unwritable directory: exit 1" "$status" 1
is "unwritable directory: the message" "${err##*$'\n'}" "monitoring-sample: cannot write $prom: cannot create a file in $dir: Permission denied"
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
# the sample's unit test fails for rules that do not do what it expects
cp "$SRCDIR/tests/monitoring/sample-rules.test.yml" "$TESTTMP/"
sed 's/> 0\.1$/> 0.9/' "$SRCDIR/tests/monitoring/sample-rules.yml" >"$TESTTMP/sample-rules.yml"
promtool test rules "$TESTTMP/sample-rules.test.yml" >"$TESTTMP/wrong.log" 2>&1
is "test rules fails for a wrong threshold (the test can fail)" "$?:$(grep -c 'FAILED' "$TESTTMP/wrong.log")" "1:1"

echo "# figures: $(promtool --version 2>&1 | head -1 | cut -d' ' -f1-3), $(prometheus-node-exporter --version 2>&1 | head -1 | cut -d' ' -f1-3), $(wc -c <"$prom") bytes of exposition; partial reads during 200 rewrites: $partial of $reads (in place: $in_place_partial of $in_place_reads)"
done_testing
