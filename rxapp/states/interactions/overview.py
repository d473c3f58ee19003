"""State of the participant overview: search, paging, add (R-INT-1, R-INT-2).

The CSV import has its own state (participant_import.py).
"""

import logging

import reflex as rx

from rxapp import clock, routes
from rxapp.db import session_scope
from rxapp.models import Module
from rxapp.services import interactions
from rxapp.services.accounts.org_locale import org_locale
from rxapp.services.common.errors import DomainError
from rxapp.services.interactions import participants
from rxapp.states.base import STAFF, AppState
from rxapp.states.interactions.common import PAGE_SIZE, SORTS

logger = logging.getLogger(__name__)


class ParticipantsState(AppState):
    """The overview: search, paging, sorting, add by form and by CSV import."""

    query: str = ""
    page: int = 1
    sort: str = "last_name"
    rows: list[dict[str, str]] = []
    total: int = 0
    remaining: int = 0
    add_open: bool = False
    add_errors: dict[str, str] = {}
    add_language: str = "en"
    org_zone: str = ""

    @rx.var
    def pages(self) -> int:
        """How many pages the current search has."""
        return max(1, -(-self.total // PAGE_SIZE))

    def _guard(self):  # noqa: ANN202
        return self._require_module(Module.INTERACTIONS.value, *STAFF)

    def _read(self) -> None:
        principal = self._guard()
        if principal is None:
            self.rows, self.total = [], 0
            return
        with session_scope() as session:
            result = participants.search_participants(
                session, organization_id=principal.organization_id, query=self.query,
                page=self.page, page_size=PAGE_SIZE, sort=self.sort,
            )
            self.remaining = interactions.remaining_interactions(
                session, organization_id=principal.organization_id
            )
        self.total = result.total
        self.rows = [
            {"id": str(r.id), "first_name": r.first_name, "last_name": r.last_name,
             "email": r.email, "language": r.language, "state": r.latest_state or "none",
             "href": f"{routes.PARTICIPANTS}/{r.id}"}
            for r in result.rows
        ]

    @rx.event
    def load(self) -> None:
        """First page of everyone."""
        self.page = 1
        self.add_open = False
        self._read()

    @rx.event
    def search(self, value: str) -> None:
        """Search by first and/or last name (prefix), from the first page."""
        if not isinstance(value, str):
            return
        self.query = value[:100]
        self.page = 1
        self._read()

    @rx.event
    def set_sort(self, column: str) -> None:
        """Sort by a column; the same column again reverses the order."""
        if column not in SORTS:
            return
        self.sort = f"-{column}" if self.sort == column else column
        self.page = 1
        self._read()

    @rx.event
    def go_page(self, delta: int) -> None:
        """Previous or next page."""
        if delta not in (-1, 1):
            return
        self.page = min(max(1, self.page + delta), self.pages)
        self._read()

    @rx.event
    def open_add(self, value: bool) -> None:
        """Open or close the add-participant dialog; a new person speaks the org's language."""
        self.add_open = value is True
        self.add_errors = {}
        principal = self._guard() if self.add_open else None
        if principal is not None:
            with session_scope() as session:
                defaults = org_locale(session, organization_id=principal.organization_id)
            self.add_language = defaults.language
            self.org_zone = defaults.timezone

    @rx.event
    def set_add_language(self, value: str) -> None:
        """The new participant's language (validated on save)."""
        if isinstance(value, str):
            self.add_language = value[:5]

    @rx.event
    def add(self, form: dict):  # noqa: ANN201
        """Add one participant; every problem shows next to its field."""
        principal = self._guard()
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        form = form if isinstance(form, dict) else {}
        try:
            with session_scope() as session:
                participants.add_participant(
                    session, organization_id=principal.organization_id,
                    first_name=str(form.get("first_name", ""))[:300],
                    last_name=str(form.get("last_name", ""))[:300],
                    email=str(form.get("email", ""))[:300],
                    language=self.add_language, now=clock.now(),
                    time_zone=str(form.get("time_zone", "")).strip()[:64] or None,
                )
        except participants.ValidationErrors as errs:
            self.add_errors = {e.field or "form": e.code for e in errs.errors}
            return None
        except DomainError as err:
            self.add_errors = {err.field or "form": err.code}
            return None
        self.add_errors = {}
        self.add_open = False
        self._read()
        return rx.toast.success(self._tr("participants.added"))
