"""The participant's side of an interaction, reached only through the link token (R-INT-8)."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from rxapp.models import Organization
from rxapp.models.outbox import StatusEvent, StatusKind
from rxapp.models.participants import (
    Answer,
    Interaction,
    InteractionState,
    Participant,
    Questionnaire,
)
from rxapp.services import interactions
from rxapp.services.common.errors import DomainError, NotFound
from rxapp.services.common.status_log import record_status
from rxapp.services.interactions import answer_writes
from rxapp.services.interactions.base import hash_token
from rxapp.services.interactions.questionnaires import questions_of


@dataclass(frozen=True)
class QuestionView:
    """One question in the participant's language."""

    id: int
    position: int
    text: str


@dataclass(frozen=True)
class TakingView:
    """What the participant's page needs; no token, no hash, no other person's data."""

    interaction_id: int
    organization_id: int
    organization_name: str
    first_name: str
    language: str
    title: str
    scale: list[str]
    questions: list[QuestionView]
    answers: dict[int, int]
    next_position: int | None
    completed: bool
    report_available: bool
    # The organizer chose to email the report on completion and the plan includes it.
    report_emailed: bool = False


def _pick(texts: dict, language: str) -> str:
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


def open_by_token(session: Session, *, token: str, now: datetime) -> TakingView | None:
    """Return the participant's view of a live link, or None (unknown or deleted link).

    The first opening is logged as ``opened`` in the interaction's status log.
    """
    # Four queries in all (this opens every invitee's page): the interaction with its
    # person, organization and questionnaire; the opened mark; questions; answers.
    if not token:
        return None
    row = session.exec(
        select(Interaction, Participant, Organization, Questionnaire)
        .join(Participant, (col(Participant.id) == col(Interaction.participant_id))
              & (col(Participant.organization_id) == col(Interaction.organization_id)))
        .join(Organization, col(Organization.id) == col(Interaction.organization_id))
        .join(Questionnaire, col(Questionnaire.id) == col(Interaction.questionnaire_id))
        .where(col(Interaction.token_hash) == hash_token(token),
               col(Interaction.state) != InteractionState.DELETED.value)
    ).first()
    if row is None:
        return None
    interaction, participant, org, questionnaire = row
    already_opened = session.exec(
        select(StatusEvent.id).where(
            StatusEvent.organization_id == interaction.organization_id,
            StatusEvent.entity_type == interactions.ENTITY,
            StatusEvent.entity_id == interaction.id,
            StatusEvent.event == StatusKind.OPENED.value,
        )
    ).first()
    if already_opened is None:
        record_status(
            session,
            organization_id=interaction.organization_id,
            entity_type=interactions.ENTITY,
            entity_id=interaction.id,
            event=StatusKind.OPENED.value,
            now=now,
        )
    lang = participant.language
    questions = [
        QuestionView(id=q.id or 0, position=q.position, text=_pick(q.texts, lang))
        for q in questions_of(session, questionnaire_id=questionnaire.id or 0)
    ]
    answers = dict(session.exec(
        select(Answer.question_id, Answer.value).where(Answer.interaction_id == interaction.id)
    ).all())
    scale = (questionnaire.dimensions.get("scale") or {}).get(lang) or (
        questionnaire.dimensions.get("scale") or {}
    ).get("en", [])
    return TakingView(
        interaction_id=interaction.id or 0,
        organization_id=interaction.organization_id,
        organization_name=org.name,
        first_name=participant.first_name,
        language=lang,
        title=_pick(questionnaire.titles, lang),
        scale=list(scale),
        questions=questions,
        answers=answers,
        next_position=next((q.position for q in questions if q.id not in answers), None),
        completed=interaction.state == InteractionState.COMPLETED.value,
        report_available=bool(org.reports_included),
        report_emailed=bool(org.reports_included and interaction.send_report),
    )


def _live(session: Session, token: str) -> Interaction:
    interaction = interactions.find_interaction_by_token(session, token=token)
    if interaction is None:
        raise NotFound("take.link_invalid")
    return interaction


def answer_by_token(
    session: Session, *, token: str, question_id: int, value: int, now: datetime
) -> None:
    """Save one answer given through the link; the token is the only credential.

    Raises:
        NotFound: ``take.link_invalid`` (unknown or deleted link).
        DomainError: ``answer.value_invalid``, ``answer.question_unknown`` or
            ``interaction.already_completed``.
    """
    if token and answer_writes.save_answer(
        session, question_id=question_id, value=value, now=now, token_hash=hash_token(token)
    ):
        return
    # Nothing written: say why (the rare path, so it may take a few more queries).
    interaction = _live(session, token)
    if interaction.state == InteractionState.COMPLETED.value:
        raise DomainError("interaction.already_completed")
    raise DomainError("answer.question_unknown", field="question_id")


def finish_by_token(session: Session, *, token: str, now: datetime) -> dict[str, float]:
    """Complete the interaction behind a link (all questions answered)."""
    interaction = _live(session, token)
    return interactions.complete_interaction(
        session,
        organization_id=interaction.organization_id,
        interaction_id=interaction.id or 0,
        now=now,
    )
