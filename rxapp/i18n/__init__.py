"""UI and email catalogues for en, de, fr and sv (R-UI-1).

Each language has a folder of JSON files, one per area of the product, merged at
import; later features add a file instead of editing a shared one.

A text that depends on a count is a dict of CLDR plural forms instead of a string:
``{"one": "{n} participant", "other": "{n} participants"}`` (French adds ``many``).
:func:`translate` picks the form with Babel's plural rules for the language from the
``n`` parameter; every language must give every form its rules have (a test checks).
"""

import json
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.core import UnknownLocaleError

from rxapp.models.common import LANGUAGES

CATALOG_DIR = Path(__file__).resolve().parent
DEFAULT_LANGUAGE = "en"


PLURAL_PARAM = "n"


@lru_cache
def raw_catalog(language: str) -> dict[str, str | dict[str, str]]:
    """Every entry of ``language`` (plural entries as dicts), English key by key as fallback."""
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    merged: dict[str, str | dict[str, str]] = {}
    if language != DEFAULT_LANGUAGE:
        merged.update(raw_catalog(DEFAULT_LANGUAGE))
    for path in sorted((CATALOG_DIR / language).glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


@lru_cache
def catalog(language: str) -> dict[str, str]:
    """Every UI string of ``language``; a plural entry gives its ``other`` form.

    This is what the browser gets for fixed texts; counted texts use :func:`plural_one`
    next to it, or come from the server already filled by :func:`translate`.
    """
    return {
        key: value.get("other", "") if isinstance(value, dict) else value
        for key, value in raw_catalog(language).items()
    }


@lru_cache
def plural_one(language: str) -> dict[str, str]:
    """The ``one`` form of every plural entry of ``language`` (for counts in the browser)."""
    return {
        key: value.get("one", value.get("other", ""))
        for key, value in raw_catalog(language).items()
        if isinstance(value, dict)
    }


@lru_cache
def plural_tags(language: str) -> frozenset[str]:
    """The plural forms ``language`` has (CLDR, through Babel), ``other`` included."""
    try:
        return frozenset(Locale.parse(language).plural_form.tags | {"other"})
    except (UnknownLocaleError, ValueError):
        return frozenset({"one", "other"})


def plural_form(language: str, count: float) -> str:
    """The CLDR plural form of ``count`` in ``language``: ``one``, ``many`` or ``other``."""
    lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return Locale.parse(lang).plural_form(abs(count))


def translate(language: str, key: str, **params: object) -> str:
    """Return the text for ``key`` in ``language`` with ``{name}`` placeholders filled.

    A plural entry takes the form of the ``n`` parameter (``other`` when a form is
    missing, which the catalogue test forbids).
    """
    text = raw_catalog(language).get(key, key)
    if isinstance(text, dict):
        count = params.get(PLURAL_PARAM, 0)
        form = plural_form(language, count if isinstance(count, int | float) else 0)
        text = text.get(form) or text.get("other", key)
    return text.format(**params) if params else text


def pick_language(*candidates: str | None) -> str:
    """Return the first candidate that Beckon speaks, else English."""
    for cand in candidates:
        if cand:
            short = cand.strip().lower()[:2]
            if short in LANGUAGES:
                return short
    return DEFAULT_LANGUAGE


def negotiate(accept_language: str | None) -> str:
    """Pick the UI language for an anonymous visitor from an Accept-Language header.

    Entries are taken in order of their q-values (Babel's ``negotiate_locale``), so
    ``sv;q=0.5, de;q=0.9`` gives German; a regional tag matches its language.
    """
    from babel import negotiate_locale

    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, index, tag.replace("_", "-")))
    preferred = [tag for _, _, tag in sorted(ranked)]
    preferred += [tag.split("-")[0] for tag in preferred]
    found = negotiate_locale(preferred, list(LANGUAGES), sep="-")
    return found or DEFAULT_LANGUAGE
