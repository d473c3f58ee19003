"""Factory functions with overridable defaults, for every test layer."""

import itertools
from datetime import datetime
from typing import Any

from sqlmodel import Session

from rxapp import clock
from rxapp.models import Module, Organization, Role, User
from rxapp.models.outbox import OutboxMessage
from rxapp.services.accounts.passwords import hash_password
from rxapp.services.common.outbox import schedule_message

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery"
# Hashing costs ~50 ms; one hash serves every factory user with the default password.
_DEFAULT_HASH = hash_password(PASSWORD)


def make_org(session: Session, **overrides: object) -> Organization:
    n = next(_seq)
    values: dict = {
        "name": f"Org {n}",
        "slug": f"org-{n}",
        "modules": [m.value for m in Module],
        "interactions_bought": 50,
        # Seats are tested on their own (test_plans); other tests invite freely.
        "team_seats": 100_000,
        "created_at": clock.now(),
    }
    values.update(overrides)
    org = Organization(**values)
    session.add(org)
    session.commit()
    return org


def make_user(
    session: Session,
    org: Organization,
    *,
    role: str = Role.ADMIN.value,
    password: str | None = None,
    created_at: datetime | None = None,
    **overrides: object,
) -> User:
    n = next(_seq)
    values: dict = {
        "organization_id": org.id,
        "email": f"user{n}@example.com",
        "full_name": f"User {n}",
        "password_hash": hash_password(password) if password else _DEFAULT_HASH,
        "role": role,
        "created_at": created_at or clock.now(),
    }
    values.update(overrides)
    user = User(**values)
    session.add(user)
    session.commit()
    return user


def make_organization(session: Session, **overrides: Any) -> Organization:
    n = next(_seq)
    values: dict[str, Any] = {"name": f"Org {n}", "slug": f"org-{n}", "modules": [],
                              "team_seats": 100_000}
    values.update(overrides)
    org = Organization(**values)
    session.add(org)
    session.flush()
    return org


def make_message(
    session: Session, *, organization_id: int, now: datetime, **overrides: Any
) -> OutboxMessage:
    n = next(_seq)
    values: dict[str, Any] = {
        "recipient": f"person{n}@example.com",
        "recipient_name": f"Person {n}",
        "kind": "test_message",
        "language": "en",
        "context": {"note": f"note {n}"},
        "due_at": now,
        "idempotency_key": f"test:{n}",
        "entity_type": "interaction",
        "entity_id": n,
    }
    values.update(overrides)
    return schedule_message(session, organization_id=organization_id, now=now, **values)


def bulk_messages(engine, *, organization_id: int, now: datetime, count: int, prefix: str):
    """Insert many due messages quickly (Core executemany), returning their Message-IDs."""
    from sqlalchemy import insert

    from rxapp.services.common.outbox import make_message_id

    rows = []
    for i in range(count):
        rows.append(
            {
                "organization_id": organization_id,
                "recipient": f"{prefix}{i}@example.com",
                "recipient_name": f"Bulk {i}",
                "kind": "test_message",
                "language": "en",
                "template": "test_message",
                "context": {"note": str(i)},
                "due_at": now,
                "state": "scheduled",
                "attempts": 0,
                "last_error": "",
                "idempotency_key": f"{prefix}:{i}",
                "message_id": make_message_id("beckon.test"),
                "created_at": now,
            }
        )
    with engine.begin() as conn:
        conn.execute(insert(OutboxMessage.__table__), rows)
    return [r["message_id"] for r in rows]


def make_participant(session: Session, *, organization_id: int, now: datetime, **overrides: Any):
    from rxapp.services.interactions.participants import add_participant

    n = next(_seq)
    values: dict[str, Any] = {
        "first_name": f"First{n}",
        "last_name": f"Last{n}",
        "email": f"participant{n}@example.com",
        "language": "en",
    }
    values.update(overrides)
    return add_participant(session, organization_id=organization_id, now=now, **values)
