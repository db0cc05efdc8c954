#!/bin/bash
# concurrency.sh [TLSRPTDB] - many ingest processes at once on one new database
#
# At least 2,000 messages (distinct reports delivered 1 to 4 times, as bare JSON and as gzip
# emails; the samples 20 times each; non-reports), fed by PARALLEL (32) processes at a time in a
# random order, starting on a database that does not exist yet.  A message whose ingest exits
# 75 (locked past the busy timeout) is delivered again, as an MTA would.  Then: every exit 0 or
# 75-then-0; every distinct report stored once, whole, with deliveries = copies sent; every
# non-report in `rejected` once; PRAGMA integrity_check ok.
. "$(dirname "$0")/lib.sh"

distinct=${DISTINCT:-700}
parallel=${PARALLEL:-32}
sample_copies=20
nonreports=120
msgs=$TESTTMP/msgs
mkdir -p "$msgs"
db=$TESTTMP/db/reports.db
start=$(date +%s)

# distinct reports: copy k of report i is a gzip email when (i + k) % 3 == 0, else bare JSON
: >"$TESTTMP/expected"
for ((i = 1; i <= distinct; i++)); do
  report_json "conc-$i" >"$TESTTMP/r.json"
  copies=$((1 + i % 4))
  for ((k = 0; k < copies; k++)); do
    if (((i + k) % 3 == 0)); then
      mail_gzip "conc-$i" "$TESTTMP/r.json" >"$msgs/r$i-$k.eml"
    else
      cp "$TESTTMP/r.json" "$msgs/r$i-$k.json"
    fi
  done
  echo "sender.example|conc-$i|$copies" >>"$TESTTMP/expected"
done
# identical sample emails racing each other
for s in "$SAMPLES"/*.eml; do
  for ((k = 0; k < sample_copies; k++)); do cp "$s" "$msgs/s-$(basename "$s" .eml)-$k.eml"; done
done
# non-reports: each must end up in `rejected` exactly once
for ((i = 1; i <= nonreports; i++)); do
  printf 'From: someone@example.net\nTo: tls-reports@example.com\nSubject: hello %d\nMessage-ID: <plain-%d@example.net>\n\nNot a report, number %d.\n' "$i" "$i" "$i" >"$msgs/n$i.eml"
done
total=$(find "$msgs" -type f | wc -l)
echo "# $total messages ($distinct distinct reports, $(ls "$SAMPLES"/*.eml | wc -l) samples x $sample_copies, $nonreports non-reports), $parallel at a time"

# the reference: each sample once, sequentially, on a database of its own
ref=$TESTTMP/ref/reports.db
for s in "$SAMPLES"/*.eml; do "$TLSRPTDB" ingest --db "$ref" <"$s" || fail "reference ingest of $s"; done

# the worker: deliver one message, again after 75 (at most 5 times), log "file statuses"
cat >"$TESTTMP/worker.sh" <<'WORKER'
#!/bin/bash
f=$1 statuses=
for try in 1 2 3 4 5; do
  "$TLSRPTDB" ingest --db "$DB" <"$f" 2>>"$TESTTMP/stderr.log"
  s=$?
  statuses=$statuses${statuses:+,}$s
  [ "$s" = 75 ] || break
  sleep 0.5
done
echo "$f $statuses" >>"$TESTTMP/results"
WORKER
: >"$TESTTMP/results"
: >"$TESTTMP/stderr.log"
find "$msgs" -type f | shuf | DB=$db xargs -d '\n' -P "$parallel" -n 1 bash "$TESTTMP/worker.sh"
elapsed=$(($(date +%s) - start))

is "every message accounted for" "$(wc -l <"$TESTTMP/results")" "$total"
bad=$(awk '$2 != "0" && $2 !~ /^(75,)+0$/' "$TESTTMP/results" | head -5)
is "every exit 0, or 75 then 0 on redelivery" "$bad" ""
retries=$(grep -c ',' "$TESTTMP/results")
ingests=$(awk -F, '{n += NF} END {print n}' "$TESTTMP/results")
is "stderr only says 'deferred' (or nothing)" "$(grep -vc 'deferred' "$TESTTMP/stderr.log")" "0"
is "integrity_check" "$(integrity "$db")" "ok"

# every distinct report once, with deliveries = copies
sql "$db" "SELECT reporter_key || '|' || report_id || '|' || deliveries FROM reports WHERE report_id LIKE 'conc-%'" | sort >"$TESTTMP/got"
sort "$TESTTMP/expected" >"$TESTTMP/want"
if cmp -s "$TESTTMP/got" "$TESTTMP/want"; then pass "every distinct report stored once, deliveries = copies"
else fail "every distinct report stored once, deliveries = copies"; diff "$TESTTMP/want" "$TESTTMP/got" | head -5 | sed 's/^/#   /'; fi
is "generated reports whole (1 policy, 1 failure each)" "$(sql "$db" "SELECT count(*) FROM reports r WHERE report_id LIKE 'conc-%'
  AND ((SELECT count(*) FROM policies p WHERE p.report_ref = r.id) != 1
    OR (SELECT count(*) FROM failures f JOIN policies p ON f.policy_ref = p.id WHERE p.report_ref = r.id) != 1)")" "0"

# the samples: the same rows as the sequential reference, deliveries = copies
shape="SELECT r.reporter_key || '|' || r.report_id || '|' || (SELECT count(*) FROM policies p WHERE p.report_ref = r.id)
  || '|' || (SELECT count(*) FROM failures f JOIN policies p ON f.policy_ref = p.id WHERE p.report_ref = r.id)
  FROM reports r WHERE r.report_id NOT LIKE 'conc-%' ORDER BY 1"
is "samples: same reports, policies and failures as one sequential ingest" "$(sql "$db" "$shape")" "$(sql "$ref" "$shape")"
is "samples: deliveries = copies" "$(sql "$db" "SELECT DISTINCT deliveries FROM reports WHERE report_id NOT LIKE 'conc-%'")" "$sample_copies"
want_rejected=$((nonreports + sample_copies * $(sql "$ref" "SELECT count(*) FROM rejected")))
is "non-reports: each in rejected once" "$(sql "$db" "SELECT count(*) FROM rejected")" "$want_rejected"
is "non-reports: no duplicates in rejected" "$(sql "$db" "SELECT count(*) FROM (SELECT message_id FROM rejected WHERE message_id LIKE 'plain-%' GROUP BY 1 HAVING count(*) > 1)")" "0"
is "reports total" "$(sql "$db" "SELECT count(*) FROM reports")" "$((distinct + $(sql "$ref" "SELECT count(*) FROM reports")))"
echo "# figures: messages=$total ingests=$ingests redeliveries_after_75=$retries parallel=$parallel seconds=$elapsed"
done_testing
