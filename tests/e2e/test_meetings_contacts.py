"""A sales contact invited from the partners page registers and lands in the partner space.

Issue 10 (R-BM-3): the organizer invites a contact (email, name, language) for a partner;
the team invitation email reaches the test SMTP server; the contact registers through the
join link on a phone and lands in that partner's space.
"""

import re

from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from rxapp import db
from rxapp.models.meetings import Event, Partner
from tests.e2e.helpers import open_page, sign_in_as
from tests.smtp_server import text_part

LINK = re.compile(r"https?://\S+/join/[A-Za-z0-9_\-]+")


def test_issue_10_sales_contact_invited_registers_into_partner_space(page: Page, phone: Page,
                                                                     live_app):
    with Session(db.get_engine(live_app.database_url)) as s:
        event = s.exec(select(Event).where(col(Event.module_enabled).is_(True))
                       .order_by(col(Event.id))).first()
        partner = s.exec(select(Partner).where(Partner.event_id == event.id)
                         .order_by(col(Partner.id).desc())).first()
        event_id, partner_id, partner_name = event.id, partner.id, partner.name

    sign_in_as(page, "organizer")
    open_page(page, f"/events/{event_id}/partners")
    page.wait_for_load_state("networkidle")
    page.locator("#invite-partner").select_option(str(partner_id))
    page.locator("#invite-email").fill("nina.sales@e2e.example")
    page.locator("#invite-name").fill("Nina Sales")
    page.locator("#invite-language").select_option("de")
    page.locator("#invite-contact").click()
    expect(page.get_by_text("Invitation sent.")).to_be_visible()
    expect(page.locator(".invited-contact").filter(has_text="nina.sales@e2e.example")) \
        .to_contain_text(partner_name)
    # The same address again: a clear error next to the field, nothing sent twice.
    page.locator("#invite-contact").click()
    expect(page.get_by_text("This address already has a pending invitation.")).to_be_visible()

    message = live_app.smtp.wait_for("nina.sales@e2e.example", timeout=30)[-1]
    link = LINK.search(text_part(message)).group(0)
    open_page(phone, link)
    phone.locator("#field-full_name").fill("Nina Sales")
    phone.locator("#field-password").fill("nina-password-2026")
    phone.locator("#field-confirm").fill("nina-password-2026")
    phone.locator("#join-submit").click()
    # Signed in at once, the new partner user lands in the partner's own space.
    expect(phone).to_have_url(re.compile(r"/partner/?$"), timeout=20000)
    expect(phone.get_by_role("heading", name=partner_name)).to_be_visible()
    assert len(live_app.smtp.messages_to("nina.sales@e2e.example")) == 1
