"""Security headers on every HTTP response: pages, API, uploads (R-SEC; issues 12 and 14).

One pure-ASGI middleware in front of the whole backend, so the Reflex frontend served
in production, the API routes and Reflex's own endpoints all answer with the same
policy. Headers a route already set itself (a download's nosniff, say) are kept.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rxapp.api.origin import configured_origins


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
    return {
        "Content-Security-Policy": content_security_policy(),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }


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

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
