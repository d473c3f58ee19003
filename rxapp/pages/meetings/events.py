"""Organizer pages: the events list and an event's configuration (R-BM-1, R-BM-4, R-BM-9)."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.pages.meetings.common import err_text, event_tabs, labelled
from rxapp.pages.registry import page
from rxapp.states.base import AppState
from rxapp.states.meetings.events import OPTION_KINDS, EventsState, EventState


def _event_card(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.link(rx.heading(row["name"], size="4", as_="h2"), href=row["href"]),
                rx.text(row["days"], " · ", row["tz"], size="2", color_scheme="gray"),
                rx.text(row["venue"], size="2"),
                spacing="1", flex="1", min_width="0",
            ),
            rx.badge(rx.cond(row["on"] == "yes", tr("meetings.module_on"),
                             tr("meetings.module_off")),
                     color_scheme=rx.cond(row["on"] == "yes", "green", "gray")),
            wrap="wrap", width="100%", align="center",
        ),
        width="100%",
    )


def _create_form() -> rx.Component:
    s = EventsState
    return rx.card(
        rx.heading(tr("meetings.new_event"), size="4", as_="h2", margin_bottom="8px"),
        rx.form(
            rx.grid(
                labelled("meetings.field.name", rx.input(name="name", id="event-name",
                                                         required=True), s.errors, "name"),
                labelled("meetings.field.venue", rx.input(name="venue", id="event-venue")),
                labelled("meetings.field.timezone",
                         rx.input(name="timezone", id="event-tz", default_value="Europe/Paris"),
                         s.errors, "timezone"),
                labelled("meetings.field.first_day",
                         rx.input(name="first_day", type="date", id="event-first"),
                         s.errors, "first_day"),
                labelled("meetings.field.last_day",
                         rx.input(name="last_day", type="date", id="event-last"),
                         s.errors, "last_day"),
                columns=rx.breakpoints(initial="1", sm="2", lg="3"), spacing="3", width="100%",
            ),
            rx.button(tr("meetings.create_event"), type="submit", margin_top="12px",
                      id="create-event"),
            on_submit=s.create, reset_on_submit=False,
        ),
        width="100%",
    )


@page(route=routes.EVENTS, on_load=[AppState.enter_events, EventsState.load])
def events_page() -> rx.Component:
    """The organization's events, and a form to create one."""
    return app_shell(
        page_title(tr("meetings.events_title")),
        rx.vstack(
            rx.cond(EventsState.rows.length() == 0,
                    rx.callout(tr("meetings.no_events"), icon="calendar")),
            rx.foreach(EventsState.rows, _event_card),
            _create_form(),
            spacing="3", width="100%",
        ),
    )


def _option_group(kind: str) -> rx.Component:
    s = EventState
    return rx.vstack(
        rx.text(tr(f"meetings.option.{kind}"), weight="medium", size="2"),
        rx.hstack(
            *[rx.checkbox(tr(f"meetings.field.{f}"),
                          checked=s.options.get(kind, []).to(list[str]).contains(f),
                          on_change=lambda _v, f=f: s.toggle_option(kind, f))
              for f in OPTION_KINDS[kind]],
            wrap="wrap", spacing="3",
        ),
        spacing="2", width="100%",
    )


def _ledger_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["name"]), rx.table.cell(row["type"]),
        rx.table.cell(tr("meetings.level." + row["level"].to(str))),
        rx.table.cell(row["quota"]), rx.table.cell(row["used"]),
        rx.table.cell(row["pending"]), rx.table.cell(row["left"]),
    )


@page(route=routes.EVENT, on_load=[AppState.enter_staff, EventState.load])
def event_page() -> rx.Component:
    """An event's module switch, settings, partner-space options and quota ledger."""
    s = EventState
    return app_shell(
        rx.cond(
            s.found,
            rx.vstack(
                event_tabs(""),
                rx.card(
                    rx.hstack(
                        rx.switch(checked=s.module_enabled, on_change=s.set_module,
                                  id="module-switch", aria_label=tr("meetings.module_switch")),
                        rx.text(tr("meetings.module_switch"), weight="medium"),
                        align="center", spacing="3",
                    ),
                    rx.text(s.days, " · ", s.timezone, " · ", s.venue, size="2",
                            color_scheme="gray", margin_top="6px"),
                    width="100%",
                ),
                rx.card(
                    rx.heading(tr("meetings.settings"), size="4", as_="h2", margin_bottom="8px"),
                    rx.form(
                        rx.grid(
                            labelled("meetings.field.global_quota",
                                     rx.input(name="global_quota", default_value=s.global_quota,
                                              key=s.global_quota, id="global-quota",
                                              input_mode="numeric"),
                                     s.errors, "global_quota"),
                            labelled("meetings.field.hold_minutes",
                                     rx.input(name="hold_minutes", default_value=s.hold_minutes,
                                              key=s.hold_minutes, input_mode="numeric"),
                                     s.errors, "hold_minutes"),
                            labelled("meetings.field.cancel_window_hours",
                                     rx.input(name="cancel_window_hours",
                                              default_value=s.cancel_window_hours,
                                              key=s.cancel_window_hours, input_mode="numeric"),
                                     s.errors, "cancel_window_hours"),
                            columns=rx.breakpoints(initial="1", sm="3"), spacing="3",
                            width="100%",
                        ),
                        rx.text(tr("meetings.quota_help"), size="1", color_scheme="gray"),
                        rx.button(tr("common.save"), type="submit", margin_top="8px",
                                  id="save-settings"),
                        on_submit=s.save, reset_on_submit=False,
                    ),
                    width="100%",
                ),
                rx.card(
                    rx.heading(tr("meetings.partner_space_options"), size="4", as_="h2",
                               margin_bottom="8px"),
                    rx.vstack(
                        *[_option_group(k) for k in OPTION_KINDS],
                        rx.hstack(rx.switch(checked=s.partners_manage_spaces,
                                            on_change=s.set_partners_manage,
                                            aria_label=tr("meetings.partners_manage_spaces")),
                                  rx.text(tr("meetings.partners_manage_spaces")),
                                  align="center", spacing="3"),
                        spacing="4", width="100%",
                    ),
                    width="100%",
                ),
                rx.card(
                    rx.heading(tr("meetings.ledger"), size="4", as_="h2", margin_bottom="8px"),
                    rx.cond(s.ledgers.length() == 0, rx.text(tr("meetings.no_partners"),
                                                             color_scheme="gray")),
                    rx.box(
                        rx.table.root(
                            rx.table.header(rx.table.row(*[
                                rx.table.column_header_cell(tr(f"meetings.col.{c}"))
                                for c in ("partner", "type", "level", "quota", "used",
                                          "pending", "left")])),
                            rx.table.body(rx.foreach(s.ledgers, _ledger_row)),
                            size="1", id="ledger", min_width="max-content",
                        ),
                        # The box scrolls on a phone; keyboard users reach it (axe-core).
                        overflow_x="auto", width="100%", tab_index=0, role="region",
                        aria_label=tr("meetings.ledger"),
                    ),
                    width="100%",
                ),
                err_text(s.errors, "form"),
                spacing="4", width="100%",
            ),
            rx.callout(tr("meetings.event_not_found"), color_scheme="amber"),
        ),
    )
