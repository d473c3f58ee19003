"""The agenda's calendar files: one meeting's .ics and the feed, by agenda token only (R-BM-7)."""

import warnings

import icalendar
import pytest
from starlette.applications import Starlette

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from rxapp import routes
from rxapp.api.meetings import meetings_routes
from rxapp.services.meetings import requests
from rxapp.services.meetings.attendees import agenda_token
from tests.conftest import START
from tests.meeting_factories import make_world


@pytest.fixture
def client(app_db):
    return TestClient(Starlette(routes=meetings_routes()))


def test_r_bm_7_ics_and_feed_only_for_the_tokens_attendee(client, session, frozen_clock):
    w = make_world(session, now=START)
    mine = requests.request_meeting(session, w.scope(session, "P0"),
                                    attendee_id=w.attendees["vip"].id,
                                    space_id=w.spaces["P0"].id, slot_id=w.slots[0].id, now=START)
    requests.attendee_confirm(session, w.attendees["vip"], meeting_id=mine.id, now=START)
    theirs = requests.request_meeting(session, w.scope(session, "P1"),
                                      attendee_id=w.attendees["reg"].id,
                                      space_id=w.spaces["P1"].id, slot_id=w.slots[1].id,
                                      now=START)
    requests.attendee_confirm(session, w.attendees["reg"], meeting_id=theirs.id, now=START)
    session.commit()
    token = agenda_token(w.attendees["vip"])
    resp = client.get(routes.agenda_ics_path(token, mine.id))
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(resp.content)
    assert str(cal["method"]) == "REQUEST"
    assert next(iter(cal.walk("VEVENT"))).decoded("dtstart").hour == 9
    # Another attendee's meeting, a bad token, a non-numeric id: all 404 alike.
    assert client.get(routes.agenda_ics_path(token, theirs.id)).status_code == 404
    assert client.get(routes.agenda_ics_path("x" * 43, mine.id)).status_code == 404
    assert client.get(f"/api/agenda/{token}/meetings/abc.ics").status_code == 404
    feed = client.get(f"/api/agenda/{token}/feed.ics")
    assert feed.status_code == 200
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"meeting-{mine.id}@beckon"]
