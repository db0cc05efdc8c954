# t-config.sh - tlsrptdb config: the settings in effect and where each comes from; the line and
# the meant key of a mistake in the config file
# shellcheck shell=bash disable=SC2154 # status, out, err: set by q and ingest (lib.sh)
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=query-lib.sh
. "$(dirname "$0")/query-lib.sh"

conf=$TESTTMP/tlsrptdb.conf
db=$TESTTMP/prod/reports.db
printf '# the set-up of contrib/\n[tlsrptdb]\n\ndb = %s\ndomains = example.com, *.example.com\nmax-message-size = 10485760\n' "$db" >"$conf"

# --- what the set-ups need: one database, named by the config file -------------------------------
q config --config "$conf" --format csv-exact
is "config: exit 0" "$status" 0
is "config: the file, the database with its line, the settings not at their default" \
  "$(printf '%s\n' "$out" | tr -d '\r')" \
  "$(printf 'key,value,source,origin\nconfig,%s,command-line,--config\ndb,%s,file,%s:4\ndomains,example.com; *.example.com,file,%s:5\nmax-message-size,10M,file,%s:6' \
    "$conf" "$db" "$conf" "$conf" "$conf")"
TLSRPTDB_CONFIG=$conf q config db --format csv-exact
is "config: \$TLSRPTDB_CONFIG names the file" "$(printf '%s\n' "$out" | sed -n 2p)" "db,$db,file,$conf:4$(printf '\r')"
TLSRPTDB_CONFIG=$conf q config config --format csv-exact
is "config: ... and config says so" "$(printf '%s\n' "$out" | sed -n 2p)" "config,$conf,environment,TLSRPTDB_CONFIG$(printf '\r')"
TLSRPTDB_CONFIG=$conf TLSRPTDB_DB=$TESTTMP/env.db q config db --format csv-exact
is "config: \$TLSRPTDB_DB wins over the file" "$(printf '%s\n' "$out" | sed -n 2p)" "db,$TESTTMP/env.db,environment,TLSRPTDB_DB$(printf '\r')"
TLSRPTDB_CONFIG=$conf TLSRPTDB_DB=$TESTTMP/env.db q config db --db "$TESTTMP/opt.db" --format csv-exact
is "config: --db wins over both" "$(printf '%s\n' "$out" | sed -n 2p)" "db,$TESTTMP/opt.db,command-line,--db$(printf '\r')"
q config --config "$conf" --max-reports 4 --domains example.org max-reports domains --format csv-exact
is "config: the options of ingest, over the file" "$(printf '%s\n' "$out" | sed -n '2,3p' | tr -d '\r')" \
  "$(printf 'domains,example.org,command-line,--domains\nmax-reports,4,command-line,--max-reports')"
q config --config "$conf" --all --format json
is "config --all: every setting, and the 11 keys of [check]" "$(printf '%s\n' "$out" | grep -c '"key":')" 26
is "config --all: a key of [check] at its default" "$(printf '%s\n' "$out" | grep '"key":"check.critical"')" \
  '{"key":"check.critical","value":"25","source":"default","origin":null},'
is "config --all: a default" "$(printf '%s\n' "$out" | grep '"key":"max-json-depth"')" \
  '{"key":"max-json-depth","value":"64","source":"default","origin":null},'
check "config --all: valid JSON" json_ok "$TESTTMP/q.out"
printf '[check]\nwarning = 3\n' >"$TESTTMP/check.conf"
q config --config "$TESTTMP/check.conf" --format csv-exact
is "config: a key set in [check] is shown, with its line" "$(printf '%s\n' "$out" | grep '^check' | tr -d '\r')" \
  "check.warning,3,file,$TESTTMP/check.conf:2"
q config --config "$TESTTMP/check.conf" check.warning check.since --format csv-exact
is "config check.KEY: the keys asked for" "$(printf '%s\n' "$out" | sed 1d | cut -d, -f1-3 | tr -d '\r' | tr '\n' ' ')" \
  "check.since,24h,default check.warning,3,file "
q config check.warnin
is "config check.KEY: a typo is 64 with a suggestion" "$status:$(printf '%s' "$err" | grep -c 'did you mean check.warning')" "64:1"
printf '[check]\nwarnin = 3\n' >"$TESTTMP/check-typo.conf"
q config --config "$TESTTMP/check-typo.conf"
is "config: a typo in [check] is found too (78)" "$status:$(printf '%s' "$err" | grep -c ':2: unknown setting \"warnin\" in \[check\]')" "78:1"
XDG_DATA_HOME=$TESTTMP/xdg q config --config "$SRCDIR/tests/cli/empty.conf"
case $out in *"db "*"$TESTTMP/xdg/tlsrptdb/reports.db"*"default"*) pass "config: the default database, in text" ;;
  *) fail "config: the default database, in text ($out)" ;; esac
case $out in *"The database is the default of user "*) fail "config: notes only on a terminal ($out)" ;;
  *) pass "config: notes only on a terminal" ;; esac
# on a terminal (a pty made by script(1)) the notes follow the table
out=$(XDG_DATA_HOME=$TESTTMP/xdg script -qec "$(printf '%q ' "$TLSRPTDB" config --config "$SRCDIR/tests/cli/empty.conf")" /dev/null | tr -d '\r')
case $out in *"The database is the default of user "*) pass "config: on a terminal, text says the default database is per user" ;;
  *) fail "config: on a terminal, text says the default database is per user ($out)" ;; esac

# --- the database that config names is the one the commands use ----------------------------------
ingest "$db" "$SAMPLES/google.eml" --config "$conf"
TLSRPTDB_CONFIG=$conf q query reports --format csv-exact
is "the commands use the database config names" "$status $(printf '%s\n' "$out" | wc -l)" "0 2"

# --- mistakes ----------------------------------------------------------------------------------------
q config dbb
is "config with an unknown setting: usage (64)" "$status" 64
is "config with an unknown setting: the one meant" "$err" 'tlsrptdb config: unknown setting "dbb": did you mean db?'
printf '[tlsrptdb]\ndb = %s\n# the next line is wrong\nrequire-dkm = yes\n' "$db" >"$conf"
q config --config "$conf"
is "a typo in the config file: config exits 78" "$status" 78
is "a typo in the config file: the line and the key meant" "$err" \
  "tlsrptdb config: $conf:4: unknown setting \"require-dkm\": did you mean require-dkim?"
ingest "$(newdb)" "$SAMPLES/google.eml" --config "$conf"
is "a typo in the config file: ingest defers (75) with the same line" "$status|$err" \
  "75|tlsrptdb ingest: $conf:4: unknown setting \"require-dkm\": did you mean require-dkim?"
printf '[tlsrptdb]\nfrobnicate = yes\n' >"$conf"
q config --config "$conf"
case $err in *"$conf:2: unknown setting \"frobnicate\" (the settings: db, domains, "*) pass "a key like none: the known keys are listed" ;;
  *) fail "a key like none: the known keys are listed ($err)" ;; esac
printf '[tlsrptdb]\nmax-reports = 3\n\n[TLSRPTDB]\nx = 1\n' >"$conf"
q config --config "$conf"
is "an unknown group: its line" "$err" "tlsrptdb config: $conf:4: unknown group [TLSRPTDB] (use [tlsrptdb])"

done_testing
