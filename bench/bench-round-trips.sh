#!/bin/sh
# bench/bench-round-trips.sh [BUILD_DIR] — round trips from dial start until
# the client reads the first response byte, TCP+Noise+Yamux, satori-perf
# client against server through bench/delay-proxy.py.
#
# The proxy adds DELAYS (one-way ms, default "20 50") to every chunk each
# way, so RTT = 2 x delay. Each delay is run REPEAT times (default 3) and
# the fastest connect and stream times are kept (less noise from load). It accepts locally and dials the server locally,
# so TCP's own handshake costs no delayed round trip here: 1 is added for it.
# Each line: connect (security and muxer upgrade) + stream (open, request,
# first response byte of a /perf/1.0.0 download of 1 byte) + TCP 1; these
# ratios include CPU time (the handshake's crypto). The last line divides
# the growth of the time by the growth of the RTT between the first and the
# last delay, which leaves CPU time out: the protocol's round trips.
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${1:-$SRC/build-perf}" && pwd)
DELAYS=${DELAYS:-20 50}
REPEAT=${REPEAT:-3}
OUT=$B/bench
mkdir -p "$OUT"
PIDS=""
trap 'for p in $PIDS; do kill "$p" 2>/dev/null || true; done' EXIT

ninja -C "$B" tools/satori-perf >/dev/null
field () { sed -n "s/.*\"$1\":\([0-9.e+-]*\).*/\1/p"; }
minimum () { printf '%s\n' "$@" | sort -g | head -n 1; }

rm -f "$OUT/rtt-server.out"
"$B/tools/satori-perf" --server >"$OUT/rtt-server.out" & PIDS="$PIDS $!"
while [ ! -s "$OUT/rtt-server.out" ]; do sleep 0.1; done
ADDR=$(head -n 1 "$OUT/rtt-server.out")
PORT=$(echo "$ADDR" | cut -d/ -f5)

POINTS=""
for DELAY_MS in $DELAYS; do
  PPORT=$((PORT + 1000 + DELAY_MS))
  rm -f "$OUT/rtt-proxy.out"
  python3 "$SRC/bench/delay-proxy.py" "$PPORT" "$PORT" "$DELAY_MS" >"$OUT/rtt-proxy.out" &
  PROXY=$!
  PIDS="$PIDS $PROXY"
  while [ ! -s "$OUT/rtt-proxy.out" ]; do sleep 0.1; done
  CONNECT=""
  TTFB=""
  for _ in $(seq "$REPEAT"); do
    RUN=$("$B/tools/satori-perf" --upload 0 --download 1 \
      "$(echo "$ADDR" | sed "s#/tcp/$PORT/#/tcp/$PPORT/#")")
    CONNECT="$CONNECT $(echo "$RUN" | field connect_seconds)"
    TTFB="$TTFB $(echo "$RUN" | field time_to_first_byte_seconds)"
  done
  kill "$PROXY"
  CONNECT=$(minimum $CONNECT)
  TTFB=$(minimum $TTFB)
  awk -v c="$CONNECT" -v t="$TTFB" -v d="$DELAY_MS" 'BEGIN {
    r = 2 * d / 1000
    printf "one-way %d ms (RTT %d ms): %.2f round trips to the first response byte (connect %.2f + stream %.2f + TCP 1)\n",
      d, 2 * d, c / r + t / r + 1, c / r, t / r }'
  POINTS="$POINTS $DELAY_MS:$CONNECT:$TTFB"
done

echo "$POINTS" | tr ' :' '\n ' | awk 'NF == 3 {
    n++; d[n] = $1; c[n] = $2; t[n] = $3 }
  END {
    if (n < 2) exit
    r = 2 * (d[n] - d[1]) / 1000
    printf "protocol round trips (time growth / RTT growth, %d to %d ms one-way): %.2f (connect %.2f + stream %.2f + TCP 1)\n",
      d[1], d[n], (c[n] - c[1]) / r + (t[n] - t[1]) / r + 1, (c[n] - c[1]) / r, (t[n] - t[1]) / r }'
