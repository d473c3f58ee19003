"""Scheduling and cancelling emails through the outbox (R-MSG-1, R-MSG-2).

Services call :func:`schedule_message` inside the transaction of the action that causes
the email (zulip's ``do_invite_users`` + ``send_future_email``): either both commit or
neither does. Only the scheduler talks to SMTP.
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rxapp.models.common import LANGUAGES
from rxapp.models.outbox import MessageState, OutboxMessage, StatusKind
from rxapp.services.common.errors import DomainError
from rxapp.services.common.status_log import record_status
from rxapp.settings import get_settings

SendCheck = Callable[[Session, OutboxMessage, datetime], str | None]
"""A kind's send-time check: returns a reason to cancel, or None if still wanted."""

QUEUED_STATES = (MessageState.SCHEDULED.value, MessageState.SENDING.value)


class DuplicateMessage(DomainError):
    """A message with this idempotency key was already scheduled.

    A domain error: the same intent twice (a double click, two tabs) is refused with a
    message the user can read, never a server error.
    """

    def __init__(self, idempotency_key: str) -> None:
        super().__init__("outbox.already_scheduled")
        self.idempotency_key = idempotency_key


@dataclass(frozen=True)
class MessageRow:
    """An outbox message as pages show it (R-MSG-5): what, to whom, when, in which state."""

    id: int
    kind: str
    recipient: str
    state: str
    due_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str


def make_message_id(domain: str | None = None) -> str:
    """Return a new RFC 5322 Message-ID in the sender's domain.

    Made once at scheduling so every retry of a message carries the same id (R-MSG-3).
    """
    if domain is None:
        address = parseaddr(get_settings().mail_from)[1]
        domain = address.rpartition("@")[2] or "beckon.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")


def _begin_sqlite_transaction(session: Session) -> None:
    # pysqlite only issues BEGIN before DML; a SAVEPOINT as the first statement would
    # start its own transaction and RELEASE would commit it, escaping the caller's
    # rollback. A no-op DELETE makes pysqlite BEGIN first, so the savepoint nests.
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return
    driver = conn.connection.driver_connection
    if driver is not None and not driver.in_transaction:
        conn.exec_driver_sql("DELETE FROM outbox_message WHERE 0")


def schedule_message(
    session: Session,
    *,
    organization_id: int,
    recipient: str,
    kind: str,
    language: str,
    context: dict[str, Any],
    due_at: datetime,
    idempotency_key: str,
    entity_type: str | None = None,
    entity_id: int | None = None,
    recipient_name: str = "",
    template: str | None = None,
    now: datetime,
) -> OutboxMessage:
    """Queue one email in the caller's transaction, without committing.

    Args:
        session: The caller's session; the message commits with the caller's action.
        organization_id: Tenant sending the email.
        recipient: Email address.
        kind: Message kind (a template folder and a send-check key), e.g. ``"password_reset"``.
        language: Recipient's language; unknown languages fall back to English.
        context: JSON-serialisable values for the template.
        due_at: Earliest send time (aware).
        idempotency_key: Unique per intended email, e.g. ``"interaction:42:reminder:3"``.
        entity_type: What the message concerns (for the status log and cancellation).
        entity_id: Primary key of that entity.
        recipient_name: Display name for the To header.
        template: Template folder when it differs from ``kind``.
        now: Current time (aware).

    Returns:
        The flushed message (its id is set).

    Raises:
        DuplicateMessage: The idempotency key is taken; the caller's transaction survives.

    """
    _require_aware("due_at", due_at)
    _require_aware("now", now)
    if (entity_type is None) != (entity_id is None):
        raise ValueError("entity_type and entity_id go together")
    message = OutboxMessage(
        organization_id=organization_id,
        recipient=recipient.strip(),
        recipient_name=recipient_name,
        kind=kind,
        language=language if language in LANGUAGES else "en",
        template=template or kind,
        context=dict(context),
        due_at=due_at,
        idempotency_key=idempotency_key,
        entity_type=entity_type,
        entity_id=entity_id,
        message_id=make_message_id(),
        created_at=now,
    )
    _begin_sqlite_transaction(session)
    try:
        # A savepoint, so a duplicate key undoes only this insert, not the caller's work.
        with session.begin_nested():
            session.add(message)
            session.flush()
    except IntegrityError as exc:
        raise DuplicateMessage(idempotency_key) from exc
    if entity_type is not None and entity_id is not None:
        record_status(
            session,
            organization_id=organization_id,
            entity_type=entity_type,
            entity_id=entity_id,
            event=StatusKind.SCHEDULED,
            now=now,
            detail=f"{kind} due {due_at.isoformat()}",
            message_id=message.id,
        )
    return message


def cancel_messages(
    session: Session,
    *,
    entity_type: str,
    entity_id: int,
    kinds: Iterable[str] | None = None,
    now: datetime,
    reason: str = "cancelled",
) -> int:
    """Cancel every queued message of an entity, in the caller's transaction.

    A message a worker is sending right now is cancelled too; its claim token is cleared,
    so the worker's fenced mark finds nothing (the email may already be on its way).

    Args:
        session: The caller's session; nothing is committed here.
        entity_type: What the messages concern.
        entity_id: Primary key of that entity.
        kinds: Only these kinds (e.g. reminders); None cancels every kind.
        now: Current time (aware).
        reason: Stored as the messages' last error and in the status log.

    Returns:
        How many messages were cancelled.

    """
    _require_aware("now", now)
    conditions = [
        OutboxMessage.entity_type == entity_type,
        OutboxMessage.entity_id == entity_id,
        col(OutboxMessage.state).in_(QUEUED_STATES),
    ]
    if kinds is not None:
        conditions.append(col(OutboxMessage.kind).in_(list(kinds)))
    rows = session.exec(
        select(OutboxMessage.id, OutboxMessage.organization_id).where(*conditions)
    ).all()
    if not rows:
        return 0
    ids = [row[0] for row in rows]
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(ids), col(OutboxMessage.state).in_(QUEUED_STATES))
        .values(
            state=MessageState.CANCELLED.value,
            claim_token=None,
            lease_until=None,
            next_attempt_at=None,
            last_error=reason,
        )
        .execution_options(synchronize_session=False)
    )
    for message_pk, organization_id in rows:
        record_status(
            session,
            organization_id=organization_id,
            entity_type=entity_type,
            entity_id=entity_id,
            event=StatusKind.CANCELLED,
            now=now,
            detail=reason,
            message_id=message_pk,
        )
    # Objects already loaded in this session must not show the old state.
    for obj in session.identity_map.values():
        if isinstance(obj, OutboxMessage) and obj.id in ids:
            session.expire(obj)
    return len(ids)


def list_messages_for(
    session: Session, *, organization_id: int, entity_type: str, entity_id: int
) -> list[MessageRow]:
    """Return what was sent and what is still scheduled for one entity (R-MSG-5).

    Args:
        session: Any session.
        organization_id: The viewer's organization; other tenants' messages never match.
        entity_type: What the messages concern.
        entity_id: Primary key of that entity.

    Returns:
        View rows ordered by due time.

    """
    rows = session.exec(
        select(OutboxMessage)
        .where(
            OutboxMessage.organization_id == organization_id,
            OutboxMessage.entity_type == entity_type,
            OutboxMessage.entity_id == entity_id,
        )
        .order_by(col(OutboxMessage.due_at), col(OutboxMessage.id))
    ).all()
    return [
        MessageRow(
            id=m.id or 0,
            kind=m.kind,
            recipient=m.recipient,
            state=m.state,
            due_at=m.due_at,
            sent_at=m.sent_at,
            attempts=m.attempts,
            last_error=m.last_error,
        )
        for m in rows
    ]
