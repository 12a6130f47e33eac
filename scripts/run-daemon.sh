#!/usr/bin/env bash
# Builds satorip2p in _build (if needed) and runs the daemon on its embedded
# default configuration, with the plugins of the build tree.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d _build ] || meson setup _build
meson compile -C _build
plugin_path=$(find "$PWD/_build/plugins" -name 'libsatori-*.so' -printf '%h\n' | sort -u | paste -sd:)
export SATORI_PLUGIN_PATH="$plugin_path${SATORI_PLUGIN_PATH:+:$SATORI_PLUGIN_PATH}"
exec _build/tools/satorip2pd "$@"
