"""Participants and interactions end to end in the real browser (R-INT-1..9, R-PLUS-7)."""

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import open_page, sign_in_as
from tests.smtp_server import text_part

TESTDATA = Path(__file__).resolve().parents[1] / "data"
LEA = "lea.dubois@example.fr"


def _answer(phone: Page, count: int) -> None:
    for _ in range(count):
        number = phone.locator("#question-text").inner_text()
        phone.get_by_role("button", name="Plutôt d'accord").click()
        expect(phone.locator("#question-text")).not_to_have_text(number)


def test_r_int_organizer_to_participant_phone_and_back(page: Page, browser: Browser, live_app):
    # R-INT-1: import, then search by last name.
    sign_in_as(page, "organizer")
    open_page(page, "/participants")
    page.set_input_files("#csv-upload input[type=file]", str(TESTDATA / "participants-bad.csv"))
    expect(page.locator("#import-rejected")).to_be_visible()
    expect(page.locator("#import-errors")).to_contain_text("3")
    expect(page.get_by_role("link", name="Person")).to_have_count(0)
    page.set_input_files("#csv-upload input[type=file]", str(TESTDATA / "participants.csv"))
    expect(page.locator("#import-ok")).to_have_text("12 participants imported.")
    page.locator("#participant-search").fill("Dubo")
    expect(page.get_by_role("row")).to_have_count(2)  # header + Léa
    page.get_by_role("link", name="Dubois").click()
    expect(page.get_by_role("heading", name="Léa Dubois")).to_be_visible()

    # R-INT-5: the invite page, with invitation and report on by default.
    page.locator("#new-interaction").click()
    expect(page.get_by_role("heading", name="Invite Léa Dubois")).to_be_visible()
    page.locator("#create-interaction").click()
    # An automatic invite ends on a confirmation with "Back to overview" (the seed's flow).
    expect(page.locator("#invite-sent")).to_contain_text(LEA)
    page.get_by_role("link", name="Open the participant").click()
    expect(page.get_by_role("heading", name="Léa Dubois")).to_be_visible()
    # R-INT-4: a second one is refused while this one is open, with the reason.
    expect(page.locator("#new-interaction")).to_be_disabled()
    expect(page.locator("#create-reason")).to_contain_text("once the current one is completed")

    invitation = live_app.smtp.wait_for(LEA)[-1]
    link = re.search(r"https?://\S+/i/[A-Za-z0-9_\-]+", text_part(invitation)).group(0)

    # R-INT-8 on a phone, in the participant's language: half, close, reopen, resume, finish.
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    phone = context.new_page()
    open_page(phone, link)
    phone.locator("#take-start").click()
    _answer(phone, 6)
    expect(phone.locator("#take-progress")).to_have_text("6 sur 12 répondues")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()
    phone = context.new_page()
    open_page(phone, link)
    expect(phone.locator("#question-text")).to_be_visible()
    expect(phone.get_by_text("Question 7 sur 12")).to_be_visible()
    _answer(phone, 5)
    phone.get_by_role("button", name="Plutôt d'accord").click()
    phone.locator("#take-finish").click()
    expect(phone.locator("#take-done")).to_have_text("Merci !")
    with phone.expect_download() as download:
        phone.locator("#take-report").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    context.close()

    # R-INT-9: the report email carries a PDF.
    report = live_app.smtp.wait_for(LEA, count=2, timeout=30)[-1]
    pdfs = [p for p in report.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdfs and pdfs[0].get_content().startswith(b"%PDF")

    # The organizer sees the dashboard and exports the results.
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#scores-chart")).to_be_visible()
    page.locator("#manage").click()
    panel = page.locator("#side-panel")
    panel.get_by_role("button", name="Status log").click()
    # The readable log (issue 9): the invitation by name, sent, opened, completed.
    for event in ("Invitation", "Sent", "Link opened", "Completed"):
        expect(panel.get_by_text(event, exact=True).first).to_be_visible()
    page.locator("#side-panel").get_by_role("button", name="Close").click()
    open_page(page, "/participants")
    page.locator("#export").click()
    with page.expect_download() as download:
        page.locator("#export-csv").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Dubois" in exported and "Léa" in exported
