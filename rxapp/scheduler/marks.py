"""Fenced writes around a send: re-checking claimed messages, recording results.

Results are recorded by group commit.

Every send in a group is already over, and each connection waits for its commit before
it finishes another message, so a failure here leaves at most one unmarked message per
connection, as a crash would.
"""

import functools
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from rxapp.mail.transport import SendOutcome, SendResult
from rxapp.models.accounts import Organization
from rxapp.models.outbox import MessageState, OutboxMessage, StatusKind
from rxapp.scheduler import kinds
from rxapp.scheduler.claims import (
    EVENTS,
    OUTBOX,
    SCHEDULED,
    SENDING,
    BatchResult,
    begin_sqlite_transaction,
    failed_values,
    fenced_update,
    status_values,
)
from rxapp.scheduler.retry import RetryPolicy

logger = logging.getLogger(__name__)

CANCELLED = MessageState.CANCELLED.value
SENT_DESPITE_CANCEL = "sent: the cancellation came while it was being sent"


def retry_or_fail(
    conn: Any,
    message: OutboxMessage,
    detail: str,
    now: datetime,
    result: BatchResult,
    policy: RetryPolicy,
) -> None:
    """Schedule a retry after a temporary failure, or fail the message past the cap."""
    retry_at = policy.next_attempt_at(message.attempts, now)
    if retry_at is None:
        detail = f"gave up after {message.attempts} attempts: {detail}"
        if fenced_update(conn, message, failed_values(detail), StatusKind.FAILED, detail, now):
            result.failed += 1
        else:
            result.lost += 1
        return
    values = {
        "state": SCHEDULED,
        "due_at": retry_at,
        "next_attempt_at": retry_at,
        "claim_token": None,
        "lease_until": None,
        "last_error": detail,
    }
    # No status event for a retry: the log shows outcomes, not every hiccup.
    if fenced_update(conn, message, values, None, detail, now):
        result.retried += 1
    else:
        result.lost += 1


def _sent_values(now: datetime, detail: str) -> dict[str, Any]:
    return {
        "state": MessageState.SENT.value,
        "sent_at": now,
        "claim_token": None,
        "lease_until": None,
        "next_attempt_at": None,
        "last_error": detail,
    }


def _record_sent_despite_cancel(conn: Any, message: OutboxMessage, now: datetime) -> bool:
    """Tell the truth about a message cancelled while the server was accepting it.

    The cancel cleared our claim token, so the fenced mark missed; the server has the
    email all the same. The row and the status log say it was sent, after the cancel.
    """
    done = (
        conn.execute(
            update(OUTBOX)
            .where(
                OUTBOX.c.id == message.id,
                OUTBOX.c.state == CANCELLED,
                OUTBOX.c.claim_token.is_(None),
            )
            .values(**_sent_values(now, SENT_DESPITE_CANCEL))
        ).rowcount
        == 1
    )
    if done and message.entity_type is not None:
        conn.execute(
            insert(EVENTS).values(
                **status_values(message, StatusKind.SENT, SENT_DESPITE_CANCEL, now)
            )
        )
    return done


def _mark_sent(conn: Any, keys: list[tuple[Any, Any]], now: datetime) -> set[int]:
    """Mark clean deliveries sent and log them, fenced by ``(id, claim_token)``.

    Prewritten statements (see ``PG_MARK_SENT``): on PostgreSQL the update and the status
    log insert are one statement; on SQLite an ``UPDATE ... RETURNING`` and one insert.

    Returns:
        The ids that were still ours and are now marked.

    """
    if conn.dialect.name == "postgresql":
        params = {"now": now, "ids": [k[0] for k in keys], "tokens": [k[1] for k in keys]}
        return {row[0] for row in conn.exec_driver_sql(PG_MARK_SENT, params)}
    at = _sqlite_datetime(conn.dialect)(now)
    pairs = ", ".join(["(?, ?)"] * len(keys))
    rows = conn.exec_driver_sql(
        _SQLITE_MARK_SENT.format(pairs=pairs), (at, *[v for key in keys for v in key])
    ).all()
    events = [
        (org_id, entity_type, entity_id, message_id, at)
        for message_id, org_id, entity_type, entity_id in rows
        if entity_type is not None
    ]
    if events:
        conn.exec_driver_sql(_SQLITE_LOG_SENT, events)
    return {row[0] for row in rows}


@functools.cache
def _sqlite_datetime(dialect: Any) -> Any:
    # SQLite stores datetimes as text: the same text SQLAlchemy writes for the column.
    column_type = DateTime().dialect_impl(dialect)
    return column_type.bind_processor(dialect) or (lambda value: value)


# Only our own table and state names are formatted in; the data goes as parameters.
_SQLITE_MARK_SENT = (
    f"UPDATE {OUTBOX.name} SET state = '{MessageState.SENT.value}', sent_at = ?,"  # noqa: S608
    " claim_token = NULL, lease_until = NULL, next_attempt_at = NULL, last_error = ''"
    f" WHERE state = '{SENDING}' AND (id, claim_token) IN (VALUES {{pairs}})"
    " RETURNING id, organization_id, entity_type, entity_id"
)
_SQLITE_LOG_SENT = (
    f"INSERT INTO {EVENTS.name}"  # noqa: S608
    " (organization_id, entity_type, entity_id, event, detail, message_id, at)"
    f" VALUES (?, ?, ?, '{StatusKind.SENT.value}', '', ?, ?)"
)


def mark_many(
    engine: Engine,
    items: Sequence[tuple[OutboxMessage, SendResult]],
    now: datetime,
    policy: RetryPolicy,
) -> list[BatchResult]:
    """Record finished sends, fenced by their claim tokens, in one short transaction.

    This is group commit: the connections whose sends finished while the previous
    commit ran share the next one.

    Args:
        engine: Database engine.
        items: Each message with what the server said.
        now: Time of the marks (``sent_at``, status log).
        policy: Retry backoff for temporary failures.

    Returns:
        One result per item, in order.

    """
    results = [BatchResult() for _ in items]
    plain_sent = {i for i, (_m, o) in enumerate(items) if is_clean(o)}
    with engine.begin() as conn:
        if plain_sent:
            keys = [(items[i][0].id, items[i][0].claim_token) for i in sorted(plain_sent)]
            marked = _mark_sent(conn, keys, now)
            for i in sorted(plain_sent):
                message = items[i][0]
                if message.id in marked or _record_sent_despite_cancel(conn, message, now):
                    results[i].sent += 1
                else:
                    results[i].lost += 1
        for i, (message, outcome) in enumerate(items):
            if i in plain_sent:
                continue
            result = results[i]
            if outcome.outcome is SendOutcome.ACCEPTED:
                # Partial refusals are kept as last_error so the UI can show them.
                values = _sent_values(now, outcome.detail)
                if fenced_update(
                    conn, message, values, StatusKind.SENT, "", now
                ) or _record_sent_despite_cancel(conn, message, now):
                    result.sent += 1
                else:
                    result.lost += 1
            elif outcome.outcome is SendOutcome.PERMANENT:
                values = failed_values(outcome.detail)
                if fenced_update(conn, message, values, StatusKind.FAILED, outcome.detail, now):
                    result.failed += 1
                else:
                    result.lost += 1
            else:
                retry_or_fail(conn, message, outcome.detail, now, result, policy)
    for (message, _outcome), result in zip(items, results, strict=True):
        if result.lost:
            logger.warning(
                "lease lost before marking; leaving the message to its new owner",
                extra={"outbox_id": message.id},
            )
    return results


# The PostgreSQL form of ``_mark_sent`` for the fast path (``scheduler.fast_marks``),
# written out once: building and compiling the SQLAlchemy statement for every group cost
# more CPU than the write itself. The keys travel as two arrays, so the text never
# changes with the group's size, and the one statement is atomic on its own.
PG_MARK_SENT = f"""
WITH done AS (
    UPDATE {OUTBOX.name}
       SET state = '{MessageState.SENT.value}', sent_at = %(now)s, claim_token = NULL,
           lease_until = NULL, next_attempt_at = NULL, last_error = ''
     WHERE state = '{SENDING}'
       AND (id, claim_token) IN (
           SELECT * FROM unnest(%(ids)s::integer[], %(tokens)s::varchar[]))
 RETURNING id, organization_id, entity_type, entity_id
), log AS (
    INSERT INTO {EVENTS.name}
           (organization_id, entity_type, entity_id, event, detail, message_id, at)
    SELECT organization_id, entity_type, entity_id, '{StatusKind.SENT.value}', '', id, %(now)s
      FROM done WHERE entity_type IS NOT NULL
)
SELECT id FROM done
"""  # noqa: S608 - only our own table and state names; the data goes as parameters


def is_clean(outcome: SendResult) -> bool:
    """Whether a send was accepted for every recipient (marked by the fast path)."""
    return outcome.outcome is SendOutcome.ACCEPTED and not outcome.refused


def _run_checks(
    session: Session, messages: Sequence[OutboxMessage], now: datetime
) -> dict[Any, str | None | Exception]:
    """Each message's send-time verdict: a reason to cancel, None, or the check's error."""
    verdicts: dict[Any, str | None | Exception] = {m.id: None for m in messages}
    # Only kinds with a check need one (and its savepoint round trips).
    messages = [m for m in messages if kinds.hooks_for(m.kind).check is not None]
    if not messages:
        return verdicts
    try:
        with session.begin_nested():
            return verdicts | {m.id: kinds.check(session, m, now) for m in messages}
    except Exception:  # noqa: S110 - found again below, one savepoint each, and logged
        pass
    for message in messages:
        try:
            with session.begin_nested():
                verdicts[message.id] = kinds.check(session, message, now)
        except Exception as exc:
            # Rolled back to the savepoint: the batch's transaction is usable again.
            logger.exception("send check failed", extra={"outbox_id": message.id})
            verdicts[message.id] = exc
    return verdicts


def prepare_claimed(
    engine: Engine, messages: Sequence[OutboxMessage], now: datetime, policy: RetryPolicy
) -> tuple[list[tuple[OutboxMessage, str, str]], BatchResult]:
    """Re-check each claimed message and look up sender names, in one transaction.

    The checks run in a savepoint: on PostgreSQL an error aborts the whole transaction,
    and without it one bad message would roll back the batch and make every healthy
    message in it climb towards "gave up". One savepoint for all checks is the common
    case; when one fails, they run again one savepoint each to find the bad one.
    """
    result = BatchResult(claimed=len(messages))
    ready: list[tuple[OutboxMessage, str, str]] = []
    with Session(engine, expire_on_commit=False) as session:
        conn = session.connection()
        begin_sqlite_transaction(conn)
        org_ids = {m.organization_id for m in messages}
        senders = {
            org_id: (sender_name or name, contact or "")
            for org_id, name, sender_name, contact in session.execute(
                select(
                    Organization.id,
                    Organization.name,
                    Organization.sender_name,
                    Organization.contact_email,
                ).where(
                    Organization.id.in_(org_ids)  # type: ignore[union-attr]
                )
            ).all()
        }
        checkable = [m for m in messages if m.attempts <= policy.max_attempts]
        verdicts = _run_checks(session, checkable, now)
        for message in messages:
            if message.attempts > policy.max_attempts:
                # Claimed again and again without a result: it keeps killing workers.
                detail = f"gave up after {message.attempts - 1} attempts"
                if fenced_update(
                    conn, message, failed_values(detail), StatusKind.FAILED, detail, now
                ):
                    result.failed += 1
                continue
            reason = verdicts[message.id]
            if isinstance(reason, Exception):
                detail = f"send check error: {reason}"
                retry_or_fail(conn, message, detail, now, result, policy)
                continue
            if reason:
                values = {
                    "state": MessageState.CANCELLED.value,
                    "claim_token": None,
                    "lease_until": None,
                    "next_attempt_at": None,
                    "last_error": reason,
                }
                if fenced_update(conn, message, values, StatusKind.CANCELLED, reason, now):
                    result.cancelled += 1
                continue
            name, reply_to = senders.get(message.organization_id, ("", ""))
            ready.append((message, name, reply_to))
        session.commit()
    return ready, result
