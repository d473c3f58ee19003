"""State of the participants CSV import: upload, mapping step, progress, report (R-INT-1).

Bulk data stays out of the state: the uploaded file lives in a temporary file named by a
random id (a backend-only var), and only counts, the header, three preview rows and the
first problems travel to the browser. The job's status lives in the database
(rxapp/states/import_runner.py), so a reload, another worker or a cancelled task never
leaves the import stuck.
"""

import asyncio
import logging

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.models import Module
from rxapp.services.common import upload_store
from rxapp.services.interactions import participants
from rxapp.services.interactions.participant_import import FIELDS
from rxapp.states import import_runner
from rxapp.states.base import STAFF, AppState
from rxapp.states.interactions.common import MAX_CSV_BYTES

logger = logging.getLogger(__name__)

FIELD_KEYS = [f.key for f in FIELDS]
MAX_SHOWN_ERRORS = 200
JOB_KIND = "participants"
_ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16",
              "windows-1252": "Windows-1252"}
_DELIMITERS = {",": "import.delimiter.comma", ";": "import.delimiter.semicolon",
               "\t": "import.delimiter.tab"}


class ParticipantImportState(AppState):
    """Import participants from a CSV, with a mapping step when headers are unknown."""

    importing: bool = False
    import_done: int = 0
    import_total: int = 0
    import_errors: list[dict[str, str]] = []
    more_errors: int = 0
    import_result: str = ""
    import_message: str = ""
    read_as: str = ""
    # The mapping step: file columns, the field chosen for each ("" = ignore), preview.
    map_open: bool = False
    map_columns: list[str] = []
    mapping: list[str] = []
    map_preview: list[list[str]] = []
    map_missing: str = ""
    _upload_id: str = ""
    # Who uploaded: the import runs only for that same user's socket (finding 13.1).
    _upload_user_id: int = 0

    def _guard(self):  # noqa: ANN202
        return self._require_module(Module.INTERACTIONS.value, *STAFF)

    @rx.var
    def map_rows(self) -> list[dict]:
        """One row per file column for the mapping step: name, chosen field, samples."""
        return [
            {"index": str(i), "column": name,
             "field": self.mapping[i] if i < len(self.mapping) else "",
             "samples": " · ".join(r[i] for r in self.map_preview if i < len(r) and r[i])}
            for i, name in enumerate(self.map_columns)
        ]

    @rx.event
    def load(self) -> None:
        """Show a job still running (any worker, after a reload), or start clean.

        The database, not this tab's state, says whether an import runs: a state saved
        with ``importing`` on by a task that is gone never blocks the page.
        """
        principal = self._guard()
        job = None if principal is None else import_runner.running_job(
            user_id=principal.user_id, kind=JOB_KIND)
        self.importing = job is not None
        if job is not None:
            self.import_done, self.import_total = job
            return
        self._reset_view()

    def _reset_view(self) -> None:
        self.import_result = self.import_message = self.read_as = self.map_missing = ""
        self.import_errors = []
        self.more_errors = 0
        self.map_open = False
        self.map_columns, self.mapping, self.map_preview = [], [], []

    @rx.event
    async def receive_csv(self, files: list[rx.UploadFile]):  # noqa: ANN201
        """Keep the uploaded file in a temporary file, then check it in the background."""
        # The upload request's own cookie decides, not this tab's socket (finding 13.1).
        principal = self._require_module(Module.INTERACTIONS.value, *STAFF, upload=True)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        if self.importing:
            return None
        self._reset_view()
        # Reflex does not enforce the type hint: `files` can arrive as anything.
        if not isinstance(files, list) or not files or not hasattr(files[0], "read"):
            return self._refuse("import.no_file")
        data = await files[0].read(MAX_CSV_BYTES + 1)
        if not isinstance(data, bytes):
            return self._refuse("import.no_file")
        if len(data) > MAX_CSV_BYTES:
            return self._refuse("import.too_large")
        if not data.strip():
            return self._refuse("import.empty")
        upload_store.discard(self._upload_id)
        self._upload_id = upload_store.save(data)
        self._upload_user_id = principal.user_id
        return ParticipantImportState.run_import

    def _refuse(self, code: str) -> None:
        self.import_result = code
        self.import_message = self._tr(code)

    @rx.event
    def set_mapping(self, index: str, value: str) -> None:
        """Choose the field a file column fills (``ignore`` leaves it out)."""
        try:
            i = int(index)
        except (TypeError, ValueError):
            return
        if not 0 <= i < len(self.mapping):
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
        self._upload_id = ""
        self._upload_user_id = 0
        self._reset_view()

    @rx.event
    def apply_mapping(self):  # noqa: ANN201
        """Import the kept file with the chosen mapping."""
        if self._guard() is None or not self._upload_id or self.importing:
            return None
        return ParticipantImportState.run_import

    @rx.event(background=True)
    async def run_import(self):  # noqa: ANN201
        """Check the whole file, then import all rows or none, showing progress (R-UI-2).

        The state lock is held only to publish progress; the job's status lives in the
        database and is closed whatever happens (a reload, a cancelled task).
        """
        async with self:
            principal = self._guard()
            upload_id = self._upload_id
            mapping = list(self.mapping) if self.map_open else None
            if principal is None or principal.user_id != self._upload_user_id:
                return None
            if not upload_id or self.importing:
                return None
            job_id = await asyncio.to_thread(
                import_runner.open_job, organization_id=principal.organization_id,
                user_id=principal.user_id, kind=JOB_KIND)
            if job_id is None:  # another tab or worker runs this user's import
                self._refuse("import.already_running")
                return None
            self.importing = True
            self.import_done = self.import_total = 0

        def work(progress):  # noqa: ANN001, ANN202
            data = upload_store.load(upload_id)
            with session_scope() as session:
                return participants.import_participants_csv(
                    session, organization_id=principal.organization_id, data=data,
                    now=clock.now(), progress=progress, mapping=mapping,
                )

        async def publish(done: int, total: int) -> None:
            async with self:
                self.import_done, self.import_total = done, total

        report = None
        try:
            report = await import_runner.run_import(job_id, work, publish)
        except Exception:
            logger.exception("participant import failed")
        finally:
            # A cancelled task may not get the lock again; the job row is closed already
            # and the next load reads it, so this write is a courtesy to a live tab.
            async with self:
                self.importing = False
                if report is None:
                    self.import_result = "error.unexpected"
                    self.import_message = self._tr("error.unexpected")
                else:
                    self._show_report(report)
        if report is not None:
            logger.info("participant import finished: %s rows, imported %s, %s problems",
                        report.total_rows, report.imported, len(report.errors))
        if report is not None and (report.ok or not report.needs_mapping):
            upload_store.discard(upload_id)
        if report is not None and report.ok:
            from rxapp.states.interactions.overview import ParticipantsState

            return ParticipantsState.load
        return None

    def _show_report(self, report) -> None:  # noqa: ANN001
        delimiter = self._tr(_DELIMITERS.get(report.delimiter, "import.delimiter.comma"))
        encoding = _ENCODINGS.get(report.encoding, report.encoding)
        self.read_as = self._tr("import.read_as", encoding=encoding,
                                delimiter=delimiter) if report.encoding else ""
        self.map_columns = report.columns
        self.map_preview = report.preview
        self.mapping = report.mapping
        if report.needs_mapping:
            if self.map_open:  # the chosen mapping still misses a required field
                missing = (report.errors[0].field or "").split(",") if report.errors else []
                self.map_missing = self._tr(
                    "import.mapping_missing",
                    fields=", ".join(self._tr(f"field.{m}") for m in missing if m))
            self.map_open = True
            self.import_result = "import.needs_mapping"
            self.import_message = self._tr("import.needs_mapping")
            self.import_errors = []
            return
        self.map_open = False
        self.map_missing = ""
        self.import_errors = [
            {"line": str(e.line), "field": e.field or "", "code": e.code,
             "message": self._tr(e.code, **report.file_params) if e.line == 1 and
             report.file_params else self._tr(e.code)}
            for e in report.errors[:MAX_SHOWN_ERRORS]
        ]
        self.more_errors = max(0, len(report.errors) - MAX_SHOWN_ERRORS)
        if report.ok:
            self.import_result = "import.ok"
            self.import_message = self._tr("import.ok", n=report.imported)
            self.import_total = self.import_done = report.imported
        else:
            self.import_result = "import.rejected"
            self.import_message = self._tr("import.rejected")
        if report.encoding == "windows-1252":
            self.read_as += " " + self._tr("import.encoding_guessed", encoding=encoding)
