"""Factory functions with overridable defaults, for every test layer."""

import itertools
from datetime import datetime

from sqlmodel import Session

from rxapp import clock
from rxapp.models import Module, Organization, Role, User
from rxapp.services.passwords import hash_password

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
