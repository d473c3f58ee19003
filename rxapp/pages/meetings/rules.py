"""Organizer page: ordered matching rules with preview counts (R-BM-5)."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import app_shell, tr
from rxapp.pages.meetings.common import err_text, event_tabs, fill
from rxapp.pages.registry import page
from rxapp.states.base import AppState
from rxapp.states.meetings.rules import NONE, RulesState

OPS = ("equals", "in", "not_in", "is_set", "is_not_set")
ATTENDEE_FIELDS = ("registration_status", "has_account", "company", "job_title", "country",
                   "language")
PARTNER_FIELDS = ("type", "name", "sector")
_SELECT = {"padding": "6px", "border_radius": "6px"}


def _select(name: str, options: tuple[str, ...], label_prefix: str,
            with_none: bool = False) -> rx.Component:
    items = [rx.el.option("—", value=NONE)] if with_none else []
    items += [rx.el.option(tr(f"meetings.{label_prefix}.{o}"), value=o) for o in options]
    return rx.el.select(*items, name=name, id=f"rule-{name}", style=_SELECT,
                        aria_label=tr(f"meetings.rule.{name.split('_')[1]}"))


def _condition_row(prefix: str, fields: tuple[str, ...], with_none: bool) -> rx.Component:
    return rx.hstack(
        _select(f"{prefix}_field", fields, "field", with_none),
        _select(f"{prefix}_op", OPS, "op"),
        rx.input(name=f"{prefix}_values", placeholder=tr("meetings.rule.values"),
                 id=f"rule-{prefix}-values", min_width="200px"),
        wrap="wrap", spacing="2", width="100%",
    )


def _rule_card(row: rx.Var) -> rx.Component:
    s = RulesState
    return rx.card(
        rx.hstack(
            rx.badge(row["position"], size="2"),
            rx.vstack(
                rx.text(tr("meetings.rule.partners_side"), ": ", row["partner"], size="2"),
                rx.text(tr("meetings.rule.attendees_side"), ": ", row["attendee"], size="2"),
                rx.text(fill("meetings.rule.preview", partners=row["partners"],
                             attendees=row["attendees"]), weight="bold", size="2",
                        class_name="rule-preview"),
                spacing="1", flex="1", min_width="0",
            ),
            rx.hstack(
                rx.icon_button(rx.icon("arrow-up", size=14), size="1", variant="soft",
                               aria_label=tr("meetings.up"), on_click=s.move(row["id"], True)),
                rx.icon_button(rx.icon("arrow-down", size=14), size="1", variant="soft",
                               aria_label=tr("meetings.down"),
                               on_click=s.move(row["id"], False)),
                rx.icon_button(rx.icon("trash-2", size=14), size="1", variant="soft",
                               color_scheme="red", aria_label=tr("meetings.delete"),
                               on_click=s.delete_rule(row["id"])),
                spacing="1",
            ),
            wrap="wrap", align="center", width="100%",
        ),
        width="100%",
    )


@page(route=routes.EVENT_RULES, on_load=[AppState.enter_staff, RulesState.load])
def rules_page() -> rx.Component:
    """The rules in order; the first whose partner side matches a partner applies."""
    s = RulesState
    return app_shell(
        event_tabs("rules"),
        rx.vstack(
            rx.text(tr("meetings.rules_help"), color_scheme="gray", size="2"),
            rx.cond(s.rows.length() == 0, rx.callout(tr("meetings.no_rules"), icon="info")),
            rx.foreach(s.rows, _rule_card),
            rx.card(
                rx.heading(tr("meetings.add_rule"), size="4", as_="h2", margin_bottom="8px"),
                rx.form(
                    rx.vstack(
                        rx.text(tr("meetings.rule.partners_side"), weight="medium", size="2"),
                        _condition_row("p", PARTNER_FIELDS, False),
                        rx.text(tr("meetings.rule.attendees_side"), weight="medium", size="2"),
                        _condition_row("a1", ATTENDEE_FIELDS, True),
                        _condition_row("a2", ATTENDEE_FIELDS, True),
                        rx.text(tr("meetings.rule.values_help"), size="1", color_scheme="gray"),
                        err_text(s.errors, "rule"),
                        rx.button(tr("meetings.add_rule"), type="submit", id="add-rule"),
                        spacing="2", width="100%",
                    ),
                    on_submit=s.add_rule, reset_on_submit=True,
                ),
                width="100%",
            ),
            spacing="4", width="100%",
        ),
    )
