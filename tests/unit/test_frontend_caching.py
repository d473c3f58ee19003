"""The built frontend is served with cache lifetimes and without a slash redirect (issue 12)."""

import asyncio
import gzip
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from rxapp.api.caching import (
    IMMUTABLE,
    REVALIDATE,
    FrontendCaching,
    LowPriorityScripts,
    SlashlessPages,
    cache_policy,
    static_page_paths,
)

PAGE = ('<head><link rel="modulepreload" href="/assets/root-BgcJoqrH.js"/></head>'
        "<h1>Sign in</h1>")
LOW = '<link rel="modulepreload" fetchpriority="low" href="/assets/root-BgcJoqrH.js"/>'


def _app(build: Path) -> Starlette:
    (build / "login").mkdir()
    (build / "login" / "index.html").write_text(PAGE)
    (build / "assets").mkdir()
    (build / "assets" / "root-BgcJoqrH.js").write_text("export {}")
    (build / "favicon.ico").write_bytes(b"\0")

    async def api(_request):
        return JSONResponse({"ok": True})

    async def zipped(_request):
        return Response(gzip.compress(PAGE.encode()), media_type="text/html",
                        headers={"Content-Encoding": "gzip"})

    return Starlette(
        routes=[Route("/api/health", api), Route("/zipped", zipped),
                Mount("/", app=StaticFiles(directory=build, html=True))],
        middleware=[Middleware(SlashlessPages, page_paths=["/login", "/", "/i/[token]"]),
                    Middleware(FrontendCaching), Middleware(LowPriorityScripts)],
    )


def test_page_path_is_served_without_redirect(tmp_path: Path):
    client = TestClient(_app(tmp_path))
    response = client.get("/login", follow_redirects=False)
    assert response.status_code == 200
    assert "<h1>Sign in</h1>" in response.text
    assert response.headers["cache-control"] == REVALIDATE


def test_pages_load_their_scripts_at_low_priority(tmp_path: Path):
    client = TestClient(_app(tmp_path))
    plain = client.get("/login")
    assert LOW in plain.text
    assert int(plain.headers["content-length"]) == len(plain.content)
    zipped = client.get("/zipped")  # the precompressed .gz sidecar Reflex serves
    assert zipped.headers["content-encoding"] == "gzip"
    assert LOW in zipped.text


def test_hashed_assets_are_immutable_and_api_untouched(tmp_path: Path):
    client = TestClient(_app(tmp_path))
    asset = client.get("/assets/root-BgcJoqrH.js")
    assert asset.status_code == 200
    assert asset.headers["cache-control"] == IMMUTABLE
    assert "cache-control" not in client.get("/api/health").headers
    assert client.get("/favicon.ico").headers["cache-control"].startswith("public")
    # A missing asset is not cached for a year.
    assert "immutable" not in client.get("/assets/gone-AAAAAAAA.js").headers.get(
        "cache-control", "")


def test_cache_policy_rules():
    assert cache_policy("/assets/__reflex_global_styles-NccINl-w.css", "text/css") == IMMUTABLE
    assert cache_policy("/assets/manifest-dcffb873.js", "text/javascript") == IMMUTABLE
    assert cache_policy("/assets/unhashed.js", "text/javascript") is None
    assert cache_policy("/i/abc", "text/html; charset=utf-8") == REVALIDATE
    assert cache_policy("/api/export/results.csv", "text/csv") is None


def test_static_page_paths_are_pages_only():
    paths = static_page_paths()
    assert "/login" in paths and "/forgot" in paths
    assert not [p for p in paths if p.startswith("/api/") or "[" in p or "." in p]


async def test_pathsend_servers_still_get_a_rewritten_body(tmp_path: Path):
    """Granian (production) offers http.response.pathsend; the page is rewritten anyway."""
    (tmp_path / "index.html").write_text(PAGE)
    app = LowPriorityScripts(StaticFiles(directory=tmp_path, html=True))
    sent: list[dict] = []

    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if requests:
            return requests.pop()
        await asyncio.Event().wait()  # the client stays until the answer is sent


    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "root_path": "", "query_string": b"",
             "headers": [], "extensions": {"http.response.pathsend": {}}}
    await app(scope, receive, send)
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert LOW.encode() in sent[1]["body"]
