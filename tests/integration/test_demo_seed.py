"""The demo a newcomer meets (R-ACC-4): made on an empty database, once, quickly."""

import time
from datetime import timedelta

from sqlmodel import Session, func, select

from rxapp.models import AttributeOption, Organization, TeamInvitation, User
from rxapp.models.outbox import OutboxMessage
from rxapp.models.participants import Interaction, Participant, Score
from rxapp.seed import seed
from rxapp.services.interactions import demo as interactions_demo
from rxapp.services.interactions.reports import results_csv
from rxapp.services.team import demo as team_demo
from rxapp.services.team.base import effective_state
from tests.conftest import START


def _count(session: Session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def _snapshot(session: Session) -> dict:
    return {
        "organizations": _count(session, Organization),
        "users": _count(session, User),
        "participants": _count(session, Participant),
        "interactions": _count(session, Interaction),
        "scores": _count(session, Score),
        "outbox": _count(session, OutboxMessage),
        "options": _count(session, AttributeOption),
        "invitations": _count(session, TeamInvitation),
    }


def test_r_acc_4_demo_shows_every_feature_and_seeding_twice_adds_nothing(session: Session):
    started = time.monotonic()
    assert seed(session, now=START) is True
    session.commit()
    took = time.monotonic() - started
    assert took < 10, f"seeding took {took:.1f} s"

    # Sixty participants, fifteen per language.
    languages = dict(session.exec(
        select(Participant.language, func.count()).group_by(Participant.language)).all())
    assert languages == {"en": 15, "de": 15, "fr": 15, "sv": 15}

    # A dozen completed with scores, some half-way, some invited, the rest never invited.
    states = dict(session.exec(
        select(Interaction.state, func.count()).group_by(Interaction.state)).all())
    assert states == {"completed": interactions_demo.COMPLETED,
                      "in_progress": interactions_demo.IN_PROGRESS,
                      "invited": interactions_demo.INVITED}
    completed = session.exec(select(Interaction).where(Interaction.state == "completed")).all()
    assert all(i.completed_at is not None and i.completed_at < START for i in completed)
    assert _count(session, Score) == interactions_demo.COMPLETED * 3  # three dimensions
    scores = {s.value for s in session.exec(select(Score)).all()}
    assert len(scores) > 5, "the dashboards should not all look alike"
    org_id = session.exec(select(Organization.id).where(Organization.slug == "demo")).one()
    export = results_csv(session, organization_id=org_id).decode("utf-8-sig")
    assert len(export.strip().splitlines()) == 1 + interactions_demo.COMPLETED

    # A few emails are due at once, so the built-in mailbox fills when the app starts.
    due = session.exec(select(OutboxMessage.kind, func.count()).where(
        OutboxMessage.state == "scheduled", OutboxMessage.due_at <= START,
    ).group_by(OutboxMessage.kind)).all()
    due = dict(due)
    assert due["interaction_report"] == interactions_demo.REPORTS_EMAILED
    assert due["interaction_invitation"] == interactions_demo.AUTO_INVITED
    assert due["interaction_reminder"] == interactions_demo.REMINDED
    assert 5 <= sum(due.values()) <= 25

    # Filled attribute lists; pending, expired and accepted team invitations.
    kinds = dict(session.exec(select(AttributeOption.kind, func.count())
                              .group_by(AttributeOption.kind)).all())
    assert kinds == {k: len(v) for k, v in team_demo.OPTIONS.items()}
    invitations = session.exec(select(TeamInvitation)).all()
    by_state: dict[str, int] = {}
    for inv in invitations:
        by_state[effective_state(inv, START)] = by_state.get(effective_state(inv, START), 0) + 1
    assert by_state == {"pending": 3, "expired": 2, "accepted": 3}
    members = session.exec(select(User).where(User.email.like("%.%@beckon-demo.example"))).all()
    assert {m.role for m in members} == {"agent", "team_leader", "quality_assessor"}
    assert all(m.attributes.get("sites") for m in members)

    # Again, even a day later: nothing new.
    before = _snapshot(session)
    assert seed(session, now=START + timedelta(days=1)) is False
    session.commit()
    assert _snapshot(session) == before


def test_r_acc_4_no_demo_on_a_database_with_an_organization(session: Session):
    session.add(Organization(name="Real customer", slug="real", modules=[]))
    session.commit()
    assert seed(session, now=START) is False
    assert _count(session, Participant) == 0
    assert _count(session, TeamInvitation) == 0
