"""The user's own profile: name, language and password (every role)."""

import reflex as rx

from rxapp import routes
from rxapp.components.forms import form_field
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.pages.registry import page
from rxapp.states.accounts.profile import ProfileState
from rxapp.states.base import LANGUAGES, AppState


def _err(field: str) -> tuple[rx.Var, rx.Var]:
    code = ProfileState.errors.get(field, "")
    return code, tr(code)


def _details() -> rx.Component:
    s = ProfileState
    name_err, name_text = _err("full_name")
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(tr("profile.details"), as_="h2", size="4"),
                rx.text(s.email, size="2", color_scheme="gray", word_break="break-all"),
                form_field(label=tr("profile.name"), name="full_name", error=name_err,
                           error_text=name_text, default_value=s.full_name, key=s.full_name,
                           autocomplete="name"),
                rx.vstack(
                    rx.el.label(tr("profile.language"), html_for="profile-language",
                                font_weight="500", font_size="0.9rem"),
                    rx.select.root(
                        rx.select.trigger(id="profile-language",
                                          aria_label=tr("profile.language")),
                        rx.select.content(*[rx.select.item(tr(f"lang.{c}"), value=c)
                                            for c in LANGUAGES]),
                        value=s.my_language, on_change=s.set_my_language, size="3",
                    ),
                    spacing="1",
                ),
                rx.button(tr("common.save"), type="submit", size="3", id="profile-save"),
                spacing="3", width="100%",
            ),
            on_submit=s.save, reset_on_submit=False, width="100%",
        ),
        width="100%",
    )


def _password() -> rx.Component:
    s = ProfileState
    cur_err, cur_text = _err("current")
    new_err, new_text = _err("new")
    conf_err, conf_text = _err("confirm")
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(tr("profile.password"), as_="h2", size="4"),
                form_field(label=tr("profile.current_password"), name="current_password",
                           error=cur_err, error_text=cur_text, input_type="password",
                           autocomplete="current-password",
                           key=s.password_key.to_string() + "c"),
                form_field(label=tr("profile.new_password"), name="new_password",
                           error=new_err, error_text=new_text, input_type="password",
                           autocomplete="new-password", key=s.password_key.to_string() + "n"),
                form_field(label=tr("profile.confirm_password"), name="confirm_password",
                           error=conf_err, error_text=conf_text, input_type="password",
                           autocomplete="new-password", key=s.password_key.to_string() + "r"),
                rx.button(tr("profile.change_password"), type="submit", size="3",
                          id="password-save"),
                spacing="3", width="100%",
            ),
            on_submit=s.change_password, reset_on_submit=True, width="100%",
        ),
        width="100%",
    )


@page(route=routes.PROFILE, on_load=[AppState.enter_signed_in, ProfileState.load])
def profile_page() -> rx.Component:
    """Name, language and password of the signed-in user."""
    return app_shell(
        page_title(tr("nav.profile")),
        rx.grid(_details(), _password(), columns=rx.breakpoints(initial="1", md="2"),
                spacing="4", width="100%"),
    )
