"""Meetings handlers called directly, as a crafted websocket message would call them (§3).

A partner user cannot read or change another partner's meetings, spaces, availability or
ledger by any id it sends; an agenda link acts only on its own attendee's meetings;
organizer-only handlers refuse partner users.
"""

import pytest
from sqlmodel import select

from rxapp.models import Organization, User
from rxapp.models.meetings import Availability, Meeting, MeetingSpace, Partner, Slot
from rxapp.services.meetings import requests
from rxapp.services.meetings.attendees import agenda_token
from rxapp.states.meetings.agenda import AgendaState
from rxapp.states.meetings.events import EventsState, EventState
from rxapp.states.meetings.partner import (
    PartnerCalendarState,
    PartnerListState,
    PartnerMeetingsState,
)
from rxapp.states.meetings.partners import PartnersState
from rxapp.states.meetings.rules import RulesState
from rxapp.states.meetings.slots import SlotsState
from tests.conftest import START
from tests.meeting_factories import make_world
from tests.states import make_state, signed_in_token


@pytest.fixture
def world(app_db, session, frozen_clock):
    w = make_world(session, now=START)
    # P1 (Silver) requests "reg"; "vip" proposes to P0 (Gold).
    theirs = requests.request_meeting(session, w.scope(session, "P1"),
                                      attendee_id=w.attendees["reg"].id,
                                      space_id=w.spaces["P1"].id, slot_id=w.slots[1].id,
                                      now=START)
    mine = requests.propose_meeting(session, w.attendees["vip"], space_id=w.spaces["P0"].id,
                                    slot_id=w.slots[2].id, now=START)
    session.commit()
    w.theirs_id, w.mine_id = theirs.id, mine.id
    return w


def _as(session, w, cls, name="P0", path="/partner"):
    user = session.get(User, w.users[name])
    return make_state(cls, token=signed_in_token(session, user.id, START), path=path)


def _status(session, meeting_id):
    session.expire_all()
    return session.get(Meeting, meeting_id).status


def test_partner_cannot_act_on_another_partners_meeting(session, world):
    w = world
    state = _as(session, w, PartnerMeetingsState)
    state.load()
    listed = {r["id"] for g in state.groups for r in g["rows"]}
    assert str(w.mine_id) in listed and str(w.theirs_id) not in listed
    for meeting_id in (w.theirs_id, str(w.theirs_id), {"id": w.theirs_id}, None):
        state.confirm(meeting_id)
        state.ask_reason("cancel", meeting_id)
        state.submit_reason({"reason": "nope"})
    assert state.reason_error == "error.not_allowed"
    assert _status(session, w.theirs_id) == "requested"
    cal = _as(session, w, PartnerCalendarState, path="/partner/calendar")
    cal.open_meeting(str(w.theirs_id))
    assert cal.detail_open is False


def test_partner_cannot_change_another_partners_spaces_or_availability(session, world):
    w = world
    cal = _as(session, w, PartnerCalendarState, path="/partner/calendar")
    cal.load()
    assert {c["id"] for c in cal.space_cols} == {str(w.spaces["P0"].id)}
    before = len(session.exec(select(Availability)).all())
    cal.toggle(str(w.spaces["P1"].id), str(w.slots[5].id), "open")
    cal.toggle(str(w.spaces["P1"].id), str(w.slots[5].id), "closed")
    cal.assign_contact(str(w.spaces["P1"].id), str(w.users["P0"]))
    session.expire_all()
    assert len(session.exec(select(Availability)).all()) == before
    assert session.get(MeetingSpace, w.spaces["P1"].id).contact_user_id == w.users["P1"]


def test_partner_request_into_another_partners_space_refused(session, world):
    w = world
    state = _as(session, w, PartnerListState)
    state.load()
    assert state.quota_left == "4"  # its own ledger: quota 5, one pending
    state.open_request(state.rows[0]["id"])
    state.req_space = str(w.spaces["P1"].id)  # a crafted value
    state.req_slot = str(w.slots[7].id)
    state.send_request({"message": "hi"})
    assert state.req_error == "error.not_allowed"
    count = len(session.exec(select(Meeting).where(Meeting.space_id == w.spaces["P1"].id)).all())
    assert count == 1


def test_partner_sees_only_its_rule(session, world):
    w = world
    gold = _as(session, w, PartnerListState, "P0")
    gold.load()
    silver = _as(session, w, PartnerListState, "P1")
    silver.load()
    assert gold.total == 1 and silver.total == 2


def test_organizer_only_handlers_refuse_partners(session, world):
    w = world
    path = f"/events/{w.event.id}"
    events_state = _as(session, w, EventsState, path="/events")
    events_state.create({"name": "Hack", "first_day": "2026-05-01", "last_day": "2026-05-01",
                         "timezone": "UTC"})
    cfg = _as(session, w, EventState, path=path)
    cfg.load()
    assert cfg.found is False and cfg.ledgers == []
    cfg.event_id = w.event.id
    cfg.set_module(False)
    cfg.save({"global_quota": "999"})
    slots_state = _as(session, w, SlotsState, path=path + "/slots")
    slots_state.event_id = w.event.id
    slots_state.add_one({"day": "2026-03-10", "start": "07:00", "minutes": "30"})
    slots_state.delete_unused()
    partners_state = _as(session, w, PartnersState, path=path + "/partners")
    partners_state.event_id = w.event.id
    partners_state.add_partner({"name": "Intruder", "type": "Gold"})
    partners_state.set_quota(str(w.partners["P0"].id), "999")
    rules_state = _as(session, w, RulesState, path=path + "/rules")
    rules_state.event_id = w.event.id
    rules_state.delete_rule("1")
    session.expire_all()
    event = session.get(type(w.event), w.event.id)
    assert event.module_enabled and event.global_quota == 5
    assert len(session.exec(select(Slot).where(Slot.event_id == event.id)).all()) == 16
    assert session.exec(select(Partner).where(Partner.name == "Intruder")).first() is None
    assert session.get(Partner, w.partners["P0"].id).quota is None
    assert session.exec(select(Organization)).all()  # nothing else created
    from rxapp.models.meetings import Event, MatchingRule
    assert len(session.exec(select(Event)).all()) == 1
    assert len(session.exec(select(MatchingRule)).all()) == 2


def test_agenda_link_acts_only_on_its_own_meetings(session, world):
    w = world
    token = agenda_token(w.attendees["vip"])
    state = make_state(AgendaState, path=f"/agenda/{token}")
    state.load()
    assert state.status == "ready"
    assert [r["id"] for r in state.pending] == [str(w.mine_id)]
    state.accept(str(w.theirs_id))
    state.ask_reason("decline", str(w.theirs_id))
    state.submit_reason({"reason": "x"})
    assert _status(session, w.theirs_id) == "requested"
    bad = make_state(AgendaState, path="/agenda/" + "x" * 43)
    bad.load()
    assert bad.status == "invalid"
    # The owner of the other meeting accepts it through their own link.
    other = make_state(AgendaState, path=f"/agenda/{agenda_token(w.attendees['reg'])}")
    other.load()
    other.accept(str(w.theirs_id))
    assert _status(session, w.theirs_id) == "confirmed"


def test_partner_opens_its_own_meeting_with_its_status_log(session, world):
    w = world
    cal = _as(session, w, PartnerCalendarState, path="/partner/calendar")
    cal.load()
    cal.open_meeting(str(w.mine_id))
    assert cal.detail_open and cal.detail["who"] == "Vip Personvip"
    assert [r["event"] for r in cal.detail_log] == ["requested"]


def test_partner_moves_only_its_own_meeting(session, world):
    w = world
    state = _as(session, w, PartnerMeetingsState)
    state.load()
    state.ask_reason("reschedule", str(w.theirs_id))
    assert state.reason_open is False and state.reason_slots == []
    state.ask_reason("reschedule", str(w.mine_id))
    assert state.reason_open and state.reason_slots
    target = state.reason_slots[-1]["id"]
    state.submit_reason({"reason": "Our stand moved", "slot": target})
    assert state.reason_open is False, state.reason_error
    session.expire_all()
    assert str(session.get(Meeting, w.mine_id).slot_id) == target
