"""Team CSV import page (R-PLUS-10)."""

import reflex as rx

from rxapp import routes
from rxapp.components.csv_mapping import mapping_step
from rxapp.components.forms import field_error
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.pages.registry import page
from rxapp.pages.team.common import _fill
from rxapp.states.base import LANGUAGES, AppState
from rxapp.states.team import (
    CsvImportState,
)
from rxapp.states.team.csv_import import CSV_MAX_CHARS, FIELD_KEYS

# The roles an admin can give (the team service's INVITABLE_ROLES, in this order).
ROLES = ("agent", "team_leader", "quality_assessor", "organizer", "admin")

# --- CSV import ---------------------------------------------------------------------


@page(route=routes.TEAM_IMPORT, on_load=[AppState.enter_team, CsvImportState.load])
def csv_import_page() -> rx.Component:
    """Upload a CSV, check every row, then send all or nothing (R-PLUS-10)."""
    s = CsvImportState
    return app_shell(
        rx.link(rx.hstack(rx.icon("arrow-left", size=16), rx.text(tr("team.inv.title")),
                          align="center", spacing="1"),
                href=routes.TEAM_INVITATIONS, size="2"),
        page_title(tr("team.csv.title")),
        rx.card(
            rx.vstack(
                rx.text(tr("team.csv.intro"), size="2", color_scheme="gray"),
                rx.flex(
                    rx.vstack(
                        rx.text(tr("team.csv.default_role"), size="2", weight="medium"),
                        rx.select.root(
                            rx.select.trigger(aria_label=tr("team.csv.default_role"),
                                              id="csv-role"),
                            rx.select.content(*[rx.select.item(tr(f"team.role.{r}"), value=r)
                                                for r in ROLES]),
                            value=s.default_role, on_change=s.set_default_role,
                        ),
                        spacing="1",
                    ),
                    rx.vstack(
                        rx.text(tr("team.csv.language"), size="2", weight="medium"),
                        rx.select.root(
                            rx.select.trigger(aria_label=tr("team.csv.language"),
                                              id="csv-language"),
                            rx.select.content(*[rx.select.item(tr(f"lang.{c}"), value=c)
                                                for c in LANGUAGES]),
                            value=s.batch_language, on_change=s.set_batch_language,
                        ),
                        spacing="1",
                    ),
                    gap="16px",
                    wrap="wrap",
                ),
                rx.el.label(rx.upload.root(
                    rx.vstack(
                        rx.icon("file-up", size=22),
                        rx.text(tr("import.drop"), size="2"),
                        rx.cond(s.file_name != "", rx.text(s.file_name, size="1",
                                                           color_scheme="gray")),
                        align="center",
                        spacing="1",
                    ),
                    id="team-csv-upload",
                no_click=True,  # the label opens the picker
                    accept={"text/csv": [".csv"], "text/plain": [".txt", ".tsv"]},
                    max_files=1,
                    multiple=False,
                    on_drop=s.receive_csv(rx.upload_files(upload_id="team-csv-upload")),
                    border="1px dashed var(--gray-a7)",
                    padding="16px",
                    border_radius="8px",
                    width="100%",
                    cursor="pointer",
                ), width="100%", display="block"),
                rx.el.label(tr("team.csv.label"), html_for="field-csv", font_weight="500",
                            font_size="0.9rem"),
                rx.text(tr("team.csv.limit"), size="1", color_scheme="gray"),
                rx.text_area(id="field-csv", on_blur=s.set_csv_text,
                             # The browser refuses more than the server accepts (one
                             # socket message stays under 1 MB).
                             max_length=CSV_MAX_CHARS, rows="4", width="100%",
                             font_family="monospace",
                             placeholder="E-Mail;Rolle;Sprache\nanna@example.de;agent;de"),
                field_error(rx.cond(s.problem_text != "", s.problem_text, tr(s.problem)),
                            show=(s.problem != "") & ~s.map_open,
                            field_id="team-csv"),
                rx.cond(
                    s.map_open,
                    mapping_step(rows=s.map_rows, fields=FIELD_KEYS, on_change=s.set_mapping,
                                 on_apply=s.check, on_cancel=s.cancel_mapping,
                                 missing=rx.cond(s.problem != "", tr(s.problem), ""),
                                 busy=s.importing),
                ),
                rx.cond(
                    s.importing,
                    rx.vstack(
                        rx.progress(value=rx.cond(s.total > 0, s.done * 100 / s.total, 0),
                                    width="100%"),
                        rx.text(s.done, " / ", s.total, size="2", aria_live="polite"),
                        width="100%",
                    ),
                ),
                rx.hstack(
                    rx.button(tr("team.csv.check"), on_click=s.check, variant="soft",
                              size="3", id="csv-check", loading=s.checking),
                    rx.button(tr("team.csv.send"), on_click=s.send_all, size="3",
                              disabled=~s.ok | (s.sent != "") | s.importing,
                              loading=s.importing, id="csv-send"),
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
            # A file problem (e.g. not enough seats) is said at the field; no "0 rows" here.
            (s.report.length() > 0) & (s.sent == "") & (s.problem == ""),
            rx.callout(
                rx.cond(s.ok, _fill("team.csv.all_ok", n=s.rows_count),
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
                    rx.badge(r["language"], variant="outline"),
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


