"""Events and the business-meetings module switch and settings (R-BM-1, R-BM-9)."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, col, select

from rxapp.models.accounts import Module, Organization
from rxapp.models.meetings import Event
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.common.tenancy import owned_row

# Attendee fields partners may search, filter and see (R-BM-9).
ATTENDEE_FIELDS: tuple[str, ...] = (
    "last_name",
    "first_name",
    "company",
    "job_title",
    "country",
    "interests",
    "language",
    "registration_status",
    "has_account",
)
SEARCHABLE_FIELDS: tuple[str, ...] = ("last_name", "first_name", "company", "job_title",
                                      "interests")
FILTERABLE_FIELDS: tuple[str, ...] = ("country", "company", "job_title", "language",
                                      "registration_status", "has_account")
DEFAULT_COLUMNS: list[str] = ["last_name", "first_name", "company", "job_title", "country"]


@dataclass(frozen=True)
class EventRow:
    """An event as pages show it."""

    id: int
    name: str
    venue: str
    timezone: str
    first_day: date
    last_day: date
    module_enabled: bool
    global_quota: int | None
    hold_minutes: int
    cancel_window_hours: int
    search_fields: tuple[str, ...]
    filter_fields: tuple[str, ...]
    columns: tuple[str, ...]
    partners_manage_spaces: bool


def event_row(event: Event) -> EventRow:
    """The view row of an event."""
    return EventRow(
        id=event.id or 0,
        name=event.name,
        venue=event.venue,
        timezone=event.timezone,
        first_day=event.first_day,
        last_day=event.last_day,
        module_enabled=event.module_enabled,
        global_quota=event.global_quota,
        hold_minutes=event.hold_minutes,
        cancel_window_hours=event.cancel_window_hours,
        search_fields=tuple(event.search_fields),
        filter_fields=tuple(event.filter_fields),
        columns=tuple(event.columns),
        partners_manage_spaces=event.partners_manage_spaces,
    )


def zone_of(event: Event) -> ZoneInfo:
    """The event's time zone."""
    return ZoneInfo(event.timezone)


def _check_zone(name: str) -> str:
    name = (name or "").strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise DomainError("meetings.bad_timezone", "timezone") from exc
    return name


def get_event(session: Session, *, organization_id: int, event_id: object) -> Event:
    """The event with ``event_id`` if it belongs to the organization.

    Raises:
        NotAllowed: Unknown id or another organization's event.
    """
    return owned_row(session, Event, event_id, organization_id=organization_id)


def list_events(session: Session, *, organization_id: int) -> list[EventRow]:
    """The organization's events, soonest first."""
    rows = session.exec(
        select(Event).where(Event.organization_id == organization_id)
        .order_by(col(Event.first_day), col(Event.id))
    ).all()
    return [event_row(e) for e in rows]


def create_event(
    session: Session,
    *,
    organization_id: int,
    name: str,
    venue: str = "",
    timezone: str,
    first_day: date,
    last_day: date,
    now: datetime,
) -> Event:
    """Create an event (module off until switched on); flushed, not committed.

    Raises:
        DomainError: Empty name, unknown time zone, or last day before first day.
    """
    name = (name or "").strip()
    if not name:
        raise DomainError("meetings.name_required", "name")
    zone = _check_zone(timezone)
    if last_day < first_day:
        raise DomainError("meetings.days_order", "last_day")
    event = Event(
        organization_id=organization_id,
        name=name[:200],
        venue=(venue or "").strip()[:200],
        timezone=zone,
        first_day=first_day,
        last_day=last_day,
        columns=list(DEFAULT_COLUMNS),
        search_fields=["last_name", "first_name", "company"],
        filter_fields=["country", "registration_status"],
        created_at=now,
    )
    session.add(event)
    session.flush()
    return event


def set_module_enabled(
    session: Session, *, organization_id: int, event_id: object, enabled: bool
) -> Event:
    """Switch the business-meetings module of an event on or off (R-BM-1).

    Raises:
        NotAllowed: The organization's plan has no meetings module, or a foreign event.
    """
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    org = session.get(Organization, organization_id)
    if enabled and (org is None or Module.MEETINGS.value not in (org.modules or [])):
        raise NotAllowed("meetings.module_not_in_plan")
    event.module_enabled = bool(enabled)
    session.add(event)
    session.flush()
    return event


def _non_negative(value: object, field: str, *, optional: bool = False) -> int | None:
    if value is None or value == "":
        if optional:
            return None
        raise DomainError("meetings.number_required", field)
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise DomainError("meetings.number_required", field) from exc
    if number < 0 or number > 1_000_000:
        raise DomainError("meetings.number_required", field)
    return number


def update_settings(
    session: Session,
    *,
    organization_id: int,
    event_id: object,
    name: str | None = None,
    venue: str | None = None,
    timezone: str | None = None,
    global_quota: object = ...,
    hold_minutes: object = None,
    cancel_window_hours: object = None,
    search_fields: list[str] | None = None,
    filter_fields: list[str] | None = None,
    columns: list[str] | None = None,
    partners_manage_spaces: bool | None = None,
) -> Event:
    """Change an event's settings; only the arguments given change.

    Raises:
        DomainError: A bad number, zone or field name (with the field concerned).
    """
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    if name is not None:
        if not name.strip():
            raise DomainError("meetings.name_required", "name")
        event.name = name.strip()[:200]
    if venue is not None:
        event.venue = venue.strip()[:200]
    if timezone is not None:
        event.timezone = _check_zone(timezone)
    if global_quota is not ...:
        event.global_quota = _non_negative(global_quota, "global_quota", optional=True)
    if hold_minutes is not None:
        minutes = _non_negative(hold_minutes, "hold_minutes") or 0
        if minutes < 1:
            raise DomainError("meetings.number_required", "hold_minutes")
        event.hold_minutes = minutes
    if cancel_window_hours is not None:
        event.cancel_window_hours = _non_negative(cancel_window_hours, "cancel_window_hours") or 0
    for attr, value, allowed in (
        ("search_fields", search_fields, SEARCHABLE_FIELDS),
        ("filter_fields", filter_fields, FILTERABLE_FIELDS),
        ("columns", columns, ATTENDEE_FIELDS),
    ):
        if value is None:
            continue
        if not isinstance(value, list) or any(v not in allowed for v in value):
            raise DomainError("meetings.bad_field", attr)
        setattr(event, attr, list(dict.fromkeys(value)))
    if partners_manage_spaces is not None:
        event.partners_manage_spaces = bool(partners_manage_spaces)
    session.add(event)
    session.flush()
    return event
