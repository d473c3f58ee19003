"""The participant's agenda (R-BM-7): mobile first, opened by the emailed link."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import public_shell, tr
from rxapp.pages.meetings.common import reason_dialog, status_badge
from rxapp.pages.registry import page
from rxapp.states.meetings.agenda import AgendaState


def _meeting(row: rx.Var, actions: rx.Component) -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.hstack(rx.text(row["partner"], weight="bold"), rx.spacer(),
                      status_badge(row["status"]), width="100%", align="center"),
            rx.text(row["when"], " · ", row["space"], size="2"),
            rx.cond(row["message"] != "", rx.text("“", row["message"], "”", size="2",
                                                  font_style="italic")),
            rx.cond(row["reason"] != "", rx.text(tr("meetings.reason"), ": ", row["reason"],
                                                 size="2", color_scheme="red")),
            actions,
            spacing="2", width="100%",
        ),
        border="1px solid var(--gray-a5)", border_radius="8px", padding="12px", width="100%",
        class_name="agenda-meeting",
    )


def _pending(row: rx.Var) -> rx.Component:
    s = AgendaState
    return _meeting(row, rx.cond(
        row["answer"] == "yes",
        rx.hstack(
            rx.button(tr("meetings.accept"), size="3", color_scheme="green", flex="1",
                      on_click=s.accept(row["id"]), class_name="accept-button",
                      min_height="44px"),
            rx.button(tr("meetings.decline"), size="3", variant="soft", color_scheme="red",
                      flex="1", on_click=s.ask_reason("decline", row["id"]), min_height="44px"),
            width="100%", spacing="2"),
        rx.hstack(rx.text(tr("meetings.waiting_partner"), size="2", color_scheme="gray"),
                  rx.spacer(),
                  rx.button(tr("meetings.cancel"), size="2", variant="ghost", color_scheme="red",
                            on_click=s.ask_reason("cancel", row["id"]), min_height="44px"),
                  width="100%"),
    ))


def _confirmed(row: rx.Var) -> rx.Component:
    s = AgendaState
    return _meeting(row, rx.hstack(
        rx.link(rx.button(rx.icon("calendar-plus", size=16), tr("meetings.add_to_calendar"),
                          size="3", variant="soft", min_height="44px"),
                href=_api_url(row["ics"]), is_external=True, class_name="ics-link"),
        rx.button(tr("meetings.cancel"), size="3", variant="ghost", color_scheme="red",
                  on_click=s.ask_reason("cancel", row["id"]), class_name="cancel-button",
                  min_height="44px"),
        wrap="wrap", spacing="2", width="100%",
    ))


def _api_url(path: rx.Var) -> rx.Var:
    """An API path as an absolute URL on the backend's origin."""
    return AgendaState.api_base + path.to(str)


def _offer(offer: rx.Var) -> rx.Component:
    s = AgendaState
    slots = offer["slots"].to(list[dict[str, str]])
    return rx.form(
        rx.vstack(
            rx.hstack(rx.text(offer["partner"], weight="bold"), rx.badge(offer["type"]),
                      rx.text(offer["name"], size="2", color_scheme="gray"), wrap="wrap",
                      align="center"),
            rx.el.input(type="hidden", name="space", value=offer["space"]),
            rx.el.select(rx.foreach(slots, lambda sl: rx.el.option(sl["label"],
                                                                   value=sl["id"])),
                         name="slot", aria_label=tr("meetings.field.slot"),
                         style={"padding": "8px", "border_radius": "6px", "width": "100%",
                                "font_size": "16px", "min_height": "44px"}),
            rx.button(tr("meetings.propose"), type="submit", size="3", width="100%",
                      variant="soft", class_name="propose-button", min_height="44px"),
            spacing="2", width="100%",
        ),
        on_submit=s.propose, reset_on_submit=False,
        border="1px solid var(--gray-a5)", border_radius="8px", padding="12px", width="100%",
    )


@page(route=routes.AGENDA, on_load=AgendaState.load)
def agenda_page() -> rx.Component:
    """Requests to answer, the agenda with .ics per meeting, proposals to partners."""
    s = AgendaState
    return public_shell(
        rx.match(
            s.status,
            ("loading", rx.center(rx.spinner(size="3"), height="30vh")),
            ("invalid", rx.callout(tr("meetings.agenda_invalid"), color_scheme="amber")),
            rx.vstack(
                rx.heading(tr("meetings.agenda_hello").to(str).replace("{name}", s.name),
                           as_="h1", size="6"),
                rx.text(s.event_name, " · ", s.timezone, size="2", color_scheme="gray"),
                rx.heading(tr("meetings.agenda_requests"), as_="h2", size="4"),
                rx.cond(s.pending.length() == 0, rx.text(tr("meetings.agenda_no_requests"),
                                                         size="2", color_scheme="gray")),
                rx.foreach(s.pending, _pending),
                rx.heading(tr("meetings.agenda_mine"), as_="h2", size="4"),
                rx.cond(s.agenda.length() == 0, rx.text(tr("meetings.agenda_empty"), size="2",
                                                        color_scheme="gray")),
                rx.foreach(s.agenda, _confirmed),
                rx.link(tr("meetings.subscribe"), href=s.feed_url, is_external=True,
                        size="2", id="feed-link", display="inline-flex",
                        align_items="center", min_height="44px"),
                rx.heading(tr("meetings.agenda_propose"), as_="h2", size="4"),
                rx.cond(s.offers.length() == 0, rx.text(tr("meetings.agenda_no_offers"),
                                                        size="2", color_scheme="gray")),
                rx.cond(s.propose_error != "", rx.callout(tr(s.propose_error),
                                                          color_scheme="red", role="alert")),
                rx.foreach(s.offers, _offer),
                rx.cond(s.history.length() > 0, rx.fragment(
                    rx.heading(tr("meetings.agenda_history"), as_="h2", size="4"),
                    rx.foreach(s.history, lambda r: _meeting(r, rx.fragment())))),
                spacing="3", width="100%",
            ),
        ),
        reason_dialog(s, "meetings.reason_title"),
    )
