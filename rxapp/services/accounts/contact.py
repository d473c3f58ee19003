"""The organization's team and email settings: invitation expiry and the reply address.

R-TEAM-1 (invitations expire; default 7 days, an organization setting) and the
Reply-To of every email the organization sends.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from rxapp.models import Organization, Role
from rxapp.services.accounts.auth import Principal, email_problem, normalize_email
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.team.seats import seats_used

MIN_DAYS, MAX_DAYS = 1, 90


@dataclass(frozen=True)
class ContactSettings:
    """What the settings page shows and edits here, plus the seats in use."""

    invitation_days: int
    contact_email: str
    team_seats: int
    seats_used: int


def _own_org(session: Session, principal: Principal) -> Organization:
    if principal.role != Role.ADMIN.value:
        raise NotAllowed()
    org = session.get(Organization, principal.organization_id)
    if org is None:
        raise NotAllowed()
    return org


def get_contact_settings(session: Session, *, principal: Principal,
                         now: datetime) -> ContactSettings:
    """Read the settings (admins only)."""
    org = _own_org(session, principal)
    return ContactSettings(invitation_days=org.invitation_days, contact_email=org.contact_email,
                           team_seats=org.team_seats,
                           seats_used=seats_used(session, organization_id=org.id, now=now))


def update_contact_settings(
    session: Session, *, principal: Principal, invitation_days: object, contact_email: object,
    now: datetime,
) -> ContactSettings:
    """Change invitation expiry (new invitations only) and the reply address.

    Raises:
        NotAllowed: not an admin.
        DomainError: days out of 1..90 or an invalid address (``field`` says which).

    """
    org = _own_org(session, principal)
    try:
        days = int(str(invitation_days).strip())
    except (TypeError, ValueError):
        raise DomainError("settings.error.days", field="invitation_days") from None
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise DomainError("settings.error.days", field="invitation_days")
    email = normalize_email(contact_email if isinstance(contact_email, str) else "")
    if email and email_problem(email):
        raise DomainError("error.email_invalid", field="contact_email")
    org.invitation_days = days
    org.contact_email = email
    session.add(org)
    session.flush()
    return get_contact_settings(session, principal=principal, now=now)
