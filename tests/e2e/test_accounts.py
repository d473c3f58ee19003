"""Accounts in the real browser: sign in, wrong password, sign out, reset, languages."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import DEMO, open_page, sign_in, sign_in_as, sign_out
from tests.smtp_server import text_part


def test_r_acc_4_each_demo_user_signs_in_and_sees_their_navigation(page: Page):
    sign_in_as(page, "admin")
    nav = page.get_by_role("navigation")
    for label in ("Settings", "Mailbox", "My profile"):
        expect(nav.get_by_role("link", name=label)).to_be_visible()
    # Several modules: they live in the module selector (R-ACC-5).
    page.locator("#module-select").click()
    for label in ("Participants", "Reviews", "Events", "Team"):
        expect(page.get_by_role("option", name=label)).to_be_visible()
    page.get_by_role("option", name="Team").click()
    expect(page).to_have_url(re.compile(r"/team/?$"))
    sign_out(page)

    sign_in_as(page, "organizer")
    page.locator("#module-select").click()
    expect(page.get_by_role("option", name="Participants")).to_be_visible()
    expect(page.get_by_role("option", name="Team")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(nav.get_by_role("link", name="Team")).to_have_count(0)
    # An organizer who types the admin-only address lands on a clear page.
    open_page(page, "/settings")
    expect(page.get_by_role("heading", name="No access")).to_be_visible()
    sign_out(page)

    # The partner user lands in its partner space (issue 10).
    sign_in(page, DEMO["partner"].email, DEMO["partner"].password, expect_path="/partner")
    expect(nav.get_by_role("link", name="Events")).to_be_visible()
    expect(nav.get_by_role("link", name="Participants")).to_have_count(0)


def test_r_acc_1_wrong_password_and_unknown_email_get_the_same_message(page: Page):
    open_page(page, "/login")
    page.locator("#field-email").fill(DEMO["admin"].email)
    page.locator("#field-password").fill("not-the-password")
    page.locator("#login-submit").click()
    message = "That email and password do not match an account"
    expect(page.get_by_text(message)).to_be_visible()
    page.locator("#field-email").fill("nobody@example.com")
    page.locator("#field-password").fill(DEMO["admin"].password)
    page.locator("#login-submit").click()
    expect(page.get_by_text(message)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login/?$"))
    # A malformed address is flagged at its field before anything is checked.
    page.locator("#field-email").fill("not-an-address")
    page.locator("#login-submit").click()
    expect(page.locator("#field-email-error")).to_have_text("This is not a valid email address.")


def test_r_acc_1_sign_out_ends_the_session(page: Page):
    sign_in_as(page, "organizer")
    page.locator("#sign-out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    open_page(page, "/")
    expect(page).to_have_url(re.compile(r"/login/?\?next=/$"))
    cookies = {c["name"] for c in page.context.cookies()}
    assert "beckon_session" not in cookies


def test_r_acc_1_session_cookie_is_httponly(page: Page):
    sign_in_as(page, "organizer")
    cookie = next(c for c in page.context.cookies() if c["name"] == "beckon_session")
    assert cookie["httpOnly"] is True
    assert "beckon_session" not in page.evaluate("document.cookie")


def test_r_acc_2_forgot_credentials_end_to_end(page: Page, live_app):
    email = DEMO["organizer"].email
    open_page(page, "/login")
    page.get_by_role("link", name="Forgot your credentials?").click()
    expect(page).to_have_url(re.compile(r"/forgot/?$"))
    page.locator("#field-email").fill(email)
    page.get_by_role("button", name="Send the link").click()
    answer = "If this address belongs to an account, a link is on its way."
    expect(page.get_by_text(answer)).to_be_visible()

    received = live_app.smtp.wait_for(email)[-1]
    link = re.search(r"https?://\S+/reset/[A-Za-z0-9_\-]+", text_part(received)).group(0)
    assert link.startswith(live_app.url)

    # An unknown address gets the very same answer, and no email.
    open_page(page, "/forgot")
    page.locator("#field-email").fill("ghost@example.com")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text(answer)).to_be_visible()

    open_page(page, link)
    page.locator("#field-password").fill("a new password 2026")
    page.locator("#field-confirm").fill("a new password 2026")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.locator("#reset-done")).to_be_visible()
    sign_in(page, email, "a new password 2026")
    sign_out(page)

    # The link works once.
    open_page(page, link)
    expect(page.locator("#reset-invalid")).to_be_visible()
    assert live_app.smtp.messages_to("ghost@example.com") == []
    # Put the demo password back for the other tests.
    from rxapp import clock
    from rxapp.db import session_scope
    from rxapp.services.accounts import auth

    with session_scope(live_app.database_url) as s:
        req = auth.request_password_reset(s, email=email, now=clock.now())
        auth.reset_password(s, token=req.raw_token, new_password=DEMO["organizer"].password,
                            now=clock.now())


def test_r_ui_1_language_switch_on_login_and_remembered_per_user(page: Page):
    open_page(page, "/login")
    page.locator("#lang-switch").click()
    page.get_by_role("option", name="Deutsch").click()
    expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()
    sign_in_as(page, "admin")
    page.locator("#lang-switch").click()
    page.get_by_role("option", name="Svenska").click()
    expect(page.get_by_role("link", name="Inställningar")).to_be_visible()
    # Another browser (no local preference) gets Swedish from the user's profile.
    other = page.context.browser.new_context(base_url=page.url.split("/", 3)[0] + "//"
                                             + page.url.split("/", 3)[2])
    p2 = other.new_page()
    sign_in_as(p2, "admin")
    expect(p2.get_by_role("link", name="Inställningar")).to_be_visible()
    p2.locator("#lang-switch").click()
    p2.get_by_role("option", name="English").click()
    expect(p2.get_by_role("link", name="Settings")).to_be_visible()
    other.close()
