"""The purchases CSV import box: upload, mapping step, progress and report (issue 11)."""

import reflex as rx

from rxapp.components.csv_mapping import mapping_step
from rxapp.components.i18n import tr_n
from rxapp.components.shell import tr
from rxapp.states.reviews.purchase_import import FIELD_KEYS, PurchaseImportState


def import_box() -> rx.Component:
    """Upload a CSV; unknown headers open the mapping step; the whole file is checked first."""
    s = PurchaseImportState
    return rx.card(
        rx.vstack(
            rx.heading(tr("reviews.pur.import"), as_="h2", size="4"),
            rx.text(tr("reviews.pur.import_hint"), size="2", color_scheme="gray"),
            rx.code("email;name;language;order_reference;purchased_at;products",
                    size="1", word_break="break-all"),
            rx.upload.root(
                rx.vstack(
                    rx.icon("file-up", size=22),
                    rx.text(tr("reviews.pur.choose_file"), size="2"),
                    align="center",
                    spacing="1",
                ),
                id="purchases-csv",
                accept={"text/csv": [".csv"], "text/plain": [".txt", ".tsv"]},
                max_files=1,
                multiple=False,
                on_drop=s.receive_csv(rx.upload_files(upload_id="purchases-csv")),
                border="1px dashed var(--gray-a7)",
                padding="16px",
                border_radius="8px",
                width="100%",
                cursor="pointer",
                disabled=s.importing,
            ),
            rx.cond(
                s.importing,
                rx.vstack(
                    rx.progress(value=rx.cond(s.import_total > 0,
                                              s.import_done * 100 / s.import_total, 0),
                                width="100%"),
                    rx.text(tr("import.working"), " ", s.import_done, " / ", s.import_total,
                            size="2", aria_live="polite"),
                    width="100%",
                    id="import-progress",
                ),
            ),
            rx.cond(s.read_as != "", rx.text(s.read_as, size="2", color_scheme="gray",
                                             id="import-read-as")),
            rx.cond(
                s.import_result == "import.ok",
                rx.callout(s.import_message, color_scheme="green", id="import-ok", width="100%"),
            ),
            rx.cond(
                (s.import_result != "") & (s.import_result != "import.ok"),
                rx.callout(s.import_message, color_scheme=rx.cond(
                    s.import_result == "import.needs_mapping", "amber", "red"),
                    id="import-rejected", width="100%"),
            ),
            rx.cond(
                s.map_open,
                mapping_step(rows=s.map_rows, fields=FIELD_KEYS, on_change=s.set_mapping,
                             on_apply=s.apply_mapping, on_cancel=s.cancel_mapping,
                             missing=s.map_missing, busy=s.importing,
                             help_key="reviews.csv_mapping_help"),
            ),
            rx.cond(
                s.import_errors.length() > 0,
                rx.vstack(
                    rx.foreach(
                        s.import_errors,
                        lambda e: rx.text(tr("import.line"), " ", e["line"], ": ", e["message"],
                                          size="2", color_scheme="red"),
                    ),
                    rx.cond(s.more_errors > 0, rx.text(tr_n("import.more_errors", s.more_errors),
                                                       size="2", color_scheme="red")),
                    spacing="1",
                    id="import-errors",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
