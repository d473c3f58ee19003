"""Pieces shared by every table module."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field

from rxapp.clock import now


def created_at_field() -> datetime:
    """An aware UTC creation time, filled from the app clock."""
    return Field(default_factory=now, nullable=False)


class Language(StrEnum):
    """Languages Beckon speaks, in its UI and its emails (R-UI-1)."""

    EN = "en"  # English, the fallback
    DE = "de"  # German
    FR = "fr"  # French
    SV = "sv"  # Swedish


LANGUAGES: tuple[str, ...] = tuple(lang.value for lang in Language)
