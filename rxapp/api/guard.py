"""The one guard of every HTTP endpoint: cookie → session → role, organization, module.

The same rules as ``AppState._require`` for event handlers: the HttpOnly session cookie
is resolved against the database on every request; a missing session, a role not
allowed or a module the organization's plan lacks is 403; an id of another
organization is 404, exactly like a missing one, so ids reveal nothing.
"""

import asyncio
from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from rxapp import clock, routes
from rxapp.db import session_scope
from rxapp.models.accounts import Role
from rxapp.services.accounts import auth
from rxapp.services.common.errors import NotAllowed, NotFound

STAFF = (Role.ADMIN.value, Role.ORGANIZER.value)
ADMIN = (Role.ADMIN.value,)

T = TypeVar("T")


class Denied(Exception):
    """The caller may not have this; answered with ``status``."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def principal_of(
    session: Session, request: Request, *, roles: tuple[str, ...], module: str | None
) -> auth.Principal:
    """The signed-in user behind the request's cookie, if allowed; else raise Denied(403)."""
    principal = auth.resolve_session(
        session, token=request.cookies.get(routes.SESSION_COOKIE), now=clock.now()
    )
    if principal is None or not principal.has_role(*roles):
        raise Denied(403)
    if module is not None and module not in principal.modules:
        raise Denied(403)
    return principal


async def guarded(
    request: Request,
    work: Callable[[Session, auth.Principal], T],
    *,
    roles: tuple[str, ...] = STAFF,
    module: str | None = None,
) -> T:
    """Run ``work(session, principal)`` for an allowed caller, off the event loop.

    Args:
        request: The HTTP request; only its own cookie counts.
        work: The endpoint's database work, given the session and the caller.
        roles: Roles allowed.
        module: Module the organization's plan must include, or None.

    Returns:
        What ``work`` returns.

    Raises:
        Denied: 403 for no session, a wrong role or a missing module; 404 when ``work``
            finds the id missing or another organization's.

    """

    def _run() -> T:
        with session_scope() as session:
            principal = principal_of(session, request, roles=roles, module=module)
            try:
                return work(session, principal)
            except (NotFound, NotAllowed) as exc:
                raise Denied(404) from exc

    return await asyncio.to_thread(_run)


def denied_response(exc: Denied) -> Response:
    """The plain answer to a refused request; never cached."""
    text = "Forbidden" if exc.status == 403 else "Not found"
    return PlainTextResponse(text, status_code=exc.status, headers={"Cache-Control": "no-store"})
