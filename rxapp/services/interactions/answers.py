"""Answers, progress, completion and scores (R-INT-8, R-INT-9, R-PLUS-7)."""

import logging
from datetime import datetime

from sqlmodel import Session, select

from rxapp.models.outbox import StatusKind
from rxapp.models.participants import (
    Answer,
    InteractionState,
    Score,
)
from rxapp.services.common.errors import DomainError
from rxapp.services.common.outbox import (
    cancel_messages,
    schedule_message,
)
from rxapp.services.common.status_log import record_status
from rxapp.services.interactions.answer_writes import save_answer
from rxapp.services.interactions.base import (
    ENTITY,
    KIND_INVITATION,
    KIND_REMINDER,
    KIND_REPORT,
    Progress,
    _organization,
    _participant,
    _progress_of,
    _require_unfinished,
    get_interaction,
)
from rxapp.services.interactions.questionnaires import questions_of
from rxapp.services.interactions.reminders import _message_context

logger = logging.getLogger(__name__)


def record_answer(
    session: Session,
    *,
    organization_id: int,
    interaction_id: int,
    question_id: int,
    value: int,
    now: datetime,
) -> Progress:
    """Save one answer as soon as it is given; answering again replaces it (R-INT-8).

    Returns:
        The progress after this answer.

    Raises:
        DomainError: ``answer.value_invalid``, ``answer.question_unknown``, or the
            interaction is completed or deleted.

    """
    if not save_answer(session, question_id=question_id, value=value, now=now,
                       interaction_id=interaction_id, organization_id=organization_id):
        interaction = get_interaction(
            session, organization_id=organization_id, interaction_id=interaction_id
        )
        _require_unfinished(interaction)
        raise DomainError("answer.question_unknown", field="question_id")
    return progress(session, organization_id=organization_id, interaction_id=interaction_id)


def answers_of(session: Session, *, organization_id: int, interaction_id: int) -> dict[int, int]:
    """Return the saved answers, question id → value, so a reopened link resumes."""
    get_interaction(session, organization_id=organization_id, interaction_id=interaction_id)
    rows = session.exec(
        select(Answer.question_id, Answer.value).where(Answer.interaction_id == interaction_id)
    ).all()
    return dict(rows)


def progress(session: Session, *, organization_id: int, interaction_id: int) -> Progress:
    """Return how many questions are answered, and the first one still open (R-PLUS-7)."""
    interaction = get_interaction(
        session, organization_id=organization_id, interaction_id=interaction_id
    )
    return _progress_of(session, interaction)


def complete_interaction(
    session: Session, *, organization_id: int, interaction_id: int, now: datetime
) -> dict[str, float]:
    """Finish an interaction: scores per dimension, reminders stopped, report queued (R-INT-9).

    Returns:
        The mean score (1..5) per dimension.

    Raises:
        DomainError: ``interaction.unanswered_questions`` when answers are missing, or
            the interaction is completed or deleted.

    """
    interaction = get_interaction(
        session, organization_id=organization_id, interaction_id=interaction_id
    )
    _require_unfinished(interaction)
    questions = questions_of(session, questionnaire_id=interaction.questionnaire_id)
    answers = answers_of(session, organization_id=organization_id, interaction_id=interaction_id)
    if any(q.id not in answers for q in questions):
        raise DomainError("interaction.unanswered_questions")
    by_dimension: dict[str, list[int]] = {}
    for q in questions:
        by_dimension.setdefault(q.dimension, []).append(answers[q.id or 0])
    scores = {dim: round(sum(vals) / len(vals), 2) for dim, vals in by_dimension.items()}
    for dim, value in scores.items():
        session.add(Score(interaction_id=interaction.id or 0, dimension=dim, value=value))
    interaction.state = InteractionState.COMPLETED.value
    interaction.completed_at = now
    session.add(interaction)
    cancel_messages(
        session,
        entity_type=ENTITY,
        entity_id=interaction.id or 0,
        kinds=[KIND_REMINDER, KIND_INVITATION],
        now=now,
        reason="completed",
    )
    record_status(
        session,
        organization_id=organization_id,
        entity_type=ENTITY,
        entity_id=interaction.id or 0,
        event=StatusKind.COMPLETED,
        now=now,
    )
    # The organization is read only when a report was asked for (one query less per finish).
    if interaction.send_report and _organization(session, organization_id).reports_included:
        participant = _participant(session, organization_id, interaction.participant_id)
        schedule_message(
            session,
            organization_id=organization_id,
            recipient=participant.email,
            recipient_name=f"{participant.first_name} {participant.last_name}",
            kind=KIND_REPORT,
            language=participant.language,
            context=_message_context(participant, interaction_id=interaction.id, scores=scores),
            due_at=now,
            idempotency_key=f"interaction:{interaction.id}:report",
            entity_type=ENTITY,
            entity_id=interaction.id,
            now=now,
        )
    session.flush()
    return scores


def scores_of(session: Session, *, organization_id: int, interaction_id: int) -> dict[str, float]:
    """Return a completed interaction's scores per dimension (empty before completion)."""
    get_interaction(session, organization_id=organization_id, interaction_id=interaction_id)
    rows = session.exec(
        select(Score.dimension, Score.value).where(Score.interaction_id == interaction_id)
    ).all()
    return dict(rows)
