"""Meetings handlers given what a hand-written socket client can send (issue 13 fuzz).

The organizer's own handlers, on the organizer's own event, answer junk arguments with a
message and change nothing; the attendee CSV upload authorizes from the upload request
and handles files sent as anything.
"""

import pytest
from sqlmodel import func, select

from rxapp.api.upload import upload_in_flight
from rxapp.models import Organization
from rxapp.models.meetings import Attendee, Event, Partner, Slot
from rxapp.states.meetings.attendees import AttendeesState
from rxapp.states.meetings.email import EmailTemplateState
from rxapp.states.meetings.events import EventsState, EventState
from rxapp.states.meetings.partners import PartnersState
from rxapp.states.meetings.rules import RulesState
from rxapp.states.meetings.slots import SlotsState
from tests.conftest import START
from tests.factories import make_user
from tests.meeting_factories import make_world
from tests.states import csv_file, make_state, signed_in_token

JUNK = [None, True, -1, 10**20, "x\x00y", ["name", "x"], "A" * 50_000]
HEADER = b"first_name,last_name,email\n"


@pytest.fixture
def world(app_db, session, frozen_clock):
    w = make_world(session, now=START)
    organizer = make_user(session, session.get(Organization, w.org_id), role="organizer")
    session.commit()
    w.token = signed_in_token(session, organizer.id, START)
    return w


def _state(w, cls, suffix=""):
    state = make_state(cls, token=w.token, path=f"/events/{w.event.id}{suffix}")
    state.event_id = w.event.id
    return state


def _counts(session, event_id):
    session.expire_all()
    return tuple(
        session.exec(select(func.count()).select_from(model)
                     .where(model.event_id == event_id)).one()
        for model in (Attendee, Slot, Partner)
    ) + (session.exec(select(func.count()).select_from(Event)).one(),)


def test_organizer_handlers_answer_junk_forms_and_ids_with_a_message(session, world):
    w = world
    before = _counts(session, w.event.id)
    attendees = _state(w, AttendeesState, "/attendees")
    slots = _state(w, SlotsState, "/slots")
    partners = _state(w, PartnersState, "/partners")
    rules = _state(w, RulesState, "/rules")
    cfg = _state(w, EventState)
    created = _state(w, EventsState)
    for junk in JUNK:
        attendees.add(junk)
        assert attendees.errors  # the form's first field says what is missing
        slots.add_one(junk)
        assert slots.errors
        slots.start_bulk(junk)
        assert slots.bulk_errors
        assert slots.delete_slot(junk) is not None  # a toast, not an exception
        partners.add_partner(junk)
        assert partners.errors
        partners.add_product(junk)
        assert partners.product_errors
        assert partners.add_space(junk) is not None
        # An empty form is a valid rule (no conditions: every partner, everyone), so
        # only "no exception" is checked here.
        rules.add_rule(junk)
        cfg.save(junk)
        cfg.toggle_option(junk, junk)
        created.create(junk)
        assert created.errors
    assert _counts(session, w.event.id) == before


def test_handlers_on_no_event_refuse_with_a_toast(session, world):
    # event_id is a var the client can overwrite: a missing event is refused, not raised.
    w = world
    for cls, calls in (
        (SlotsState, ("delete_unused", "delete_slot")),
        (PartnersState, ("bulk_spaces",)),
        (EmailTemplateState, ("reset_default",)),
        (EventState, ("set_partners_manage",)),
    ):
        state = _state(w, cls)
        state.event_id = 0
        for name in calls:
            args = {"delete_slot": (w.slots[0].id,), "set_partners_manage": (True,)}
            assert getattr(state, name)(*args.get(name, ())) is not None
    session.expire_all()
    assert session.get(Slot, w.slots[0].id) is not None


def test_form_handlers_put_refusals_under_their_field_and_clear_them_on_success(session, world):
    # The shared write step (MeetingsState._write): a refusal goes under its own field
    # (or the form's default), the rules form shows every refusal in one place, and a
    # success empties the form's errors, reads the page again and says so.
    w = world
    partners = _state(w, PartnersState, "/partners")
    assert partners.add_partner({"name": "", "type": "Gold"}) is None
    assert partners.errors == {"name": "meetings.name_required"}
    toast = partners.add_partner({"name": "Newco", "type": "Gold"})
    assert toast is not None and partners.errors == {}
    assert "Newco" in {r["name"] for r in partners.rows}
    rules = _state(w, RulesState, "/rules")
    rules.add_rule({"name": "R", "p_field": "type", "p_op": "in", "p_values": ""})
    assert rules.errors == {"rule": "meetings.condition_needs_values"}  # not "conditions"
    rules.add_rule({"name": "R", "p_field": "type", "p_op": "in", "p_values": "Gold"})
    assert rules.errors == {} and "R" in {r["name"] for r in rules.rows}


async def _upload(state, files, token):
    from rxapp import routes

    with upload_in_flight(state.router.session.client_token, f"{routes.SESSION_COOKIE}={token}"):
        result = await state.receive_csv(files)
    if result is AttendeesState.run_import:
        await AttendeesState.event_handlers["run_import"].fn(state)
    return result


@pytest.mark.parametrize(
    ("files", "result"),
    [("files", "import.no_file"), ({"name": "a.csv"}, "import.no_file"),
     ([], "import.no_file"), (None, "import.no_file"), ([csv_file(b"")], "import.empty"),
     ([csv_file(b"  \n")], "import.empty")],
    ids=["string", "dict", "none-list", "none", "empty", "blank"],
)
async def test_attendee_upload_edge_cases_get_a_message(session, world, files, result):
    w = world
    state = _state(w, AttendeesState, "/attendees")
    before = _counts(session, w.event.id)
    await _upload(state, files, w.token)
    assert state.import_result == result
    assert _counts(session, w.event.id) == before
    # A good file still imports afterwards.
    await _upload(state, [csv_file(HEADER + b"Ann,Lee,ann.lee@example.com\n")], w.token)
    assert state.import_result == "import.ok", state.import_errors
    assert _counts(session, w.event.id)[0] == before[0] + 1


async def test_attendee_upload_refuses_a_socket_call(session, world):
    # Called over the websocket (no upload request in flight), the handler refuses.
    w = world
    state = _state(w, AttendeesState, "/attendees")
    before = _counts(session, w.event.id)
    await state.receive_csv([csv_file(HEADER + b"Ann,Lee,ann.lee@example.com\n")])
    assert state._upload_id == ""
    assert _counts(session, w.event.id) == before
