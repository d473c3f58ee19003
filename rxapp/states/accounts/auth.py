"""Sign-in, forgot-credentials and reset-password pages (R-ACC-1, R-ACC-2)."""

from urllib.parse import parse_qs

import reflex as rx

import rxapp.services.accounts.reset_mail as password_mail
from rxapp import clock, routes
from rxapp.db import session_scope
from rxapp.services.accounts import auth
from rxapp.services.common.errors import DomainError
from rxapp.states.base import AppState, api_origin, hard_redirect, safe_next


def _field(form: dict, name: str, limit: int = 1000) -> str:
    value = form.get(name, "") if isinstance(form, dict) else ""
    return value[:limit] if isinstance(value, str) else ""


class LoginState(AppState):
    """The sign-in form."""

    email_error: str = ""
    password_error: str = ""
    form_error: str = ""
    notice: str = ""

    @rx.event
    def load(self):  # noqa: ANN201
        """Send a signed-in user on; otherwise show why they are here."""
        self.email_error = self.password_error = self.form_error = ""
        query = parse_qs(self.router.url.query or "")
        self.notice = "login.signed_out" if "out" in query else ""
        if "next" in query and not self.notice:
            self.notice = "login.session_expired"
        if self._principal() is not None:
            return rx.redirect(self._next_path())
        return None

    def _next_path(self) -> str:
        query = parse_qs(self.router.url.query or "")
        return safe_next((query.get("next") or [routes.HOME])[0])

    @rx.event
    def submit(self, form: dict):  # noqa: ANN201
        """Check the credentials; on success hand a one-time ticket to the cookie endpoint."""
        email = auth.normalize_email(_field(form, "email", 254))
        password = _field(form, "password", 1000)
        self.form_error = ""
        self.email_error = auth.email_problem(email) or ""
        self.password_error = "" if password else "error.password_required"
        if self.email_error or self.password_error:
            return None
        with session_scope() as session:
            now = clock.now()
            if auth.sign_in_paused(session, email=email, now=now):
                self.form_error = "login.paused"
                return None
            user = auth.authenticate(session, email=email, password=password)
            if user is None:
                auth.record_sign_in_failure(session, email=email, now=now)
                # One message for both cases: never hint which of the two was wrong.
                self.form_error = "login.failed"
                return None
            ticket = auth.issue_login_ticket(session, user_id=user.id, now=now)
            self.lang = user.language
        origin = self.router.url.origin or ""
        return hard_redirect(
            routes.claim_url(api_origin(), ticket=ticket, next_url=origin + self._next_path())
        )


class ForgotState(AppState):
    """"Forgot my credentials": ask for a reset link by email."""

    email_error: str = ""
    sent: bool = False

    @rx.event
    def load(self) -> None:
        """Start with an empty form."""
        self.email_error = ""
        self.sent = False

    @rx.event
    def submit(self, form: dict) -> None:
        """Send a reset link if the address has an account; answer the same either way."""
        email = auth.normalize_email(_field(form, "email", 254))
        self.email_error = auth.email_problem(email) or ""
        if self.email_error:
            return
        with session_scope() as session:
            request = auth.request_password_reset(session, email=email, now=clock.now())
            if request is not None:
                password_mail.schedule_reset_email(session, request=request, now=clock.now())
        self.sent = True


class ResetState(AppState):
    """The page behind an emailed reset link."""

    link_ok: bool = False
    checked: bool = False
    done: bool = False
    password_error: str = ""
    confirm_error: str = ""

    def _token(self) -> str:
        path = self.router.url.path or ""
        return path.rstrip("/").rsplit("/", 1)[-1] if path.startswith("/reset/") else ""

    @rx.event
    def load(self) -> None:
        """Tell at once whether the link still works."""
        self.done = False
        self.password_error = self.confirm_error = ""
        with session_scope() as session:
            self.link_ok = auth.reset_token_is_usable(
                session, token=self._token(), now=clock.now()
            )
        self.checked = True

    @rx.event
    def submit(self, form: dict) -> None:
        """Set the new password; the link works once."""
        password = _field(form, "password", 1000)
        confirm = _field(form, "confirm", 1000)
        self.password_error = ""
        self.confirm_error = "" if password == confirm else "error.password_mismatch"
        if self.confirm_error:
            return
        try:
            with session_scope() as session:
                auth.reset_password(
                    session, token=self._token(), new_password=password, now=clock.now()
                )
        except DomainError as err:
            if err.field == "password":
                self.password_error = err.code
            else:
                self.link_ok = False
            return
        self.done = True
