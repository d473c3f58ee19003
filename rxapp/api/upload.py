"""Uploads are authorized from the upload request's own cookie, not the tab's last socket.

Reflex's ``POST /_upload`` names the tab by its client token (a header) and runs the
handler on that tab's state, whose router headers are those of the tab's last socket
event. A request that carried only someone's client token would then act with that
tab's session. This middleware refuses an upload without a valid session cookie, and
lends the request's own cookie to the handler (through :func:`upload_cookie`) for as
long as the request runs; upload handlers authorize from it alone.
"""

import asyncio
import logging
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import CookieError, SimpleCookie

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from rxapp import clock, routes
from rxapp.db import session_scope
from rxapp.services.accounts import auth

logger = logging.getLogger(__name__)

# client token -> cookie headers of the uploads in flight for it. The handler runs in this
# process (Reflex enqueues the upload's event on the worker that received the request).
_IN_FLIGHT: dict[str, list[str]] = defaultdict(list)


def session_token_of(cookie_header: str | None) -> str | None:
    """Return the session token from a ``Cookie`` header, or None."""
    try:
        jar = SimpleCookie(cookie_header or "")
    except CookieError:
        return None
    morsel = jar.get(routes.SESSION_COOKIE)
    return morsel.value if morsel else None


def upload_cookie(client_token: str) -> str | None:
    """The ``Cookie`` header of the upload request now running for this tab, or None.

    None means no upload request is in flight for the tab: the call did not come
    through ``/_upload`` (e.g. a crafted websocket event) and must be refused.
    """
    pending = _IN_FLIGHT.get(client_token or "")
    return pending[-1] if pending else None


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers") or ():
        if key == name:
            return value.decode("latin-1")
    return ""


def _signed_in(cookie_header: str) -> bool:
    token = session_token_of(cookie_header)
    if not token:
        return False
    with session_scope() as session:
        return auth.resolve_session(session, token=token, now=clock.now()) is not None


class UploadCookieMiddleware:
    """Guard ``/_upload``: a valid session cookie on the request itself, or 403."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request's cookie and lend it to the handler while the request runs."""
        if scope["type"] != "http" or not scope.get("path", "").startswith(routes.UPLOAD):
            await self.app(scope, receive, send)
            return
        cookie = _header(scope, b"cookie")
        client_token = _header(scope, b"reflex-client-token")
        if not client_token or not await asyncio.to_thread(_signed_in, cookie):
            logger.warning("upload refused", extra={"reason": "no valid session cookie"})
            await PlainTextResponse("Forbidden", status_code=403)(scope, receive, send)
            return
        with upload_in_flight(client_token, cookie):
            await self.app(scope, receive, send)


@contextmanager
def upload_in_flight(client_token: str, cookie: str) -> Iterator[None]:
    """Lend ``cookie`` to the upload handlers of the tab ``client_token`` meanwhile."""
    pending = _IN_FLIGHT[client_token]
    pending.append(cookie)
    try:
        yield
    finally:
        pending.remove(cookie)
        if not pending:
            _IN_FLIGHT.pop(client_token, None)
