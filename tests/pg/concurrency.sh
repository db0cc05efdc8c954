#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# concurrency.sh [TLSRPTDB] - two MX hosts, one PostgreSQL database: 64 ingests at once
#
# 2,000 messages: 1,200 reports, 760 of them delivered twice (as senders retry, and as two rua
# addresses deliver), and 20 junk messages delivered twice each, in a shuffled order, to 64
# processes of two "hosts" (two config files, each its own application_name), 32 each.  Each
# process delivers as an MTA does: a message that exits 75 is tried again later (the server
# allows 50 connections, so some are refused with "too many clients").  Then every report is
# stored exactly once with its exact number of deliveries, every junk message is kept once with
# two, and every report has its summary rows.  Prints "# figures:" with the time and the
# number of deferrals.
# shellcheck source=../stress/lib.sh
. "$(dirname "$0")/../stress/lib.sh"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

REPORTS=1200 TWICE=760 JUNK=20 WORKERS=64
pg_gate
check "the server starts" pg_setup || { done_testing; exit 1; }
chmod 0755 "$TESTTMP"
db=$(pg_conninfo tlsrpt_ingest)
check "the owner creates the schema" pg_as tlsrpt_owner "$TLSRPTDB" upgrade --db "$(pg_conninfo tlsrpt_owner)"

# --- the messages, in a shuffled order ---
mkdir -p "$TESTTMP/mail"
for i in $(seq 1 "$REPORTS"); do report_json "conc-$i" >"$TESTTMP/mail/r$i.json"; done
for i in $(seq 1 "$JUNK"); do
  printf 'From: junk@spam.example\nSubject: junk %d\nMessage-ID: <junk-%d@spam.example>\n\nnot a report %d\n' \
    "$i" "$i" "$i" >"$TESTTMP/mail/j$i.eml"
done
{
  for i in $(seq 1 "$REPORTS"); do echo "r$i.json"; done
  for i in $(seq 1 "$TWICE"); do echo "r$i.json"; done
  for i in $(seq 1 "$JUNK"); do echo "j$i.eml"; echo "j$i.eml"; done
} | shuf --random-source=<(yes) >"$TESTTMP/order"
is "2,000 messages" "$(wc -l <"$TESTTMP/order")" 2000
for host in mx1 mx2; do
  printf '[tlsrptdb]\ndb = %s application_name=%s\n' "$db" "$host" >"$TESTTMP/$host.conf"
done
chmod -R a+rX "$TESTTMP"

# --- 64 processes, two hosts ---
# worker N HOST : deliver messages N, N+64, ... of the order, each until it exits 0 (an MTA
# retries on 75), and write "deferrals failures" to $TESTTMP/w/out.N (stderr: err.N)
mkdir -p "$TESTTMP/w"
[ "$(id -u)" != 0 ] || chown "$PG_USER:" "$TESTTMP/w"
worker () {
  # shellcheck disable=SC2016 # the script's own variables, expanded by the inner bash
  pg_server_user env TLSRPTDB="$TLSRPTDB" TLSRPTDB_MODULE_DIR="$TLSRPTDB_MODULE_DIR" \
    CONF="$TESTTMP/$2.conf" MAIL="$TESTTMP/mail" ORDER="$TESTTMP/order" N="$1" STEP="$WORKERS" \
    OUT="$TESTTMP/w/out.$1" ERR="$TESTTMP/w/err.$1" bash -c '
    deferred=0 failed=0
    while read -r f; do
      tries=0
      while :; do
        "$TLSRPTDB" ingest --config "$CONF" <"$MAIL/$f" 2>>"$ERR"
        rc=$?
        [ "$rc" = 0 ] && break
        tries=$((tries + 1))
        if [ "$rc" != 75 ] || [ "$tries" -gt 100 ]; then failed=$((failed + 1)); break; fi
        deferred=$((deferred + 1))
        sleep "0.$((RANDOM % 5 + 1))"
      done
    done < <(awk -v n="$N" -v s="$STEP" "NR % s == n % s" "$ORDER")
    echo "$deferred $failed" >"$OUT"'
}
now_ms
start=$now
for n in $(seq 1 "$WORKERS"); do
  worker "$n" "$([ $((n % 2)) = 0 ] && echo mx1 || echo mx2)" &
done
wait
now_ms
seconds=$(((now - start) / 1000))
deferrals=$(cat "$TESTTMP"/w/out.* | awk '{ d += $1; f += $2 } END { print d + 0, f + 0 }')
is "every message was delivered in the end (none failed for good)" "${deferrals#* }" 0
outs=("$TESTTMP"/w/out.*)
check "every worker finished" test "${#outs[@]}" -eq "$WORKERS"

# --- every report once, deliveries exact ---
is "every report stored exactly once" \
  "$(pg_psql tlsrpt_read -c "SELECT count(*), count(DISTINCT report_id) FROM reports")" "$REPORTS|$REPORTS"
is "delivery counts exact" \
  "$(pg_psql tlsrpt_read -c "SELECT sum(deliveries), count(*) FILTER (WHERE deliveries = 2),
     count(*) FILTER (WHERE deliveries = 2 AND substr(report_id, 6)::int <= $TWICE) FROM reports")" \
  "$((REPORTS + TWICE))|$TWICE|$TWICE"
is "each report with its policy, failure detail and summaries" \
  "$(pg_psql tlsrpt_read -c "SELECT (SELECT count(*) FROM policies), (SELECT count(*) FROM failures),
     (SELECT count(*) FROM summary_sessions), (SELECT count(*) FROM summary_policy_failures)")" \
  "$REPORTS|$REPORTS|$REPORTS|$REPORTS"
is "junk kept once per message, both deliveries counted" \
  "$(pg_psql tlsrpt_read -c "SELECT count(*), sum(deliveries) FROM rejected")" "$JUNK|$((2 * JUNK))"
is "the rejected budget counts each message once" \
  "$(pg_psql tlsrpt_read -c "SELECT (SELECT value FROM counters WHERE name = 'rejected_bytes') = (SELECT sum(octet_length(raw_message)) FROM rejected)")" t
is "the summary counts them all" \
  "$(pg_as tlsrpt_read "$TLSRPTDB" query --db "$(pg_conninfo tlsrpt_read)" summary --since 2026-11-01 --format csv | tail -1 | cut -d, -f1-3)" \
  "example.com,$((5 * REPORTS)),$REPORTS"
cat "$TESTTMP"/w/err.* | grep -v -e 'too many clients' -e 'cannot connect'  | sort | uniq -c | head -5 | sed 's/^/# other deferral: /'
echo "# figures: $WORKERS processes, 2 hosts, 2000 messages in $seconds s; ${deferrals% *} deferrals (75) retried"
done_testing
