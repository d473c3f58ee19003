"""State of an event's attendees: add by form, import by CSV with progress (R-BM-1).

The import is the shared pipeline's (:class:`rxapp.states.csv_import.CsvImportMixin`, as
participants'): the file waits in the upload store, a mapping step appears when the
headers name no required field, and a background task checks and writes it with
progress, its job kept in the database.
"""

from typing import ClassVar

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.services.accounts.auth import Principal
from rxapp.services.common import upload_store
from rxapp.services.meetings import attendee_import, attendees
from rxapp.services.meetings.attendee_import import FIELD_KEYS
from rxapp.states.base import STAFF
from rxapp.states.csv_import import CsvImportMixin, Work
from rxapp.states.meetings.base import MEETINGS, MeetingsState, form_arg, text_arg

MAX_CSV_BYTES = 5_000_000
JOB_KIND = "attendees"
FIELDS = ("first_name", "last_name", "email", "language", "company", "job_title", "country",
          "interests", "registration_status")


class AttendeesState(CsvImportMixin, MeetingsState):
    """The event's attendees, one page, with the add form and the CSV import."""

    import_kind: ClassVar[str] = JOB_KIND
    import_fields: ClassVar[tuple[str, ...]] = tuple(FIELD_KEYS)
    import_max_bytes: ClassVar[int] = MAX_CSV_BYTES
    rows: list[dict[str, str]] = []
    total: int = 0
    query: str = ""
    errors: dict[str, str] = {}

    def _read(self) -> None:
        principal = self._organizer()
        if principal is None:
            self.rows, self.total = [], 0
            return
        eid = self._page_event(principal)
        if eid is None:
            return
        with session_scope() as session:
            page = attendees.list_for_organizer(
                session, organization_id=principal.organization_id, event_id=eid,
                query=self.query)
        self.rows = [r.values | {"id": str(r.id)} for r in page.rows]
        self.total = page.total

    @rx.event
    def load(self) -> None:
        """Read the first page of attendees; show an import still running, if any."""
        self.event_id = 0
        self.errors = {}
        self._resume_import()
        self._read()

    @rx.event
    def search(self, value: str) -> None:
        """Filter by last-name prefix."""
        self.query = text_arg(value, 100)
        self._read()

    @rx.event
    def add(self, form: dict):  # noqa: ANN201
        """Add one attendee; the first bad field shows its error."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        form = form_arg(form)
        values = {k: text_arg(form.get(k), 500) for k in FIELDS}
        values["has_account"] = form.get("has_account") in ("on", "true", True)
        return self._write(lambda session: attendees.add_attendee(
            session, organization_id=principal.organization_id, event_id=self.event_id,
            now=clock.now(), **values), errors="errors", field="email",
            toast="meetings.attendee_added")

    def _import_guard(self, *, upload: bool = False) -> Principal | None:
        return self._require_module(MEETINGS, *STAFF, upload=upload)

    def _import_work(self, principal: Principal, upload_id: str,
                     mapping: list[str] | None) -> Work:
        event_id = self.event_id

        def work(progress):  # noqa: ANN001, ANN202
            data = upload_store.load(upload_id)
            with session_scope() as session:
                return attendee_import.import_attendees_csv(
                    session, organization_id=principal.organization_id, event_id=event_id,
                    data=data, now=clock.now(), progress=progress, mapping=mapping)

        return work

    def _ok_message(self, report) -> str:  # noqa: ANN001
        return self._tr("meetings.imported", n=report.imported)

    def _import_succeeded(self) -> None:
        self._read()
