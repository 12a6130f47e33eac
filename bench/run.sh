#!/bin/sh
# bench/run.sh [BUILD_DIR] — satorip2p benchmarks on loopback; prints a table.
# Not part of `meson test`. BUILD_DIR (default build-perf) must be built with
# the tcp, noise, yamux, ping and perf plugins. Environment: SIZE (bytes each way,
# default 1 GiB), JS_SIZE (bytes each way when js-libp2p is at either end,
# default 100 MiB), CONNS (idle connections, default 500), HANDSHAKES (2000),
# DELAY_MS (one-way delay of the RTT proxy, default 25). The js rows need
# `npm install` in tests/interop (its js-peer.mjs serves and runs /perf/1.0.0).
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${1:-$SRC/build-perf}" && pwd)
SIZE=${SIZE:-1073741824}
JS_SIZE=${JS_SIZE:-104857600}
CONNS=${CONNS:-500}
HANDSHAKES=${HANDSHAKES:-2000}
DELAY_MS=${DELAY_MS:-25}
OUT=$B/bench
mkdir -p "$OUT"
JS_PEER=$SRC/tests/interop/js-peer.mjs
[ -d "$SRC/tests/interop/node_modules" ] ||
  { echo "run 'npm install --no-audit --no-fund' in $SRC/tests/interop first" >&2; exit 1; }
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
rm -f "$OUT/server.out"
"$B/tools/satori-perf" --server >"$OUT/server.out" & PIDS="$PIDS $!"
while [ ! -s "$OUT/server.out" ]; do sleep 0.1; done
ADDR=$(head -n 1 "$OUT/server.out")

# A js perf server (the js peer, which always serves /perf/1.0.0); sets JS_ADDR.
rm -f "$OUT/js-server.out"
node "$JS_PEER" --listen /ip4/127.0.0.1/tcp/0 --ping-monitor off </dev/null \
  >"$OUT/js-server.out" 2>"$OUT/js-server.err" & PIDS="$PIDS $!"
while [ ! -s "$OUT/js-server.out" ]; do sleep 0.1; done
JS_ADDR=$(head -n 1 "$OUT/js-server.out" | sed -n 's/.*"addrs":\["\([^"]*\)".*/\1/p')

# One upload and one download of BYTES from satori-perf / a js client to
# SERVER; prints "UP DOWN" in Gbit/s.
c_perf () {
  echo "$("$B/tools/satori-perf" --upload "$2" --download 0 "$1" | field gbit_per_s)" \
    "$("$B/tools/satori-perf" --upload 0 --download "$2" "$1" | field gbit_per_s)"
}
js_perf () {
  node "$JS_PEER" --dial "$1" --ping-monitor off --timeout 600000 --ops \
    "[{\"cmd\":\"perf\",\"upload\":$2},{\"cmd\":\"perf\",\"download\":$2},{\"cmd\":\"exit\"}]" \
    </dev/null 2>>"$OUT/js-client.err" | grep '"event":"perf"' | field gbit_per_s | paste -sd' '
}
C_C=$(c_perf "$ADDR" "$SIZE")
C_JS=$(c_perf "$JS_ADDR" "$JS_SIZE")
JS_C=$(js_perf "$ADDR" "$JS_SIZE")
JS_JS=$(js_perf "$JS_ADDR" "$JS_SIZE")

NOISE=$("$OUT/bench-noise-handshake" "$HANDSHAKES")
HS_FULL=$(echo "$NOISE" | field full_handshakes_per_cpu_s)
HS_ONE=$(echo "$NOISE" | field one_side_per_cpu_s)

MEM=$(ulimit -n 8192 2>/dev/null; "$OUT/bench-idle-memory" "$CONNS")
RSS=$(echo "$MEM" | field rss_per_end_kib)
HEAP=$(echo "$MEM" | field heap_per_end_kib)

# Round trips to the first response byte (ping) through a proxy that adds
# DELAY_MS each way: bench-round-trips.sh.
RTTS=$(DELAYS="$DELAY_MS" "$SRC/bench/bench-round-trips.sh" "$B" |
  sed -n 's/.*: \([0-9.]*\) round trips to the first response byte \(.*\)/\1 \2/p')

printf '\n%-58s %-22s %s\n' "measure (loopback, $(nproc) cores)" "satorip2p" "target"
printf '%-58s %-22s %s
' "Noise XX handshakes per CPU-second, one side (a server)" "$HS_ONE" ">= 2000"
printf '%-58s %-22s %s
' "Noise XX full handshakes (both sides) per CPU-second" "$HS_FULL" ""
printf '%-58s %-22s %s
' "memory per idle connection end, VmRSS" "$RSS KiB" "< 64 KiB"
printf '%-58s %-22s %s
' "memory per idle connection end, malloc heap" "$HEAP KiB" "< 64 KiB"
printf '%-58s %s\n' "round trips until the client reads the first response byte" "$RTTS"
printf '%-58s %-22s %s\n' "" "" "first app byte after 3 RTT"

# Throughput: client -> server, upload = client to server.
mib () { awk -v b="$1" 'BEGIN { printf "%g MiB", b / 1048576 }'; }
row () { printf '%-34s %-12s %-16s %s\n' "$1" "$2" "$3" "$4"; }
printf '\n%s\n' "/perf/1.0.0, one stream, TCP+Noise+Yamux, loopback (target C<->C >= 5 Gbit/s)"
row "client -> server" "size" "upload Gbit/s" "download Gbit/s"
for r in "satorip2p -> satorip2p|$SIZE|$C_C" "satorip2p -> js-libp2p|$JS_SIZE|$C_JS" \
         "js-libp2p -> satorip2p|$JS_SIZE|$JS_C" "js-libp2p -> js-libp2p|$JS_SIZE|$JS_JS"; do
  IFS='|' read -r name bytes rates <<EOR
$r
EOR
  row "$name" "$(mib "$bytes")" "${rates% *}" "${rates#* }"
done
