# t-rejected.sh - query rejected and rejected show|raw|delete: the messages kept without a
# usable report, listed, shown, extracted byte for byte and deleted
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/query-lib.sh"

CORPUS=$SRCDIR/tests/corpus
db=$(newdb)
ingest "$db" "$SAMPLES/google.eml"
ingest "$db" "$CORPUS/n_corrupt_gzip.eml"
ingest "$db" "$CORPUS/n_plain_text_mail.eml"
ingest "$db" "$CORPUS/n_invalid_json.json"
# hostile: an escape sequence and a bidi override in From and Subject, a control character in the
# body; invalid UTF-8 and control characters in the reason are put there directly below
printf 'From: "Evil \033[2J" <x@evil.example>\nSubject: =?utf-8?b?4oCuZ3Jvd3RoIGxpZ2h0?= \001\nMessage-ID: <evil.1@evil.example>\n\nno report \033[31mhere\n' >"$TESTTMP/evil.eml"
ingest "$db" "$TESTTMP/evil.eml"
is "four messages kept in rejected" "$(sql "$db" "SELECT count(*) FROM rejected")" "4"
sql "$db" "UPDATE rejected SET received_at = '2026-11-2' || id || 'T06:00:00Z',
  last_received_at = '2026-11-2' || id || 'T07:00:00Z';
  UPDATE rejected SET reason = CAST(x'6e6f7420612072657065727420ff0a1b5b324a20e280ae' AS TEXT),
  mail_from = CAST(x'62616420ff2066726f6d' AS TEXT) WHERE id = 4"
R="query --db $db rejected"

# --- the listing -----------------------------------------------------------------------------
# shellcheck disable=SC2086
{
  golden query-rejected.txt "$TLSRPTDB" $R
  golden query-rejected.json "$TLSRPTDB" $R --format json
  golden query-rejected.csv "$TLSRPTDB" $R --format csv
  golden query-rejected-filters.txt "$TLSRPTDB" $R --since 2026-11-21 --until 2026-11-23 --reason GZIP
}
check "query rejected json parses" json_ok "$EXPECTED/query-rejected.json"
if grep -q "$(printf '\033')" "$EXPECTED/query-rejected.txt"; then fail "listing: no ESC in text"
else pass "listing: no ESC in text"; fi
if [ -n "$HAVE_PYTHON" ]; then
  is "query rejected csv: header and four rows of ten" "$(csv_rows "$EXPECTED/query-rejected.csv")" "5 x 10"
fi
ids () { "$TLSRPTDB" query --db "$db" rejected --format json "$@" | grep -o '"id":[0-9]*' | cut -d: -f2 | tr '\n' ' ' | sed 's/ $//'; }
is "newest first" "$(ids)" "4 3 2 1"
is "--limit" "$(ids --limit 2)" "4 3"
is "--since and --until: the day received" "$(ids --since 2026-11-22 --until 2026-11-23)" "3 2"
is "--reason: a part of it, any case" "$(ids --reason 'NOT A REPORT')" "2"
is "--from: a part of it, any case" "$(ids --from REPORTER.Example)" "1"
is "--from: invalid UTF-8 in the column" "$(ids --from 'bad ')" "4"
q query --db "$db" rejected --domain example.com
is "query rejected takes no report filters: 64" "$status" 64
q query --db "$db" reports --reason gzip
is "--reason is for query rejected only: 64" "$status" 64
q query --db "$db" rejected --reason "$(printf 'a\001')"
is "--reason: control characters refused" "$status" 64

# query summary --by reporter mentions rejected messages in its window, for people only
q query --db "$db" summary --by reporter --since 2026-11-01
is "summary by reporter, not on a terminal: no note" "$(printf '%s' "$out" | grep -c rejected)" "0"
qtty query --db "$db" summary --by reporter --since 2026-11-01
is "summary by reporter: a note on rejected" \
  "$(printf '%s\n' "$out" | grep -c '^Also 4 messages received since 2026-11-01 held no usable report and are kept in `rejected`: tlsrptdb query rejected --since 2026-11-01$')" "1"
qtty query --db "$db" summary --by reporter --since 2026-11-01 --until 2026-11-21
is "summary by reporter: the note counts the window" \
  "$(printf '%s\n' "$out" | grep -c '^Also 1 message received since 2026-11-01 until 2026-11-21 held')" "1"
q query --db "$db" summary --by reporter --since 2026-11-01 --format json
is "summary json: no note" "$(printf '%s' "$out" | grep -c rejected)" "0"
q query --db "$db" summary --since 2026-11-01
is "summary by domain: no note" "$(printf '%s' "$out" | grep -c rejected)" "0"

# --- show ------------------------------------------------------------------------------------
golden rejected-show.txt "$TLSRPTDB" rejected --db "$db" show 2 4
golden rejected-show.json "$TLSRPTDB" rejected --db "$db" show 2 4 --format json
golden rejected-show.csv "$TLSRPTDB" rejected --db "$db" show 4 --format csv
check "rejected show json parses" json_ok "$EXPECTED/rejected-show.json"
if grep -q "$(printf '\033')" "$EXPECTED/rejected-show.txt"; then fail "show: no ESC in text"
else pass "show: no ESC in text"; fi
q rejected --db "$db" show 3
is "show: a bare report has no header fields" "$(printf '%s\n' "$out" | grep -c '^Header fields: *-$')" "1"
q rejected --db "$db" show 4 99
is "show: a missing ID is 66, after the others" "$status:$(printf '%s\n' "$out" | grep -c '^ID: *4$')" "66:1"
case $err in *"no rejected message with ID 99"*) pass "show: names the missing ID" ;;
  *) fail "show: names the missing ID ($err)" ;; esac
q rejected --db "$db" show
is "show without an ID: 64" "$status" 64
q rejected --db "$db" show x1
is "show: an ID is a number" "$status" 64
q rejected --db "$db" show 1 --since 7d
is "show takes IDs only" "$status" 64
q rejected --db "$db" frob 1
is "an unknown action: 64" "$status" 64
q rejected --db "$TESTTMP/none.db" show 1
is "a missing database: 66" "$status" 66

# --- raw -------------------------------------------------------------------------------------
"$TLSRPTDB" rejected --db "$db" raw 1 >"$TESTTMP/raw1" 2>"$TESTTMP/raw1.err"
is "raw: exit 0, quiet" "$?:$(cat "$TESTTMP/raw1.err")" "0:"
check "raw: the message byte for byte" cmp -s "$TESTTMP/raw1" "$CORPUS/n_corrupt_gzip.eml"
"$TLSRPTDB" rejected --db "$db" raw 4 >"$TESTTMP/raw4"
check "raw: hostile bytes as they came" cmp -s "$TESTTMP/raw4" "$TESTTMP/evil.eml"
db2=$(newdb)
"$TLSRPTDB" rejected --db "$db" raw 1 | "$TLSRPTDB" ingest --db "$db2"
is "raw | ingest: the same message, the same reason" \
  "$(sql "$db2" "SELECT reason FROM rejected")" "$(sql "$db" "SELECT reason FROM rejected WHERE id = 1")"
q rejected --db "$db" raw 1 2
is "raw: one ID" "$status" 64
q rejected --db "$db" raw 99
is "raw: a missing ID is 66" "$status" 66
if command -v script >/dev/null 2>&1; then
  script -qec "$TLSRPTDB rejected --db $db raw 2" "$TESTTMP/typescript" >"$TESTTMP/tty.out" 2>&1
  is "raw: refused on a terminal (64)" "$?" 64
  is "raw: no bytes on the terminal" "$(grep -c 'Content-Type' "$TESTTMP/tty.out")" "0"
else
  pass "# SKIP no script(1)"; pass "# SKIP no script(1)"
fi
# a message over --max-message-size keeps its first bytes; one over the budget only its facts
big=$(newdb)
{ printf 'Subject: big\n\n'; head -c 3000 /dev/zero | tr '\0' x; } >"$TESTTMP/big.eml"
ingest "$big" "$TESTTMP/big.eml" --max-message-size 1000
"$TLSRPTDB" rejected --db "$big" raw 1 >"$TESTTMP/big.raw" 2>"$TESTTMP/big.err"
is "raw of a cut message: exit 0, its first bytes" "$?:$(wc -c <"$TESTTMP/big.raw" | tr -d ' ')" "0:1000"
case $(cat "$TESTTMP/big.err") in *"only its first 1000 of 3014 bytes were kept"*) pass "raw: says it was cut" ;;
  *) fail "raw: says it was cut ($(cat "$TESTTMP/big.err"))" ;; esac
ingest "$big" "$CORPUS/n_plain_text_mail.eml" --max-rejected-size 10
q rejected --db "$big" raw 2
is "raw of a message whose bytes were not kept: 65" "$status" 65
q query --db "$big" rejected --format json
is "listing: truncated and raw_dropped as flags" \
  "$(printf '%s\n' "$out" | grep -o '"truncated":[a-z]*,"raw_dropped":[a-z]*' | tr '\n' ' ')" \
  '"truncated":false,"raw_dropped":true "truncated":true,"raw_dropped":false '

# --- delete ----------------------------------------------------------------------------------
bytes_ok () { sql "$1" "SELECT (SELECT value FROM counters WHERE name = 'rejected_bytes') = (SELECT coalesce(sum(length(raw_message)), 0) FROM rejected)"; }
d=$(newdb)
for f in n_corrupt_gzip.eml n_plain_text_mail.eml n_invalid_json.json n_empty.eml n_html_only.eml; do
  ingest "$d" "$CORPUS/$f"
done
is "five kept" "$(sql "$d" "SELECT count(*) FROM rejected")" "5"
q rejected --db "$d" delete
is "delete without IDs or a filter: 64" "$status" 64
q rejected --db "$d" delete 1 --all
is "delete: IDs and a filter: 64" "$status" 64
b12=$(sql "$d" "SELECT sum(length(raw_message)) FROM rejected WHERE id <= 2")
q rejected --db "$d" delete 1 2 --dry-run
is "delete --dry-run: says what" "$status:$out" "0:would delete 2 rejected messages ($b12 bytes of messages)"
is "delete --dry-run: deletes nothing" "$(sql "$d" "SELECT count(*) FROM rejected")" "5"
q rejected --db "$d" delete 1 99
is "delete: a missing ID is 66" "$status" 66
is "delete: ... and nothing is deleted" "$(sql "$d" "SELECT count(*) FROM rejected")" "5"
q rejected --db "$d" delete 1 2
is "delete by ID" "$status:$out:$(sql "$d" "SELECT group_concat(id) FROM (SELECT id FROM rejected ORDER BY id)")" \
  "0:deleted 2 rejected messages ($b12 bytes of messages):3,4,5"
is "delete by ID: the byte count follows" "$(bytes_ok "$d")" "1"
q rejected --db "$d" delete --reason 'NOT A REPORT' --dry-run
is "delete by filter --dry-run" "$out" "would delete 2 rejected messages ($(sql "$d" "SELECT sum(length(raw_message)) FROM rejected WHERE reason LIKE 'not a report%'") bytes of messages)"
q rejected --db "$d" delete --reason 'NOT A REPORT'
is "delete by filter" "$status:$(sql "$d" "SELECT group_concat(id) FROM (SELECT id FROM rejected ORDER BY id)")" "0:3"
is "delete by filter: the byte count follows" "$(bytes_ok "$d")" "1"
q rejected --db "$d" delete --all
is "delete --all" "$status:$(sql "$d" "SELECT count(*) || ':' || (SELECT value FROM counters WHERE name = 'rejected_bytes') FROM rejected")" "0:0:0"
q rejected --db "$d" delete --all
is "delete --all of nothing" "$status:$out" "0:deleted 0 rejected messages (0 bytes of messages)"
# more than one batch (1000 rows), with rows outside the filter between them
many=$(newdb)
"$TLSRPTDB" ingest --db "$many" <"$CORPUS/n_empty.eml"
sql "$many" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
  INSERT INTO rejected (received_at, reason, raw_message, message_size)
  SELECT '2026-11-20T00:00:00Z', CASE WHEN i % 5 = 0 THEN 'keep' ELSE 'junk' END, zeroblob(i % 7), i % 7 FROM n"
junk=$(sql "$many" "SELECT sum(length(raw_message)) FROM rejected WHERE reason = 'junk'")
q rejected --db "$many" delete --reason junk
is "delete by filter in batches" "$status:$out" "0:deleted 2000 rejected messages ($junk bytes of messages)"
is "... only the rows it selects" "$(sql "$many" "SELECT count(*), sum(reason = 'keep') FROM rejected")" "501|500"
is "... and the byte count follows" "$(bytes_ok "$many")" "1"
# ... and of at most 16 MiB each: an ingest waits 10 s for the lock
sql "$many" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5)
  INSERT INTO rejected (received_at, reason, raw_message, message_size)
  SELECT '2026-11-20T00:00:00Z', 'large', zeroblob(4194304), 4194304 FROM n"
q rejected --db "$many" delete --reason large
is "delete: batches bounded by bytes too" "$status:$out:$(bytes_ok "$many")" \
  "0:deleted 5 rejected messages (20971520 bytes of messages):1"
q rejected --db "$many" delete 1 --dry-run --reason x
is "delete: IDs and --reason: 64" "$status" 64
chmod a-w "$(dirname "$many")" "$many"
if [ "$(id -u)" != 0 ]; then
  q rejected --db "$many" show 1
  is "show works on a read-only database" "$status" 0
fi
chmod u+w "$(dirname "$many")" "$many"
done_testing
