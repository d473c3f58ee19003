"""Answers given through the link: one guarded write, every refusal named (R-INT-8).

The answer's checks travel with its write (``answers.save_answer``), so these cases
make sure none of them got lost on the way: a dead link, a finished or deleted
interaction, another questionnaire's question, a bad value. Both databases.
"""

import pytest
from sqlmodel import Session, func, select

from rxapp.models.participants import (
    Answer,
    Interaction,
    InteractionState,
    Question,
    Questionnaire,
)
from rxapp.services.common.errors import DomainError, NotFound
from rxapp.services.interactions import (
    complete_interaction,
    create_interaction,
    delete_interaction,
)
from rxapp.services.interactions.questionnaires import questions_of
from rxapp.services.interactions.taking import answer_by_token
from tests.conftest import T0
from tests.factories import make_organization, make_participant


@pytest.fixture
def link(engine):
    """An organization, a participant and one interaction; (org id, interaction id, token)."""
    with Session(engine, expire_on_commit=False) as s:
        org = make_organization(s, timezone="UTC", interactions_bought=10)
        person = make_participant(s, organization_id=org.id, now=T0)
        made = create_interaction(s, organization_id=org.id, participant_id=person.id, now=T0,
                                  auto_invite=False)
        s.commit()
        return org.id, made.interaction_id, made.token


def _questions(s, interaction_id):
    return questions_of(s, questionnaire_id=s.get(Interaction, interaction_id).questionnaire_id)


def _answers(s, interaction_id):
    return dict(s.exec(select(Answer.question_id, Answer.value)
                       .where(Answer.interaction_id == interaction_id)).all())


def test_an_answer_is_saved_replaced_and_starts_the_interaction(engine, link):
    _, iid, token = link
    with Session(engine) as s:
        q1, q2 = (q.id for q in _questions(s, iid)[:2])
        answer_by_token(s, token=token, question_id=q1, value=2, now=T0)
        answer_by_token(s, token=token, question_id=q2, value=5, now=T0)
        answer_by_token(s, token=token, question_id=q1, value=4, now=T0)  # changed mind
        s.commit()
    with Session(engine) as s:
        assert _answers(s, iid) == {q1: 4, q2: 5}
        assert s.get(Interaction, iid).state == InteractionState.IN_PROGRESS.value
        assert s.exec(select(func.count()).select_from(Answer)).one() == 2


@pytest.mark.parametrize("token", ["", "not-a-link", "x" * 300])
def test_an_unknown_link_writes_nothing(engine, link, token):
    _, iid, _ = link
    with Session(engine) as s:
        question = _questions(s, iid)[0]
        with pytest.raises(NotFound) as err:
            answer_by_token(s, token=token, question_id=question.id, value=3, now=T0)
        assert err.value.code == "take.link_invalid"
        assert _answers(s, iid) == {}


def test_a_deleted_or_completed_interaction_takes_no_answer(engine, link):
    org_id, iid, token = link
    with Session(engine) as s:
        questions = _questions(s, iid)
        for q in questions:
            answer_by_token(s, token=token, question_id=q.id, value=3, now=T0)
        complete_interaction(s, organization_id=org_id, interaction_id=iid, now=T0)
        s.commit()
        with pytest.raises(DomainError) as err:
            answer_by_token(s, token=token, question_id=questions[0].id, value=1, now=T0)
        assert err.value.code == "interaction.already_completed"
        assert set(_answers(s, iid).values()) == {3}
    with Session(engine, expire_on_commit=False) as s:
        org = make_organization(s, timezone="UTC", interactions_bought=10)
        person = make_participant(s, organization_id=org.id, now=T0, email="d@example.com")
        made = create_interaction(s, organization_id=org.id, participant_id=person.id, now=T0,
                                  auto_invite=False)
        delete_interaction(s, organization_id=org.id, interaction_id=made.interaction_id, now=T0)
        s.commit()
        with pytest.raises(NotFound) as err:
            answer_by_token(s, token=made.token, question_id=questions[0].id, value=1, now=T0)
        assert err.value.code == "take.link_invalid"
        assert _answers(s, made.interaction_id) == {}


@pytest.mark.parametrize("value", [0, 6, -1, True, "3", 3.0, None])
def test_a_value_outside_the_scale_is_refused(engine, link, value):
    _, iid, token = link
    with Session(engine) as s:
        question = _questions(s, iid)[0]
        with pytest.raises(DomainError) as err:
            answer_by_token(s, token=token, question_id=question.id, value=value, now=T0)
        assert err.value.code == "answer.value_invalid"
        assert _answers(s, iid) == {}


def test_a_question_of_another_questionnaire_is_refused(engine, link):
    _, iid, token = link
    with Session(engine) as s:
        own = {q.id for q in _questions(s, iid)}
        highest = s.exec(select(func.max(Question.id))).one()
        for question_id in (highest + 1, 0, -5, True, 2**70, "1"):
            with pytest.raises(DomainError) as err:
                answer_by_token(s, token=token, question_id=question_id, value=3, now=T0)
            assert err.value.code == "answer.question_unknown"
        other = Questionnaire(key="other", titles={"en": "Other"})
        s.add(other)
        s.flush()
        foreign = Question(questionnaire_id=other.id, dimension="x", position=1,
                           texts={"en": "Elsewhere?"})
        s.add(foreign)
        s.commit()
        assert foreign.id not in own
        with pytest.raises(DomainError) as err:
            answer_by_token(s, token=token, question_id=foreign.id, value=3, now=T0)
        assert err.value.code == "answer.question_unknown"
        assert _answers(s, iid) == {}
        assert s.get(Interaction, iid).state == InteractionState.INVITED.value
