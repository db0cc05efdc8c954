# nagios-lib.sh - a real Nagios 4 that runs one plugin command line and tells what it recorded
# (sourced after tests/stress/lib.sh and common.sh)
# shellcheck shell=bash disable=SC2034 # the nagios_* results are for the tests
#
# nagios_service NAME CMD [ARG...] adds a service NAME whose check_command runs CMD;
# nagios_check_all writes a minimal instance into $NAGIOS_DIR ($W/nagios): nagios.cfg with every
# file of its own in that directory (status, log, lock, command pipe, query socket), no state
# retention, a status.dat rewritten every second, interval_length 1; objects.cfg with one host
# (tlsrptdb-test, no active checks), one command and one service per nagios_service, and the
# contact and time period Nagios insists on.  It checks the configuration (nagios4 -v), starts
# the engine as a daemon (nagios4 -d; it drops root for the user nagios, as the packaged one
# does), forces a check of every service through the external command pipe
# (SCHEDULE_FORCED_SVC_CHECK), waits for status.dat to show them all checked, keeps that
# status.dat, and stops the engine (SIGTERM to the pid in its lock file; Nagios stops its
# workers and removes the pipe).  One engine run takes about three seconds, however many
# services it checks.  nagios_result NAME then sets what the engine recorded for NAME;
# nagios_run CMD [ARG...] does all three for one service (tlsrpt).  Results:
#   nagios_state        current_state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
#   nagios_output       plugin_output: the first line's text, before its '|'
#   nagios_long_output  long_plugin_output, unescaped (status.dat writes "\n" and "\\")
#   nagios_perfdata     performance_data: everything after the first '|', as recorded
# The plugin runs as nagios: what it reads ($W/bin, a database) must be readable by that user.
NAGIOS_DIR=$W/nagios
NAGIOS_USER=nagios

# nagios_install : the engine only (nagios4-core: no web interface), and the packaged instance
# stopped
nagios_install () {
  command -v nagios4 >/dev/null || install_or_fail nagios4-core
  service_stop nagios4
}
# nagios_word WORD : WORD for a Nagios command_line: "$" doubled (Nagios macros), quoted for sh
# when it holds more than [A-Za-z0-9_./=:,@%+-] (Nagios runs a line with such characters through
# /bin/sh -c); words with ';' (a comment in object files), '\', a quote or a line break are
# refused
nagios_word () {
  case $1 in
    *[\;\\\'$'\n']*) echo "nagios_word: unsupported character in: $1" >&2; return 1 ;;
    '' | *[!A-Za-z0-9_./=:,@%+-]*) printf "'%s'" "${1//\$/\$\$}" ;;
    *) printf '%s' "$1" ;;
  esac
}
# nagios_service NAME CMD [ARG...] : a service NAME (letters, digits, '-', '_') for the next
# nagios_check_all, whose check command runs CMD
_nagios_names=() _nagios_lines=()
nagios_service () {
  local name=$1 line='' word
  shift
  case $name in '' | *[!A-Za-z0-9_-]*) echo "nagios_service: bad name: $name" >&2; return 1 ;; esac
  for word in "$@"; do line="$line${line:+ }$(nagios_word "$word")" || return 1; done
  _nagios_names+=("$name") _nagios_lines+=("$line")
}
# nagios_config : nagios.cfg and objects.cfg in $NAGIOS_DIR, for the services added
nagios_config () {
  local d=$NAGIOS_DIR i
  rm -rf "$d"
  install -d -o "$NAGIOS_USER" -g "$NAGIOS_USER" -m 0755 "$d" "$d/checkresults"
  cat >"$d/nagios.cfg" <<EOF
cfg_file=$d/objects.cfg
log_file=$d/nagios.log
object_cache_file=$d/objects.cache
precached_object_file=$d/objects.precache
status_file=$d/status.dat
status_update_interval=1
lock_file=$d/nagios.pid
temp_file=$d/nagios.tmp
temp_path=$d
check_result_path=$d/checkresults
command_file=$d/nagios.cmd
query_socket=$d/nagios.qh
nagios_user=$NAGIOS_USER
nagios_group=$NAGIOS_USER
check_external_commands=1
retain_state_information=0
use_syslog=0
interval_length=1
check_result_reaper_frequency=1
service_check_timeout=30
enable_notifications=0
enable_flap_detection=0
EOF
  cat >"$d/objects.cfg" <<EOF
define timeperiod {
  timeperiod_name always
  alias always
  sunday 00:00-24:00
  monday 00:00-24:00
  tuesday 00:00-24:00
  wednesday 00:00-24:00
  thursday 00:00-24:00
  friday 00:00-24:00
  saturday 00:00-24:00
}
define command {
  command_name nothing
  command_line /bin/true
}
define contact {
  contact_name nobody
  host_notifications_enabled 0
  service_notifications_enabled 0
  host_notification_period always
  service_notification_period always
  host_notification_options n
  service_notification_options n
  host_notification_commands nothing
  service_notification_commands nothing
}
define host {
  host_name tlsrptdb-test
  address 127.0.0.1
  check_command nothing
  active_checks_enabled 0
  max_check_attempts 1
  check_period always
  contacts nobody
  notification_period always
}
EOF
  for i in "${!_nagios_names[@]}"; do
    cat >>"$d/objects.cfg" <<EOF
define command {
  command_name plugin-${_nagios_names[i]}
  command_line ${_nagios_lines[i]}
}
define service {
  host_name tlsrptdb-test
  service_description ${_nagios_names[i]}
  check_command plugin-${_nagios_names[i]}
  max_check_attempts 1
  check_interval 3600
  retry_interval 3600
  check_period always
  contacts nobody
  notification_period always
  notification_interval 0
}
EOF
  done
  chown "$NAGIOS_USER:" "$d"/*.cfg
}
# nagios_field SERVICE FIELD [FILE] : FIELD's value in SERVICE's block of status.dat (as written;
# FILE: another status.dat, such as the one nagios_check_all kept)
nagios_field () {
  awk -v svc="$1" -v f="$2" '
    /^servicestatus \{$/ { s = 1; name = ""; value = ""; found = 0; next }
    s && /^[ \t]*\}$/ { s = 0; if (name == svc && found) { print value; exit } next }
    s { sub(/^\t/, ""); i = index($0, "="); k = substr($0, 1, i - 1)
        if (k == "service_description") name = substr($0, i + 1)
        if (k == f) { value = substr($0, i + 1); found = 1 } }
  ' "${3:-$NAGIOS_DIR/status.dat}" 2>/dev/null
}
# nagios_unescape : stdin with status.dat's "\n" and "\\" undone
nagios_unescape () {
  awk '{ n = length($0); out = "";
    for (i = 1; i <= n; i++) {
      c = substr($0, i, 1); d = substr($0, i + 1, 1)
      if (c == "\\" && d == "n") { out = out "\n"; i++ } else if (c == "\\" && d == "\\") { out = out "\\"; i++ } else out = out c
    }
    printf "%s", out }'
}
# nagios_all_checked : every service added has been checked
nagios_all_checked () {
  local name
  for name in "${_nagios_names[@]}"; do
    [ "$(nagios_field "$name" has_been_checked)" = 1 ] || return 1
  done
}
nagios_pid () { cat "$NAGIOS_DIR/nagios.pid" 2>/dev/null; }
# nagios_stop : SIGTERM, then wait up to 10 s for the engine to exit
nagios_stop () {
  local pid
  pid=$(nagios_pid)
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null
  wait_for 10 sh -c "! kill -0 $pid 2>/dev/null"
}
# nagios_check_all : one fresh engine checks every service added (none is left added after);
# its status.dat is kept as $NAGIOS_DIR/status.kept for nagios_result; returns 1 (with the
# reason in the TAP output) if the engine did not start or check them all within 30 s
nagios_check_all () {
  local now name rc=0
  nagios_config || rc=1
  if [ $rc = 0 ] && ! nagios4 -v "$NAGIOS_DIR/nagios.cfg" >"$NAGIOS_DIR/verify.log" 2>&1; then
    grep -E '^(Error|Warning)' "$NAGIOS_DIR/verify.log" | sed 's/^/#   /'
    rc=1
  fi
  [ $rc = 0 ] && { nagios4 -d "$NAGIOS_DIR/nagios.cfg" || rc=1; }
  if [ $rc = 0 ] && ! wait_for 10 test -p "$NAGIOS_DIR/nagios.cmd"; then
    echo "#   nagios did not open its command pipe"
    rc=1
  fi
  if [ $rc = 0 ]; then
    now=$(date +%s)
    for name in "${_nagios_names[@]}"; do
      printf '[%s] SCHEDULE_FORCED_SVC_CHECK;tlsrptdb-test;%s;%s\n' "$now" "$name" "$now"
    done >"$NAGIOS_DIR/nagios.cmd"
    if wait_for 30 nagios_all_checked; then
      cp "$NAGIOS_DIR/status.dat" "$NAGIOS_DIR/status.kept"
    else
      echo "#   not every check had a result in 30 s; the log says:"
      sed 's/^/#   /' "$NAGIOS_DIR/nagios.log"
      rc=1
    fi
  fi
  nagios_stop
  _nagios_names=() _nagios_lines=()
  return $rc
}
# nagios_result NAME : set the nagios_* results to what the engine recorded for service NAME in
# the last nagios_check_all (all empty, and 1 returned, if it did not get that far)
nagios_result () {
  local f=$NAGIOS_DIR/status.kept
  nagios_state='' nagios_output='' nagios_long_output='' nagios_perfdata=''
  [ -f "$f" ] || return 1
  nagios_state=$(nagios_field "$1" current_state "$f")
  nagios_output=$(nagios_field "$1" plugin_output "$f")
  nagios_long_output=$(nagios_field "$1" long_plugin_output "$f" | nagios_unescape)
  nagios_perfdata=$(nagios_field "$1" performance_data "$f")
}
# nagios_run CMD [ARG...] : one check of CMD by a fresh engine (service tlsrpt); sets the
# nagios_* results, or returns 1
nagios_run () {
  nagios_service tlsrpt "$@" || return 1
  nagios_check_all || return 1
  nagios_result tlsrpt
}
