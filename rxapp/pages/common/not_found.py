"""The page shown at any address the app does not know (Reflex's 404 route)."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import lang_switcher, tr
from rxapp.pages.registry import page
from rxapp.states.base import AppState


@page(route=routes.NOT_FOUND, on_load=AppState.enter_public)
def not_found_page() -> rx.Component:
    """Say plainly that the page does not exist, in the visitor's language, and lead home."""
    return rx.box(
        rx.hstack(rx.spacer(), lang_switcher(), width="100%", max_width="480px",
                  margin_x="auto", padding="16px"),
        rx.center(
            rx.card(
                rx.vstack(
                    rx.image(src=routes.LOGO, alt=tr("app.name"), height="40px", width="auto"),
                    rx.badge(tr("notfound.code"), color_scheme="amber", size="2",
                             variant="soft", id="not-found-code"),
                    rx.heading(tr("notfound.title"), as_="h1", size="7", align="center",
                               id="not-found-title"),
                    rx.text(tr("notfound.body"), color_scheme="gray", align="center"),
                    rx.link(
                        rx.button(rx.icon("house", size=18), tr("notfound.home"), size="3",
                                  width="100%", min_height="44px"),
                        href=routes.HOME, width="100%", id="not-found-home",
                    ),
                    spacing="4",
                    align="center",
                    width="100%",
                ),
                size="4",
                width="100%",
                max_width="480px",
            ),
            padding_x="12px",
            padding_y=["16px", "48px"],
            width="100%",
            as_="main",
        ),
        min_height="100vh",
        background="var(--gray-2)",
    )
