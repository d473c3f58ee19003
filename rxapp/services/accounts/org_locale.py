"""The organization's defaults for people and sends: language, zone, send window (R-PLUS-1)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from rxapp.models import Organization, Role
from rxapp.services.accounts.auth import Principal
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.common.send_time import (
    DEFAULT_WINDOW,
    into_send_window,
    parse_hhmm,
    window_of,
)


@dataclass(frozen=True)
class OrgLocale:
    """What every member of the staff may read: defaults for new people and sends."""

    language: str
    timezone: str
    window: tuple[int, int]


def org_locale(session: Session, *, organization_id: int) -> OrgLocale:
    """Return an organization's language, zone and send window (defaults when missing)."""
    org = session.get(Organization, organization_id)
    if org is None:
        return OrgLocale(language="en", timezone="UTC", window=DEFAULT_WINDOW)
    return OrgLocale(language=org.default_language, timezone=org.timezone,
                     window=window_of(org))


def set_send_window(session: Session, *, principal: Principal, start: str, end: str) -> OrgLocale:
    """Change the send window (``HH:MM`` texts); admins only.

    Raises:
        NotAllowed: not an admin.
        DomainError: ``settings.error.window_time`` (field ``send_window_start`` or
            ``send_window_end``) or ``settings.error.window_order``.

    """
    if principal.role != Role.ADMIN.value:
        raise NotAllowed()
    first, last = parse_hhmm(start), parse_hhmm(end)
    if first is None:
        raise DomainError("settings.error.window_time", field="send_window_start")
    if last is None:
        raise DomainError("settings.error.window_time", field="send_window_end")
    if last - first < 60:
        raise DomainError("settings.error.window_order", field="send_window_end")
    org = session.get(Organization, principal.organization_id)
    if org is None:
        raise NotAllowed()
    org.send_window_start, org.send_window_end = first, last
    session.add(org)
    session.flush()
    return org_locale(session, organization_id=org.id)


def window_preview(
    *, now: datetime, zone: str, window: tuple[int, int], hours: tuple[int, ...] = (23, 6, 12)
) -> list[tuple[datetime, datetime]]:
    """Example sends for the settings page: planned local times and where they go."""
    from rxapp.services.common.send_time import local_to_utc, resolve_zone

    tz = resolve_zone(zone, None)
    day = now.astimezone(tz).date() + timedelta(days=1)
    out = []
    for hour in hours:
        planned = local_to_utc(datetime(day.year, day.month, day.day, hour, 10), tz)
        out.append((planned, into_send_window(planned, tz, window)))
    return out
