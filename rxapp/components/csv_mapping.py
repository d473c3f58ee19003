"""The column-mapping step of every CSV import: file column -> Beckon field or "ignore".

Shown when a file's headers do not name the required fields (as LimeSurvey does): one
row per file column with its first values, and a select of the feature's fields.
"""

from collections.abc import Callable

import reflex as rx

from rxapp.components.shell import tr


def mapping_step(
    *,
    rows: rx.Var,
    fields: list[str],
    on_change: Callable,
    on_apply: object,
    on_cancel: object,
    missing: rx.Var,
    busy: rx.Var,
    help_key: str = "import.mapping_help",
) -> rx.Component:
    """The mapping step.

    Args:
        rows: Dicts with ``index``, ``column``, ``field`` ("" = ignore) and ``samples``.
        fields: The feature's field keys (labels are ``field.<key>``).
        on_change: ``on_change(index, value)`` event for a select.
        on_apply: Import with the chosen mapping.
        on_cancel: Leave the step.
        missing: Text naming the required fields still unmatched ("" when none).
        busy: True while an import runs.
        help_key: Catalogue key of the line saying which fields are needed.

    """

    def _row(row: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(rx.text(row["column"], weight="medium"),
                          rx.text(row["samples"], size="1", color_scheme="gray",
                                  display=["block", "none"])),
            rx.table.cell(row["samples"], display=["none", "table-cell"],
                          color_scheme="gray"),
            rx.table.cell(
                rx.select.root(
                    rx.select.trigger(aria_label=tr("import.mapping_field") + ": "
                                      + row["column"].to(str), width="100%"),
                    rx.select.content(
                        rx.select.item(tr("import.mapping_ignore"), value="ignore"),
                        *[rx.select.item(tr(f"field.{key}"), value=key) for key in fields],
                    ),
                    value=rx.cond(row["field"] != "", row["field"], "ignore"),
                    on_change=lambda value: on_change(row["index"], value),
                ),
                min_width="10em",
            ),
        )

    return rx.vstack(
        rx.heading(tr("import.mapping_title"), as_="h3", size="3"),
        rx.text(tr(help_key), size="2", color_scheme="gray"),
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(tr("import.mapping_column")),
                rx.table.column_header_cell(tr("import.mapping_sample"),
                                            display=["none", "table-cell"]),
                rx.table.column_header_cell(tr("import.mapping_field")),
            )),
            rx.table.body(rx.foreach(rows, _row)),
            variant="surface",
            width="100%",
        ),
        rx.cond(missing != "", rx.text(missing, color_scheme="red", size="2", role="alert",
                                       id="mapping-missing")),
        rx.hstack(
            rx.button(tr("common.cancel"), variant="soft", on_click=on_cancel, type="button"),
            rx.button(tr("import.mapping_apply"), on_click=on_apply, loading=busy,
                      id="mapping-apply"),
            justify="end",
            width="100%",
            wrap="wrap",
        ),
        id="mapping-step",
        width="100%",
        spacing="3",
    )
