"""State of the invitee's join page (R-TEAM-4, R-PLUS-2)."""

import logging

import reflex as rx

from rxapp import clock, routes
from rxapp.db import session_scope
from rxapp.models import LANGUAGES
from rxapp.services import team
from rxapp.services.accounts import auth
from rxapp.services.accounts.hashing import Busy, run_password_work
from rxapp.services.accounts.passwords import MAX_PASSWORD_LENGTH
from rxapp.services.common.errors import DomainError
from rxapp.states.base import AppState, api_origin, hard_redirect
from rxapp.states.team.base import _str

logger = logging.getLogger(__name__)


class JoinState(AppState):
    """The invitee's page behind the emailed link (R-TEAM-4, R-PLUS-2)."""

    checked: bool = False
    status: str = ""
    invite_org: str = ""
    invite_role: str = ""
    invite_email: str = ""
    done: bool = False
    asked: bool = False
    name_error: str = ""
    password_error: str = ""
    confirm_error: str = ""
    form_error: str = ""

    def _token(self) -> str:
        path = self.router.url.path or ""
        return path.rstrip("/").rsplit("/", 1)[-1] if path.startswith("/join/") else ""

    @rx.event
    def load(self) -> None:
        """Tell at once what the link is worth; speak the invitation's language."""
        self.done = False
        self.name_error = self.password_error = self.confirm_error = self.form_error = ""
        with session_scope() as session:
            info = team.link_status(session, token=self._token(), now=clock.now())
        self.status = info.status
        self.invite_org = info.organization_name
        self.invite_role = info.role
        self.invite_email = info.email
        self.asked = info.renewal_requested
        if info.status != team.LinkStatus.UNKNOWN and info.language in LANGUAGES:
            self.lang = info.language
        self.checked = True

    @rx.event
    async def submit(self, form: dict):  # noqa: ANN201
        """Create the member's account and sign them in at once; the link works once.

        The hashing runs off the event loop; the new member then gets the same one-time
        ticket as a sign-in, which the cookie endpoint swaps for the HttpOnly session,
        so they land on their home signed in.
        """
        form = form if isinstance(form, dict) else {}
        name = _str(form.get("full_name"), 300)
        password = _str(form.get("password"), MAX_PASSWORD_LENGTH + 1)
        confirm = _str(form.get("confirm"), MAX_PASSWORD_LENGTH + 1)
        self.name_error = self.password_error = self.form_error = ""
        self.confirm_error = "" if password == confirm else "error.password_mismatch"
        if not name.strip():
            self.name_error = "team.error.name_required"
        if self.confirm_error or self.name_error:
            return None
        token = self._token()
        # The ticket is bound to this browser's id cookie; without one the member is
        # registered all the same and signs in by hand.
        browser = self._client().browser

        def work() -> str:
            now = clock.now()
            with session_scope() as session:
                user_id = team.accept(session, token=token, full_name=name, password=password,
                                      now=now)
                if not browser:
                    return ""
                return auth.issue_login_ticket(session, user_id=user_id, now=now,
                                               browser_key=browser)

        try:
            ticket = await run_password_work(work)
        except Busy:
            self.password_error = "login.busy"  # noqa: S105 - a catalogue key
            return None
        except DomainError as err:
            if err.field == "full_name":
                self.name_error = err.code
            elif err.field == "password":
                self.password_error = err.code
            else:
                self.status = err.code.rsplit(".", 1)[-1]
            return None
        self.done = True
        if not ticket:
            return None
        origin = self.router.url.origin or ""
        return hard_redirect(
            routes.claim_url(api_origin(), ticket=ticket, next_url=origin + routes.HOME)
        )

    @rx.event
    def ask_new_link(self) -> None:
        """An expired link: tell the organization's admins (R-PLUS-2)."""
        try:
            with session_scope() as session:
                team.request_renewal(session, token=self._token(), now=clock.now())
        except DomainError as err:
            self.status = err.code.rsplit(".", 1)[-1]
            return
        self.asked = True

