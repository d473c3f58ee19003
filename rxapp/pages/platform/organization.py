"""One organization in the console: its plan, usage, requests and change history."""

import reflex as rx

from rxapp import routes
from rxapp.components.forms import form_field
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.pages.platform.console import request_card
from rxapp.pages.registry import page
from rxapp.states.base import AppState
from rxapp.states.platform import PlatformOrgState

_MODULES = ("interactions", "reviews", "meetings", "team")


def _err(field: str) -> tuple[rx.Var, rx.Var]:
    code = PlatformOrgState.errors.get(field, "")
    return code, tr(code)


def _number(label: str, name: str, value: rx.Var, usage: rx.Var | None = None) -> rx.Component:
    code, text = _err(name)
    return form_field(label=tr(label), name=name, error=code, error_text=text,
                      default_value=value, key=PlatformOrgState.form_key.to_string() + name,
                      input_mode="numeric",
                      hint=rx.text(usage, size="1", color_scheme="gray") if usage is not None
                      else None)


def _plan_form() -> rx.Component:
    s = PlatformOrgState
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(tr("plans.plan"), as_="h2", size="4"),
                rx.el.fieldset(
                    rx.el.legend(tr("plans.col.modules"), font_weight="500",
                                 font_size="0.9rem"),
                    rx.flex(*[
                        rx.el.label(rx.hstack(
                            rx.checkbox(checked=s.modules.contains(m),
                                        on_change=lambda _v, m=m: s.toggle_module(m),
                                        id=f"module-{m}", name=f"module-{m}"),
                            rx.text(tr(f"module.{m}"), size="2"),
                            align="center", min_height="44px", spacing="2"))
                        for m in _MODULES
                    ], wrap="wrap", gap="16px"),
                    border="none", padding="0", margin="0",
                ),
                _number("plans.col.interactions_bought", "interactions_bought",
                        s.interactions_bought,
                        tr("plans.used").to(str).replace("{n}",
                                                         s.interactions_used.to_string())),
                _number("plans.col.max", "max_interactions_per_participant",
                        s.max_per_participant),
                _number("plans.col.seats_total", "team_seats", s.team_seats,
                        tr("plans.used").to(str).replace("{n}", s.seats_used.to_string())),
                rx.el.label(rx.hstack(
                    rx.switch(checked=s.reports_included, on_change=s.set_reports_included,
                              id="reports-included", name="reports-included"),
                    rx.text(tr("plans.reports_included"), size="2"),
                    align="center", min_height="44px")),
                form_field(label=tr("plans.note"), name="note", error="", error_text="",
                           key=s.form_key.to_string() + "note"),
                rx.button(tr("common.save"), type="submit", size="3", id="plan-save"),
                spacing="3", width="100%",
            ),
            on_submit=s.save, reset_on_submit=False, width="100%",
        ),
        width="100%",
    )


def _history() -> rx.Component:
    s = PlatformOrgState
    return rx.card(
        rx.vstack(
            rx.heading(tr("plans.history"), as_="h2", size="4"),
            rx.cond(
                s.history.length() > 0,
                rx.box(
                    rx.table.root(
                        rx.table.header(rx.table.row(
                            rx.table.column_header_cell(tr("plans.col.when")),
                            rx.table.column_header_cell(tr("plans.col.field")),
                            rx.table.column_header_cell(tr("plans.col.change")),
                            rx.table.column_header_cell(tr("plans.col.by")),
                        )),
                        rx.table.body(rx.foreach(s.history, lambda h: rx.table.row(
                            rx.table.cell(h["at"], white_space="nowrap"),
                            rx.table.cell(tr("plans.field." + h["field"])),
                            rx.table.cell(h["old"], " → ", h["new"],
                                          rx.cond(h["note"] != "",
                                                  rx.text(h["note"], size="1",
                                                          color_scheme="gray"))),
                            rx.table.cell(h["by"], word_break="break-all"),
                            class_name="history-row",
                        ))),
                        variant="ghost", size="1", width="100%",
                    ),
                    overflow_x="auto", width="100%",
                ),
                rx.text(tr("plans.history_empty"), size="2", color_scheme="gray"),
            ),
            spacing="3", width="100%",
        ),
        width="100%",
    )


@page(route=routes.PLATFORM_ORG, on_load=[AppState.enter_operator, PlatformOrgState.load],
      title="Beckon · Platform")
def platform_org_page() -> rx.Component:
    """Change an organization's plan and see what changed, when and by whom."""
    s = PlatformOrgState
    return app_shell(
        rx.link(rx.hstack(rx.icon("arrow-left", size=14), tr("plans.title")),
                href=routes.PLATFORM, size="2"),
        rx.cond(
            s.found,
            rx.vstack(
                page_title(s.name),
                rx.text(tr("plans.participants").to(str).replace(
                    "{n}", s.participants.to_string()), color_scheme="gray", size="2"),
                rx.cond(s.requests.length() > 0, rx.vstack(
                    rx.heading(tr("plans.requests"), as_="h2", size="4"),
                    rx.foreach(s.requests, lambda r: request_card(r, s.mark_handled)),
                    spacing="2", width="100%",
                )),
                rx.grid(_plan_form(), _history(),
                        columns=rx.breakpoints(initial="1", md="2"), spacing="4",
                        width="100%"),
                spacing="3", width="100%", align="start",
            ),
            rx.callout(tr("plans.not_found"), color_scheme="amber"),
        ),
    )
