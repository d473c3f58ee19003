"""Meeting spaces and their availability (R-BM-3, R-BM-6c)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from rxapp.models.accounts import User
from rxapp.models.meetings import Availability, Event, Meeting, MeetingSpace, Partner, Slot
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.common.tenancy import owned_row
from rxapp.services.meetings.access import PartnerScope, own_space
from rxapp.services.meetings.partners import contact_user_ids, get_partner


@dataclass(frozen=True)
class SpaceRow:
    """A space as pages show it."""

    id: int
    partner_id: int
    partner_name: str
    name: str
    contact_email: str
    theme: str


def _new_space(session: Session, partner: Partner, *, name: str, contact_user_id: int | None,
               theme: str, now: datetime) -> MeetingSpace:
    name = (name or "").strip()
    theme = (theme or "").strip()
    if contact_user_id is not None and contact_user_id not in contact_user_ids(
        session, partner_id=partner.id or 0
    ):
        raise DomainError("meetings.contact_not_of_partner", "contact_user_id")
    if contact_user_id is None and not theme:
        raise DomainError("meetings.space_needs_contact_or_theme", "theme")
    if not name:
        if contact_user_id is not None:
            user = session.get(User, contact_user_id)
            name = (user.full_name or user.email) if user else ""
        name = name or theme
    space = MeetingSpace(organization_id=partner.organization_id, event_id=partner.event_id,
                         partner_id=partner.id or 0, name=name[:200],
                         contact_user_id=contact_user_id, theme=theme[:200], created_at=now)
    session.add(space)
    session.flush()
    return space


def create_space(
    session: Session, *, organization_id: int, partner_id: object, name: str = "",
    contact_user_id: int | None = None, theme: str = "", now: datetime,
) -> MeetingSpace:
    """The organizer adds a space to a partner, tied to a sales contact or a theme."""
    partner = get_partner(session, organization_id=organization_id, partner_id=partner_id)
    return _new_space(session, partner, name=name, contact_user_id=contact_user_id, theme=theme,
                      now=now)


def create_space_as_partner(
    session: Session, scope: PartnerScope, *, name: str = "", contact_user_id: int | None = None,
    theme: str = "", now: datetime,
) -> MeetingSpace:
    """A partner adds one of its own spaces, if the organizer allows it (R-BM-3, R-BM-9).

    A partner with no space at all may always create its first one (the first visit).
    """
    event = session.get(Event, scope.event_id)
    partner = session.get(Partner, scope.partner_id)
    if event is None or partner is None:
        raise NotAllowed()
    has_space = session.exec(
        select(MeetingSpace.id).where(MeetingSpace.partner_id == partner.id)).first()
    if has_space is not None and not event.partners_manage_spaces:
        raise NotAllowed("meetings.spaces_managed_by_organizer")
    return _new_space(session, partner, name=name, contact_user_id=contact_user_id, theme=theme,
                      now=now)


def assign_contact_as_partner(
    session: Session, scope: PartnerScope, *, space_id: object, contact_user_id: int | None,
) -> MeetingSpace:
    """A partner ties one of its spaces to one of its contacts (if allowed)."""
    space = own_space(session, scope, space_id)
    event = session.get(Event, scope.event_id)
    if event is None or not event.partners_manage_spaces:
        raise NotAllowed("meetings.spaces_managed_by_organizer")
    if contact_user_id is not None and contact_user_id not in contact_user_ids(
        session, partner_id=scope.partner_id
    ):
        raise DomainError("meetings.contact_not_of_partner", "contact_user_id")
    space.contact_user_id = contact_user_id
    session.add(space)
    session.flush()
    return space


def bulk_spaces_per_contact(
    session: Session, *, organization_id: int, event_id: object, now: datetime
) -> int:
    """One space per sales contact that has none yet, for every partner of the event."""
    partners = session.exec(select(Partner).where(
        Partner.event_id == event_id, Partner.organization_id == organization_id)).all()
    if not partners and owned_row(session, Event, event_id, organization_id=organization_id):
        return 0
    made = 0
    for partner in partners:
        taken = set(session.exec(select(MeetingSpace.contact_user_id).where(
            MeetingSpace.partner_id == partner.id)).all())
        for uid in contact_user_ids(session, partner_id=partner.id or 0):
            if uid not in taken:
                _new_space(session, partner, name="", contact_user_id=uid, theme="", now=now)
                made += 1
    return made


def delete_space(session: Session, *, organization_id: int, space_id: object) -> None:
    """Delete a space that has no meetings (organizer).

    Raises:
        DomainError: The space has meetings.
    """
    space = owned_row(session, MeetingSpace, space_id, organization_id=organization_id)
    if session.exec(select(Meeting.id).where(Meeting.space_id == space.id)).first():
        raise DomainError("meetings.space_has_meetings")
    session.execute(delete(Availability).where(Availability.space_id == space.id))
    session.delete(space)
    session.flush()


def list_spaces(session: Session, *, organization_id: int, event_id: int,
                partner_id: int | None = None) -> list[SpaceRow]:
    """An event's spaces (or one partner's), with contact emails."""
    query = (
        select(MeetingSpace, Partner.name, User.email)
        .join(Partner, col(Partner.id) == MeetingSpace.partner_id)
        .join(User, col(User.id) == MeetingSpace.contact_user_id, isouter=True)
        .where(MeetingSpace.organization_id == organization_id, MeetingSpace.event_id == event_id)
        .order_by(col(Partner.name), col(MeetingSpace.id))
    )
    if partner_id is not None:
        query = query.where(MeetingSpace.partner_id == partner_id)
    return [
        SpaceRow(id=s.id or 0, partner_id=s.partner_id, partner_name=pname, name=s.name,
                 contact_email=email or "", theme=s.theme)
        for s, pname, email in session.exec(query).all()
    ]


def set_availability(
    session: Session, scope: PartnerScope, *, space_id: object, slot_id: object, available: bool
) -> bool:
    """Open or close one of the partner's spaces for one slot of the event.

    Closing a slot that holds a confirmed or pending meeting is refused.

    Returns:
        The new availability.
    """
    space = own_space(session, scope, space_id)
    slot = owned_row(session, Slot, slot_id, organization_id=scope.organization_id)
    if slot.event_id != space.event_id:
        raise NotAllowed()
    row = session.exec(select(Availability).where(
        Availability.space_id == space.id, Availability.slot_id == slot.id)).first()
    if available and row is None:
        session.add(Availability(organization_id=scope.organization_id, space_id=space.id or 0,
                                 slot_id=slot.id or 0))
        session.flush()
    elif not available and row is not None:
        busy = session.exec(select(Meeting.id).where(
            Meeting.space_id == space.id, Meeting.slot_id == slot.id,
            col(Meeting.status).in_(("requested", "confirmed")))).first()
        if busy is not None:
            raise DomainError("meetings.slot_has_meeting")
        session.delete(row)
        session.flush()
    return available


def partner_contacts(session: Session, *, partner_id: int) -> list[tuple[int, str]]:
    """A partner's sales contacts as (user id, email)."""
    ids = contact_user_ids(session, partner_id=partner_id)
    users = session.exec(select(User).where(col(User.id).in_(ids))).all()
    return sorted(((u.id or 0, u.email) for u in users), key=lambda x: x[1])
