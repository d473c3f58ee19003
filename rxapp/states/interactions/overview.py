"""State of the participant overview: search, paging, add, CSV import (R-INT-1, R-INT-2)."""

import asyncio
import logging
import threading

import reflex as rx

from rxapp import clock, routes
from rxapp.db import session_scope
from rxapp.models import Module
from rxapp.services import interactions
from rxapp.services.common.errors import DomainError
from rxapp.services.interactions import participants
from rxapp.states.base import STAFF, AppState
from rxapp.states.interactions.common import MAX_CSV_BYTES, PAGE_SIZE, SORTS

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
    importing: bool = False
    import_done: int = 0
    import_total: int = 0
    import_errors: list[dict[str, str]] = []
    import_result: str = ""
    _upload: bytes = b""
    # Who uploaded: the import runs only for that same user's socket.
    _upload_user_id: int = 0

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
        self.import_result = ""
        self.import_errors = []
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
        """Open or close the add-participant dialog."""
        self.add_open = value is True
        self.add_errors = {}

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

    @rx.event
    async def receive_csv(self, files: list[rx.UploadFile]):  # noqa: ANN201
        """Take the uploaded CSV, then check and import it in the background."""
        # The upload request's own cookie decides, not this tab's socket (finding 13.1).
        principal = self._require_module(Module.INTERACTIONS.value, *STAFF, upload=True)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
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
        self.import_errors = []
        self.import_result = ""
        return ParticipantsState.run_import

    @rx.event(background=True)
    async def run_import(self):  # noqa: ANN201
        """Check the whole file, then import all rows or none, showing progress (R-UI-2)."""
        async with self:
            principal = self._guard()
            data, self._upload = self._upload, b""
            uploader, self._upload_user_id = self._upload_user_id, 0
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
                return participants.import_participants_csv(
                    session, organization_id=principal.organization_id, data=data,
                    now=clock.now(), progress=progress,
                )

        task = asyncio.create_task(asyncio.to_thread(work))
        while not task.done():
            await asyncio.sleep(0.2)
            async with self:
                with lock:
                    self.import_done, self.import_total = counter["done"], counter["total"]
        try:
            report = task.result()
        except Exception:
            logger.exception("import failed")
            async with self:
                self.importing = False
                self.import_result = "error.unexpected"
            return
        async with self:
            self.importing = False
            self.import_done = self.import_total = report.total_rows
            self.import_errors = [
                {"line": str(e.line), "field": e.field or "", "code": e.code}
                for e in report.errors
            ]
            self.import_result = "import.ok" if report.ok else "import.rejected"
            self.import_total = report.imported if report.ok else report.total_rows
            self._read()


