""""Remind now" asks first, then cools down: quick clicks send one email (issue 14, point 5)."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from rxapp.models.outbox import OutboxMessage
from rxapp.models.participants import Interaction
from rxapp.services.common.errors import DomainError
from rxapp.services.common.outbox import DuplicateMessage, schedule_message
from rxapp.services.interactions import REMIND_COOLDOWN, remind_now
from rxapp.services.interactions import participants as participant_service
from rxapp.states.interactions import InviteState, ParticipantState
from tests.conftest import START
from tests.factories import make_org, make_user
from tests.states import make_state, signed_in_token


def _setup(session):
    org = make_org(session)
    organizer = make_user(session, org, role="organizer")
    person = participant_service.add_participant(
        session, organization_id=org.id, first_name="Ann", last_name="Lee",
        email="ann@example.com", language="en", now=START,
    )
    session.commit()
    token = signed_in_token(session, organizer.id, START)
    invite = make_state(InviteState, token=token, path=f"/participants/{person.id}/new")
    invite.load()
    invite.create()
    (interaction,) = session.exec(
        select(Interaction).where(Interaction.participant_id == person.id)
    ).all()
    return org, token, person, interaction.id


def _manual(session, interaction_id):
    session.expire_all()
    return session.exec(
        select(OutboxMessage).where(
            OutboxMessage.entity_id == interaction_id,
            OutboxMessage.idempotency_key.like(f"interaction:{interaction_id}:manual:%"),
        )
    ).all()


def test_three_quick_remind_now_clicks_give_one_email(app_db, session, frozen_clock):
    _org, token, person, iid = _setup(session)
    panel = make_state(ParticipantState, token=token, path=f"/participants/{person.id}")
    panel.load()

    panel.ask_remind(str(iid))
    assert panel.confirm_remind_id == iid  # nothing is sent before the confirmation
    assert _manual(session, iid) == []
    # The confirm button clicked three times; then the whole thing again, twice.
    for _ in range(3):
        panel.remind()
    for _ in range(2):
        panel.ask_remind(str(iid))
        result = panel.remind()
        assert result is not None  # a toast saying a reminder just went out
    assert len(_manual(session, iid)) == 1
    (item,) = panel.items
    assert item["last_reminder"] == "2026-03-02 09:00 UTC"

    frozen_clock.advance(REMIND_COOLDOWN + timedelta(seconds=1))
    panel.ask_remind(str(iid))
    panel.remind()
    assert len(_manual(session, iid)) == 2


def test_two_tabs_reminding_at_once_make_one_email_and_no_server_error(
    app_db, session, frozen_clock
):
    org, _token, _person, iid = _setup(session)
    engine = session.get_bind()
    # Both tabs read "no manual reminder yet" before either commits: the same intent,
    # the same key, and the second one is a domain error, not a crash.
    with Session(engine) as first, Session(engine) as second:
        remind_now(first, organization_id=org.id, interaction_id=iid, now=START)
        first.commit()
        with pytest.raises(DomainError) as refused:
            schedule_message(
                second, organization_id=org.id, recipient="ann@example.com", kind="reminder",
                language="en", context={}, due_at=START,
                idempotency_key=f"interaction:{iid}:manual:after:0", now=START,
            )
    assert isinstance(refused.value, DuplicateMessage)
    assert refused.value.code == "outbox.already_scheduled"
    assert len(_manual(session, iid)) == 1
