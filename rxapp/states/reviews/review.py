"""The customer's review page behind the emailed link (R-REV-7): mobile first, no password.

The token in the address is the only credential: read from the address on every event,
never kept in state.
"""

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.services.common.errors import DomainError
from rxapp.services.reviews.reviewing import open_review_page, submit_review
from rxapp.states.base import AppState


class ReviewPageState(AppState):
    """Stars and text per subject; one review per link; a short edit window."""

    status: str = "loading"  # loading | invalid | form | thanks
    org: str = ""
    customer: str = ""
    subjects: list[dict[str, str]] = []
    stars: dict[str, int] = {}
    texts: dict[str, str] = {}
    editable: bool = True
    reviewed: bool = False
    error_subject: str = ""
    error_text: str = ""

    def _token(self) -> str:
        parts = [p for p in (self.router.url.path or "").split("/") if p]
        return parts[1] if len(parts) >= 2 and parts[0] == "r" else ""

    def _show(self, page) -> None:  # noqa: ANN001
        self.lang = page.language
        self.org = page.organization_name
        self.customer = page.customer_name
        self.subjects = [{"key": s.key, "name": s.name} for s in page.subjects]
        self.stars = {s.key: s.stars for s in page.subjects if s.stars}
        self.texts = {s.key: s.text for s in page.subjects if s.text}
        self.editable = page.editable
        self.reviewed = page.reviewed

    @rx.event
    def load(self) -> None:
        """Open the link; a reviewed link shows the thank-you (with edit while allowed)."""
        self.status = "loading"
        self.error_subject = self.error_text = ""
        with session_scope() as session:
            page = open_review_page(session, token=self._token(), now=clock.now())
        if page is None:
            self.status = "invalid"
            return
        self._show(page)
        self.status = "thanks" if page.reviewed else "form"

    @rx.event
    def set_stars(self, key: str, value: int) -> None:
        """Pick 1-5 stars for one subject."""
        keys = {s["key"] for s in self.subjects}
        if (
            isinstance(key, str)
            and key in keys
            and isinstance(value, int)
            and not isinstance(value, bool)
            and 1 <= value <= 5
        ):
            self.stars = {**self.stars, key: value}
            if self.error_subject == key:
                self.error_subject = self.error_text = ""

    @rx.event
    def set_text(self, key: str, value: str) -> None:
        """Type the text for one subject."""
        keys = {s["key"] for s in self.subjects}
        if isinstance(key, str) and key in keys and isinstance(value, str):
            self.texts = {**self.texts, key: value[:5000]}

    @rx.event
    def edit(self) -> None:
        """Back to the form, while the edit window is open."""
        if self.editable:
            self.status = "form"

    @rx.event
    def submit(self) -> None:
        """Send the reviews; the service re-checks the link, the window and every value."""
        ratings = {
            s["key"]: (self.stars[s["key"]], self.texts.get(s["key"], ""))
            for s in self.subjects
            if s["key"] in self.stars
        }
        try:
            with session_scope() as session:
                submit_review(session, token=self._token(), ratings=ratings, now=clock.now())
        except DomainError as exc:
            self.error_subject = exc.field or ""
            self.error_text = self._tr(exc.code)
            if exc.code in ("review.link_invalid", "review.edit_closed"):
                self.editable = False
                self.status = "thanks" if self.reviewed else "invalid"
            return
        self.reviewed = True
        self.editable = True  # the edit window has just opened
        self.error_subject = self.error_text = ""
        self.status = "thanks"
