"""One search key for names: case and accents ignored ("muller" finds Müller)."""

import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent.
_EXTRA = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d",
                        "þ": "th", "ı": "i"})
MAX_KEY = 100


def search_key(text: str) -> str:
    """Return ``text`` case-folded and without accents, as stored in the search columns.

    The same function fills the columns and folds the query, so a plain byte-wise
    prefix comparison (indexed on SQLite and PostgreSQL alike) ignores case and accents.
    """
    folded = unicodedata.normalize("NFKD", (text or "").casefold().translate(_EXTRA))
    return "".join(c for c in folded if not unicodedata.combining(c))[:MAX_KEY]
