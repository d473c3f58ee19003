"""Issue 13 in the real browser: another origin's page cannot use the signed-in user's
event socket or frame our pages (13.2, 13.14); the paste limit is shown (13.11)."""

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_page, sign_in_as

# Opens the app's event socket the way Reflex's frontend does, and reports what happened.
SOCKET_PROBE = """
(url) => new Promise((resolve) => {
  const ws = new WebSocket(url);
  const done = (what) => { try { ws.close(); } catch (e) {} resolve(what); };
  ws.onopen = () => done("open");
  ws.onerror = () => done("refused");
  setTimeout(() => done("timeout"), 8000);
})
"""


@pytest.fixture
def foreign_site(live_app) -> Iterator[str]:
    """A page on another port of the same host: same site, so the session cookie goes along."""
    app_url = live_app.url

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = (f'<!doctype html><title>other</title><h1>Other site</h1>'
                    f'<iframe id="framed" src="{app_url}/login"></iframe>').encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}"
    server.shutdown()


def _socket_url(app_url: str) -> str:
    return re.sub(r"^http", "ws", app_url) + "/_event/?EIO=4&transport=websocket&token=probe"


def test_13_2_another_origin_cannot_open_the_event_socket(page: Page, live_app, foreign_site):
    sign_in_as(page, "organizer")
    # From the app's own page the socket opens (the check lets our origin through).
    assert page.evaluate(SOCKET_PROBE, _socket_url(live_app.url)) == "open"
    # The same browser, signed in, on another port of the same host: refused.
    page.goto(foreign_site)
    expect(page.get_by_role("heading", name="Other site")).to_be_visible()
    assert page.evaluate(SOCKET_PROBE, _socket_url(live_app.url)) == "refused"


def test_13_14_pages_carry_csp_and_cannot_be_framed(page: Page, live_app, foreign_site):
    response = page.goto(live_app.url + "/login")
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    # The page still works under its policy: it hydrates and its form answers.
    page.wait_for_load_state("networkidle")
    page.locator("#field-email").fill("not-an-address")
    page.locator("#login-submit").click()
    expect(page.locator("#field-email-error")).to_be_visible()
    # Framed by another site, the page does not render.
    page.goto(foreign_site)
    page.wait_for_timeout(1500)
    framed = [f for f in page.frames if f != page.main_frame]
    assert framed and all(f.locator("#login-submit").count() == 0 for f in framed)


def test_13_11_team_csv_box_shows_and_holds_its_limit(page: Page):
    sign_in_as(page, "admin")
    open_page(page, "/team/import")
    box = page.locator("#field-csv")
    expect(box).to_have_attribute("maxlength", "240000")
    expect(page.get_by_text("Up to 240,000 characters")).to_be_visible()
