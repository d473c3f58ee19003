"""Pages show local times in the viewer's language, never ISO timestamps or "UTC" (issue 9).

The states of the participants list, the participant page (items, history, status log),
the team invitations list and the settings' send-window preview are rendered as the
browser would get them, and every text they hold is scanned.
"""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from rxapp.models import OutboxMessage
from rxapp.models.outbox import MessageState
from rxapp.services import team
from rxapp.services.accounts.auth import resolve_session
from rxapp.services.interactions import complete_interaction, create_interaction
from rxapp.services.interactions.participants import add_participant
from rxapp.states.accounts.send_window import SendWindowState
from rxapp.states.interactions import ParticipantImportState, ParticipantsState, ParticipantState
from rxapp.states.team import InvitationsState
from tests.conftest import START
from tests.factories import make_org, make_user
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
        if language != "sv":  # Swedish writes dates as 2026-11-24 itself
            assert not ISO_DATE.search(text), text


@pytest.fixture
def world(app_db, session, frozen_clock):
    org = make_org(session, timezone="Europe/Stockholm", default_language="de")
    admin = make_user(session, org)
    person = add_participant(session, organization_id=org.id, first_name="Jörg",
                             last_name="Schäfer", email="j@example.de", language="de",
                             now=START, time_zone="America/New_York")
    done = add_participant(session, organization_id=org.id, first_name="Åsa",
                           last_name="Öberg", email="a@example.se", language="sv", now=START)
    open_one = create_interaction(session, organization_id=org.id, participant_id=person.id,
                                  now=START, reminders_on=True)
    finished = create_interaction(session, organization_id=org.id, participant_id=done.id,
                                  now=START, reminders_on=True)
    from rxapp.models.participants import Interaction
    from rxapp.services.interactions import record_answer
    from rxapp.services.interactions.questionnaires import questions_of

    qid = session.get(Interaction, finished.interaction_id).questionnaire_id
    for i, q in enumerate(questions_of(session, questionnaire_id=qid)):
        record_answer(session, organization_id=org.id, interaction_id=finished.interaction_id,
                      question_id=q.id, value=(4, 5)[i % 2], now=START)
    complete_interaction(session, organization_id=org.id,
                         interaction_id=finished.interaction_id, now=START + timedelta(days=1))
    invitation = session.exec(select(OutboxMessage).where(
        OutboxMessage.entity_id == open_one.interaction_id,
        OutboxMessage.kind == "interaction_invitation")).one()
    invitation.state = MessageState.FAILED.value
    invitation.last_error = "550 5.1.1 <j@example.de>: Recipient address rejected: User unknown"
    session.add(invitation)
    token = signed_in_token(session, admin.id, START)
    principal = resolve_session(session, token=token, now=START)
    team.invite_many(session, principal=principal, emails=["new@example.com"], role="agent",
                     attributes={}, now=START)
    session.commit()
    return {"token": token, "person": person, "done": done, "interaction": open_one}


@pytest.mark.parametrize("language", ["de", "fr", "sv", "en"])
def test_pages_show_local_times_in_the_language(world, language):
    token = world["token"]
    overview = make_state(ParticipantsState, token=token, path="/participants")
    overview.lang = language
    overview.load()
    assert len(overview.rows) == 2

    page = make_state(ParticipantState, token=token,
                      path=f"/participants/{world['person'].id}")
    page.lang = language
    page.load()
    page.show_log(str(world["interaction"].interaction_id))
    assert page.items and page.log
    kinds = [row["kind"] for row in page.log]
    assert kinds.count("group") == 1 and kinds.count("child") == 7
    failed = [row for row in page.log if row["state"] == "failed"]
    assert failed and "550" not in failed[0]["detail"]  # plain words, not the server's code

    done = make_state(ParticipantState, token=token, path=f"/participants/{world['done'].id}")
    done.lang = language
    done.load()
    assert done.history and done.scores

    invitations = make_state(InvitationsState, token=token, path="/team/invitations")
    invitations.lang = language
    invitations.load()
    assert invitations.rows

    window = make_state(SendWindowState, token=token, path="/settings")
    window.lang = language
    window.load()
    assert len(window.preview) == 3

    _check(language, overview.rows, page.items, page.log, done.history,
           [s["score_text"] for s in done.scores], invitations.rows, window.preview)


def test_german_status_log_reads_like_a_sentence(world):
    page = make_state(ParticipantState, token=world["token"],
                      path=f"/participants/{world['person'].id}")
    page.lang = "de"
    page.load()
    page.show_log(str(world["interaction"].interaction_id))
    titles = [row["title"] for row in page.log]
    assert titles[0] == "Einladung"
    group = next(row for row in page.log if row["kind"] == "group")
    # 2 March 2026 10:00 Stockholm is 04:00 in New York: moved to 08:00 there, which is
    # 13:00 here on 9 March (New York is on summer time since 8 March, Stockholm not yet).
    assert group["title"].startswith(
        "7 wöchentliche Erinnerungen, nächste am 9. März 13:00 · 9. März 08:00 (EDT)")
    assert "letzte am 20. Apr." in group["title"]
    child = next(row for row in page.log if row["kind"] == "child")
    assert child["title"] == "Erinnerung 1 von 7" and child["state_label"] == "Geplant"
    failed = next(row for row in page.log if row["state"] == "failed")
    assert failed["state_label"] == "Nicht zugestellt"
    assert failed["detail"].startswith("Die Adresse gibt es nicht")
    assert page.scores == [] or all("," in s["score_text"] for s in page.scores)


def test_import_state_forgets_a_stuck_job_and_mapping_keeps_fields_unique(world):
    state = make_state(ParticipantImportState, token=world["token"], path="/participants")
    state.importing = True  # as left by a process that died mid-import
    state.load()
    assert state.importing is False
    state.map_columns = ["A", "B", "C"]
    state.mapping = ["", "", ""]
    state.set_mapping("0", "email")
    state.set_mapping("2", "email")
    assert state.mapping == ["", "", "email"]
    state.set_mapping("1", "password_hash")
    state.set_mapping("9", "first_name")
    assert state.mapping == ["", "", "email"]


def test_invite_stepper_takes_the_batch_language_and_zone(world, session):
    from rxapp.models import TeamInvitation
    from rxapp.services.common.errors import DomainError

    state = make_state(InvitationsState, token=world["token"], path="/team/invitations")
    state.lang = "de"
    state.load()
    state.open_stepper()
    assert state.invitee_language == "de" and state.org_zone == "Europe/Stockholm"
    state.set_invitee_zone("Mars/Olympus")
    assert state.zone_error
    state.go_to(2)
    assert state.step == 1  # not past the first step with an unknown zone
    state.set_invitee_zone("America/New_York")
    state.choose_invitee_language("fr")
    state.go_to(2)
    assert state.step == 2 and state.zone_error == ""
    principal = resolve_session(session, token=world["token"], now=START)
    assert state._invite_chunk(principal, ["zoe@example.com"], "agent", {}, "fr",
                               "America/New_York") == 1
    session.expire_all()
    inv = session.exec(select(TeamInvitation).where(
        TeamInvitation.email == "zoe@example.com")).one()
    assert (inv.language, inv.time_zone) == ("fr", "America/New_York")
    with pytest.raises(DomainError):
        team.invite_many(session, principal=principal, emails=["x@example.com"], role="agent",
                         attributes={}, now=START, time_zone="Mars/Olympus")
