"""A user's own profile: name, password and language, whatever their role (R-TEAM-4, R-UI-1)."""

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from rxapp.models import LANGUAGES, AuthSession, Organization, User
from rxapp.services.accounts.auth import Principal
from rxapp.services.accounts.passwords import hash_password, password_problem, verify_password
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.common.tokens import hash_token

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OwnProfile:
    """What the profile page and the home page show about the signed-in user."""

    full_name: str
    email: str
    language: str
    role: str
    organization_name: str
    attributes: dict[str, Any] = field(default_factory=dict)


def _me(session: Session, principal: Principal) -> User:
    user = session.get(User, principal.user_id)
    if user is None or not user.is_active:
        raise NotAllowed()
    return user


def get_own_profile(session: Session, *, principal: Principal) -> OwnProfile:
    """The signed-in user's own profile (never another user's)."""
    user = _me(session, principal)
    org = session.get(Organization, user.organization_id)
    return OwnProfile(full_name=user.full_name, email=user.email, language=user.language,
                      role=user.role, organization_name=org.name if org else "",
                      attributes=dict(user.attributes or {}))


def update_own_profile(
    session: Session, *, principal: Principal, full_name: object, language: object
) -> OwnProfile:
    """Change one's own name and language.

    Raises:
        DomainError: an empty or too long name, or an unknown language (``field`` says which).

    """
    name = (full_name if isinstance(full_name, str) else "").strip()
    if not name:
        raise DomainError("profile.error.name_required", field="full_name")
    if len(name) > 200:
        raise DomainError("team.error.name_too_long", field="full_name")
    if not isinstance(language, str) or language not in LANGUAGES:
        raise DomainError("error.language_unknown", field="language")
    user = _me(session, principal)
    user.full_name = name
    user.language = language
    session.add(user)
    session.flush()
    return get_own_profile(session, principal=principal)


def change_own_password(
    session: Session, *, principal: Principal, current: object, new: object,
    keep_session_token: str | None,
) -> None:
    """Change one's own password after proving the current one.

    Every other session of the user ends (a stolen session stops working); the one
    making the change stays signed in.

    Raises:
        DomainError: the current password is wrong or the new one breaks a rule.

    """
    current = current if isinstance(current, str) else ""
    new = new if isinstance(new, str) else ""
    user = _me(session, principal)
    if not verify_password(user.password_hash, current):
        raise DomainError("profile.error.current_wrong", field="current")
    problem = password_problem(new)
    if problem:
        raise DomainError(problem, field="new")
    user.password_hash = hash_password(new)
    session.add(user)
    keep = hash_token(keep_session_token) if keep_session_token else None
    for row in session.exec(select(AuthSession).where(AuthSession.user_id == user.id)).all():
        if row.token_hash != keep:
            session.delete(row)
    session.flush()
    logger.info("password changed", extra={"user_id": user.id})
