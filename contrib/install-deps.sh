#!/bin/sh
# install-deps.sh [EXTRA...] - apt-get the packages of contrib/debian-packages (and EXTRA) that
# are missing; does nothing when all are there or when not root on a Debian-like system.
set -eu
here=$(dirname "$0")
pkgs="$(grep -v '^#' "$here/debian-packages") $*"
missing=
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-deps.sh: please install:$missing" >&2
  exit 1
fi
echo "install-deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
