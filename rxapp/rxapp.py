"""Builds the Reflex app: every page with its route and on_load, the API, the scheduler."""

import reflex as rx

from rxapp import routes
from rxapp.api import build_api
from rxapp.pages.accounts.auth import forgot_page, login_page, reset_page
from rxapp.pages.accounts.home import coming_soon_page, forbidden_page, home_page
from rxapp.pages.accounts.mailbox import mailbox_page
from rxapp.pages.accounts.settings import settings_page
from rxapp.pages.interactions import invite_page, participant_page, participants_page
from rxapp.pages.interactions.take import take_page
from rxapp.pages.team import (
    attribute_lists_page,
    csv_import_page,
    invitations_page,
    join_page,
    members_page,
    team_dashboard_page,
)
from rxapp.scheduler.lifespan import scheduler_lifespan_task
from rxapp.states.accounts.auth import ForgotState, LoginState, ResetState
from rxapp.states.accounts.mailbox import MailboxState
from rxapp.states.accounts.settings import SettingsState
from rxapp.states.base import AppState
from rxapp.states.interactions import InviteState, ParticipantsState, ParticipantState
from rxapp.states.interactions.take import TakeState
from rxapp.states.team import (
    AttributeListsState,
    CsvImportState,
    InvitationsState,
    JoinState,
    MembersState,
    TeamDashboardState,
)

app = rx.App(
    api_transformer=build_api(),
    html_lang="en",
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
)

# The scheduler runs inside the app unless SCHEDULER_ENABLED=false (then `make worker`).
app.register_lifespan_task(scheduler_lifespan_task)

# Public pages.
app.add_page(login_page, route=routes.LOGIN, title="Beckon",
             on_load=[AppState.enter_public, LoginState.load])
app.add_page(forgot_page, route=routes.FORGOT, title="Beckon",
             on_load=[AppState.enter_public, ForgotState.load])
app.add_page(reset_page, route=routes.RESET, title="Beckon",
             on_load=[AppState.enter_public, ResetState.load])
app.add_page(join_page, route=routes.JOIN, title="Beckon",
             on_load=[AppState.enter_public, JoinState.load])

# The participant's page: the link token is the only credential.
app.add_page(take_page, route=routes.TAKE, title="Beckon", on_load=TakeState.load)

# Signed-in pages.
app.add_page(home_page, route=routes.HOME, title="Beckon", on_load=AppState.enter_signed_in)
app.add_page(forbidden_page, route=routes.FORBIDDEN, title="Beckon",
             on_load=AppState.enter_signed_in)
app.add_page(settings_page, route=routes.SETTINGS, title="Beckon",
             on_load=[AppState.enter_admin, SettingsState.load])
app.add_page(participants_page, route=routes.PARTICIPANTS, title="Beckon",
             on_load=[AppState.enter_staff, ParticipantsState.load])
app.add_page(participant_page, route=routes.PARTICIPANT, title="Beckon",
             on_load=[AppState.enter_staff, ParticipantState.load])
app.add_page(invite_page, route=routes.PARTICIPANT_NEW, title="Beckon",
             on_load=[AppState.enter_staff, InviteState.load])
app.add_page(mailbox_page, route=routes.MAILBOX, title="Beckon",
             on_load=[AppState.enter_admin, MailboxState.load])
# Team (§5): admins only.
for _page, _route, _load in (
    (team_dashboard_page, routes.TEAM, TeamDashboardState.load),
    (invitations_page, routes.TEAM_INVITATIONS, InvitationsState.load),
    (csv_import_page, routes.TEAM_IMPORT, CsvImportState.load),
    (members_page, routes.TEAM_MEMBERS, MembersState.load),
    (attribute_lists_page, routes.TEAM_SETTINGS, AttributeListsState.load),
):
    app.add_page(_page, route=_route, title="Beckon", on_load=[AppState.enter_admin, _load])
for _route, _guard in (
    (routes.REVIEWS, AppState.enter_staff),
    (routes.EVENTS, AppState.enter_events),
):
    app.add_page(coming_soon_page, route=_route, title="Beckon", on_load=_guard)
