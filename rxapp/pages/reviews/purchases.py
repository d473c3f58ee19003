"""Purchases: the form, the CSV import and the list with each purchase's invitations."""

import reflex as rx

from rxapp import routes
from rxapp.components.forms import field_error, notice
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.components.status_log import status_log
from rxapp.pages.registry import page
from rxapp.pages.reviews.common import labelled, pager, section_tabs, select_field
from rxapp.pages.reviews.purchase_import import import_box
from rxapp.states.base import LANGUAGES, AppState
from rxapp.states.reviews import PurchasesState as S
from rxapp.states.reviews.purchase_import import PurchaseImportState


def _input(name: str, label: rx.Var, value: rx.Var, **props) -> rx.Component:
    field_id = f"field-{name}"
    return labelled(
        label,
        field_id,
        rx.input(
            id=field_id,
            value=value,
            on_change=lambda v: S.set_field(name, v),
            size="3",
            width="100%",
            aria_invalid=rx.cond(S.error_field == name, "true", "false"),
            aria_describedby=f"{field_id}-error",
            **props,
        ),
        field_error(S.error_text, show=S.error_field == name, field_id=field_id),
        align="stretch",
    )


def _form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("reviews.pur.add"), as_="h2", size="4"),
            rx.grid(
                _input("email", tr("reviews.pur.email"), S.email, type="email"),
                _input("name", tr("reviews.pur.name"), S.name),
                _input("order_reference", tr("reviews.pur.reference"), S.order_reference),
                select_field(
                    label=tr("reviews.pur.language"),
                    value=S.customer_language,
                    options=[(code, tr(f"lang.{code}")) for code in LANGUAGES],
                    on_change=lambda v: S.set_field("customer_language", v),
                    field_id="field-language",
                ),
                _input("day", tr("reviews.pur.day"), S.day, type="date"),
                _input("time", tr("reviews.pur.time"), S.time, type="time"),
                _input(
                    "timezone",
                    tr("reviews.pur.timezone"),
                    S.timezone,
                    placeholder="Europe/Stockholm",
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            labelled(
                tr("reviews.pur.products"),
                "field-products",
                rx.text_area(
                    id="field-products",
                    value=S.products,
                    on_change=lambda v: S.set_field("products", v),
                    placeholder="SKU-1; Red kettle",
                    rows="3",
                    width="100%",
                ),
                field_error(
                    S.error_text, show=S.error_field == "products", field_id="field-products"
                ),
            ),
            notice(S.result_text, show=S.result_text != "", color="green"),
            rx.button(tr("reviews.pur.submit"), on_click=S.submit, size="3", id="add-purchase"),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _row(r: rx.Var) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.text(r["reference"], weight="bold"),
            rx.text(r["customer"], color_scheme="gray"),
            rx.spacer(),
            rx.text(r["when"], size="2", color_scheme="gray"),
            gap="8px",
            wrap="wrap",
            align="center",
        ),
        rx.cond(r["products"] != "", rx.text(r["products"], size="2")),
        rx.flex(
            rx.badge(r["states"], variant="soft"),
            rx.button(
                rx.icon("history", size=14),
                tr("reviews.pur.history"),
                variant="ghost",
                size="1",
                on_click=S.open_log(r["id"]),
            ),
            rx.cond(
                r["next"] != "",
                rx.text(tr("reviews.pur.next"), " ", r["next"], size="1", color_scheme="gray"),
            ),
            gap="8px",
            wrap="wrap",
            align="center",
        ),
        padding_y="10px",
        border_bottom="1px solid var(--gray-a4)",
        width="100%",
    )


def _list() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.heading(tr("reviews.pur.list"), as_="h2", size="4"),
                rx.spacer(),
                rx.input(
                    placeholder=tr("reviews.pur.search"),
                    value=S.search,
                    on_change=S.set_search.debounce(300),
                    size="2",
                    aria_label=tr("reviews.pur.search"),
                    max_width="260px",
                    width="100%",
                ),
                gap="8px",
                wrap="wrap",
                width="100%",
            ),
            rx.cond(
                S.rows.length() > 0,
                rx.vstack(rx.foreach(S.rows, _row), spacing="0", width="100%", id="purchases"),
                rx.text(tr("reviews.pur.empty"), color_scheme="gray", id="purchases-empty"),
            ),
            pager(
                S.go_page,
                first=S.page == 0,
                last=S.page + 1 >= S.pages,
                where=rx.text((S.page + 1).to_string(), " / ", S.pages.to_string(), size="2"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _log_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr("status.title"), " · ", S.log_reference),
            status_log(S.log_rows, label=lambda e: tr("status." + e), empty=tr("status.empty")),
            rx.flex(
                rx.button(tr("common.close"), variant="soft", on_click=S.close_log),
                justify="end",
                margin_top="16px",
            ),
        ),
        open=S.log_reference != "",
    )


@page(route=routes.REVIEWS_PURCHASES,
      on_load=[AppState.enter_staff, S.load, PurchaseImportState.load])
def purchases_page() -> rx.Component:
    """Record purchases by hand or from a file; see what each one scheduled."""
    return app_shell(
        section_tabs(),
        page_title(tr("reviews.pur.title")),
        rx.grid(
            _form(),
            import_box(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
            align_items="start",
        ),
        rx.box(_list(), margin_top="16px"),
        _log_dialog(),
    )
