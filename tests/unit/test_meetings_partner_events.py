"""A partner user who is a sales contact at several events switches between them (R-BM-6).

The chosen event lives in the user's session state and is checked again on every
handler: an event the user does not work in is refused, and a choice that stops being
valid falls back to the newest event the user does work in.
"""

from datetime import date

import pytest
from sqlmodel import delete

from rxapp.models import User
from rxapp.models.meetings import Meeting, PartnerContact
from rxapp.services.meetings import events, partners, requests
from rxapp.states.meetings.partner import PartnerListState, PartnerMeetingsState
from tests.conftest import START
from tests.meeting_factories import make_world
from tests.states import make_state, signed_in_token


@pytest.fixture
def world(app_db, session, frozen_clock):
    w = make_world(session, now=START)
    mine = requests.propose_meeting(session, w.attendees["vip"], space_id=w.spaces["P0"].id,
                                    slot_id=w.slots[2].id, now=START)
    # An earlier event where P0's contact also works, for another partner company.
    older = events.create_event(session, organization_id=w.org_id, name="Winter fair",
                                venue="Hall 2", timezone="Europe/Paris",
                                first_day=date(2026, 1, 20), last_day=date(2026, 1, 21),
                                now=START)
    events.set_module_enabled(session, organization_id=w.org_id, event_id=older.id,
                              enabled=True)
    winter = partners.create_partner(session, organization_id=w.org_id, event_id=older.id,
                                     name="Nordlicht Winter", type="Gold", now=START)
    partners.add_contact(session, organization_id=w.org_id, partner_id=winter.id,
                         user_id=w.users["P0"])
    # An event the contact does not work in.
    stranger = events.create_event(session, organization_id=w.org_id, name="Closed",
                                   venue="X", timezone="UTC", first_day=date(2026, 2, 1),
                                   last_day=date(2026, 2, 1), now=START)
    events.set_module_enabled(session, organization_id=w.org_id, event_id=stranger.id,
                              enabled=True)
    session.commit()
    w.older_id, w.winter_id, w.stranger_id, w.mine_id = older.id, winter.id, stranger.id, mine.id
    return w


def _as(session, w, cls):
    user = session.get(User, w.users["P0"])
    return make_state(cls, token=signed_in_token(session, user.id, START), path="/partner")


def test_switcher_lists_the_users_events_and_switches(session, world):
    w = world
    state = _as(session, w, PartnerListState)
    state.load()
    assert state.partner_event_id == w.event.id and state.event_name == "Expo"
    assert [e["id"] for e in state.partner_events] == [str(w.event.id), str(w.older_id)]
    assert state.switch_event(str(w.older_id)) is not None
    state.load()
    assert state.partner_event_id == w.older_id
    assert (state.event_name, state.partner_name) == ("Winter fair", "Nordlicht Winter")


@pytest.mark.parametrize("junk", [None, True, "x", -1, 10**20, {"id": 1}, [1]])
def test_switch_refuses_junk_and_other_events(session, world, junk):
    w = world
    state = _as(session, w, PartnerListState)
    state.load()
    for value in (junk, str(w.stranger_id), w.stranger_id):
        assert state.switch_event(value) is not None
        assert state.partner_event_id == w.event.id


def test_handlers_act_in_the_chosen_event_only(session, world):
    w = world
    state = _as(session, w, PartnerMeetingsState)
    state.load()
    state.switch_event(str(w.older_id))
    # In the winter event, the contact is Nordlicht Winter: Expo's meeting is not theirs.
    state.confirm(str(w.mine_id))
    session.expire_all()
    assert session.get(Meeting, w.mine_id).status == "requested"
    state.switch_event(str(w.event.id))
    state.confirm(str(w.mine_id))
    session.expire_all()
    assert session.get(Meeting, w.mine_id).status == "confirmed"


def test_a_choice_that_lapses_falls_back_to_the_newest(session, world):
    w = world
    state = _as(session, w, PartnerListState)
    state.load()
    state.switch_event(str(w.older_id))
    session.exec(delete(PartnerContact).where(PartnerContact.partner_id == w.winter_id))
    session.commit()
    state.load()
    assert state.partner_event_id == w.event.id and state.event_name == "Expo"
    assert len(state.partner_events) == 1
