"""Recording send results by group commit, retried while the lease holds (issue 14).

Finished sends queue their outcome; up to ``max_flushes`` transactions write whatever is
queued at once (disjoint rows, so they never wait on each other). Each connection's next
message waits for its previous record before its final dot (see ``worker``), so the
records must be quick and must not be lost to a passing database hiccup: a failed write
is retried until just before the lease ends.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from rxapp.mail.transport import SendResult
from rxapp.models.outbox import OutboxMessage
from rxapp.scheduler.claims import BatchResult
from rxapp.scheduler.fast_marks import AsyncPgMarks
from rxapp.scheduler.marks import is_clean, mark_many
from rxapp.scheduler.retry import RetryPolicy

logger = logging.getLogger(__name__)

# Recording stops being retried this long before the lease ends.
MARK_GRACE_SECONDS = 1.0


class Recorder:
    """Group commit of send results for one worker.

    Args:
        engine: Database engine.
        in_db: Runs a function in the worker's database threads.
        clock: Aware "now" for the marks.
        monotonic: Times the leases.
        retry_policy: Backoff for temporary failures.
        max_flushes: Group commits in flight at once (1 for SQLite's single writer).
        fast: PostgreSQL: marks clean deliveries from the event loop
            (``scheduler.fast_marks``); everything else takes ``marks.mark_many``.

    """

    def __init__(
        self,
        *,
        engine: Engine,
        in_db: Callable[..., Awaitable[Any]],
        clock: Callable[[], datetime],
        monotonic: Callable[[], float],
        retry_policy: RetryPolicy,
        max_flushes: int,
        fast: AsyncPgMarks | None = None,
    ) -> None:
        self.engine = engine
        self.in_db = in_db
        self.clock = clock
        self.monotonic = monotonic
        self.retry_policy = retry_policy
        self.max_flushes = max_flushes
        self.fast = fast
        self._pending: list[tuple[OutboxMessage, SendResult, asyncio.Future]] = []
        self._flushes: set[asyncio.Task] = set()

    async def record(self, message: OutboxMessage, outcome: SendResult) -> BatchResult:
        """Queue a finished send for the next group commit and wait until it is committed."""
        future: asyncio.Future[BatchResult] = asyncio.get_running_loop().create_future()
        self._pending.append((message, outcome, future))
        if len(self._flushes) < self.max_flushes:
            flush = asyncio.create_task(self._flush())
            self._flushes.add(flush)
        return await future

    async def _flush(self) -> None:
        group: list[tuple[OutboxMessage, SendResult, asyncio.Future]] = []
        try:
            while self._pending:
                group, self._pending = self._pending, []
                try:
                    results = await self._write([(m, o) for m, o, _f in group])
                except Exception as exc:
                    for _m, _o, future in group:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_m, _o, future), result in zip(group, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        finally:
            # Free the slot in the same step as the last look at the queue. A done
            # callback would run a step later, and a record queued in between saw every
            # slot taken, started no flush and waited forever (a run_once that hung).
            self._flushes.discard(asyncio.current_task())  # type: ignore[arg-type]
            # Cancelled mid-write (the worker is stopping): its records must not wait on.
            for _m, _o, future in group:
                if not future.done():
                    future.cancel()

    async def _write(self, items: list[tuple[OutboxMessage, SendResult]]) -> list[BatchResult]:
        """Mark a group: clean deliveries by the fast path when there is one.

        The rest, and whatever the fast path missed (cancelled mid-send, lease lost),
        take the careful path in a database thread.
        """
        now = self.clock()
        careful = list(range(len(items)))
        results: list[BatchResult] = [BatchResult() for _ in items]
        if self.fast is not None:
            clean = [i for i, (_m, o) in enumerate(items) if is_clean(o)]
            if clean:
                marked = await self.fast.mark_sent([items[i][0] for i in clean], now)
                for i in clean:
                    if items[i][0].id in marked:
                        results[i] = BatchResult(sent=1)
                careful = [i for i in careful if not results[i].sent]
        if careful:
            rest = await self.in_db(
                mark_many, self.engine, [items[i] for i in careful], now, self.retry_policy
            )
            for i, result in zip(careful, rest, strict=True):
                results[i] = result
        return results

    async def record_until(
        self, message: OutboxMessage, outcome: SendResult, lease_deadline: float
    ) -> BatchResult:
        """Record a result, retrying a failed write while the lease still holds.

        Args:
            message: The claimed message.
            outcome: What the server said.
            lease_deadline: Monotonic time when the lease ends.

        Raises:
            Exception: The write kept failing until the lease was about to end; the
                message may be sent again by whoever claims it next.

        """
        delay = 0.05
        while True:
            try:
                return await self.record(message, outcome)
            except Exception:
                if self.monotonic() + delay > lease_deadline - MARK_GRACE_SECONDS:
                    logger.exception(
                        "could not record a send result before the lease ended",
                        extra={"outbox_id": message.id, "outcome": outcome.outcome.value},
                    )
                    raise
                logger.warning(
                    "recording a send result failed; retrying",
                    extra={"outbox_id": message.id},
                    exc_info=True,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)
