"""Pieces shared by the staff review pages: the section tabs and small selects."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import tr
from rxapp.states.base import AppState

_TABS = (
    ("reviews.tab.reviews", routes.REVIEWS),
    ("reviews.tab.purchases", routes.REVIEWS_PURCHASES),
    ("reviews.tab.settings", routes.REVIEWS_SETTINGS),
)


def section_tabs() -> rx.Component:
    """Links between the three staff pages of the reviews module."""
    return rx.flex(
        *[
            rx.link(
                rx.button(
                    tr(key),
                    # Production serves pages with a trailing slash.
                    variant=rx.cond(
                        (AppState.router.url.path == route)
                        | (AppState.router.url.path == route + "/"),
                        "solid",
                        "soft",
                    ),
                    size="2",
                ),
                href=route,
            )
            for key, route in _TABS
        ],
        gap="8px",
        wrap="wrap",
        margin_bottom="16px",
        as_="nav",
        aria_label=tr("nav.reviews"),
    )


def select_field(
    *,
    label: rx.Var,
    value: rx.Var,
    options: list[tuple[str, rx.Var]],
    on_change,  # noqa: ANN001
    field_id: str,
) -> rx.Component:
    """A labelled select whose options are (value, label) pairs."""
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="0.9rem"),
        rx.select.root(
            rx.select.trigger(id=field_id, width="100%"),
            rx.select.content(*[rx.select.item(text, value=v) for v, text in options]),
            value=value,
            on_change=on_change,
            size="3",
        ),
        spacing="1",
        width="100%",
        align="stretch",
    )
