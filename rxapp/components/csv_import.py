"""The import box of every CSV import: upload zone, progress, outcome, problems, mapping step.

Drawn from a state that mixes in ``rxapp.states.csv_import.CsvImportMixin`` (participants,
attendees, purchases); only the texts around it and the upload zone's id differ. The ids
of the parts (``import-progress``, ``import-ok``, ``import-rejected``, ``import-errors``,
``import-read-as``, ``mapping-step``) are the same on every page: one box per page.
"""

from typing import Any

import reflex as rx

from rxapp.components.csv_mapping import mapping_step
from rxapp.components.i18n import tr_n
from rxapp.components.shell import tr


def _upload_zone(state: Any, upload_id: str, drop_key: str) -> rx.Component:  # noqa: ANN401
    # The label names the file input Reflex renders; its own click opens the picker.
    return rx.el.label(rx.upload.root(
        rx.vstack(rx.icon("file-up", size=22), rx.text(tr(drop_key), size="2"),
                  align="center", spacing="1"),
        id=upload_id,
        no_click=True,
        accept={"text/csv": [".csv"], "text/plain": [".txt", ".tsv"]},
        max_files=1,
        multiple=False,
        on_drop=state.receive_csv(rx.upload_files(upload_id=upload_id)),
        border="1px dashed var(--gray-a7)",
        padding="16px",
        border_radius="8px",
        width="100%",
        cursor="pointer",
        disabled=state.importing,
    ), width="100%", display="block")


def _problems(state: Any) -> rx.Component:  # noqa: ANN401
    return rx.cond(
        state.import_errors.length() > 0,
        rx.vstack(
            rx.foreach(
                state.import_errors,
                lambda e: rx.text(tr("import.line"), " ", e["line"], ": ", e["message"],
                                  size="2", color_scheme="red"),
            ),
            rx.cond(state.more_errors > 0,
                    rx.text(tr_n("import.more_errors", state.more_errors), size="2",
                            color_scheme="red")),
            spacing="1",
            id="import-errors",
        ),
    )


def csv_import_box(
    state: Any,  # noqa: ANN401 - a state class mixing in CsvImportMixin
    *,
    upload_id: str,
    fields: list[str],
    title_key: str,
    help_key: str,
    drop_key: str = "import.drop",
    mapping_help_key: str = "import.mapping_help",
    extra: tuple[rx.Component, ...] = (),
    heading_size: str = "3",
) -> rx.Component:
    """Upload a CSV; unknown headers open the mapping step; the whole file is checked first.

    Args:
        state: The import's state class.
        upload_id: The id of the upload zone (its file input is ``#<id> input``).
        fields: The feature's field keys, for the mapping step.
        title_key: Catalogue key of the heading.
        help_key: Catalogue key of the line under it.
        drop_key: Catalogue key of the upload zone's text.
        mapping_help_key: Catalogue key of the mapping step's line on needed fields.
        extra: Shown between the help line and the upload zone (a sample header).
        heading_size: Radix size of the heading, as the page's other headings.

    """
    s = state
    return rx.card(
        rx.vstack(
            rx.heading(tr(title_key), as_="h2", size=heading_size),
            rx.text(tr(help_key), size="2", color_scheme="gray"),
            *extra,
            _upload_zone(s, upload_id, drop_key),
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
                    role="alert", id="import-rejected", width="100%"),
            ),
            rx.cond(
                s.map_open,
                mapping_step(rows=s.map_rows, fields=list(fields), on_change=s.set_mapping,
                             on_apply=s.apply_mapping, on_cancel=s.cancel_mapping,
                             missing=s.map_missing, busy=s.importing,
                             help_key=mapping_help_key),
            ),
            _problems(s),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
