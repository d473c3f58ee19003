"""Platform operators: the vendor's staff, above every organization.

An operator is a user with the ``operator`` role in the vendor's own platform
organization (``is_platform``). Only the command line creates one
(``python -m rxapp.operator create EMAIL``): no sign-up, invitation or handler can.
"""

import logging
from datetime import datetime

from sqlmodel import Session, select

from rxapp.models import Organization, Role, User
from rxapp.services.accounts.auth import Principal, email_problem, normalize_email
from rxapp.services.accounts.passwords import hash_password, password_problem
from rxapp.services.common.errors import DomainError, NotAllowed

logger = logging.getLogger(__name__)

PLATFORM_SLUG = "beckon-platform"


def require_operator(principal: Principal | None) -> Principal:
    """Return the principal if it is an operator.

    Raises:
        NotAllowed: anyone else, whatever their role in their own organization.

    """
    if principal is None or principal.role != Role.OPERATOR.value:
        raise NotAllowed()
    return principal


def platform_organization(session: Session, *, now: datetime) -> Organization:
    """The vendor's own organization that holds operators, created on first use."""
    org = session.exec(select(Organization).where(Organization.slug == PLATFORM_SLUG)).first()
    if org is None:
        org = Organization(name="Beckon platform", slug=PLATFORM_SLUG, modules=[],
                           interactions_bought=0, team_seats=0, is_platform=True,
                           created_at=now)
        session.add(org)
        session.flush()
    return org


def create_operator(
    session: Session, *, email: str, password: str, full_name: str, now: datetime,
    language: str = "en",
) -> User:
    """Create an operator account (the command line's job only).

    Raises:
        DomainError: the address is invalid or taken, or the password too weak.

    """
    clean = normalize_email(email)
    problem = email_problem(clean)
    if problem:
        raise DomainError(problem, field="email")
    problem = password_problem(password or "")
    if problem:
        raise DomainError(problem, field="password")
    if session.exec(select(User.id).where(User.email == clean)).first() is not None:
        raise DomainError("plans.error.email_taken", field="email")
    org = platform_organization(session, now=now)
    user = User(organization_id=org.id, email=clean, full_name=(full_name or "").strip()[:200],
                password_hash=hash_password(password), role=Role.OPERATOR.value,
                language=language, created_at=now)
    session.add(user)
    session.flush()
    logger.info("operator created", extra={"user_id": user.id})
    return user


def operators(session: Session) -> list[User]:
    """Every active operator (they get the "request more" emails)."""
    return list(session.exec(
        select(User).where(User.role == Role.OPERATOR.value, User.is_active == True)  # noqa: E712
        .order_by(User.id)
    ).all())
