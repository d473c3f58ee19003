"""The sending side of a worker: one consumer per SMTP connection, and the feeder.

The feeder renders claimed batches and queues their jobs; the consumers send them.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rxapp.scheduler.claims import BatchResult

logger = logging.getLogger(__name__)

Process = Callable[
    [Any, Callable[[], Awaitable[None]] | None],
    Awaitable[tuple[BatchResult, "asyncio.Future[BatchResult] | None"]],
]


async def consume(
    queue: "asyncio.Queue[Any]",
    total: BatchResult,
    process: Process,
    room: asyncio.Event | None = None,
) -> None:
    """Send jobs over one connection until a ``None`` arrives.

    The next message's envelope overlaps the previous message's commit; its DATA
    waits for that commit (the duplicate bound, see ``scheduler.worker``).

    Args:
        queue: Rendered jobs, then one ``None`` per consumer to stop.
        total: Live totals, counted as each result is committed.
        process: Sends one job: ``process(job, before_data)`` returns the result of a
            job that was not sent, or the pending record of one that was.
        room: Set when the queue is half empty, so the producer claims more.

    """
    previous: asyncio.Future[BatchResult] | None = None

    async def previous_recorded() -> None:
        if previous is not None:
            await previous

    def count(record: asyncio.Future[BatchResult]) -> None:
        # Counted as soon as committed (live totals), not when the next job comes.
        if not record.cancelled() and record.exception() is None:
            total.add(record.result())

    async def settle() -> None:
        nonlocal previous
        if previous is not None:
            # A record that failed for good was logged; the lease sweep retries it.
            with contextlib.suppress(Exception):
                await previous
            previous = None

    try:
        while True:
            job = await queue.get()
            if room is not None and queue.qsize() <= queue.maxsize // 2:
                room.set()
            try:
                if job is None:
                    return
                try:
                    result, record = await process(job, previous_recorded if previous else None)
                except Exception:
                    logger.exception(
                        "unexpected error sending", extra={"outbox_id": job.message.id}
                    )
                    result, record = BatchResult(), None
                total.add(result)
                await settle()
                if record is not None:
                    record.add_done_callback(count)
                previous = record
            finally:
                queue.task_done()
    finally:
        await settle()


class Feeder:
    """Renders claimed batches while the next is claimed; queues jobs in claim order.

    The producer claims, hands the batch to :meth:`feed` and goes on claiming at once:
    a claim (a database round trip or three) and the rendering of the previous batch
    overlap instead of taking turns while the connections wait for work.

    Args:
        queue: The consumers' queue.
        render: Renders a batch's jobs into that queue (chunks rendered concurrently,
            queued in order; see ``Worker._render_into``); ``on_queued`` is called per job.

    """

    def __init__(
        self,
        queue: "asyncio.Queue[Any]",
        render: Callable[[list[Any], "asyncio.Queue[Any]", Callable[[], None]], Awaitable[None]],
    ) -> None:
        self.queue = queue
        self.render = render
        # Claimed jobs not yet in the queue: they count against the claim limit.
        self.in_flight = 0
        self._last: asyncio.Task | None = None

    def feed(self, jobs: list[Any]) -> None:
        """Start rendering ``jobs``; they enter the queue after the previous batch's."""
        if not jobs:
            return
        self.in_flight += len(jobs)
        previous = self._last

        async def run() -> None:
            queued = 0

            def one_queued() -> None:
                nonlocal queued
                queued += 1
                self.in_flight -= 1

            if previous is not None:
                with contextlib.suppress(Exception):
                    await previous
            try:
                await self.render(jobs, self.queue, one_queued)
            except Exception:
                # Left in `sending`: the lease sweep retries them later.
                logger.exception("render failed")
            finally:
                self.in_flight -= len(jobs) - queued

        self._last = asyncio.create_task(run())

    async def drain(self) -> None:
        """Wait until every batch handed over is rendered and queued (or given up)."""
        if self._last is not None:
            with contextlib.suppress(Exception):
                await self._last
