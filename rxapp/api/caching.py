"""How the built frontend is served: cache lifetimes and page paths without a redirect.

In production (``reflex run --env prod``) Reflex serves the compiled frontend with
Starlette's ``StaticFiles`` behind our API app, which sends no ``Cache-Control`` and
answers ``/login`` with a redirect to ``/login/`` (one more round trip on a phone).
Two ASGI middlewares fix that without touching Reflex:

- :class:`FrontendCaching`: files under ``/assets/`` carry a content hash in their
  name (Vite), so they are cached for a year as immutable; HTML documents are
  revalidated on every visit, so a new build's asset names are picked up at once.
- :class:`SlashlessPages`: a request for a prerendered page path (``/login``) is
  served the page (``/login/index.html``) directly instead of a redirect.
- :class:`LowPriorityScripts`: the page's ``modulepreload`` links get
  ``fetchpriority="low"``, so on a phone the HTML and CSS (the prerendered page, or
  the skeleton of a token page) paint first instead of sharing the bandwidth with
  ~260 KB of JavaScript that is needed only to make the page interactive.
"""

import gzip
import re
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rxapp import routes

# Vite names build output "<name>-<8-character hash>.<ext>" (e.g. root-BgcJoqrH.js).
HASHED_ASSET = re.compile(r"^/assets/[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+(\.(gz|br|zst))?$")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
FAVICON = "/favicon.ico"
ONE_DAY = "public, max-age=86400"


def cache_policy(path: str, content_type: str) -> str | None:
    """The Cache-Control value for a successful response, or None to leave it alone.

    Args:
        path: The request path.
        content_type: The response's Content-Type header ("" when absent).

    Returns:
        The header value, or None when this response is not a frontend file.

    """
    if HASHED_ASSET.match(path):
        return IMMUTABLE
    if path == FAVICON:
        return ONE_DAY
    if content_type.startswith("text/html"):
        return REVALIDATE
    return None


class FrontendCaching:
    """Add ``Cache-Control`` to the frontend's files (only where none is set)."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap ``app``."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; set the header on 200/304 answers."""
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]

        async def send_with_cache(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                headers = MutableHeaders(scope=message)
                policy = cache_policy(path, headers.get("content-type", ""))
                if policy is not None and "cache-control" not in headers:
                    headers["Cache-Control"] = policy
            await send(message)

        await self.app(scope, receive, send_with_cache)


class SlashlessPages:
    """Serve a prerendered page at its own path instead of redirecting to ``path/``."""

    def __init__(self, app: ASGIApp, *, page_paths: Iterable[str]) -> None:
        """Wrap ``app``; ``page_paths`` are the static page routes (``/login``, ...)."""
        self.app = app
        self.page_paths = frozenset(p for p in page_paths if p != "/" and "[" not in p)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Rewrite ``/login`` to ``/login/`` before the static files see it."""
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and scope["path"] in self.page_paths
        ):
            path = scope["path"] + "/"
            scope = {**scope, "path": path, "raw_path": path.encode()}
        await self.app(scope, receive, send)


MODULEPRELOAD = b'<link rel="modulepreload" '
MODULEPRELOAD_LOW = b'<link rel="modulepreload" fetchpriority="low" '


def lower_script_priority(html: bytes) -> bytes:
    """Mark every ``modulepreload`` link of an HTML page as low priority."""
    return html.replace(MODULEPRELOAD, MODULEPRELOAD_LOW)


class LowPriorityScripts:
    """Rewrite the frontend's HTML pages with :func:`lower_script_priority`."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap ``app``."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Buffer HTML answers (a few KB), rewrite them, pass everything else through."""
        if (scope["type"] != "http" or scope["method"] != "GET"
                or scope["path"].startswith(("/assets/", "/api/", "/_"))):
            await self.app(scope, receive, send)
            return
        # Granian offers "pathsend" (the server sends the file itself); ask for the body
        # in messages instead, so it can be rewritten.
        extensions = {k: v for k, v in scope.get("extensions", {}).items()
                      if k != "http.response.pathsend"}
        scope = {**scope, "extensions": extensions}
        start: Message | None = None
        passing = False
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal start, passing
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                passing = not (
                    message["status"] in (200, 404)
                    and headers.get("content-type", "").startswith("text/html")
                    and headers.get("content-encoding", "gzip") == "gzip"
                )
                if passing:
                    await send(message)
                else:
                    start = message
                return
            if passing or message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            headers = MutableHeaders(scope=start)
            body = b"".join(chunks)
            if headers.get("content-encoding") == "gzip":
                body = gzip.compress(lower_script_priority(gzip.decompress(body)), mtime=0)
            else:
                body = lower_script_priority(body)
            headers["content-length"] = str(len(body))
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, rewrite)


def static_page_paths() -> list[str]:
    """Every page path of ``rxapp.routes``: no parameter, not an API path, not a file."""
    return [
        value for name, value in vars(routes).items()
        if name.isupper() and isinstance(value, str) and value.startswith("/")
        and "[" not in value and not value.startswith(("/api/", "/_"))
        and "." not in value.rsplit("/", 1)[-1]
    ]
