"""The start page and the "no access" page."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.pages.registry import page
from rxapp.states.accounts.profile import HomeState
from rxapp.states.base import AppState
from rxapp.states.meetings.base import PartnerLanding

# What each navigation entry's tile says on the home page.
_TILE_TEXT = {
    "nav.participants": "home.participants",
    "nav.reviews": "home.reviews",
    "nav.events": "home.events",
    "nav.team": "home.team",
    "nav.settings": "home.settings",
    "nav.mailbox": "home.mailbox",
    "nav.profile": "home.profile",
    "nav.platform": "home.platform",
}


def _tile(item: rx.Var) -> rx.Component:
    return rx.cond(
        item["key"] != "nav.home",
        rx.card(
            rx.vstack(
                rx.heading(tr(item["key"]), as_="h2", size="4"),
                rx.text(
                    AppState.t[rx.Var.create(_TILE_TEXT).to(dict)[item["key"]].to(str)],
                    color_scheme="gray",
                    size="2",
                ),
                rx.link(rx.button(tr("home.open"), variant="soft", size="3"),
                        href=item["route"]),
                spacing="3",
                align="start",
            ),
            width="100%",
        ),
    )


def _about_me() -> rx.Component:
    """Organization, role and attributes of the signed-in user (R-TEAM-4)."""
    s = HomeState
    return rx.card(
        rx.data_list.root(
            rx.data_list.item(rx.data_list.label(tr("home.org")),
                              rx.data_list.value(s.me_org, id="me-org")),
            rx.data_list.item(rx.data_list.label(tr("home.role")),
                              rx.data_list.value(tr("team.role." + s.me_role), id="me-role")),
            rx.foreach(s.me_attributes, lambda a: rx.data_list.item(
                rx.data_list.label(tr("team.kind." + a["kind"])),
                rx.data_list.value(rx.cond(a["cos"] != "", tr("team.cos." + a["cos"]),
                                           a["value"]), class_name="me-attribute"),
            )),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
        ),
        width="100%", margin_bottom="20px", id="about-me",
    )


@page(route=routes.HOME,
      on_load=[AppState.enter_signed_in, PartnerLanding.redirect_partner, HomeState.load])
def home_page() -> rx.Component:
    """Who I am here, then tiles of the modules the signed-in role can open."""
    return app_shell(
        page_title(AppState.t["home.title"].to(str).replace("{name}", AppState.user_name)),
        _about_me(),
        rx.grid(
            rx.foreach(AppState.nav, _tile),
            columns=rx.breakpoints(initial="1", sm="2", lg="3"),
            spacing="4",
            width="100%",
        ),
    )


@page(route=routes.FORBIDDEN, on_load=AppState.enter_signed_in)
def forbidden_page() -> rx.Component:
    """Shown when a signed-in role opens a page it has no access to."""
    return app_shell(
        page_title(tr("forbidden.title")),
        rx.callout(tr("forbidden.body"), color_scheme="amber", icon="lock"),
    )
