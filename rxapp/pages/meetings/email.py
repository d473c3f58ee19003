"""Organizer page: the meeting-accepted email per language, with preview and test (R-BM-8)."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import app_shell, tr
from rxapp.pages.meetings.common import event_tabs
from rxapp.pages.registry import page
from rxapp.states.base import LANGUAGES, AppState
from rxapp.states.meetings.email import EmailTemplateState


@page(route=routes.EVENT_EMAIL, on_load=[AppState.enter_staff, EmailTemplateState.load])
def email_page() -> rx.Component:
    """Subject and body with placeholders, a live preview with sample data, a test send."""
    s = EmailTemplateState
    editor = rx.vstack(
        rx.hstack(
            rx.select.root(
                rx.select.trigger(aria_label=tr("meetings.field.language")),
                rx.select.content(*[rx.select.item(tr(f"lang.{c}"), value=c)
                                    for c in LANGUAGES]),
                value=s.template_language, on_change=s.pick_language,
            ),
            rx.badge(rx.cond(s.custom, tr("meetings.template_custom"),
                             tr("meetings.template_default"))),
            align="center", spacing="3", wrap="wrap",
        ),
        rx.el.label(tr("meetings.field.subject"), html_for="tpl-subject", font_size="0.9rem",
                    font_weight="500"),
        rx.input(value=s.subject, on_change=s.set_subject, id="tpl-subject", width="100%"),
        rx.el.label(tr("meetings.field.body"), html_for="tpl-body", font_size="0.9rem",
                    font_weight="500"),
        rx.text_area(value=s.body, on_change=s.set_body, id="tpl-body", rows="10",
                     width="100%"),
        rx.text(tr("meetings.placeholders"), " ",
                rx.foreach(s.placeholders, lambda p: rx.code("{{ " + p + " }}", margin="2px")),
                size="1"),
        rx.cond(s.error != "", rx.callout(tr(s.error), color_scheme="red", role="alert")),
        rx.hstack(
            rx.button(tr("common.save"), on_click=s.save, id="tpl-save"),
            rx.button(tr("meetings.send_test"), variant="soft", on_click=s.send_test),
            rx.button(tr("meetings.reset_default"), variant="ghost", color_scheme="gray",
                      on_click=s.reset_default),
            wrap="wrap", spacing="2",
        ),
        spacing="2", width="100%",
    )
    preview = rx.card(
        rx.text(tr("meetings.preview"), size="1", color_scheme="gray"),
        rx.heading(s.preview_subject, size="3", as_="h2", id="preview-subject"),
        rx.text(s.preview_body, white_space="pre-wrap", size="2", id="preview-body"),
        width="100%",
    )
    return app_shell(
        event_tabs("email"),
        rx.grid(rx.card(editor, width="100%"), preview,
                columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%"),
    )
