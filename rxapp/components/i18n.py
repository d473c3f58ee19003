"""Counted texts in the browser: the plural form of a catalogue entry for a number var."""

import reflex as rx

from rxapp.states.base import AppState


def tr_n(key: str, n: rx.Var, **values: rx.Var | str) -> rx.Var:
    """The text of plural entry ``key`` for the count ``n``, ``{n}`` and others filled.

    The browser only needs ``one`` and ``other``: in English, German and Swedish ``one``
    is exactly 1, in French 0 and 1 (French ``many`` reads as ``other`` in every entry).
    Server-side texts use :func:`rxapp.i18n.translate`, which applies Babel's full rules.
    """
    count = n.to(int)
    is_one = rx.cond(AppState.language == "fr", (count == 0) | (count == 1), count == 1)
    text = rx.cond(is_one, AppState.t_one[key], AppState.t[key]).to(str)
    text = text.replace("{n}", count.to_string())
    for name, value in values.items():
        filler = value if isinstance(value, str) or value._var_type is str else value.to_string()
        text = text.replace("{" + name + "}", filler)
    return text
