"""Screenshots of pages at 1280 and 360 px in several languages, for a human to look at.

Usage: python scripts/screenshots.py BASE_URL OUT_DIR [path ...]
Signs in as the demo admin; each language is switched through the UI.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from rxapp.services.accounts.demo import DEMO_LOGINS
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path

LANGS = ("en", "de", "fr", "sv")


def main() -> None:
    """Take the screenshots."""
    base, out = sys.argv[1], Path(sys.argv[2])
    paths = sys.argv[3:] or ["/login", "/forgot", "/reset/not-a-token", "/", "/settings"]
    out.mkdir(parents=True, exist_ok=True)
    admin = next(d for d in DEMO_LOGINS if d.role == "admin")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for lang in LANGS:
            ctx = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800})
            page = ctx.new_page()
            page.goto("/login")
            page.wait_for_load_state("networkidle")
            page.evaluate(f"localStorage.setItem('beckon_lang', '{lang}')")
            for path in paths:
                public = path in ("/login", "/forgot") or path.startswith("/reset")
                if not public and "beckon_session" not in {c["name"] for c in ctx.cookies()}:
                    page.goto("/login")
                    page.wait_for_load_state("networkidle")
                    page.fill("#field-email", admin.email)
                    page.fill("#field-password", admin.password)
                    page.click("#login-submit")
                    try:
                        page.wait_for_url(base + "/", timeout=10000)
                    except Exception:
                        page.screenshot(path=str(out / "FAILED-login.png"))
                        raise
                    page.wait_for_load_state("networkidle")
                    page.locator("#lang-switch").click()
                    page.get_by_role("option").nth(LANGS.index(lang)).click()
                for width in (1280, 360):
                    page.set_viewport_size({"width": width, "height": 800})
                    page.goto(path)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(400)
                    name = path.strip("/").replace("/", "_") or "home"
                    page.screenshot(path=str(out / f"{name}-{lang}-{width}.png"), full_page=True)
            ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
