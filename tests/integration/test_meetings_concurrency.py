"""R-BM-8 on PostgreSQL: 20 simultaneous confirmations into one slot for one attendee."""

import threading

import pytest
from sqlmodel import Session, select

from rxapp import db
from rxapp.models.meetings import Meeting
from rxapp.services.common.errors import DomainError
from rxapp.services.meetings import requests
from tests.conftest import START
from tests.meeting_factories import make_world

pytestmark = pytest.mark.postgres


def test_r_bm_8_twenty_concurrent_confirmations_one_wins(pg_url):
    engine = db.get_engine(pg_url)
    with Session(engine, expire_on_commit=False) as s:
        w = make_world(s, now=START, n_partners=20, global_quota=None)
        # Every partner's rule must see "vip" (Gold/Platinum and Silver/Bronze both do).
        ids = []
        for name in w.partners:
            m = requests.request_meeting(
                s, w.scope(s, name), attendee_id=w.attendees["vip"].id,
                space_id=w.spaces[name].id, slot_id=w.slots[0].id, now=START)
            ids.append(m.id)
        s.commit()
        attendee_id = w.attendees["vip"].id
    barrier = threading.Barrier(len(ids))
    outcomes: list[str] = []
    lock = threading.Lock()

    def confirm(meeting_id: int) -> None:
        with Session(engine, expire_on_commit=False) as s:
            from rxapp.models.meetings import Attendee
            attendee = s.get(Attendee, attendee_id)
            barrier.wait()
            try:
                requests.attendee_confirm(s, attendee, meeting_id=meeting_id, now=START)
                s.commit()
                result = "confirmed"
            except DomainError as exc:
                s.rollback()
                result = exc.code
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=confirm, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert outcomes.count("confirmed") == 1, outcomes
    assert set(outcomes) - {"confirmed"} <= {"meetings.attendee_busy", "meetings.slot_taken"}
    assert len(outcomes) == 20
    with Session(engine) as s:
        confirmed = s.exec(select(Meeting).where(Meeting.attendee_id == attendee_id,
                                                 Meeting.status == "confirmed")).all()
        assert len(confirmed) == 1
