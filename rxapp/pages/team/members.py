"""Members page with attribute filters and editing (R-TEAM-5)."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.pages.registry import page
from rxapp.pages.team.common import _back_link, _fill, _role_label
from rxapp.pages.team.invitations import _cos_select, _option_checks
from rxapp.states.base import AppState
from rxapp.states.team import (
    ANY,
    ATTRIBUTE_KINDS,
    CLASSES_OF_SERVICE,
    INVITABLE_ROLES,
    LIST_KINDS,
    MembersState,
)

# --- members --------------------------------------------------------------------------


def _filter_select(kind: str) -> rx.Component:
    s = MembersState
    if kind == "role":
        items = [rx.select.item(tr(f"team.role.{r}"), value=r) for r in INVITABLE_ROLES]
    elif kind == "class_of_service":
        items = [rx.select.item(tr(f"team.cos.{c}"), value=c) for c in CLASSES_OF_SERVICE]
    else:
        items = [rx.foreach(s.options[kind].to(list[str]),
                            lambda v: rx.select.item(v, value=v))]
    label = tr("team.inv.role") if kind == "role" else tr(f"team.kind.{kind}")
    return rx.vstack(
        rx.text(label, size="1", weight="medium"),
        rx.select.root(
            rx.select.trigger(aria_label=label, width="100%", id=f"filter-{kind}"),
            rx.select.content(rx.select.item(tr("team.members.any"), value=ANY), *items),
            value=s.filters.get(kind, ANY).to(str),
            on_change=lambda v: s.set_filter(kind, v),
        ),
        spacing="1",
        width="100%",
    )


def _member_card(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.hstack(
                    rx.text(rx.cond(row["name"] != "", row["name"], row["email"]),
                            weight="bold"),
                    rx.badge(_role_label(row["role"]), variant="surface"),
                    rx.cond(~row["active"].to(bool),
                            rx.badge(tr("team.members.inactive"), color_scheme="gray")),
                    wrap="wrap", align="center", spacing="2",
                ),
                rx.text(row["email"], size="2", color_scheme="gray", word_break="break-all"),
                rx.cond(row["attributes"] != "",
                        rx.text(row["attributes"], size="2", class_name="member-attributes")),
                spacing="1",
                flex="1 1 260px",
                min_width="0",
            ),
            rx.hstack(
                rx.cond(row["role"] != "partner", rx.select.root(
                    rx.select.trigger(aria_label=tr("team.members.role_label"),
                                      class_name="member-role"),
                    rx.select.content(*[rx.select.item(tr(f"team.role.{r}"), value=r)
                                        for r in INVITABLE_ROLES]),
                    value=row["role"].to(str),
                    on_change=lambda v: MembersState.change_role(row["id"].to(int), v),
                    disabled=row["me"].to(bool) | ~row["active"].to(bool),
                    size="2",
                )),
                rx.button(rx.icon("pencil", size=14), tr("team.members.edit"), size="2",
                          variant="soft", on_click=MembersState.start_edit(row["id"].to(int))),
                rx.cond(
                    row["active"].to(bool),
                    rx.cond(~row["me"].to(bool), rx.button(
                        tr("team.members.deactivate"), size="2", variant="soft",
                        color_scheme="red", class_name="member-deactivate",
                        on_click=MembersState.ask_deactivate(row["id"].to(int)))),
                    rx.button(tr("team.members.reactivate"), size="2", variant="soft",
                              on_click=MembersState.reactivate(row["id"].to(int))),
                ),
                wrap="wrap", spacing="2",
            ),
            align="center",
            wrap="wrap",
            gap="3",
            width="100%",
        ),
        width="100%",
        class_name="member-row",
    )


def _edit_dialog() -> rx.Component:
    s = MembersState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(_fill("team.members.edit_title", name=s.edit_name)),
            rx.vstack(
                *[_option_checks(kind, s.options, s.edit_chosen, s.toggle_edit)
                  for kind in LIST_KINDS],
                _cos_select(s.edit_cos, s.set_edit_cos),
                rx.cond(s.edit_error != "", rx.text(s.edit_error, color_scheme="red",
                                                    role="alert")),
                rx.hstack(
                    rx.button(tr("common.cancel"), variant="soft", color_scheme="gray",
                              on_click=s.cancel_edit),
                    rx.button(tr("common.save"), on_click=s.save_edit),
                    justify="end", width="100%", spacing="3",
                ),
                spacing="4",
                width="100%",
            ),
            max_width="560px",
        ),
        open=s.edit_open,
        on_open_change=s.set_edit_open,
    )


def _deactivate_dialog() -> rx.Component:
    s = MembersState
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(_fill("team.members.deactivate_title",
                                        name=s.confirm_deactivate_name)),
            rx.alert_dialog.description(tr("team.members.deactivate_body")),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(tr("common.cancel"), variant="soft",
                                                 on_click=s.cancel_deactivate)),
                rx.alert_dialog.action(rx.button(tr("team.members.deactivate"),
                                                 color_scheme="red", on_click=s.deactivate,
                                                 id="deactivate-confirm")),
                justify="end", spacing="3", margin_top="12px",
            ),
        ),
        open=s.confirm_deactivate_id > 0,
    )


@page(route=routes.TEAM_MEMBERS, on_load=[AppState.enter_team, MembersState.load])
def members_page() -> rx.Component:
    """Every member with role and attributes, filterable by each (R-TEAM-5)."""
    s = MembersState
    return app_shell(
        _back_link(),
        page_title(tr("team.members.title")),
        rx.card(
            rx.grid(
                *[_filter_select(kind) for kind in ("role", *ATTRIBUTE_KINDS)],
                columns=rx.breakpoints(initial="1", xs="2", md="3", lg="6"),
                spacing="3",
                width="100%",
            ),
            rx.hstack(
                rx.text(_fill("team.members.count", n=s.rows.length()), size="2",
                        color_scheme="gray"),
                rx.button(tr("team.members.clear"), size="1", variant="ghost",
                          on_click=s.clear_filters),
                align="center", margin_top="8px",
            ),
            width="100%",
            margin_bottom="12px",
        ),
        rx.cond(
            s.rows.length() > 0,
            rx.vstack(rx.foreach(s.rows, _member_card), spacing="3", width="100%"),
            rx.callout(tr("team.members.empty"), icon="users"),
        ),
        _edit_dialog(),
        _deactivate_dialog(),
    )


