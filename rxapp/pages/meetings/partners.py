"""Organizer page: partners with type, quota, contacts, products and spaces (R-BM-3, R-BM-4)."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import app_shell, tr
from rxapp.pages.meetings.common import event_tabs, labelled
from rxapp.pages.registry import page
from rxapp.states.base import LANGUAGES, AppState
from rxapp.states.meetings.partners import NONE, PARTNER_TYPES, PartnersState


def _partner_card(row: rx.Var) -> rx.Component:
    s = PartnersState
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(row["name"], size="3", as_="h3"),
                rx.badge(row["type"]),
                rx.spacer(),
                rx.text(tr("meetings.col.spaces"), ": ", row["spaces"], size="2"),
                wrap="wrap", align="center", width="100%",
            ),
            rx.text(tr("meetings.col.contacts"), ": ",
                    rx.cond(row["contacts"] != "", row["contacts"], "—"), size="2",
                    word_break="break-all"),
            rx.text(tr("meetings.col.products"), ": ",
                    rx.cond(row["products"] != "", row["products"], "—"), size="2"),
            rx.hstack(
                rx.input(default_value=row["quota"], key=row["quota"], width="90px",
                         placeholder=tr("meetings.col.quota"), input_mode="numeric",
                         aria_label=tr("meetings.field.partner_quota"),
                         on_blur=lambda v: s.set_quota(row["id"], v)),
                rx.select.root(
                    rx.select.trigger(placeholder=tr("meetings.add_contact"),
                                      aria_label=tr("meetings.add_contact")),
                    rx.select.content(rx.foreach(s.partner_users, lambda u: rx.select.item(
                        u["email"], value=u["id"]))),
                    value="", on_change=lambda v: s.add_contact(row["id"], v),
                ),
                rx.select.root(
                    rx.select.trigger(placeholder=tr("meetings.assign_product"),
                                      aria_label=tr("meetings.assign_product")),
                    rx.select.content(
                        rx.select.item("—", value=NONE),
                        rx.foreach(s.products, lambda p: rx.select.item(p["name"],
                                                                         value=p["id"]))),
                    value="", on_change=lambda v: s.assign_product(row["id"], v),
                ),
                wrap="wrap", spacing="2",
            ),
            spacing="2", width="100%",
        ),
        width="100%", class_name="partner-card",
    )


def _invite_card() -> rx.Component:
    """Invite a sales contact: a team invitation with role partner, tied to the partner."""
    s = PartnersState
    select_style = {"padding": "6px", "border_radius": "6px"}
    return rx.card(
        rx.heading(tr("meetings.invite_contact"), size="4", as_="h2", margin_bottom="4px"),
        rx.text(tr("meetings.invite_contact_help"), size="2", color_scheme="gray"),
        rx.form(
            rx.grid(
                labelled("meetings.col.partner", rx.el.select(
                    rx.foreach(s.rows, lambda r: rx.el.option(r["name"], value=r["id"])),
                    name="partner_id", id="invite-partner", style=select_style),
                    s.invite_errors, "partner_id"),
                labelled("meetings.field.email", rx.input(name="email", type="email",
                                                          id="invite-email"),
                         s.invite_errors, "email"),
                labelled("meetings.field.name", rx.input(name="name", id="invite-name"),
                         s.invite_errors, "name"),
                labelled("meetings.field.language", rx.el.select(
                    *[rx.el.option(tr(f"lang.{c}"), value=c) for c in LANGUAGES],
                    name="language", id="invite-language", style=select_style),
                    s.invite_errors, "language"),
                columns=rx.breakpoints(initial="1", sm="2", lg="4"), spacing="3", width="100%",
            ),
            rx.button(tr("meetings.invite"), type="submit", margin_top="12px",
                      id="invite-contact"),
            on_submit=s.invite_contact, reset_on_submit=False, margin_top="8px",
        ),
        rx.cond(s.invited.length() > 0, rx.vstack(
            rx.text(tr("meetings.invited_contacts"), weight="medium", size="2"),
            rx.foreach(s.invited, lambda i: rx.text(
                i["partner"], " · ", i["name"], " · ", i["email"], size="2",
                word_break="break-all", class_name="invited-contact")),
            spacing="1", margin_top="8px")),
        width="100%",
    )


def _space_row(row: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(row["partner"], weight="medium"),
        rx.text(row["name"]),
        rx.text(rx.cond(row["contact"] != "", row["contact"], row["theme"]), size="2",
                color_scheme="gray", word_break="break-all"),
        rx.spacer(),
        rx.icon_button(rx.icon("trash-2", size=14), size="1", variant="soft", color_scheme="red",
                       aria_label=tr("meetings.delete"),
                       on_click=PartnersState.ask_delete_space(row["id"])),
        wrap="wrap", width="100%", align="center",
    )


@page(route=routes.EVENT_PARTNERS, on_load=[AppState.enter_staff, PartnersState.load])
def partners_page() -> rx.Component:
    """Partners, their contacts, products, quotas and meeting spaces."""
    s = PartnersState
    return app_shell(
        event_tabs("partners"),
        rx.vstack(
            rx.card(
                rx.heading(tr("meetings.add_partner"), size="4", as_="h2", margin_bottom="8px"),
                rx.form(
                    rx.grid(
                        labelled("meetings.field.name", rx.input(name="name", id="partner-name"),
                                 s.errors, "name"),
                        labelled("meetings.field.type", rx.el.select(
                            *[rx.el.option(t, value=t) for t in PARTNER_TYPES],
                            name="type", id="partner-type",
                            style={"padding": "6px", "border_radius": "6px"})),
                        labelled("meetings.field.partner_quota",
                                 rx.input(name="quota", input_mode="numeric"), s.errors, "quota"),
                        columns=rx.breakpoints(initial="1", sm="3"), spacing="3", width="100%",
                    ),
                    rx.button(tr("meetings.add"), type="submit", margin_top="12px"),
                    on_submit=s.add_partner, reset_on_submit=True,
                ),
                width="100%",
            ),
            rx.cond(s.rows.length() == 0, rx.callout(tr("meetings.no_partners"), icon="info")),
            rx.foreach(s.rows, _partner_card),
            rx.cond(s.rows.length() > 0, _invite_card()),
            rx.card(
                rx.hstack(
                    rx.heading(tr("meetings.spaces"), size="4", as_="h2"),
                    rx.spacer(),
                    rx.button(tr("meetings.bulk_spaces"), on_click=s.bulk_spaces, size="2",
                              variant="soft"),
                    wrap="wrap", width="100%", align="center",
                ),
                rx.form(
                    rx.hstack(
                        rx.el.select(rx.foreach(s.rows, lambda r: rx.el.option(
                            r["name"], value=r["id"])), name="partner_id",
                            aria_label=tr("meetings.col.partner"),
                            style={"padding": "6px", "border_radius": "6px"}),
                        rx.input(name="theme", placeholder=tr("meetings.field.theme")),
                        rx.button(tr("meetings.add_space"), type="submit", size="2"),
                        wrap="wrap", spacing="2", margin_y="8px",
                    ),
                    on_submit=s.add_space, reset_on_submit=True,
                ),
                rx.vstack(rx.foreach(s.spaces, _space_row), spacing="2", width="100%"),
                width="100%",
            ),
            rx.card(
                rx.heading(tr("meetings.products"), size="4", as_="h2", margin_bottom="8px"),
                rx.form(
                    rx.grid(
                        labelled("meetings.field.name", rx.input(name="name"),
                                 s.product_errors, "name"),
                        labelled("meetings.field.kind", rx.el.select(
                            rx.el.option(tr("meetings.kind.meeting_quota"),
                                         value="meeting_quota"),
                            rx.el.option(tr("meetings.kind.other"), value="other"),
                            name="kind", style={"padding": "6px", "border_radius": "6px"})),
                        labelled("meetings.field.quantity",
                                 rx.input(name="quantity", input_mode="numeric"),
                                 s.product_errors, "quantity"),
                        columns=rx.breakpoints(initial="1", sm="3"), spacing="3", width="100%",
                    ),
                    rx.button(tr("meetings.add"), type="submit", margin_top="12px"),
                    on_submit=s.add_product, reset_on_submit=True,
                ),
                rx.vstack(rx.foreach(s.products, lambda p: rx.text(
                    p["name"], " · ", tr("meetings.kind." + p["kind"].to(str)), " ",
                    p["quantity"], size="2")), spacing="1", margin_top="8px"),
                width="100%",
            ),
            spacing="4", width="100%",
        ),
        rx.alert_dialog.root(
            rx.alert_dialog.content(
                rx.alert_dialog.title(tr("meetings.delete_space")),
                rx.alert_dialog.description(tr("meetings.delete_space_confirm")),
                rx.hstack(
                    rx.alert_dialog.cancel(rx.button(tr("common.cancel"), variant="soft",
                                                     color_scheme="gray")),
                    rx.alert_dialog.action(rx.button(tr("meetings.delete"), color_scheme="red",
                                                     on_click=s.delete_space)),
                    justify="end", spacing="3", margin_top="12px",
                ),
            ),
            open=s.confirm_space_id != 0, on_open_change=s.set_confirm_space,
        ),
    )
