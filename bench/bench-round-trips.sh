#!/bin/sh
# bench/bench-round-trips.sh [BUILD_DIR] — builds bench-round-trips.c against
# BUILD_DIR (default build-perf; needs the tcp, noise, yamux and ping plugins)
# and runs it: round trips from dial start until the first response byte,
# TCP+Noise+Yamux, through bench/delay-proxy.py at DELAYS (one-way ms,
# default "20 50"), REPEAT runs each (default 3). See bench-round-trips.c.
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${1:-$SRC/build-perf}" && pwd)
DELAYS=${DELAYS:-20 50}
OUT=$B/bench
mkdir -p "$OUT"

ninja -C "$B" core/libsatorip2p-1.so.0.0.0 plugins/tcp/libsatori-tcp-impl.a \
  plugins/noise/libsatori-noise-impl.a plugins/yamux/libsatori-yamux-impl.a \
  plugins/ping/libsatori-ping-impl.a >/dev/null
FLAGS="$(pkg-config --cflags --libs gio-2.0 libgcrypt libprotobuf-c) -I$B -I$SRC/interfaces
  -I$B/interfaces -I$SRC/core -I$B/core -I$SRC/core/codec -L$B/core -lsatorip2p-1
  -Wl,-rpath,$B/core"
for p in tcp noise yamux ping; do FLAGS="$FLAGS -I$SRC/plugins/$p -I$B/plugins/$p"; done
${CC:-cc} -O2 -std=gnu11 -Wall -Werror -include "$B/config.h" -o "$OUT/bench-round-trips" \
  "$SRC/bench/bench-round-trips.c" "$SRC/plugins/tcp/satori-tcp-plugin.c" \
  "$SRC/plugins/noise/satori-noise-plugin.c" "$SRC/plugins/yamux/satori-yamux-plugin.c" \
  "$B/plugins/tcp/libsatori-tcp-impl.a" "$B/plugins/noise/libsatori-noise-impl.a" \
  "$B/plugins/yamux/libsatori-yamux-impl.a" "$B/plugins/ping/libsatori-ping-impl.a" $FLAGS
# shellcheck disable=SC2086
"$OUT/bench-round-trips" "$SRC/bench/delay-proxy.py" $DELAYS
