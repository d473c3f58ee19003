"""Organization settings: profile, defaults and the plan (R-ACC-5)."""

import reflex as rx

from rxapp import routes
from rxapp.components.forms import form_field
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.pages.accounts.send_window import send_window_card
from rxapp.pages.registry import page
from rxapp.states.accounts.contact_settings import ContactSettingsState
from rxapp.states.accounts.send_window import SendWindowState
from rxapp.states.accounts.settings import SettingsState
from rxapp.states.base import LANGUAGES, AppState


def _err(field: str) -> tuple[rx.Var, rx.Var]:
    code = SettingsState.errors.get(field, "")
    return code, tr(code)


def _plan_row(label: str, value: rx.Var) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(tr(label)),
        rx.data_list.value(value),
    )


def _contact_card() -> rx.Component:
    """Invitation expiry (R-TEAM-1), the reply address of emails, and team seats."""
    s = ContactSettingsState
    days_code = s.errors.get("invitation_days", "")
    mail_code = s.errors.get("contact_email", "")
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(tr("settings.team_mail"), as_="h2", size="4"),
                form_field(label=tr("settings.invitation_days"), name="invitation_days",
                           error=days_code, error_text=tr(days_code),
                           default_value=s.invitation_days, key=s.invitation_days + "-d",
                           input_mode="numeric"),
                form_field(label=tr("settings.contact_email"), name="contact_email",
                           error=mail_code, error_text=tr(mail_code), input_type="email",
                           default_value=s.contact_email, key=s.contact_email + "-c",
                           autocomplete="email",
                           hint=rx.text(tr("settings.contact_email_hint"), size="1",
                                        color_scheme="gray")),
                rx.text(tr("settings.seats"), ": ", s.seats, size="2", id="seats-used"),
                rx.button(tr("common.save"), type="submit", size="3", id="contact-save"),
                spacing="3", width="100%",
            ),
            on_submit=s.save, no_validate=True, reset_on_submit=False,
        ),
    )


@page(route=routes.SETTINGS,
      on_load=[AppState.enter_admin, SettingsState.load, SendWindowState.load,
               ContactSettingsState.load])
def settings_page() -> rx.Component:
    """Edit the organization profile; see the plan."""
    name_err, name_text = _err("name")
    sender_err, sender_text = _err("sender_name")
    tz_err, tz_text = _err("timezone")
    return app_shell(
        page_title(tr("nav.settings")),
        rx.cond(
            SettingsState.sending_paused,
            rx.callout(
                rx.vstack(
                    rx.text(tr("settings.sending_paused.title"), weight="bold"),
                    rx.text(tr("settings.sending_paused.body")),
                    rx.code(SettingsState.sending_paused_reply, id="sending-paused-reply",
                            white_space="pre-wrap", word_break="break-word"),
                    rx.text(tr("settings.sending_paused.since") + " "
                            + SettingsState.sending_paused_since, size="1"),
                    spacing="1",
                    align="start",
                ),
                icon="triangle-alert",
                color_scheme="red",
                role="alert",
                width="100%",
                margin_bottom="12px",
            ),
        ),
        rx.grid(
            rx.card(
                rx.form(
                    rx.vstack(
                        rx.heading(tr("settings.profile"), as_="h2", size="4"),
                        form_field(label=tr("settings.name"), name="name", error=name_err,
                                   error_text=name_text, default_value=SettingsState.name,
                                   key=SettingsState.name),
                        form_field(label=tr("settings.sender_name"), name="sender_name",
                                   error=sender_err, error_text=sender_text,
                                   default_value=SettingsState.sender_name,
                                   key=SettingsState.sender_name + "-s"),
                        form_field(label=tr("settings.timezone"), name="timezone",
                                   error=tz_err, error_text=tz_text,
                                   default_value=SettingsState.timezone,
                                   key=SettingsState.timezone,
                                   hint=rx.text(tr("settings.timezone_hint"), size="1",
                                                color_scheme="gray")),
                        rx.vstack(
                            rx.text(tr("settings.default_language"), weight="medium",
                                    size="2"),
                            rx.select.root(
                                rx.select.trigger(aria_label=tr("settings.default_language")),
                                rx.select.content(*[
                                    rx.select.item(tr(f"lang.{c}"), value=c) for c in LANGUAGES
                                ]),
                                value=SettingsState.default_language,
                                on_change=SettingsState.set_default_language,
                                size="3",
                            ),
                            spacing="1",
                        ),
                        rx.el.label(
                            rx.hstack(
                                rx.switch(checked=SettingsState.reminders_default,
                                          on_change=SettingsState.set_reminders_default,
                                          aria_label=tr("settings.reminders_default")),
                                rx.text(tr("settings.reminders_default")),
                                align="center",
                                min_height="44px",
                            ),
                        ),
                        rx.button(tr("common.save"), type="submit", size="3"),
                        spacing="4",
                        width="100%",
                    ),
                    on_submit=SettingsState.save,
                    no_validate=True,
                    reset_on_submit=False,
                ),
            ),
            rx.card(
                rx.vstack(
                    rx.heading(tr("settings.plan"), as_="h2", size="4"),
                    rx.data_list.root(
                        _plan_row("settings.plan_modules",
                                  rx.hstack(rx.foreach(
                                      SettingsState.modules,
                                      lambda m: rx.badge(tr("module." + m)),
                                  ), wrap="wrap")),
                        _plan_row("settings.plan_bought",
                                  SettingsState.interactions_bought.to_string()),
                        _plan_row("settings.plan_max",
                                  SettingsState.max_per_participant.to_string()),
                        _plan_row("settings.plan_reports",
                                  rx.cond(SettingsState.reports_included,
                                          tr("common.yes"), tr("common.no"))),
                        orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
                    ),
                    rx.text(tr("settings.plan_hint"), size="2", color_scheme="gray"),
                    spacing="3",
                ),
            ),
            send_window_card(),
            _contact_card(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
    )
