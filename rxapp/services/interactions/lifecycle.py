"""Create, remind, toggle reminders and delete interactions (R-INT-5..7, R-INT-10)."""

import logging
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from rxapp.models.outbox import MessageState, OutboxMessage, StatusKind
from rxapp.models.participants import (
    Interaction,
    InteractionState,
)
from rxapp.services.common.errors import DomainError
from rxapp.services.common.outbox import (
    DuplicateMessage,
    cancel_messages,
    schedule_message,
)
from rxapp.services.common.status_log import record_status
from rxapp.services.common.tokens import derive_token, new_salt
from rxapp.services.interactions.base import (
    ENTITY,
    KIND_INVITATION,
    KIND_REMINDER,
    TOKEN_PURPOSE,
    CreatedInteraction,
    _organization,
    _participant,
    _progress_of,
    _require_unfinished,
    get_interaction,
    hash_token,
    interaction_link,
    link_of,
)
from rxapp.services.interactions.eligibility import _eligibility
from rxapp.services.interactions.questionnaires import ensure_default_questionnaire
from rxapp.services.interactions.reminders import (
    _message_context,
    _schedule_remaining_reminders,
    _schedule_reminder,
)

logger = logging.getLogger(__name__)

# "Remind now" sends at most one email per interaction in this time.
REMIND_COOLDOWN = timedelta(minutes=10)


# --- actions ----------------------------------------------------------------------------


def _last_manual_reminder(session: Session, interaction_id: int) -> OutboxMessage | None:
    return session.exec(
        select(OutboxMessage)
        .where(
            OutboxMessage.entity_type == ENTITY,
            OutboxMessage.entity_id == interaction_id,
            OutboxMessage.kind == KIND_REMINDER,
            col(OutboxMessage.idempotency_key).like(f"interaction:{interaction_id}:manual:%"),
            OutboxMessage.state != MessageState.CANCELLED.value,
        )
        .order_by(col(OutboxMessage.id).desc())
        .limit(1)
    ).first()


def last_manual_reminders(
    session: Session, *, organization_id: int, interaction_ids: list[int]
) -> dict[int, datetime]:
    """When each interaction's last "remind now" was asked for (for the cooldown's hint).

    Args:
        session: Any session.
        organization_id: The caller's organization; other tenants' rows never match.
        interaction_ids: The interactions shown.

    """
    if not interaction_ids:
        return {}
    rows = session.exec(
        select(OutboxMessage.entity_id, func.max(OutboxMessage.created_at))
        .where(
            OutboxMessage.organization_id == organization_id,
            OutboxMessage.entity_type == ENTITY,
            col(OutboxMessage.entity_id).in_(interaction_ids),
            OutboxMessage.kind == KIND_REMINDER,
            col(OutboxMessage.idempotency_key).like("interaction:%:manual:%"),
            OutboxMessage.state != MessageState.CANCELLED.value,
        )
        .group_by(OutboxMessage.entity_id)
    ).all()
    return {int(entity_id): at for entity_id, at in rows if entity_id is not None}


def remind_now(
    session: Session, *, organization_id: int, interaction_id: int, now: datetime
) -> datetime:
    """Send the participant their link again at once, with how far they got (R-INT-7).

    The link stays the same (R-PLUS-3); refused once the interaction is finished, and
    within ``REMIND_COOLDOWN`` of the last one. The idempotency key names the intent,
    "the reminder after message N": two tabs or a double click asking at the same time
    make the same key, and only one email goes out.

    Returns:
        When this reminder was queued.

    Raises:
        DomainError: ``interaction.already_completed``, ``interaction.deleted`` or
            ``participant.remind_cooldown``.
        NotAllowed: Another organization's interaction.
    """
    interaction = get_interaction(
        session, organization_id=organization_id, interaction_id=interaction_id
    )
    _require_unfinished(interaction)
    participant = _participant(session, organization_id, interaction.participant_id)
    done = _progress_of(session, interaction)
    last = _last_manual_reminder(session, interaction.id or 0)
    if last is not None and now - last.created_at < REMIND_COOLDOWN:
        raise DomainError("participant.remind_cooldown")
    try:
        _schedule_reminder(
            session, interaction=interaction, participant=participant, done=done, due_at=now,
            key=f"manual:after:{last.id if last else 0}", reminder_number=0, now=now,
            manual=True,
        )
    except DuplicateMessage as exc:
        raise DomainError("participant.remind_cooldown") from exc
    return now


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


