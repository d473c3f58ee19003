"""Per-organization API keys for the purchases API: shown once, stored hashed, revocable."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from rxapp.models.reviews import ApiKey
from rxapp.services.common.errors import DomainError, NotFound
from rxapp.services.common.tokens import hash_token, same_hash

SCOPE_PURCHASES = "purchases"
KEY_PREFIX = "bk_"
# The part shown in lists ("bk_Ab3dE9..."), enough to tell keys apart, useless to log in.
_SHOWN = 10


@dataclass(frozen=True)
class ApiKeyRow:
    """A key as the settings page lists it (never its hash)."""

    id: int
    name: str
    prefix: str
    scope: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


@dataclass(frozen=True)
class NewApiKey:
    """A key just created: ``plaintext`` is shown once and stored nowhere."""

    row: ApiKeyRow
    plaintext: str


def _row(key: ApiKey) -> ApiKeyRow:
    return ApiKeyRow(
        id=key.id or 0,
        name=key.name,
        prefix=key.prefix,
        scope=key.scope,
        created_at=key.created_at,
        last_used_at=key.last_used_at,
        revoked=key.revoked_at is not None,
    )


def create_api_key(
    session: Session,
    *,
    organization_id: int,
    name: str,
    created_by: int | None,
    now: datetime,
    scope: str = SCOPE_PURCHASES,
) -> NewApiKey:
    """Create a key; its plaintext is returned once (show it, then forget it).

    Raises:
        DomainError: The name is longer than 100 characters.

    """
    name = (name or "").strip()
    if len(name) > 100:
        raise DomainError("reviews.name_too_long", "name")
    if scope != SCOPE_PURCHASES:
        raise DomainError("reviews.invalid", "scope")
    plaintext = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        organization_id=organization_id,
        name=name,
        prefix=plaintext[:_SHOWN],
        key_hash=hash_token(plaintext),
        scope=scope,
        created_at=now,
        created_by=created_by,
    )
    session.add(key)
    session.flush()
    return NewApiKey(row=_row(key), plaintext=plaintext)


def list_api_keys(session: Session, *, organization_id: int) -> list[ApiKeyRow]:
    """The organization's keys, newest first."""
    keys = session.exec(
        select(ApiKey)
        .where(ApiKey.organization_id == organization_id)
        .order_by(col(ApiKey.created_at).desc(), col(ApiKey.id).desc())
    ).all()
    return [_row(k) for k in keys]


def revoke_api_key(session: Session, *, organization_id: int, key_id: int, now: datetime) -> None:
    """Revoke a key of the organization; requests with it fail from now on.

    Raises:
        NotFound: No such key in this organization.

    """
    key = session.get(ApiKey, key_id) if isinstance(key_id, int) else None
    if key is None or key.organization_id != organization_id:
        raise NotFound("error.not_found")
    if key.revoked_at is None:
        key.revoked_at = now
        session.add(key)
        session.flush()


def authenticate(session: Session, *, plaintext: str, scope: str, now: datetime) -> int | None:
    """The organization id of a valid, unrevoked key with the scope, else None."""
    if not plaintext or not plaintext.startswith(KEY_PREFIX) or len(plaintext) > 200:
        return None
    wanted = hash_token(plaintext)
    key = session.exec(select(ApiKey).where(ApiKey.key_hash == wanted)).first()
    if key is None or key.revoked_at is not None or key.scope != scope:
        return None
    if not same_hash(key.key_hash, wanted):
        return None
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        key.last_used_at = now  # at most one write a minute per key
        session.add(key)
    return key.organization_id
