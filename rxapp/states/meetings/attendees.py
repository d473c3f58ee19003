"""State of an event's attendees: add by form, import by CSV with progress (R-BM-1).

The import is the shared pipeline's (as participants'): the file waits in the upload
store, a mapping step appears when the headers name no required field, and a
background task checks and writes it with progress.
"""

import asyncio
import logging
import threading

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.services.common import upload_store
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.meetings import attendee_import, attendees
from rxapp.services.meetings.attendee_import import FIELD_KEYS
from rxapp.states.base import STAFF
from rxapp.states.meetings.base import MEETINGS, MeetingsState, form_arg, int_arg, text_arg

logger = logging.getLogger(__name__)
MAX_CSV_BYTES = 5_000_000
_RUNNING: set[str] = set()  # upload ids a background task is working on (this process)
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
    # The mapping step: file columns, the field chosen for each ("" = ignore), preview.
    map_open: bool = False
    map_columns: list[str] = []
    mapping: list[str] = []
    map_preview: list[list[str]] = []
    map_missing: str = ""
    # The uploaded file lives in the upload store, named by this random id (R-INT-1).
    _upload_id: str = ""
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
        self.errors = {}
        if self.importing and self._upload_id not in _RUNNING:
            self.importing = False  # a reload: no task runs this job any more
        if not self.importing:
            self._reset_import()
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

    @rx.var
    def map_rows(self) -> list[dict]:
        """One row per file column for the mapping step: name, chosen field, samples."""
        return [
            {"index": str(i), "column": name,
             "field": self.mapping[i] if i < len(self.mapping) else "",
             "samples": " · ".join(r[i] for r in self.map_preview if i < len(r) and r[i])}
            for i, name in enumerate(self.map_columns)
        ]

    def _reset_import(self) -> None:
        self.import_errors, self.import_result, self.map_missing = [], "", ""
        self.map_open = False
        self.map_columns, self.mapping, self.map_preview = [], [], []

    @rx.event
    async def receive_csv(self, files: list[rx.UploadFile]):  # noqa: ANN201
        """Keep the uploaded CSV in the upload store, then check it in the background."""
        # The upload request's own cookie decides, not this tab's socket (finding 13.1).
        principal = self._require_module(MEETINGS, *STAFF, upload=True)
        if principal is None:
            return self._refused()
        if self.importing:
            return None
        self._reset_import()
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
        upload_store.discard(self._upload_id)
        self._upload_id = upload_store.save(data)
        self._upload_user_id = principal.user_id
        return AttendeesState.run_import

    @rx.event
    def set_mapping(self, index: str, value: str) -> None:
        """Choose the field a file column fills (``ignore`` leaves it out)."""
        if self._organizer() is None:
            return
        i = int_arg(index)
        if i is None or not 0 <= i < len(self.mapping) or not isinstance(value, str):
            return
        value = "" if value == "ignore" else value
        if value and value not in FIELD_KEYS:
            return
        mapping = list(self.mapping)
        if value:  # a field is filled by one column: take it from any other
            mapping = ["" if m == value else m for m in mapping]
        mapping[i] = value
        self.mapping = mapping

    @rx.event
    def cancel_mapping(self) -> None:
        """Leave the mapping step; the uploaded file is dropped."""
        upload_store.discard(self._upload_id)
        self._upload_id, self._upload_user_id = "", 0
        self._reset_import()

    @rx.event
    def apply_mapping(self):  # noqa: ANN201
        """Import the kept file with the chosen mapping."""
        if self._organizer() is None:
            return self._refused()
        if not self._upload_id or self.importing:
            return None
        return AttendeesState.run_import

    @rx.event(background=True)
    async def run_import(self):  # noqa: ANN201
        """Check the whole file, then import every row or none, with progress (R-UI-2)."""
        async with self:
            principal = self._organizer()
            upload_id, event_id = self._upload_id, self.event_id
            mapping = list(self.mapping) if self.map_open else None
            if principal is None or principal.user_id != self._upload_user_id:
                return
            if not upload_id or self.importing:
                return
            self.importing = True
            self.import_done = self.import_total = 0
            _RUNNING.add(upload_id)
        counter = {"done": 0, "total": 0}
        lock = threading.Lock()

        def progress(done: int, total: int) -> None:
            with lock:
                counter["done"], counter["total"] = done, total

        def work():  # noqa: ANN202
            data = upload_store.load(upload_id)
            with session_scope() as session:
                return attendee_import.import_attendees_csv(
                    session, organization_id=principal.organization_id, event_id=event_id,
                    data=data, now=clock.now(), progress=progress, mapping=mapping)

        report = None
        try:
            task = asyncio.create_task(asyncio.to_thread(work))
            while not task.done():
                await asyncio.sleep(0.2)
                async with self:
                    with lock:
                        self.import_done, self.import_total = counter["done"], counter["total"]
            report = task.result()
        except (DomainError, NotAllowed):
            report = None
        except Exception:
            logger.exception("attendee import failed")
        finally:
            _RUNNING.discard(upload_id)
            async with self:
                self.importing = False
                self._show_report(report)
        if report is None or report.ok or not report.needs_mapping:
            upload_store.discard(upload_id)

    def _show_report(self, report) -> None:  # noqa: ANN001
        if report is None:
            self.import_result = "error.unexpected"
            return
        self.map_columns, self.map_preview = report.columns, report.preview
        self.mapping = report.mapping
        if report.needs_mapping:
            if self.map_open:  # the chosen mapping still misses a required field
                missing = (report.errors[0].field or "").split(",") if report.errors else []
                self.map_missing = self._tr(
                    "import.mapping_missing",
                    fields=", ".join(self._tr(f"field.{m}") for m in missing if m))
            self.map_open = True
            self.import_result = "import.needs_mapping"
            self.import_errors = []
            return
        self.map_open, self.map_missing = False, ""
        self.import_errors = [
            {"line": str(e.line), "field": e.field or "", "code": e.code,
             "message": self._tr(e.code, **report.file_params) if e.line == 1
             and report.file_params else self._tr(e.code)}
            for e in report.errors[:200]]
        self.import_result = "import.ok" if report.ok else "import.rejected"
        self.import_total = report.imported if report.ok else report.total_rows
        if report.ok:
            self._read()
