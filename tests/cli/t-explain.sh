# t-explain.sh - tlsrptdb explain: the result types in every format
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/query-lib.sh"

golden explain.txt "$TLSRPTDB" explain
golden explain.json "$TLSRPTDB" explain --format json
golden explain.csv "$TLSRPTDB" explain --format csv
golden explain-two.txt "$TLSRPTDB" explain certificate-expired STS-Policy-Fetch-Error
golden explain-unknown.txt "$TLSRPTDB" explain x-brand-new
check "explain.json parses" json_ok "$EXPECTED/explain.json"
if [ -n "$HAVE_PYTHON" ]; then
  is "explain.csv: header and 11 rows of 7 fields" "$(csv_rows "$EXPECTED/explain.csv")" "12 x 7"
fi
q explain
is "explain needs no database" "$status" 0
is "all 11 RFC 8460 result types" "$(grep -c '^Result type:' "$TESTTMP/q.out")" "11"
for t in starttls-not-supported certificate-host-mismatch certificate-expired certificate-not-trusted \
  validation-failure tlsa-invalid dnssec-invalid dane-required sts-policy-fetch-error \
  sts-policy-invalid sts-webpki-invalid; do
  grep -q "^Result type: *$t\$" "$TESTTMP/q.out"; is "explains $t" "$?" 0
done
grep -q 'openssl s_client -starttls smtp' "$TESTTMP/q.out"; is "says how to check with openssl" "$?" 0
q explain --format yaml
is "bad format: 64" "$status" 64
q explain "$(printf 'bad\001')"
is "control characters in a type: 64" "$status" 64
done_testing
