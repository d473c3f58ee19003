"""Signing in and out, sessions, and "forgot my credentials" (R-ACC-1, R-ACC-2)."""

import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, select

from rxapp import routes
from rxapp.models import (
    AuthSession,
    OneTimeToken,
    Organization,
    Role,
    TokenPurpose,
    User,
)
from rxapp.services.accounts.passwords import (
    MAX_PASSWORD_LENGTH,
    hash_password,
    password_problem,
    verify_password,
)
from rxapp.services.common.errors import DomainError
from rxapp.services.common.tokens import derive_token, hash_token, new_salt, new_token
from rxapp.settings import Settings, get_settings

logger = logging.getLogger(__name__)

# Writing last_seen on every event would turn each click into a write; a few minutes is enough.
_TOUCH_INTERVAL = timedelta(minutes=5)


@dataclass(frozen=True)
class Principal:
    """The signed-in user as the server knows it; never built from client input."""

    user_id: int
    organization_id: int
    role: str
    email: str
    full_name: str
    language: str
    organization_name: str
    modules: tuple[str, ...]

    def has_role(self, *roles: str) -> bool:
        """Whether the user holds one of ``roles`` (any role when none are given)."""
        return not roles or self.role in roles


def normalize_email(email: str) -> str:
    """Return the address trimmed and lower-cased, as it is stored and compared."""
    return (email or "").strip().lower()


def email_problem(email: str) -> str | None:
    """Return the catalogue key of what is wrong with an address, or None."""
    if not email:
        return "error.email_required"
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return "error.email_invalid"
    return None


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None (never says which was wrong).

    A password longer than any we accept is refused without hashing it: hashing
    megabytes on request is a way to burn the server's CPU.
    """
    if len(password or "") > MAX_PASSWORD_LENGTH:
        return None
    user = session.exec(select(User).where(User.email == normalize_email(email))).first()
    ok = verify_password(user.password_hash if user else None, password or "")
    if not ok or user is None or not user.is_active:
        return None
    return user


def issue_login_ticket(
    session: Session,
    *,
    user_id: int,
    now: datetime,
    browser_key: str,
    settings: Settings | None = None,
) -> str:
    """Create a short-lived single-use ticket that the cookie endpoint swaps for a session.

    The session token itself never travels through the websocket or the page state:
    the browser gets it only as an HttpOnly cookie. The ticket is bound to the browser
    that signed in (``browser_key``, the hash of its id cookie): handed to another
    browser, it does not work (login CSRF).
    """
    settings = settings or get_settings()
    raw, digest = new_token()
    session.add(
        OneTimeToken(
            user_id=user_id,
            purpose=TokenPurpose.LOGIN_TICKET.value,
            token_hash=digest,
            browser_key=browser_key,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.login_ticket_seconds),
        )
    )
    return raw


def _consume_token(
    session: Session, *, raw: str, purpose: TokenPurpose, now: datetime
) -> OneTimeToken | None:
    if not raw or len(raw) > 200:
        return None
    token = session.exec(
        select(OneTimeToken).where(
            OneTimeToken.token_hash == hash_token(raw), OneTimeToken.purpose == purpose.value
        )
    ).first()
    if token is None or token.used_at is not None or token.expires_at <= now:
        return None
    token.used_at = now
    session.add(token)
    return token


def redeem_login_ticket(
    session: Session,
    *,
    ticket: str,
    now: datetime,
    browser_key: str,
    settings: Settings | None = None,
) -> str | None:
    """Swap a login ticket for a new session; return the raw session token or None.

    Only the browser the ticket was issued to (same ``browser_key``) can redeem it.
    """
    settings = settings or get_settings()
    token = _consume_token(session, raw=ticket, purpose=TokenPurpose.LOGIN_TICKET, now=now)
    if token is None:
        return None
    if not browser_key or not hmac.compare_digest(token.browser_key, browser_key):
        logger.warning("login ticket of another browser", extra={"user_id": token.user_id})
        return None
    raw, digest = new_token()
    session.add(
        AuthSession(
            user_id=token.user_id,
            token_hash=digest,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(days=settings.session_max_days),
        )
    )
    return raw


def resolve_session(
    session: Session, *, token: str | None, now: datetime, settings: Settings | None = None
) -> Principal | None:
    """Return who holds this session token, or None when it is unknown, idle or expired."""
    settings = settings or get_settings()
    if not token or len(token) > 200:
        return None
    row = session.exec(
        select(AuthSession, User, Organization)
        .join(User, User.id == AuthSession.user_id)
        .join(Organization, Organization.id == User.organization_id)
        .where(AuthSession.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    auth, user, org = row
    idle_limit = auth.last_seen_at + timedelta(minutes=settings.session_idle_minutes)
    if not user.is_active or auth.expires_at <= now or idle_limit <= now:
        return None
    if now - auth.last_seen_at >= _TOUCH_INTERVAL:
        auth.last_seen_at = now
        session.add(auth)
    return Principal(
        user_id=user.id,
        organization_id=user.organization_id,
        role=user.role,
        email=user.email,
        full_name=user.full_name,
        language=user.language,
        organization_name=org.name,
        modules=tuple(org.modules or ()),
    )


def end_session(session: Session, *, token: str | None) -> None:
    """Delete the session of this token, so it stops working at once."""
    if not token:
        return
    auth = session.exec(
        select(AuthSession).where(AuthSession.token_hash == hash_token(token))
    ).first()
    if auth is not None:
        session.delete(auth)


@dataclass(frozen=True)
class ResetRequest:
    """What it takes to email a reset link to a known user."""

    user_id: int
    email: str
    full_name: str
    language: str
    organization_id: int
    raw_token: str
    token_id: int


def request_password_reset(
    session: Session, *, email: str, now: datetime, settings: Settings | None = None
) -> ResetRequest | None:
    """Create a reset token for the address if it belongs to an active user.

    Any earlier unused reset token of the user stops working. The caller must answer
    the same way whether or not this returns something, so the page never reveals
    which addresses exist (R-ACC-2).
    """
    settings = settings or get_settings()
    user = session.exec(select(User).where(User.email == normalize_email(email))).first()
    if user is None or not user.is_active:
        return None
    # One live reset link per user: a new request retires the previous ones (and their
    # emails still queued are dropped at send time, their link being used up).
    for old in session.exec(
        select(OneTimeToken).where(
            OneTimeToken.user_id == user.id,
            OneTimeToken.purpose == TokenPurpose.PASSWORD_RESET.value,
            OneTimeToken.used_at.is_(None),  # type: ignore[union-attr]
        )
    ).all():
        old.used_at = now
        session.add(old)
    salt = new_salt()
    raw = derive_token(TokenPurpose.PASSWORD_RESET.value, salt)
    token = OneTimeToken(
        user_id=user.id,
        purpose=TokenPurpose.PASSWORD_RESET.value,
        token_hash=hash_token(raw),
        salt=salt,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.password_reset_minutes),
    )
    session.add(token)
    session.flush()
    return ResetRequest(
        token_id=token.id or 0,
        user_id=user.id,
        email=user.email,
        full_name=user.full_name,
        language=user.language,
        organization_id=user.organization_id,
        raw_token=raw,
    )


def reset_token_is_usable(session: Session, *, token: str, now: datetime) -> bool:
    """Whether a reset link can still be used (unknown, used and expired all say no)."""
    if not token or len(token) > 200:
        return False
    row = session.exec(
        select(OneTimeToken).where(
            OneTimeToken.token_hash == hash_token(token),
            OneTimeToken.purpose == TokenPurpose.PASSWORD_RESET.value,
        )
    ).first()
    return row is not None and row.used_at is None and row.expires_at > now


def reset_password(session: Session, *, token: str, new_password: str, now: datetime) -> int:
    """Set a new password through a reset link; the link works once.

    Every session of the user ends, since whoever reset may be locking someone out.

    Returns:
        The id of the user whose password changed.

    Raises:
        DomainError: ``error.reset_link_invalid`` or a password rule's key.

    """
    problem = password_problem(new_password or "")
    if problem:
        raise DomainError(problem, field="password")
    token_row = _consume_token(session, raw=token, purpose=TokenPurpose.PASSWORD_RESET, now=now)
    if token_row is None:
        raise DomainError("error.reset_link_invalid")
    user = session.get(User, token_row.user_id)
    if user is None or not user.is_active:
        raise DomainError("error.reset_link_invalid")
    user.password_hash = hash_password(new_password)
    session.add(user)
    for auth in session.exec(select(AuthSession).where(AuthSession.user_id == user.id)).all():
        session.delete(auth)
    logger.info("password reset", extra={"user_id": user.id})
    return user.id


def set_language(session: Session, *, principal: Principal, language: str) -> None:
    """Remember the UI language of the signed-in user."""
    from rxapp.models import LANGUAGES

    if language not in LANGUAGES:
        raise DomainError("error.language_unknown")
    user = session.get(User, principal.user_id)
    if user is not None:
        user.language = language
        session.add(user)


STAFF_ROLES: tuple[str, ...] = (Role.ADMIN.value, Role.ORGANIZER.value)


def reset_link_of(session: Session, *, token_id: int, now: datetime) -> str | None:
    """Rebuild an unused, unexpired reset link from its salt (the email is rendered late)."""
    token = session.get(OneTimeToken, token_id)
    if (
        token is None
        or token.purpose != TokenPurpose.PASSWORD_RESET.value
        or not token.salt
        or token.used_at is not None
        or token.expires_at <= now
    ):
        return None
    return routes.reset_url(derive_token(TokenPurpose.PASSWORD_RESET.value, token.salt))
