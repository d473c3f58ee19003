"""Run a long import off the state lock, with its status in the database (issue 14.8).

The state lock (Redis: 10 s by default) is held only for short ``async with state:``
blocks that publish progress; the import itself runs in a thread. The job row is
opened before and closed in ``finally`` with a plain synchronous write, so a cancelled
task (the tab reloaded, the worker stopped) still finishes its bookkeeping, and the
thread gives up at its next progress step, rolling its transaction back (all or none).
"""

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

from rxapp import clock
from rxapp.db import session_scope
from rxapp.services.common import import_jobs

logger = logging.getLogger(__name__)

PUBLISH_EVERY_S = 0.25
BEAT_EVERY_S = 2.0


class ImportCancelled(Exception):
    """Raised inside the import thread once its task is gone."""


def open_job(*, organization_id: int, user_id: int, kind: str) -> int | None:
    """Open a running job; None while the same user already runs one of ``kind``."""
    with session_scope() as session:
        return import_jobs.start(session, organization_id=organization_id, user_id=user_id,
                                 kind=kind, now=clock.now())


def running_job(*, user_id: int, kind: str) -> tuple[int, int] | None:
    """(done, total) of the user's running job of ``kind``; None when none runs."""
    with session_scope() as session:
        job = import_jobs.current(session, user_id=user_id, kind=kind, now=clock.now())
        return None if job is None else (job.done, job.total)


def heartbeat(job_id: int, *, done: int, total: int) -> None:
    """Record progress of a job driven step by step (not by :func:`run_import`)."""
    with session_scope() as session:
        import_jobs.beat(session, job_id=job_id, done=done, total=total, now=clock.now())


def close_job(job_id: int, *, ok: bool, result: str) -> None:
    """Close the job; never raises (it runs in ``finally``)."""
    try:
        with session_scope() as session:
            import_jobs.finish(session, job_id=job_id, ok=ok, result=result, now=clock.now())
    except Exception:  # noqa: BLE001 - the heartbeat goes stale and a load closes it
        logger.exception("could not close import job %s", job_id)


async def run_import(
    job_id: int,
    work: Callable[[Callable[[int, int], None]], Any],
    publish: Callable[[int, int], Awaitable[None]],
) -> Any:
    """Run ``work(progress)`` in a thread, publishing progress; return its result.

    Args:
        job_id: The job opened with :func:`open_job`; closed here whatever happens.
        work: The import; calls ``progress(done, total)`` now and then.
        publish: Writes progress into the state (one short ``async with state:``).

    Raises:
        Whatever ``work`` raised; ``asyncio.CancelledError`` when the task is cancelled.
    """
    counter = {"done": 0, "total": 0}
    lock = threading.Lock()
    stop = threading.Event()

    def progress(done: int, total: int) -> None:
        if stop.is_set():
            raise ImportCancelled
        with lock:
            counter["done"], counter["total"] = done, total

    def beat(done: int, total: int) -> None:
        with session_scope() as session:
            import_jobs.beat(session, job_id=job_id, done=done, total=total, now=clock.now())

    ok, result = False, "error.unexpected"
    task = asyncio.create_task(asyncio.to_thread(work, progress))
    try:
        last_beat = time.monotonic()
        while not task.done():
            await asyncio.wait({task}, timeout=PUBLISH_EVERY_S)
            with lock:
                done, total = counter["done"], counter["total"]
            await publish(done, total)
            if time.monotonic() - last_beat >= BEAT_EVERY_S:
                last_beat = time.monotonic()
                await asyncio.to_thread(beat, done, total)
        value = task.result()
        ok, result = True, "done"
        return value
    finally:
        stop.set()
        if not task.done():
            # Cancelled: the thread stops at its next progress step with ImportCancelled;
            # collect that result so it is not logged as "never retrieved".
            task.add_done_callback(_collect)
        close_job(job_id, ok=ok, result=result)


def _collect(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.debug("import thread stopped: %r", task.exception())
