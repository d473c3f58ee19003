"""Refuse a tab's client token from any browser but the one it is bound to.

Reflex sends the tab's token in the event socket's query string and in the upload
request's ``reflex-client-token`` header; whoever has it gets the tab's state. The
token is bound to the browser id cookie (``rxapp.services.accounts.tabs``), so a token
read from a proxy log is useless in another browser.
"""

import asyncio
import logging
from urllib.parse import parse_qs

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from rxapp import clock, routes
from rxapp.api.browser import browser_id_of, browser_key
from rxapp.db import session_scope
from rxapp.services.accounts.tabs import tab_allowed

logger = logging.getLogger(__name__)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers") or ():
        if key == name:
            return value.decode("latin-1")
    return ""


def _client_token(scope: Scope) -> str:
    path = scope.get("path", "")
    if path.startswith(routes.UPLOAD):
        return _header(scope, b"reflex-client-token")
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return (query.get("token") or [""])[0]


def _allowed(client_token: str, browser: str) -> bool:
    with session_scope() as session:
        return tab_allowed(session, client_token=client_token, browser_key=browser,
                           now=clock.now())


class TabBindingMiddleware:
    """Check the tab token of every event socket and upload against the browser cookie."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or refuse a token that belongs to another browser."""
        path = scope.get("path", "") if scope["type"] in ("http", "websocket") else ""
        if path.startswith((routes.EVENT_SOCKET, routes.UPLOAD)):
            token = _client_token(scope)
            browser = browser_key(browser_id_of(_header(scope, b"cookie")))
            if token and not await asyncio.to_thread(_allowed, token, browser):
                logger.warning("tab token of another browser refused", extra={"path": path})
                if scope["type"] == "websocket":
                    await receive()
                    await send({"type": "websocket.close", "code": 1008})
                    return
                await PlainTextResponse("Forbidden", status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)
