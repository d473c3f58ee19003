"""Send-time checks and context of interaction emails (R-MSG-2), for the kind table."""

import logging
from datetime import datetime
from typing import Any

from sqlmodel import Session

from rxapp.models.outbox import OutboxMessage
from rxapp.models.participants import (
    Interaction,
    InteractionState,
)
from rxapp.services.interactions.base import _progress_of, link_of

logger = logging.getLogger(__name__)


# --- send-time checks (R-MSG-2) -----------------------------------------------------------


def check_reminder(session: Session, message: OutboxMessage, now: datetime) -> str | None:
    """Why a queued reminder must not go out now, or None to send it."""
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


def check_invitation(session: Session, message: OutboxMessage, now: datetime) -> str | None:
    """Why a queued invitation must not go out now, or None to send it."""
    interaction = session.get(Interaction, message.entity_id) if message.entity_id else None
    if interaction is None:
        return "interaction missing"
    if interaction.state in (InteractionState.COMPLETED.value, InteractionState.DELETED.value):
        return interaction.state
    return None


def link_context(session: Session, message: OutboxMessage, now: datetime) -> dict[str, str]:
    """Template value ``link`` of an invitation or reminder, rebuilt at send time.

    The outbox row keeps only the interaction id; the link comes from the interaction's
    salt and the server secret, so the database alone never holds a working link.
    """
    interaction = session.get(Interaction, message.entity_id) if message.entity_id else None
    return {"link": link_of(interaction)} if interaction is not None else {}


def reminder_context(session: Session, message: OutboxMessage, now: datetime) -> dict[str, Any]:
    """A reminder's link and how far the participant got, both read at send time (R-PLUS-7).

    The progress is counted when the reminder goes out, so answering never has to
    rewrite the queued reminders.
    """
    interaction = session.get(Interaction, message.entity_id) if message.entity_id else None
    if interaction is None:
        return {}
    done = _progress_of(session, interaction)
    return {"link": link_of(interaction), "answered": done.answered, "total": done.total}
