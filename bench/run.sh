#!/bin/sh
# bench/run.sh [BUILD_DIR] — satorip2p benchmarks on loopback; prints a table.
# Not part of `meson test`. BUILD_DIR (default build-perf) must be built with
# the tcp, noise, yamux and perf plugins. Environment: SIZE (bytes each way,
# default 1 GiB), CONNS (idle connections, default 500), HANDSHAKES (2000),
# DELAY_MS (one-way delay of the RTT proxy, default 25).
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${1:-$SRC/build-perf}" && pwd)
SIZE=${SIZE:-1073741824}
CONNS=${CONNS:-500}
HANDSHAKES=${HANDSHAKES:-2000}
DELAY_MS=${DELAY_MS:-25}
OUT=$B/bench
mkdir -p "$OUT"
PIDS=""
trap 'for p in $PIDS; do kill "$p" 2>/dev/null || true; done' EXIT

ninja -C "$B" tools/satori-perf >/dev/null
FLAGS="$(pkg-config --cflags --libs gio-2.0 libgcrypt libprotobuf-c nettle hogweed) -I$B -I$SRC/interfaces
  -I$B/interfaces -I$SRC/core -I$B/core -I$SRC/core/codec -L$B/core -lsatorip2p-1
  -Wl,-rpath,$B/core"
for p in tcp noise yamux; do FLAGS="$FLAGS -I$SRC/plugins/$p -I$B/plugins/$p"; done
CC=${CC:-cc}
$CC -O2 -std=gnu11 -Wall -Werror -o "$OUT/bench-noise-handshake" \
  "$SRC/bench/bench-noise-handshake.c" "$B/plugins/noise/libsatori-noise-impl.a" $FLAGS
$CC -O2 -std=gnu11 -Wall -Werror -include "$B/config.h" -o "$OUT/bench-idle-memory" \
  "$SRC/bench/bench-idle-memory.c" "$SRC/plugins/tcp/satori-tcp-plugin.c" \
  "$SRC/plugins/noise/satori-noise-plugin.c" "$SRC/plugins/yamux/satori-yamux-plugin.c" \
  "$B/plugins/tcp/libsatori-tcp-impl.a" "$B/plugins/noise/libsatori-noise-impl.a" \
  "$B/plugins/yamux/libsatori-yamux-impl.a" $FLAGS

field () { sed -n "s/.*\"$1\":\([0-9.e+-]*\).*/\1/p"; }

# A satori-perf server; sets ADDR.
rm -f "$OUT/server.out" "$OUT/proxy.out"
"$B/tools/satori-perf" --server >"$OUT/server.out" & PIDS="$PIDS $!"
while [ ! -s "$OUT/server.out" ]; do sleep 0.1; done
ADDR=$(head -n 1 "$OUT/server.out")
PORT=$(echo "$ADDR" | cut -d/ -f5)

UP=$("$B/tools/satori-perf" --upload "$SIZE" --download 0 "$ADDR" | field gbit_per_s)
DOWN=$("$B/tools/satori-perf" --upload 0 --download "$SIZE" "$ADDR" | field gbit_per_s)

NOISE=$("$OUT/bench-noise-handshake" "$HANDSHAKES")
HS_FULL=$(echo "$NOISE" | field full_handshakes_per_cpu_s)
HS_ONE=$(echo "$NOISE" | field one_side_per_cpu_s)

MEM=$(ulimit -n 8192 2>/dev/null; "$OUT/bench-idle-memory" "$CONNS")
RSS=$(echo "$MEM" | field rss_per_end_kib)
HEAP=$(echo "$MEM" | field heap_per_end_kib)

# Round trips: a proxy adds DELAY_MS each way (RTT = 2 × DELAY_MS). Its own
# TCP handshake with the client is local, so add 1 RTT for TCP's.
PPORT=$((PORT + 1000))
python3 "$SRC/bench/delay-proxy.py" "$PPORT" "$PORT" "$DELAY_MS" >"$OUT/proxy.out" & PIDS="$PIDS $!"
while [ ! -s "$OUT/proxy.out" ]; do sleep 0.1; done
RTT=$("$B/tools/satori-perf" --upload 0 --download 1 \
  "$(echo "$ADDR" | sed "s#/tcp/$PORT/#/tcp/$PPORT/#")")
CONNECT=$(echo "$RTT" | field connect_seconds)
TTFB=$(echo "$RTT" | field time_to_first_byte_seconds)
RTTS=$(awk -v c="$CONNECT" -v t="$TTFB" -v d="$DELAY_MS" \
  'BEGIN { r = 2 * d / 1000; printf "%.2f (connect %.2f + stream %.2f + TCP 1)", c / r + t / r + 1, c / r, t / r }')

printf '\n%-58s %-22s %s\n' "measure (loopback, $(nproc) cores)" "satorip2p" "target"
printf '%-58s %-22s %s\n' "/perf/1.0.0 upload, one stream, TCP+Noise+Yamux, C<->C" "$UP Gbit/s" ">= 5 Gbit/s"
printf '%-58s %-22s %s\n' "/perf/1.0.0 download, one stream, C<->C" "$DOWN Gbit/s" ">= 5 Gbit/s"
printf '%-58s %-22s %s\n' "Noise XX handshakes per CPU-second, one side (a server)" "$HS_ONE" ">= 2000"
printf '%-58s %-22s %s\n' "Noise XX full handshakes (both sides) per CPU-second" "$HS_FULL" ""
printf '%-58s %-22s %s\n' "memory per idle connection end, VmRSS" "$RSS KiB" "< 64 KiB"
printf '%-58s %-22s %s\n' "memory per idle connection end, malloc heap" "$HEAP KiB" "< 64 KiB"
printf '%-58s %s\n' "round trips until the client reads the first response byte" "$RTTS"
printf '%-58s %-22s %s\n' "" "" "first app byte after 3 RTT"
