"""When to send: local wall time, recurring schedules, quiet hours (R-PLUS-1, R-INT-6).

Pure functions over ``zoneinfo``. Schedules are computed in the wall time of the zone
they are meant in and returned as aware UTC, which is what the outbox stores.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

QUIET_START = time(21, 0)
QUIET_END = time(8, 0)


def _zone(zone: ZoneInfo | str) -> ZoneInfo:
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)


def _valid_zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def resolve_zone(recipient_tz: str | None, org_tz: str | None) -> ZoneInfo:
    """Return the zone a send is meant in: the recipient's, else the organization's, else UTC.

    Unknown or malformed names are skipped rather than failing the send.
    """
    return _valid_zone(recipient_tz) or _valid_zone(org_tz) or ZoneInfo("UTC")


def local_to_utc(local: datetime, zone: ZoneInfo | str) -> datetime:
    """Turn a naive wall-clock time in ``zone`` into aware UTC.

    A time skipped by a daylight-saving jump (02:30 on a spring-forward night) moves
    forward by the size of the jump (03:30); a repeated time (autumn) takes its first
    occurrence.
    """
    if local.tzinfo is not None:
        raise ValueError("local_to_utc expects a naive wall-clock time")
    tz = _zone(zone)
    # fold=0 uses the offset in force before a transition: in a gap that lands after the
    # gap (shift forward), in a fold it picks the first of the two moments.
    return local.replace(tzinfo=tz, fold=0).astimezone(UTC)


def weekly_occurrences(
    start_local_date: date,
    at_time: time,
    zone: ZoneInfo | str,
    count: int,
    *,
    every_weeks: int = 1,
) -> list[datetime]:
    """Return ``count`` weekly moments at ``at_time`` wall time in ``zone``, as aware UTC.

    A weekly 09:00 Europe/Berlin reminder stays at 09:00 local across the
    daylight-saving change: each date is computed in local time first.

    Args:
        start_local_date: Local date of the first occurrence.
        at_time: Local time of day.
        zone: IANA zone name or ZoneInfo.
        count: How many occurrences.
        every_weeks: Interval in weeks.

    """
    return [
        local_to_utc(
            datetime.combine(start_local_date + timedelta(weeks=i * every_weeks), at_time), zone
        )
        for i in range(count)
    ]


def next_local_time(after_utc: datetime, hour: int, minute: int, zone: ZoneInfo | str) -> datetime:
    """Return the first moment strictly after ``after_utc`` that reads hour:minute in ``zone``.

    Args:
        after_utc: Aware reference time.
        hour: Local hour.
        minute: Local minute.
        zone: IANA zone name or ZoneInfo.

    Returns:
        Aware UTC datetime.

    """
    if after_utc.tzinfo is None:
        raise ValueError("after_utc must be aware")
    tz = _zone(zone)
    local_day = after_utc.astimezone(tz).date()
    at = time(hour, minute)
    for offset in range(3):
        candidate = local_to_utc(datetime.combine(local_day + timedelta(days=offset), at), tz)
        if candidate > after_utc:
            return candidate
    raise AssertionError("unreachable: a local time recurs within two days")


def in_quiet_hours(
    when_utc: datetime, zone: ZoneInfo | str, start: time = QUIET_START, end: time = QUIET_END
) -> bool:
    """Whether ``when_utc`` falls in the quiet hours [start, end) of local time in ``zone``."""
    if start == end:
        return False
    local = when_utc.astimezone(_zone(zone)).time().replace(tzinfo=None)
    if start > end:  # spans midnight, e.g. 21:00-08:00
        return local >= start or local < end
    return start <= local < end


def apply_quiet_hours(
    when_utc: datetime, zone: ZoneInfo | str, start: time = QUIET_START, end: time = QUIET_END
) -> datetime:
    """Move a send out of quiet hours to their end in local time (R-PLUS-1).

    Args:
        when_utc: Planned send time (aware).
        zone: The recipient's zone (see :func:`resolve_zone`).
        start: Start of quiet hours, local.
        end: End of quiet hours, local; sends move to this time.

    Returns:
        ``when_utc`` itself when outside quiet hours, else the next ``end`` local time.

    """
    if when_utc.tzinfo is None:
        raise ValueError("when_utc must be aware")
    if not in_quiet_hours(when_utc, zone, start, end):
        return when_utc
    return next_local_time(when_utc, end.hour, end.minute, zone)


# --- the organization's send window (R-PLUS-1) -------------------------------------------

DEFAULT_WINDOW = (8 * 60, 21 * 60)  # 08:00-21:00 local, minutes after midnight


def _minutes(value: int) -> time:
    value = max(0, min(24 * 60 - 1, int(value)))
    return time(value // 60, value % 60)


def into_send_window(
    when_utc: datetime, zone: ZoneInfo | str, window: tuple[int, int] = DEFAULT_WINDOW
) -> datetime:
    """Move a time-of-day send into the send window of local time in ``zone``.

    The window is ``[start, end)`` in local minutes after midnight (default 08:00-21:00);
    a send outside it moves to the next opening (the same evening's sends to the next
    morning, an early one to that morning), computed in wall time so it stays at 08:00
    local across daylight-saving changes. Inside the window it is left alone.

    Args:
        when_utc: Planned send time (aware).
        zone: The recipient's zone (see :func:`resolve_zone`).
        window: ``(start, end)`` minutes after local midnight; equal values: no window.

    Returns:
        Aware UTC.

    """
    start, end = window
    if start == end:
        return when_utc
    # Sends are quiet outside the window: [end, start) local.
    return apply_quiet_hours(when_utc, zone, _minutes(end), _minutes(start))


def window_label(window: tuple[int, int]) -> tuple[str, str]:
    """The window as two ``HH:MM`` texts."""
    return tuple(_minutes(m).strftime("%H:%M") for m in window)  # type: ignore[return-value]


def parse_hhmm(text: str) -> int | None:
    """Minutes after midnight of ``HH:MM`` (00:00-23:59, also 24:00 as end of day); else None."""
    parts = (text or "").strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    hour, minute = int(parts[0]), int(parts[1])
    if (hour, minute) == (24, 0):
        return 24 * 60 - 1
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return hour * 60 + minute


def window_of(org: object | None) -> tuple[int, int]:
    """The send window of an organization row, in local minutes; the default when unset."""
    start = getattr(org, "send_window_start", None)
    end = getattr(org, "send_window_end", None)
    if start is None or end is None:
        return DEFAULT_WINDOW
    return int(start), int(end)
