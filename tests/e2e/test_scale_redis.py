"""Beckon at scale (issue 14.8): Redis state, PostgreSQL, SECRET_KEY, three app workers.

Runs only in the scale configuration (``make e2e-redis`` sets ``E2E_SCALE=redis``, which
tests/e2e/conftest.py turns into that deployment, or skips with the reason when Redis or
PostgreSQL does not answer). ``make e2e-redis`` also runs test_participants.py (the
participant page and the questionnaire) against the same app.
"""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import SCALE, SCALE_WORKERS
from tests.e2e.helpers import open_page, sign_in_as

pytestmark = pytest.mark.skipif(
    not SCALE, reason="the scale configuration runs with E2E_SCALE=redis (make e2e-redis)")

ROWS = 3000


def _csv(tmp_path, n: int, prefix: str):
    path = tmp_path / f"{prefix}.csv"
    lines = ["first_name,last_name,email,language"]
    lines += [f"Scale,Person{i},{prefix}{i}@scale.example,en" for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_sign_in_holds_in_fresh_browsers_across_workers(browser: Browser, live_app):
    assert live_app.scale and live_app.database_url.startswith("postgresql")
    for _ in range(4):  # each fresh browser's socket may land on another worker
        context = browser.new_context(base_url=live_app.url)
        context.set_default_timeout(20000)
        page = context.new_page()
        sign_in_as(page, "organizer")
        open_page(page, "/participants")
        expect(page.locator("#csv-upload")).to_be_visible()
        context.close()


def test_background_import_with_progress_and_no_stuck_reload(page: Page, live_app, tmp_path):
    sign_in_as(page, "organizer")
    open_page(page, "/participants")
    page.set_input_files("#csv-upload input[type=file]", _csv(tmp_path, ROWS, "a"))
    expect(page.locator("#import-progress")).to_be_visible()
    expect(page.locator("#import-ok")).to_contain_text("imported", timeout=90000)
    expect(page.locator("#import-progress")).to_have_count(0)
    # A reload in the middle of the next import: the page comes back usable.
    page.set_input_files("#csv-upload input[type=file]", _csv(tmp_path, ROWS, "b"))
    expect(page.locator("#import-progress")).to_be_visible()
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#import-progress")).to_have_count(0, timeout=90000)
    page.set_input_files("#csv-upload input[type=file]", _csv(tmp_path, 2, "c"))
    expect(page.locator("#import-ok")).to_have_text(
        re.compile("^2 participants imported"), timeout=30000)
    # The app's own log lines reach the production output, from several workers.
    log = live_app.log_path.read_text(errors="replace")
    finished = re.findall(r"\[(\d+)\] rxapp\.\S+: participants? import finished", log)
    assert len(finished) >= 2, live_app.log_tail()
    assert SCALE_WORKERS == 3
