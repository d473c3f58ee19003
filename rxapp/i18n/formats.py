"""Dates, times and numbers as each language writes them (Babel), in a given time zone.

One place decides the look: ``24.11.2026, 08:36`` in German, ``24 nov. 2026, 08:36`` in
French, ``2026-11-24 08:36`` in Swedish. Staff pages pass the organization's zone,
invitee pages the invitee's; ``with_zone`` adds the zone's abbreviation where a time
could be misread (a recipient in another zone).
"""

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal

from rxapp.models.common import LANGUAGES

_DATE = {"en": "d MMM yyyy", "de": "dd.MM.yyyy", "fr": "d MMM yyyy", "sv": "yyyy-MM-dd"}
_DATETIME = {"en": "d MMM yyyy, HH:mm", "de": "dd.MM.yyyy, HH:mm",
             "fr": "d MMM yyyy, HH:mm", "sv": "yyyy-MM-dd HH:mm"}
_SHORT = {"en": "d MMM HH:mm", "de": "d. MMM HH:mm", "fr": "d MMM HH:mm", "sv": "d MMM HH:mm"}
_DAY = {"en": "d MMM", "de": "d. MMM", "fr": "d MMM", "sv": "d MMM"}
_TIME = "HH:mm"


def _lang(language: str) -> str:
    return language if language in LANGUAGES else "en"


def zone_of(name: str | None, fallback: str | None = None) -> ZoneInfo:
    """Return the zone named ``name``, else ``fallback``, else UTC (bad names are skipped)."""
    for candidate in (name, fallback):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def _local(value: datetime, zone: ZoneInfo | str | None) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    tz = zone if isinstance(zone, ZoneInfo) else zone_of(zone)
    return value.astimezone(tz)


def _format(value: datetime | None, pattern: dict[str, str], language: str,
            zone: ZoneInfo | str | None, with_zone: bool) -> str:
    if value is None:
        return ""
    local = _local(value, zone)
    lang = _lang(language)
    text = _babel_datetime(local.replace(tzinfo=None), pattern[lang], locale=lang)
    if with_zone:
        text += f" ({local.tzname()})"
    return text


def format_datetime(value: datetime | None, language: str, zone: ZoneInfo | str | None,
                    *, with_zone: bool = False) -> str:
    """``24.11.2026, 08:36`` (de), ``24 nov. 2026, 08:36`` (fr), ``2026-11-24 08:36`` (sv)."""
    return _format(value, _DATETIME, language, zone, with_zone)


def format_short(value: datetime | None, language: str, zone: ZoneInfo | str | None,
                 *, with_zone: bool = False) -> str:
    """Day, month and time without the year: ``1 Dec 08:00`` (status log lines)."""
    return _format(value, _SHORT, language, zone, with_zone)


def format_day(value: datetime | None, language: str, zone: ZoneInfo | str | None) -> str:
    """Day and month: ``12 Jan``."""
    return _format(value, _DAY, language, zone, False)


def format_time(value: datetime | None, language: str, zone: ZoneInfo | str | None,
                *, with_zone: bool = False) -> str:
    """The local time of day, 24-hour: ``08:00``."""
    return _format(value, {k: _TIME for k in LANGUAGES}, language, zone, with_zone)


def format_date(value: date | datetime | None, language: str,
                zone: ZoneInfo | str | None = None) -> str:
    """``24.11.2026`` (de), ``24 nov. 2026`` (fr), ``2026-11-24`` (sv)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _format(value, _DATE, language, zone, False)
    lang = _lang(language)
    return _babel_datetime(datetime.combine(value, datetime.min.time()), _DATE[lang],
                           locale=lang)


def round_score(value: float, digits: int = 1) -> Decimal:
    """The one rounding of a score: halves up (4.25 -> 4.3), as people expect."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def format_number(value: float, language: str, digits: int = 1) -> str:
    """A number rounded by :func:`round_score`, with the language's decimal sign (4,3 in de)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(round_score(value, digits), format=pattern, locale=_lang(language),
                          decimal_quantization=False)
