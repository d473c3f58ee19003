"""Every HTTP endpoint of Beckon, mounted beside Reflex's event socket.

Each feature contributes a list of Starlette routes; endpoints that need a signed-in
user go through ``rxapp.api.guard`` (cookie, role, organization, module). The
middleware in ``rxapp.api.middleware`` wraps all of it, Reflex's own endpoints and
pages included.
"""

from starlette.applications import Starlette
from starlette.middleware import Middleware

from rxapp.api.caching import (
    FrontendCaching,
    LowPriorityScripts,
    SlashlessPages,
    static_page_paths,
)
from rxapp.api.exports import export_routes
from rxapp.api.health import health_routes
from rxapp.api.mailbox import mailbox_routes
from rxapp.api.meetings import meetings_routes
from rxapp.api.purchases import purchase_routes
from rxapp.api.reviews import review_routes
from rxapp.api.session import session_routes
from rxapp.api.unsubscribe import unsubscribe_routes


def build_api() -> Starlette:
    """The Starlette app mounted as Reflex's ``api_transformer``.

    Reflex mounts its own app (event socket, and in production the built frontend)
    inside this one, so these middlewares also see the frontend's static files.
    """
    return Starlette(
        routes=[
            *session_routes(),
            *health_routes(),
            *export_routes(),
            *mailbox_routes(),
            *meetings_routes(),
            *purchase_routes(),
            *review_routes(),
            *unsubscribe_routes(),
        ],
        middleware=[
            Middleware(SlashlessPages, page_paths=static_page_paths()),
            Middleware(FrontendCaching),
            Middleware(LowPriorityScripts),
        ],
    )
