"""Participant overview page (R-INT-1, R-INT-2)."""

import reflex as rx

from rxapp import routes
from rxapp.components.forms import field_error, form_field
from rxapp.components.i18n import tr_n
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.pages.interactions.common import state_badge
from rxapp.pages.interactions.import_box import import_box
from rxapp.pages.registry import page
from rxapp.states.base import LANGUAGES, AppState
from rxapp.states.interactions import ParticipantImportState, ParticipantsState


def _sort_header(label: str, column: str) -> rx.Component:
    return rx.table.column_header_cell(
        rx.button(tr(label), rx.icon("arrow-up-down", size=12), variant="ghost", size="1",
                  on_click=ParticipantsState.set_sort(column)),
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["first_name"]),
        rx.table.cell(rx.link(row["last_name"], href=row["href"]),
                      # On a phone the email column is hidden: show it under the name.
                      rx.text(row["email"], size="1", color_scheme="gray",
                              display=["block", "block", "none"], word_break="break-all",
                              class_name="row-email")),
        rx.table.cell(row["email"], display=["none", "none", "table-cell"]),
        rx.table.cell(row["language"].upper(), display=["none", "table-cell"]),
        rx.table.cell(state_badge(row["state"])),
        on_click=rx.redirect(row["href"]),
        cursor="pointer",
        _hover={"background": "var(--accent-a3)"},
    )


def _add_dialog() -> rx.Component:
    errs = ParticipantsState.add_errors
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("user-plus", size=16), tr("participants.add"),
                                    size="3")),
        rx.dialog.content(
            rx.dialog.title(tr("participants.add")),
            rx.form(
                rx.vstack(
                    form_field(label=tr("participants.first_name"), name="first_name",
                               error=errs.get("first_name", ""),
                               error_text=tr(errs.get("first_name", ""))),
                    form_field(label=tr("participants.last_name"), name="last_name",
                               error=errs.get("last_name", ""),
                               error_text=tr(errs.get("last_name", ""))),
                    form_field(label=tr("login.email"), name="email", input_type="email",
                               error=errs.get("email", ""), error_text=tr(errs.get("email", ""))),
                    rx.text(tr("lang.label"), size="2", weight="medium"),
                    rx.select.root(
                        rx.select.trigger(aria_label=tr("lang.label")),
                        rx.select.content(*[rx.select.item(tr(f"lang.{c}"), value=c)
                                            for c in LANGUAGES]),
                        value=ParticipantsState.add_language,
                        on_change=ParticipantsState.set_add_language,
                    ),
                    field_error(tr(errs.get("language", "")), show=errs.get("language", "") != "",
                                field_id="field-language"),
                    form_field(label=tr("field.time_zone"), name="time_zone",
                               error=errs.get("time_zone", ""),
                               error_text=tr(errs.get("time_zone", "")),
                               hint=rx.text(tr("participants.time_zone_hint").to(str).replace(
                                   "{zone}", ParticipantsState.org_zone), size="1",
                                   color_scheme="gray"),
                               placeholder=ParticipantsState.org_zone),
                    rx.hstack(
                        rx.dialog.close(rx.button(tr("common.cancel"), variant="soft",
                                                  type="button")),
                        rx.button(tr("common.save"), type="submit"),
                        justify="end", width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=ParticipantsState.add,
                no_validate=True,
            ),
        ),
        open=ParticipantsState.add_open,
        on_open_change=ParticipantsState.open_add,
    )


@page(route=routes.PARTICIPANTS,
      on_load=[AppState.enter_interactions, ParticipantsState.load, ParticipantImportState.load])
def participants_page() -> rx.Component:
    """Search, page and sort participants; add them one by one or from a CSV."""
    s = ParticipantsState
    return app_shell(
        rx.hstack(
            page_title(tr("nav.participants")),
            rx.spacer(),
            rx.menu.root(
                rx.menu.trigger(rx.button(rx.icon("download", size=16), tr("export.results"),
                                          variant="soft", size="3", id="export")),
                rx.menu.content(
                    rx.menu.item(rx.link("CSV", href=s.api_base + routes.API_EXPORT_RESULTS_CSV,
                                         is_external=False, reload_document=True,
                                         id="export-csv")),
                    # The default separator follows the language; the others on request.
                    *[rx.menu.item(rx.link(tr(f"export.csv_{sep}"),
                                           href=s.api_base + routes.API_EXPORT_RESULTS_CSV
                                           + f"?sep={sep}", reload_document=True,
                                           id=f"export-csv-{sep}"))
                      for sep in ("comma", "semicolon")],
                    rx.menu.item(rx.link("Excel (XLSX)",
                                         href=s.api_base + routes.API_EXPORT_RESULTS_XLSX,
                                         reload_document=True, id="export-xlsx")),
                ),
            ),
            _add_dialog(),
            align="center",
            width="100%",
            wrap="wrap",
        ),
        rx.hstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                placeholder=tr("participants.search"),
                aria_label=tr("participants.search"),
                value=s.query,
                on_change=s.search.debounce(300),
                size="3",
                width=["100%", "320px"],
                id="participant-search",
            ),
            rx.spacer(),
            rx.badge(tr_n("participants.remaining", s.remaining), size="2", variant="surface",
                id="remaining"),
            width="100%",
            wrap="wrap",
            align="center",
            margin_bottom="12px",
        ),
        rx.cond(
            s.total == 0,
            rx.callout(rx.cond(s.query != "", tr("participants.no_match"),
                               tr("participants.empty")), icon="users", width="100%"),
            rx.vstack(
                rx.table.root(
                    rx.table.header(rx.table.row(
                        _sort_header("participants.first_name", "first_name"),
                        _sort_header("participants.last_name", "last_name"),
                        rx.table.column_header_cell(tr("login.email"),
                                                    display=["none", "none", "table-cell"]),
                        rx.table.column_header_cell(tr("lang.label"),
                                                    display=["none", "table-cell"]),
                        rx.table.column_header_cell(tr("participants.state")),
                    )),
                    rx.table.body(rx.foreach(s.rows, _row)),
                    variant="surface",
                    width="100%",
                ),
                rx.hstack(
                    rx.button(tr("common.previous"), on_click=s.go_page(-1),
                              disabled=s.page <= 1, variant="soft"),
                    rx.text(s.page.to_string() + " / " + s.pages.to_string(), size="2"),
                    rx.button(tr("common.next"), on_click=s.go_page(1),
                              disabled=s.page >= s.pages, variant="soft"),
                    rx.text(tr_n("participants.total", s.total), size="2", color_scheme="gray"),
                    align="center", justify="center", width="100%", wrap="wrap",
                ),
                width="100%",
            ),
        ),
        rx.box(import_box(), margin_top="20px", width="100%"),
    )


