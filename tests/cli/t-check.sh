# t-check.sh - tlsrptdb check, the monitoring plugin: every rule on a database built for it
# (reports dated from today), exit codes 0-3, the first line, the long output, the parsed
# performance data, --format json, --enforce-ready, the [check] group, bad inputs, and a check
# while eight ingests write
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/query-lib.sh"
. "$(dirname "$0")/check-lib.sh"
R=$TESTTMP/reports
D1=$(day 1)

# --- OK: a healthy domain, two reporters for 20 days --------------------------------------------
ok=$(newdb)
daily "$R" g.example ok.example 20 1 500 1 validation-failure
daily "$R" m.example ok.example 20 1 500 1 validation-failure
load "$ok" "$R"
chk --db "$ok"
is "ok: exit 0" "$status" 0
is "ok: the first line" "$first" "TLSRPT OK - 1 domain, 1002 sessions, 2 failed (0.20%) since $D1"
is "ok: perfdata sessions" "$(perf_value 'ok.example sessions')" "1002;;;0"
is "ok: perfdata failed" "$(perf_value 'ok.example failed')" "2;;;0"
is "ok: perfdata rate with the thresholds" "$(perf_value 'ok.example failure rate')" "0.2%;5;25;0;100"
is "ok: the long output" "$long" "ok.example: 1002 sessions, 2 failed (0.20%) since $D1 in 2 reports from 2 reporters; MTA-STS testing; reports cover up to ${D1}T23:59:59Z"
is "ok: nothing on stderr" "$err" ""

# --- a spike of failures -------------------------------------------------------------------------
spike=$(newdb)
daily "$R" g.example spike.example 20 2 500 1
daily "$R" m.example spike.example 20 1 500 0
rep "$R" g.example spike.example 1 100 400
load "$spike" "$R"
chk --db "$spike"
is "spike: CRITICAL" "$status" 2
is "spike: the first line names domain, rate, sessions, since when, type" "$first" \
  "TLSRPT CRITICAL - spike.example: 40.00% of 1000 sessions failed since $D1 (certificate-expired)"
is "spike: perfdata rate" "$(perf_value 'spike.example failure rate')" "40%;5;25;0;100"
is "spike: the long output" "$(head -n 1 <<<"$long")" \
  "CRITICAL: spike.example: 400 of 1000 sessions failed (40.00%) in the reports since $D1, over the critical threshold: certificate-expired 400 (most at mx1.spike.example)"
chk --db "$spike" --critical 50
is "spike: --critical 50: WARNING" "$status" 1
chk --db "$spike" -w 10: -c 50
is "spike: -w 10: (alert below 10) -c 50: OK" "$status" 0
chk --db "$spike" -w @30:50 -c 60
is "spike: -w @30:50 (alert inside): WARNING" "$status" 1
is "spike: the range in the perfdata" "$(perf_value 'spike.example failure rate')" "40%;@30:50;60;0;100"
chk --db "$spike" --min-sessions 2000
is "spike: --min-sessions 2000: not judged, OK" "$status" 0
case $long in *"too few sessions to judge the rate (2000 needed)"*) pass "spike: says why it was not judged" ;;
  *) fail "spike: says why it was not judged ($long)" ;; esac
chk --db "$spike" --since 2d
is "spike: --since 2d counts two days" "$(perf_value 'spike.example sessions')" "2001;;;0"

# --- a result type new to a domain ---------------------------------------------------------------
newt=$(newdb)
for d in newt.example enf.example; do
  m=testing; [ $d = enf.example ] && m=enforce
  daily "$R" g.example $d 20 2 999 1 validation-failure $m
  daily "$R" m.example $d 20 2 999 1 validation-failure $m
done
rep "$R" g.example newt.example 1 997 3 certificate-expired testing
rep "$R" m.example newt.example 1 999 1 validation-failure testing
rep "$R" g.example enf.example 1 997 3 certificate-expired enforce
rep "$R" m.example enf.example 1 999 1 sts-policy-fetch-error enforce
rep "$R" g.example fresh.example 1 990 10 certificate-expired enforce
load "$newt" "$R"
chk --db "$newt"
is "new type: CRITICAL (enforce, a type that stops delivery)" "$status" 2
is "new type: the first line" "$first" \
  "TLSRPT CRITICAL - enf.example: new certificate-expired since $D1 (3 sessions), newt.example: new certificate-expired since $D1 (3 sessions) (+1 more)"
is "new type: three problems, not validation-failure, not the domain without history" \
  "$(grep -c '^[A-Z]*: [a-z.]*: a new kind of failure' <<<"$long")" 3
case $long in *"WARNING: newt.example: a new kind of failure, certificate-expired: 3 failed sessions since $D1, most at mx1.newt.example, none in the reports from $(day 31); the policy is MTA-STS testing (tlsrptdb explain certificate-expired)"*) pass "new type: testing mode is a WARNING, and says why" ;;
  *) fail "new type: testing mode is a WARNING ($long)" ;; esac
case $long in *"WARNING: enf.example: a new kind of failure, sts-policy-fetch-error"*) pass "new type: a policy fetch error under enforce is a WARNING" ;;
  *) fail "new type: a policy fetch error under enforce is a WARNING" ;; esac
case $long in *"the policy is MTA-STS enforce: this mail is not delivered"*) pass "new type: says the mail is not delivered" ;;
  *) fail "new type: says the mail is not delivered" ;; esac
chk --db "$newt" --history 0d
is "new type: --history 0d: nothing to compare with, OK" "$status" 0

# --- a reporter that went quiet, a domain that went quiet, all of them ----------------------------
quiet=$(newdb)
daily "$R" g.example quiet-r.example 20 0 500 0
daily "$R" m.example quiet-r.example 20 4 500 0
rep "$R" y.example quiet-r.example 10 500 0
rep "$R" y.example quiet-r.example 15 500 0
daily "$R" g.example gone.example 20 3 500 0
daily "$R" m.example gone.example 20 3 500 0
load "$quiet" "$R"
chk --db "$quiet"
is "silence: CRITICAL for the domain" "$status" 2
case $first in "TLSRPT CRITICAL - gone.example: no report for "*" h (since $(day 3)), quiet-r.example: nothing from m.example for "*" (since $(day 4))") pass "silence: the first line names both" ;;
  *) fail "silence: the first line names both ($first)" ;; esac
is "silence: the irregular reporter is not named" "$(grep -c 'y.example' <<<"$long")" 0
is "silence: the silent domain's reporters are not named again" "$(grep -c 'nothing from [gm].example' <<<"$long")" 0
case $long in *"WARNING: quiet-r.example: no report from m.example for "*": its reports covered up to $(day 4)T23:59:59Z, and it reported on 14 of the 14 days before"*) pass "silence: the reporter's long line" ;;
  *) fail "silence: the reporter's long line ($long)" ;; esac
chk --db "$quiet" --silent-after 5d
is "silence: --silent-after 5d: OK" "$status" 0
chk --db "$quiet" --domain quiet-r.example
is "silence: --domain quiet-r.example: WARNING" "$status" 1
chk --db "$quiet" --silent-after 3m
is "silence: --silent-after 3m is ambiguous: UNKNOWN" "$status" 3

allq=$(newdb)
daily "$R" g.example one.example 20 3 500 0
daily "$R" g.example two.example 20 3 500 0
load "$allq" "$R"
chk --db "$allq"
is "all silent: CRITICAL" "$status" 2
case $first in "TLSRPT CRITICAL - no report at all for "*" h (since $(day 3))") pass "all silent: one line for all" ;;
  *) fail "all silent: one line for all ($first)" ;; esac

# silence is judged by the days the reports cover, not by when they arrived: old mail imported now
late=$(newdb)
daily "$R" g.example late.example 20 5 500 0
load "$late" "$R"
chk --db "$late"
is "imported late: still silent since the day they cover" "$status" 2
case $first in "TLSRPT CRITICAL - late.example: no report for "*" days (since $(day 5))") pass "imported late: the first line" ;;
  *) fail "imported late: the first line ($first)" ;; esac

# --- mail the pipe cannot use ----------------------------------------------------------------------
ingest "$ok" "$SRCDIR/tests/corpus/n_plain_text_mail.eml"
ingest "$ok" "$SRCDIR/tests/corpus/n_html_only.eml"
chk --db "$ok"
is "rejected: WARNING" "$status" 1
is "rejected: the first line" "$first" "TLSRPT WARNING - 2 messages rejected since $D1 (not a report)"
case $long in "WARNING: 2 messages kept in \`rejected\` since $D1: the receiving address gets mail tlsrptdb cannot use; the most common reason (2): not a report: "*) pass "rejected: the long output" ;;
  *) fail "rejected: the long output ($long)" ;; esac
chk --db "$ok" --rejected 3
is "rejected: --rejected 3: OK" "$status" 0
chk --db "$ok" --rejected 0
is "rejected: --rejected 0: OK" "$status" 0

# --- sts and tlsa for the same sessions count once ----------------------------------------------
ms=$(newdb)
rep "$R" microsoft.example ms.example 1 900 100 certificate-expired enforce tlsa
load "$ms" "$R"
chk --db "$ms"
is "sts+tlsa: 1000 sessions, not 2000" "$(perf_value 'ms.example sessions')" "1000;;;0"
is "sts+tlsa: 10% is a WARNING" "$status" 1
case $long in *"MTA-STS enforce; DANE"*) pass "sts+tlsa: the policy is MTA-STS enforce and DANE" ;;
  *) fail "sts+tlsa: the policy ($long)" ;; esac

# --- --domain, --authenticated ------------------------------------------------------------------
chk --db "$spike" --domain nosuch.example
is "unknown domain: UNKNOWN" "$status" 3
is "unknown domain: the first line" "$first" "TLSRPT UNKNOWN - nosuch.example: no report stored for this domain"
chk --db "$spike" --domain NoSuch.example,spike.example
is "unknown and CRITICAL domain: CRITICAL wins" "$status" 2
chk --db "$newt" -d newt.example
is "--domain newt.example: its WARNING only" "$status" 1
chk --db "$spike" --authenticated
is "--authenticated, none is: UNKNOWN" "$status" 3
is "--authenticated: says so" "$first" "TLSRPT UNKNOWN - no authenticated report since $(day 31)"
sql "$spike" "UPDATE reports SET dkim_result = 'pass', dkim_aligned = true WHERE reporter_key = 'm.example'"
chk --db "$spike" --authenticated
is "--authenticated: only m.example's report" "$(perf_value 'spike.example sessions')" "500;;;0"
is "--authenticated: OK then" "$status" 0

# --- --format json: the same verdict --------------------------------------------------------------
chk --db "$spike" --format json
is "json: exit 2" "$status" 2
printf '%s\n' "$out" >"$TESTTMP/check.json"
check "json: one JSON document" json_ok "$TESTTMP/check.json"
case $out in '{"version":2,"kind":"check","state":"CRITICAL","exit_status":2,"summary":"spike.example: 40.00% of 1000 sessions failed since '"$D1"' (certificate-expired)"'*) pass "json: state, exit status, summary" ;;
  *) fail "json: state, exit status, summary ($(head -c 300 <<<"$out"))" ;; esac
case $out in *'"rule":"failure-rate","domain":"spike.example"'*'"failure_rate":0.4'*) pass "json: the problem and the domain's figures" ;;
  *) fail "json: the problem and the domain's figures" ;; esac
chk --db "$spike" --format csv
is "--format csv: UNKNOWN" "$status" 3

# --- --enforce-ready ------------------------------------------------------------------------------
er=$(newdb)
daily "$R" g.example ready.example 30 1 400 0
daily "$R" m.example ready.example 30 1 100 0
daily "$R" g.example notyet.example 30 1 400 0
rep "$R" g.example notyet.example 5 395 5 certificate-host-mismatch
daily "$R" m.example notyet.example 30 1 100 0
daily "$R" g.example solo.example 30 1 100 0
load "$er" "$R"
D30=$(day 30)
chk --db "$er" --enforce-ready ready.example
is "enforce-ready: OK" "$status" 0
is "enforce-ready: the evidence" "$first" \
  "TLSRPT OK - ready.example is ready for enforce: no failure in 15000 sessions since $D30, reports on 30 of 30 days from 2 reporters (MTA-STS testing)"
is "enforce-ready: perfdata days" "$(perf_value 'ready.example days')" "30;;;0;30"
is "enforce-ready: perfdata reporters" "$(perf_value 'ready.example reporters')" "2;;;0"
is "enforce-ready: perfdata failed, 0 as the warning range" "$(perf_value 'ready.example failed')" "0;0;;0"
is "enforce-ready: the reporters line" "$(tail -n 1 <<<"$long")" "reporters since the window began: g.example (30 reports), m.example (30 reports)"
chk --db "$er" --enforce-ready notyet.example
is "enforce-ready, a failure: WARNING" "$status" 1
is "enforce-ready, a failure: what still fails" "$first" \
  "TLSRPT WARNING - notyet.example is not ready for enforce: 5 of 15400 sessions failed since $D30: certificate-host-mismatch 5 (most at mx1.notyet.example)"
chk --db "$er" --enforce-ready solo.example
is "enforce-ready, one reporter: WARNING" "$first" \
  "TLSRPT WARNING - solo.example is not ready for enforce: reports from 1 reporter since $D30 (2 needed)"
chk --db "$er" --enforce-ready solo.example --min-reporters 1
is "enforce-ready, --min-reporters 1: OK" "$status" 0
chk --db "$er" --enforce-ready ready.example --enforce-window 90d
is "enforce-ready, reports on 30 of 90 days: WARNING" "$first" \
  "TLSRPT WARNING - ready.example is not ready for enforce: reports on 30 of the 90 days since $(day 90)"
chk --db "$er" --enforce-ready Nosuch.Example
is "enforce-ready, unknown domain: UNKNOWN" "$status" 3
is "enforce-ready, unknown domain: says so" "$first" "TLSRPT UNKNOWN - nosuch.example: no report stored for this domain"

# --- the [check] group of the config file --------------------------------------------------------
printf '[check]\ncritical = 50\ndomain = spike.example\n' >"$TESTTMP/check.conf"
chk --db "$spike" --config "$TESTTMP/check.conf"
is "config: critical = 50 in [check]: WARNING" "$status" 1
chk --db "$spike" --config "$TESTTMP/check.conf" --critical 30
is "config: the command line wins" "$status" 2
printf '[tlsrptdb]\ndb = %s\n[check]\ncriticl = 50\n' "$spike" >"$TESTTMP/typo.conf"
chk --config "$TESTTMP/typo.conf"
is "config: a typo in [check]: UNKNOWN" "$status" 3
is "config: names it, with the line and the key meant" "$first" "TLSRPT UNKNOWN - $TESTTMP/typo.conf:4: unknown setting \"criticl\" in [check]: did you mean critical?"
report_json typo-1 >"$TESTTMP/typo.json"
"$TLSRPTDB" ingest --config "$TESTTMP/typo.conf" --db "$(newdb)" <"$TESTTMP/typo.json"
is "config: ingest does not read [check]: a typo there does not defer mail" "$?" 0
printf '[check]\nwarning = lots\n' >"$TESTTMP/bad.conf"
chk --db "$spike" --config "$TESTTMP/bad.conf"
is "config: a bad value: UNKNOWN" "$status" 3
case $first in "TLSRPT UNKNOWN - config file, [check] warning: --warning: invalid threshold range \"lots\""*) pass "config: a bad value: says where" ;;
  *) fail "config: a bad value: says where ($first)" ;; esac
printf '[tlsrptdb]\nsince = 2d\n' >"$TESTTMP/misplaced.conf"
chk --db "$spike" --config "$TESTTMP/misplaced.conf"
is "config: a check key in [tlsrptdb]: UNKNOWN" "$status" 3

# --- bad inputs: UNKNOWN (3) with a reason on the first line, never 64 or 66 ----------------------
chk --db "$TESTTMP/none/reports.db"
is "missing database: UNKNOWN" "$status" 3
case $first in "TLSRPT UNKNOWN - $TESTTMP/none/reports.db: no such database (tlsrptdb ingest creates it)") pass "missing database: the reason" ;;
  *) fail "missing database: the reason ($first)" ;; esac
is "missing database: stdout only" "$err" ""
mkdir -p "$TESTTMP/loop"
ln -s loop.db "$TESTTMP/loop/loop.db"
chk --db "$TESTTMP/loop/loop.db/reports.db"
is "a path through a symlink loop: UNKNOWN" "$status" 3
is "a path through a symlink loop: not \"no such database\"" "$first" "TLSRPT UNKNOWN - $TESTTMP/loop/loop.db/reports.db: cannot open database: Too many levels of symbolic links"
if on_sqlite; then # a file of another program
  other=$TESTTMP/other.db
  sql "$other" "CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('hello')"
  chk --db "$other"
  is "another program's database: UNKNOWN" "$status" 3
  case $first in *"not a tlsrptdb database"*) pass "another program's database: says so" ;; *) fail "another program's database ($first)" ;; esac
fi
newer=$(copydb "$spike")
claim_schema "$newer" 99
chk --db "$newer"
is "newer schema: UNKNOWN" "$status" 3
case $first in *"is newer than this program"*) pass "newer schema: says so" ;; *) fail "newer schema ($first)" ;; esac
empty=$(newdb)
ingest "$empty" "$SRCDIR/tests/corpus/n_plain_text_mail.eml"
sql "$empty" "DELETE FROM rejected"
chk --db "$empty"
is "empty database: UNKNOWN" "$status" 3
is "empty database: the first line" "$first" "TLSRPT UNKNOWN - no report stored yet"
: >"$TESTTMP/zero.db"
chk --db "$TESTTMP/zero.db"
is "empty file: UNKNOWN" "$status" 3
chk --db "$TESTTMP"
is "a directory: UNKNOWN" "$status" 3
for args in "--bogus" "--since 3m" "--warning 10:5" "--since tomorrowish" "--min-sessions -1" "--history 2099-01-01" "--enforce-ready a;b" "extra"; do
  # shellcheck disable=SC2086
  chk --db "$spike" $args
  is "usage error, UNKNOWN: $args" "$status" 3
  case $first in "TLSRPT UNKNOWN - "?*) pass "usage error, a reason: $args" ;; *) fail "usage error, a reason: $args ($first)" ;; esac
done

# --- the first line stays short; hostile domain names stay in their place -------------------------
many=$(newdb)
for i in $(seq -w 1 30); do rep "$R" g.example "d$i.example" 1 50 50; done
printf '{"organization-name":"x","date-range":{"start-datetime":"%sT00:00:00Z","end-datetime":"%sT23:59:59Z"},"contact-info":"tlsrpt@evil.example","report-id":"evil","policies":[{"policy":{"policy-type":"sts","policy-domain":"evil'"'"'| x=1\\n:: TLSRPT OK"},"summary":{"total-successful-session-count":0,"total-failure-session-count":99}}]}\n' "$D1" "$D1" >"$R/evil.json"
load "$many" "$R"
chk --db "$many"
is "many problems: CRITICAL" "$status" 2
check "many problems: the first line's text is at most 200 characters (${#first})" test "${#first}" -le 218
case $first in *" (+"*" more)") pass "many problems: says how many more" ;; *) fail "many problems: says how many more ($first)" ;; esac
is "hostile: one line starts with TLSRPT" "$(grep -c '^TLSRPT' "$TESTTMP/chk.out")" 1
is "hostile: the first line has one '|'" "$(head -n 1 "$TESTTMP/chk.out" | tr -cd '|' | wc -c)" 1
is "hostile: its perfdata label, escaped and quoted" "$(perf_value "evil''\\x7c x\\x3d1\\n\\x3a\\x3a tlsrpt ok sessions")" "99;;;0"
is "hostile: every domain has its three items" "$(printf '%s\n' "$perf" | grep -o "'=" | wc -l)" 93

# --- a check while eight ingests write: CRITICAL or UNKNOWN, never a crash or a wrong OK ----------
busy=$(copydb "$spike")
for w in 1 2 3 4 5 6 7 8; do
  (for i in $(seq 1 12); do
    report_json "busy-$w-$i" "tlsrpt@w$w.example" | sed "s/2026-11-20/$D1/g; s/example.com/w$w.example/g" |
      "$TLSRPTDB" ingest --db "$busy" 2>/dev/null
  done) &
done
verdicts=''
for i in $(seq 1 12); do
  chk --db "$busy"
  verdict=${first%% - *}
  verdicts="$verdicts $status:${verdict// /_}"
done
wait
bad=$(tr ' ' '\n' <<<"$verdicts" | grep -v -e '^$' -e '^2:TLSRPT_CRITICAL$' -e '^3:TLSRPT_UNKNOWN$' | sort | uniq -c | tr '\n' ' ')
is "while 8 ingests write: every verdict CRITICAL or UNKNOWN" "$bad" ""
is "and all 96 reports were stored" "$(sql "$busy" "SELECT count(*) FROM reports WHERE reporter_key LIKE 'w%'")" 96
chk --db "$busy"
is "afterwards: CRITICAL, the spike" "$status" 2

done_testing
