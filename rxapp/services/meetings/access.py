"""Who may act on what: a partner user only on its own partner's rows (R-BM-6)."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from rxapp.models.accounts import Role, User
from rxapp.models.meetings import Event, Meeting, MeetingSpace, Partner, PartnerContact
from rxapp.services.common.errors import NotAllowed
from rxapp.services.common.tenancy import owned_row


@dataclass(frozen=True)
class PartnerScope:
    """A signed-in sales contact and the one partner (of one event) they act for."""

    organization_id: int
    event_id: int
    partner_id: int
    user_id: int


def partner_scope(
    session: Session, *, organization_id: int, user_id: int, event_id: object = None
) -> PartnerScope:
    """The partner a partner user works for, in an event with the module on.

    Without ``event_id``, the most recent such event is used.

    Raises:
        NotAllowed: The user is not a partner user of this organization, or is no
            sales contact of any partner there.
    """
    user = session.get(User, user_id)
    if user is None or user.organization_id != organization_id or user.role != Role.PARTNER.value:
        raise NotAllowed()
    query = (
        select(Partner.id, Event.id)
        .join(PartnerContact, col(PartnerContact.partner_id) == Partner.id)
        .join(Event, col(Event.id) == Partner.event_id)
        .where(PartnerContact.user_id == user_id, Partner.organization_id == organization_id,
               col(Event.module_enabled).is_(True))
        .order_by(col(Event.first_day).desc(), col(Event.id).desc())
    )
    if event_id is not None:
        if not isinstance(event_id, int) or isinstance(event_id, bool):
            raise NotAllowed()
        query = query.where(Event.id == event_id)
    row = session.exec(query).first()
    if row is None:
        raise NotAllowed("meetings.no_partner_space")
    return PartnerScope(organization_id=organization_id, event_id=row[1], partner_id=row[0],
                        user_id=user_id)


def partner_events(session: Session, *, organization_id: int,
                   user_id: int) -> list[tuple[int, str]]:
    """``(event id, name)`` of every event (module on) where the user is a sales contact.

    Newest first, as :func:`partner_scope` picks its default; the switcher lists them.
    """
    rows = session.exec(
        select(Event.id, Event.name)
        .join(Partner, col(Partner.event_id) == Event.id)
        .join(PartnerContact, col(PartnerContact.partner_id) == Partner.id)
        .where(PartnerContact.user_id == user_id, Partner.organization_id == organization_id,
               col(Event.module_enabled).is_(True))
        .order_by(col(Event.first_day).desc(), col(Event.id).desc())
    ).all()
    seen: dict[int, str] = {}
    for event_id, name in rows:
        seen.setdefault(event_id, name)
    return list(seen.items())


def own_space(session: Session, scope: PartnerScope, space_id: object) -> MeetingSpace:
    """A space of the scope's partner, whatever id was sent (else NotAllowed)."""
    space = owned_row(session, MeetingSpace, space_id, organization_id=scope.organization_id)
    if space.partner_id != scope.partner_id:
        raise NotAllowed()
    return space


def own_meeting(session: Session, scope: PartnerScope, meeting_id: object) -> Meeting:
    """A meeting of the scope's partner, whatever id was sent (else NotAllowed)."""
    meeting = owned_row(session, Meeting, meeting_id, organization_id=scope.organization_id)
    if meeting.partner_id != scope.partner_id:
        raise NotAllowed()
    return meeting
