"""Organizer page: the event's shared slot grid (R-BM-2)."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import app_shell, tr
from rxapp.pages.meetings.common import event_tabs, fill, labelled
from rxapp.pages.registry import page
from rxapp.states.base import AppState
from rxapp.states.meetings.slots import SlotsState


def _slot_chip(slot: rx.Var) -> rx.Component:
    return rx.badge(
        slot["label"],
        rx.cond(slot["used"] == "no",
                rx.icon("x", size=12, cursor="pointer", aria_label=tr("meetings.delete"),
                        on_click=SlotsState.delete_slot(slot["id"].to(int)))),
        size="2", variant=rx.cond(slot["used"] == "yes", "solid", "soft"),
    )


def _day(day: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(day["day"], weight="bold"),
        rx.hstack(rx.foreach(day["slots"].to(list[dict[str, str]]), _slot_chip),
                  wrap="wrap", spacing="2"),
        spacing="2", width="100%",
    )


def _bulk_form() -> rx.Component:
    s = SlotsState
    return rx.card(
        rx.heading(tr("meetings.bulk_add"), size="4", as_="h2", margin_bottom="8px"),
        rx.form(
            rx.grid(
                labelled("meetings.field.from_day", rx.input(
                    name="from_day", type="date", default_value=s.first_day, key=s.first_day,
                    id="bulk-from-day"), s.bulk_errors, "from_day"),
                labelled("meetings.field.to_day", rx.input(
                    name="to_day", type="date", default_value=s.last_day, key=s.last_day,
                    id="bulk-to-day"), s.bulk_errors, "to_day"),
                labelled("meetings.field.from_time", rx.input(
                    name="from_time", type="time", default_value="09:00", id="bulk-from"),
                    s.bulk_errors, "from_time"),
                labelled("meetings.field.to_time", rx.input(
                    name="to_time", type="time", default_value="17:00", id="bulk-to"),
                    s.bulk_errors, "to_time"),
                labelled("meetings.field.minutes", rx.input(
                    name="minutes", default_value="30", input_mode="numeric", id="bulk-minutes"),
                    s.bulk_errors, "minutes"),
                labelled("meetings.field.break_from", rx.input(
                    name="break_from", type="time", id="bulk-break-from")),
                labelled("meetings.field.break_to", rx.input(
                    name="break_to", type="time", id="bulk-break-to")),
                columns=rx.breakpoints(initial="2", md="4"), spacing="3", width="100%",
            ),
            rx.button(tr("meetings.bulk_add_button"), type="submit", margin_top="12px",
                      loading=s.running, id="bulk-add"),
            on_submit=s.start_bulk, reset_on_submit=False,
        ),
        rx.cond(s.running, rx.vstack(
            rx.progress(value=rx.cond(s.todo > 0, s.done * 100 / s.todo, 0)),
            rx.text(fill("meetings.progress", done=s.done, total=s.todo), size="2"),
            width="100%", margin_top="8px")),
        width="100%",
    )


def _one_form() -> rx.Component:
    s = SlotsState
    return rx.card(
        rx.heading(tr("meetings.add_slot"), size="4", as_="h2", margin_bottom="8px"),
        rx.form(
            rx.grid(
                labelled("meetings.field.day", rx.input(name="day", type="date",
                                                        default_value=s.first_day,
                                                        key=s.first_day), s.errors, "day"),
                labelled("meetings.field.start", rx.input(name="start", type="time"),
                         s.errors, "start"),
                labelled("meetings.field.minutes", rx.input(name="minutes", default_value="30",
                                                            input_mode="numeric"),
                         s.errors, "minutes"),
                columns=rx.breakpoints(initial="1", sm="3"), spacing="3", width="100%",
            ),
            rx.button(tr("meetings.add"), type="submit", margin_top="12px"),
            on_submit=s.add_one, reset_on_submit=False,
        ),
        width="100%",
    )


@page(route=routes.EVENT_SLOTS, on_load=[AppState.enter_staff, SlotsState.load])
def slots_page() -> rx.Component:
    """The slot reference of the event, shown in its zone; add, bulk add, delete unused."""
    s = SlotsState
    return app_shell(
        event_tabs("slots"),
        rx.vstack(
            _bulk_form(),
            _one_form(),
            rx.card(
                rx.hstack(
                    rx.heading(fill("meetings.slots_count", n=s.total, tz=s.timezone), size="4",
                               as_="h2", id="slots-count"),
                    rx.spacer(),
                    rx.button(tr("meetings.delete_unused"), color_scheme="red", variant="soft",
                              on_click=s.ask_delete_unused, size="2"),
                    wrap="wrap", width="100%", align="center",
                ),
                rx.cond(s.total == 0, rx.text(tr("meetings.no_slots"), color_scheme="gray")),
                rx.vstack(rx.foreach(s.days, _day), spacing="4", width="100%",
                          margin_top="8px"),
                width="100%",
            ),
            spacing="4", width="100%",
        ),
        rx.alert_dialog.root(
            rx.alert_dialog.content(
                rx.alert_dialog.title(tr("meetings.delete_unused")),
                rx.alert_dialog.description(tr("meetings.delete_unused_confirm")),
                rx.hstack(
                    rx.alert_dialog.cancel(rx.button(tr("common.cancel"), variant="soft",
                                                     color_scheme="gray")),
                    rx.alert_dialog.action(rx.button(tr("meetings.delete"), color_scheme="red",
                                                     on_click=s.delete_unused)),
                    justify="end", spacing="3", margin_top="12px",
                ),
            ),
            open=s.confirm_delete, on_open_change=s.set_confirm_delete,
        ),
    )
