"""The console's start page: organizations with plan and usage, and open requests."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.pages.registry import page
from rxapp.states.base import AppState
from rxapp.states.platform import PlatformState


def request_card(row: rx.Var, on_handled) -> rx.Component:  # noqa: ANN001
    """One "request more" with who asked, when, and a button to close it."""
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.hstack(
                    rx.link(row["org"], href=routes.platform_org_path(row["org_id"]),
                            weight="bold"),
                    rx.badge(tr("plans.request.kind." + row["kind"]), color_scheme="amber"),
                    wrap="wrap", align="center", spacing="2",
                ),
                rx.text(row["by"], " · ", row["at"], size="2", color_scheme="gray",
                        word_break="break-all"),
                rx.cond(row["message"] != "", rx.text(row["message"], size="2")),
                spacing="1", flex="1 1 240px", min_width="0",
            ),
            rx.cond(
                row["handled"] == "",
                rx.button(tr("plans.request.handled"), size="2", variant="soft",
                          on_click=on_handled(row["id"].to(int)), class_name="request-handled"),
                rx.text(tr("plans.request.closed"), " ", row["handled"], size="2",
                        color_scheme="gray"),
            ),
            align="center", wrap="wrap", width="100%", gap="3",
        ),
        width="100%", class_name="plan-request",
    )


def _org_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(row["name"], href=routes.platform_org_path(row["id"]), weight="medium")),
        rx.table.cell(rx.flex(rx.foreach(
            row["modules"].to(str).split(","),
            lambda m: rx.cond(m != "", rx.badge(tr("module." + m), variant="surface")),
        ), wrap="wrap", gap="4px")),
        rx.table.cell(row["interactions"]),
        rx.table.cell(row["max"]),
        rx.table.cell(row["seats"]),
        rx.table.cell(row["participants"]),
        rx.table.cell(rx.cond(row["requests"] != "0",
                              rx.badge(row["requests"], color_scheme="amber"), "0")),
        class_name="org-row",
    )


@page(route=routes.PLATFORM, on_load=[AppState.enter_operator, PlatformState.load],
      title="Beckon · Platform")
def platform_page() -> rx.Component:
    """Every customer organization and the requests waiting for the vendor."""
    s = PlatformState
    return app_shell(
        page_title(tr("plans.title")),
        rx.heading(tr("plans.requests"), as_="h2", size="5", margin_bottom="8px"),
        rx.cond(
            s.requests.length() > 0,
            rx.vstack(rx.foreach(s.requests, lambda r: request_card(r, s.mark_handled)),
                      spacing="2", width="100%", id="open-requests"),
            rx.callout(tr("plans.requests_empty"), icon="inbox", id="no-requests"),
        ),
        rx.heading(tr("plans.organizations"), as_="h2", size="5", margin_top="24px",
                   margin_bottom="8px"),
        rx.form(
            rx.hstack(
                rx.input(name="q", placeholder=tr("plans.search"), aria_label=tr("plans.search"),
                         size="3", width="100%", max_width="360px"),
                rx.button(tr("plans.search_button"), type="submit", size="3",
                          variant="soft"),
                spacing="2", width="100%",
            ),
            on_submit=s.search, reset_on_submit=False, margin_bottom="12px",
        ),
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell(tr("plans.col.name")),
                    rx.table.column_header_cell(tr("plans.col.modules")),
                    rx.table.column_header_cell(tr("plans.col.interactions")),
                    rx.table.column_header_cell(tr("plans.col.max")),
                    rx.table.column_header_cell(tr("plans.col.seats")),
                    rx.table.column_header_cell(tr("plans.col.participants")),
                    rx.table.column_header_cell(tr("plans.col.requests")),
                )),
                rx.table.body(rx.foreach(s.orgs, _org_row)),
                variant="surface", width="100%",
            ),
            overflow_x="auto", width="100%",
        ),
    )
