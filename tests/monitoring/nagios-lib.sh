# nagios-lib.sh - a real Nagios 4 that runs one plugin command line and tells what it recorded
# (sourced after tests/stress/lib.sh and common.sh)
# shellcheck shell=bash disable=SC2034 # the nagios_* results are for the tests
#
# nagios_run CMD [ARG...] writes a minimal instance into $NAGIOS_DIR ($W/nagios): nagios.cfg with
# every file of its own in that directory (status, log, lock, command pipe, query socket), no
# state retention, a status.dat rewritten every second, interval_length 1; objects.cfg with one
# host (tlsrptdb-test, no active checks), one service (tlsrpt) whose check_command runs CMD, and
# the contact and time period Nagios insists on.  It checks the configuration (nagios4 -v),
# starts the engine as a daemon (nagios4 -d; it drops root for the user nagios, as the packaged
# one does), forces a check of the service through the external command pipe
# (SCHEDULE_FORCED_SVC_CHECK), waits for status.dat to show it checked, reads what the engine
# recorded, and stops the engine (SIGTERM to the pid in its lock file; Nagios stops its workers
# and removes the pipe).  One run takes about two seconds.  Results:
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
# nagios_config CMD [ARG...] : nagios.cfg and objects.cfg in $NAGIOS_DIR
nagios_config () {
  local line='' word d=$NAGIOS_DIR
  for word in "$@"; do line="$line${line:+ }$(nagios_word "$word")" || return 1; done
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
define command {
  command_name tlsrpt-plugin
  command_line $line
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
define service {
  host_name tlsrptdb-test
  service_description tlsrpt
  check_command tlsrpt-plugin
  max_check_attempts 1
  check_interval 3600
  retry_interval 3600
  check_period always
  contacts nobody
  notification_period always
  notification_interval 0
}
EOF
  chown "$NAGIOS_USER:" "$d"/*.cfg
}
# nagios_field FIELD : FIELD's value in the service's block of status.dat (as written)
nagios_field () {
  awk -v f="$1" '
    /^servicestatus \{$/ { s = 1; next }
    s && /^[ \t]*\}$/ { s = 0; next }
    s { sub(/^\t/, ""); i = index($0, "="); if (substr($0, 1, i - 1) == f) { print substr($0, i + 1); exit } }
  ' "$NAGIOS_DIR/status.dat" 2>/dev/null
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
nagios_checked () { [ "$(nagios_field has_been_checked)" = 1 ]; }
nagios_pid () { cat "$NAGIOS_DIR/nagios.pid" 2>/dev/null; }
# nagios_stop : SIGTERM, then wait up to 10 s for the engine to exit
nagios_stop () {
  local pid
  pid=$(nagios_pid)
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null
  wait_for 10 sh -c "! kill -0 $pid 2>/dev/null"
}
# nagios_run CMD [ARG...] : one check of CMD by a fresh engine; sets the nagios_* results, or
# returns 1 (with the reason in the TAP output) if the engine did not start or check in 20 s
nagios_run () {
  local now
  nagios_state='' nagios_output='' nagios_long_output='' nagios_perfdata=''
  nagios_config "$@" || return 1
  if ! nagios4 -v "$NAGIOS_DIR/nagios.cfg" >"$NAGIOS_DIR/verify.log" 2>&1; then
    grep -E '^(Error|Warning)' "$NAGIOS_DIR/verify.log" | sed 's/^/#   /'
    return 1
  fi
  nagios4 -d "$NAGIOS_DIR/nagios.cfg" || return 1
  if ! wait_for 10 test -p "$NAGIOS_DIR/nagios.cmd"; then
    echo "#   nagios did not open its command pipe"; nagios_stop; return 1
  fi
  now=$(date +%s)
  printf '[%s] SCHEDULE_FORCED_SVC_CHECK;tlsrptdb-test;tlsrpt;%s\n' "$now" "$now" >"$NAGIOS_DIR/nagios.cmd"
  if ! wait_for 20 nagios_checked; then
    echo "#   no check result in 20 s; the log says:"; sed 's/^/#   /' "$NAGIOS_DIR/nagios.log"
    nagios_stop; return 1
  fi
  nagios_state=$(nagios_field current_state)
  nagios_output=$(nagios_field plugin_output)
  nagios_long_output=$(nagios_field long_plugin_output | nagios_unescape)
  nagios_perfdata=$(nagios_field performance_data)
  nagios_stop
}
