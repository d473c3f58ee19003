"""UI and email catalogues for en, de, fr and sv (R-UI-1).

Each language has a folder of JSON files, one per area of the product, merged at
import; later features add a file instead of editing a shared one.
"""

import json
from functools import lru_cache
from pathlib import Path

from rxapp.models.common import LANGUAGES

CATALOG_DIR = Path(__file__).resolve().parent
DEFAULT_LANGUAGE = "en"


@lru_cache
def catalog(language: str) -> dict[str, str]:
    """Return every UI string of ``language``, falling back to English key by key."""
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    merged: dict[str, str] = {}
    if language != DEFAULT_LANGUAGE:
        merged.update(catalog(DEFAULT_LANGUAGE))
    for path in sorted((CATALOG_DIR / language).glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def translate(language: str, key: str, **params: object) -> str:
    """Return the text for ``key`` in ``language`` with ``{name}`` placeholders filled."""
    text = catalog(language).get(key, key)
    return text.format(**params) if params else text


def pick_language(*candidates: str | None) -> str:
    """Return the first candidate that Beckon speaks, else English."""
    for cand in candidates:
        if cand:
            short = cand.strip().lower()[:2]
            if short in LANGUAGES:
                return short
    return DEFAULT_LANGUAGE
