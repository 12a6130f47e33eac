#!/usr/bin/env python3
"""TCP proxy adding a fixed one-way delay to every chunk, both directions.

delay-proxy.py LISTEN_PORT TARGET_PORT ONE_WAY_MS   (127.0.0.1 only)
Prints "ready PORT" once listening (LISTEN_PORT 0 picks a free port).
Order is kept; no rate limit.
"""
import asyncio
import sys


async def pipe(reader, writer, delay):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def sender():
        while True:
            due, data = await queue.get()
            await asyncio.sleep(max(0.0, due - loop.time()))
            if not data:
                writer.close()
                return
            writer.write(data)
            await writer.drain()

    task = asyncio.create_task(sender())
    while True:
        data = await reader.read(1 << 16)
        await queue.put((loop.time() + delay, data))
        if not data:
            break
    await task


async def main():
    port, target, delay = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]) / 1000

    async def handle(r1, w1):
        r2, w2 = await asyncio.open_connection("127.0.0.1", target)
        await asyncio.gather(pipe(r1, w2, delay), pipe(r2, w1, delay), return_exceptions=True)

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    print("ready", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
