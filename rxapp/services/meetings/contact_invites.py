"""Sales contacts invited as partner users through the team invitation flow (R-BM-3).

The organizer invites a contact from the partners page: a team invitation with role
``partner`` whose attributes carry the partner's id, and the team invitation email. When
the invitee registers through the ordinary join link, :func:`join_partner` (called by
the team's accept step) makes the new user a sales contact of that partner, so signing
in lands them in the partner space. Resend, revoke and the status log are the team's.
"""

import logging
from datetime import datetime

from sqlmodel import Session, select

from rxapp.models import LANGUAGES, InvitationState, Organization, Role, TeamInvitation, User
from rxapp.models.meetings import Partner
from rxapp.services.accounts.auth import Principal, email_problem, normalize_email
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.meetings.partners import add_contact, get_partner
from rxapp.services.team.attributes import _existing
from rxapp.services.team.invitations import _create_invitation

logger = logging.getLogger(__name__)

PARTNER_KEY = "partner_id"  # the invitation attribute naming the partner
NAME_KEY = "invited_name"
STAFF_ROLES = (Role.ADMIN.value, Role.ORGANIZER.value)


def invite_sales_contact(
    session: Session,
    *,
    principal: Principal,
    partner_id: object,
    email: object,
    name: object,
    language: object,
    now: datetime,
) -> TeamInvitation:
    """Invite one sales contact of a partner as a partner user; flushed, not committed.

    Args:
        session: The caller's session.
        principal: An admin or organizer of the partner's organization.
        partner_id: The partner, as the client sent it.
        email: The contact's address.
        name: The contact's name as the organizer knows it (shown in the invitation list).
        language: The contact's language (the email and the account are in it).
        now: Current time (aware).

    Returns:
        The pending invitation; its email is queued.

    Raises:
        NotAllowed: Not staff, or the partner is another organization's.
        DomainError: Bad email, name or language (``field`` set), or the address is
            already a member or invited.

    """
    if principal is None or principal.role not in STAFF_ROLES:
        raise NotAllowed()
    partner: Partner = get_partner(session, organization_id=principal.organization_id,
                                   partner_id=partner_id)
    address = normalize_email(email if isinstance(email, str) else "")
    if email_problem(address) is not None:
        raise DomainError("participant.email_invalid", field="email")
    clean_name = (name if isinstance(name, str) else "").strip()
    if not clean_name:
        raise DomainError("meetings.contact_name_required", field="name")
    if len(clean_name) > 200:
        raise DomainError("team.error.name_too_long", field="name")
    if language not in LANGUAGES:
        raise DomainError("participant.language_unknown", field="language")
    members, invited = _existing(session, organization_id=principal.organization_id,
                                 emails=[address], now=now)
    if address in members:
        raise DomainError("meetings.contact_already_member", field="email")
    if address in invited:
        raise DomainError("meetings.contact_already_invited", field="email")
    org = session.get(Organization, principal.organization_id)
    if org is None:
        raise NotAllowed()
    inv = _create_invitation(
        session, principal=principal, org=org, email=address, role=Role.PARTNER.value,
        attributes={PARTNER_KEY: partner.id, NAME_KEY: clean_name}, now=now,
        language=str(language))
    logger.info("sales contact invited",
                extra={"partner_id": partner.id, "invitation_id": inv.id})
    return inv


def join_partner(session: Session, *, invitation: TeamInvitation, user: User) -> None:
    """After a partner invitation is accepted: the new user becomes the partner's contact.

    The partner id moves out of the user's attributes (they hold team attributes only).
    A partner deleted meanwhile leaves a partner user with no space (the page says so).
    """
    attributes = dict(invitation.attributes or {})
    partner_id = attributes.get(PARTNER_KEY)
    user.attributes = {k: v for k, v in (user.attributes or {}).items()
                       if k not in (PARTNER_KEY, NAME_KEY)}
    session.add(user)
    if not isinstance(partner_id, int) or isinstance(partner_id, bool):
        return
    try:
        add_contact(session, organization_id=invitation.organization_id,
                    partner_id=partner_id, user_id=user.id)
    except NotAllowed:
        logger.info("invited contact's partner is gone", extra={"partner_id": partner_id})


def pending_contact_invitations(session: Session, *, organization_id: int,
                                partner_ids: list[int], now: datetime) -> list[dict[str, str]]:
    """Contacts of these partners invited and not yet registered: partner id, email, name."""
    wanted = set(partner_ids)
    rows = session.exec(select(TeamInvitation).where(
        TeamInvitation.organization_id == organization_id,
        TeamInvitation.role == Role.PARTNER.value,
        TeamInvitation.state == InvitationState.PENDING.value,
        TeamInvitation.expires_at > now).order_by(TeamInvitation.id)).all()
    return [{"partner_id": str(r.attributes.get(PARTNER_KEY)), "email": r.email,
             "name": str(r.attributes.get(NAME_KEY, ""))}
            for r in rows if (r.attributes or {}).get(PARTNER_KEY) in wanted]
