"""Team invitations (R-TEAM-1..5): names, view rows and the admin guard."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from rxapp.models import (
    AttributeKind,
    ClassOfService,
    InvitationState,
    Role,
    TeamInvitation,
)
from rxapp.services.accounts.auth import Principal
from rxapp.services.common.errors import NotAllowed
from rxapp.services.common.status_log import StatusRow
from rxapp.services.common.tenancy import owned_row

logger = logging.getLogger(__name__)


ENTITY = "team_invitation"
KIND_INVITATION = "team_invitation"
KIND_EXPIRING = "team_invitation_expiring"
KIND_RENEWAL = "team_renewal_request"

# The default of the organization's setting (R-TEAM-1: 7 days); used when it is unset.
INVITATION_DAYS = 7
# The one "expires soon" email goes this long before the end (R-PLUS-2).
EXPIRY_NOTICE = timedelta(days=1)
MAX_ADDRESSES = 5000
MAX_OPTION_LENGTH = 80

INVITABLE_ROLES: tuple[str, ...] = (
    Role.AGENT.value,
    Role.TEAM_LEADER.value,
    Role.QUALITY_ASSESSOR.value,
    Role.ORGANIZER.value,
    Role.ADMIN.value,
)
ATTRIBUTE_KINDS: tuple[str, ...] = tuple(k.value for k in AttributeKind)
CLASSES_OF_SERVICE: tuple[str, ...] = tuple(c.value for c in ClassOfService)


class Outcome:
    """What happened to one address of an invite (R-TEAM-3)."""

    INVITED = "invited"  # a new invitation and its email are queued
    INVALID = "invalid"  # not an email address
    ALREADY_MEMBER = "already_member"  # a member of this organization already
    ALREADY_INVITED = "already_invited"  # a pending invitation exists already
    DUPLICATE = "duplicate"  # given twice in the same list


class LinkStatus:
    """What an invitee's link is worth right now."""

    OK = "ok"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED = "used"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class InviteResult:
    """The outcome of one address."""

    email: str
    outcome: str
    invitation_id: int | None = None


@dataclass(frozen=True)
class InvitationRow:
    """A team invitation as the invitations page shows it."""

    id: int
    email: str
    role: str
    attributes: dict[str, Any]
    state: str
    created_at: datetime
    expires_at: datetime
    last_sent_at: datetime | None
    renewal_requested_at: datetime | None
    log: list[StatusRow] = field(default_factory=list)
    language: str = ""
    time_zone: str | None = None


@dataclass(frozen=True)
class MemberRow:
    """A member as the members page shows it (no password hash, no token)."""

    id: int
    email: str
    full_name: str
    role: str
    attributes: dict[str, Any]
    active: bool = True


@dataclass(frozen=True)
class JoinInfo:
    """What the invitee's page needs to know about a link."""

    status: str
    organization_name: str = ""
    role: str = ""
    email: str = ""
    language: str = "en"
    expires_at: datetime | None = None
    renewal_requested: bool = False


@dataclass
class CsvRow:
    """One line of a bulk CSV, with what is wrong with it (R-PLUS-10)."""

    line: int
    email: str
    role: str
    attributes: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    outcome: str = ""
    language: str = ""
    time_zone: str | None = None


@dataclass
class CsvReport:
    """The whole file's check; nothing is sent unless ``ok``."""

    rows: list[CsvRow]
    ok: bool
    file_problem: str = ""
    sent: bool = False
    # How the file was read, for the mapping step (file columns -> fields).
    columns: list[str] = field(default_factory=list)
    mapping: list[str] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)
    needs_mapping: bool = False
    # Values for the file problem's placeholders (the seats message).
    problem_params: dict[str, int] = field(default_factory=dict)


# --- guards -----------------------------------------------------------------


def _require_admin(principal: Principal | None) -> Principal:
    if principal is None or principal.role != Role.ADMIN.value:
        raise NotAllowed()
    return principal


def _own_invitation(
    session: Session, principal: Principal, invitation_id: object
) -> TeamInvitation:
    return owned_row(session, TeamInvitation, invitation_id,
                     organization_id=principal.organization_id)


def _is_expired(inv: TeamInvitation, now: datetime) -> bool:
    return inv.state == InvitationState.EXPIRED.value or (
        inv.state == InvitationState.PENDING.value and inv.expires_at <= now
    )


def effective_state(inv: TeamInvitation, now: datetime) -> str:
    """The state as it is now: a pending invitation past its end counts as expired."""
    return InvitationState.EXPIRED.value if _is_expired(inv, now) else inv.state


