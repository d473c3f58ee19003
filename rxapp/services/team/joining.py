"""The invitee's side: the link's status, registering, asking for a new link.

R-TEAM-4, R-PLUS-2.
"""

import logging
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, select

from rxapp import routes
from rxapp.models import (
    InvitationState,
    Organization,
    Role,
    StatusEvent,
    StatusKind,
    TeamInvitation,
    User,
)
from rxapp.services.accounts.passwords import hash_password, password_problem
from rxapp.services.common import outbox
from rxapp.services.common.errors import DomainError
from rxapp.services.common.status_log import record_status
from rxapp.services.common.tokens import hash_token
from rxapp.services.team.base import ENTITY, KIND_RENEWAL, JoinInfo, LinkStatus, _is_expired
from rxapp.services.team.invitations import _mark_expired, _role_label

logger = logging.getLogger(__name__)


# --- the invitee's side -----------------------------------------------------------


def _by_token(session: Session, token: str) -> TeamInvitation | None:
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    return session.exec(
        select(TeamInvitation).where(TeamInvitation.token_hash == hash_token(token))
    ).first()


def _link_status(inv: TeamInvitation | None, now: datetime) -> str:
    if inv is None:
        return LinkStatus.UNKNOWN
    if inv.state == InvitationState.ACCEPTED.value:
        return LinkStatus.USED
    if inv.state == InvitationState.REVOKED.value:
        return LinkStatus.REVOKED
    if _is_expired(inv, now):
        return LinkStatus.EXPIRED
    return LinkStatus.OK


def link_status(session: Session, *, token: str, now: datetime) -> JoinInfo:
    """Tell the invitee's page what the link is worth; the first visit is logged as opened."""
    inv = _by_token(session, token)
    status = _link_status(inv, now)
    if inv is None:
        return JoinInfo(status=status)
    org = session.get(Organization, inv.organization_id)
    if status == LinkStatus.OK:
        opened = session.exec(select(StatusEvent.id).where(
            StatusEvent.organization_id == inv.organization_id,
            StatusEvent.entity_type == ENTITY, StatusEvent.entity_id == inv.id,
            StatusEvent.event == StatusKind.OPENED.value,
        )).first()
        if opened is None:
            record_status(session, organization_id=inv.organization_id, entity_type=ENTITY,
                          entity_id=inv.id, event=StatusKind.OPENED, now=now)
    elif status == LinkStatus.EXPIRED:
        _mark_expired(session, inv, now)
    return JoinInfo(
        status=status, organization_name=org.name if org else "", role=inv.role,
        email=inv.email, language=inv.language, expires_at=inv.expires_at,
        renewal_requested=inv.renewal_requested_at is not None,
    )


def accept(
    session: Session, *, token: str, full_name: str, password: str, now: datetime
) -> int:
    """Register the invitee as a member with the invitation's role and attributes (R-TEAM-4).

    The link works once: the state changes from pending to accepted in one conditional
    update, so two submissions of the same link cannot both create a user.

    Returns:
        The new user's id.

    Raises:
        DomainError: ``field`` set for a bad name or password; otherwise the link's
            problem (``team.link.expired``, ``team.link.revoked``, ``team.link.used``,
            ``team.link.unknown``).

    """
    full_name = (full_name if isinstance(full_name, str) else "").strip()
    password = password if isinstance(password, str) else ""
    inv = _by_token(session, token)
    status = _link_status(inv, now)
    if status != LinkStatus.OK:
        raise DomainError(f"team.link.{status}")
    if not full_name:
        raise DomainError("team.error.name_required", field="full_name")
    if len(full_name) > 200:
        raise DomainError("team.error.name_too_long", field="full_name")
    problem = password_problem(password)
    if problem:
        raise DomainError(problem, field="password")
    if session.exec(select(User.id).where(User.email == inv.email)).first() is not None:
        # Only the address's owner (who holds the link) learns this, never the inviting admin.
        raise DomainError("team.link.account_exists")
    claimed = session.execute(
        update(TeamInvitation)
        .where(TeamInvitation.id == inv.id,
               TeamInvitation.state == InvitationState.PENDING.value)
        .values(state=InvitationState.ACCEPTED.value, accepted_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise DomainError("team.link.used")
    user = User(
        organization_id=inv.organization_id, email=inv.email, full_name=full_name,
        password_hash=hash_password(password), role=inv.role, language=inv.language,
        attributes=dict(inv.attributes or {}), created_at=now,
    )
    session.add(user)
    session.flush()
    session.execute(
        update(TeamInvitation).where(TeamInvitation.id == inv.id)
        .values(accepted_user_id=user.id).execution_options(synchronize_session=False)
    )
    if inv.role == Role.PARTNER.value:
        # A sales contact invited from a partners page joins that partner (issue 10).
        from rxapp.services.meetings.contact_invites import join_partner

        join_partner(session, invitation=inv, user=user)
    outbox.cancel_messages(session, entity_type=ENTITY, entity_id=inv.id, now=now,
                           reason="invitation accepted")
    record_status(session, organization_id=inv.organization_id, entity_type=ENTITY,
                  entity_id=inv.id, event=StatusKind.ACCEPTED, now=now, detail=full_name)
    session.expire(inv)
    return user.id


def request_renewal(session: Session, *, token: str, now: datetime) -> bool:
    """An invitee with an expired link asks for a new one; every admin is told (R-PLUS-2).

    Returns:
        True when the request is recorded (once; asking again sends nothing more).

    Raises:
        DomainError: the link is not expired (``team.link.<status>``).

    """
    inv = _by_token(session, token)
    status = _link_status(inv, now)
    if status != LinkStatus.EXPIRED:
        raise DomainError(f"team.link.{status}")
    _mark_expired(session, inv, now)
    if inv.renewal_requested_at is not None:
        return True
    inv.renewal_requested_at = now
    session.add(inv)
    org = session.get(Organization, inv.organization_id)
    admins = session.exec(select(User).where(
        User.organization_id == inv.organization_id, User.role == Role.ADMIN.value,
        User.is_active == True,  # noqa: E712 - SQL comparison
    )).all()
    for admin in admins:
        outbox.schedule_message(
            session, organization_id=inv.organization_id, recipient=admin.email,
            recipient_name=admin.full_name, kind=KIND_RENEWAL, language=admin.language,
            context={
                "name": admin.full_name or admin.email, "invitee": inv.email,
                "role": _role_label(admin.language, inv.role),
                "link": routes.team_invitations_url(),
                "organization_name": org.name if org else "",
            },
            due_at=now, idempotency_key=f"{ENTITY}:{inv.id}:renewal:{admin.id}",
            entity_type=ENTITY, entity_id=inv.id, now=now,
        )
    session.flush()
    return True


