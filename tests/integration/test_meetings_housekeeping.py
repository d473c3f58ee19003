"""Pending requests lapse on time from the scheduler's housekeeping tick (R-PLUS-5)."""

import asyncio
from datetime import timedelta

from sqlmodel import Session, select

from rxapp.models.meetings import Meeting, MeetingStatus
from rxapp.models.outbox import OutboxMessage, StatusEvent
from rxapp.scheduler import __main__ as scheduler_main
from rxapp.scheduler.housekeeping import housekeeping_tick, run_housekeeping
from rxapp.services.meetings import requests
from rxapp.services.meetings.mail import KIND_NOTICE
from tests.conftest import START
from tests.meeting_factories import make_world


def _pending(session, *, hold_minutes=60):
    w = make_world(session, now=START)
    w.event.hold_minutes = hold_minutes
    session.add(w.event)
    meeting = requests.request_meeting(
        session, w.scope(session, "P1"), attendee_id=w.attendees["reg"].id,
        space_id=w.spaces["P1"].id, slot_id=w.slots[0].id, message="Hi", now=START)
    session.commit()
    return meeting.id


def _status(engine, meeting_id):
    with Session(engine) as s:
        return s.get(Meeting, meeting_id).status


def test_tick_lapses_only_after_the_hold_time(session, engine, frozen_clock):
    meeting_id = _pending(session)
    frozen_clock.advance(timedelta(minutes=59))
    assert housekeeping_tick(engine, now=frozen_clock()).lapsed == 0
    assert _status(engine, meeting_id) == MeetingStatus.REQUESTED.value
    frozen_clock.advance(timedelta(minutes=2))
    assert housekeeping_tick(engine, now=frozen_clock()).lapsed == 1
    assert _status(engine, meeting_id) == MeetingStatus.LAPSED.value
    notices = _lapse_notices(engine)
    assert notices >= 1
    # A second tick finds nothing: no second notice, one log line.
    assert housekeeping_tick(engine, now=frozen_clock()).lapsed == 0
    assert _lapse_notices(engine) == notices
    with Session(engine) as s:
        logged = s.exec(select(StatusEvent).where(StatusEvent.entity_id == meeting_id,
                                                  StatusEvent.event == "expired")).all()
        assert len(logged) == 1


def _lapse_notices(engine):
    with Session(engine) as s:
        rows = s.exec(select(OutboxMessage).where(OutboxMessage.kind == KIND_NOTICE)).all()
        return len([m for m in rows if m.context.get("notice") == "lapsed"])


async def test_loop_ticks_with_the_scheduler_clock_and_stops(session, engine, frozen_clock):
    meeting_id = _pending(session)
    frozen_clock.advance(timedelta(hours=2))
    stop = asyncio.Event()
    loop = asyncio.create_task(run_housekeeping(engine, stop, clock=frozen_clock,
                                                interval=0.05))
    for _ in range(100):
        if _status(engine, meeting_id) == MeetingStatus.LAPSED.value:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(loop, timeout=5)
    assert _status(engine, meeting_id) == MeetingStatus.LAPSED.value


async def test_scheduler_once_runs_housekeeping(session, engine, frozen_clock, app_db):
    meeting_id = _pending(session)
    assert await scheduler_main._main(True) == 0
    assert _status(engine, meeting_id) == MeetingStatus.REQUESTED.value
    frozen_clock.advance(timedelta(minutes=61))
    assert await scheduler_main._main(True) == 0
    assert _status(engine, meeting_id) == MeetingStatus.LAPSED.value
