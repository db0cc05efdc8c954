# t-trust.sh - the config file, scope (domains) and authenticity (trusted Authentication-Results)
. "$(dirname "$0")/lib.sh"

# with_ar FILE HEADER... : FILE with Authentication-Results headers on top, as a verifier adds them
with_ar () {
  _f=$1; shift
  for _h in "$@"; do printf 'Authentication-Results: %s\n' "$_h"; done
  cat "$_f"
}
conf=$TESTTMP/tlsrptdb.conf

# --- the config file ---------------------------------------------------------------------------
db=$(newdb)
printf '[tlsrptdb]\n# comments are fine\ndb = %s\nverbose = true\nmax-reports = 4\n' "$db" >"$conf"
"$TLSRPTDB" ingest --config "$conf" <"$SAMPLES/google.eml" >"$TESTTMP/out"
is "config: db and verbose are read from the file" \
  "$?|$(sql "$db" "SELECT count(*) FROM reports")|$(cut -c1-7 "$TESTTMP/out")" "0|1|stored "
TLSRPTDB_CONFIG=$conf "$TLSRPTDB" ingest <"$SAMPLES/mox.eml" >/dev/null
is "config: \$TLSRPTDB_CONFIG names the file" "$(sql "$db" "SELECT count(*) FROM reports")" "2"
db2=$(newdb)
"$TLSRPTDB" ingest --config "$conf" --db "$db2" <"$SAMPLES/stalwart.eml" >/dev/null
is "config: the command line wins" \
  "$(sql "$db2" "SELECT count(*) FROM reports")|$(sql "$db" "SELECT count(*) FROM reports")" "1|2"

for bad in '[tlsrptdb]\nmax-reports = lots\n' '[tlsrptdb]\nno-such-key = 1\n' '[other]\ndb = x\n' \
  'not a key file\n' '[tlsrptdb]\nrequire-dkim = maybe\n'; do
  printf "$bad" >"$conf"
  ingest "$(newdb)" "$SAMPLES/google.eml" --config "$conf"
  is "bad config ($(printf "$bad" | tail -n 1)): deferred (75)" "$status" 75
  case $err in "tlsrptdb ingest: $conf: "* | "tlsrptdb ingest: $conf:"[0-9]*": "*) pass "bad config: one line naming the file" ;;
    *) fail "bad config: one line naming the file ($err)" ;; esac
done
ingest "$(newdb)" "$SAMPLES/google.eml" --config "$TESTTMP/missing.conf"
is "a config file named but missing: deferred (75)" "$status" 75

# --- scope: only our domains --------------------------------------------------------------------
db=$(newdb)
ingest "$db" "$SAMPLES/google.eml" --domains example.org,example.net
is "not our domain: exit 0" "$status" 0
is "not our domain: kept in rejected with the reason" \
  "$(sql "$db" "SELECT (SELECT count(*) FROM reports), reason FROM rejected")" \
  "0|not our domain: example.com"
ingest "$db" "$SAMPLES/google.eml" --domains example.org --reject
is "not our domain, --reject: still exit 0 (not malformed, and no backscatter)" "$status" 0
ingest "$db" "$SAMPLES/google.eml" --domains example.org --domains example.com
is "--domains is repeatable" "$(sql "$db" "SELECT count(*) FROM reports")" "1"
printf '[tlsrptdb]\ndomains = *.example.net; example.org\n' >"$conf"
db=$(newdb)
ingest "$db" "$SAMPLES/postfix-tlsrpt-reporter.eml" --config "$conf"
is "wildcard domains from the config file: only the policies about them are stored" \
  "$(counts "$db") $(sql "$db" "SELECT group_concat(coalesce(policy_domain, '-') || ':' || policy_index, ' ') FROM policies")" \
  "1 2 2 0 example.org:1 -:2"

# --- authenticity --------------------------------------------------------------------------------
trust="--trusted-authserv-id mx.our.example"
db=$(newdb)
with_ar "$SAMPLES/google.eml" "mx.our.example; dkim=pass header.d=google.example header.s=s1" >"$TESTTMP/m1"
ingest "$db" "$TESTTMP/m1" $trust
is "dkim=pass aligned: recorded" \
  "$(sql "$db" "SELECT dkim_result, dkim_domain, dkim_aligned FROM reports")" "pass|google.example|1"

db=$(newdb)
with_ar "$SAMPLES/google.eml" "mx.our.example; dkim=fail header.d=google.example" \
  "mx.our.example; dkim=pass header.d=google.example" >"$TESTTMP/m2"
ingest "$db" "$TESTTMP/m2" $trust
is "a forged pass below our verdict is ignored" "$(sql "$db" "SELECT dkim_result FROM reports")" "fail"
ingest "$(newdb)" "$TESTTMP/m2" $trust --require-dkim
is "require-dkim, dkim=fail: kept in rejected, exit 0" "$status" 0

db=$(newdb)
with_ar "$SAMPLES/google.eml" "mx.elsewhere.example; dkim=pass header.d=google.example" >"$TESTTMP/m3"
ingest "$db" "$TESTTMP/m3" $trust --require-dkim
is "untrusted authserv-id: not authenticated" \
  "$(sql "$db" "SELECT (SELECT count(*) FROM reports), reason FROM rejected")" \
  "0|not authenticated: no DKIM result from a trusted host"

db=$(newdb)
with_ar "$SAMPLES/google.eml" "mx.our.example; dkim=pass header.d=attacker.example" >"$TESTTMP/m4"
ingest "$db" "$TESTTMP/m4" $trust --require-dkim
is "dkim=pass for an unrelated domain: not authenticated" \
  "$(sql "$db" "SELECT reason FROM rejected")" \
  "not authenticated: signed by attacker.example, not aligned with the reporter google.example"
ingest "$db" "$TESTTMP/m4" $trust
is "without require-dkim: stored, marked not aligned" \
  "$(sql "$db" "SELECT dkim_result, dkim_aligned FROM reports")" "pass|0"

db=$(newdb)
with_ar "$SAMPLES/mailru.eml" "mx.our.example; dkim=pass header.d=corp.mail.example" >"$TESTTMP/m5"
ingest "$db" "$TESTTMP/m5" $trust --require-dkim
is "mail.ru style (submitter mail.*, signer corp.mail.*): aligned" \
  "$(sql "$db" "SELECT dkim_aligned FROM reports")" "1"

db=$(newdb)
ingest "$db" "$SAMPLES/google.eml" $trust --require-dkim
is "no Authentication-Results at all: not authenticated" "$(counts "$db")" "0 0 0 1"
ingest "$db" "$SAMPLES/google.eml"
is "nothing configured: nothing judged" "$(sql "$db" "SELECT dkim_result IS NULL FROM reports")" "1"

# --- queries can keep to authenticated reports ---------------------------------------------------
db=$(newdb)
ingest "$db" "$TESTTMP/m1" $trust
ingest "$db" "$TESTTMP/m4" $trust --domains example.com
ingest "$db" "$SAMPLES/mox.eml" $trust
for what in reports summary failures; do
  "$TLSRPTDB" query $what --db "$db" --since 2026-01-01 --format csv >"$TESTTMP/all.csv"
  "$TLSRPTDB" query $what --db "$db" --since 2026-01-01 --format csv --authenticated >"$TESTTMP/auth.csv"
  case $what in
    reports) is "query reports --authenticated: only the aligned pass" \
      "$(tail -n +2 "$TESTTMP/auth.csv" | wc -l) $(grep -c 'google.example' "$TESTTMP/auth.csv")" "1 1" ;;
    *) [ "$(wc -l <"$TESTTMP/auth.csv")" -ge 2 ] && ! grep -q 'example.org' "$TESTTMP/auth.csv" \
         && grep -q 'example.org' "$TESTTMP/all.csv"
       is "query $what --authenticated: leaves the unauthenticated reports out" "$?" 0 ;;
  esac
done

# --- permissions ---------------------------------------------------------------------------------
db=$TESTTMP/perm/sub/reports.db
(umask 077 && "$TLSRPTDB" ingest --db "$db" <"$SAMPLES/google.eml")
is "database directory mode under umask 077" "$(stat -c %a "$(dirname "$db")")" "750"
is "database file mode under umask 077" "$(stat -c %a "$db")" "640"
# a shared directory (set-group-ID, group-writable: the MTA's user and the web server's user in
# its group): the database and its -wal and -shm files are 0660, whatever the umask
for mode in 2770 2750 0770; do
  dir=$TESTTMP/perm-$mode
  mkdir "$dir" && chmod "$mode" "$dir"
  (umask 027 && "$TLSRPTDB" ingest --db "$dir/reports.db" <"$SAMPLES/google.eml")
  modes=$(stat -c %a "$dir/reports.db" "$dir/reports.db-wal" "$dir/reports.db-shm" | sort -u | tr '\n' ' ')
  case $mode in 2770) want="660 " ;; *) want="640 " ;; esac
  is "a database made in a directory $mode under umask 027: $want" "$modes" "$want"
done

done_testing
