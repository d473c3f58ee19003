"""Sign-in, forgot-credentials and reset-password pages."""

import reflex as rx

from rxapp import routes
from rxapp.components.forms import form_field, notice
from rxapp.components.shell import page_title, public_shell, tap_link, tr
from rxapp.pages.registry import page
from rxapp.states.accounts.auth import ForgotState, LoginState, ResetState
from rxapp.states.base import AppState


@page(route=routes.LOGIN, on_load=[AppState.enter_public, LoginState.load])
def login_page() -> rx.Component:
    """Email and password; one message for every failure."""
    return public_shell(
        page_title(tr("login.title")),
        notice(tr(LoginState.notice), show=LoginState.notice != ""),
        rx.form(
            rx.vstack(
                notice(tr(LoginState.form_error), show=LoginState.form_error != "", color="red"),
                form_field(
                    label=tr("login.email"), name="email", input_type="email",
                    autocomplete="username", error=LoginState.email_error,
                    error_text=tr(LoginState.email_error),
                ),
                form_field(
                    label=tr("login.password"), name="password", input_type="password",
                    autocomplete="current-password", error=LoginState.password_error,
                    error_text=tr(LoginState.password_error),
                ),
                rx.button(tr("login.submit"), type="submit", size="3", width="100%",
                          id="login-submit", min_height="44px"),
                tap_link(tr("login.forgot"), href=routes.FORGOT, size="2"),
                spacing="4",
                width="100%",
            ),
            on_submit=LoginState.submit,
            no_validate=True,
            method="post",  # a submit before the JavaScript runs must not put it in the URL
            reset_on_submit=False,
            width="100%",
        ),
    )


@page(route=routes.FORGOT, on_load=[AppState.enter_public, ForgotState.load])
def forgot_page() -> rx.Component:
    """Ask for a reset link; the answer is the same for every address."""
    return public_shell(
        page_title(tr("forgot.title")),
        rx.cond(
            ForgotState.sent,
            rx.callout(tr("forgot.sent"), color_scheme="green", role="status", id="forgot-sent"),
            rx.form(
                rx.vstack(
                    rx.text(tr("forgot.intro"), color_scheme="gray"),
                    form_field(
                        label=tr("login.email"), name="email", input_type="email",
                        autocomplete="username", error=ForgotState.email_error,
                        error_text=tr(ForgotState.email_error),
                    ),
                    rx.button(tr("forgot.submit"), type="submit", size="3", width="100%",
                              min_height="44px"),
                    spacing="4",
                    width="100%",
                ),
                on_submit=ForgotState.submit,
                no_validate=True,
                method="post",  # a submit before the JavaScript runs must not put it in the URL
                width="100%",
            ),
        ),
        tap_link(tr("forgot.back"), href=routes.LOGIN, size="2", margin_top="8px"),
    )


@page(route=routes.RESET, on_load=[AppState.enter_public, ResetState.load])
def reset_page() -> rx.Component:
    """Set a new password with the emailed link, once."""
    form = rx.form(
        rx.vstack(
            form_field(
                label=tr("reset.password"), name="password", input_type="password",
                autocomplete="new-password", error=ResetState.password_error,
                error_text=tr(ResetState.password_error),
                hint=rx.text(tr("reset.hint"), size="1", color_scheme="gray"),
            ),
            form_field(
                label=tr("reset.confirm"), name="confirm", input_type="password",
                autocomplete="new-password", error=ResetState.confirm_error,
                error_text=tr(ResetState.confirm_error),
            ),
            rx.button(tr("reset.submit"), type="submit", size="3", width="100%",
                      min_height="44px"),
            spacing="4",
            width="100%",
        ),
        on_submit=ResetState.submit,
        no_validate=True,
        method="post",  # a submit before the JavaScript runs must not put it in the URL
        width="100%",
    )
    return public_shell(
        page_title(tr("reset.title")),
        rx.cond(
            ~ResetState.checked,
            rx.spinner(),
            rx.cond(
                ResetState.done,
                rx.vstack(
                    rx.callout(tr("reset.done"), color_scheme="green", role="status",
                               id="reset-done"),
                    tap_link(tr("login.submit"), href=routes.LOGIN),
                ),
                rx.cond(
                    ResetState.link_ok,
                    form,
                    rx.vstack(
                        rx.callout(tr("reset.invalid"), color_scheme="amber", role="alert",
                                   id="reset-invalid"),
                        tap_link(tr("reset.ask_new"), href=routes.FORGOT),
                    ),
                ),
            ),
        ),
    )
