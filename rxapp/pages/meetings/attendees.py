"""Organizer page: the event's attendees, added by form or imported by CSV."""

import reflex as rx

from rxapp import routes
from rxapp.components.csv_import import csv_import_box
from rxapp.components.shell import app_shell, tr
from rxapp.pages.meetings.common import event_tabs, fill, labelled
from rxapp.pages.registry import page
from rxapp.states.base import LANGUAGES, AppState
from rxapp.states.meetings.attendees import FIELD_KEYS, AttendeesState

_SELECT = {"padding": "6px", "border_radius": "6px"}


def _row(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.text(row["first_name"], " ", row["last_name"], weight="medium"),
                rx.text(row["email"], size="1", color_scheme="gray", word_break="break-all"),
                # Wraps to its own line on a phone rather than squeezing the address.
                spacing="0", flex="1 1 14em", min_width="0",
            ),
            rx.text(row["company"], " · ", row["country"], size="2"),
            rx.badge(tr("meetings.reg." + row["registration_status"].to(str))),
            rx.cond(row["has_account"] == "yes", rx.badge(tr("meetings.field.has_account"),
                                                          color_scheme="green")),
            wrap="wrap", width="100%", align="center",
        ),
        size="1", width="100%",
    )


def _import_card() -> rx.Component:
    return csv_import_box(
        AttendeesState, upload_id="attendee-csv", fields=list(FIELD_KEYS),
        title_key="meetings.import_title", help_key="meetings.import_help",
        mapping_help_key="meetings.mapping_help", heading_size="4")


def _add_card() -> rx.Component:
    s = AttendeesState
    return rx.card(
        rx.heading(tr("meetings.add_attendee"), size="4", as_="h2", margin_bottom="8px"),
        rx.form(
            rx.grid(
                *[labelled(f"meetings.field.{f}", rx.input(name=f, id=f"att-{f}"), s.errors, f)
                  for f in ("first_name", "last_name", "email", "company", "job_title",
                            "country")],
                labelled("meetings.field.language", rx.el.select(
                    *[rx.el.option(tr(f"lang.{c}"), value=c) for c in LANGUAGES],
                    name="language", style=_SELECT)),
                labelled("meetings.field.registration_status", rx.el.select(
                    *[rx.el.option(tr(f"meetings.reg.{r}"), value=r)
                      for r in ("registered", "pending", "cancelled")],
                    name="registration_status", style=_SELECT)),
                rx.checkbox(tr("meetings.field.has_account"), name="has_account"),
                columns=rx.breakpoints(initial="1", sm="2", lg="3"), spacing="3", width="100%",
            ),
            rx.button(tr("meetings.add"), type="submit", margin_top="12px"),
            on_submit=s.add, reset_on_submit=True,
        ),
        width="100%",
    )


@page(route=routes.EVENT_ATTENDEES, on_load=[AppState.enter_staff, AttendeesState.load])
def attendees_page() -> rx.Component:
    """The attendees of the event, the add form and the CSV import."""
    s = AttendeesState
    return app_shell(
        event_tabs("attendees"),
        rx.vstack(
            _import_card(),
            _add_card(),
            rx.hstack(
                rx.heading(fill("meetings.attendees_count", n=s.total), size="4", as_="h2"),
                rx.spacer(),
                rx.input(placeholder=tr("meetings.search"), on_change=s.search.debounce(300),
                         max_width="260px"),
                wrap="wrap", width="100%", align="center",
            ),
            rx.cond(s.total == 0, rx.text(tr("meetings.no_attendees"), color_scheme="gray")),
            rx.foreach(s.rows, _row),
            spacing="3", width="100%",
        ),
    )
