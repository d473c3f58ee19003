"""The scheduler worker: claim due messages, re-check, render, send, mark (R-MSG-2, R-MSG-3).

Safety rules, each with its reason:

* Claims and fencing live in ``claims.py``: a worker whose lease was swept and
  re-claimed cannot mark anything.
* No database transaction is open during an SMTP conversation.
* Each connection sends one message and commits its result before sending the next:
  a worker killed at any moment leaves at most one delivered-but-unmarked message per
  open connection (the only way a message can arrive twice).
* Expired leases are swept by a separate statement, keeping the claim query free of OR.
"""

import asyncio
import contextlib
import functools
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, TypeVar

from sqlalchemy import insert, select, tuple_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from rxapp import clock as app_clock
from rxapp.mail.render import render_message
from rxapp.mail.transport import SendOutcome, SendResult, Transport, get_transport
from rxapp.models.accounts import Organization
from rxapp.models.outbox import MessageState, OutboxMessage, StatusKind
from rxapp.scheduler import kinds
from rxapp.scheduler.claims import (
    EVENTS,
    OUTBOX,
    SCHEDULED,
    SENDING,
    BatchResult,
    _fence,
    _fenced_update,
    _Job,
    _status_values,
    claim_due,
    failed_values,
    retry_or_fail,
    sweep_expired_leases,
)
from rxapp.scheduler.retry import RetryPolicy
from rxapp.settings import Settings, get_settings

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Do not start a send unless the lease outlives the SMTP timeout by this much.
LEASE_SAFETY_SECONDS = 5.0


class Worker:
    """Sends due outbox messages; run several safely, in one process or many.

    Args:
        engine: Database engine.
        transport: Where emails go (SMTP pool or mailbox).
        settings: Batch size, lease, poll interval, sender (default: app settings).
        clock: Returns aware "now" (default: the app clock, which tests can pin).
        retry_policy: Backoff for temporary failures.

    """

    def __init__(
        self,
        *,
        engine: Engine,
        transport: Transport,
        settings: Settings | None = None,
        clock: Callable[[], datetime] | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        self.engine = engine
        self.transport = transport
        self.settings = settings or get_settings()
        self.clock = clock or app_clock.now
        self.retry_policy = retry_policy or RetryPolicy()
        self.batch_size = self.settings.scheduler_batch_size
        self.lease_seconds = float(self.settings.scheduler_lease_seconds)
        floor = 2 * self.settings.smtp_timeout_seconds + LEASE_SAFETY_SECONDS
        if self.lease_seconds < floor:
            # A lease shorter than one SMTP conversation would release every claim unsent.
            logger.warning(
                "scheduler lease shorter than the SMTP timeout allows; raised",
                extra={"configured": self.lease_seconds, "used": floor},
            )
            self.lease_seconds = floor
        self.worker_id = uuid.uuid4().hex[:8]
        self.connections = max(1, getattr(transport, "max_connections", 1))
        # Live totals of the current run_forever (monitoring, benchmarks).
        self.totals = BatchResult()
        self._pending_marks: list[tuple[OutboxMessage, SendResult, asyncio.Future]] = []
        self._flusher: asyncio.Task | None = None
        # SQLite has one writer: one DB thread avoids lock waits between our own threads.
        db_threads = 1 if engine.dialect.name == "sqlite" else self.connections + 1
        self._db = ThreadPoolExecutor(max_workers=db_threads, thread_name_prefix="outbox-db")

    @classmethod
    def from_settings(
        cls, settings: Settings | None = None, *, clock: Callable[[], datetime] | None = None
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
        )

    async def _in_db(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._db, functools.partial(fn, *args, **kwargs))

    # -- claim and prepare (database thread) --------------------------------------------

    def _prepare(
        self, messages: Sequence[OutboxMessage], now: datetime
    ) -> tuple[list[_Job], BatchResult]:
        """Re-check each claimed message and look up sender names, in one transaction."""
        result = BatchResult(claimed=len(messages))
        jobs: list[_Job] = []
        with Session(self.engine, expire_on_commit=False) as session:
            org_ids = {m.organization_id for m in messages}
            names = {
                org_id: sender_name or name
                for org_id, name, sender_name in session.execute(
                    select(Organization.id, Organization.name, Organization.sender_name).where(
                        Organization.id.in_(org_ids)  # type: ignore[union-attr]
                    )
                ).all()
            }
            replies = {
                org_id: contact or ""
                for org_id, contact in session.execute(
                    select(Organization.id, Organization.contact_email).where(
                        Organization.id.in_(org_ids)  # type: ignore[union-attr]
                    )
                ).all()
            }
            conn = session.connection()
            for message in messages:
                if message.attempts > self.retry_policy.max_attempts:
                    # Claimed again and again without a result: it keeps killing workers.
                    detail = f"gave up after {message.attempts - 1} attempts"
                    if _fenced_update(
                        conn, message, failed_values(detail), StatusKind.FAILED, detail, now
                    ):
                        result.failed += 1
                    continue
                try:
                    reason = kinds.check(session, message, now)
                except Exception as exc:
                    logger.exception("send check failed", extra={"outbox_id": message.id})
                    detail = f"send check error: {exc}"
                    retry_or_fail(self.retry_policy, conn, message, detail, now, result)
                    continue
                if reason:
                    values = {
                        "state": MessageState.CANCELLED.value,
                        "claim_token": None,
                        "lease_until": None,
                        "next_attempt_at": None,
                        "last_error": reason,
                    }
                    if _fenced_update(conn, message, values, StatusKind.CANCELLED, reason, now):
                        result.cancelled += 1
                    continue
                jobs.append(_Job(message, names.get(message.organization_id, ""),
                                 reply_to=replies.get(message.organization_id, "")))
            session.commit()
        return jobs, result

    def _mark(self, message: OutboxMessage, outcome: SendResult, now: datetime) -> BatchResult:
        """Record one send's outcome in its own transaction, fenced by the claim token."""
        return self._mark_many([(message, outcome)], now)[0]

    def _mark_many(
        self, items: Sequence[tuple[OutboxMessage, SendResult]], now: datetime
    ) -> list[BatchResult]:
        """Record finished sends, fenced by their claim tokens, in one short transaction.

        This is group commit: the consumers whose sends finished while the previous
        commit ran share the next one. Every send in the group is already over, and each
        consumer waits for its commit before it sends again, so a failure here leaves at
        most one unmarked message per connection, as a crash would.
        """
        results = [BatchResult() for _ in items]
        plain_sent = [
            i
            for i, (_m, o) in enumerate(items)
            if o.outcome is SendOutcome.ACCEPTED and not o.refused
        ]
        with self.engine.begin() as conn:
            if plain_sent:
                # One statement for all clean deliveries: (id, claim_token) is the fence.
                keys = [(items[i][0].id, items[i][0].claim_token) for i in plain_sent]
                marked = set(
                    conn.execute(
                        update(OUTBOX)
                        .where(
                            tuple_(OUTBOX.c.id, OUTBOX.c.claim_token).in_(keys),
                            OUTBOX.c.state == SENDING,
                        )
                        .values(
                            state=MessageState.SENT.value,
                            sent_at=now,
                            claim_token=None,
                            lease_until=None,
                            next_attempt_at=None,
                            last_error="",
                        )
                        .returning(OUTBOX.c.id)
                    ).scalars()
                )
                events = []
                for i in plain_sent:
                    message = items[i][0]
                    if message.id in marked:
                        results[i].sent += 1
                        if message.entity_type is not None:
                            events.append(_status_values(message, StatusKind.SENT, "", now))
                    else:
                        results[i].lost += 1
                if events:
                    conn.execute(insert(EVENTS), events)
            for i, (message, outcome) in enumerate(items):
                if i in plain_sent:
                    continue
                result = results[i]
                if outcome.outcome is SendOutcome.ACCEPTED:
                    values = {
                        "state": MessageState.SENT.value,
                        "sent_at": now,
                        "claim_token": None,
                        "lease_until": None,
                        "next_attempt_at": None,
                        # Partial refusals are kept so the UI can show them.
                        "last_error": outcome.detail,
                    }
                    if _fenced_update(conn, message, values, StatusKind.SENT, "", now):
                        result.sent += 1
                    else:
                        result.lost += 1
                elif outcome.outcome is SendOutcome.PERMANENT:
                    values = failed_values(outcome.detail)
                    if _fenced_update(
                        conn, message, values, StatusKind.FAILED, outcome.detail, now
                    ):
                        result.failed += 1
                    else:
                        result.lost += 1
                else:
                    retry_or_fail(self.retry_policy, conn, message, outcome.detail, now, result)
        for (message, _outcome), result in zip(items, results, strict=True):
            if result.lost:
                logger.warning(
                    "lease lost before marking; leaving the message to its new owner",
                    extra={"outbox_id": message.id, "worker": self.worker_id},
                )
        return results

    async def _record(self, message: OutboxMessage, outcome: SendResult) -> BatchResult:
        """Queue a finished send for the next group commit and wait until it is committed."""
        future: asyncio.Future[BatchResult] = asyncio.get_running_loop().create_future()
        self._pending_marks.append((message, outcome, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_marks())
        return await future

    async def _flush_marks(self) -> None:
        while self._pending_marks:
            group, self._pending_marks = self._pending_marks, []
            try:
                results = await self._in_db(
                    self._mark_many, [(m, o) for m, o, _f in group], self.clock()
                )
            except Exception as exc:
                for _m, _o, future in group:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_m, _o, future), result in zip(group, results, strict=True):
                if not future.done():
                    future.set_result(result)

    def _release(self, message: OutboxMessage) -> int:
        values = {
            "state": SCHEDULED,
            "claim_token": None,
            "lease_until": None,
            "attempts": OUTBOX.c.attempts - 1,
        }
        with self.engine.begin() as conn:
            return conn.execute(update(OUTBOX).where(*_fence(message)).values(**values)).rowcount

    # -- send (event loop) --------------------------------------------------------------

    def _render(self, job: _Job, now: datetime) -> EmailMessage:
        # Send-time values (links, PDFs) come from the kind table with this worker's
        # own session and clock, never the app's global ones.
        with Session(self.engine, expire_on_commit=False) as session:
            context, attachments = kinds.send_time_parts(session, job.message, now)
        return render_message(
            job.message,
            organization_name=job.organization_name,
            sender=self.settings.mail_from,
            now=now,
            extra_context=context,
            attachments=attachments,
            reply_to=job.reply_to,
        )

    async def _process(self, job: _Job) -> BatchResult:
        message = job.message
        now = self.clock()
        margin = timedelta(seconds=self.settings.smtp_timeout_seconds + LEASE_SAFETY_SECONDS)
        if message.lease_until is None or now + margin > message.lease_until:
            # The lease could expire mid-conversation and another worker re-send it.
            released = await self._in_db(self._release, message)
            return BatchResult(released=released)
        try:
            email = self._render(job, now)
        except Exception as exc:
            # A template bug or a missing kind never fixes itself by waiting.
            logger.exception("render failed", extra={"outbox_id": message.id})
            outcome = SendResult(
                SendOutcome.PERMANENT, f"render error: {type(exc).__name__}: {exc}"
            )
        else:
            outcome = await self.transport.send(email, outbox=message)
        # Commit the outcome before this connection sends anything else (see module doc).
        result = await self._record(message, outcome)
        log = logger.info if outcome.accepted else logger.warning
        log(
            "outbox message processed",
            extra={
                "outbox_id": message.id,
                "kind": message.kind,
                "outcome": outcome.outcome.value,
                "detail": outcome.detail,
                "worker": self.worker_id,
            },
        )
        return result

    async def _consume(self, queue: "asyncio.Queue[_Job | None]", total: BatchResult) -> None:
        while True:
            job = await queue.get()
            try:
                if job is None:
                    return
                try:
                    total.add(await self._process(job))
                except Exception:
                    # Left in `sending`: the lease sweep retries it later.
                    logger.exception(
                        "unexpected error sending", extra={"outbox_id": job.message.id}
                    )
            finally:
                queue.task_done()

    async def claim_batch(self, now: datetime | None = None) -> tuple[list[_Job], BatchResult]:
        """Claim and re-check one batch of due messages (database work off the event loop)."""
        now = now or self.clock()
        messages = await self._in_db(
            claim_due,
            self.engine,
            now=now,
            limit=self.batch_size,
            lease_seconds=self.lease_seconds,
        )
        if not messages:
            return [], BatchResult()
        return await self._in_db(self._prepare, messages, now)

    async def run_once(self, now: datetime | None = None) -> BatchResult:
        """Claim one batch of due messages and process it completely.

        Args:
            now: Claim time (default: the worker's clock).

        Returns:
            What happened to the batch.

        """
        jobs, total = await self.claim_batch(now)
        if not jobs:
            return total
        queue: asyncio.Queue[_Job | None] = asyncio.Queue()
        for job in jobs:
            queue.put_nowait(job)
        consumers = min(self.connections, len(jobs))
        for _ in range(consumers):
            queue.put_nowait(None)
        await asyncio.gather(*(self._consume(queue, total) for _ in range(consumers)))
        return total

    async def run_until_idle(
        self, now: datetime | None = None, max_batches: int = 10_000
    ) -> BatchResult:
        """Run batches until nothing is due (tests, ``--once``)."""
        total = BatchResult()
        for _ in range(max_batches):
            result = await self.run_once(now)
            total.add(result)
            if result.claimed == 0:
                break
        return total

    async def sweep(self, now: datetime | None = None) -> int:
        """Put messages with expired leases back to scheduled."""
        return await self._in_db(sweep_expired_leases, self.engine, now=now or self.clock())

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
        queue: asyncio.Queue[_Job | None] = asyncio.Queue(maxsize=self.batch_size)
        consumers = [
            asyncio.create_task(self._consume(queue, total)) for _ in range(self.connections)
        ]
        sweep_every = max(1.0, self.lease_seconds / 4)
        last_sweep = -sweep_every
        logger.info("scheduler worker started", extra={"worker": self.worker_id})
        try:
            while not stop.is_set():
                try:
                    if time.monotonic() - last_sweep >= sweep_every:
                        await self.sweep()
                        last_sweep = time.monotonic()
                    jobs, claimed = await self.claim_batch()
                except Exception:
                    logger.exception("claim failed", extra={"worker": self.worker_id})
                    jobs, claimed = [], BatchResult()
                total.add(claimed)
                for job in jobs:
                    await queue.put(job)
                if claimed.claimed >= self.batch_size:
                    continue  # more is probably due: claim again as soon as the queue has room
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        stop.wait(), timeout=self.settings.scheduler_poll_seconds
                    )
        finally:
            # Release what was claimed but not started, then let consumers finish.
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
                    total.released += await self._in_db(self._release, job.message)
            logger.info("scheduler worker stopped", extra={"worker": self.worker_id})
        return total

    async def aclose(self) -> None:
        """Close the transport and the database threads."""
        await self.transport.aclose()
        self._db.shutdown(wait=True)
