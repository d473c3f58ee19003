"""Interactions: the creation rules, invitations and reminders, answers and results.

R-INT-3..10, R-PLUS-7. Every function takes the caller's ``organization_id`` and refuses
ids of another organization (NotAllowed). Actions and the emails they cause commit in
the caller's one transaction (nothing here commits).
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from rxapp.db import session_scope
from rxapp.mail.render import register_context_hook
from rxapp.models.accounts import Organization
from rxapp.models.outbox import MessageState, OutboxMessage, StatusKind
from rxapp.models.participants import (
    UNFINISHED_STATES,
    Answer,
    Interaction,
    InteractionState,
    Participant,
    Question,
    Score,
)
from rxapp.services.errors import DomainError, NotFound
from rxapp.services.outbox import (
    cancel_messages,
    register_send_check,
    schedule_message,
)
from rxapp.services.questionnaires import ensure_default_questionnaire, questions_of
from rxapp.services.send_time import resolve_zone, weekly_occurrences
from rxapp.services.status_log import record_status
from rxapp.services.tenancy import is_row_id, owned_row
from rxapp.services.tokens import derive_token, new_salt
from rxapp.settings import get_settings

logger = logging.getLogger(__name__)

ENTITY = "interaction"
KIND_INVITATION = "interaction_invitation"
KIND_REMINDER = "interaction_reminder"
KIND_REPORT = "interaction_report"
MAX_REMINDERS = 7  # weekly, so at most 8 emails with the invitation (R-INT-6)

REASON_UNFINISHED = "interaction.unfinished_exists"
REASON_MAX_REACHED = "interaction.max_reached"
REASON_NONE_LEFT = "interaction.none_left"


@dataclass(frozen=True)
class Eligibility:
    """Whether a new interaction may be created, and if not, the catalogue key why."""

    allowed: bool
    reason: str | None = None


@dataclass(frozen=True)
class CreatedInteraction:
    """A new interaction and its raw link token, returned once and never stored."""

    interaction_id: int
    token: str
    link: str


@dataclass(frozen=True)
class Progress:
    """How far a participant got (R-PLUS-7)."""

    answered: int
    total: int
    next_position: int | None  # first unanswered question, None when all are answered

    def __str__(self) -> str:
        return f"{self.answered} of {self.total}"


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest stored in place of a link token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def interaction_link(token: str) -> str:
    """Return the participant's link for a raw token."""
    return f"{get_settings().base_url.rstrip('/')}/i/{token}"


TOKEN_PURPOSE = "interaction"  # noqa: S105 - a label mixed into the HMAC, not a secret


def link_of(interaction: Interaction) -> str:
    """Rebuild the participant's link of an interaction (copy link, remind now; R-INT-7)."""
    return interaction_link(derive_token(TOKEN_PURPOSE, interaction.link_salt))


# --- loading with the tenant guard -------------------------------------------------


def _organization(session: Session, organization_id: int, *, lock: bool = False) -> Organization:
    stmt = select(Organization).where(Organization.id == organization_id)
    if lock:
        stmt = stmt.with_for_update()
    org = session.exec(stmt).first()
    if org is None:
        raise NotFound("organization.not_found")
    return org


def _participant(session: Session, organization_id: int, participant_id: int) -> Participant:
    return owned_row(session, Participant, participant_id, organization_id=organization_id,
                     missing="participant.not_found")


def get_interaction(session: Session, *, organization_id: int, interaction_id: int) -> Interaction:
    """Return an interaction of the caller's organization.

    Raises:
        NotFound: No such interaction.
        NotAllowed: It belongs to another organization.

    """
    return owned_row(session, Interaction, interaction_id, organization_id=organization_id,
                     missing="interaction.not_found")


@dataclass(frozen=True)
class InteractionRow:
    """An interaction as the participant's side panel shows it (no token, no hash)."""

    id: int
    state: str
    created_at: datetime
    completed_at: datetime | None
    reminders_on: bool
    auto_invite: bool
    send_report: bool


def list_interactions(
    session: Session, *, organization_id: int, participant_id: int
) -> list[InteractionRow]:
    """Return a participant's interactions, newest first (R-INT-2)."""
    _participant(session, organization_id, participant_id)
    rows = session.exec(
        select(Interaction)
        .where(
            Interaction.organization_id == organization_id,
            Interaction.participant_id == participant_id,
        )
        .order_by(col(Interaction.created_at).desc(), col(Interaction.id).desc())
    ).all()
    return [
        InteractionRow(
            id=i.id or 0,
            state=i.state,
            created_at=i.created_at,
            completed_at=i.completed_at,
            reminders_on=i.reminders_on,
            auto_invite=i.auto_invite,
            send_report=i.send_report,
        )
        for i in rows
    ]


def find_interaction_by_token(session: Session, *, token: str) -> Interaction | None:
    """Return the live interaction a link token opens, or None (unknown or deleted link)."""
    if not token:
        return None
    interaction = session.exec(
        select(Interaction).where(Interaction.token_hash == hash_token(token))
    ).first()
    if interaction is None or interaction.state == InteractionState.DELETED.value:
        return None
    return interaction


# --- creation rules (R-INT-3, R-INT-4) ------------------------------------------------


def _used_interactions(session: Session, organization_id: int) -> int:
    # Only unfinished interactions can be deleted, and a deleted one gives its unit back.
    return session.exec(
        select(func.count())
        .select_from(Interaction)
        .where(
            Interaction.organization_id == organization_id,
            Interaction.state != InteractionState.DELETED.value,
        )
    ).one()


def remaining_interactions(session: Session, *, organization_id: int) -> int:
    """Return how many interactions the organization can still create (bought − used)."""
    org = _organization(session, organization_id)
    return max(0, org.interactions_bought - _used_interactions(session, organization_id))


def max_interactions_for(participant: Participant, org: Organization) -> int:
    """Return a participant's maximum: their own override, else the organization's."""
    if participant.max_interactions_override is not None:
        return participant.max_interactions_override
    return org.max_interactions_per_participant


def _eligibility(session: Session, org: Organization, participant: Participant) -> Eligibility:
    states = session.exec(
        select(Interaction.state).where(Interaction.participant_id == participant.id)
    ).all()
    if any(state in UNFINISHED_STATES for state in states):
        return Eligibility(False, REASON_UNFINISHED)
    counted = sum(1 for state in states if state != InteractionState.DELETED.value)
    if counted >= max_interactions_for(participant, org):
        return Eligibility(False, REASON_MAX_REACHED)
    if org.interactions_bought - _used_interactions(session, org.id or 0) <= 0:
        return Eligibility(False, REASON_NONE_LEFT)
    return Eligibility(True, None)


def can_create_interaction(
    session: Session, *, organization_id: int, participant_id: int
) -> Eligibility:
    """Tell whether a new interaction may be created for a participant, and why not.

    Reasons, in this order: an unfinished interaction exists; the participant's maximum
    is reached (organization setting, overridable per participant); the organization
    has no bought interactions left.

    Raises:
        NotAllowed: The participant belongs to another organization.

    """
    participant = _participant(session, organization_id, participant_id)
    org = _organization(session, organization_id)
    return _eligibility(session, org, participant)


# --- reminders (R-INT-6) -------------------------------------------------------------


def reminder_times(created_at: datetime, org_timezone: str | None) -> list[datetime]:
    """Return the 7 weekly reminder times: +7 … +49 days, same local wall time."""
    zone = resolve_zone(None, org_timezone)
    local = created_at.astimezone(zone)
    return weekly_occurrences(
        local.date() + timedelta(days=7),
        local.time().replace(tzinfo=None),
        zone,
        MAX_REMINDERS,
    )


def _reminder_messages(session: Session, interaction_id: int) -> list[OutboxMessage]:
    return list(
        session.exec(
            select(OutboxMessage).where(
                OutboxMessage.entity_type == ENTITY,
                OutboxMessage.entity_id == interaction_id,
                OutboxMessage.kind == KIND_REMINDER,
            )
        ).all()
    )


def _message_context(participant: Participant, **extra: object) -> dict:
    # No link here: the outbox row must not carry a working credential for weeks. The
    # link is rebuilt from the interaction at render time (see message_link).
    context: dict = {"first_name": participant.first_name, "last_name": participant.last_name}
    context.update(extra)
    return context


def _schedule_reminder(
    session: Session,
    *,
    interaction: Interaction,
    participant: Participant,
    done: "Progress",
    due_at: datetime,
    key: str,
    reminder_number: int,
    now: datetime,
    manual: bool = False,
) -> None:
    """Queue one reminder that says how far the participant got (R-PLUS-7)."""
    extra: dict[str, object] = {"manual": True} if manual else {}
    schedule_message(
        session,
        organization_id=interaction.organization_id,
        recipient=participant.email,
        recipient_name=f"{participant.first_name} {participant.last_name}",
        kind=KIND_REMINDER,
        language=participant.language,
        context=_message_context(
            participant,
            reminder_number=reminder_number,
            interaction_id=interaction.id,
            answered=done.answered,
            total=done.total,
            **extra,
        ),
        due_at=due_at,
        idempotency_key=f"interaction:{interaction.id}:{key}",
        entity_type=ENTITY,
        entity_id=interaction.id,
        now=now,
    )


def _schedule_remaining_reminders(
    session: Session,
    *,
    interaction: Interaction,
    participant: Participant,
    org: Organization,
    now: datetime,
) -> int:
    """Schedule the reminders whose time is still ahead and that are neither queued nor sent."""
    existing = _reminder_messages(session, interaction.id or 0)
    taken: set[int] = set()
    attempts: dict[int, int] = {}
    for message in existing:
        number = int(message.context.get("reminder_number", 0))
        attempts[number] = attempts.get(number, 0) + 1
        if message.state != MessageState.CANCELLED.value:
            taken.add(number)  # queued, sent or failed: never a second one
    done = _progress_of(session, interaction)
    scheduled = 0
    for number, due_at in enumerate(reminder_times(interaction.created_at, org.timezone), start=1):
        if number in taken or due_at <= now:
            continue
        # A reminder cancelled by "off" keeps its key; "on" again gets a fresh one.
        suffix = f":{attempts[number]}" if number in attempts else ""
        _schedule_reminder(
            session, interaction=interaction, participant=participant, done=done,
            due_at=due_at, key=f"reminder:{number}{suffix}", reminder_number=number, now=now,
        )
        scheduled += 1
    return scheduled


# --- actions ----------------------------------------------------------------------------


def remind_now(
    session: Session, *, organization_id: int, interaction_id: int, now: datetime
) -> None:
    """Send the participant their link again at once, with how far they got (R-INT-7).

    The link stays the same (R-PLUS-3); refused once the interaction is finished.

    Raises:
        DomainError: ``interaction.already_completed`` or ``interaction.deleted``.
        NotAllowed: Another organization's interaction.
    """
    interaction = get_interaction(
        session, organization_id=organization_id, interaction_id=interaction_id
    )
    _require_unfinished(interaction)
    participant = _participant(session, organization_id, interaction.participant_id)
    done = _progress_of(session, interaction)
    sent_before = session.exec(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.entity_type == ENTITY,
            OutboxMessage.entity_id == interaction.id,
            col(OutboxMessage.idempotency_key).like(f"interaction:{interaction.id}:manual:%"),
        )
    ).one()
    _schedule_reminder(
        session, interaction=interaction, participant=participant, done=done, due_at=now,
        key=f"manual:{int(sent_before) + 1}", reminder_number=0, now=now, manual=True,
    )


def participant_link(session: Session, *, organization_id: int, interaction_id: int) -> str:
    """Return an unfinished interaction's link, for "copy link" and the QR code (R-INT-7)."""
    interaction = get_interaction(
        session, organization_id=organization_id, interaction_id=interaction_id
    )
    _require_unfinished(interaction)
    return link_of(interaction)


def create_interaction(
    session: Session,
    *,
    organization_id: int,
    participant_id: int,
    now: datetime,
    auto_invite: bool = True,
    reminders_on: bool | None = None,
    send_report: bool = True,
    questionnaire_id: int | None = None,
) -> CreatedInteraction:
    """Create an interaction, with its invitation and reminders, in one transaction.

    The rules of :func:`can_create_interaction` are checked again here, whatever the
    client showed (R-INT-4). The organization row is locked (PostgreSQL) so two
    concurrent creations cannot both take the last bought interaction.

    Args:
        session: The caller's session; nothing is committed here.
        organization_id: The organizer's organization.
        participant_id: Who is invited.
        now: Current time (aware).
        auto_invite: Email the invitation now (R-INT-5; default on).
        reminders_on: Weekly reminders; None follows the organization's default.
        send_report: Email the report on completion; ignored unless the plan has reports.
        questionnaire_id: Defaults to the shipped default questionnaire.

    Returns:
        The interaction id and the raw token and link, shown once.

    Raises:
        DomainError: Not allowed, with the reason's catalogue key.
        NotAllowed: The participant belongs to another organization.

    """
    participant = _participant(session, organization_id, participant_id)
    org = _organization(session, organization_id, lock=True)
    eligibility = _eligibility(session, org, participant)
    if not eligibility.allowed:
        raise DomainError(eligibility.reason or "interaction.not_allowed")
    if questionnaire_id is None:
        questionnaire_id = ensure_default_questionnaire(session).id
    salt = new_salt()
    token = derive_token(TOKEN_PURPOSE, salt)  # 256 bits, rebuildable only with the secret
    interaction = Interaction(
        organization_id=organization_id,
        participant_id=participant_id,
        questionnaire_id=questionnaire_id or 0,
        state=InteractionState.INVITED.value,
        token_hash=hash_token(token),
        link_salt=salt,
        auto_invite=auto_invite,
        reminders_on=org.reminders_default if reminders_on is None else reminders_on,
        send_report=bool(send_report and org.reports_included),
        created_at=now,
    )
    session.add(interaction)
    session.flush()
    link = interaction_link(token)
    if auto_invite:
        schedule_message(
            session,
            organization_id=organization_id,
            recipient=participant.email,
            recipient_name=f"{participant.first_name} {participant.last_name}",
            kind=KIND_INVITATION,
            language=participant.language,
            context=_message_context(participant, interaction_id=interaction.id),
            due_at=now,
            idempotency_key=f"interaction:{interaction.id}:invitation",
            entity_type=ENTITY,
            entity_id=interaction.id,
            now=now,
        )
    if interaction.reminders_on:
        _schedule_remaining_reminders(
            session, interaction=interaction, participant=participant, org=org, now=now
        )
    logger.info(
        "interaction created",
        extra={"organization_id": organization_id, "interaction_id": interaction.id},
    )
    return CreatedInteraction(interaction_id=interaction.id or 0, token=token, link=link)


def set_reminders(
    session: Session, *, organization_id: int, interaction_id: int, on: bool, now: datetime
) -> int:
    """Turn an interaction's reminders on or off until it is completed (R-INT-6).

    Off cancels the queued reminders; on schedules the remaining ones (those still
    ahead and never sent), so seven is never exceeded.

    Returns:
        How many reminders were cancelled (off) or scheduled (on).

    Raises:
        DomainError: ``interaction.already_completed`` or ``interaction.deleted``.

    """
    interaction = get_interaction(
        session, organization_id=organization_id, interaction_id=interaction_id
    )
    _require_unfinished(interaction)
    interaction.reminders_on = on
    session.add(interaction)
    if not on:
        count = cancel_messages(
            session,
            entity_type=ENTITY,
            entity_id=interaction.id or 0,
            kinds=[KIND_REMINDER],
            now=now,
            reason="reminders turned off",
        )
        session.flush()
        return count
    participant = _participant(session, organization_id, interaction.participant_id)
    org = _organization(session, organization_id)
    count = _schedule_remaining_reminders(
        session, interaction=interaction, participant=participant, org=org, now=now
    )
    session.flush()
    return count


def _require_unfinished(interaction: Interaction) -> None:
    if interaction.state == InteractionState.COMPLETED.value:
        raise DomainError("interaction.already_completed")
    if interaction.state == InteractionState.DELETED.value:
        raise DomainError("interaction.deleted")


def delete_interaction(
    session: Session, *, organization_id: int, interaction_id: int, now: datetime
) -> None:
    """Delete an unfinished interaction (R-INT-10).

    Its queued emails are cancelled, its link stops working and its bought unit is
    given back.

    Raises:
        DomainError: ``interaction.already_completed`` (or ``interaction.deleted``).

    """
    interaction = get_interaction(
        session, organization_id=organization_id, interaction_id=interaction_id
    )
    _require_unfinished(interaction)
    interaction.state = InteractionState.DELETED.value
    interaction.deleted_at = now
    session.add(interaction)
    cancel_messages(
        session, entity_type=ENTITY, entity_id=interaction.id or 0, now=now, reason="deleted"
    )
    record_status(
        session,
        organization_id=organization_id,
        entity_type=ENTITY,
        entity_id=interaction.id or 0,
        event=StatusKind.REVOKED,
        now=now,
        detail="deleted",
    )
    session.flush()


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
    interaction = get_interaction(
        session, organization_id=organization_id, interaction_id=interaction_id
    )
    _require_unfinished(interaction)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise DomainError("answer.value_invalid", field="value")
    question = session.get(Question, question_id) if is_row_id(question_id) else None
    if question is None or question.questionnaire_id != interaction.questionnaire_id:
        raise DomainError("answer.question_unknown", field="question_id")
    answer = session.exec(
        select(Answer).where(
            Answer.interaction_id == interaction.id, Answer.question_id == question_id
        )
    ).first()
    if answer is None:
        answer = Answer(
            interaction_id=interaction.id or 0,
            question_id=question_id,
            value=value,
            answered_at=now,
        )
    else:
        answer.value = value
        answer.answered_at = now
    session.add(answer)
    if interaction.state == InteractionState.INVITED.value:
        interaction.state = InteractionState.IN_PROGRESS.value
        session.add(interaction)
    session.flush()
    done = _progress_of(session, interaction)
    _update_reminder_progress(session, interaction.id or 0, done)
    return done


def _update_reminder_progress(session: Session, interaction_id: int, done: Progress) -> None:
    """Keep queued reminders saying how far the participant got (R-PLUS-7)."""
    for message in _reminder_messages(session, interaction_id):
        if message.state != MessageState.SCHEDULED.value:
            continue
        # A new dict, so the JSON column is seen as changed.
        message.context = {**message.context, "answered": done.answered, "total": done.total}
        session.add(message)
    session.flush()


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


def _progress_of(session: Session, interaction: Interaction) -> Progress:
    questions = questions_of(session, questionnaire_id=interaction.questionnaire_id)
    answered = set(
        session.exec(
            select(Answer.question_id).where(Answer.interaction_id == interaction.id)
        ).all()
    )
    next_position = next((q.position for q in questions if q.id not in answered), None)
    done = sum(1 for q in questions if q.id in answered)
    return Progress(answered=done, total=len(questions), next_position=next_position)


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
    org = _organization(session, organization_id)
    if interaction.send_report and org.reports_included:
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


# --- send-time checks (R-MSG-2) -----------------------------------------------------------


def _check_reminder(session: Session, message: OutboxMessage, now: datetime) -> str | None:
    interaction = session.get(Interaction, message.entity_id) if message.entity_id else None
    if interaction is None:
        return "interaction missing"
    if interaction.state == InteractionState.COMPLETED.value:
        return "completed"
    if interaction.state == InteractionState.DELETED.value:
        return "deleted"
    # "Remind now" was asked for by hand: the weekly toggle does not govern it.
    if not interaction.reminders_on and not (message.context or {}).get("manual"):
        return "reminders turned off"
    return None


def _check_invitation(session: Session, message: OutboxMessage, now: datetime) -> str | None:
    interaction = session.get(Interaction, message.entity_id) if message.entity_id else None
    if interaction is None:
        return "interaction missing"
    if interaction.state in (InteractionState.COMPLETED.value, InteractionState.DELETED.value):
        return interaction.state
    return None


def message_link(message: OutboxMessage) -> dict[str, str]:
    """Template value ``link`` of an invitation or reminder, rebuilt at send time.

    The outbox row keeps only the interaction id; the link comes from the interaction's
    salt and the server secret, so the database alone never holds a working link.
    """
    with session_scope() as session:
        interaction = session.get(Interaction, message.entity_id) if message.entity_id else None
        return {"link": link_of(interaction)} if interaction is not None else {}


def register_interaction_send_checks() -> None:
    """Register the scheduler's last-moment checks and send-time links (idempotent)."""
    register_send_check(KIND_REMINDER, _check_reminder)
    register_send_check(KIND_INVITATION, _check_invitation)
    register_context_hook(KIND_REMINDER, message_link)
    register_context_hook(KIND_INVITATION, message_link)


register_interaction_send_checks()
