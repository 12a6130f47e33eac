#!/usr/bin/env bash
# Installs the Debian 12 packages satorip2p needs (as root, or with sudo).
set -euo pipefail
here=$(dirname "$0")
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=600 update -q
grep -v '^#' "$here/debian-packages.txt" | xargs $sudo apt-get -o DPkg::Lock::Timeout=600 \
  install -y -q --no-install-recommends
