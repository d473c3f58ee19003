"""Review invitations in the real browser and over real HTTP (§4, R-REV-1..8, R-PLUS-8).

The organizer changes the timing and sees the preview change; a purchase is posted to
the API with a key made on the settings page; time moves (the queued email's due moment
is moved to now, as the clock would); the invitation reaches the SMTP server with the
List-Unsubscribe headers; the customer reviews on a 390 px phone and no reminder follows;
a second customer unsubscribes and gets nothing more, and a GET on the link changes
nothing.
"""

import re
import time
from datetime import UTC, datetime, timedelta

import httpx
from babel.dates import format_datetime
from playwright.sync_api import Page, expect
from sqlalchemy import update
from sqlmodel import Session, select

from rxapp import db, routes
from rxapp.models import Organization
from rxapp.models.contact import Unsubscribe
from rxapp.models.outbox import OutboxMessage
from rxapp.models.reviews import Purchase, ReviewInvitation
from rxapp.services.interactions import create_interaction
from tests.e2e.helpers import open_page, sign_in_as
from tests.factories import make_participant
from tests.smtp_server import html_part, text_part

REVIEW_LINK = re.compile(r"https?://\S+/r/[A-Za-z0-9_\-]+")


def _choose(page: Page, field_id: str, option: str) -> None:
    page.locator(f"#{field_id}").click()
    page.get_by_role("option", name=option, exact=True).click()


def _time_moves(live_app, *, recipient: str, kind: str) -> None:
    """Bring the recipient's queued email of ``kind`` due now, as if its day had come."""
    with Session(db.get_engine(live_app.database_url)) as s:
        s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.recipient == recipient, OutboxMessage.kind == kind,
                   OutboxMessage.state == "scheduled")
            .values(due_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        s.commit()


def _outbox(live_app, recipient: str) -> list[OutboxMessage]:
    with Session(db.get_engine(live_app.database_url)) as s:
        return list(
            s.exec(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                   .order_by(OutboxMessage.id)).all()
        )


def _wait_state(live_app, recipient: str, kind: str, state: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = [m for m in _outbox(live_app, recipient) if m.kind == kind]
        if rows and all(m.state == state for m in rows):
            return
        time.sleep(0.2)
    seen = [(m.kind, m.state, m.last_error) for m in _outbox(live_app, recipient)]
    raise AssertionError(f"{kind} to {recipient} never reached {state}: {seen}")


def _purchase(live_app, key: str, ref: str, email: str, language: str) -> httpx.Response:
    return httpx.post(
        live_app.url + routes.API_PURCHASES,
        headers={"Authorization": f"Bearer {key}"},
        json={
            "order_reference": ref,
            "email": email,
            "name": "Sara Svensson",
            "language": language,
            "purchased_at": datetime.now(UTC).isoformat(),
            "products": [{"sku": "KET-9", "name": "Vattenkokare"}],
        },
        timeout=20,
    )


def test_r_rev_1_to_8_settings_api_invitation_review_and_unsubscribe(
    page: Page, phone: Page, live_app
):
    sign_in_as(page, "admin")
    open_page(page, routes.REVIEWS_SETTINGS)

    # The preview explains the rules with real dates, and follows every change (R-REV-8).
    preview = page.locator("#preview")
    expect(preview).to_contain_text("gets one invitation for the service and its products")
    in_7_weeks = format_datetime(datetime.now(UTC) + timedelta(weeks=7), "EEE d MMM y",
                                 tzinfo="UTC", locale="en")
    _choose(page, "field-service_unit", "weeks")
    expect(preview).to_contain_text(in_7_weeks)
    _choose(page, "field-service_unit", "days")
    _choose(page, "field-time_mode", "Optimize automatically")
    # The demo has answered invitations: the page names the hour chosen and why.
    expect(page.locator("#hour-reason")).to_contain_text(re.compile(r"Optimized: \d+:00 UTC"))
    _choose(page, "field-time_mode", "A chosen hour (UTC)")
    _choose(page, "field-frequency_mode", "After every purchase")
    expect(preview).to_contain_text("invited after every purchase")
    page.locator("#field-reminders").click()
    expect(preview).to_contain_text("a reminder on")
    page.locator("#save-settings").click()
    expect(page.get_by_text("Saved.")).to_be_visible()

    # An API key, shown once (issue point 1).
    page.locator("#field-key-name").fill("E2E shop")
    page.locator("#create-key").click()
    key = page.locator("#new-key").inner_text().strip()
    assert key.startswith("bk_")
    page.locator("#key-done").click()
    expect(page.locator("#new-key")).to_have_count(0)

    # A purchase through the API with a real HTTP client; a repeat changes nothing.
    first = "sara.e2e@reviews.example"
    response = _purchase(live_app, key, "E2E-1", first, "sv")
    assert response.status_code == 201, response.text
    assert _purchase(live_app, key, "E2E-1", first, "sv").json()["status"] == "duplicate"
    assert _purchase(live_app, "bk_wrong", "E2E-X", first, "sv").status_code == 401

    # Time moves: the invitation goes out, with RFC 8058 headers and a visible link.
    _time_moves(live_app, recipient=first, kind="review_invitation")
    (mail,) = live_app.smtp.wait_for(first)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/api/unsubscribe/" in mail["List-Unsubscribe"]
    assert mail["List-Unsubscribe"].strip("<>") in html_part(mail)
    link = REVIEW_LINK.search(text_part(mail)).group(0)

    # The customer reviews on a phone, in Swedish (R-REV-7).
    open_page(phone, link)
    expect(phone.get_by_role("heading", name="Hur gick det?")).to_be_visible()
    for group in phone.get_by_role("group").all():
        group.get_by_role("button", name="5 / 5").click()
    phone.get_by_role("textbox").first.fill("Snabb leverans!")
    phone.locator("#submit-review").click()
    expect(phone.locator("#review-thanks")).to_contain_text("Tack!")
    # One review per link: reopening shows the thanks, with a change allowed for a while.
    open_page(phone, link)
    expect(phone.locator("#edit-review")).to_be_visible()

    # No reminder follows: it was cancelled by the review, even when its day comes.
    _time_moves(live_app, recipient=first, kind="review_reminder")
    _wait_state(live_app, first, "review_reminder", "cancelled")
    time.sleep(2)
    assert len(live_app.smtp.messages_to(first)) == 1

    # The staff list shows it (R-REV-7).
    open_page(page, routes.REVIEWS)
    expect(page.locator("#reviews")).to_contain_text("Snabb leverans!")

    # A second customer: the GET page changes nothing; the POST unsubscribes from all.
    second = "olof.e2e@reviews.example"
    assert _purchase(live_app, key, "E2E-2", second, "en").status_code == 201
    _time_moves(live_app, recipient=second, kind="review_invitation")
    (mail,) = live_app.smtp.wait_for(second)
    unsubscribe_url = mail["List-Unsubscribe"].strip("<>")
    assert httpx.get(unsubscribe_url, timeout=20).status_code == 200
    open_page(phone, unsubscribe_url)
    with Session(db.get_engine(live_app.database_url)) as s:
        assert s.exec(select(Unsubscribe).where(Unsubscribe.email == second)).all() == []
    phone.get_by_label(re.compile("all emails from")).check()
    phone.get_by_role("button", name="Unsubscribe").click()
    expect(phone.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    # The RFC 8058 one-click POST a mail client sends works too (and changes nothing more).
    assert httpx.post(unsubscribe_url, data={"List-Unsubscribe": "One-Click"},
                      timeout=20).status_code == 200
    with Session(db.get_engine(live_app.database_url)) as s:
        scopes = {u.scope for u in s.exec(select(Unsubscribe)
                                          .where(Unsubscribe.email == second)).all()}
    assert scopes == {"all", "reviews"}

    # Nothing more of any kind: a new purchase's invitation is cancelled at send time.
    assert _purchase(live_app, key, "E2E-3", second, "en").status_code == 201
    _time_moves(live_app, recipient=second, kind="review_invitation")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        rows = [m for m in _outbox(live_app, second) if m.kind == "review_invitation"]
        if rows[-1].state == "cancelled":
            break
        time.sleep(0.2)
    assert rows[-1].state == "cancelled" and rows[-1].last_error == "unsubscribed"
    time.sleep(1)
    assert len(live_app.smtp.messages_to(second)) == 1
    with Session(db.get_engine(live_app.database_url)) as s:
        inv = s.exec(select(ReviewInvitation).order_by(ReviewInvitation.id.desc())).first()
        assert inv.state == "cancelled" and inv.skip_reason == "unsubscribed"

    # Nor of another kind: an interaction invitation to the same address is cancelled too.
    with Session(db.get_engine(live_app.database_url), expire_on_commit=False) as s:
        org_id = s.exec(select(Organization.id).where(Organization.slug == "demo")).one()
        person = make_participant(s, organization_id=org_id, now=datetime.now(UTC), email=second)
        create_interaction(s, organization_id=org_id, participant_id=person.id,
                           now=datetime.now(UTC))
        s.commit()
    _wait_state(live_app, second, "interaction_invitation", "cancelled")
    assert [m.last_error for m in _outbox(live_app, second)
            if m.kind == "interaction_invitation"] == ["unsubscribed"]
    assert len(live_app.smtp.messages_to(second)) == 1


def test_purchases_csv_import_german_file_mapping_step_and_all_or_nothing(
    page: Page, live_app, tmp_path
):
    """Issue 11 point 1 on the shared pipeline: a German semicolon file with a BOM, an
    unknown header that needs the mapping step, and a broken file that records nothing."""
    sign_in_as(page, "admin")
    open_page(page, routes.REVIEWS_PURCHASES)
    shots = live_app.log_path.parent
    upload = "#purchases-csv input[type=file]"
    german = tmp_path / "kaeufe.csv"
    german.write_bytes(
        "Kontakt;Name;Sprache;Bestellnummer;Kaufdatum;Produkte\r\n"
        "jörg@example.de;Jörg Schäfer;Deutsch;CSV-E2E-1;01.03.2026 14:30;KET-1:Kessel\r\n"
        "anna@example.de;Anna Groß;;CSV-E2E-2;2026-03-01;\r\n".encode("utf-8-sig"))
    page.set_input_files(upload, str(german))
    step = page.locator("#mapping-step")
    expect(step).to_be_visible()
    expect(step).to_contain_text("jörg@example.de")
    expect(page.locator("#import-read-as")).to_contain_text("semicolons")
    page.screenshot(path=str(shots / "purchases-mapping.png"), full_page=True)
    page.get_by_role("combobox", name="Beckon field: Kontakt").click()
    page.get_by_role("option", name="Email", exact=True).click()
    page.locator("#mapping-apply").click()
    expect(page.locator("#import-ok")).to_contain_text("2 purchases recorded")
    expect(page.locator("#purchases")).to_contain_text("CSV-E2E-1")

    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"email,order reference,purchased at\n"
                       b"new@example.com,CSV-E2E-3,2026-03-01\n"
                       b"not-an-email,CSV-E2E-4,2026-03-01\n")
    page.set_input_files(upload, str(broken))
    expect(page.locator("#import-errors")).to_contain_text("Line 3")
    page.screenshot(path=str(shots / "purchases-rejected.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.locator("#import-errors").scroll_into_view_if_needed()
    expect(page.locator("#import-errors")).to_be_visible()
    page.screenshot(path=str(shots / "purchases-rejected-360.png"))
    with Session(db.get_engine(live_app.database_url)) as s:
        refs = set(s.exec(select(Purchase.order_reference)).all())
    assert {"CSV-E2E-1", "CSV-E2E-2"} <= refs
    assert not {"CSV-E2E-3", "CSV-E2E-4"} & refs
