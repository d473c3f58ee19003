"""Team invitations in the real browser (§5, R-TEAM-1..5): invite, register, members, revoke."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import DEMO, open_page, sign_in_as
from tests.smtp_server import text_part

LINK = re.compile(r"https?://\S+/join/[A-Za-z0-9_\-]+")


def _add_option(page: Page, kind: str, value: str) -> None:
    field = page.locator(f"#field-{kind}")
    field.fill(value)
    field.press("Enter")
    expect(page.get_by_role("button", name=f"Remove {value}")).to_be_visible()


def _link_in(live_app, address: str) -> str:
    message = live_app.smtp.wait_for(address)[-1]
    assert message["Subject"].startswith("Join Demo Company")
    return LINK.search(text_part(message)).group(0)


def test_r_team_1_to_5_invite_register_list_and_revoke(page: Page, phone: Page, live_app):
    sign_in_as(page, "admin")
    # The organization's lists (R-TEAM-2); the demo's lists are filled already, so the
    # values added here are ones no demo member or invitation has.
    open_page(page, "/team/settings")
    for kind, value in (("channels", "Video"), ("channels", "Letter"), ("skills", "Finnish"),
                        ("skills", "Legal")):
        _add_option(page, kind, value)

    # Dashboard tile -> invitations page (R-TEAM-1); the demo has pending invitations.
    open_page(page, "/team")
    pending_before = int(page.locator("#pending-count").inner_text())
    assert pending_before >= 1
    page.locator("#tile-invitations").get_by_role("button", name="Open").click()
    expect(page).to_have_url(re.compile(r"/team/invitations/?$"))
    page.wait_for_load_state("networkidle")

    # "+" -> role -> attributes -> addresses (R-TEAM-2, R-TEAM-3).
    page.get_by_role("button", name="Invite members").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Agent", exact=True).click()
    dialog.locator("#step-next").click()
    dialog.get_by_role("group", name="Channels").get_by_text("Video", exact=True).click()
    dialog.get_by_role("group", name="Skills").get_by_text("Finnish", exact=True).click()
    dialog.locator("#step-next").click()
    organizer = DEMO["organizer"].email
    dialog.locator("#field-addresses").fill(
        f"ann@team.example, not-an-address\n{organizer} bob@team.example")
    dialog.locator("#addresses-add").click()
    # The invalid address stays in the field, flagged there; the member is reported.
    expect(dialog.locator("#field-addresses-error")).to_contain_text("not-an-address")
    expect(dialog.locator("#field-addresses")).to_have_value("not-an-address")
    expect(dialog.locator("#reported")).to_contain_text(f"{organizer} — Already a member")
    expect(dialog.locator(".address-chip")).to_have_count(2)
    expect(dialog.locator("#chips-summary")).to_have_text("2 will be invited")
    dialog.locator("#invite-send").click()
    expect(page.locator("#invite-result")).to_contain_text("2 invitations are on their way.")
    ours = page.locator(".invitation-row").filter(has_text="@team.example")
    expect(ours).to_have_count(2)
    # The list follows the scheduler's background send: "Sent" fills in without a reload.
    for row in (ours.nth(0), ours.nth(1)):
        expect(row).not_to_contain_text("Not yet", timeout=20000)
    open_page(page, "/team")
    expect(page.locator("#pending-count")).to_have_text(str(pending_before + 2))
    open_page(page, "/team/invitations")

    # Two emails reach the SMTP server, and none to the member or the invalid address.
    ann_link = _link_in(live_app, "ann@team.example")
    bob_link = _link_in(live_app, "bob@team.example")
    assert ann_link.startswith(live_app.url)
    # Other tests share the SMTP server (the organizer may have had a reset email).
    assert not [m for m in live_app.smtp.messages_to(organizer)
                if m["Subject"].startswith("Join")]
    assert live_app.smtp.messages_to("not-an-address") == []

    # Ann registers on a phone (R-TEAM-4, R-UI-3).
    open_page(phone, ann_link)
    expect(phone.get_by_role("heading", name="Join Demo Company")).to_be_visible()
    expect(phone.get_by_text("You are invited as Agent.")).to_be_visible()
    phone.locator("#field-full_name").fill("Ann Agent")
    phone.locator("#field-password").fill("ann-password-2026")
    phone.locator("#field-confirm").fill("ann-password-2026")
    phone.locator("#join-submit").click()
    # Signed in at once: Ann lands on her home with organization, role and attributes.
    expect(phone).to_have_url(re.compile(r"^https?://[^/]+/?$"))
    expect(phone.locator("#me-org")).to_have_text("Demo Company")
    expect(phone.locator("#me-role")).to_have_text("Agent")
    expect(phone.locator("#about-me")).to_contain_text("Finnish")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # The link works once.
    open_page(phone, ann_link)
    expect(phone.locator("#join-closed")).to_contain_text("already been accepted")
    expect(phone.locator("#join-submit")).to_have_count(0)

    # Ann is a member with the invitation's role and attributes (R-TEAM-5).
    open_page(page, "/team/members")
    page.locator("#filter-skills").click()
    page.get_by_role("option", name="Finnish").click()
    ann = page.locator(".member-row").filter(has_text="ann@team.example")
    expect(page.locator(".member-row")).to_have_count(1)
    expect(ann).to_contain_text("Agent")
    expect(ann.locator(".member-attributes")).to_have_text("Channels: Video · Skills: Finnish")

    # Bob's invitation is revoked after a confirmation; his link then shows a clear page.
    open_page(page, "/team/invitations")
    bob = page.locator(".invitation-row").filter(has_text="bob@team.example")
    expect(page.locator(".invitation-row").filter(has_text="@team.example")).to_have_count(1)
    bob.get_by_role("button", name="Revoke").click()
    page.get_by_role("alertdialog").locator("#revoke-confirm").click()
    expect(bob).to_have_count(0)
    open_page(page, "/team")
    expect(page.locator("#pending-count")).to_have_text(str(pending_before))
    open_page(phone, bob_link)
    expect(phone.locator("#join-closed")).to_contain_text("withdrawn")
