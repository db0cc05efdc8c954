# check-lib.sh - helpers for t-check.sh and t-metrics.sh (sourced after lib.sh and query-lib.sh):
# reports dated from today, written as bare JSON files and imported in one process
# shellcheck shell=bash
# shellcheck disable=SC2034  # chk sets status, out, err and long for the scripts that source this
date -u -d '1 day ago' +%F >/dev/null 2>&1 || skip_all "needs GNU date"
_rep_n=0

# day N : the UTC day N days ago
day () { date -u -d "$1 days ago" +%F; }

# rep DIR REPORTER DOMAIN DAYS_AGO SUCCESSFUL FAILED [TYPE [MODE [tlsa]]] : a report file in DIR
# about DOMAIN from REPORTER (its contact-info domain), for the day DAYS_AGO days ago, with one
# sts policy (MODE, default testing) and, with "tlsa", a tlsa policy of the same sessions
# (Microsoft); FAILED sessions of TYPE (default certificate-expired) at mx1.DOMAIN
rep () {
  local dir=$1 reporter=$2 domain=$3 d failures='' sts tlsa=''
  d=$(day "$4")
  _rep_n=$((_rep_n + 1))
  [ "$6" -gt 0 ] && failures=",\"failure-details\":[{\"result-type\":\"${7:-certificate-expired}\",\"receiving-mx-hostname\":\"mx1.$domain\",\"failed-session-count\":$6}]"
  sts="{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\",\"mode: ${8:-testing}\",\"mx: mx1.$domain\",\"max_age: 86400\"],\"policy-domain\":\"$domain\",\"mx-host\":[\"mx1.$domain\"]},\"summary\":{\"total-successful-session-count\":$5,\"total-failure-session-count\":$6}$failures}"
  [ "${9:-}" = tlsa ] && tlsa=",{\"policy\":{\"policy-type\":\"tlsa\",\"policy-string\":[\"3 1 1 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6\"],\"policy-domain\":\"$domain\"},\"summary\":{\"total-successful-session-count\":$5,\"total-failure-session-count\":$6}$failures}"
  mkdir -p "$dir"
  printf '{"organization-name":"%s","date-range":{"start-datetime":"%sT00:00:00Z","end-datetime":"%sT23:59:59Z"},"contact-info":"tlsrpt@%s","report-id":"%s-%s-%s","policies":[%s%s]}\n' \
    "$reporter" "$d" "$d" "$reporter" "$reporter" "$d" "$_rep_n" "$sts" "$tlsa" >"$dir/r$_rep_n.json"
}

# daily DIR REPORTER DOMAIN FROM TO SUCCESSFUL FAILED [TYPE [MODE [tlsa]]] : rep for every day
# from FROM to TO days ago
daily () {
  local dir=$1 reporter=$2 domain=$3 from=$4 to=$5 n
  shift 5
  for n in $(seq "$to" "$from"); do rep "$dir" "$reporter" "$domain" "$n" "$@"; done
}

# load DB DIR : import the report files of DIR into DB (a new database is created)
load () {
  "$TLSRPTDB" import --db "$1" "$2" >"$TESTTMP/load.out" 2>&1 || { echo "# import failed:"; sed 's/^/#   /' "$TESTTMP/load.out"; }
  rm -rf "$2"
}

# chk ARGS... : tlsrptdb check; sets $status, $out, $err, $first (the first line's text before
# its " | "), $perf (what follows it), $long (the lines after the first)
chk () {
  "$TLSRPTDB" check "$@" >"$TESTTMP/chk.out" 2>"$TESTTMP/chk.err"
  status=$?
  out=$(cat "$TESTTMP/chk.out") err=$(cat "$TESTTMP/chk.err")
  first=$(head -n 1 "$TESTTMP/chk.out")
  perf=''
  case $first in *" | "*) perf=${first#* | } ;; esac
  first=${first%% | *}
  long=$(tail -n +2 "$TESTTMP/chk.out")
}

# perf_value LABEL : the value (with its unit and thresholds) of perfdata item LABEL in $perf
# (the label through the environment: awk -v would read its backslashes as escapes)
perf_value () {
  L="'$1'=" awk '{ l = ENVIRON["L"]; i = index($0, l); if (i) { s = substr($0, i + length(l)); sub(/ .*/, "", s); print s } }' <<<"$perf"
}
