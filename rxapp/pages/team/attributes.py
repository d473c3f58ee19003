"""The organization's attribute lists page (R-TEAM-2)."""

import reflex as rx

from rxapp import routes
from rxapp.components.forms import field_error
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.pages.registry import page
from rxapp.pages.team.common import _back_link, _fill
from rxapp.states.base import AppState
from rxapp.states.team import (
    CLASSES_OF_SERVICE,
    LIST_KINDS,
    AttributeListsState,
)

# --- attribute lists ----------------------------------------------------------------


def _list_card(kind: str) -> rx.Component:
    s = AttributeListsState
    err = s.errors.get(kind, "").to(str)
    return rx.card(
        rx.vstack(
            rx.heading(tr(f"team.kind.{kind}"), as_="h2", size="4"),
            rx.cond(
                s.options[kind].to(list[str]).length() > 0,
                rx.flex(
                    rx.foreach(
                        s.options[kind].to(list[str]),
                        lambda v: rx.badge(
                            rx.text(v),
                            rx.icon_button(
                                rx.icon("x", size=12), size="1", variant="ghost",
                                color_scheme="gray",
                                aria_label=_fill("team.lists.remove", value=v),
                                on_click=s.remove(kind, v),
                            ),
                            size="2", variant="surface", radius="full",
                        ),
                    ),
                    wrap="wrap", gap="6px",
                ),
                rx.text(tr("team.lists.empty"), size="2", color_scheme="gray"),
            ),
            rx.form(
                rx.hstack(
                    rx.el.input(type="hidden", name="kind", value=kind),
                    rx.input(name="value", placeholder=tr("team.lists.new_value"),
                             aria_label=tr(f"team.kind.{kind}"),
                             id=f"field-{kind}", key=s.form_key.to_string(), flex="1",
                             size="3"),
                    rx.button(tr("team.step.add"), type="submit", size="3", variant="soft"),
                    width="100%",
                ),
                field_error(tr(err), show=err != "", field_id=f"field-{kind}"),
                on_submit=s.add,
                reset_on_submit=True,
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


@page(route=routes.TEAM_SETTINGS, on_load=[AppState.enter_team, AttributeListsState.load])
def attribute_lists_page() -> rx.Component:
    """The organization's lists of channels, services, sites and skills."""
    return app_shell(
        _back_link(),
        page_title(tr("team.lists.title")),
        rx.text(tr("team.lists.intro"), color_scheme="gray", margin_bottom="12px"),
        rx.grid(
            *[_list_card(kind) for kind in LIST_KINDS],
            rx.card(
                rx.vstack(
                    rx.heading(tr("team.kind.class_of_service"), as_="h2", size="4"),
                    rx.text(tr("team.lists.cos_fixed"), size="2", color_scheme="gray"),
                    rx.flex(*[rx.badge(tr(f"team.cos.{c}"), size="2", variant="soft")
                              for c in CLASSES_OF_SERVICE], wrap="wrap", gap="6px"),
                    spacing="3",
                ),
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
    )


