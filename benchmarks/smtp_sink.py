"""A minimal SMTP server that accepts everything and counts it (benchmark peer).

Run: ``python -m benchmarks.smtp_sink PORT [--delay SECONDS] [--ids FILE]``; prints
"ready" when listening and the count of accepted messages when it gets SIGTERM. With
``--delay`` each message is answered after that long (a remote relay's latency); with
``--ids`` the Message-ID of every accepted message is written to FILE, one a line, so
duplicates can be counted.
"""

import argparse
import asyncio
import re
import signal
import threading

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class CountingSink:
    """Accept every message without parsing it (but its Message-ID, when asked)."""

    def __init__(self, delay: float = 0.0, keep_ids: bool = False) -> None:
        self.count = 0
        self.delay = delay
        self.keep_ids = keep_ids
        self.ids: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, D102, N802
        if self.delay:
            await asyncio.sleep(self.delay)
        self.count += 1
        if self.keep_ids:
            found = MESSAGE_ID.search(envelope.original_content or envelope.content)
            self.ids.append(found.group(1) if found else b"?")
        return "250 OK"


def main() -> None:
    """Serve until SIGTERM, then print the count."""
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--ids", default=None)
    args = parser.parse_args()
    sink = CountingSink(args.delay, keep_ids=bool(args.ids))
    controller = Controller(sink, hostname="127.0.0.1", port=args.port)
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    print("ready", flush=True)
    done.wait()
    controller.stop()
    if args.ids:
        with open(args.ids, "wb") as out:
            out.write(b"\n".join(sink.ids))
    print(f"received {sink.count}", flush=True)


if __name__ == "__main__":
    main()
