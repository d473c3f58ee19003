"""Meetings pages show local times in the reader's language, never ISO stamps or "UTC".

The pattern of tests/unit/test_local_times_on_pages.py (issue 9) over the meetings
states: the organizer's events, event and slots pages, the partner's list (request
dialog), meetings (move dialog), calendar (meeting detail with its status log) and the
participant's agenda, rendered as the browser gets them and every text scanned. Event
in Paris; the clock and the database are in UTC.
"""

import re

import pytest

from rxapp.models import Organization, User
from rxapp.services.meetings import requests
from rxapp.services.meetings.attendees import agenda_token
from rxapp.states.meetings.agenda import AgendaState
from rxapp.states.meetings.events import EventsState, EventState
from rxapp.states.meetings.partner import (
    PartnerCalendarState,
    PartnerListState,
    PartnerMeetingsState,
)
from rxapp.states.meetings.slots import SlotsState
from tests.conftest import START
from tests.factories import make_user
from tests.meeting_factories import make_world
from tests.states import make_state, signed_in_token

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d{2}:\d{2}:\d{2}")


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _texts(v)


def _check(language, *values):
    found = [t for v in values for t in _texts(v)]
    assert found, "nothing rendered"
    for text in found:
        assert "UTC" not in text, text
        assert not ISO_STAMP.search(text), text
        if language != "sv":  # Swedish writes dates as 2026-03-10 itself
            assert not ISO_DATE.search(text), text


@pytest.fixture
def world(app_db, session, frozen_clock):
    w = make_world(session, now=START)
    asked = requests.request_meeting(session, w.scope(session, "P0"),
                                     attendee_id=w.attendees["vip"].id,
                                     space_id=w.spaces["P0"].id, slot_id=w.slots[1].id,
                                     message="Hello", now=START)
    booked = requests.propose_meeting(session, w.attendees["vip"], space_id=w.spaces["P0"].id,
                                      slot_id=w.slots[3].id, now=START)
    requests.partner_confirm(session, w.scope(session, "P0"), meeting_id=booked.id, now=START)
    organizer = make_user(session, session.get(Organization, w.org_id), role="organizer")
    session.commit()
    w.asked_id, w.booked_id = asked.id, booked.id
    w.organizer_token = signed_in_token(session, organizer.id, START)
    w.partner_token = signed_in_token(session, session.get(User, w.users["P0"]).id, START)
    return w


@pytest.mark.parametrize("language", ["de", "fr", "sv", "en"])
def test_meetings_pages_show_local_times(world, language):
    w = world
    events_page = make_state(EventsState, token=w.organizer_token, path="/events")
    events_page.lang = language
    events_page.load()
    event_page = make_state(EventState, token=w.organizer_token, path=f"/events/{w.event.id}")
    event_page.lang = language
    event_page.load()
    slots_page = make_state(SlotsState, token=w.organizer_token,
                            path=f"/events/{w.event.id}/slots")
    slots_page.lang = language
    slots_page.load()
    assert events_page.rows and event_page.days and slots_page.days
    _check(language, events_page.rows, event_page.days, event_page.ledgers, slots_page.days)
    # The first slot is 09:00 in Paris (08:00 UTC): local time shown, not the stored one.
    assert slots_page.days[0]["slots"][0]["label"].startswith("09:00")

    listing = make_state(PartnerListState, token=w.partner_token, path="/partner")
    listing.lang = language
    listing.load()
    listing.open_request(listing.rows[0]["id"])
    assert listing.req_slots
    _check(language, listing.rows, listing.req_slots, listing.event_name)

    meetings = make_state(PartnerMeetingsState, token=w.partner_token, path="/partner/meetings")
    meetings.lang = language
    meetings.load()
    meetings.ask_reason("reschedule", str(w.booked_id))
    assert meetings.groups and meetings.reason_slots
    _check(language, meetings.groups, meetings.reason_slots)
    whens = [r["when"] for g in meetings.groups for r in g["rows"]]
    assert any("09:30" in t for t in whens) and any("10:30" in t for t in whens)

    calendar = make_state(PartnerCalendarState, token=w.partner_token, path="/partner/calendar")
    calendar.lang = language
    calendar.load()
    calendar.open_meeting(str(w.booked_id))
    assert calendar.slot_rows and calendar.detail and calendar.detail_log
    _check(language, calendar.slot_rows, calendar.detail, calendar.detail_log)

    agenda = make_state(AgendaState, path=f"/agenda/{agenda_token(w.attendees['vip'])}")
    agenda.load()  # in the link's own language first, then the reader switches
    agenda.lang = language
    agenda._read()
    assert agenda.pending and agenda.agenda and agenda.offers
    _check(language, agenda.pending, agenda.agenda, agenda.offers)
