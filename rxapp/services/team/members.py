"""Members of the organization and their attributes (R-TEAM-5)."""

import logging
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from rxapp.models import (
    AuthSession,
    InvitationState,
    StatusKind,
    TeamInvitation,
    User,
)
from rxapp.services.accounts.auth import Principal
from rxapp.services.common import outbox
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.common.status_log import record_status
from rxapp.services.common.tenancy import owned_row
from rxapp.services.team.attributes import clean_attributes, list_options
from rxapp.services.team.base import (
    ATTRIBUTE_KINDS,
    ENTITY,
    INVITABLE_ROLES,
    MemberRow,
    _require_admin,
)

logger = logging.getLogger(__name__)


def _matches(attributes: dict[str, Any], filters: dict[str, str]) -> bool:
    for kind, wanted in filters.items():
        if not wanted:
            continue
        have = attributes.get(kind)
        if isinstance(have, list):
            if wanted not in have:
                return False
        elif have != wanted:
            return False
    return True


def list_members(
    session: Session, *, principal: Principal, filters: dict[str, str] | None = None
) -> list[MemberRow]:
    """Return the organization's members, filtered by role and any attribute (R-TEAM-5).

    Args:
        session: Any session.
        principal: An admin.
        filters: ``{"role" or attribute kind: value}``; empty values are ignored.

    """
    _require_admin(principal)
    filters = {k: v for k, v in (filters or {}).items()
               if isinstance(v, str) and v and k in (*ATTRIBUTE_KINDS, "role")}
    role = filters.pop("role", "")
    query = select(User).where(User.organization_id == principal.organization_id)
    if role:
        query = query.where(User.role == role)
    users = session.exec(query.order_by(User.full_name, User.email)).all()
    return [
        MemberRow(id=u.id, email=u.email, full_name=u.full_name, role=u.role,
                  attributes=dict(u.attributes or {}), active=u.is_active)
        for u in users if _matches(u.attributes or {}, filters)
    ]


def update_member_attributes(
    session: Session, *, principal: Principal, user_id: int, attributes: object
) -> MemberRow:
    """Change a member's attributes (admin only, own organization).

    Raises:
        NotAllowed: not an admin, or the user belongs to another organization.
        DomainError: a value is not in the organization's lists.

    """
    _require_admin(principal)
    user = owned_row(session, User, user_id, organization_id=principal.organization_id)
    user.attributes = clean_attributes(attributes, options=list_options(session,
                                                                        principal=principal))
    session.add(user)
    session.flush()
    return MemberRow(id=user.id, email=user.email, full_name=user.full_name, role=user.role,
                     attributes=dict(user.attributes))


def _other_member(session: Session, principal: Principal, user_id: object) -> User:
    user = owned_row(session, User, user_id, organization_id=principal.organization_id)
    if user.id == principal.user_id:
        # Demoting or locking out oneself is never what an admin meant to do here.
        raise DomainError("team.error.not_yourself")
    return user


def set_member_role(
    session: Session, *, principal: Principal, user_id: object, role: object
) -> MemberRow:
    """Give another member of the organization a new role (R-TEAM-2 roles).

    Raises:
        NotAllowed: not an admin, or the user belongs to another organization.
        DomainError: an unknown role, or the admin's own account.

    """
    _require_admin(principal)
    if not isinstance(role, str) or role not in INVITABLE_ROLES:
        raise DomainError("team.error.role_unknown", field="role")
    user = _other_member(session, principal, user_id)
    user.role = role
    session.add(user)
    session.flush()
    logger.info("member role changed", extra={"user_id": user.id, "role": role})
    return MemberRow(id=user.id, email=user.email, full_name=user.full_name, role=user.role,
                     attributes=dict(user.attributes or {}), active=user.is_active)


def deactivate_member(
    session: Session, *, principal: Principal, user_id: object, now: datetime
) -> None:
    """Stop a member: sessions end at once, pending invitations they sent are revoked.

    Raises:
        NotAllowed: not an admin, or the user belongs to another organization.
        DomainError: the admin's own account.

    """
    _require_admin(principal)
    user = _other_member(session, principal, user_id)
    user.is_active = False
    session.add(user)
    for auth_row in session.exec(select(AuthSession).where(AuthSession.user_id == user.id)):
        session.delete(auth_row)
    pending = session.exec(select(TeamInvitation).where(
        TeamInvitation.organization_id == principal.organization_id,
        TeamInvitation.invited_by == user.id,
        col(TeamInvitation.state).in_([InvitationState.PENDING.value]),
    )).all()
    for inv in pending:
        inv.state = InvitationState.REVOKED.value
        inv.revoked_at = now
        session.add(inv)
        outbox.cancel_messages(session, entity_type=ENTITY, entity_id=inv.id, now=now,
                               reason="inviter deactivated")
        record_status(session, organization_id=inv.organization_id, entity_type=ENTITY,
                      entity_id=inv.id, event=StatusKind.REVOKED, now=now,
                      detail=principal.email)
    session.flush()
    logger.info("member deactivated", extra={"user_id": user.id, "revoked": len(pending)})


def reactivate_member(session: Session, *, principal: Principal, user_id: object,
                      now: datetime) -> None:
    """Let a deactivated member sign in again; they take a seat again.

    Raises:
        NotAllowed: not an admin, or the user belongs to another organization.
        SeatsExceeded: no seat is free.

    """
    from rxapp.services.team.seats import check_seats

    _require_admin(principal)
    user = _other_member(session, principal, user_id)
    if user.is_active:
        return
    check_seats(session, organization_id=principal.organization_id, adding=1, now=now)
    user.is_active = True
    session.add(user)
    session.flush()


__all__ = ["NotAllowed", "deactivate_member", "list_members", "reactivate_member",
           "set_member_role", "update_member_attributes"]
