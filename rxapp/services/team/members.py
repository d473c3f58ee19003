"""Members of the organization and their attributes (R-TEAM-5)."""

import logging
from typing import Any

from sqlmodel import Session, select

from rxapp.models import (
    User,
)
from rxapp.services.accounts.auth import Principal
from rxapp.services.common.tenancy import owned_row
from rxapp.services.team.attributes import clean_attributes, list_options
from rxapp.services.team.base import ATTRIBUTE_KINDS, MemberRow, _require_admin

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
                  attributes=dict(u.attributes or {}))
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
