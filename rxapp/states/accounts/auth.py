"""Sign-in, forgot-credentials and reset-password pages (R-ACC-1, R-ACC-2)."""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs

import reflex as rx

import rxapp.services.accounts.reset_mail as password_mail
from rxapp import clock, routes
from rxapp.db import session_scope
from rxapp.services.accounts import auth, throttle
from rxapp.services.accounts.hashing import Busy, run_password_work
from rxapp.services.accounts.passwords import MAX_PASSWORD_LENGTH
from rxapp.services.common.errors import DomainError
from rxapp.states.base import AppState, api_origin, hard_redirect, safe_next

logger = logging.getLogger(__name__)


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
        if not self._client().browser and "b" not in query:
            # The page came from elsewhere than the backend (development server): get the
            # browser id cookie first, once, so the sign-in ticket can be bound to it.
            here = f"{self.router.url.origin or ''}{routes.LOGIN}?b=1"
            return hard_redirect(routes.browser_url(api_origin(), next_url=here))
        return None

    def _next_path(self) -> str:
        query = parse_qs(self.router.url.query or "")
        return safe_next((query.get("next") or [routes.HOME])[0])

    @rx.event
    async def submit(self, form: dict):  # noqa: ANN201
        """Check the credentials; on success hand a one-time ticket to the cookie endpoint.

        The check (argon2) runs off the event loop on the bounded hashing pool, after
        the throttle (per address, client and browser) had its say.
        """
        email = auth.normalize_email(_field(form, "email", 254))
        password = _field(form, "password", MAX_PASSWORD_LENGTH + 1)
        self.form_error = ""
        self.email_error = auth.email_problem(email) or ""
        self.password_error = "" if password else "error.password_required"
        if self.email_error or self.password_error:
            return None
        client = self._client()
        if not client.browser:
            # No browser id cookie: the ticket could not be bound to this browser.
            self.form_error = "login.cookies_needed"
            return None

        def check() -> tuple[str, str, str]:
            with session_scope() as session:
                now = clock.now()
                if throttle.sign_in_wait(session, email=email, client=client, now=now):
                    return "login.paused", "", ""
                user = auth.authenticate(session, email=email, password=password)
                if user is None:
                    throttle.record_failure(session, email=email, client=client, now=now)
                    # One message for both cases: never hint which of the two was wrong.
                    return "login.failed", "", ""
                throttle.record_success(session, email=email, client=client, now=now)
                ticket = auth.issue_login_ticket(
                    session, user_id=user.id, now=now, browser_key=client.browser
                )
                return "", ticket, user.language

        try:
            error, ticket, language = await run_password_work(check)
        except Busy:
            self.form_error = "login.busy"
            return None
        if error:
            self.form_error = error
            return None
        self.lang = language
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
    async def submit(self, form: dict) -> None:
        """Send a reset link if the address has an account; answer the same either way.

        Whether the address is known is decided after the answer, off the response path,
        so the answer's timing says nothing either (finding 13.3).
        """
        email = auth.normalize_email(_field(form, "email", 254))
        self.email_error = auth.email_problem(email) or ""
        if self.email_error:
            return
        start_reset_request(email, self._client())
        self.sent = True


# Reset requests being handled after their answer; kept so they are not garbage-collected.
_reset_jobs: set[asyncio.Future] = set()
# One at a time: the per-address and per-client limits count what the previous ones wrote.
_reset_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reset-requests")


def _handle_reset_request(email: str, client: throttle.Client) -> None:
    try:
        with session_scope() as session:
            now = clock.now()
            if not throttle.reset_allowed(session, email=email, client=client, now=now):
                return
            request = auth.request_password_reset(session, email=email, now=now)
            if request is not None:
                password_mail.schedule_reset_email(session, request=request, now=now)
    except Exception:
        logger.exception("password reset request failed")


def start_reset_request(email: str, client: throttle.Client) -> None:
    """Handle a reset request in a worker thread, after the page has been answered."""
    loop = asyncio.get_running_loop()
    job = asyncio.ensure_future(
        loop.run_in_executor(_reset_worker, _handle_reset_request, email, client)
    )
    _reset_jobs.add(job)
    job.add_done_callback(_reset_jobs.discard)


async def finish_reset_requests() -> None:
    """Wait for the reset requests still being handled (tests, shutdown)."""
    while _reset_jobs:
        await asyncio.gather(*list(_reset_jobs), return_exceptions=True)


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
    async def submit(self, form: dict) -> None:
        """Set the new password; the link works once."""
        password = _field(form, "password", MAX_PASSWORD_LENGTH + 1)
        confirm = _field(form, "confirm", MAX_PASSWORD_LENGTH + 1)
        self.password_error = ""
        self.confirm_error = "" if password == confirm else "error.password_mismatch"
        if self.confirm_error:
            return
        token = self._token()

        def work() -> None:
            with session_scope() as session:
                auth.reset_password(session, token=token, new_password=password, now=clock.now())

        try:
            await run_password_work(work)
        except Busy:
            self.password_error = "login.busy"  # noqa: S105 - a catalogue key
            return
        except DomainError as err:
            if err.field == "password":
                self.password_error = err.code
            else:
                self.link_ok = False
            return
        self.done = True
