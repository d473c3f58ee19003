"""Two organizers racing for the last bought interaction on PostgreSQL (R-INT-3, R-INT-4)."""

import threading

import pytest
from sqlmodel import Session, select

from rxapp.db import get_engine
from rxapp.models.participants import Interaction
from rxapp.services.common.errors import DomainError
from rxapp.services.interactions import REASON_NONE_LEFT, REASON_UNFINISHED, create_interaction
from rxapp.services.interactions.questionnaires import ensure_default_questionnaire
from tests.conftest import T0
from tests.factories import make_organization, make_participant

pytestmark = pytest.mark.postgres


def _race(engine, org_id, participant_ids):
    barrier = threading.Barrier(len(participant_ids))
    outcomes: list[str] = []

    def attempt(pid: int) -> None:
        with Session(engine) as s:
            barrier.wait()
            try:
                create_interaction(s, organization_id=org_id, participant_id=pid, now=T0)
                s.commit()
                outcomes.append("created")
            except DomainError as exc:
                s.rollback()
                outcomes.append(exc.code)

    threads = [threading.Thread(target=attempt, args=(pid,)) for pid in participant_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return sorted(outcomes)


@pytest.mark.parametrize("same_participant", [False, True])
def test_r_int_4_concurrent_creations_cannot_overspend_or_open_two(pg_url, same_participant):
    engine = get_engine(pg_url)
    with Session(engine, expire_on_commit=False) as s:
        org = make_organization(s, interactions_bought=1 if not same_participant else 10)
        a = make_participant(s, organization_id=org.id, now=T0)
        b = a if same_participant else make_participant(s, organization_id=org.id, now=T0)
        ensure_default_questionnaire(s)
        s.commit()
    outcomes = _race(engine, org.id, [a.id, b.id])
    expected = REASON_UNFINISHED if same_participant else REASON_NONE_LEFT
    assert outcomes == sorted(["created", expected])
    with Session(engine) as s:
        assert len(s.exec(select(Interaction)).all()) == 1
