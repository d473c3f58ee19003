"""Team CSV import page (R-PLUS-10)."""

import reflex as rx

from rxapp import routes
from rxapp.components.forms import field_error
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.pages.registry import page
from rxapp.pages.team.common import _fill
from rxapp.states.base import AppState
from rxapp.states.team import (
    CsvImportState,
)
from rxapp.states.team.csv_import import CSV_MAX_CHARS

# --- CSV import ---------------------------------------------------------------------


@page(route=routes.TEAM_IMPORT, on_load=[AppState.enter_admin, CsvImportState.load])
def csv_import_page() -> rx.Component:
    """Paste a CSV, check every row, then send all or nothing (R-PLUS-10)."""
    s = CsvImportState
    return app_shell(
        rx.link(rx.hstack(rx.icon("arrow-left", size=16), rx.text(tr("team.inv.title")),
                          align="center", spacing="1"),
                href=routes.TEAM_INVITATIONS, size="2"),
        page_title(tr("team.csv.title")),
        rx.card(
            rx.vstack(
                rx.text(tr("team.csv.intro"), size="2", color_scheme="gray"),
                rx.el.label(tr("team.csv.label"), html_for="field-csv", font_weight="500",
                            font_size="0.9rem"),
                rx.text(tr("team.csv.limit"), size="1", color_scheme="gray"),
                rx.text_area(id="field-csv", default_value=s.csv_text, on_blur=s.set_csv_text,
                             # The browser refuses more than the server accepts (one
                             # socket message stays under 1 MB).
                             max_length=CSV_MAX_CHARS,
                             rows="8", width="100%", font_family="monospace",
                             placeholder="email,role,channels,class_of_service,services,"
                                         "sites,skills"),
                field_error(tr(s.problem), show=s.problem != "", field_id="field-csv"),
                rx.hstack(
                    rx.button(tr("team.csv.check"), on_click=s.check, variant="soft",
                              size="3"),
                    rx.button(tr("team.csv.send"), on_click=s.send_all, size="3",
                              disabled=~s.ok | (s.sent != "")),
                    spacing="3",
                    wrap="wrap",
                ),
                spacing="3",
                width="100%",
            ),
        ),
        rx.cond(s.sent != "", rx.callout(s.sent, color_scheme="green", role="status",
                                         margin_top="12px")),
        rx.cond(
            (s.report.length() > 0) & (s.sent == ""),
            rx.callout(
                rx.cond(s.ok, _fill("team.csv.all_ok", n=s.report.length()),
                        _fill("team.csv.has_problems", n=s.problems_count)),
                color_scheme=rx.cond(s.ok, "blue", "red"), role="status", margin_top="12px",
            ),
        ),
        rx.cond(
            s.report.length() > 0,
            rx.vstack(
                rx.foreach(s.report, lambda r: rx.hstack(
                    rx.text(tr("team.csv.line"), " ", r["line"], size="2",
                            color_scheme="gray", min_width="4.5em"),
                    rx.text(r["email"], size="2", weight="medium", word_break="break-all"),
                    rx.badge(r["role"], variant="surface"),
                    rx.cond(r["ok"].to(bool),
                            rx.badge(tr("team.csv.row_ok"), color_scheme="green"),
                            rx.text(r["problems"], color_scheme="red", size="2")),
                    wrap="wrap",
                    align="center",
                    spacing="2",
                    padding_y="6px",
                    border_bottom="1px solid var(--gray-a4)",
                    width="100%",
                    class_name="csv-row",
                )),
                spacing="0",
                width="100%",
                margin_top="12px",
                role="list",
                aria_label=tr("team.csv.result"),
            ),
        ),
    )


