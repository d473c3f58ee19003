"""A random, HttpOnly id per browser, set on the first response that lacks it.

The sign-in ticket is bound to it (a ticket redeemed by another browser is refused:
no login CSRF), and sign-in throttling keys on it to tell the browser someone usually
signs in from from a guesser's.
"""

import hashlib
import secrets
from http.cookies import CookieError, SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rxapp import routes
from rxapp.settings import get_settings

_MAX_AGE = 400 * 86400  # the longest browsers keep a cookie


def browser_id_of(cookie_header: str | None) -> str:
    """Return the browser id from a ``Cookie`` header ("" when absent or malformed)."""
    try:
        jar = SimpleCookie(cookie_header or "")
    except CookieError:
        return ""
    morsel = jar.get(routes.BROWSER_COOKIE)
    value = morsel.value if morsel else ""
    return value if 20 <= len(value) <= 64 and value.isascii() else ""


def browser_key(browser_id: str) -> str:
    """The id as stored (SHA-256): a database leak does not hand out the cookies."""
    return hashlib.sha256(browser_id.encode("utf-8")).hexdigest() if browser_id else ""


def browser_cookie_header(value: str) -> str:
    """The ``Set-Cookie`` value that gives a browser its id."""
    secure = "; Secure" if get_settings().secure_cookies else ""
    return (
        f"{routes.BROWSER_COOKIE}={value}; Max-Age={_MAX_AGE}; Path=/; HttpOnly; "
        f"SameSite=Lax{secure}"
    )


class BrowserCookieMiddleware:
    """Give every browser that has none its id cookie, with the first page it loads."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the cookie to the response when missing."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = ""
        for key, value in scope.get("headers") or ():
            if key == b"cookie":
                cookie = value.decode("latin-1")
        if browser_id_of(cookie):
            await self.app(scope, receive, send)
            return
        new_id = secrets.token_urlsafe(24)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                # Pages only: the scripts and chunks a page loads in parallel would each
                # hand out another id, and the last one to arrive would win.
                is_page = headers.get("content-type", "").startswith("text/html")
                if is_page and routes.BROWSER_COOKIE not in headers.get("set-cookie", ""):
                    headers.append("set-cookie", browser_cookie_header(new_id))
            await send(message)

        await self.app(scope, receive, send_with_cookie)
