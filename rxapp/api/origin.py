"""Which origins may talk to the backend, and the ASGI check that refuses the rest.

A page on another origin of the same site (another port of the same host, say) gets
the SameSite=Lax session cookie sent along with its requests, so the cookie alone does
not prove the request came from one of our pages. The ``Origin`` header does: browsers
always send it on websocket handshakes and on state-changing requests, and a page
cannot forge it. Redirect targets are held to the same list (scheme, host and port).
"""

import logging
from urllib.parse import urlsplit

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from rxapp import routes
from rxapp.settings import get_settings

logger = logging.getLogger(__name__)

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Origin = tuple[str, str, int]


def origin_of(url: str) -> Origin | None:
    """Return (scheme, host, port) of an absolute http(s) URL, or None for anything else."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]


def configured_origins() -> frozenset[Origin]:
    """The origins of BASE_URL and ALLOWED_ORIGINS."""
    settings = get_settings()
    candidates = [settings.base_url, *settings.allowed_origins.split(",")]
    return frozenset(o for o in (origin_of(c) for c in candidates) if o is not None)


def is_allowed_origin(value: str | None) -> bool:
    """Whether an ``Origin`` header (or any URL) names one of the configured origins."""
    found = origin_of(value or "")
    return found is not None and found in configured_origins()


def _as_text(origin: Origin) -> str:
    scheme, host, port = origin
    return f"{scheme}://{host}" + ("" if _DEFAULT_PORTS[scheme] == port else f":{port}")


def configured_origin_texts() -> list[str]:
    """The configured origins as ``scheme://host[:port]`` (for Reflex's CORS setting)."""
    return sorted(_as_text(o) for o in configured_origins())


def home_origin() -> str:
    """BASE_URL's origin as a string, the fallback for refused redirect targets."""
    return _as_text(origin_of(get_settings().base_url) or ("http", "localhost", 3000))


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key == name:
            return value.decode("latin-1")
    return None


class OriginCheckMiddleware:
    """Refuse websocket handshakes and state-changing requests from other origins.

    The websocket (the event socket) needs an allowed ``Origin``; so does every HTTP
    request with a method other than GET, HEAD and OPTIONS (uploads, form posts).
    GET endpoints change nothing but the session cookie, which the sign-in ticket's
    browser binding protects.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the origin, then pass the request on or refuse it."""
        kind = scope["type"]
        needs_check = kind == "websocket" or (
            kind == "http"
            and not scope.get("path", "").startswith(routes.CROSS_ORIGIN_PREFIXES)
            and (
                scope.get("method", "GET") not in _SAFE_METHODS
                # The socket's long-polling transport is HTTP GET; it carries state too.
                or scope.get("path", "").startswith(routes.EVENT_SOCKET)
            )
        )
        if needs_check and not is_allowed_origin(_header(scope, b"origin")):
            logger.warning(
                "origin refused",
                extra={"path": scope.get("path"), "origin": _header(scope, b"origin")},
            )
            if kind == "websocket":
                # Closing before accepting answers the handshake with HTTP 403.
                await receive()
                await send({"type": "websocket.close", "code": 1008})
                return
            response = PlainTextResponse("Forbidden origin", status_code=403)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
