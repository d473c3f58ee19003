"""The status log of an invitation, whatever its kind (R-MSG-5, R-PLUS-4).

Every kind of invitation (interaction, review, meeting, team) writes the same events
here, so one component can show "scheduled, sent, opened, completed" with times.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from rxapp.models.outbox import StatusEvent, StatusKind


@dataclass(frozen=True)
class StatusRow:
    """One line of a status log, as pages show it (no table row leaves the service)."""

    event: str
    at: datetime
    detail: str
    message_id: int | None


def record_status(
    session: Session,
    *,
    organization_id: int,
    entity_type: str,
    entity_id: int,
    event: StatusKind | str,
    now: datetime,
    detail: str = "",
    message_id: int | None = None,
) -> StatusEvent:
    """Add one event to an entity's status log in the caller's transaction.

    Args:
        session: The caller's session; nothing is committed here.
        organization_id: Tenant of the entity.
        entity_type: What the log is about, e.g. ``"interaction"``.
        entity_id: Primary key of that entity.
        event: What happened.
        now: When it happened (aware).
        detail: Why, or any short explanation (e.g. a failure reason).
        message_id: The outbox message concerned, if any.

    Returns:
        The new (flushed later) event.

    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    row = StatusEvent(
        organization_id=organization_id,
        entity_type=entity_type,
        entity_id=entity_id,
        event=StatusKind(event).value,
        detail=detail,
        message_id=message_id,
        at=now,
    )
    session.add(row)
    return row


def get_status_log(
    session: Session, *, organization_id: int, entity_type: str, entity_id: int
) -> list[StatusRow]:
    """Return an entity's status log, oldest first, only within the organization.

    Args:
        session: Any session.
        organization_id: The signed-in user's organization; other tenants' rows never match.
        entity_type: What the log is about.
        entity_id: Primary key of that entity.

    Returns:
        View rows, oldest first.

    """
    rows = session.exec(
        select(StatusEvent)
        .where(
            StatusEvent.organization_id == organization_id,
            StatusEvent.entity_type == entity_type,
            StatusEvent.entity_id == entity_id,
        )
        .order_by(StatusEvent.at, StatusEvent.id)
    ).all()
    return [
        StatusRow(event=r.event, at=r.at, detail=r.detail, message_id=r.message_id) for r in rows
    ]
