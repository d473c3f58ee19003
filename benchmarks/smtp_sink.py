"""A minimal SMTP server that accepts everything and counts it (benchmark peer).

Run: ``python -m benchmarks.smtp_sink PORT``; prints "ready" when listening and the
count of accepted messages when it gets SIGTERM.
"""

import signal
import sys
import threading

from aiosmtpd.controller import Controller


class CountingSink:
    """Accept every message without parsing it."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, D102, N802
        self.count += 1
        return "250 OK"


def main() -> None:
    """Serve until SIGTERM, then print the count."""
    port = int(sys.argv[1])
    sink = CountingSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    done.wait()
    controller.stop()
    sys.stdout.write(f"received {sink.count}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
