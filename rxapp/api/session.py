"""The session cookie's endpoints: set it after sign-in, clear it after sign-out."""

import asyncio
import secrets
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from rxapp import clock, routes
from rxapp.api.browser import browser_cookie_header, browser_id_of, browser_key
from rxapp.api.origin import configured_origins, home_origin, origin_of
from rxapp.db import session_scope
from rxapp.services.accounts import auth
from rxapp.settings import get_settings


def safe_target(next_url: str) -> str:
    """Return ``next_url`` if it is on a configured origin, else the home page.

    Scheme, host and port must all match BASE_URL or one of ALLOWED_ORIGINS: another
    port of the same host is another site (finding 13.12).
    """
    if origin_of(next_url) in configured_origins():
        return next_url
    return home_origin() + routes.HOME


async def claim_session(request: Request) -> RedirectResponse:
    """Swap a one-time login ticket for an HttpOnly session cookie, then go on.

    Only the browser that signed in can do this: the ticket is bound to its id cookie.
    """
    ticket = request.query_params.get("ticket", "")
    browser = browser_key(browser_id_of(request.headers.get("cookie")))

    def _redeem() -> str | None:
        with session_scope() as session:
            return auth.redeem_login_ticket(
                session, ticket=ticket, now=clock.now(), browser_key=browser
            )

    token = await asyncio.to_thread(_redeem)
    target = safe_target(request.query_params.get("next", ""))
    if token is None:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(target))
        return RedirectResponse(origin + routes.LOGIN, status_code=303)
    settings = get_settings()
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        routes.SESSION_COOKIE,
        token,
        max_age=settings.session_max_days * 86400,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


async def end_session(request: Request) -> RedirectResponse:
    """Clear the session cookie (the session row was already deleted by the handler)."""
    response = RedirectResponse(
        safe_target(request.query_params.get("next", "")), status_code=303
    )
    response.delete_cookie(routes.SESSION_COOKIE, path="/")
    return response


async def give_browser_id(request: Request) -> RedirectResponse:
    """Give the browser its id cookie if it has none, then go back (development server)."""
    response = RedirectResponse(safe_target(request.query_params.get("next", "")), 303)
    if not browser_id_of(request.headers.get("cookie")):
        response.headers.append("set-cookie", browser_cookie_header(secrets.token_urlsafe(24)))
    response.headers["Cache-Control"] = "no-store"
    return response


def session_routes() -> list[Route]:
    """The cookie swap after sign-in, the cookie clearing after sign-out, the browser id."""
    return [
        Route(routes.API_SESSION_CLAIM, claim_session, methods=["GET"]),
        Route(routes.API_SESSION_END, end_session, methods=["GET"]),
        Route(routes.API_SESSION_BROWSER, give_browser_id, methods=["GET"]),
    ]
