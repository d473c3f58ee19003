"""Weekly reminders of an interaction: when, and keeping the queue right (R-INT-6)."""

import logging
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from rxapp.models.accounts import Organization
from rxapp.models.outbox import MessageState, OutboxMessage
from rxapp.models.participants import (
    Interaction,
    Participant,
)
from rxapp.services.common.outbox import (
    schedule_message,
)
from rxapp.services.common.send_time import (
    DEFAULT_WINDOW,
    into_send_window,
    resolve_zone,
    weekly_occurrences,
    window_of,
)
from rxapp.services.interactions.base import (
    ENTITY,
    KIND_REMINDER,
    MAX_REMINDERS,
    Progress,
    _progress_of,
)

logger = logging.getLogger(__name__)


# --- reminders (R-INT-6) -------------------------------------------------------------


def reminder_times(
    created_at: datetime,
    org_timezone: str | None,
    *,
    recipient_zone: str | None = None,
    window: tuple[int, int] = DEFAULT_WINDOW,
) -> list[datetime]:
    """Return the 7 weekly reminder times: +7 … +49 days at the recipient's local time.

    The wall time of creation in the recipient's zone (else the organization's) repeats
    every week, DST-correct, and each reminder outside the organization's send window
    moves to its next opening (R-PLUS-1): created at 23:10 Stockholm, reminded at 08:00.
    """
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    zone = resolve_zone(recipient_zone, org_timezone)
    local = created_at.astimezone(zone)
    weekly = weekly_occurrences(
        local.date() + timedelta(days=7),
        local.time().replace(tzinfo=None),
        zone,
        MAX_REMINDERS,
    )
    return [into_send_window(when, zone, window) for when in weekly]


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
    # link is rebuilt from the interaction at render time (see link_context).
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
    times = reminder_times(interaction.created_at, org.timezone,
                           recipient_zone=participant.time_zone, window=window_of(org))
    for number, due_at in enumerate(times, start=1):
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


