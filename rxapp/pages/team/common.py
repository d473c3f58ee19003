"""Small pieces shared by the team pages."""

import reflex as rx

from rxapp import routes
from rxapp.components.i18n import tr_n
from rxapp.components.shell import tr
from rxapp.i18n import plural_one


def _fill(key: str, **values: rx.Var) -> rx.Var:
    """A catalogue text with ``{name}`` placeholders filled from vars.

    A count passed as ``n`` picks the plural form of the entry (R-UI-1).
    """
    if "n" in values and key in plural_one("en") and not isinstance(values["n"], str):
        rest = {k: v for k, v in values.items() if k != "n"}
        return tr_n(key, values["n"], **rest)
    text = tr(key).to(str)
    for name, value in values.items():
        # Strings go in as they are; numbers are turned into text (to_string would quote a str).
        filler = value if isinstance(value, str) or value._var_type is str else (
            value.to_string())
        text = text.replace("{" + name + "}", filler)
    return text


def _role_label(role: rx.Var) -> rx.Var:
    return tr("team.role." + role.to(str))


def _back_link() -> rx.Component:
    return rx.link(rx.hstack(rx.icon("arrow-left", size=16), rx.text(tr("team.inv.back")),
                             align="center", spacing="1"),
                   href=routes.TEAM, size="2")


