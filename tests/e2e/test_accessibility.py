"""axe-core on every page, signed in as each role and as an invitee, at 1280 and 360 px.

Fails on any violation axe-core rates serious or critical (names, labels, contrast,
ARIA). axe-core comes from the npm registry (``make test`` installs it into .tools);
it is injected into each page after the app has loaded, so it sees what people see.
"""

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ROOT
from tests.e2e.helpers import open_page, sign_in_as
from tests.e2e.invitee_tokens import InviteeTokens, create_invitee_tokens, remove_audit_data

AXE = ROOT / ".tools/node_modules/axe-core/axe.min.js"
AXE_VERSION = "4.11.0"
WIDTHS = (1280, 360)
BLOCKING = ("serious", "critical")

# A Radix text field's box (input plus its border) takes the tap and focuses the input.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, [role=combobox]')]
  .map((e) => e.closest('.rt-TextFieldRoot') || e)
  .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
  .filter((e) => e.getBoundingClientRect().height < 44)
  .map((e) => `${Math.round(e.getBoundingClientRect().height)} px: ${e.outerHTML.slice(0, 90)}`)
"""

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  targets: v.nodes.slice(0, 6).map((n) => n.target.join(' ')),
                  summary: v.nodes.length ? v.nodes[0].failureSummary : ''}));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        # Same as `make test`: the npm registry is the only place it comes from.
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix",
                        str(ROOT / ".tools"), f"axe-core@{AXE_VERSION}"], check=True)
    return Path(AXE).read_text()


@pytest.fixture(scope="module")
def audit_data(live_app) -> Iterator[InviteeTokens]:
    # The app's data folder (DATA_DIR in conftest's live_app) holds the server secret.
    data_dir = live_app.log_path.parent / "data"
    tokens = create_invitee_tokens(live_app.database_url, data_dir=data_dir)
    yield tokens
    remove_audit_data(live_app.database_url, tokens, data_dir=data_dir)


class Audit:
    """Runs axe-core on pages and keeps every blocking violation with where it was."""

    def __init__(self, page: Page, axe_source: str) -> None:
        self.page = page
        self.axe_source = axe_source
        self.found: list[str] = []
        self.checked: list[str] = []

    def check(self, label: str) -> None:
        page = self.page
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(250)  # the first state after the socket connects
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=self.axe_source)
        width = page.viewport_size["width"]
        where = f"{label} @{width}px"
        self.checked.append(where)
        for v in page.evaluate(RUN_AXE):
            self.found.append(f"{where}: {v['impact']} {v['id']} ({v['help']}) "
                              f"at {v['targets']}\n      {v['summary']}")

    def page_at_widths(self, path: str, *, ready: Callable[[Page], None] | None = None,
                       tap_targets: bool = False) -> None:
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 800})
            open_page(self.page, path)
            if ready is not None:
                ready(self.page)
            self.check(path)
            if tap_targets and width == 360:
                # R-UI-3: every link, button and field on a phone is at least 44 px tall.
                for small in self.page.evaluate(SMALL_TARGETS):
                    self.found.append(f"{path} @360px: tap target {small}")

    def assert_clean(self) -> None:
        assert self.checked
        assert not self.found, (f"{len(self.found)} serious/critical axe-core violations or "
                                f"small tap targets in {len(self.checked)} page views:\n"
                                + "\n".join(self.found))


def _signed_in_main(page: Page) -> None:
    expect(page.locator("main h1")).to_be_visible()


def _staff_pages(tokens: InviteeTokens) -> list[str]:
    event = f"/events/{tokens.event_id}"
    meetings = [event, *(f"{event}/{s}" for s in ("slots", "partners", "rules", "email",
                                                   "attendees"))] if tokens.event_id else []
    return ["/", "/participants", f"/participants/{tokens.participant_id}",
            f"/participants/{tokens.new_participant_id}/new", "/reviews", "/events",
            *meetings, "/forbidden"]


ADMIN_ONLY = ["/team", "/team/invitations", "/team/members", "/team/settings", "/team/import",
              "/settings", "/mailbox"]


def _invite_dialog_steps(audit: Audit) -> None:
    """The team invitation stepper: role, attributes (checkboxes), addresses."""
    page = audit.page
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        open_page(page, "/team/invitations")
        page.locator("#invite-open").click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible()
        audit.check("/team/invitations, invite step 1")
        dialog.get_by_text("Agent", exact=True).click()
        dialog.locator("#step-next").click()
        expect(dialog.get_by_role("checkbox").first).to_be_visible()
        audit.check("/team/invitations, invite step 2")
        dialog.locator("#step-next").click()
        expect(dialog.locator("#field-addresses")).to_be_visible()
        audit.check("/team/invitations, invite step 3")
        page.keyboard.press("Escape")


@pytest.fixture
def audit(browser: Browser, live_app, axe_source: str) -> Iterator[Audit]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_app.url)
    context.set_default_timeout(15000)
    yield Audit(context.new_page(), axe_source)
    context.close()


def test_r_ui_3_axe_admin_pages(audit: Audit, audit_data: InviteeTokens):
    sign_in_as(audit.page, "admin")
    for path in [*_staff_pages(audit_data), *ADMIN_ONLY]:
        audit.page_at_widths(path, ready=_signed_in_main)
    _invite_dialog_steps(audit)
    audit.assert_clean()


def test_r_ui_3_axe_organizer_pages(audit: Audit, audit_data: InviteeTokens):
    sign_in_as(audit.page, "organizer")
    for path in _staff_pages(audit_data):
        audit.page_at_widths(path, ready=_signed_in_main)
    audit.assert_clean()


def test_r_ui_3_axe_partner_pages(audit: Audit, audit_data: InviteeTokens):
    sign_in_as(audit.page, "partner")
    for path in ("/partner", "/partner/meetings", "/partner/calendar", "/forbidden"):
        audit.page_at_widths(path, ready=_signed_in_main)
    audit.assert_clean()


def test_r_ui_3_axe_and_tap_targets_invitee_pages(audit: Audit, audit_data: InviteeTokens):
    paths = audit_data.paths()
    for name in ("login", "forgot", "reset", "join", "agenda", "review"):
        audit.page_at_widths(paths[name], ready=lambda p: expect(p.locator("h1")).to_be_visible(),
                             tap_targets=True)
    assert "agenda" in paths and "review" in paths, "the demo has attendees and reviews"
    for dead in ("/i/not-a-token", "/join/not-a-token", "/reset/not-a-token",
                 "/agenda/not-a-token", "/r/not-a-token"):
        audit.page_at_widths(
            dead, ready=lambda p: expect(p.locator("main h1, main p").first).to_be_visible())
    audit.page_at_widths("/no-such-page")
    # The questionnaire: welcome, then a question (progress bar) at both widths.
    take = paths["take"]
    audit.page_at_widths(take, ready=lambda p: expect(p.locator("#take-start")).to_be_visible(),
                         tap_targets=True)

    def first_question(p: Page) -> None:
        p.locator("#take-start").click()
        expect(p.locator("#question-text")).to_be_visible()

    audit.page_at_widths(take, ready=first_question, tap_targets=True)
    audit.assert_clean()
