"""Claiming, sweeping and fenced writes on the outbox: the database side of the engine.

* Claiming is one UPDATE ... RETURNING over ``state = 'scheduled' AND due_at <= now``
  (the ``(state, due_at)`` index), with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL and a
  compare-and-set on ``state`` everywhere, so several workers never claim one message.
* A claim gives the row a fresh ``claim_token`` and a lease stamped by the database
  clock. Every later write is fenced by that token, so a worker whose lease was swept
  and re-claimed cannot mark anything.
* Expired leases are swept by a separate statement, keeping the claim query free of OR.
"""

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import configure_mappers

from rxapp.models.outbox import MessageState, OutboxMessage, StatusEvent, StatusKind

logger = logging.getLogger(__name__)

OUTBOX = OutboxMessage.__table__
EVENTS = StatusEvent.__table__
SCHEDULED = MessageState.SCHEDULED.value
SENDING = MessageState.SENDING.value


@dataclass
class BatchResult:
    """Counts of what one run did, for logs and tests."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    released: int = 0  # lease too short to start a send: put back unsent
    lost: int = 0  # fenced mark found another claim: the lease was taken over
    paused: int = 0  # the server refused our sender: put back unsent, sending paused

    def add(self, other: "BatchResult") -> None:
        """Accumulate another result into this one."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def database_now(conn: Any) -> datetime:
    """Return the database's clock, the one every lease is stamped and swept by.

    Leases are compared across hosts, so they must not depend on any host's wall clock.
    SQLite is embedded: its clock is this host's.
    """
    if conn.dialect.name == "postgresql":
        return conn.execute(select(func.now())).scalar_one()
    return datetime.now(UTC)


def claim_due(
    engine: Engine,
    *,
    now: datetime,
    limit: int,
    lease_seconds: float,
    token: str | None = None,
    lease_from: datetime | None = None,
) -> list[OutboxMessage]:
    """Claim up to ``limit`` due messages for one worker, in one short transaction.

    Args:
        engine: Database engine.
        now: Current (business) time; messages with ``due_at <= now`` are due.
        limit: Batch size.
        lease_seconds: How long the claim holds before a sweep may hand it to another worker.
        token: Claim token (default: a fresh UUID).
        lease_from: Start of the lease (default: the database clock, see ``database_now``).

    Returns:
        The claimed messages, detached, ordered by due time, ``state == 'sending'``.

    """
    token = token or str(uuid.uuid4())
    due = (
        select(OUTBOX.c.id)
        .where(OUTBOX.c.state == SCHEDULED, OUTBOX.c.due_at <= now)
        .order_by(OUTBOX.c.due_at)
        .limit(limit)
        # PostgreSQL: rows another worker is claiming are skipped, not waited for.
        # SQLite drops this clause; its single writer plus the CAS below is enough.
        .with_for_update(skip_locked=True)
    )
    # A materialized CTE runs the locking SELECT exactly once; as an IN-subquery PostgreSQL
    # may re-run it during the UPDATE and claim more than `limit` rows.
    due_cte = due.cte("due").prefix_with("MATERIALIZED", dialect="postgresql")
    stmt = (
        update(OUTBOX)
        # Compare-and-set: only rows still scheduled when the write happens.
        .where(OUTBOX.c.id.in_(select(due_cte.c.id)), OUTBOX.c.state == SCHEDULED)
        .values(
            state=SENDING,
            claim_token=token,
            attempts=OUTBOX.c.attempts + 1,
        )
        .returning(*OUTBOX.c)
    )
    lease = timedelta(seconds=lease_seconds)
    with engine.begin() as conn:
        if lease_from is None and conn.dialect.name == "postgresql":
            # The database clock inside the claim itself: no extra round trip.
            stmt = stmt.values(lease_until=func.now() + lease)
        else:
            stmt = stmt.values(lease_until=(lease_from or database_now(conn)) + lease)
        rows = conn.execute(stmt).mappings().all()
    messages = detached_messages(rows)
    messages.sort(key=lambda m: (m.due_at, m.id or 0))
    return messages


def detached_messages(rows: Sequence[Mapping[str, Any]]) -> list[OutboxMessage]:
    """Outbox rows as detached messages, without validating them again.

    The values come from our own table (a claim's RETURNING, or a claimed row handed to
    a render process): ``model_construct`` is a tenth of ``__init__``'s cost, which
    dominated a 100-message claim and was an eighth of a render process's CPU.
    """
    configure_mappers()  # attribute access on constructed rows needs configured mappers
    return [OutboxMessage.model_construct(**row) for row in rows]


def sweep_expired_leases(engine: Engine, *, now: datetime | None = None) -> int:
    """Put messages whose worker's lease expired back to ``scheduled``.

    Their claim token is cleared, so the old worker's fenced marks find nothing.

    Args:
        engine: Database engine.
        now: Time to compare leases with (default: the database clock, as leases use).

    Returns:
        How many messages were put back.

    """
    with engine.begin() as conn:
        stmt = (
            update(OUTBOX)
            .where(OUTBOX.c.state == SENDING, OUTBOX.c.lease_until < (now or database_now(conn)))
            .values(state=SCHEDULED, claim_token=None, lease_until=None)
        )
        count = conn.execute(stmt).rowcount or 0
    if count:
        logger.warning("expired leases swept", extra={"count": count})
    return count


def begin_sqlite_transaction(conn: Any) -> None:
    """Make sure a SQLite connection is inside a transaction before a savepoint."""
    # pysqlite only issues BEGIN before DML; a SAVEPOINT as the first statement would start
    # its own transaction and its RELEASE would commit it. A no-op write makes pysqlite
    # BEGIN first, so savepoints nest inside the batch transaction.
    if conn.dialect.name != "sqlite":
        return
    driver = conn.connection.driver_connection
    if driver is not None and not driver.in_transaction:
        conn.exec_driver_sql("DELETE FROM outbox_message WHERE 0")


def fence(message: OutboxMessage) -> list[Any]:
    """Conditions that hold only while this claim of the message is still the current one."""
    return [
        OUTBOX.c.id == message.id,
        OUTBOX.c.claim_token == message.claim_token,
        OUTBOX.c.state == SENDING,
    ]


def status_values(message: OutboxMessage, event: StatusKind, detail: str, now: datetime) -> dict:
    """Column values of a status log line about a message."""
    return {
        "organization_id": message.organization_id,
        "entity_type": message.entity_type,
        "entity_id": message.entity_id,
        "event": event.value,
        "detail": detail,
        "message_id": message.id,
        "at": now,
    }


def fenced_update(
    conn: Any,
    message: OutboxMessage,
    values: dict[str, Any],
    event: StatusKind | None,
    detail: str,
    now: datetime,
) -> bool:
    """Update a message only while our claim holds, logging ``event`` when it did."""
    done = conn.execute(update(OUTBOX).where(*fence(message)).values(**values)).rowcount == 1
    if done and event is not None and message.entity_type is not None:
        conn.execute(insert(EVENTS).values(**status_values(message, event, detail, now)))
    return done


def failed_values(detail: str) -> dict[str, Any]:
    """Column values of a message that failed for good."""
    return {
        "state": MessageState.FAILED.value,
        "claim_token": None,
        "lease_until": None,
        "next_attempt_at": None,
        "last_error": detail,
    }


def release(engine: Engine, message: OutboxMessage) -> int:
    """Put a claimed message back to ``scheduled`` unsent, without counting an attempt.

    Returns:
        1 when released, 0 when the claim was no longer ours.

    """
    values = {
        "state": SCHEDULED,
        "claim_token": None,
        "lease_until": None,
        "attempts": OUTBOX.c.attempts - 1,
    }
    with engine.begin() as conn:
        return conn.execute(update(OUTBOX).where(*fence(message)).values(**values)).rowcount
