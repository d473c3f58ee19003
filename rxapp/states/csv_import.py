"""What every CSV import's state shares: the mapping step, the upload, the job, the report.

Participants, attendees and purchases import a file the same way (issue 14.8): the upload
request's own cookie decides who may send it, the bytes wait in the upload store under a
random id (a backend-only var), a background task checks and writes them with
:mod:`rxapp.states.import_runner` (the job's status in the database, the state lock held
only to publish progress, the bookkeeping closed in ``finally``), and only counts, the
header, three preview rows and the first problems travel to the browser.

A feature state mixes :class:`CsvImportMixin` in before its base state (an ``AppState``,
whose ``_tr`` and guards the mixin uses) and keeps only what is its own: the guard, the
field keys, the job kind, the work (the service call) and the texts of its report. Its
settings are ``ClassVar``s: a plain class attribute of a Reflex state becomes a state var.
The team import, which checks before it sends, shares only the mapping step
(:class:`CsvMappingMixin`).
"""

import asyncio
import logging
from collections.abc import Callable
from typing import Any, ClassVar

import reflex as rx

from rxapp.services.accounts.auth import Principal
from rxapp.services.common import upload_store
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.states import import_runner

logger = logging.getLogger(__name__)

MAX_SHOWN_ERRORS = 200
_ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16",
              "windows-1252": "Windows-1252"}
_DELIMITERS = {",": "import.delimiter.comma", ";": "import.delimiter.semicolon",
               "\t": "import.delimiter.tab"}

# The import thread's work: called with ``progress(done, total)``, returns the report.
Work = Callable[[Callable[[int, int], None]], Any]


class CsvMappingMixin(rx.State, mixin=True):
    """The mapping step: file column -> field ("" = ignore), with a few sample values.

    The state that mixes it in sets ``import_fields`` and defines ``_import_guard``.
    """

    # The feature's field keys (what a column may fill).
    import_fields: ClassVar[tuple[str, ...]] = ()
    map_open: bool = False
    map_columns: list[str] = []
    mapping: list[str] = []
    map_preview: list[list[str]] = []
    # The uploaded file lives in the upload store, named by this random id (R-INT-1).
    _upload_id: str = ""

    def _import_guard(self, *, upload: bool = False) -> Principal | None:
        """The signed-in user allowed to import here (``upload``: the upload's cookie)."""
        raise NotImplementedError

    def _mapping_changed(self) -> None:
        """Called after each change of the mapping (a check must be done again)."""

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
    def set_mapping(self, index: str, value: str) -> None:
        """Choose the field a file column fills (``ignore`` leaves it out)."""
        if self._import_guard() is None:
            return
        # Reflex does not enforce the type hints: anything can arrive here.
        if isinstance(index, bool) or not isinstance(index, int | str):
            return
        try:
            i = int(index)
        except ValueError:
            return
        if not 0 <= i < len(self.mapping) or not isinstance(value, str):
            return
        value = "" if value == "ignore" else value
        if value and value not in self.import_fields:
            return
        # A field is filled by one column: take it from any other.
        mapping = ["" if value and m == value else m for m in self.mapping]
        mapping[i] = value
        self.mapping = mapping
        self._mapping_changed()


class CsvImportMixin(CsvMappingMixin, mixin=True):
    """Upload, mapping step, background import with progress, and the report.

    The state that mixes it in sets ``import_kind`` (the job kind) and ``import_fields``,
    defines ``_import_guard``, ``_import_work`` and ``_ok_message``, and may override
    ``_row_message`` and ``_import_succeeded``.
    """

    # The job kind in the database: one running job of each kind per user.
    import_kind: ClassVar[str] = ""
    import_max_bytes: ClassVar[int] = 5_000_000
    too_large_code: ClassVar[str] = "import.too_large"
    empty_code: ClassVar[str] = "import.empty"

    importing: bool = False
    import_done: int = 0
    import_total: int = 0
    import_errors: list[dict[str, str]] = []
    more_errors: int = 0
    # A message code ("import.ok", "import.rejected", …) and its text for this reader.
    import_result: str = ""
    import_message: str = ""
    read_as: str = ""
    map_missing: str = ""
    # Who uploaded: the import runs only for that same user's socket (finding 13.1).
    _upload_user_id: int = 0

    # --- what the feature fills in -------------------------------------------------

    def _import_work(self, principal: Principal, upload_id: str,
                     mapping: list[str] | None) -> Work:
        """The import to run in a thread (runs under the state lock: read vars here)."""
        raise NotImplementedError

    def _ok_message(self, report: Any) -> str:  # noqa: ANN401 - each feature its report
        """The text shown once the file is imported."""
        raise NotImplementedError

    def _import_succeeded(self) -> Any:  # noqa: ANN401 - an event or None
        """After an import went in (under the state lock): the event to run next, if any."""
        return None

    def _row_message(self, error: Any, params: dict) -> str:  # noqa: ANN401
        """The text of one problem; a file problem (line 1) fills in its numbers."""
        if error.line == 1 and params:
            return self._tr(error.code, **params)
        return self._tr(error.code)

    # --- the shared pipeline -------------------------------------------------------

    @rx.event
    def load(self) -> None:
        """Show a job still running (any worker, after a reload), or start clean."""
        self._resume_import()

    def _resume_import(self) -> None:
        """Take ``importing`` and the progress from the database, not from this state.

        A state saved with ``importing`` on by a task that is gone (a reload, another
        worker) never blocks the page.
        """
        principal = self._import_guard()
        job = None if principal is None else import_runner.running_job(
            user_id=principal.user_id, kind=self.import_kind)
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

    def _refuse(self, code: str) -> None:
        self.import_result = code
        self.import_message = self._tr(code)

    @rx.event
    async def receive_csv(self, files: list[rx.UploadFile]):  # noqa: ANN201
        """Keep the uploaded file in the upload store, then import it in the background."""
        # The upload request's own cookie decides, not this tab's socket (finding 13.1).
        principal = self._import_guard(upload=True)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        if self.importing:
            return None
        self._reset_view()
        # Reflex does not enforce the type hint: `files` can arrive as anything.
        if not isinstance(files, list) or not files or not hasattr(files[0], "read"):
            return self._refuse("import.no_file")
        data = await files[0].read(self.import_max_bytes + 1)
        if not isinstance(data, bytes):
            return self._refuse("import.no_file")
        if len(data) > self.import_max_bytes:
            return self._refuse(self.too_large_code)
        if not data.strip():
            return self._refuse(self.empty_code)
        upload_store.discard(self._upload_id)
        self._upload_id = upload_store.save(data)
        self._upload_user_id = principal.user_id
        return type(self).run_import

    @rx.event
    def cancel_mapping(self) -> None:
        """Leave the mapping step; the uploaded file is dropped."""
        if self.importing:
            return
        upload_store.discard(self._upload_id)
        self._upload_id, self._upload_user_id = "", 0
        self._reset_view()

    @rx.event
    def apply_mapping(self):  # noqa: ANN201
        """Import the kept file with the chosen mapping."""
        if self._import_guard() is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        if not self._upload_id or self.importing:
            return None
        return type(self).run_import

    @rx.event(background=True)
    async def run_import(self):  # noqa: ANN201
        """Check the whole file, then write every row or none, showing progress (R-UI-2).

        The state lock is held only to publish progress; the job's status lives in the
        database and is closed whatever happens (a reload, a cancelled task).
        """
        async with self:
            principal = self._import_guard()
            upload_id = self._upload_id
            mapping = list(self.mapping) if self.map_open else None
            if principal is None or principal.user_id != self._upload_user_id:
                return None
            if not upload_id or self.importing:
                return None
            kind = self.import_kind
            job_id = await asyncio.to_thread(
                import_runner.open_job, organization_id=principal.organization_id,
                user_id=principal.user_id, kind=kind)
            if job_id is None:  # another tab or worker runs this user's import
                self._refuse("import.already_running")
                return None
            self.importing = True
            self.import_done = self.import_total = 0
            work = self._import_work(principal, upload_id, mapping)

        async def publish(done: int, total: int) -> None:
            async with self:
                self.import_done, self.import_total = done, total

        report, after = None, None
        try:
            report = await import_runner.run_import(job_id, work, publish)
        except (DomainError, NotAllowed) as err:  # e.g. the event is not the organizer's
            logger.info("%s import refused: %s", kind, getattr(err, "code", err))
        except Exception:
            logger.exception("%s import failed", kind)
        finally:
            # The file is kept only for the mapping step that follows.
            if report is None or not report.needs_mapping:
                upload_store.discard(upload_id)
            # A cancelled task may not get the lock again; the job row is closed already
            # and the next load reads it, so this write is a courtesy to a live tab.
            async with self:
                self.importing = False
                if report is None:
                    self._refuse("error.unexpected")
                else:
                    self._show_report(report)
                    if report.ok:
                        after = self._import_succeeded()
        if report is not None:
            logger.info("%s import finished: %s rows, imported %s, %s problems", kind,
                        report.total_rows, report.imported, len(report.errors))
        return after

    def _show_report(self, report: Any) -> None:  # noqa: ANN401
        tr = self._tr
        delimiter = tr(_DELIMITERS.get(report.delimiter, "import.delimiter.comma"))
        encoding = _ENCODINGS.get(report.encoding, report.encoding)
        self.read_as = tr("import.read_as", encoding=encoding,
                          delimiter=delimiter) if report.encoding else ""
        self.map_columns, self.map_preview = report.columns, report.preview
        self.mapping = report.mapping
        if report.needs_mapping:
            if self.map_open:  # the chosen mapping still misses a required field
                missing = (report.errors[0].field or "").split(",") if report.errors else []
                self.map_missing = tr("import.mapping_missing",
                                      fields=", ".join(tr(f"field.{m}") for m in missing if m))
            self.map_open = True
            self._refuse("import.needs_mapping")
            self.import_errors = []
            return
        self.map_open, self.map_missing = False, ""
        self.import_errors = [
            {"line": str(e.line), "field": e.field or "", "code": e.code,
             "message": self._row_message(e, report.file_params)}
            for e in report.errors[:MAX_SHOWN_ERRORS]
        ]
        self.more_errors = max(0, len(report.errors) - MAX_SHOWN_ERRORS)
        if report.ok:
            self.import_result = "import.ok"
            self.import_message = self._ok_message(report)
            self.import_total = self.import_done = report.total_rows
        else:
            self._refuse("import.rejected")
        if report.encoding == "windows-1252":
            self.read_as += " " + tr("import.encoding_guessed", encoding=encoding)
