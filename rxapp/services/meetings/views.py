"""Read models of meetings for the partner space, the calendar and the agenda (R-BM-6, R-BM-7)."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from rxapp.i18n.formats import format_day, format_time
from rxapp.models.accounts import User
from rxapp.models.meetings import (
    Attendee,
    Availability,
    Event,
    MatchingRule,
    Meeting,
    MeetingSpace,
    MeetingStatus,
    Partner,
    Proposer,
    Slot,
)
from rxapp.services.meetings.access import PartnerScope
from rxapp.services.meetings.matching import attendee_filter, partner_matches, rules_of
from rxapp.services.meetings.requests import slot_is_held

STATUS_ORDER = ("requested", "confirmed", "declined", "cancelled", "lapsed")


@dataclass(frozen=True)
class MeetingInfo:
    """Everything shown about one meeting, times in the event's zone."""

    id: int
    status: str
    proposed_by: str
    attendee_id: int
    attendee_name: str
    attendee_company: str
    attendee_email: str
    attendee_language: str
    partner_name: str
    space_name: str
    event_name: str
    venue: str
    timezone: str
    starts_at: datetime  # aware, in the event's zone
    ends_at: datetime
    message: str
    reason: str
    hold_until: datetime | None
    slot_id: int
    space_id: int
    # Grows with every change, so calendars take a moved or cancelled meeting's new .ics.
    sequence: int = 0


def _info(m: Meeting, a: Attendee, p: Partner, s: MeetingSpace, slot: Slot,
          e: Event) -> MeetingInfo:
    zone = ZoneInfo(e.timezone)
    return MeetingInfo(
        id=m.id or 0, status=m.status, proposed_by=m.proposed_by, attendee_id=a.id or 0,
        attendee_name=f"{a.first_name} {a.last_name}", attendee_company=a.company,
        attendee_email=a.email, attendee_language=a.language, partner_name=p.name,
        space_name=s.name, event_name=e.name, venue=e.venue, timezone=e.timezone,
        starts_at=slot.starts_at.astimezone(zone), ends_at=slot.ends_at.astimezone(zone),
        message=m.message, reason=m.reason, hold_until=m.hold_until, slot_id=slot.id or 0,
        space_id=s.id or 0, sequence=int(m.updated_at.timestamp() - m.created_at.timestamp()),
    )


def _query():  # noqa: ANN202
    return (
        select(Meeting, Attendee, Partner, MeetingSpace, Slot, Event)
        .join(Attendee, col(Attendee.id) == Meeting.attendee_id)
        .join(Partner, col(Partner.id) == Meeting.partner_id)
        .join(MeetingSpace, col(MeetingSpace.id) == Meeting.space_id)
        .join(Slot, col(Slot.id) == Meeting.slot_id)
        .join(Event, col(Event.id) == Meeting.event_id)
    )


def meeting_info(session: Session, meeting_id: int) -> MeetingInfo | None:
    """One meeting's details (no tenancy check: callers pass an id they own)."""
    row = session.exec(_query().where(Meeting.id == meeting_id)).first()
    return _info(*row) if row else None


def partner_meetings(session: Session, scope: PartnerScope) -> list[MeetingInfo]:
    """The partner's meetings, by status then time."""
    rows = session.exec(_query().where(Meeting.partner_id == scope.partner_id)
                        .order_by(col(Slot.starts_at), col(Meeting.id))).all()
    infos = [_info(*r) for r in rows]
    return sorted(infos, key=lambda i: STATUS_ORDER.index(i.status))


def attendee_meetings(session: Session, attendee: Attendee) -> list[MeetingInfo]:
    """An attendee's meetings in time order."""
    rows = session.exec(_query().where(Meeting.attendee_id == attendee.id)
                        .order_by(col(Slot.starts_at), col(Meeting.id))).all()
    return [_info(*r) for r in rows]


@dataclass(frozen=True)
class CalendarCell:
    """One space × slot cell: closed, open, held (pending) or booked."""

    slot_id: int
    space_id: int
    state: str
    meeting_id: int
    label: str  # attendee name when held or booked


@dataclass(frozen=True)
class CalendarView:
    """The partner calendar: slots down, spaces across, with counters (R-BM-6c)."""

    slots: list[tuple[int, str, str]]  # (id, "10 Mar", "09:00–09:30") in the event's zone
    spaces: list[tuple[int, str, str]]  # (id, name, contact email)
    cells: dict[tuple[int, int], CalendarCell]
    selectable: int  # open, free cells still selectable by attendees
    unopened: int  # cells the partner can still open
    confirmed: int


def partner_calendar(session: Session, scope: PartnerScope, *, now: datetime,
                     language: str = "en") -> CalendarView:
    """Build the calendar of the partner's spaces over the event's future and past slots."""
    event = session.get(Event, scope.event_id)
    zone = ZoneInfo(event.timezone if event else "UTC")
    slots = session.exec(select(Slot).where(Slot.event_id == scope.event_id)
                         .order_by(col(Slot.starts_at), col(Slot.id))).all()
    spaces = session.exec(
        select(MeetingSpace, User.email)
        .join(User, col(User.id) == MeetingSpace.contact_user_id, isouter=True)
        .where(MeetingSpace.partner_id == scope.partner_id).order_by(col(MeetingSpace.id))
    ).all()
    space_ids = [s.id for s, _ in spaces]
    open_ = set(session.exec(select(Availability.space_id, Availability.slot_id)
                             .where(col(Availability.space_id).in_(space_ids))).all())
    meetings = session.exec(
        select(Meeting.id, Meeting.space_id, Meeting.slot_id, Meeting.status, Meeting.hold_until,
               Attendee.first_name, Attendee.last_name)
        .join(Attendee, col(Attendee.id) == Meeting.attendee_id)
        .where(col(Meeting.space_id).in_(space_ids),
               col(Meeting.status).in_((MeetingStatus.REQUESTED.value,
                                        MeetingStatus.CONFIRMED.value)))
    ).all()
    taken: dict[tuple[int, int], CalendarCell] = {}
    confirmed = 0
    for mid, space_id, slot_id, status, hold, first, last in meetings:
        if status == MeetingStatus.REQUESTED.value and (hold is None or hold <= now):
            continue
        state = "booked" if status == MeetingStatus.CONFIRMED.value else "held"
        confirmed += state == "booked"
        if (slot_id, space_id) not in taken or state == "booked":
            taken[(slot_id, space_id)] = CalendarCell(slot_id, space_id, state, mid,
                                                      f"{first} {last}")
    cells: dict[tuple[int, int], CalendarCell] = {}
    selectable = unopened = 0
    for slot in slots:
        for space, _ in spaces:
            key = (slot.id or 0, space.id or 0)
            if key in taken:
                cells[key] = taken[key]
            elif (space.id, slot.id) in open_:
                cells[key] = CalendarCell(key[0], key[1], "open", 0, "")
                selectable += slot.starts_at > now
            else:
                cells[key] = CalendarCell(key[0], key[1], "closed", 0, "")
                unopened += slot.starts_at > now
    slot_rows = []
    for s in slots:
        a, b = s.starts_at.astimezone(zone), s.ends_at.astimezone(zone)
        # The day as the reader writes it, local to the event (R-PLUS-1).
        slot_rows.append((s.id or 0, format_day(a, language, zone),
                          f"{format_time(a, language, zone)}–{format_time(b, language, zone)}"))
    return CalendarView(
        slots=slot_rows,
        spaces=[(s.id or 0, s.name, email or "") for s, email in spaces],
        cells=cells, selectable=selectable, unopened=unopened, confirmed=confirmed,
    )


def free_slots(session: Session, *, space_id: int, event: Event, now: datetime,
               attendee_id: int | None = None, language: str = "en") -> list[tuple[int, str]]:
    """Open future slots of a space nobody holds: ``(slot_id, "10 Mar 09:00–09:30")``.

    Labels are in ``language`` and the event's zone (:func:`slot_label`).
    """
    zone = ZoneInfo(event.timezone)
    slots = session.exec(
        select(Slot).join(Availability, col(Availability.slot_id) == Slot.id)
        .where(Availability.space_id == space_id, col(Slot.starts_at) > now)
        .order_by(col(Slot.starts_at))
    ).all()
    busy: set[int] = set()
    if attendee_id is not None:
        busy = set(session.exec(select(Meeting.slot_id).where(
            Meeting.attendee_id == attendee_id,
            Meeting.status == MeetingStatus.CONFIRMED.value)).all())
    out = []
    for s in slots:
        if s.id in busy or slot_is_held(session, space_id=space_id, slot_id=s.id or 0, now=now):
            continue
        a, b = s.starts_at.astimezone(zone), s.ends_at.astimezone(zone)
        out.append((s.id or 0, slot_label(a, b, language)))
    return out


def slot_label(start: datetime, end: datetime, language: str) -> str:
    """``10 Mar 09:00–09:30`` in ``language``, in the zone ``start`` carries (the event's)."""
    zone = start.tzinfo if isinstance(start.tzinfo, ZoneInfo) else None
    return (f"{format_day(start, language, zone)} {format_time(start, language, zone)}"
            f"–{format_time(end, language, zone)}")


@dataclass(frozen=True)
class ProposableSpace:
    """A partner space an attendee may propose a meeting to, with its free slots."""

    space_id: int
    partner_name: str
    partner_type: str
    space_name: str
    slots: list[tuple[int, str]]


def proposable_spaces(session: Session, attendee: Attendee, *, now: datetime,
                      limit: int = 50, language: str = "en") -> list[ProposableSpace]:
    """Spaces of partners whose first matching rule selects this attendee (R-BM-7)."""
    event = session.get(Event, attendee.event_id)
    if event is None:
        return []
    rules = rules_of(session, event.id or 0)
    selects: dict[int, bool] = {}
    for rule in rules:
        found = session.exec(select(Attendee.id).where(Attendee.id == attendee.id,
                                                       attendee_filter(rule))).first()
        selects[rule.id or 0] = found is not None
    partners = session.exec(select(Partner).where(Partner.event_id == event.id)
                            .order_by(col(Partner.name))).all()
    allowed = []
    for partner in partners:
        rule: MatchingRule | None = next((r for r in rules if partner_matches(partner, r)), None)
        if rule is not None and selects.get(rule.id or 0):
            allowed.append(partner)
    out = []
    for partner in allowed:
        for space in session.exec(select(MeetingSpace).where(
                MeetingSpace.partner_id == partner.id).order_by(col(MeetingSpace.id))).all():
            slots = free_slots(session, space_id=space.id or 0, event=event, now=now,
                               attendee_id=attendee.id, language=language)
            if slots:
                out.append(ProposableSpace(space.id or 0, partner.name, partner.type,
                                           space.name, slots[:40]))
            if len(out) >= limit:
                return out
    return out


def status_counts(session: Session, *, event_id: int) -> dict[str, int]:
    """How many meetings of the event are in each status."""
    return {s: int(n) for s, n in session.exec(
        select(Meeting.status, func.count()).where(Meeting.event_id == event_id)
        .group_by(Meeting.status)).all()}


def can_answer(info: MeetingInfo, side: Proposer) -> bool:
    """Whether ``side`` may confirm or decline: a pending request of the other side."""
    return info.status == MeetingStatus.REQUESTED.value and info.proposed_by != side.value
