"""The worker's group commit of send results (scheduler.recorder), without a database.

The write is a fake ``in_db`` so the test can place a second record exactly where a
real send's completion can land: after the running flush looked at its queue for the
last time and before the event loop ran that flush's done-callbacks.
"""

import asyncio
from datetime import UTC, datetime

import pytest

from rxapp.mail.transport import SendOutcome, SendResult
from rxapp.models.outbox import OutboxMessage
from rxapp.scheduler.claims import BatchResult
from rxapp.scheduler.recorder import Recorder
from rxapp.scheduler.retry import RetryPolicy

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SENT = SendResult(SendOutcome.ACCEPTED, "250 ok")


def _recorder(in_db, max_flushes: int = 1) -> Recorder:
    return Recorder(
        engine=None,  # type: ignore[arg-type] - the fake write never touches it
        in_db=in_db,
        clock=lambda: NOW,
        monotonic=lambda: 0.0,
        retry_policy=RetryPolicy(),
        max_flushes=max_flushes,
    )


def _message(n: int) -> OutboxMessage:
    return OutboxMessage(id=n, organization_id=1, recipient=f"p{n}@example.com", kind="k")


@pytest.mark.parametrize("max_flushes", [1, 2])
async def test_a_record_queued_as_the_last_flush_ends_is_still_committed(max_flushes):
    written: list[int] = []
    late: list[asyncio.Task] = []
    recorder: Recorder

    async def in_db(_fn, _engine, items, _now, _policy):
        written.extend(m.id for m, _o in items)
        if not late:
            # A send finishing now: its record starts in this loop step, before the
            # flush that is writing can see it and before that flush's callbacks run.
            late.append(asyncio.ensure_future(recorder.record(_message(2), SENT)))
        return [BatchResult(sent=1) for _ in items]

    recorder = _recorder(in_db, max_flushes)
    # With max_flushes=2 a second flush is busy elsewhere: the slots are all taken.
    blocker, blocking = asyncio.Event(), asyncio.Event()
    if max_flushes == 2:

        async def slow_in_db(_fn, _engine, items, _now, _policy):
            blocking.set()
            await blocker.wait()
            return [BatchResult(sent=1) for _ in items]

        recorder.in_db = slow_in_db
        busy = asyncio.ensure_future(recorder.record(_message(9), SENT))
        await blocking.wait()
        recorder.in_db = in_db
    first = await asyncio.wait_for(recorder.record(_message(1), SENT), 2)
    assert first.sent == 1
    # Before the fix the second record sat in the queue with no flush to write it.
    second = await asyncio.wait_for(late[0], 2)
    assert second.sent == 1 and written[:2] == [1, 2]
    if max_flushes == 2:
        blocker.set()
        assert (await asyncio.wait_for(busy, 2)).sent == 1


async def test_a_cancelled_flush_fails_its_records_instead_of_leaving_them_waiting():
    started = asyncio.Event()

    async def in_db(_fn, _engine, items, _now, _policy):
        started.set()
        await asyncio.sleep(60)
        return [BatchResult(sent=1) for _ in items]

    recorder = _recorder(in_db)
    record = asyncio.ensure_future(recorder.record(_message(1), SENT))
    await started.wait()
    for flush in list(recorder._flushes):
        flush.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(record, 2)
