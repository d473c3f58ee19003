"""The invitee's join page, mobile first (R-TEAM-4, R-PLUS-2)."""

import reflex as rx

from rxapp import routes
from rxapp.components.forms import form_field
from rxapp.components.shell import public_shell, tap_link, tr
from rxapp.pages.registry import page
from rxapp.pages.team.common import _fill, _role_label
from rxapp.states.base import AppState
from rxapp.states.team import (
    JoinState,
)

# --- the invitee's page ----------------------------------------------------------------


def _join_form() -> rx.Component:
    s = JoinState
    return rx.vstack(
        rx.heading(_fill("team.join.title", org=s.invite_org), as_="h1", size="6"),
        rx.text(_fill("team.join.intro", role=_role_label(s.invite_role))),
        rx.text(tr("team.join.email"), ": ", rx.text.strong(s.invite_email), size="2",
                color_scheme="gray", word_break="break-all"),
        rx.form(
            rx.vstack(
                form_field(label=tr("team.join.name"), name="full_name", autocomplete="name",
                           error=s.name_error, error_text=tr(s.name_error), min_height="44px"),
                form_field(label=tr("team.join.password"), name="password",
                           input_type="password", autocomplete="new-password",
                           error=s.password_error, error_text=tr(s.password_error),
                           hint=rx.text(tr("team.join.hint"), size="1", color_scheme="gray"),
                           min_height="44px"),
                form_field(label=tr("team.join.confirm"), name="confirm", input_type="password",
                           autocomplete="new-password", error=s.confirm_error,
                           error_text=tr(s.confirm_error), min_height="44px"),
                rx.button(tr("team.join.submit"), type="submit", size="3", width="100%",
                          id="join-submit", min_height="44px"),
                spacing="4",
                width="100%",
            ),
            on_submit=s.submit,
            no_validate=True,
            method="post",  # a submit before the JavaScript runs must not put it in the URL
            reset_on_submit=False,
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def _join_expired() -> rx.Component:
    s = JoinState
    return rx.vstack(
        rx.heading(tr("team.join.closed"), as_="h1", size="6"),
        rx.callout(tr("team.link.expired"), color_scheme="amber", role="alert",
                   id="join-expired", width="100%"),
        rx.cond(
            s.asked,
            rx.callout(tr("team.join.asked"), color_scheme="green", role="status",
                       width="100%", id="join-asked"),
            rx.vstack(
                rx.text(_fill("team.join.expired_body", org=s.invite_org)),
                rx.button(tr("team.join.ask"), on_click=s.ask_new_link, size="3",
                          width="100%", min_height="44px", id="join-ask"),
                spacing="3",
                width="100%",
            ),
        ),
        spacing="3",
        width="100%",
    )


@page(route=routes.JOIN, on_load=[AppState.enter_public, JoinState.load])
def join_page() -> rx.Component:
    """Accept a team invitation from the emailed link; phone first (R-TEAM-4, R-UI-3)."""
    s = JoinState
    return public_shell(
        rx.cond(
            ~s.checked,
            rx.center(rx.spinner(size="3"), min_height="120px"),
            rx.cond(
                s.done,
                rx.vstack(
                    rx.heading(_fill("team.join.title", org=s.invite_org), as_="h1", size="6"),
                    rx.callout(tr("team.join.done"), color_scheme="green", role="status",
                               id="join-done", width="100%"),
                    rx.link(rx.button(tr("team.join.sign_in"), size="3", width="100%",
                                      min_height="44px"),
                            href=routes.LOGIN, width="100%"),
                    spacing="3",
                    width="100%",
                ),
                rx.match(
                    s.status,
                    ("ok", _join_form()),
                    ("expired", _join_expired()),
                    rx.vstack(
                        rx.heading(tr("team.join.closed"), as_="h1", size="6"),
                        rx.callout(tr("team.link." + s.status), color_scheme="amber",
                                   role="alert", id="join-closed", width="100%"),
                        tap_link(tr("team.join.sign_in"), href=routes.LOGIN),
                        spacing="3",
                        width="100%",
                    ),
                ),
            ),
        ),
    )

