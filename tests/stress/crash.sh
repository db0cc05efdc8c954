#!/bin/bash
# crash.sh [TLSRPTDB] - kill -9 ingest at random moments, at least KILLS (300) times
#
# Each round makes a new report (0 to 3,000 failure-details, as bare JSON or a gzip email),
# starts its ingest and kills it with SIGKILL after a random delay: in odd rounds anywhere
# within its measured run time, in even rounds after the program's start-up time (when it
# parses and writes the database); every other round lets a second ingest (a sample or a non-report) run alongside.  Every 20th round kills the very first ingest of a new
# database (creation and schema set-up).  Counted are the kills that hit a running process.
# Then: integrity_check ok (also every 10 rounds), every report whole or absent; redelivering
# the pool completes the set, each report whole.
. "$(dirname "$0")/lib.sh"

kills_wanted=${KILLS:-300}
max_rounds=$((kills_wanted * 4))
pool=$TESTTMP/pool
mkdir -p "$pool"
db=$TESTTMP/db/reports.db
start=$(date +%s)

# make ID FAILURES KIND : $m = the message of one round; report ID whole = FAILURES failure rows
make () {
  case $3 in
    json) m=$pool/$1.json; report_failures "$1" "$2" >"$m" ;;
    eml) m=$pool/$1.eml; report_failures "$1" "$2" >"$TESTTMP/r.json"; mail_gzip "$1" "$TESTTMP/r.json" >"$m" ;;
  esac
}
sizes=(0 1 10 100 300 1000 2000 3000)
kinds=(json eml)

# how long starting the program takes, and each kind of ingest (ms, the least of 3 runs)
startup=1000000
for i in 1 2 3; do
  now_ms; t0=$now; "$TLSRPTDB" --version >/dev/null; now_ms
  ((now - t0 < startup)) && startup=$((now - t0))
done
declare -A took
for f in "${sizes[@]}"; do
  for k in "${kinds[@]}"; do
    took[$f-$k]=1000000
    for i in 1 2 3; do
      make "warm-$i-$f-$k" "$f" "$k"
      now_ms; t0=$now
      "$TLSRPTDB" ingest --db "$TESTTMP/scratch/reports.db" <"$m" || fail "warm-up ingest of $m"
      now_ms
      ((now - t0 < took[$f-$k])) && took[$f-$k]=$((now - t0))
      rm -f "$m"
    done
  done
done
echo "# start-up takes $startup ms; ingest ${took[0-json]} ms (empty report) to ${took[3000-eml]} ms (3,000 failure-details, gzip email)"
mkdir -p "$TESTTMP/others"
cp "$SAMPLES"/*.eml "$TESTTMP/others/"
for i in 1 2 3; do
  printf 'From: someone@example.net\nSubject: hello\nMessage-ID: <crash-plain-%d@example.net>\n\nNot a report.\n' "$i" >"$TESTTMP/others/plain-$i.eml"
done
others=("$TESTTMP"/others/*)
ref=$TESTTMP/ref/reports.db
for f in "${others[@]}"; do "$TLSRPTDB" ingest --db "$ref" <"$f" || fail "reference ingest of ${f##*/}"; done

# whole DB - the reports whose failure rows differ from what their report-id says (must be none)
whole () {
  sql "$1" "SELECT r.report_id || ' ' || (SELECT count(*) FROM failures f JOIN policies p ON f.policy_ref = p.id
    WHERE p.report_ref = r.id) || ' ' || (SELECT count(*) FROM policies p WHERE p.report_ref = r.id)
    FROM reports r WHERE r.report_id LIKE 'crash-%'" | awk '{split($1, a, "-"); if (a[3] != $2 || $3 != 1) print}'
}

landed=0 missed=0 rounds=0 fresh=0 bad_status=0 bad_integrity=0 bad_fresh=0
while [ "$landed" -lt "$kills_wanted" ] && [ "$rounds" -lt "$max_rounds" ]; do
  rounds=$((rounds + 1))
  size=${sizes[RANDOM % ${#sizes[@]}]} kind=${kinds[RANDOM % 2]}
  make "crash-$rounds-$size" "$size" "$kind"
  f=$m
  target=$db
  if ((rounds % 20 == 0)); then target=$TESTTMP/fresh$rounds/reports.db; fi
  other=
  if ((rounds % 2 == 0)); then
    g=${others[RANDOM % ${#others[@]}]}
    "$TLSRPTDB" ingest --db "$db" <"$g" 2>>"$TESTTMP/other.err" &
    other=$!
  fi
  "$TLSRPTDB" ingest --db "$target" <"$f" 2>/dev/null &
  victim=$!
  t=${took[$size-$kind]}
  if ((rounds % 2)); then # anywhere, or after the start-up: where the database is written
    sleep_ms $((RANDOM % (t * 12 / 10 + 1)))
  else
    sleep_ms $((startup + RANDOM % ((t - startup) * 15 / 10 + 2)))
  fi
  kill -9 "$victim" 2>/dev/null
  { wait "$victim"; } 2>/dev/null
  s=$?
  if [ "$s" = 137 ]; then landed=$((landed + 1)); else missed=$((missed + 1)); fi
  if [ -n "$other" ]; then
    wait "$other"
    s=$?
    case $s in 0 | 75) ;; *) bad_status=$((bad_status + 1)); echo "# the other ingest exited $s" ;; esac
  fi
  if [ "$target" != "$db" ]; then
    fresh=$((fresh + 1))
    if ! "$TLSRPTDB" ingest --db "$target" <"$f" 2>>"$TESTTMP/fresh.err" || [ "$(integrity "$target")" != ok ]; then
      bad_fresh=$((bad_fresh + 1)); echo "# new database killed in round $rounds: not usable afterwards"
    fi
  fi
  if ((rounds % 10 == 0)); then
    i=$(integrity "$db")
    w=$(whole "$db")
    if [ "$i" != ok ] || [ -n "$w" ]; then bad_integrity=$((bad_integrity + 1)); echo "# round $rounds: $i $w"; fi
  fi
done
echo "# $rounds rounds: $landed kills hit a running ingest, $missed came after it had finished; $fresh on a new database"
check "at least $kills_wanted kills hit a running ingest" [ "$landed" -ge "$kills_wanted" ]
is "the ingests running alongside exited 0 or 75" "$bad_status" 0
is "integrity_check ok and every report whole, every 10 rounds" "$bad_integrity" 0
is "a database killed while being created works afterwards" "$bad_fresh" 0
is "integrity_check after the kills" "$(integrity "$db")" "ok"
is "every report whole or absent after the kills" "$(whole "$db")" ""
present=$(sql "$db" "SELECT count(*) FROM reports")

# redelivery completes the set
bad=0
for f in "$pool"/* "${others[@]}"; do
  "$TLSRPTDB" ingest --db "$db" <"$f" || { bad=$((bad + 1)); echo "# redelivery of ${f##*/} exited $?"; }
done
is "redelivery: every ingest exits 0" "$bad" 0
is "redelivery: integrity_check" "$(integrity "$db")" "ok"
is "redelivery: every report whole" "$(whole "$db")" ""
is "redelivery: the complete set" "$(sql "$db" "SELECT count(*) FROM reports WHERE report_id LIKE 'crash-%'") $(sql "$db" "SELECT reporter_key, report_id FROM reports WHERE report_id NOT LIKE 'crash-%' ORDER BY 1, 2" | md5sum)" \
  "$(ls "$pool" | wc -l) $(sql "$ref" "SELECT reporter_key, report_id FROM reports ORDER BY 1, 2" | md5sum)"
is "redelivery: each non-report in rejected" "$(sql "$db" "SELECT count(DISTINCT message_id) FROM rejected WHERE message_id LIKE 'crash-plain-%'")" 3
echo "# figures: kills=$landed rounds=$rounds missed=$missed new_databases=$fresh reports_present_before_redelivery=$present/$(($(ls "$pool" | wc -l) + $(sql "$ref" "SELECT count(*) FROM reports"))) seconds=$(($(date +%s) - start))"
done_testing
