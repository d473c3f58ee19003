"""The session cookie's endpoints: set it after sign-in, clear it after sign-out."""

import asyncio
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from rxapp import clock, routes
from rxapp.db import session_scope
from rxapp.services.accounts import auth
from rxapp.settings import get_settings


def _safe_target(next_url: str, request: Request) -> str:
    """Only return to a page on the same host: the cookie is scoped to it anyway."""
    parts = urlsplit(next_url or "")
    if parts.scheme in ("http", "https") and parts.hostname == request.url.hostname:
        return next_url
    return get_settings().base_url.rstrip("/") + routes.HOME


async def claim_session(request: Request) -> RedirectResponse:
    """Swap a one-time login ticket for an HttpOnly session cookie, then go on."""
    ticket = request.query_params.get("ticket", "")

    def _redeem() -> str | None:
        with session_scope() as session:
            return auth.redeem_login_ticket(session, ticket=ticket, now=clock.now())

    token = await asyncio.to_thread(_redeem)
    target = _safe_target(request.query_params.get("next", ""), request)
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
        _safe_target(request.query_params.get("next", ""), request), status_code=303
    )
    response.delete_cookie(routes.SESSION_COOKIE, path="/")
    return response


def session_routes() -> list[Route]:
    """The cookie swap after sign-in and the cookie clearing after sign-out."""
    return [
        Route(routes.API_SESSION_CLAIM, claim_session, methods=["GET"]),
        Route(routes.API_SESSION_END, end_session, methods=["GET"]),
    ]
