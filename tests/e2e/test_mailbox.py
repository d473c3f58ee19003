"""The built-in mailbox page in the browser (R-MSG-4)."""

from playwright.sync_api import Page, expect
from sqlmodel import select

from rxapp import clock
from rxapp.db import session_scope
from rxapp.models import Organization
from rxapp.models.outbox import MailboxMessage
from tests.e2e.helpers import open_page, sign_in_as


def test_r_msg_4_admin_reads_a_kept_email_with_html_sandboxed(page: Page, live_app):
    with session_scope(live_app.database_url) as s:
        org = s.exec(select(Organization).where(Organization.slug == "demo")).one()
        s.add(MailboxMessage(
            organization_id=org.id, recipient="lea@example.fr", subject="Votre invitation",
            text_body="Bonjour Léa https://example.org/i/abc",
            html_body='<h1>Bonjour <b>Léa</b></h1><script>x()</script>'
                      '<a href="https://example.org/i/abc">Ouvrir</a>',
            received_at=clock.now(),
        ))
    sign_in_as(page, "admin")
    open_page(page, "/mailbox")
    page.get_by_role("button", name="Votre invitation").click()
    expect(page.locator("#mail-subject")).to_have_text("Votre invitation")
    frame = page.frame_locator("iframe[title=email]")
    expect(frame.get_by_role("heading", name="Bonjour Léa")).to_be_visible()
    # No script, no same origin; only popups, so the email's links open in a new tab.
    sandbox = page.locator("iframe[title=email]").get_attribute("sandbox")
    assert sandbox == "allow-popups allow-popups-to-escape-sandbox"
    expect(frame.get_by_role("link", name="Ouvrir")).to_be_visible()
    assert page.locator("iframe[title=email]").get_attribute("srcdoc").startswith(
        '<base target="_blank">')
    page.get_by_role("radio", name="Text").click()
    expect(page.locator("#mail-text")).to_have_text("Bonjour Léa https://example.org/i/abc")
    link = page.locator("#mail-text").get_by_role("link", name="https://example.org/i/abc")
    assert link.get_attribute("target") == "_blank"
