"""Plans and limits in the real browser (R-ACC-5, R-INT-3, R-INT-4, R-PLUS-10, R-INT-1).

The operator (made by the command line, never by sign-up) raises an organization's
bought interactions after its organizer's "request more"; an admin overrides one
participant's maximum; a team admin hits the seat limit with nothing sent; "muller"
finds Müller.
"""

import os
import re
import subprocess
import sys
from contextlib import contextmanager

from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from rxapp import db
from rxapp.models import Interaction, Organization, Participant, TeamInvitation
from rxapp.services.interactions.participants import add_participant
from tests.e2e.conftest import ROOT
from tests.e2e.helpers import open_page, sign_in, sign_in_as, sign_out

OPERATOR = "olga@vendor.example"
OPERATOR_PASSWORD = "operator-pass-2026"


@contextmanager
def _db(live_app):
    with Session(db.get_engine(live_app.database_url), expire_on_commit=False) as s:
        yield s
        s.commit()


def _demo(s: Session) -> Organization:
    return s.exec(select(Organization).where(Organization.slug == "demo")).one()


def _person(live_app, first: str, last: str, email: str) -> int:
    with _db(live_app) as s:
        org = _demo(s)
        from rxapp import clock

        person = add_participant(s, organization_id=org.id, first_name=first, last_name=last,
                                 email=email, language="en", now=clock.now())
        return person.id


def _create_operator(live_app) -> None:
    env = {**os.environ, "DATABASE_URL": live_app.database_url}
    done = subprocess.run(
        [sys.executable, "-m", "rxapp.operator", "create", OPERATOR, "--name", "Olga Operator",
         "--password-stdin"],
        input=OPERATOR_PASSWORD + "\n", env=env, cwd=ROOT, capture_output=True, text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "operator created" in done.stdout and OPERATOR_PASSWORD not in done.stdout


def test_r_acc_5_operator_raises_bought_interactions_after_request_more(
    page: Page, browser: Browser, live_app
):
    _create_operator(live_app)
    pid = _person(live_app, "Nora", "Limit", "nora.limit@example.org")
    with _db(live_app) as s:
        org = _demo(s)
        used = len(s.exec(select(Interaction.id).where(
            Interaction.organization_id == org.id, Interaction.state != "deleted")).all())
        bought_before = org.interactions_bought
        org.interactions_bought = used  # nothing left
        s.add(org)
    try:
        # The organizer meets the limit and asks for more, instead of "contact the vendor".
        sign_in_as(page, "organizer")
        open_page(page, f"/participants/{pid}")
        expect(page.locator("#new-interaction")).to_be_disabled()
        expect(page.locator("#create-reason")).to_contain_text("no interactions left")
        page.locator("#request-more").click()
        expect(page.locator("#request-open")).to_be_visible()
        mail = live_app.smtp.wait_for(OPERATOR)[-1]
        assert "Demo Company asks for more" in mail["Subject"]

        # The operator sees the request, raises the plan, and the history says so.
        op_context = browser.new_context(viewport={"width": 1280, "height": 800},
                                         base_url=live_app.url)
        op_context.set_default_timeout(15000)
        op = op_context.new_page()
        sign_in(op, OPERATOR, OPERATOR_PASSWORD)
        open_page(op, "/platform")
        request = op.locator(".plan-request").filter(has_text="Demo Company")
        expect(request).to_contain_text("more interactions")
        request.get_by_role("link", name="Demo Company").click()
        expect(op).to_have_url(re.compile(r"/platform/org/\d+/?$"))
        expect(op.get_by_role("heading", name="Demo Company")).to_be_visible()
        op.locator("#field-interactions_bought").fill(str(used + 10))
        op.locator("#field-note").fill("Request by the organizer")
        op.locator("#plan-save").click()
        history = op.locator(".history-row").filter(has_text="Interactions bought")
        expect(history).to_contain_text(f"{used} → {used + 10}")
        expect(history).to_contain_text(OPERATOR)
        op.locator(".plan-request .request-handled").first.click()
        expect(op.locator(".plan-request .request-handled")).to_have_count(0)
        # Operators have the console and no customer pages.
        open_page(op, "/participants")
        expect(op).to_have_url(re.compile(r"/forbidden/?$"))
        op_context.close()

        # The organizer can create again.
        open_page(page, f"/participants/{pid}")
        expect(page.locator("#new-interaction")).to_be_enabled()
        page.locator("#new-interaction").click()
        expect(page.locator("#invite-questionnaire")).to_be_visible()
        page.locator("#create-interaction").click()
        expect(page.locator("#invite-sent")).to_contain_text("nora.limit@example.org")
        page.locator("#back-to-overview").click()
        expect(page).to_have_url(re.compile(r"/participants/?$"))
    finally:
        with _db(live_app) as s:
            org = _demo(s)
            org.interactions_bought = max(bought_before, org.interactions_bought)
            s.add(org)


def test_r_int_3_admin_overrides_one_participants_maximum(page: Page, live_app):
    pid = _person(live_app, "Max", "Override", "max.override@example.org")
    sign_in_as(page, "admin")
    open_page(page, f"/participants/{pid}")
    expect(page.locator("#new-interaction")).to_be_enabled()
    page.locator("#field-max-override").fill("0")
    page.locator("#max-override-save").click()
    expect(page.locator("#create-reason")).to_contain_text("maximum")
    expect(page.locator("#new-interaction")).to_be_disabled()
    with _db(live_app) as s:
        assert s.get(Participant, pid).max_interactions_override == 0
    page.locator("#field-max-override").fill("5")
    page.locator("#max-override-save").click()
    expect(page.locator("#new-interaction")).to_be_enabled()
    with _db(live_app) as s:
        assert s.get(Participant, pid).max_interactions_override == 5


def test_r_plus_10_team_admin_hits_the_seat_limit_and_nothing_is_sent(page: Page, live_app):
    from rxapp import clock
    from rxapp.services.team.seats import seats_used

    with _db(live_app) as s:
        org = _demo(s)
        seats_before = org.team_seats
        org.team_seats = seats_used(s, organization_id=org.id, now=clock.now()) + 1
        s.add(org)
    try:
        sign_in_as(page, "admin")
        open_page(page, "/team/invitations")
        page.get_by_role("button", name="Invite members").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_text("Agent", exact=True).click()
        dialog.locator("#step-next").click()
        dialog.locator("#step-next").click()
        dialog.locator("#field-addresses").fill("seat1@limit.example seat2@limit.example")
        dialog.locator("#addresses-add").click()
        expect(dialog.locator(".address-chip")).to_have_count(2)
        dialog.locator("#invite-send").click()
        expect(dialog.locator("#seats-error")).to_contain_text("Nothing was sent")
        expect(dialog.locator("#seats-error")).to_contain_text("team seats")
        with _db(live_app) as s:
            assert s.exec(select(TeamInvitation).where(
                TeamInvitation.email.in_(["seat1@limit.example", "seat2@limit.example"])
            )).all() == []
        assert live_app.smtp.messages_to("seat1@limit.example") == []
    finally:
        with _db(live_app) as s:
            org = _demo(s)
            org.team_seats = seats_before
            s.add(org)


def test_r_int_1_muller_finds_mueller(page: Page, live_app):
    _person(live_app, "Jürgen", "Müller", "juergen.mueller@example.de")
    sign_in_as(page, "organizer")
    open_page(page, "/participants")
    page.locator("#participant-search").fill("muller")
    # Other tests may import another Müller into the shared app: find this one by email.
    expect(page.get_by_role("cell", name="juergen.mueller@example.de")).to_be_visible()
    page.locator("#participant-search").fill("jurgen mul")
    expect(page.get_by_role("cell", name="juergen.mueller@example.de")).to_be_visible()
    expect(page.get_by_role("link", name="Müller")).to_have_count(1)
    sign_out(page)
