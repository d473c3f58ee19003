"""Fields every kind of person shares (participants, invitees, customers): language, zone."""

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rxapp.models.common import LANGUAGES

# Language names people write instead of codes, in the four languages.
_LANGUAGE_NAMES = {
    "english": "en", "englisch": "en", "anglais": "en", "engelska": "en",
    "german": "de", "deutsch": "de", "allemand": "de", "tyska": "de",
    "french": "fr", "französisch": "fr", "français": "fr", "francais": "fr", "franska": "fr",
    "swedish": "sv", "schwedisch": "sv", "suédois": "sv", "suedois": "sv", "svenska": "sv",
}


def clean_language(value: str, default: str) -> str | None:
    """Return a language code from a cell (code, ``de-DE`` or a name); None if unknown.

    An empty value gives ``default`` (the organization's language, R-UI-1).
    """
    text = (value or "").strip().lower()
    if not text:
        return default
    if text in LANGUAGES:
        return text
    if len(text) >= 3 and text[2] in "-_" and text[:2] in LANGUAGES:
        return text[:2]
    return _LANGUAGE_NAMES.get(text)


@lru_cache(maxsize=1024)
def zone_ok(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows."""
    if not name or name != name.strip():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@lru_cache(maxsize=1)
def zone_names() -> list[str]:
    """Every IANA zone name, sorted, for the zone pickers."""
    return sorted(z for z in available_timezones() if "/" in z or z == "UTC")
