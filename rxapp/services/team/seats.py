"""Team seats of the plan: members plus pending invitations (R-PLUS-10)."""

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from rxapp.models import InvitationState, Organization, TeamInvitation, User
from rxapp.services.common.errors import DomainError


class SeatsExceeded(DomainError):
    """Inviting these addresses would need more seats than the plan has."""

    def __init__(self, *, seats: int, used: int, adding: int) -> None:
        super().__init__("team.error.seats", field="seats")
        self.seats = seats
        self.used = used
        self.adding = adding

    def params(self) -> dict[str, int]:
        """Values for the message's placeholders."""
        return {"seats": self.seats, "used": self.used, "adding": self.adding,
                "free": max(0, self.seats - self.used)}


def seats_used(session: Session, *, organization_id: int, now: datetime) -> int:
    """Active members plus invitations still waiting for an answer."""
    members = session.exec(
        select(func.count()).select_from(User).where(
            User.organization_id == organization_id, User.is_active == True  # noqa: E712
        )
    ).one()
    pending = session.exec(
        select(func.count()).select_from(TeamInvitation).where(
            TeamInvitation.organization_id == organization_id,
            TeamInvitation.state == InvitationState.PENDING.value,
            TeamInvitation.expires_at > now,
        )
    ).one()
    return int(members) + int(pending)


def check_seats(session: Session, *, organization_id: int, adding: int, now: datetime) -> None:
    """Refuse before anything is written or sent when ``adding`` more would not fit.

    Raises:
        SeatsExceeded: the plan's seats would be exceeded.

    """
    if adding <= 0:
        return
    org = session.get(Organization, organization_id)
    seats = org.team_seats if org is not None else 0
    used = seats_used(session, organization_id=organization_id, now=now)
    if used + adding > seats:
        raise SeatsExceeded(seats=seats, used=used, adding=adding)
