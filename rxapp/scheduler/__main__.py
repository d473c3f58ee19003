"""``python -m rxapp.scheduler``: the scheduler as its own process (R-MSG-2).

Imports models, services and mail only, never the Reflex app. Configured from the
environment like the app (DATABASE_URL, SMTP_HOST, ...). SIGTERM/SIGINT stop it cleanly.
"""

import argparse
import asyncio
import logging
import signal

from rxapp.scheduler.housekeeping import housekeeping_tick, run_housekeeping
from rxapp.scheduler.loop import run_loop
from rxapp.scheduler.worker import Worker
from rxapp.settings import get_settings

logger = logging.getLogger(__name__)


async def _main(once: bool) -> int:
    settings = get_settings()
    # A dedicated scheduler renders in a child process: sending and rendering then use
    # two cores (issue 14.6); the setting overrides it, 0 keeps rendering in threads.
    processes = settings.scheduler_render_processes
    worker = Worker.from_settings(settings, render_processes=1 if processes is None else processes)
    try:
        if once:
            await asyncio.to_thread(housekeeping_tick, worker.engine, now=worker.clock())
            await worker.sweep()
            result = await worker.run_until_idle()
            logger.info("drained", extra={"sent": result.sent, "failed": result.failed})
            return 0
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        chores = asyncio.create_task(run_housekeeping(worker.engine, stop, clock=worker.clock))
        await worker.run_forever(stop)
        stop.set()
        await chores
        return 0
    finally:
        await worker.aclose()


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, configure logging and run the worker."""
    parser = argparse.ArgumentParser(prog="python -m rxapp.scheduler", description=__doc__)
    parser.add_argument("--once", action="store_true", help="send what is due, then exit")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    return run_loop(_main(args.once))


if __name__ == "__main__":
    raise SystemExit(main())
