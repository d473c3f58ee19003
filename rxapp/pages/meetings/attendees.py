"""Organizer page: the event's attendees, added by form or imported by CSV."""

import reflex as rx

from rxapp import routes
from rxapp.components.csv_mapping import mapping_step
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
    s = AttendeesState
    return rx.card(
        rx.heading(tr("meetings.import_title"), size="4", as_="h2", margin_bottom="4px"),
        rx.text(tr("meetings.import_help"), size="2", color_scheme="gray"),
        # The label names the file input Reflex renders; its own click opens the picker.
        rx.el.label(rx.upload.root(
            rx.vstack(rx.icon("file-up", size=22), rx.text(tr("import.drop"), size="2"),
                      align="center", spacing="1"),
            id="attendee-csv", no_click=True,
            accept={"text/csv": [".csv"], "text/plain": [".txt"]},
            max_files=1, multiple=False,
            on_drop=s.receive_csv(rx.upload_files(upload_id="attendee-csv")),
            border="1px dashed var(--gray-a7)", padding="16px", border_radius="8px",
            width="100%", cursor="pointer", margin_top="8px",
        ), width="100%", display="block"),
        rx.cond(s.importing, rx.vstack(
            rx.progress(value=rx.cond(s.import_total > 0,
                                      s.import_done * 100 / s.import_total, 0)),
            rx.text(fill("meetings.progress", done=s.import_done, total=s.import_total),
                    size="2"),
            width="100%", margin_top="8px")),
        rx.cond(s.import_result == "import.ok",
                rx.callout(fill("meetings.imported", n=s.import_total), color_scheme="green",
                           margin_top="8px")),
        rx.cond((s.import_result != "") & (s.import_result != "import.ok"),
                rx.callout(tr(s.import_result), role="alert",
                           color_scheme=rx.cond(s.import_result == "import.needs_mapping",
                                                "amber", "red"), margin_top="8px")),
        rx.cond(s.map_open, rx.box(
            mapping_step(rows=s.map_rows, fields=list(FIELD_KEYS), on_change=s.set_mapping,
                         on_apply=s.apply_mapping, on_cancel=s.cancel_mapping,
                         missing=s.map_missing, busy=s.importing,
                         help_key="meetings.mapping_help"),
            width="100%", margin_top="8px")),
        rx.foreach(s.import_errors, lambda e: rx.text(
            tr("import.line"), " ", e["line"], ": ", e["message"], size="2",
            color_scheme="red")),
        width="100%",
    )


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
