"""The signed-in user, the language, and the one guard every handler calls first.

Nothing secret lives in state: the session token stays in an HttpOnly cookie that
only the server reads (from the websocket handshake), and every handler resolves
it against the database again, because a client can send any event with any
arguments and overwrite any storage var.
"""

import json
import logging
from urllib.parse import urlsplit

import reflex as rx

from rxapp import clock, routes
from rxapp.api.browser import browser_id_of, browser_key
from rxapp.api.upload import session_token_of, upload_cookie
from rxapp.db import session_scope
from rxapp.i18n import catalog, pick_language, translate
from rxapp.models import LANGUAGES, Module, Role
from rxapp.services.accounts import auth, throttle

logger = logging.getLogger(__name__)

STAFF = (Role.ADMIN.value, Role.ORGANIZER.value)
ADMIN = (Role.ADMIN.value,)

# Navigation: (catalogue key, route, module needed or None, roles allowed).
_NAV = (
    ("nav.home", routes.HOME, None, tuple(r.value for r in Role if r != Role.PARTNER)),
    ("nav.participants", routes.PARTICIPANTS, Module.INTERACTIONS.value, STAFF),
    ("nav.reviews", routes.REVIEWS, Module.REVIEWS.value, STAFF),
    ("nav.events", routes.EVENTS, Module.MEETINGS.value, (*STAFF, Role.PARTNER.value)),
    ("nav.team", routes.TEAM, Module.TEAM.value, ADMIN),
    ("nav.settings", routes.SETTINGS, None, ADMIN),
    ("nav.mailbox", routes.MAILBOX, None, ADMIN),
)


def nav_for(role: str, modules: tuple[str, ...] | list[str]) -> list[dict[str, str]]:
    """Return the navigation entries a role sees for an organization's modules (R-ACC-5)."""
    return [
        {"key": key, "route": route}
        for key, route, module, roles in _NAV
        if role in roles and (module is None or module in modules)
    ]


def _safe_next(path: str) -> str:
    """Keep a post-login destination on this site (no open redirect)."""
    parts = urlsplit(path or "")
    if parts.scheme or parts.netloc or not (parts.path or "").startswith("/"):
        return routes.HOME
    if parts.path.startswith("//"):
        return routes.HOME
    return parts.path + (f"?{parts.query}" if parts.query else "")


class AppState(rx.State):
    """Base of every page state: who is signed in, in which language."""

    # A preference the browser keeps between visits; validated before use.
    lang: str = rx.LocalStorage("en", name="beckon_lang", sync=True)
    signed_in: bool = False
    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    org_name: str = ""
    nav: list[dict[str, str]] = []

    @rx.var
    def language(self) -> str:
        """The UI language actually in use (an unknown stored value falls back to English)."""
        return self.lang if self.lang in LANGUAGES else "en"

    @rx.var
    def api_base(self) -> str:
        """Origin of the backend's HTTP endpoints (exports, QR codes); public, not a secret."""
        return rx.config.get_config().api_url.rstrip("/")

    @rx.var
    def t(self) -> dict[str, str]:
        """The UI catalogue of the current language."""
        return catalog(self.language)

    # --- the guard --------------------------------------------------------

    def _session_token(self) -> str | None:
        return session_token_of(self.router.headers.cookie or "")

    def _principal(self) -> auth.Principal | None:
        with session_scope() as session:
            return auth.resolve_session(session, token=self._session_token(), now=clock.now())

    def _require(self, *roles: str, upload: bool = False) -> auth.Principal | None:
        """Return the signed-in user if they hold one of ``roles``; None refuses the call.

        Every handler that reads or changes data calls this first and returns
        early on None. Ids the handler receives must then be checked against
        ``principal.organization_id`` by the service it calls.

        Args:
            roles: The roles allowed (any signed-in user when none are given).
            upload: For handlers that receive files: authorize from the cookie of the
                ``/_upload`` request now running for this tab, never from the tab's
                socket, and refuse when no such request is in flight.
        """
        if upload:
            cookie = upload_cookie(self.router.session.client_token)
            with session_scope() as session:
                principal = auth.resolve_session(
                    session, token=session_token_of(cookie) if cookie else None, now=clock.now()
                )
        else:
            principal = self._principal()
        if principal is None or not principal.has_role(*roles):
            logger.info(
                "refused",
                extra={"state": self.get_full_name(), "roles": roles, "signed_in": bool(principal)},
            )
            return None
        return principal

    def _require_module(
        self, module: str, *roles: str, upload: bool = False
    ) -> auth.Principal | None:
        """Like :meth:`_require`, and the organization's plan must include ``module``."""
        principal = self._require(*roles, upload=upload)
        if principal is None or module not in principal.modules:
            return None
        return principal

    def _client(self) -> throttle.Client:
        """Where this tab's socket comes from: network address and browser (hashed id)."""
        browser = browser_id_of(self.router.headers.cookie or "")
        return throttle.Client(
            address=(self.router.session.client_ip or "")[:64], browser=browser_key(browser)
        )

    def _tr(self, key: str, **params: object) -> str:
        return translate(self.language, key, **params)

    def _show(self, principal: auth.Principal) -> None:
        self.signed_in = True
        self.user_name = principal.full_name or principal.email
        self.user_email = principal.email
        self.user_role = principal.role
        self.org_name = principal.organization_name
        self.nav = nav_for(principal.role, principal.modules)
        self.lang = principal.language

    def _forget(self) -> None:
        self.signed_in = False
        self.user_name = self.user_email = self.user_role = self.org_name = ""
        self.nav = []

    def _enter(self, *roles: str):  # noqa: ANN202
        principal = self._principal()
        if principal is None:
            self._forget()
            return rx.redirect(f"{routes.LOGIN}?next={self.router.url.path or '/'}")
        self._show(principal)
        if not principal.has_role(*roles):
            return rx.redirect(routes.FORBIDDEN)
        return None

    # --- page entry guards (on_load) --------------------------------------

    @rx.event
    def enter_signed_in(self):  # noqa: ANN201
        """On load of pages for any signed-in user."""
        return self._enter()

    @rx.event
    def enter_staff(self):  # noqa: ANN201
        """On load of pages for admins and organizers."""
        return self._enter(*STAFF)

    @rx.event
    def enter_admin(self):  # noqa: ANN201
        """On load of admin-only pages."""
        return self._enter(*ADMIN)

    @rx.event
    def enter_events(self):  # noqa: ANN201
        """On load of the events area, which partner users share with staff."""
        return self._enter(*STAFF, Role.PARTNER.value)

    @rx.event
    def enter_public(self):  # noqa: ANN201
        """On load of public pages: show who is signed in, if anyone, and pick a language."""
        principal = self._principal()
        if principal is None:
            self._forget()
            if self.lang not in LANGUAGES:
                self.lang = pick_language(self.router.headers.accept_language)
        else:
            self._show(principal)

    # --- language ------------------------------------------------------------

    @rx.event
    def set_lang(self, value: str) -> None:
        """Switch the UI language; remembered per user when signed in (R-UI-1)."""
        if not isinstance(value, str) or value not in LANGUAGES:
            return
        self.lang = value
        principal = self._principal()
        if principal is not None:
            with session_scope() as session:
                auth.set_language(session, principal=principal, language=value)

    # --- sign out ------------------------------------------------------------

    @rx.event
    def sign_out(self):  # noqa: ANN201
        """End the session in the database, then let the backend clear the cookie."""
        with session_scope() as session:
            auth.end_session(session, token=self._session_token())
        self._forget()
        origin = self.router.url.origin or ""
        return hard_redirect(
            routes.end_session_url(api_origin(), next_url=f"{origin}{routes.LOGIN}?out=1")
        )


def api_origin() -> str:
    """The backend's origin as the browser reaches it (the event socket's host)."""
    return rx.config.get_config().api_url


def hard_redirect(url: str):  # noqa: ANN201
    """Navigate with a full page load, so the backend sets or clears the cookie.

    ``rx.redirect`` navigates inside the single-page router when the host is the
    same (production serves everything on one port), which would never reach the
    backend endpoint; a full load also opens a new socket that carries the cookie.
    """
    return rx.call_script(f"window.location.assign({json.dumps(url)})")


def safe_next(path: str) -> str:
    """Public wrapper of the post-login destination check (used by the login state)."""
    return _safe_next(path)
