"""Token pages leak their token to nobody (issue 12, point 7; R-PLUS-8).

A page whose address holds a secret (a participant, join, reset or review link) is
served with ``Referrer-Policy: no-referrer`` and ``X-Robots-Tag: noindex``, so a link
followed from it tells the next page nothing, not even on our own site, and a search
engine never keeps it. The control: an ordinary page does pass its address on within
the site, so the test fails if the token pages lose their policy.
"""

import re

from playwright.sync_api import Page, expect

from rxapp import routes
from tests.e2e.helpers import open_page

FOLLOW = """
(target) => {
  const a = document.createElement('a');
  a.href = target; a.id = 'probe-link'; a.textContent = 'probe';
  document.body.appendChild(a);
  a.click();
}
"""


def _referrer_after_following_a_link(page: Page, start: str, target: str) -> str:
    open_page(page, start)
    page.evaluate(FOLLOW, target)
    expect(page).to_have_url(re.compile(re.escape(target.rstrip("/")) + r"/?(\?.*)?$"))
    page.wait_for_load_state("networkidle")
    return page.evaluate("() => document.referrer")


def test_12_7_links_from_a_token_page_carry_no_referrer(page: Page, live_app):
    token_page = routes.join_path("a-secret-token-value")
    response = page.request.get(live_app.url + token_page)
    assert response.headers.get("referrer-policy") == "no-referrer"
    assert "noindex" in response.headers.get("x-robots-tag", "")
    assert _referrer_after_following_a_link(page, token_page, routes.LOGIN) == ""
    reset_page = routes.reset_path("another-secret")
    assert _referrer_after_following_a_link(page, reset_page, routes.FORGOT) == ""


def test_12_7_ordinary_pages_keep_their_same_site_referrer(page: Page, live_app):
    response = page.request.get(live_app.url + routes.LOGIN)
    assert response.headers.get("referrer-policy") == "same-origin"
    assert "x-robots-tag" not in response.headers
    referrer = _referrer_after_following_a_link(page, routes.LOGIN, routes.FORGOT)
    assert referrer.startswith(live_app.url) and "/login" in referrer
