"""Team dashboard page with the invitations tile (R-TEAM-1)."""

import reflex as rx

from rxapp import routes
from rxapp.components.shell import app_shell, page_title, tr
from rxapp.pages.registry import page
from rxapp.pages.team.common import _fill
from rxapp.states.base import AppState
from rxapp.states.team import (
    TeamDashboardState,
)

# --- dashboard ------------------------------------------------------------------


def _tile(title: rx.Var, big: rx.Component, text: rx.Component, href: str,
          tile_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(title, as_="h2", size="4"),
            big,
            text,
            rx.link(rx.button(tr("team.dash.open"), variant="soft", size="3"), href=href),
            spacing="3",
            align="start",
        ),
        width="100%",
        id=tile_id,
    )


@page(route=routes.TEAM, on_load=[AppState.enter_team, TeamDashboardState.load])
def team_dashboard_page() -> rx.Component:
    """The admin dashboard of the team module: Invitations tile first (R-TEAM-1)."""
    s = TeamDashboardState
    return app_shell(
        page_title(tr("team.dash.title")),
        rx.grid(
            _tile(
                tr("team.dash.invitations"),
                rx.text(s.pending, size="8", weight="bold", id="pending-count"),
                rx.vstack(
                    rx.text(_fill("team.dash.invitations_text", n=s.pending),
                            color_scheme="gray", size="2"),
                    rx.cond(s.renewals > 0, rx.badge(_fill("team.dash.renewals", n=s.renewals),
                                                     color_scheme="amber")),
                    spacing="1",
                ),
                routes.TEAM_INVITATIONS, "tile-invitations",
            ),
            _tile(
                tr("team.dash.members"),
                rx.text(s.members, size="8", weight="bold"),
                rx.text(_fill("team.dash.members_text", n=s.members, agents=s.agents),
                        color_scheme="gray", size="2"),
                routes.TEAM_MEMBERS, "tile-members",
            ),
            _tile(
                tr("team.dash.lists"),
                rx.icon("list-checks", size=36),
                rx.text(tr("team.dash.lists_text"), color_scheme="gray", size="2"),
                routes.TEAM_SETTINGS, "tile-lists",
            ),
            columns=rx.breakpoints(initial="1", sm="2", lg="3"),
            spacing="4",
            width="100%",
        ),
    )


