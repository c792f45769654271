"""Load for an echo server: CLIENTS concurrent connections, each MESSAGES messages of SIZE bytes.

usage: load_clients.py HOST PORT CLIENTS MESSAGES SIZE

Connects every client first and keeps them all open, prints "connected N", waits for a line on
stdin, then every client sends its messages one at a time and reads each back, checking every
byte. Prints one JSON line: clients connected, clients whose every byte came back, mismatches,
the first errors, and the seconds the exchange took. Every wait is bounded.
"""
import asyncio
import json
import sys
import time

LIMIT = 60.0


def payload(client, seq, size):
    head = f"{client}:{seq}:".encode()
    return (head * (size // len(head) + 1))[:size]


async def main():
    host, port, clients, messages, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    errors, mismatches = [], 0

    async def connect(i):
        try:
            return await asyncio.wait_for(asyncio.open_connection(host, port), LIMIT)
        except (OSError, asyncio.TimeoutError) as e:
            errors.append(f"connect {i}: {e!r}")
            return None

    streams = await asyncio.gather(*(connect(i) for i in range(clients)))
    print(f"connected {sum(s is not None for s in streams)}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)

    async def exchange(i, stream):
        nonlocal mismatches
        reader, writer = stream
        try:
            for seq in range(messages):
                data = payload(i, seq, size)
                writer.write(data)
                await writer.drain()
                back = await asyncio.wait_for(reader.readexactly(size), LIMIT)
                if back != data:
                    mismatches += 1
                    return False
            writer.close()
            await asyncio.wait_for(writer.wait_closed(), LIMIT)
            return True
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError) as e:
            errors.append(f"client {i}: {e!r}")
            return False

    start = time.monotonic()
    done = await asyncio.gather(*(exchange(i, s) for i, s in enumerate(streams) if s is not None))
    print(json.dumps({"connected": sum(s is not None for s in streams), "ok": sum(done), "mismatches": mismatches,
                      "errors": errors[:5], "seconds": round(time.monotonic() - start, 3)}), flush=True)


asyncio.run(main())
