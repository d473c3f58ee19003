"""Timing and frequency settings with a live preview, and API keys (R-REV-1..8)."""

import reflex as rx

from rxapp import routes
from rxapp.components.forms import field_error, notice
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.pages.registry import page
from rxapp.pages.reviews.common import labelled, section_tabs, select_field
from rxapp.states.base import AppState
from rxapp.states.reviews import ReviewSettingsState as S

_UNITS = ("days", "weeks", "months")
_HOURS = [(str(h), f"{h:02d}:00") for h in range(24)]


def _opts(prefix: str, values) -> list:  # noqa: ANN001
    return [(v, tr(f"{prefix}{v}")) for v in values]


def _number(name: str, label: rx.Var, value: rx.Var) -> rx.Component:
    field_id = f"field-{name}"
    return labelled(
        label,
        field_id,
        rx.input(
            id=field_id,
            type="number",
            value=value,
            on_change=lambda v: S.set_field(name, v),
            size="3",
            width="100%",
            min="0",
            aria_invalid=rx.cond(S.error_field == name, "true", "false"),
            aria_describedby=f"{field_id}-error",
        ),
        field_error(S.error_text, show=S.error_field == name, field_id=field_id),
        align="stretch",
    )


def _select(name: str, label: rx.Var, value: rx.Var, options) -> rx.Component:  # noqa: ANN001
    return rx.vstack(
        select_field(
            label=label,
            value=value,
            options=options,
            on_change=lambda v: S.set_field(name, v),
            field_id=f"field-{name}",
        ),
        field_error(S.error_text, show=S.error_field == name, field_id=f"field-{name}"),
        spacing="1",
        width="100%",
    )


def _section(title: rx.Var, *children: rx.Component, hint: rx.Var | None = None) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(title, as_="h2", size="4"),
            hint if hint is not None else rx.fragment(),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _pair(*children: rx.Component) -> rx.Component:
    return rx.grid(
        *children, columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"
    )


def _timing() -> rx.Component:
    return rx.vstack(
        _section(
            tr("reviews.set.service"),
            _pair(
                _number("service_delay", tr("reviews.set.delay"), S.service_delay),
                _select(
                    "service_unit",
                    tr("reviews.set.unit"),
                    S.service_unit,
                    _opts("reviews.unit.", _UNITS),
                ),
            ),
            hint=rx.text(tr("reviews.set.service_hint"), size="2", color_scheme="gray"),
        ),
        _section(
            tr("reviews.set.product"),
            _select(
                "product_mode",
                tr("reviews.set.product_mode"),
                S.product_mode,
                _opts("reviews.product_mode.", ("together", "separate", "off")),
            ),
            rx.cond(
                S.product_mode == "separate",
                _pair(
                    _number("product_delay", tr("reviews.set.after_service"), S.product_delay),
                    _select(
                        "product_unit",
                        tr("reviews.set.unit"),
                        S.product_unit,
                        _opts("reviews.unit.", _UNITS),
                    ),
                ),
            ),
        ),
        _section(
            tr("reviews.set.time"),
            _select(
                "time_mode",
                tr("reviews.set.time_mode"),
                S.time_mode,
                _opts("reviews.time_mode.", ("fixed_utc", "optimize", "customer_local")),
            ),
            rx.cond(
                S.time_mode == "customer_local",
                rx.grid(
                    _select("local_hour", tr("reviews.set.local_hour"), S.local_hour, _HOURS),
                    _select("window_start", tr("reviews.set.window_start"), S.window_start, _HOURS),
                    _select(
                        "window_end",
                        tr("reviews.set.window_end"),
                        S.window_end,
                        [*_HOURS[1:], ("24", "24:00")],
                    ),
                    columns=rx.breakpoints(initial="1", sm="3"),
                    spacing="3",
                    width="100%",
                ),
                _select(
                    "send_hour_utc",
                    rx.cond(
                        S.time_mode == "optimize",
                        tr("reviews.set.fallback_hour"),
                        tr("reviews.set.hour_utc"),
                    ),
                    S.send_hour_utc,
                    _HOURS,
                ),
            ),
            rx.callout(S.hour_reason, icon="clock", size="1", id="hour-reason", width="100%"),
        ),
        _section(
            tr("reviews.set.frequency"),
            _select(
                "frequency_mode",
                tr("reviews.set.frequency_mode"),
                S.frequency_mode,
                _opts("reviews.frequency.", ("every_purchase", "every_n_days", "three_years")),
            ),
            rx.cond(
                S.frequency_mode == "every_n_days",
                _number("frequency_days", tr("reviews.set.frequency_days"), S.frequency_days),
            ),
        ),
        _section(
            tr("reviews.set.reminders"),
            rx.el.label(
                rx.hstack(
                    rx.switch(
                        checked=S.reminders_enabled,
                        on_change=S.set_reminders,
                        id="field-reminders",
                        size="3",
                    ),
                    rx.text(tr("reviews.set.reminders_on")),
                    align="center",
                    spacing="3",
                    min_height="44px",
                ),
            ),
            rx.cond(
                S.reminders_enabled,
                _pair(
                    _number("reminder_delay", tr("reviews.set.after_invitation"), S.reminder_delay),
                    _select(
                        "reminder_unit",
                        tr("reviews.set.unit"),
                        S.reminder_unit,
                        _opts("reviews.unit.", ("days", "weeks")),
                    ),
                ),
            ),
            hint=rx.text(tr("reviews.set.reminders_hint"), size="2", color_scheme="gray"),
        ),
        _section(
            tr("reviews.set.contact_cap"),
            _pair(
                _number("cap_max", tr("reviews.set.cap_max"), S.cap_max),
                _number("cap_days", tr("reviews.set.cap_days"), S.cap_days),
            ),
            hint=rx.text(tr("reviews.set.contact_cap_hint"), size="2", color_scheme="gray"),
        ),
        spacing="4",
        width="100%",
    )


def _preview() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("reviews.preview.title"), as_="h2", size="4"),
            rx.el.ul(
                rx.foreach(S.preview_lines, lambda line: rx.el.li(rx.text(line, size="2"))),
                padding_left="18px",
                margin="0",
                id="preview",
                style={"display": "flex", "flex_direction": "column", "gap": "6px"},
            ),
            notice(S.saved_text, show=S.saved_text != "", color="green"),
            notice(S.error_text, show=(S.error_text != "") & (S.error_field == ""), color="red"),
            rx.button(
                tr("reviews.save"), on_click=S.save, size="3", width="100%", id="save-settings"
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        position=rx.breakpoints(initial="static", md="sticky"),
        top="80px",
    )


def _confirm_cancel() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(tr("reviews.confirm_off.title")),
            rx.alert_dialog.description(
                tr("reviews.confirm_off.text")
                .to(str)
                .replace("{n}", S.queued_reminders.to_string())
            ),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(
                        tr("common.cancel"),
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.keep_editing,
                    )
                ),
                rx.alert_dialog.action(
                    rx.button(
                        tr("reviews.confirm_off.ok"), color_scheme="red", on_click=S.confirm_save
                    )
                ),
                gap="3",
                justify="end",
                margin_top="16px",
            ),
        ),
        open=S.confirm_cancel,
    )


def _api_keys() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("reviews.keys.title"), as_="h2", size="4"),
            rx.text(tr("reviews.keys.intro"), size="2", color_scheme="gray"),
            rx.hstack(
                rx.input(
                    placeholder=tr("reviews.keys.name"),
                    value=S.key_name,
                    on_change=S.set_key_name,
                    size="3",
                    flex="1",
                    aria_label=tr("reviews.keys.name"),
                    id="field-key-name",
                ),
                rx.button(
                    tr("reviews.keys.create"), on_click=S.create_key, size="3", id="create-key"
                ),
                width="100%",
                wrap="wrap",
            ),
            rx.cond(
                S.keys.length() > 0,
                rx.vstack(
                    rx.foreach(
                        S.keys,
                        lambda k: rx.hstack(
                            rx.vstack(
                                rx.text(k["name"], weight="medium"),
                                rx.text(
                                    k["prefix"],
                                    " · ",
                                    k["created"],
                                    size="1",
                                    color_scheme="gray",
                                    font_family="monospace",
                                ),
                                spacing="0",
                                flex="1",
                                min_width="0",
                            ),
                            rx.cond(
                                k["state"] == "active",
                                rx.button(
                                    tr("reviews.keys.revoke"),
                                    variant="soft",
                                    color_scheme="red",
                                    size="2",
                                    on_click=S.ask_revoke(k["id"]),
                                ),
                                rx.badge(tr("reviews.keys.revoked"), color_scheme="gray"),
                            ),
                            width="100%",
                            align="center",
                            padding_y="6px",
                            border_bottom="1px solid var(--gray-a4)",
                        ),
                    ),
                    width="100%",
                    spacing="0",
                ),
                rx.text(tr("reviews.keys.none"), size="2", color_scheme="gray"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="api-keys",
    )


def _new_key_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr("reviews.keys.new_title")),
            rx.dialog.description(tr("reviews.keys.new_text")),
            rx.code(
                S.new_key,
                id="new-key",
                word_break="break-all",
                size="3",
                margin_y="12px",
                display="block",
            ),
            rx.flex(
                rx.button(
                    tr("reviews.keys.copy"), variant="soft", on_click=rx.set_clipboard(S.new_key)
                ),
                rx.button(tr("reviews.keys.done"), on_click=S.close_new_key, id="key-done"),
                gap="3",
                justify="end",
                wrap="wrap",
            ),
        ),
        open=S.new_key != "",
    )


def _revoke_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(tr("reviews.keys.revoke_title")),
            rx.alert_dialog.description(
                tr("reviews.keys.revoke_text").to(str).replace("{key}", S.revoke_label)
            ),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(
                        tr("common.cancel"),
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.cancel_revoke,
                    )
                ),
                rx.alert_dialog.action(
                    rx.button(
                        tr("reviews.keys.revoke"),
                        color_scheme="red",
                        on_click=S.revoke,
                        id="confirm-revoke",
                    )
                ),
                gap="3",
                justify="end",
                margin_top="16px",
            ),
        ),
        open=S.revoke_id != 0,
    )


@page(route=routes.REVIEWS_SETTINGS, on_load=[AppState.enter_staff, S.load])
def review_settings_page() -> rx.Component:
    """When and how often review invitations go out, explained with real dates."""
    return app_shell(
        section_tabs(),
        page_title(tr("reviews.set.title")),
        rx.text(tr("reviews.set.intro"), color_scheme="gray", margin_bottom="16px"),
        rx.grid(
            _timing(),
            rx.box(_preview()),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
            align_items="start",
        ),
        rx.cond(S.is_admin, rx.box(_api_keys(), margin_top="16px")),
        _confirm_cancel(),
        _new_key_dialog(),
        _revoke_dialog(),
    )
