"""The send window card of the settings page (R-PLUS-1); not a page of its own."""

import reflex as rx

from rxapp.components.forms import field_error
from rxapp.components.shell import tr
from rxapp.states.accounts.send_window import SendWindowState


def _time_field(label: str, name: str, value: rx.Var, on_change: object) -> rx.Component:
    field_id = f"field-{name}"
    bad = SendWindowState.error_field == name
    return rx.vstack(
        rx.el.label(tr(label), html_for=field_id, font_weight="500", font_size="0.9rem"),
        rx.input(id=field_id, type="time", value=value, on_change=on_change, size="3",
                 aria_invalid=rx.cond(bad, "true", "false"),
                 aria_describedby=f"{field_id}-error", width="9em"),
        field_error(SendWindowState.error, show=bad, field_id=field_id),
        spacing="1",
    )


def send_window_card() -> rx.Component:
    """From/until inputs, what the window means, and live examples in the org's zone."""
    s = SendWindowState
    return rx.card(
        rx.vstack(
            rx.heading(tr("settings.window.title"), as_="h2", size="4"),
            rx.text(tr("settings.window.help"), size="2", color_scheme="gray"),
            rx.hstack(
                _time_field("settings.window.start", "send_window_start", s.start,
                            s.set_start),
                _time_field("settings.window.end", "send_window_end", s.end, s.set_end),
                wrap="wrap",
                spacing="4",
            ),
            rx.cond(
                s.preview.length() > 0,
                rx.vstack(
                    rx.text(tr("settings.window.preview").to(str).replace("{zone}", s.zone),
                            size="2", weight="medium"),
                    rx.foreach(s.preview, lambda line: rx.text("• ", line, size="2")),
                    spacing="1",
                    id="window-preview",
                    aria_live="polite",
                ),
            ),
            rx.button(tr("settings.window.save"), on_click=s.save, size="3",
                      id="save-window"),
            spacing="3",
            width="100%",
        ),
        id="send-window",
    )
