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
from rxapp.i18n import catalog, negotiate, plural_one, translate
from rxapp.models import LANGUAGES, Module, Role
from rxapp.services.accounts import auth, throttle

logger = logging.getLogger(__name__)

STAFF = (Role.ADMIN.value, Role.ORGANIZER.value)
ADMIN = (Role.ADMIN.value,)
OPERATOR = (Role.OPERATOR.value,)
_CUSTOMER_ROLES = tuple(r.value for r in Role if r not in (Role.PARTNER, Role.OPERATOR))

# Navigation: (catalogue key, route, module needed or None, roles allowed).
_NAV = (
    ("nav.home", routes.HOME, None, tuple(r.value for r in Role if r != Role.PARTNER)),
    ("nav.platform", routes.PLATFORM, None, OPERATOR),
    ("nav.participants", routes.PARTICIPANTS, Module.INTERACTIONS.value, STAFF),
    ("nav.reviews", routes.REVIEWS, Module.REVIEWS.value, STAFF),
    ("nav.events", routes.EVENTS, Module.MEETINGS.value, (*STAFF, Role.PARTNER.value)),
    ("nav.team", routes.TEAM, Module.TEAM.value, ADMIN),
    ("nav.settings", routes.SETTINGS, None, ADMIN),
    ("nav.mailbox", routes.MAILBOX, None, ADMIN),
    ("nav.profile", routes.PROFILE, None, tuple(r.value for r in Role)),
)
# The module selector (R-ACC-5): module -> (catalogue key, route, roles that may open it).
_MODULE_NAV = {
    Module.INTERACTIONS.value: ("nav.participants", routes.PARTICIPANTS, STAFF),
    Module.REVIEWS.value: ("nav.reviews", routes.REVIEWS, STAFF),
    Module.MEETINGS.value: ("nav.events", routes.EVENTS, (*STAFF, Role.PARTNER.value)),
    Module.TEAM.value: ("nav.team", routes.TEAM, ADMIN),
}


def modules_for(role: str, modules: tuple[str, ...] | list[str]) -> list[dict[str, str]]:
    """The modules a role can switch between, in the plan's order (the module selector)."""
    return [
        {"module": m, "key": key, "route": route}
        for m, (key, route, roles) in _MODULE_NAV.items()
        if m in modules and role in roles
    ]


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
    # Empty until chosen: a first visit is answered in the browser's Accept-Language.
    lang: str = rx.LocalStorage("", name="beckon_lang", sync=True)
    signed_in: bool = False
    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    org_name: str = ""
    nav: list[dict[str, str]] = []
    # The modules this user can switch between; the selector shows when there are several.
    module_nav: list[dict[str, str]] = []
    # The wide top bar: with a module selector, the modules live in it, not in the links.
    bar_nav: list[dict[str, str]] = []

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
        """The UI catalogue of the current language (plural entries: their other form)."""
        return catalog(self.language)

    @rx.var
    def t_one(self) -> dict[str, str]:
        """The ``one`` form of the plural entries of the current language."""
        return plural_one(self.language)

    def __getstate__(self) -> dict:
        """What Reflex stores of this state (Redis, or the state files): not the catalogue.

        The computed ``t`` and ``t_one`` cache the whole UI catalogue of the tab's
        language on the instance, and Reflex stores ``vars(self)``: every event then
        loaded and stored ~50 KB per tab (bench-load, Redis). They are rebuilt from the
        language on demand (``catalog`` is cached per language), and only a change of
        language sends them to the browser again.
        """
        return {k: v for k, v in super().__getstate__().items() if k not in _REBUILT_ON_DEMAND}

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
        self.module_nav = modules_for(principal.role, principal.modules)
        in_selector = ({m["route"] for m in self.module_nav} if len(self.module_nav) > 1
                       else set())
        self.bar_nav = [item for item in self.nav if item["route"] not in in_selector]
        self.lang = principal.language

    def _forget(self) -> None:
        self.signed_in = False
        self.user_name = self.user_email = self.user_role = self.org_name = ""
        self.nav = []
        self.module_nav = []
        self.bar_nav = []

    def _enter(self, *roles: str, module: str | None = None):  # noqa: ANN202
        principal = self._principal()
        if principal is None:
            self._forget()
            return rx.redirect(f"{routes.LOGIN}?next={self.router.url.path or '/'}")
        self._show(principal)
        if not principal.has_role(*roles):
            return rx.redirect(routes.FORBIDDEN)
        if module is not None and module not in principal.modules:
            return rx.redirect(routes.FORBIDDEN)
        return None

    @rx.var
    def current_module(self) -> str:
        """The module whose pages are open, for the module selector."""
        path = self.router.url.path or ""
        for item in self.module_nav:
            if path == item["route"] or path.startswith(item["route"] + "/"):
                return item["module"]
        return ""

    @rx.event
    def choose_module(self, module: str):  # noqa: ANN201
        """Open a module chosen in the selector (only one the user may open)."""
        for item in self.module_nav:
            if item["module"] == module:
                return rx.redirect(item["route"])
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
    def enter_interactions(self):  # noqa: ANN201
        """On load of the interactions module's pages: staff, and the plan has the module."""
        return self._enter(*STAFF, module=Module.INTERACTIONS.value)

    @rx.event
    def enter_team(self):  # noqa: ANN201
        """On load of the team module's pages: admins, and the plan has the module."""
        return self._enter(*ADMIN, module=Module.TEAM.value)

    @rx.event
    def enter_operator(self):  # noqa: ANN201
        """On load of the platform console: operators only."""
        return self._enter(*OPERATOR)

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
                self.lang = negotiate(self.router.headers.accept_language)
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


# The instance attributes where Reflex caches the computed catalogue vars.
_REBUILT_ON_DEMAND = frozenset(AppState.computed_vars[name]._cache_attr for name in ("t", "t_one"))
