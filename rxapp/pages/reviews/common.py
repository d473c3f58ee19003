"""Pieces shared by the staff review pages: section tabs, labelled fields, selects, pager."""

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


def labelled(label: rx.Var, field_id: str, *children: rx.Component, **props) -> rx.Component:
    """A label above the control whose id is ``field_id`` (and what follows it, its error).

    Args:
        label: The label's text.
        field_id: The id of the control the label names (the e2e tests find fields by it).
        children: The control, then anything shown below it.
        props: More props of the column, such as ``align``.
    """
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="0.9rem"),
        *children,
        spacing="1",
        width="100%",
        **props,
    )


def pager(
    go_page,  # noqa: ANN001
    *,
    first: rx.Var,
    last: rx.Var,
    where: rx.Component | None = None,
) -> rx.Component:
    """Previous and next page of a list, with where the reader is between them, if given.

    Args:
        go_page: The state's event that moves by a step of -1 or 1.
        first: Whether this is the first page (no previous).
        last: Whether this is the last page (no next).
        where: What stands between the buttons, such as ``2 / 7``.
    """
    return rx.hstack(
        rx.button(tr("common.previous"), variant="soft", on_click=go_page(-1), disabled=first),
        *([] if where is None else [where]),
        rx.button(tr("common.next"), variant="soft", on_click=go_page(1), disabled=last),
        align="center",
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
    return labelled(
        label,
        field_id,
        rx.select.root(
            rx.select.trigger(id=field_id, width="100%"),
            rx.select.content(*[rx.select.item(text, value=v) for v, text in options]),
            value=value,
            on_change=on_change,
            size="3",
        ),
        align="stretch",
    )
