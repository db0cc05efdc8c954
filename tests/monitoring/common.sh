# common.sh - shared by the tests in tests/monitoring (sourced after tests/stress/lib.sh)
# shellcheck shell=bash disable=SC2034 # W: for the tests
#
# Reuses apt_install and wait_for of tests/mta/common.sh.  The work directory $W
# (/var/tmp/tlsrptdb-monitoring, or MONITORING_WORKDIR) is readable by every user, because the
# engines run their plugins as their own users (Nagios: nagios).
# shellcheck source=../mta/common.sh
. "$SRCDIR/tests/mta/common.sh"
W=${MONITORING_WORKDIR:-/var/tmp/tlsrptdb-monitoring}

# monitoring_gate : skip the test unless it may install packages on this machine: as root, with
# apt-get, and only when TLSRPTDB_TEST_MTA=1 (.ci/run sets it)
monitoring_gate () {
  [ "${TLSRPTDB_TEST_MTA:-}" = 1 ] || skip_all "installs and runs monitoring packages; TLSRPTDB_TEST_MTA=1 runs it (.ci/run does)"
  [ "$(id -u)" = 0 ] || skip_all "not root"
  command -v apt-get >/dev/null || skip_all "no apt-get"
}
# monitoring_setup : the work directory, and the binary as $W/bin/tlsrptdb
monitoring_setup () {
  rm -rf "$W"
  install -d -m 0755 "$W" "$W/bin"
  install -m 0755 "$TLSRPTDB" "$W/bin/tlsrptdb"
}
# install_or_fail PKG... : apt_install without recommends (Prometheus would bring node_exporter),
# or print apt's log and stop the test
install_or_fail () {
  apt_install --no-install-recommends "$@" && return 0
  cat "$TESTTMP/apt.log"
  echo "not ok 1 - apt-get install $*"
  exit 1
}
# service_stop NAME : stop the instance a package's postinst started (systemd or not): the tests
# run their own, and the packaged one would run checks or scrapes meanwhile
service_stop () { invoke-rc.d "$1" stop >/dev/null 2>&1 || :; }
# comma_env : the environment words (for env) of a locale whose decimal point is a comma:
# de_DE.UTF-8 if installed, else one made with localedef (libc-bin, always there) in $W/locale,
# LC_NUMERIC only.  Fails if the locale does not take.
comma_env () {
  local words
  if locale -a 2>/dev/null | grep -qix 'de_DE.utf-\?8'; then
    words="LC_ALL=de_DE.UTF-8"
  else
    install -d -m 0755 "$W/locale"
    printf 'LC_NUMERIC\ndecimal_point "<U002C>"\nthousands_sep "<U002E>"\ngrouping 3;3\nEND LC_NUMERIC\n' >"$W/locale/comma.src"
    localedef -c -i "$W/locale/comma.src" "$W/locale/comma" >/dev/null 2>&1 # 1: categories left out
    chmod -R a+rX "$W/locale"
    words="LOCPATH=$W/locale LC_NUMERIC=comma"
  fi
  # shellcheck disable=SC2086 # words
  [ "$(env $words locale decimal_point 2>/dev/null)" = , ] || return 1
  echo "$words"
}
