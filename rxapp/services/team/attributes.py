"""Addresses and the organization's attribute lists (R-TEAM-2, R-TEAM-3)."""

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from rxapp.models import (
    AttributeKind,
    AttributeOption,
    InvitationState,
    TeamInvitation,
    User,
)
from rxapp.models.team import LIST_KINDS
from rxapp.services.accounts.auth import Principal, email_problem, normalize_email
from rxapp.services.common.errors import DomainError
from rxapp.services.team.base import (
    CLASSES_OF_SERVICE,
    MAX_ADDRESSES,
    MAX_OPTION_LENGTH,
    InviteResult,
    Outcome,
    _require_admin,
)

logger = logging.getLogger(__name__)


# --- addresses and attributes -------------------------------------------------

_SPLIT = re.compile(r"[\s,;]+")


def split_addresses(text: str) -> list[str]:
    """Split typed or pasted text into addresses (comma, semicolon, space or newline)."""
    return [part for part in _SPLIT.split(text or "") if part]


def list_options(session: Session, *, principal: Principal) -> dict[str, list[str]]:
    """Return the organization's attribute lists, each sorted, plus the fixed class of service."""
    _require_admin(principal)
    rows = session.exec(
        select(AttributeOption)
        .where(AttributeOption.organization_id == principal.organization_id)
        .order_by(AttributeOption.kind, AttributeOption.value)
    ).all()
    options: dict[str, list[str]] = {kind: [] for kind in LIST_KINDS}
    for row in rows:
        options.setdefault(row.kind, []).append(row.value)
    options[AttributeKind.CLASS_OF_SERVICE.value] = list(CLASSES_OF_SERVICE)
    return options


def clean_attributes(
    attributes: object, *, options: dict[str, list[str]]
) -> dict[str, Any]:
    """Return attributes limited to known kinds and the organization's values.

    Raises:
        DomainError: a value is not in the organization's list (``field`` names the kind).

    """
    raw = attributes if isinstance(attributes, dict) else {}
    clean: dict[str, Any] = {}
    for kind in LIST_KINDS:
        values = raw.get(kind) or []
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list | tuple):
            raise DomainError("team.error.attribute_unknown", field=kind)
        allowed = set(options.get(kind, []))
        chosen: list[str] = []
        for value in values:
            if not isinstance(value, str) or value not in allowed:
                raise DomainError("team.error.attribute_unknown", field=kind)
            if value not in chosen:
                chosen.append(value)
        clean[kind] = sorted(chosen)
    cos = raw.get(AttributeKind.CLASS_OF_SERVICE.value) or ""
    if cos and cos not in CLASSES_OF_SERVICE:
        raise DomainError("team.error.attribute_unknown", field="class_of_service")
    clean[AttributeKind.CLASS_OF_SERVICE.value] = cos
    return clean


def _existing(session: Session, *, organization_id: int, emails: Sequence[str], now: datetime):
    """Members and pending invitations of this organization among ``emails``.

    Accounts of other organizations are deliberately not looked at: saying "has an
    account elsewhere" would let any admin probe who uses Beckon anywhere (finding
    13.5). Such an address is invited like any other; its owner learns on the join
    page that the address already has an account.
    """
    members: set[str] = set()
    invited: set[str] = set()
    unique = sorted(set(emails))
    for start in range(0, len(unique), 500):
        chunk = unique[start:start + 500]
        members.update(session.exec(
            select(User.email).where(
                User.organization_id == organization_id, col(User.email).in_(chunk)
            )
        ).all())
        for email in session.exec(
            select(TeamInvitation.email).where(
                TeamInvitation.organization_id == organization_id,
                TeamInvitation.state == InvitationState.PENDING.value,
                TeamInvitation.expires_at > now,
                col(TeamInvitation.email).in_(chunk),
            )
        ).all():
            invited.add(email)
    return members, invited


def check_addresses(
    session: Session, *, principal: Principal, emails: Iterable[str], now: datetime
) -> list[InviteResult]:
    """Say, without changing anything, what inviting each address would do (the chips)."""
    _require_admin(principal)
    results: list[InviteResult] = []
    normalized = [normalize_email(e) for e in list(emails)[:MAX_ADDRESSES]]
    valid = [e for e in normalized if email_problem(e) is None]
    members, invited = _existing(
        session, organization_id=principal.organization_id, emails=valid, now=now
    )
    seen: set[str] = set()
    for email in normalized:
        if email_problem(email) is not None:
            outcome = Outcome.INVALID
        elif email in seen:
            outcome = Outcome.DUPLICATE
        elif email in members:
            outcome = Outcome.ALREADY_MEMBER
        elif email in invited:
            outcome = Outcome.ALREADY_INVITED
        else:
            outcome = Outcome.INVITED
        seen.add(email)
        results.append(InviteResult(email=email, outcome=outcome))
    return results




def add_option(session: Session, *, principal: Principal, kind: str, value: str) -> None:
    """Add a value to one of the organization's attribute lists.

    Raises:
        NotAllowed: not an admin.
        DomainError: unknown list, empty, too long or already there.

    """
    _require_admin(principal)
    if kind not in LIST_KINDS:
        raise DomainError("team.error.attribute_unknown", field="kind")
    value = (value if isinstance(value, str) else "").strip()
    if not value:
        raise DomainError("team.error.option_required", field=kind)
    if len(value) > MAX_OPTION_LENGTH or "," in value or ";" in value:
        raise DomainError("team.error.option_invalid", field=kind)
    # "Chat" and "chat" would be two chips nobody can tell apart: unique regardless of case.
    taken = {v.casefold() for v in list_options(session, principal=principal)[kind]}
    if value.casefold() in taken:
        raise DomainError("team.error.option_exists", field=kind)
    session.add(AttributeOption(organization_id=principal.organization_id, kind=kind,
                                value=value))
    session.flush()


def remove_option(session: Session, *, principal: Principal, kind: str, value: str) -> None:
    """Remove a value from a list; members and invitations keep what they already have."""
    _require_admin(principal)
    row = session.exec(select(AttributeOption).where(
        AttributeOption.organization_id == principal.organization_id,
        AttributeOption.kind == kind, AttributeOption.value == value,
    )).first()
    if row is not None:
        session.delete(row)
        session.flush()


