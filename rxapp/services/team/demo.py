"""Demo team data: filled attribute lists and invitations in every state (R-ACC-4).

Made through the feature's own services, acting as the demo admin, at times before
``now``: pending invitations (their emails queued), expired ones, and accepted ones
whose invitees are now members with the invitation's role and attributes.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from rxapp.models import AttributeOption, Organization, Role, TeamInvitation, User
from rxapp.models.team import AttributeKind, ClassOfService
from rxapp.services.accounts.auth import Principal
from rxapp.services.common.tokens import derive_token
from rxapp.services.team.attributes import add_option
from rxapp.services.team.invitations import invite_many
from rxapp.services.team.joining import accept
from rxapp.services.team.mail import TOKEN_PURPOSE

logger = logging.getLogger(__name__)

OPTIONS: dict[str, tuple[str, ...]] = {
    AttributeKind.CHANNELS.value: ("Phone", "Email", "Chat", "Social media"),
    AttributeKind.SERVICES.value: ("Sales", "Collections", "Client services", "Technical support"),
    AttributeKind.SITES.value: ("Stockholm", "Berlin", "Lyon", "Remote"),
    AttributeKind.SKILLS.value: ("English", "German", "French", "Swedish", "Billing"),
}

# (email, role, attributes, days ago, outcome); "accepted" ones register with the name given.
_CH, _SE, _SI, _SK = (AttributeKind.CHANNELS.value, AttributeKind.SERVICES.value,
                      AttributeKind.SITES.value, AttributeKind.SKILLS.value)
_COS = AttributeKind.CLASS_OF_SERVICE.value
INVITATIONS: tuple[tuple[str, str, dict, int, str], ...] = (
    ("karin.agent@beckon-demo.example", Role.AGENT.value,
     {_CH: ["Phone", "Chat"], _SE: ["Sales"], _SI: ["Stockholm"], _SK: ["Swedish", "English"],
      _COS: ClassOfService.LOCAL_WITH_MOBILE.value}, 20, "Karin Agent"),
    ("tobias.leader@beckon-demo.example", Role.TEAM_LEADER.value,
     {_CH: ["Phone"], _SE: ["Collections"], _SI: ["Berlin"], _SK: ["German", "Billing"],
      _COS: ClassOfService.LOCAL_AND_INTERNATIONAL.value}, 18, "Tobias Leader"),
    ("margaux.quality@beckon-demo.example", Role.QUALITY_ASSESSOR.value,
     {_CH: ["Email"], _SE: ["Client services"], _SI: ["Lyon"], _SK: ["French"],
      _COS: ClassOfService.INTERNAL_ONLY.value}, 16, "Margaux Quality"),
    ("sam.agent@beckon-demo.example", Role.AGENT.value,
     {_CH: ["Chat", "Social media"], _SE: ["Technical support"], _SI: ["Remote"],
      _SK: ["English"], _COS: ClassOfService.LOCAL_WITHOUT_MOBILE.value}, 2, "pending"),
    ("nora.agent@beckon-demo.example", Role.AGENT.value,
     {_CH: ["Phone"], _SE: ["Sales"], _SI: ["Berlin"], _SK: ["German"]}, 1, "pending"),
    ("felix.organizer@beckon-demo.example", Role.ORGANIZER.value, {}, 3, "pending"),
    ("ines.agent@beckon-demo.example", Role.AGENT.value,
     {_CH: ["Email"], _SE: ["Client services"], _SI: ["Lyon"], _SK: ["French"]}, 12,
     "expired"),
    ("lars.leader@beckon-demo.example", Role.TEAM_LEADER.value,
     {_SI: ["Stockholm"], _SK: ["Swedish"]}, 10, "expired"),
)
# Demo members' password; they are not among the printed logins but can sign in.
MEMBER_PASSWORD = "demo-member-pass"  # noqa: S105 - public by design, demo organization only


@dataclass(frozen=True)
class TeamDemo:
    """What the team demo created (all zero when it was there already)."""

    options: int = 0
    pending: int = 0
    expired: int = 0
    accepted: int = 0


def _admin_principal(session: Session, organization_id: int) -> Principal | None:
    org = session.get(Organization, organization_id)
    admin = session.exec(
        select(User).where(User.organization_id == organization_id,
                           User.role == Role.ADMIN.value).order_by(User.id)
    ).first()
    if org is None or admin is None:
        return None
    return Principal(
        user_id=admin.id or 0, organization_id=organization_id, role=admin.role,
        email=admin.email, full_name=admin.full_name, language=admin.language,
        organization_name=org.name, modules=tuple(org.modules or ()),
    )


def seed_team_demo(session: Session, *, organization_id: int, now: datetime) -> TeamDemo:
    """Fill the attribute lists and add invitations, unless the organization has either.

    Args:
        session: The caller's session; nothing is committed here.
        organization_id: The demo organization (it must have an admin).
        now: Current time (aware); every invitation was made before it.

    Returns:
        Counts of what was created (zeros when lists or invitations already existed).

    """
    principal = _admin_principal(session, organization_id)
    if principal is None:
        return TeamDemo()
    has_data = session.exec(
        select(func.count()).select_from(AttributeOption)
        .where(AttributeOption.organization_id == organization_id)
    ).one() or session.exec(
        select(func.count()).select_from(TeamInvitation)
        .where(TeamInvitation.organization_id == organization_id)
    ).one()
    if has_data:
        return TeamDemo()
    options = 0
    for kind, values in OPTIONS.items():
        for value in values:
            add_option(session, principal=principal, kind=kind, value=value)
            options += 1
    counts = {"pending": 0, "expired": 0, "accepted": 0}
    for email, role, attributes, days_ago, outcome in INVITATIONS:
        invited_at = now - timedelta(days=days_ago, hours=2)
        (result,) = invite_many(session, principal=principal, emails=[email], role=role,
                                attributes=attributes, now=invited_at)
        if outcome in ("pending", "expired"):
            counts[outcome] += 1
            continue
        inv = session.get(TeamInvitation, result.invitation_id)
        token = derive_token(TOKEN_PURPOSE, inv.link_salt if inv else "")
        accept(session, token=token, full_name=outcome, password=MEMBER_PASSWORD,
               now=invited_at + timedelta(hours=20))
        counts["accepted"] += 1
    session.flush()
    logger.info("team demo", extra={"organization_id": organization_id, **counts})
    return TeamDemo(options=options, **counts)
