"""Steps the browser tests share."""

import re

from playwright.sync_api import Page, expect

from rxapp.services.accounts.demo import DEMO_LOGINS

DEMO = {d.role: d for d in DEMO_LOGINS}


def open_page(page: Page, path: str) -> None:
    """Open a path and wait until the app has hydrated and loaded its data."""
    page.goto(path)
    page.wait_for_load_state("networkidle")


def sign_in(page: Page, email: str, password: str, *, expect_path: str = "/") -> None:
    """Sign in through the form and wait for the destination page."""
    open_page(page, "/login")
    page.get_by_label(re.compile("^(Email|E-Mail|E-mail|E-post)$")).fill(email)
    page.locator("#field-password").fill(password)
    page.locator("#login-submit").click()
    expect(page).to_have_url(
        re.compile(r"^https?://[^/]+" + re.escape(expect_path.rstrip("/")) + r"/?$")
    )


def sign_in_as(page: Page, role: str) -> None:
    """Sign in as a demo user of the given role."""
    login = DEMO[role]
    sign_in(page, login.email, login.password)


def sign_out(page: Page) -> None:
    """Sign out with the top-bar button and wait for the sign-in page."""
    page.locator("#sign-out").click()
    expect(page).to_have_url(re.compile(r"/login/?\?out=1$"))
    page.wait_for_load_state("networkidle")
