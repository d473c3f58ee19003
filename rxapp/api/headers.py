"""Security headers on every HTTP response: pages, API, uploads (R-SEC; issues 12 and 14).

One pure-ASGI middleware in front of the whole backend, so the Reflex frontend served
in production, the API routes and Reflex's own endpoints all answer with the same
policy. Headers a route already set itself (a download's nosniff, say) are kept.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rxapp import routes
from rxapp.api.origin import configured_origins
from rxapp.settings import get_settings

# A year, as browsers' preload lists expect; sent only when cookies are Secure (HTTPS).
HSTS = "max-age=31536000; includeSubDomains"


def content_security_policy() -> str:
    """The CSP every response carries.

    Reflex pages need inline scripts and ``eval`` (its generated bootstrap and
    ``rx.call_script``) and inline styles (Radix, Emotion); what the policy adds is
    that nothing loads from or posts to another origin, no plugin runs, and no other
    site can frame a page (clickjacking).
    """
    sockets = " ".join(
        sorted(
            f"{'wss' if scheme == 'https' else 'ws'}://{host}:{port}"
            for scheme, host, port in configured_origins()
        )
    )
    https = " ".join(sorted(f"{s}://{h}:{p}" for s, h, p in configured_origins()))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src 'self' {https} {sockets}".strip(),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers() -> dict[str, str]:
    """Header name -> value added to every HTTP response."""
    headers = {
        "Content-Security-Policy": content_security_policy(),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }
    if get_settings().secure_cookies:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def token_page_headers() -> dict[str, str]:
    """Headers of a page or endpoint whose path holds a token (R-PLUS-8, issue 12).

    No Referer at all, not even to our own origin, so a token never reaches another
    site's logs through a link; and no indexing, so it never reaches a search engine.
    """
    return {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow"}


def is_token_path(path: str) -> bool:
    """Whether ``path`` carries a secret token (a participant, join, reset, review link)."""
    return path.startswith(routes.TOKEN_PATH_PREFIXES)


_TOKEN_OVERRIDES = frozenset({"Referrer-Policy", "X-Robots-Tag"})


class SecurityHeadersMiddleware:
    """Add :func:`security_headers` to every HTTP response that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._headers: dict[str, str] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; decorate the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._headers is None:
            self._headers = security_headers()
        wanted = self._headers
        token_path = is_token_path(scope.get("path", ""))
        if token_path:
            wanted = {**wanted, **token_page_headers()}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    # The token pages' stricter referrer policy wins over the default.
                    if name not in headers or (token_path and name in _TOKEN_OVERRIDES):
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
