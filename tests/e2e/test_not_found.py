"""Unknown addresses get Beckon's own page, translated, with a way home; icons are served."""

import re
import urllib.request

from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_page


def test_unknown_address_shows_a_translated_page_with_a_way_home(page: Page, live_app):
    open_page(page, "/login")
    page.evaluate("localStorage.setItem('beckon_lang', 'fr')")
    open_page(page, "/no/such/page")
    expect(page.locator("#not-found-title")).to_have_text("Cette page n'existe pas")
    expect(page.locator("#not-found-code")).to_have_text("Erreur 404")
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#not-found-home").click()
    # Home sends a visitor who is not signed in on to the sign-in page.
    expect(page).to_have_url(re.compile(r"/login/?(\?.*)?$"))


def test_favicon_and_logo_are_served(live_app):
    for path, kind in (("/favicon.ico", "image/"), ("/favicon.svg", "image/svg"),
                       ("/logo.svg", "image/svg")):
        with urllib.request.urlopen(live_app.url + path, timeout=10) as resp:  # noqa: S310
            assert resp.status == 200, path
            assert resp.headers["content-type"].startswith(kind), path
            assert resp.read(), path
