#!/bin/bash
# resources.sh [TLSRPTDB] - peak memory and time of ingest on hostile and huge inputs
#
# Each case runs under /usr/bin/time (peak RSS) and timeout, and must stay within the bounds
# stated in doc/reliability.md: a 1 GiB gzip bomb (bare and in a mail), 200,000-deep JSON (bare
# and in a mail), a 50 MB message, a report with 100,000 failure-details, and the worst cases the
# default limits allow: 16 report parts of 32 MiB JSON each (205,000 failure-details apiece) in
# one 3 MB message, and 16 parts of 1,500,000 JSON values each (750,000 empty failure-details).
# The size and value limits hold for a whole message: the first part is stored, the rest are
# refused and the message kept.  WORST=0 leaves out the last two.
. "$(dirname "$0")/lib.sh"

command -v /usr/bin/time >/dev/null || [ -x /usr/bin/time ] || {
  if [ "$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null 2>&1; fi
  [ -x /usr/bin/time ] || skip_all "no /usr/bin/time (apt-get install time)"
}
figures=

# measure DESC FILE MAX_MB MAX_S : ingest FILE on a new database ($db) within the bounds
measure () {
  db=$(newdb)
  timeout -s KILL $(($4 * 2)) /usr/bin/time -o "$TESTTMP/time" -f '%M %e' \
    "$TLSRPTDB" ingest --verbose --db "$db" <"$2" >"$TESTTMP/out" 2>"$TESTTMP/err"
  status=$?
  read -r kb secs <"$TESTTMP/time" || kb=0 secs=0
  mb=$((kb / 1024))
  out=$(cut -c1-200 "$TESTTMP/out" | head -3)
  is "$1: exit 0" "$status" 0
  check "$1: peak RSS $mb MB <= $3 MB" [ "$mb" -le "$3" ]
  check "$1: $secs s <= $4 s" awk -v s="$secs" -v m="$4" 'BEGIN { exit !(s <= m) }'
  [ "$status" = 0 ] || echo "#   stderr: $(head -c 300 "$TESTTMP/err")"
  echo "#   $(printf '%s' "$out" | head -1)"
  figures="$figures$1: $mb MB, $secs s"$'\n'
}
# mail_part TYPE ENCODING FILE : a report email whose one attachment is FILE
mail_part () {
  printf 'From: noreply@sender.example\nSubject: Report Domain: example.com\nMessage-ID: <%s@sender.example>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=tlsrpt; boundary=b\n\n--b\nContent-Type: text/plain\n\nA report.\n--b\nContent-Type: %s\nContent-Transfer-Encoding: %s\n\n' "$RANDOM" "$1" "$2"
  if [ "$2" = base64 ]; then base64 "$3"; else cat "$3"; fi
  printf '\n--b--\n'
}
rejected_because () { sql "$db" "SELECT count(*) FROM reports"; sql "$db" "SELECT reason FROM rejected" | grep -c -- "$1"; }

# gzip bomb: 1 GiB of zeros in 1 MB
head -c 1G /dev/zero | gzip -9 >"$TESTTMP/bomb.gz"
measure "gzip bomb (1 GiB in $(($(stat -c %s "$TESTTMP/bomb.gz") / 1024)) KiB), bare" "$TESTTMP/bomb.gz" 100 10
is "gzip bomb, bare: kept in rejected, over the inflate cap" "$(rejected_because 'inflated size exceeds' | tr '\n' ' ')" "0 1 "
mail_part application/tlsrpt+gzip base64 "$TESTTMP/bomb.gz" >"$TESTTMP/bomb.eml"
measure "gzip bomb, in a mail" "$TESTTMP/bomb.eml" 100 10
is "gzip bomb, in a mail: kept in rejected, over the inflate cap" "$(rejected_because 'inflated size exceeds' | tr '\n' ' ')" "0 1 "
rm -f "$TESTTMP/bomb.gz" "$TESTTMP/bomb.eml"

# 200,000-deep JSON
printf '{"policies":[],"x":' >"$TESTTMP/deep.json"
printf '%*s' 200000 '' | sed 's/ /{"a":/g' >>"$TESTTMP/deep.json"
measure "200,000-deep JSON objects, bare" "$TESTTMP/deep.json" 50 5
is "200,000-deep JSON objects: kept in rejected, too deep" "$(rejected_because 'nesting deeper' | tr '\n' ' ')" "0 1 "
{ printf '{"policies":'; printf '%*s' 200000 '' | tr ' ' '['; } >"$TESTTMP/deep2.json"
mail_part application/tlsrpt+json 7bit "$TESTTMP/deep2.json" >"$TESTTMP/deep2.eml"
measure "200,000-deep JSON arrays, in a mail" "$TESTTMP/deep2.eml" 50 5
is "200,000-deep JSON arrays: kept in rejected, too deep" "$(rejected_because 'nesting deeper' | tr '\n' ' ')" "0 1 "
gzip -9 <"$TESTTMP/deep2.json" >"$TESTTMP/deep2.gz"
mail_part application/tlsrpt+gzip base64 "$TESTTMP/deep2.gz" >"$TESTTMP/deep3.eml"
measure "200,000-deep JSON arrays, gzip in a mail" "$TESTTMP/deep3.eml" 50 5
is "200,000-deep JSON arrays, gzip: kept in rejected, too deep" "$(rejected_because 'nesting deeper' | tr '\n' ' ')" "0 1 "

# a 50 MB message: its first 25 MiB kept in rejected
head -c 37M /dev/urandom | base64 >"$TESTTMP/noise"
mail_part application/tlsrpt+gzip 7bit "$TESTTMP/noise" >"$TESTTMP/big.eml"
rm -f "$TESTTMP/noise"
size=$(stat -c %s "$TESTTMP/big.eml")
measure "50 MB message" "$TESTTMP/big.eml" 150 10
is "50 MB message: kept truncated in rejected" "$(sql "$db" "SELECT truncated, message_size, length(raw_message), reason LIKE 'message too large%' FROM rejected")" "1|$size|26214400|1"
rm -f "$TESTTMP/big.eml"

# 100,000 failure-details, gzip in a mail
report_failures many-100k 100000 >"$TESTTMP/many.json"
mail_gzip many-100k "$TESTTMP/many.json" >"$TESTTMP/many.eml"
measure "100,000 failure-details ($(($(stat -c %s "$TESTTMP/many.json") / 1048576)) MiB JSON)" "$TESTTMP/many.eml" 400 30
is "100,000 failure-details: all stored" "$(sql "$db" "SELECT count(*) FROM failures")" 100000
rm -f "$TESTTMP/many.json" "$TESTTMP/many.eml"

# the worst the default limits allow: 16 parts at the inflated-size limit (32 MiB JSON, 205,000
# failure-details each), and 16 parts at the JSON-value limit (750,000 empty failure-details)
# worst_mail ID-PREFIX N FAILURE-JSON : 16 such report parts, gzip and base64, in one message
worst_mail () {
  printf 'From: a@sender.example\nSubject: worst\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=tlsrpt; boundary=b\n\n'
  for ((p = 1; p <= 16; p++)); do
    printf -- '--b\nContent-Type: application/tlsrpt+gzip\nContent-Transfer-Encoding: base64\n\n'
    awk -v n="$2" -v id="$1-$p" -v fd="$3" 'BEGIN {
      printf "{\"organization-name\":\"Example Sender\",\"contact-info\":\"tlsrpt@sender.example\",\"report-id\":\"%s\",\"date-range\":{\"start-datetime\":\"2026-11-20T00:00:00Z\",\"end-datetime\":\"2026-11-20T23:59:59Z\"},\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"example.com\"},\"summary\":{\"total-successful-session-count\":5,\"total-failure-session-count\":%d},\"failure-details\":[", id, n
      for (i = 0; i < n; i++) printf "%s%s", (i ? "," : ""), fd
      printf "]}]}\n" }' | gzip -9 | base64
  done
  printf -- '--b--\n'
}
if [ "${WORST:-1}" = 1 ]; then
  worst_mail size 205000 '{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"mx.example.com","receiving-ip":"198.51.100.1","failed-session-count":1}' >"$TESTTMP/worst.eml"
  measure "worst case by size: 16 parts x 32 MiB JSON in a $(($(stat -c %s "$TESTTMP/worst.eml") / 1048576)) MiB message" "$TESTTMP/worst.eml" 512 30
  is "worst case by size: the first report stored whole, the message kept for the other 15 (the reason cut at 1 KiB)" \
    "$(sql "$db" "SELECT count(*) FROM reports") $(sql "$db" "SELECT count(*) FROM failures") $(sql "$db" "SELECT reason LIKE 'unusable report in part 2: over what the reports before it in this message left of the limits: inflated size exceeds%' AND length(reason) <= 1024 FROM rejected")" \
    "1 205000 1"
  worst_mail values 749990 '{}' >"$TESTTMP/worst.eml"
  measure "worst case by JSON values: 16 parts x 1,500,000 values" "$TESTTMP/worst.eml" 512 30
  # 750,000 empty failure details pack into a few KiB of gzip: more than the storage ratio allows
  is "worst case by JSON values: nothing stored, the message kept, over the storage ratio" \
    "$(sql "$db" "SELECT count(*) FROM reports") $(sql "$db" "SELECT count(*) FROM failures") $(sql "$db" "SELECT reason LIKE '%--max-storage-ratio%' FROM rejected")" \
    "0 0 1"
  rm -rf "$(dirname "$db")" "$TESTTMP/worst.eml"
fi
printf '%s' "$figures" | sed 's/^/# figures: /'
done_testing
