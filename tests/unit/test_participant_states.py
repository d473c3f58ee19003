"""Participant handlers refuse crafted calls (R-INT-3, R-INT-4, R-ACC-3)."""

from sqlmodel import select

from rxapp.models.participants import Interaction, Score
from rxapp.services.interactions import participants as participant_service
from rxapp.states.interactions import InviteState, ParticipantsState, ParticipantState
from rxapp.states.interactions.take import TakeState
from tests.conftest import START
from tests.factories import make_org, make_user
from tests.states import make_state, signed_in_token


def _person(session, org, email="p@example.com"):
    p = participant_service.add_participant(
        session, organization_id=org.id, first_name="Pia", last_name="Test", email=email,
        language="en", now=START,
    )
    session.commit()
    return p


def _link(session) -> str:
    """The link token of a fresh interaction (no invitation sent)."""
    from rxapp.services import interactions

    org = make_org(session)
    created = interactions.create_interaction(
        session, organization_id=org.id, participant_id=_person(session, org).id, now=START,
        auto_invite=False,
    )
    session.commit()
    return created.link.rsplit("/", 1)[-1]


def _interactions(session, participant_id):
    session.expire_all()
    return session.exec(
        select(Interaction).where(Interaction.participant_id == participant_id)
    ).all()


def _invite(session, user, participant):
    state = make_state(InviteState, token=signed_in_token(session, user.id, START),
                       path=f"/participants/{participant.id}/new")
    state.load()
    return state


def test_r_int_4_crafted_second_creation_is_refused_with_reason(app_db, session, frozen_clock):
    org = make_org(session)
    organizer = make_user(session, org, role="organizer")
    person = _person(session, org)
    state = _invite(session, organizer, person)
    state.create()
    assert len(_interactions(session, person.id)) == 1
    # The button is disabled now; a crafted call gets the same reason and creates nothing.
    again = _invite(session, organizer, person)
    assert again.error == "interaction.unfinished_exists"
    again.error = ""
    again.create()
    assert again.error == "interaction.unfinished_exists"
    assert len(_interactions(session, person.id)) == 1


def test_r_int_3_maximum_per_participant_holds_against_crafted_calls(app_db, session,
                                                                     frozen_clock):
    org = make_org(session, max_interactions_per_participant=0)
    organizer = make_user(session, org, role="organizer")
    person = _person(session, org)
    state = _invite(session, organizer, person)
    state.create()
    assert state.error == "interaction.max_reached"
    assert _interactions(session, person.id) == []


def test_r_acc_3_other_org_participant_and_interactions_untouchable(app_db, session,
                                                                    frozen_clock):
    alpha, beta = make_org(session), make_org(session)
    person = _person(session, alpha)
    alpha_org = make_user(session, alpha, role="organizer")
    beta_admin = make_user(session, beta)
    _invite(session, alpha_org, person).create()
    iid = _interactions(session, person.id)[0].id

    crafted = _invite(session, beta_admin, person)
    assert crafted.found is False
    crafted.participant_id = person.id  # as if the client had forged it
    crafted.create()
    assert len(_interactions(session, person.id)) == 1

    panel = make_state(ParticipantState, token=signed_in_token(session, beta_admin.id, START),
                       path=f"/participants/{person.id}")
    panel.load()
    assert panel.found is False and panel.email == ""
    panel.confirm_delete_id = iid
    panel.delete()
    panel.confirm_remind_id = iid
    panel.remind()
    assert panel.copy_link(str(iid)) is not None
    panel.show_log(str(iid))
    assert panel.log == []
    interaction = _interactions(session, person.id)[0]
    assert interaction.state == "invited"

    overview = make_state(ParticipantsState, token=signed_in_token(session, beta_admin.id, START))
    overview.load()
    assert overview.rows == []


def test_r_acc_5_partner_and_missing_module_are_refused(app_db, session, frozen_clock):
    org = make_org(session)
    _person(session, org)
    partner = make_user(session, org, role="partner")
    state = make_state(ParticipantsState, token=signed_in_token(session, partner.id, START))
    state.load()
    assert state.rows == []
    no_module = make_org(session, modules=["reviews"])
    _person(session, no_module, email="q@example.com")
    admin = make_user(session, no_module)
    state = make_state(ParticipantsState, token=signed_in_token(session, admin.id, START))
    state.load()
    assert state.rows == [] and state.total == 0


async def test_r_int_8_unknown_link_gets_the_invalid_page(app_db, session, frozen_clock):
    state = make_state(TakeState, path="/i/not-a-real-token")
    await state.load()
    assert state.status == "invalid"
    await state.answer(3)
    assert state.answers == {}


async def test_r_int_8_answers_are_saved_and_resume(app_db, session, frozen_clock):
    token = _link(session)
    state = make_state(TakeState, path=f"/i/{token}")
    await state.load()
    assert state.status == "welcome"
    state.start()
    for _ in range(5):
        await state.answer(4)
    await state.answer(True)  # not an int answer: ignored
    await state.answer(9)
    reopened = make_state(TakeState, path=f"/i/{token}")
    await reopened.load()
    assert reopened.status == "question" and reopened.index == 5 and reopened.answered == 5


async def test_r_int_9_finish_through_the_page_then_the_link_is_done(app_db, session,
                                                                       frozen_clock):
    token = _link(session)
    state = make_state(TakeState, path=f"/i/{token}")
    await state.load()
    state.start()
    await state.finish()  # nothing answered yet: refused, the page stays on its question
    assert state.status == "question"
    for _ in range(state.total):
        await state.answer(5)
    assert state.status == "review" and state.answered == state.total
    await state.finish()
    assert state.status == "done"
    late = make_state(TakeState, path=f"/i/{token}")
    await late.load()
    assert late.status == "done"
    # A tab still open on the last question: its answer is refused, the page says done.
    state.status, state.index = "question", 0
    await state.answer(1)
    assert state.status == "done"
    session.expire_all()
    assert {s.value for s in session.exec(select(Score)).all()} == {5.0}
