"""One unsubscribe for every kind of invitation, and one contact cap per person (R-PLUS-8).

Links carry a signed, stateless token naming the organization, the address and the scope,
so an unsubscribe works without a table lookup and cannot be forged for another address.
Every kind's send check calls :func:`check_contact_rules`: an unsubscribed person gets
nothing more of that kind (or of any kind, for "all"), and nobody gets more than the
organization's cap of non-transactional emails in its window.
"""

import base64
import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rxapp import routes
from rxapp.models.contact import ContactPolicy, Unsubscribe, UnsubscribeScope
from rxapp.models.outbox import MessageState, OutboxMessage
from rxapp.settings import get_secret_key

# Messages a person asked for, or needs, whatever they unsubscribed from: never capped.
# Meeting emails confirm, move or cancel a meeting the person has: transactional too.
TRANSACTIONAL_KINDS = frozenset(
    {"password_reset", "test_message", "interaction_report", "meeting_accepted", "meeting_notice"}
)
# Outbox kind prefix -> the scope an unsubscribe names.
_SCOPE_OF_PREFIX = {
    "interaction_": UnsubscribeScope.INTERACTIONS,
    "review_": UnsubscribeScope.REVIEWS,
    "team_": UnsubscribeScope.TEAM,
    "meeting_": UnsubscribeScope.MEETINGS,
}
_SIG_BYTES = 16


def scope_of_kind(kind: str) -> UnsubscribeScope | None:
    """The unsubscribe scope of an outbox kind; None for transactional kinds."""
    if kind in TRANSACTIONAL_KINDS:
        return None
    for prefix, scope in _SCOPE_OF_PREFIX.items():
        if kind.startswith(prefix):
            return scope
    return None


def _normal(email: str) -> str:
    return email.strip().lower()


def _sign(payload: bytes) -> bytes:
    return hmac.new(get_secret_key(), b"unsubscribe:" + payload, hashlib.sha256).digest()[
        :_SIG_BYTES
    ]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def unsubscribe_token(*, organization_id: int, email: str, scope: str) -> str:
    """A signed token naming who stops receiving what from whom (put in every email)."""
    payload = f"{organization_id}:{UnsubscribeScope(scope).value}:{_normal(email)}".encode()
    return f"{_b64(payload)}.{_b64(_sign(payload))}"


def read_unsubscribe_token(token: str) -> tuple[int, str, str] | None:
    """Return ``(organization_id, email, scope)`` of a valid token, else None."""
    try:
        data, _, sig = (token or "").partition(".")
        payload = _unb64(data)
        if not hmac.compare_digest(_unb64(sig), _sign(payload)):
            return None
        org, scope, email = payload.decode("utf-8").split(":", 2)
        return int(org), email, UnsubscribeScope(scope).value
    except (ValueError, UnicodeDecodeError):
        return None


def unsubscribe(
    session: Session, *, organization_id: int, email: str, scope: str, now: datetime
) -> bool:
    """Record an unsubscribe in the caller's transaction.

    Args:
        session: The caller's session; nothing is committed here.
        organization_id: The organization the person no longer wants to hear from.
        email: The person's address (case ignored).
        scope: A :class:`UnsubscribeScope` value; ``all`` stops every kind.
        now: Current time.

    Returns:
        True when new, False when the person had already unsubscribed from that scope.

    """
    scope = UnsubscribeScope(scope).value
    email = _normal(email)
    exists = session.exec(
        select(Unsubscribe.id).where(
            Unsubscribe.organization_id == organization_id,
            Unsubscribe.email == email,
            Unsubscribe.scope == scope,
        )
    ).first()
    if exists:
        return False
    try:
        with session.begin_nested():
            session.add(
                Unsubscribe(
                    organization_id=organization_id, email=email, scope=scope, created_at=now
                )
            )
            session.flush()
    except IntegrityError:
        return False  # a concurrent click recorded it first
    return True


def is_unsubscribed(session: Session, *, organization_id: int, email: str, scope: str) -> bool:
    """Whether the person stopped this scope, or everything, from this organization."""
    return (
        session.exec(
            select(Unsubscribe.id).where(
                Unsubscribe.organization_id == organization_id,
                Unsubscribe.email == _normal(email),
                col(Unsubscribe.scope).in_([scope, UnsubscribeScope.ALL.value]),
            )
        ).first()
        is not None
    )


def contact_policy(session: Session, *, organization_id: int) -> ContactPolicy:
    """The organization's contact cap (a default, unsaved, off cap when none is set)."""
    policy = session.exec(
        select(ContactPolicy).where(ContactPolicy.organization_id == organization_id)
    ).first()
    return policy or ContactPolicy(organization_id=organization_id)


def set_contact_policy(
    session: Session, *, organization_id: int, max_emails: int, per_days: int
) -> ContactPolicy:
    """Set "at most N emails in M days" per person; N = 0 turns the cap off.

    Raises:
        ValueError: Negative count or a window under one day.

    """
    if max_emails < 0 or per_days < 1 or per_days > 3650 or max_emails > 1000:
        raise ValueError("contact cap out of range")
    policy = contact_policy(session, organization_id=organization_id)
    policy.max_emails = max_emails
    policy.per_days = per_days
    session.add(policy)
    session.flush()
    return policy


def over_contact_cap(session: Session, *, organization_id: int, email: str, now: datetime) -> bool:
    """Whether the person already got the organization's maximum of emails in its window."""
    policy = contact_policy(session, organization_id=organization_id)
    if policy.max_emails <= 0:
        return False
    sent = session.exec(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.organization_id == organization_id,
            OutboxMessage.recipient == email.strip(),
            col(OutboxMessage.sent_at) >= now - timedelta(days=policy.per_days),
            OutboxMessage.state == MessageState.SENT.value,
            col(OutboxMessage.kind).not_in(sorted(TRANSACTIONAL_KINDS)),
        )
    ).one()
    return sent >= policy.max_emails


def check_contact_rules(session: Session, message: OutboxMessage, now: datetime) -> str | None:
    """Send check every kind calls: unsubscribed, or over the contact cap (R-PLUS-8).

    Returns:
        The reason to cancel (shown in the status log), or None to send.

    """
    scope = scope_of_kind(message.kind)
    if scope is None:
        return None
    if is_unsubscribed(
        session,
        organization_id=message.organization_id,
        email=message.recipient,
        scope=scope.value,
    ):
        return "unsubscribed"
    if over_contact_cap(
        session, organization_id=message.organization_id, email=message.recipient, now=now
    ):
        return "contact frequency cap"
    return None


def unsubscribe_context(message: OutboxMessage, scope: str) -> dict[str, Any]:
    """Template values and RFC 8058 headers of the unsubscribe link of one email.

    Returns:
        ``unsubscribe_url`` (shown in the email's footer) and ``headers`` with
        ``List-Unsubscribe`` and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``.

    """
    url = routes.unsubscribe_url(
        unsubscribe_token(organization_id=message.organization_id, email=message.recipient,
                          scope=scope)
    )
    return {
        "unsubscribe_url": url,
        "headers": {
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }
