"""Password work (argon2) off the event loop, a few at a time, with a bounded queue.

An argon2 check takes tens of milliseconds of CPU. Run on the event loop, a burst of
sign-in attempts stalled every page and the health check; run on the shared default
executor, it would starve the database work of every other handler. It runs here on
its own small pool instead, and when too many attempts are already waiting, new ones
are answered "busy" at once: a global limit on the CPU sign-in can take.
"""

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

PARALLEL = 2
MAX_WAITING = 24

_pool = ThreadPoolExecutor(max_workers=PARALLEL, thread_name_prefix="password-hashing")
_lock = threading.Lock()
_in_flight = 0


class Busy(Exception):
    """Too much password work is queued; the caller answers "try again shortly"."""


async def run_password_work(work: Callable[[], T]) -> T:
    """Run ``work`` (which hashes or verifies passwords) on the hashing pool.

    Raises:
        Busy: ``MAX_WAITING`` calls are already queued or running.
    """
    global _in_flight
    with _lock:
        if _in_flight >= MAX_WAITING:
            raise Busy()
        _in_flight += 1
    try:
        return await asyncio.get_running_loop().run_in_executor(_pool, work)
    finally:
        with _lock:
            _in_flight -= 1
