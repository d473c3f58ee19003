"""Screenshots for issue 9 in German and Swedish at 1280 and 360 px.

Participants list, participant page with its status log, team invitations (log open)
and the CSV mapping step.

Usage: python scripts/screenshots_locale.py BASE_URL DATABASE_URL OUT_DIR
The app at BASE_URL must use DATABASE_URL (seeded demo data); this adds one participant
in New York with an open interaction, a failed invitation email and a team invitation.
"""

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlmodel import Session, select

from rxapp import db
from rxapp.models import OutboxMessage, Participant
from rxapp.models.outbox import MessageState
from rxapp.services.accounts.auth import Principal
from rxapp.services.accounts.demo import DEMO_LOGINS
from rxapp.services.interactions import create_interaction
from rxapp.services.interactions.participants import add_participant
from rxapp.services.team import invite_many
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path

LANGS = ("de", "sv")
DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "csv"


def _seed(database_url: str) -> int:
    admin = next(d for d in DEMO_LOGINS if d.role == "admin")
    now = datetime.now(UTC) - timedelta(hours=1)
    with Session(db.get_engine(database_url), expire_on_commit=False) as s:
        found = s.exec(select(Participant).where(Participant.email == "jorg@shots.example"))
        person = found.first()
        if person is not None:
            return person.id
        from rxapp.models import User

        user = s.exec(select(User).where(User.email == admin.email)).one()
        person = add_participant(s, organization_id=user.organization_id, first_name="Jörg",
                                 last_name="Schäfer-Lindqvist", email="jorg@shots.example",
                                 language="de", now=now, time_zone="America/New_York")
        made = create_interaction(s, organization_id=user.organization_id,
                                  participant_id=person.id, now=now, reminders_on=True)
        invitation = s.exec(select(OutboxMessage).where(
            OutboxMessage.entity_id == made.interaction_id,
            OutboxMessage.kind == "interaction_invitation")).one()
        invitation.state = MessageState.FAILED.value
        invitation.last_error = "550 5.1.1 Recipient address rejected: User unknown"
        s.add(invitation)
        principal = Principal(user_id=user.id, organization_id=user.organization_id,
                              role="admin", email=user.email, full_name="", language="de",
                              organization_name="", modules=("team",))
        invite_many(s, principal=principal, emails=["ake.strom@shots.example"], role="agent",
                    attributes={}, now=now, language="sv")
        s.commit()
        return person.id


def main() -> None:
    """Seed, sign in as the demo admin per language, take the screenshots."""
    base, database_url, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    person_id = _seed(database_url)
    admin = next(d for d in DEMO_LOGINS if d.role == "admin")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for lang in LANGS:
            ctx = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800})
            page = ctx.new_page()
            page.goto("/login")
            page.wait_for_load_state("networkidle")
            page.fill("#field-email", admin.email)
            page.fill("#field-password", admin.password)
            page.click("#login-submit")
            page.wait_for_url(base + "/", timeout=15000)
            page.wait_for_load_state("networkidle")
            page.locator("#lang-switch").click()
            page.get_by_role("option").nth(("en", "de", "fr", "sv").index(lang)).click()
            page.wait_for_timeout(500)
            for width in (1280, 360):
                page.set_viewport_size({"width": width, "height": 800})

                def shot(name: str, page=page, lang=lang, width=width) -> None:  # noqa: ANN001
                    page.wait_for_timeout(500)
                    page.screenshot(path=str(out / f"{name}-{lang}-{width}.png"), full_page=True)

                page.goto("/participants")
                page.wait_for_load_state("networkidle")
                shot("participants")
                page.set_input_files("#csv-upload input[type=file]",
                                     str(DATA / "unknown-headers.csv"))
                page.locator("#mapping-step").wait_for()
                page.locator("#mapping-step").scroll_into_view_if_needed()
                shot("mapping")
                page.goto(f"/participants/{person_id}")
                page.wait_for_load_state("networkidle")
                if page.locator("#manage").count():
                    page.locator("#manage").click()
                page.locator(".status-log-toggle").first.click()
                page.locator(".status-log").wait_for()
                shot("participant-log")
                page.goto("/team/invitations")
                page.wait_for_load_state("networkidle")
                page.locator("details summary").first.click()
                shot("team-invitations")
            ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
