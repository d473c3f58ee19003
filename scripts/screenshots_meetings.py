"""Screenshots of the business-meetings pages at 1280 and 360 px, in French and German.

Usage: python scripts/screenshots_meetings.py BASE_URL OUT_DIR
Uses the demo data: the organizer's pages of the demo event, the demo partner user's
space, and the agenda of a demo attendee (its link rebuilt from the server secret).
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlmodel import Session, select

from rxapp import db
from rxapp.models.meetings import Attendee, Event, Meeting
from rxapp.services.accounts.demo import DEMO_LOGINS
from rxapp.services.meetings.attendees import agenda_token
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path

LANGS = ("fr", "de")


def _sign_in(page, base: str, role: str, lang: str) -> None:  # noqa: ANN001
    login = next(d for d in DEMO_LOGINS if d.role == role)
    page.goto("/login")
    page.wait_for_load_state("networkidle")
    page.evaluate(f"localStorage.setItem('beckon_lang', '{lang}')")
    page.fill("#field-email", login.email)
    page.fill("#field-password", login.password)
    page.click("#login-submit")
    page.wait_for_timeout(2500)
    page.locator("#lang-switch").click()
    page.get_by_role("option").nth(("en", "de", "fr", "sv").index(lang)).click()
    page.wait_for_timeout(500)


def _shoot(page, out: Path, path: str, lang: str, name: str) -> None:  # noqa: ANN001
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(600)
        page.screenshot(path=str(out / f"{name}-{lang}-{width}.png"), full_page=True)


def main() -> None:
    """Take the screenshots."""
    base, out = sys.argv[1], Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    agendas = {}
    with Session(db.get_engine()) as s:
        event = s.exec(select(Event).order_by(Event.id)).first()
        for lang in LANGS:
            # An attendee speaking the language, with meetings, so the page is not empty.
            attendee = s.exec(select(Attendee).join(Meeting, Meeting.attendee_id == Attendee.id)
                              .where(Attendee.language == lang)).first() or s.exec(
                select(Attendee).where(Attendee.language == lang)).first()
            agendas[lang] = f"/agenda/{agenda_token(attendee)}"
    organizer_paths = {"events": "/events", "event": f"/events/{event.id}",
                       "slots": f"/events/{event.id}/slots",
                       "partners": f"/events/{event.id}/partners",
                       "rules": f"/events/{event.id}/rules",
                       "email": f"/events/{event.id}/email",
                       "attendees": f"/events/{event.id}/attendees"}
    partner_paths = {"partner": "/partner", "partner-meetings": "/partner/meetings",
                     "partner-calendar": "/partner/calendar"}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for lang in LANGS:
            for role, paths in (("organizer", organizer_paths), ("partner", partner_paths)):
                ctx = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800})
                page = ctx.new_page()
                _sign_in(page, base, role, lang)
                for name, path in paths.items():
                    _shoot(page, out, path, lang, name)
                ctx.close()
            ctx = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800})
            page = ctx.new_page()
            page.goto("/login")
            page.evaluate(f"localStorage.setItem('beckon_lang', '{lang}')")
            _shoot(page, out, agendas[lang], lang, "agenda")
            ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
