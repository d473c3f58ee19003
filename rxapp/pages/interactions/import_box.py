"""The participants CSV import box: upload, mapping step, progress and report (R-INT-1)."""

import reflex as rx

from rxapp.components.csv_mapping import mapping_step
from rxapp.components.i18n import tr_n
from rxapp.components.shell import tr
from rxapp.states.interactions.participant_import import FIELD_KEYS, ParticipantImportState


def import_box() -> rx.Component:
    """Upload a CSV; unknown headers open the mapping step; the whole file is checked first."""
    s = ParticipantImportState
    return rx.card(
        rx.vstack(
            rx.heading(tr("import.title"), as_="h2", size="3"),
            rx.text(tr("import.help"), size="2", color_scheme="gray"),
            rx.el.label(rx.upload.root(
                rx.vstack(
                    rx.icon("file-up", size=22),
                    rx.text(tr("import.drop"), size="2"),
                    align="center",
                    spacing="1",
                ),
                id="csv-upload",
                no_click=True,  # the label opens the picker
                accept={"text/csv": [".csv"], "text/plain": [".txt", ".tsv"]},
                max_files=1,
                multiple=False,
                on_drop=s.receive_csv(rx.upload_files(upload_id="csv-upload")),
                border="1px dashed var(--gray-a7)",
                padding="16px",
                border_radius="8px",
                width="100%",
                cursor="pointer",
                disabled=s.importing,
            ), width="100%", display="block"),
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
                             missing=s.map_missing, busy=s.importing),
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
