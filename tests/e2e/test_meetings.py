"""Business meetings in the real browser (issue 10, R-BM-1..9): the "Done when" scenario.

The organizer creates an event, bulk-creates slots, sets a global quota and two rules; the
partner user sees exactly the participants its rule allows, opens availability and
requests a meeting; the participant accepts on a phone; the acceptance email arrives with
an .ics whose local time is right; the ledger shows one used; a late cancellation is
refused with the reason shown.
"""

import base64
import hashlib
import hmac
import re
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path

import icalendar
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from rxapp import db
from rxapp.models.meetings import Attendee
from rxapp.services.meetings.attendees import TOKEN_PURPOSE
from tests.e2e.helpers import DEMO, open_page, sign_in, sign_in_as

CSV = (
    "first_name,last_name,email,language,company,country,registration_status,has_account\n"
    "Alma,Vip,alma.vip@e2e.example,fr,Vip SA,FR,registered,yes\n"
    "Bert,Reg,bert.reg@e2e.example,de,Reg GmbH,DE,registered,no\n"
    "Cleo,Pend,cleo.pend@e2e.example,en,Pend Ltd,SE,pending,yes\n"
    "Dan,Gone,dan.gone@e2e.example,sv,Gone AB,SE,cancelled,yes\n"
)


def _select(page: Page, selector: str, value: str) -> None:
    page.locator(selector).select_option(value)


def _add_rule(page: Page, partner_types: str, *attendee: tuple[str, str, str]) -> None:
    _select(page, "#rule-p_field", "type")
    _select(page, "#rule-p_op", "in")
    page.locator("#rule-p-values").fill(partner_types)
    for i, (field, op, values) in enumerate(attendee, start=1):
        _select(page, f"#rule-a{i}_field", field)
        _select(page, f"#rule-a{i}_op", op)
        page.locator(f"#rule-a{i}-values").fill(values)
    page.locator("#add-rule").click()


def _agenda_token(live_app, salt: str) -> str:
    """The link token as the app under test builds it, from its own data folder's secret."""
    secret = (Path(live_app.database_url.removeprefix("sqlite:///")).parent / "data"
              / "secret").read_text(encoding="utf-8").strip().encode()
    digest = hmac.new(secret, f"{TOKEN_PURPOSE}:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _ics(message: EmailMessage) -> icalendar.Calendar:
    part = next(p for p in message.iter_attachments() if p.get_filename() == "meeting.ics")
    return icalendar.Calendar.from_ical(part.get_payload(decode=True))


def test_issue_10_organizer_partner_participant(page: Page, browser: Browser, phone: Page,
                                                live_app, tmp_path):
    day = date.today() + timedelta(days=90)
    # --- the organizer configures the event --------------------------------------------
    sign_in_as(page, "organizer")
    open_page(page, "/events")
    page.locator("#event-name").fill("E2E Expo")
    page.locator("#event-venue").fill("Hall 9")
    page.locator("#event-first").fill(day.isoformat())
    page.locator("#event-last").fill(day.isoformat())
    page.locator("#create-event").click()
    expect(page).to_have_url(re.compile(r"/events/\d+/?$"))
    page.wait_for_load_state("networkidle")
    event_path = re.search(r"/events/\d+", page.url).group(0)
    page.locator("#module-switch").click()
    expect(page.locator("#module-switch")).to_be_checked()
    page.locator("#global-quota").fill("3")
    page.locator("input[name=cancel_window_hours]").fill("9000")
    page.locator("#save-settings").click()
    expect(page.get_by_text("Saved.").first).to_be_visible()

    open_page(page, event_path + "/slots")
    page.locator("#bulk-from").fill("09:00")
    page.locator("#bulk-to").fill("11:00")
    page.locator("#bulk-minutes").fill("30")
    page.locator("#bulk-break-from").fill("10:00")
    page.locator("#bulk-break-to").fill("10:30")
    page.locator("#bulk-add").click()
    expect(page.locator("#slots-count")).to_have_text("3 slots (Europe/Paris)")
    expect(page.get_by_text("09:00–09:30")).to_be_visible()
    expect(page.get_by_text("10:00–10:30")).to_have_count(0)

    open_page(page, event_path + "/attendees")
    csv_path = tmp_path / "attendees.csv"
    csv_path.write_text(CSV, encoding="utf-8")
    page.set_input_files("#attendee-csv input[type=file]", str(csv_path))
    expect(page.get_by_text("4 participants imported.")).to_be_visible()

    open_page(page, event_path + "/partners")
    page.locator("#partner-name").fill("E2E Gold")
    _select(page, "#partner-type", "Gold")
    page.get_by_role("button", name="Add", exact=True).first.click()
    card = page.locator(".partner-card").filter(has_text="E2E Gold")
    expect(card).to_be_visible()
    card.get_by_role("combobox").first.click()
    page.get_by_role("option", name=DEMO["partner"].email).click()
    expect(card).to_contain_text(DEMO["partner"].email)
    page.get_by_role("button", name="One space per sales contact").click()
    expect(page.get_by_text("1 space created.")).to_be_visible()

    open_page(page, event_path + "/rules")
    _add_rule(page, "Gold, Platinum", ("registration_status", "equals", "registered"),
              ("has_account", "equals", "true"))
    expect(page.locator(".rule-preview")).to_have_count(1)
    _add_rule(page, "Silver, Bronze", ("registration_status", "equals", "registered"))
    expect(page.locator(".rule-preview")).to_have_count(2)
    expect(page.locator(".rule-preview").first).to_have_text("1 partners see 1 participants")
    expect(page.locator(".rule-preview").nth(1)).to_have_text("0 partners see 2 participants")

    # --- the partner user ----------------------------------------------------------
    partner_ctx = browser.new_context(viewport={"width": 1280, "height": 800},
                                      base_url=live_app.url)
    partner_ctx.set_default_timeout(15000)
    partner = partner_ctx.new_page()
    login = DEMO["partner"]
    sign_in(partner, login.email, login.password, expect_path="/partner")
    partner.wait_for_load_state("networkidle")
    # Gold sees registered participants with an account: Alma only.
    expect(partner.locator(".attendee-row")).to_have_count(1)
    expect(partner.locator(".attendee-row")).to_contain_text("Vip")
    expect(partner.locator("#quota-left")).to_have_text("3 requests left")

    open_page(partner, "/partner/calendar")
    expect(partner.locator("#counter-selectable")).to_contain_text("0")
    partner.locator(".cal-cell").first.click()
    expect(partner.locator("#counter-selectable")).to_contain_text("1")

    open_page(partner, "/partner")
    partner.locator(".request-button").first.click()
    dialog = partner.get_by_role("dialog")
    expect(dialog.locator("#req-slot option")).to_have_count(1)
    dialog.locator("textarea[name=message]").fill("Coffee at our stand?")
    dialog.locator("#send-request").click()
    expect(partner.get_by_text("Request sent.")).to_be_visible()
    expect(partner.locator("#quota-left")).to_have_text("2 requests left")

    # --- the participant accepts on a phone ------------------------------------------
    with Session(db.get_engine(live_app.database_url)) as s:
        alma = s.exec(select(Attendee).where(Attendee.email == "alma.vip@e2e.example")).one()
        token = _agenda_token(live_app, alma.agenda_salt)
    open_page(phone, f"/agenda/{token}")
    expect(phone.get_by_role("heading", name="Bonjour Alma, vos rendez-vous")).to_be_visible()
    phone.locator(".accept-button").click()
    expect(phone.get_by_text("Rendez-vous confirmé.")).to_be_visible()
    expect(phone.locator(".ics-link")).to_have_count(1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # --- the acceptance email with its .ics ---------------------------------------
    message = live_app.smtp.wait_for("alma.vip@e2e.example", timeout=30)[-1]
    assert "Rendez-vous confirmé" in str(message["Subject"])
    cal = _ics(message)
    assert str(cal["method"]) == "REQUEST"
    vevent = next(iter(cal.walk("VEVENT")))
    start = vevent.decoded("dtstart")
    assert (start.date(), start.hour, start.minute) == (day, 9, 0)
    assert str(start.tzinfo) == "Europe/Paris"
    assert cal.walk("VTIMEZONE")

    # --- the ledger shows one used; a late cancellation is refused ------------------
    open_page(partner, "/partner/meetings")
    expect(partner.locator("#ledger-line")).to_have_text("Quota: 1 used, 0 pending, 2 left")
    partner.locator(".meeting-row .cancel-button").first.click()
    partner.get_by_role("dialog").locator("#reason").fill("Our stand moved")
    partner.get_by_role("dialog").get_by_role("button", name="Send").click()
    expect(partner.locator("#reason-error")).to_have_text(
        "Too late: changes are no longer possible this close to the meeting.")
    partner_ctx.close()
