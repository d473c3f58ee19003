"""The status log of an invitation, whatever its kind (R-MSG-5, R-PLUS-4).

Every kind of invitation (interaction, review, meeting, team) writes the same events
here, so one component can show "scheduled, sent, opened, completed" with times.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from rxapp.models.outbox import MessageState, OutboxMessage, StatusEvent, StatusKind


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


# --- the log people read (R-PLUS-4, R-MSG-5) ---------------------------------------------

# Outbox kind -> the message's name in the log (catalogue ``log.msg.<name>``).
MESSAGE_NAMES = {
    "interaction_invitation": "invitation",
    "interaction_reminder": "reminder",
    "interaction_report": "report",
    "team_invitation": "invitation",
    "team_invitation_expiring": "expiry_notice",
    "team_renewal_request": "renewal",
}
# Events that are not about one email: shown as lines of their own.
_ENTITY_EVENTS = ("opened", "completed", "accepted", "reviewed", "expired", "revoked")
_CANCEL_REASONS = {
    "completed": "completed", "deleted": "deleted", "reminders turned off": "reminders_off",
    "invitation accepted": "accepted", "invitation revoked": "revoked",
}


@dataclass(frozen=True)
class LogLine:
    """One line of a readable status log; pages turn keys into words and times.

    ``message`` names the email (``invitation``, ``reminder``, ``remind_now``, ``report``,
    ``expiry_notice``, ``renewal``), or is empty for an event of the invitation itself
    (``opened``, ``completed``, ...). A collapsed line (``group`` not empty) stands for
    several future reminders: ``at`` is the next, ``last_at`` the last.
    """

    message: str
    state: str
    at: datetime
    number: int = 0
    of: int = 0
    reason: str = ""
    detail: str = ""
    last_at: datetime | None = None
    group: tuple["LogLine", ...] = ()


def failure_reason(error: str) -> str:
    """Plain-words reason of a failed send, from the mail server's reply.

    Returns:
        ``address`` (the address does not exist or refuses mail), ``full`` (mailbox
        full), ``server`` (no mail server answered, retries used up) or ``other``.

    """
    text = (error or "").lower()
    if any(s in text for s in ("552", "full", "quota", "over limit")):
        return "full"
    if any(s in text for s in ("550", "551", "553", "5.1.1", "unknown", "does not exist",
                               "no such", "unavailable", "rejected", "refused recipient")):
        return "address"
    if re.search(r"\b4\d\d\b", text) or any(
        s in text for s in ("connect", "timed out", "timeout", "refused", "unreachable",
                            "retries", "network", "tls", "dns")):
        return "server"
    return "other"


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    return value


def readable_log(
    session: Session,
    *,
    organization_id: int,
    entity_type: str,
    entity_id: int,
    reminders_total: int = 0,
    collapse_from: int = 2,
) -> list[LogLine]:
    """Return the log of one invitation as people read it, oldest first.

    One line per email (its latest state: scheduled for a time, sent, failed with a plain
    reason, cancelled with why) and one per event of the invitation (opened, completed,
    accepted, ...). Future reminders, when there are at least ``collapse_from``, collapse
    into one line at the end that keeps the full list in ``group``.

    Args:
        session: Any session.
        organization_id: The viewer's organization; other tenants' rows never match.
        entity_type: What the log is about.
        entity_id: Primary key of that entity.
        reminders_total: How many weekly reminders the schedule has ("3 of 7").
        collapse_from: Fewest future reminders shown as one line.

    """
    messages = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.organization_id == organization_id,
               OutboxMessage.entity_type == entity_type,
               OutboxMessage.entity_id == entity_id)
        .order_by(col(OutboxMessage.due_at), col(OutboxMessage.id))
    ).all()
    events = session.exec(
        select(StatusEvent)
        .where(StatusEvent.organization_id == organization_id,
               StatusEvent.entity_type == entity_type,
               StatusEvent.entity_id == entity_id)
        .order_by(col(StatusEvent.at), col(StatusEvent.id))
    ).all()
    last_event_at: dict[int, datetime] = {}
    for event in events:
        if event.message_id is not None:
            last_event_at[event.message_id] = _aware(event.at)  # type: ignore[assignment]
    past: list[LogLine] = []
    future: list[LogLine] = []
    for m in messages:
        name = MESSAGE_NAMES.get(m.kind, "message")
        number = int((m.context or {}).get("reminder_number") or 0)
        if name == "reminder" and ((m.context or {}).get("manual") or number == 0):
            name, number = "remind_now", 0
        due = _aware(m.due_at)
        base = {"message": name, "number": number,
                "of": reminders_total if name == "reminder" else 0}
        if m.state in (MessageState.SCHEDULED.value, MessageState.SENDING.value):
            state = "retrying" if m.attempts and m.next_attempt_at else m.state
            future.append(LogLine(state=state, at=due, detail=m.last_error, **base))
        elif m.state == MessageState.SENT.value:
            past.append(LogLine(state="sent", at=_aware(m.sent_at) or due, **base))
        elif m.state == MessageState.FAILED.value:
            past.append(LogLine(state="failed", at=last_event_at.get(m.id or 0, due),
                                reason=failure_reason(m.last_error), detail=m.last_error,
                                **base))
        else:
            past.append(LogLine(state="cancelled", at=last_event_at.get(m.id or 0, due),
                                reason=_CANCEL_REASONS.get(m.last_error, "other"), **base))
    for event in events:
        if event.message_id is None and event.event in _ENTITY_EVENTS:
            past.append(LogLine(message="", state=event.event, at=_aware(event.at)))
    past.sort(key=lambda line: line.at)
    future.sort(key=lambda line: line.at)
    weekly = [line for line in future if line.message == "reminder" and line.state == "scheduled"]
    if len(weekly) >= collapse_from:
        others = [line for line in future if line not in weekly]
        group = LogLine(message="reminders", state="scheduled", at=weekly[0].at,
                        number=len(weekly), last_at=weekly[-1].at, group=tuple(weekly))
        future = others + [group]
    return past + future
