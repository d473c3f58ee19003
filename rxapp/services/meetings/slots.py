"""The event's shared slot grid (R-BM-2): one by one, in bulk, delete unused; DST-safe.

Slots are stored in UTC and made from wall-clock times in the event's zone: "09:00 every
30 minutes" stays 09:00 local on the day clocks change.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, exists
from sqlmodel import Session, col, select

from rxapp.models.meetings import Availability, Event, Meeting, Slot
from rxapp.services.common.errors import DomainError
from rxapp.services.meetings.events import get_event, zone_of

MAX_BULK_SLOTS = 2000


@dataclass(frozen=True)
class SlotRow:
    """A slot as pages show it, in the event's zone."""

    id: int
    starts_at: datetime  # aware, in the event's zone
    ends_at: datetime
    day: str  # ISO date in the event's zone
    label: str  # "09:00–09:30"
    in_use: bool


def _local(event: Event, day: date, at: time) -> datetime | None:
    """The aware UTC instant of a wall-clock time in the event's zone; None in a DST gap."""
    zone = zone_of(event)
    local = datetime.combine(day, at).replace(tzinfo=zone)
    # A time that does not exist (spring forward) does not survive the round trip.
    back = local.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return local.astimezone(UTC)


def add_slot(
    session: Session, *, organization_id: int, event_id: object, day: date, start: time,
    minutes: int,
) -> Slot:
    """Add one slot at ``start`` local time on ``day`` lasting ``minutes``.

    Raises:
        DomainError: Bad duration, a non-existent local time, or the slot exists already.
    """
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    if not isinstance(minutes, int) or not 5 <= minutes <= 24 * 60:
        raise DomainError("meetings.slot_duration", "minutes")
    starts = _local(event, day, start)
    if starts is None:
        raise DomainError("meetings.slot_time_missing", "start")
    ends = starts + timedelta(minutes=minutes)
    taken = session.exec(
        select(Slot.id).where(Slot.event_id == event.id, Slot.starts_at == starts,
                              Slot.ends_at == ends)
    ).first()
    if taken is not None:
        raise DomainError("meetings.slot_exists", "start")
    slot = Slot(organization_id=organization_id, event_id=event.id or 0, starts_at=starts,
                ends_at=ends)
    session.add(slot)
    session.flush()
    return slot


def plan_bulk(
    event: Event,
    *,
    days: Iterable[date],
    from_time: time,
    to_time: time,
    minutes: int,
    breaks: Iterable[tuple[time, time]] = (),
) -> list[tuple[datetime, datetime]]:
    """The (start, end) UTC pairs of a bulk add: days × from–to × duration, minus breaks.

    A slot overlapping a break is left out; so is one whose local time does not exist.

    Raises:
        DomainError: Bad duration or window, or more than MAX_BULK_SLOTS slots.
    """
    if not isinstance(minutes, int) or not 5 <= minutes <= 24 * 60:
        raise DomainError("meetings.slot_duration", "minutes")
    if to_time <= from_time:
        raise DomainError("meetings.slot_window", "to_time")
    pauses = [(a, b) for a, b in breaks if b > a]
    step = timedelta(minutes=minutes)
    planned: list[tuple[datetime, datetime]] = []
    for day in sorted(set(days)):
        cursor = datetime.combine(day, from_time)
        end_of_day = datetime.combine(day, to_time)
        while cursor + step <= end_of_day:
            start_t, end_t = cursor.time(), (cursor + step).time()
            clash = any(start_t < b and end_t > a for a, b in pauses)
            if not clash:
                starts = _local(event, day, start_t)
                if starts is not None:
                    # Duration in wall-clock terms: the end is built the same way.
                    ends = _local(event, day, end_t) or starts + step
                    planned.append((starts, ends))
            cursor += step
            if len(planned) > MAX_BULK_SLOTS:
                raise DomainError("meetings.slot_too_many", "minutes")
    return planned


def bulk_add_slots(
    session: Session,
    *,
    organization_id: int,
    event_id: object,
    days: Iterable[date],
    from_time: time,
    to_time: time,
    minutes: int,
    breaks: Iterable[tuple[time, time]] = (),
    on_progress: Callable[[int, int], None] | None = None,
    batch: int = 50,
) -> int:
    """Add the bulk grid, skipping slots that exist already; flushed, not committed.

    Args:
        session: The caller's session.
        organization_id: The organizer's organization.
        event_id: The event (checked against the organization).
        days: Dates in the event's zone, within its first and last day.
        from_time: Local start of each day's grid.
        to_time: Local end; the last slot ends at or before it.
        minutes: Slot length.
        breaks: Local (from, to) pauses; a slot overlapping one is left out.
        on_progress: Called as ``(done, total)`` after each batch, for a progress bar.
        batch: Rows per flush.

    Returns:
        How many slots were added.
    """
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    days = list(days)
    for day in days:
        if not event.first_day <= day <= event.last_day:
            raise DomainError("meetings.day_outside_event", "days")
    planned = plan_bulk(event, days=days, from_time=from_time, to_time=to_time,
                        minutes=minutes, breaks=breaks)
    existing = {
        (a.astimezone(UTC), b.astimezone(UTC))
        for a, b in session.exec(
            select(Slot.starts_at, Slot.ends_at).where(Slot.event_id == event.id)
        ).all()
    }
    todo = [p for p in planned if p not in existing]
    for i in range(0, len(todo), batch):
        for starts, ends in todo[i:i + batch]:
            session.add(Slot(organization_id=organization_id, event_id=event.id or 0,
                             starts_at=starts, ends_at=ends))
        session.flush()
        if on_progress is not None:
            on_progress(min(i + batch, len(todo)), len(todo))
    return len(todo)


def _used_ids(session: Session, slot_ids: list[int]) -> set[int]:
    if not slot_ids:
        return set()
    used = set(session.exec(
        select(Meeting.slot_id).where(col(Meeting.slot_id).in_(slot_ids)).distinct()
    ).all())
    used |= set(session.exec(
        select(Availability.slot_id).where(col(Availability.slot_id).in_(slot_ids)).distinct()
    ).all())
    return used


def delete_slots(
    session: Session, *, organization_id: int, event_id: object, slot_ids: list[object]
) -> tuple[int, int]:
    """Delete the given slots that no meeting or availability uses.

    Returns:
        ``(deleted, kept_in_use)``; ids of other events or organizations are ignored.
    """
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    wanted = [i for i in slot_ids if isinstance(i, int) and not isinstance(i, bool)]
    ids = list(session.exec(
        select(Slot.id).where(Slot.event_id == event.id, col(Slot.id).in_(wanted))
    ).all())
    used = _used_ids(session, ids)
    free = [i for i in ids if i not in used]
    if free:
        session.execute(delete(Slot).where(col(Slot.id).in_(free)))
    return len(free), len(used)


def delete_unused_slots(session: Session, *, organization_id: int, event_id: object) -> int:
    """Delete every slot of the event that nothing uses; returns how many."""
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    used_meeting = exists().where(Meeting.slot_id == Slot.id)
    used_avail = exists().where(Availability.slot_id == Slot.id)
    ids = list(session.exec(
        select(Slot.id).where(Slot.event_id == event.id, ~used_meeting, ~used_avail)
    ).all())
    if ids:
        session.execute(delete(Slot).where(col(Slot.id).in_(ids)))
    return len(ids)


def list_slots(session: Session, *, organization_id: int, event_id: object) -> list[SlotRow]:
    """The event's slots in order, shown in the event's zone."""
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    zone = zone_of(event)
    slots = session.exec(
        select(Slot).where(Slot.event_id == event.id).order_by(col(Slot.starts_at), col(Slot.id))
    ).all()
    used = _used_ids(session, [s.id for s in slots if s.id])
    rows = []
    for s in slots:
        a, b = s.starts_at.astimezone(zone), s.ends_at.astimezone(zone)
        rows.append(SlotRow(id=s.id or 0, starts_at=a, ends_at=b, day=a.date().isoformat(),
                            label=f"{a:%H:%M}–{b:%H:%M}", in_use=(s.id in used)))
    return rows
