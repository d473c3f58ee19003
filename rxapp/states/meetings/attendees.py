"""State of an event's attendees: add by form, import by CSV with progress (R-BM-1)."""

import asyncio
import logging
import threading

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.meetings import attendees
from rxapp.states.base import STAFF
from rxapp.states.meetings.base import MEETINGS, MeetingsState, form_arg, text_arg

logger = logging.getLogger(__name__)
MAX_CSV_BYTES = 5_000_000
FIELDS = ("first_name", "last_name", "email", "language", "company", "job_title", "country",
          "interests", "registration_status")


class AttendeesState(MeetingsState):
    """The event's attendees, one page, with the add form and the CSV import."""

    rows: list[dict[str, str]] = []
    total: int = 0
    query: str = ""
    errors: dict[str, str] = {}
    importing: bool = False
    import_done: int = 0
    import_total: int = 0
    import_result: str = ""
    import_errors: list[dict[str, str]] = []
    _upload: bytes = b""
    # Who uploaded: the import runs only for that same user's socket.
    _upload_user_id: int = 0

    def _read(self) -> None:
        principal = self._organizer()
        if principal is None:
            self.rows, self.total = [], 0
            return
        eid = self._path_event(principal) if not self.event_id else self.event_id
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
        """Read the first page of attendees."""
        self.event_id = 0
        self.errors, self.import_errors, self.import_result = {}, [], ""
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
        try:
            with session_scope() as session:
                attendees.add_attendee(session, organization_id=principal.organization_id,
                                       event_id=self.event_id, now=clock.now(), **values)
        except DomainError as err:
            self.errors = {err.field or "email": err.code}
            return None
        self.errors = {}
        self._read()
        return rx.toast.success(self._tr("meetings.attendee_added"))

    @rx.event
    async def receive_csv(self, files: list[rx.UploadFile]):  # noqa: ANN201
        """Take the uploaded CSV, then import it in the background (all or nothing)."""
        # The upload request's own cookie decides, not this tab's socket (finding 13.1).
        principal = self._require_module(MEETINGS, *STAFF, upload=True)
        if principal is None:
            return self._refused()
        self.import_errors = []
        # Reflex does not enforce the type hint: `files` can arrive as anything.
        if not isinstance(files, list) or not files or not hasattr(files[0], "read"):
            self.import_result = "import.no_file"
            return None
        data = await files[0].read(MAX_CSV_BYTES + 1)
        if not isinstance(data, bytes):
            self.import_result = "import.no_file"
            return None
        if len(data) > MAX_CSV_BYTES:
            self.import_result = "import.too_large"
            return None
        if not data.strip():
            self.import_result = "import.empty"
            return None
        self._upload = data
        self._upload_user_id = principal.user_id
        self.import_errors, self.import_result = [], ""
        return AttendeesState.run_import

    @rx.event(background=True)
    async def run_import(self):  # noqa: ANN201
        """Check the whole file, then import every row or none, with progress (R-UI-2)."""
        async with self:
            principal = self._organizer()
            data, self._upload = self._upload, b""
            uploader, self._upload_user_id = self._upload_user_id, 0
            event_id = self.event_id
            if principal is None or principal.user_id != uploader:
                return
            if not data or self.importing:
                return
            self.importing = True
            self.import_done = self.import_total = 0
        counter = {"done": 0, "total": 0}
        lock = threading.Lock()

        def progress(done: int, total: int) -> None:
            with lock:
                counter["done"], counter["total"] = done, total

        def work():  # noqa: ANN202
            with session_scope() as session:
                return attendees.import_attendees_csv(
                    session, organization_id=principal.organization_id, event_id=event_id,
                    data=data, now=clock.now(), progress=progress)

        task = asyncio.create_task(asyncio.to_thread(work))
        while not task.done():
            await asyncio.sleep(0.2)
            async with self:
                with lock:
                    self.import_done, self.import_total = counter["done"], counter["total"]
        try:
            report = task.result()
        except (DomainError, NotAllowed):
            report = None
        except Exception:
            logger.exception("attendee import failed")
            report = None
        async with self:
            self.importing = False
            if report is None:
                self.import_result = "error.unexpected"
                return
            self.import_errors = [{"line": str(e.line), "field": e.field or "", "code": e.code}
                                  for e in report.errors[:200]]
            self.import_result = "import.ok" if report.ok else "import.rejected"
            self.import_total = report.imported if report.ok else report.total_rows
            self._read()
