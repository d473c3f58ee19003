"""The scheduler worker: claim due messages, re-check, render, send, mark (R-MSG-2, R-MSG-3).

Safety rules, each with its reason (claims and fencing: see ``scheduler.claims``):

* No database transaction is open during an SMTP conversation.
* A message's DATA goes out only after the previous message on the same connection has
  its result committed (its envelope may go ahead, overlapping that commit): a worker
  killed at any moment leaves at most one delivered-but-unmarked message per open
  connection (the only way a message can arrive twice).
* One deadline bounds the whole SMTP conversation (connect, TLS, AUTH, MAIL, RCPT,
  DATA), and a send starts only while the lease outlives that deadline plus the time to
  record the result; recording is retried until just before the lease ends. So a stalled
  server cannot keep a send going past the lease, when another worker may take it over.
* Leases are stamped by the database clock and timed locally with a monotonic clock,
  so no host's wall clock matters.
* Rendering (templates, report PDFs) runs in a worker thread with its own session: a
  scheduler inside the web app never freezes its pages.
* A sender the server refuses (5xx to MAIL FROM) pauses sending for every worker until
  the server takes it again; the messages stay scheduled.
"""

import asyncio
import contextlib
import functools
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from typing import Any, TypeVar

from sqlalchemy.engine import Engine

from rxapp import clock as app_clock
from rxapp.mail.transport import (
    PreparedEmail,
    SendOutcome,
    SendResult,
    SmtpTransport,
    Transport,
    get_transport,
)
from rxapp.models.outbox import OutboxMessage
from rxapp.scheduler import rendering
from rxapp.scheduler.claims import (
    BatchResult,
    claim_due,
    database_now,
    release,
    sweep_expired_leases,
)
from rxapp.scheduler.consumer import Feeder, consume
from rxapp.scheduler.fast_marks import AsyncPgMarks
from rxapp.scheduler.marks import mark_many, prepare_claimed
from rxapp.scheduler.pause import SendingPauseGate
from rxapp.scheduler.recorder import Recorder
from rxapp.scheduler.retry import RetryPolicy
from rxapp.settings import Settings, get_settings

__all__ = ["BatchResult", "Worker", "claim_due", "database_now", "sweep_expired_leases"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Time kept after the SMTP deadline to record the result before the lease ends.
LEASE_SAFETY_SECONDS = 5.0
# Jobs rendered per worker-thread (or render-process) call: large enough to amortise
# the hand-over, small enough that the connections start sending a batch while the rest
# renders (16 take ~10 ms in a render process).
RENDER_CHUNK = 16


@dataclass
class _Job:
    item: rendering.RenderItem
    # Monotonic time when the lease ends (measured from before the claim: conservative).
    lease_deadline: float = 0.0
    # Rendered and flattened in a worker thread before the job reaches a connection.
    email: PreparedEmail | None = None
    render_error: str = ""

    @property
    def message(self) -> OutboxMessage:
        """The claimed outbox row."""
        return self.item.message


class Worker:
    """Sends due outbox messages; run several safely, in one process or many.

    Args:
        engine: Database engine.
        transport: Where emails go (SMTP pool or mailbox).
        settings: Batch size, lease, poll interval, sender (default: app settings).
        clock: Returns aware "now" for due times and marks (default: the app clock).
        retry_policy: Backoff for temporary failures.
        monotonic: Clock that times leases locally (tests replace it).
        render_processes: Child processes that render (default: the setting
            ``SCHEDULER_RENDER_PROCESSES``; 0 renders in threads of this process).

    """

    def __init__(
        self,
        *,
        engine: Engine,
        transport: Transport,
        settings: Settings | None = None,
        clock: Callable[[], datetime] | None = None,
        retry_policy: RetryPolicy | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        render_processes: int | None = None,
    ) -> None:
        self.engine = engine
        self.transport = transport
        self.settings = settings or get_settings()
        self.clock = clock or app_clock.now
        self.monotonic = monotonic
        self.retry_policy = retry_policy or RetryPolicy()
        self.batch_size = self.settings.scheduler_batch_size
        # One deadline for a whole SMTP conversation.
        self.conversation_seconds = float(self.settings.smtp_timeout_seconds)
        self.lease_seconds = float(self.settings.scheduler_lease_seconds)
        floor = 2 * self.conversation_seconds + LEASE_SAFETY_SECONDS
        if self.lease_seconds < floor:
            # A lease shorter than one SMTP conversation would release every claim unsent.
            logger.warning(
                "scheduler lease shorter than the SMTP timeout allows; raised",
                extra={"configured": self.lease_seconds, "used": floor},
            )
            self.lease_seconds = floor
        self.worker_id = uuid.uuid4().hex[:8]
        self.connections = max(1, getattr(transport, "max_connections", 1))
        self.sender_address = parseaddr(self.settings.mail_from)[1]
        # Live totals of the current run_forever (monitoring, benchmarks).
        self.totals = BatchResult()
        self.paused = False
        self._pause = SendingPauseGate(
            engine=engine,
            transport=transport,
            sender=self.sender_address,
            clock=self.clock,
            monotonic=monotonic,
            timeout=self.conversation_seconds,
            worker_id=self.worker_id,
        )
        # SQLite has one writer: one DB thread avoids lock waits between our own threads,
        # and the marks get a thread of their own so they never queue behind a claim
        # (each connection's next message waits for its previous mark).
        sqlite = engine.dialect.name == "sqlite"
        db_threads = 1 if sqlite else self.connections + 1
        self._db = ThreadPoolExecutor(max_workers=db_threads, thread_name_prefix="outbox-db")
        self._marks_db = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-marks")
            if sqlite
            else self._db
        )
        # Clean deliveries are marked from the event loop on PostgreSQL (fast_marks). One
        # group commit at a time: a mark (~0.6 ms) hides behind the next message's
        # envelope (three round trips) anyway, and a second slot only split the groups,
        # 20 % more transactions for the same messages, on a machine the database, the
        # render process and the SMTP loop already share.
        self._fast_marks = None if sqlite else AsyncPgMarks(engine)
        self._recorder = Recorder(
            engine=engine,
            in_db=self._in_marks_db,
            clock=self.clock,
            monotonic=monotonic,
            retry_policy=self.retry_policy,
            max_flushes=1,
            fast=self._fast_marks,
        )
        # Rendering reads the database and builds PDFs: off the event loop, in threads or
        # in child processes (SMTP only: the mailbox stores the parsed email).
        if not isinstance(transport, SmtpTransport):
            render_processes = 0
        elif render_processes is None:
            render_processes = self.settings.scheduler_render_processes or 0
        self._renderer = rendering.Renderer(
            engine, sender=self.settings.mail_from, processes=render_processes
        )

    @classmethod
    def from_settings(
        cls,
        settings: Settings | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        render_processes: int | None = None,
    ) -> "Worker":
        """Build a worker on the configured database and transport."""
        from rxapp.db import get_engine

        settings = settings or get_settings()
        engine = get_engine(settings.database_url)
        return cls(
            engine=engine,
            transport=get_transport(settings, engine=engine),
            settings=settings,
            clock=clock,
            render_processes=render_processes,
        )

    async def _in_db(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._db, functools.partial(fn, *args, **kwargs))

    async def _in_marks_db(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._marks_db, functools.partial(fn, *args, **kwargs))

    # -- claim and prepare (database thread) --------------------------------------------

    def _prepare(
        self, messages: Sequence[OutboxMessage], now: datetime
    ) -> tuple[list[_Job], BatchResult]:
        """Re-check claimed messages (see ``prepare_claimed``) and wrap them as jobs."""
        ready, result = prepare_claimed(self.engine, messages, now, self.retry_policy)
        jobs = [_Job(rendering.RenderItem(message, name, reply)) for message, name, reply in ready]
        return jobs, result

    def _mark(self, message: OutboxMessage, outcome: SendResult, now: datetime) -> BatchResult:
        """Record one send's outcome in its own transaction, fenced by the claim token."""
        return mark_many(self.engine, [(message, outcome)], now, self.retry_policy)[0]

    async def check_pause(self, *, force_probe: bool = False) -> bool:
        """Whether sending is paused (see ``SendingPauseGate.check``)."""
        self.paused = await self._pause.check(self._in_db, force=force_probe)
        return self.paused

    async def _render_chunk(self, jobs: Sequence[_Job]) -> None:
        rendered = await self._renderer.render([job.item for job in jobs], self.clock())
        for job, (email, error) in zip(jobs, rendered, strict=True):
            job.email, job.render_error = email, error

    async def warm_up(self) -> None:
        """Start the render processes now rather than on the first batch."""
        await self._renderer.warm_up()

    async def _render_into(
        self,
        jobs: Sequence[_Job],
        queue: "asyncio.Queue[_Job | None]",
        on_queued: Callable[[], None] | None = None,
    ) -> None:
        """Render jobs a few at a time, all chunks at once, queueing each in order."""
        chunks = [jobs[i : i + RENDER_CHUNK] for i in range(0, len(jobs), RENDER_CHUNK)]
        renders = [asyncio.ensure_future(self._render_chunk(chunk)) for chunk in chunks]
        try:
            for chunk, render in zip(chunks, renders, strict=True):
                await render
                for job in chunk:
                    await queue.put(job)
                    if on_queued is not None:
                        on_queued()
        finally:
            for render in renders:
                render.cancel()

    async def _process(
        self, job: _Job, before_data: Callable[[], Awaitable[None]] | None = None
    ) -> tuple[BatchResult, "asyncio.Future[BatchResult] | None"]:
        """Render and send one message; return its result, or a pending record of it.

        Args:
            job: The claimed message.
            before_data: Awaited after the envelope and before DATA: the previous
                message on this connection must be recorded before this one can arrive.

        Returns:
            ``(result, None)`` when nothing was sent, else ``(empty, record)`` where
            ``record`` is the task committing the outcome.

        """
        message = job.message
        if self.paused:
            released = await self._in_db(release, self.engine, message)
            return BatchResult(released=released), None
        if job.email is None and not job.render_error:
            await self._render_chunk([job])
        if job.email is None:
            outcome = SendResult(SendOutcome.PERMANENT, job.render_error)
        else:
            # Checked after rendering, right before the conversation starts.
            remaining = job.lease_deadline - self.monotonic()
            if remaining < self.conversation_seconds + LEASE_SAFETY_SECONDS:
                # The lease could expire mid-conversation and another worker re-send it.
                released = await self._in_db(release, self.engine, message)
                return BatchResult(released=released), None
            outcome = await self.transport.send(
                job.email,
                outbox=message,
                timeout=self.conversation_seconds,
                before_data=before_data,
            )
        if outcome.outcome is SendOutcome.SENDER_REFUSED:
            # Not this message's fault: keep it, pause everyone, tell the admins once.
            self.paused = True
            await self._in_db(self._pause.pause, outcome.detail)
            released = await self._in_db(release, self.engine, message)
            return BatchResult(paused=released), None
        (logger.info if outcome.accepted else logger.warning)(
            "outbox message processed",
            extra={
                "outbox_id": message.id,
                "kind": message.kind,
                "outcome": outcome.outcome.value,
                "detail": outcome.detail,
                "worker": self.worker_id,
            },
        )
        return BatchResult(), asyncio.ensure_future(
            self._recorder.record_until(message, outcome, job.lease_deadline)
        )

    async def claim_batch(
        self, now: datetime | None = None, limit: int | None = None
    ) -> tuple[list[_Job], BatchResult]:
        """Claim and re-check one batch of due messages (database work off the event loop).

        Args:
            now: Claim time (default: the worker's clock).
            limit: At most this many (default: the batch size).

        """
        now = now or self.clock()
        started = self.monotonic()
        messages = await self._in_db(
            claim_due,
            self.engine,
            now=now,
            limit=limit or self.batch_size,
            lease_seconds=self.lease_seconds,
        )
        if not messages:
            return [], BatchResult()
        jobs, result = await self._in_db(self._prepare, messages, now)
        for job in jobs:
            job.lease_deadline = started + self.lease_seconds
        return jobs, result

    async def run_once(self, now: datetime | None = None) -> BatchResult:
        """Claim one batch of due messages and process it completely.

        Args:
            now: Claim time (default: the worker's clock).

        Returns:
            What happened to the batch (nothing while sending is paused).

        """
        if await self.check_pause(force_probe=True):
            return BatchResult()
        jobs, total = await self.claim_batch(now)
        if not jobs:
            return total
        queue: asyncio.Queue[_Job | None] = asyncio.Queue()
        consumers = min(self.connections, len(jobs))
        sending = [
            asyncio.create_task(consume(queue, total, self._process)) for _ in range(consumers)
        ]
        try:
            await self._render_into(jobs, queue)
        finally:
            for _ in range(consumers):
                queue.put_nowait(None)
            await asyncio.gather(*sending)
        return total

    async def run_until_idle(
        self, now: datetime | None = None, max_batches: int = 10_000
    ) -> BatchResult:
        """Run batches until nothing is due or sending is paused (tests, ``--once``)."""
        total = BatchResult()
        for _ in range(max_batches):
            result = await self.run_once(now)
            total.add(result)
            if result.claimed == 0 or self.paused:
                break
        return total

    async def sweep(self, now: datetime | None = None) -> int:
        """Put messages with expired leases back to scheduled (database clock by default)."""
        return await self._in_db(sweep_expired_leases, self.engine, now=now)

    async def run_forever(self, stop: asyncio.Event) -> BatchResult:
        """Send due messages until ``stop`` is set, claiming ahead while sending.

        A producer claims the next batch while the consumers (one per connection) are
        still sending the current one, so the pool never idles at batch boundaries.

        Args:
            stop: Set it to finish: in-flight messages complete, claimed ones not yet
                started are released to ``scheduled``.

        Returns:
            Totals over the whole run.

        """
        total = self.totals = BatchResult()
        # Claim only a little ahead of the connections: messages waiting in a queue hold
        # leases other workers could be sending, and a big claim leaves other processes
        # idle at the end of a burst. 16 per connection is ~0.1 s of sending, and claims
        # of 32 or more: a claim and its re-check cost ~3 ms of CPU whatever their size.
        queue: asyncio.Queue[_Job | None] = asyncio.Queue(maxsize=16 * self.connections)
        room = asyncio.Event()
        consumers = [
            asyncio.create_task(consume(queue, total, self._process, room))
            for _ in range(self.connections)
        ]
        sweep_every = max(1.0, self.lease_seconds / 4)
        last_sweep = -sweep_every
        await self.warm_up()
        logger.info("scheduler worker started", extra={"worker": self.worker_id})
        feeder = Feeder(queue, self._render_into)
        try:
            while not stop.is_set():
                jobs: list[_Job] = []
                claimed = BatchResult()
                # Claim when half the queue is free (counting batches still rendering):
                # claims big enough to be cheap.
                room.clear()
                if queue.qsize() + feeder.in_flight > queue.maxsize // 2:
                    await room.wait()
                    continue
                limit = min(self.batch_size, queue.maxsize - queue.qsize() - feeder.in_flight)
                try:
                    if time.monotonic() - last_sweep >= sweep_every:
                        await self.sweep()
                        last_sweep = time.monotonic()
                    if not await self.check_pause():
                        jobs, claimed = await self.claim_batch(limit=limit)
                except Exception:
                    logger.exception("claim failed", extra={"worker": self.worker_id})
                total.add(claimed)
                feeder.feed(jobs)
                if claimed.claimed >= limit:
                    continue  # more is probably due: claim again as soon as the queue has room
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        stop.wait(), timeout=self.settings.scheduler_poll_seconds
                    )
        finally:
            # Let the batches being rendered reach the queue, release what was claimed
            # but not started, then let the consumers finish.
            await feeder.drain()
            leftover = []
            while not queue.empty():
                item = queue.get_nowait()
                queue.task_done()
                if item is not None:
                    leftover.append(item)
            for _ in consumers:
                queue.put_nowait(None)
            with contextlib.suppress(Exception):
                await asyncio.shield(asyncio.gather(*consumers))
            for job in leftover:
                with contextlib.suppress(Exception):
                    total.released += await self._in_db(release, self.engine, job.message)
            logger.info("scheduler worker stopped", extra={"worker": self.worker_id})
        return total

    async def aclose(self) -> None:
        """Close the transport and the database and render threads."""
        await self.transport.aclose()
        self._renderer.close()
        self._db.shutdown(wait=True)
        if self._marks_db is not self._db:
            self._marks_db.shutdown(wait=True)
        if self._fast_marks is not None:
            await self._fast_marks.aclose()
