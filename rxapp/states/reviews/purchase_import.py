"""State of the purchases CSV import: upload, mapping step, progress, report (issue 11).

Bulk data stays out of the state: the uploaded bytes live in the upload store under a
random id (a backend-only var), and only counts, the header, three preview rows and the
first problems travel to the browser. The background task clears ``importing`` in
``finally`` and a page load forgets a job no task runs any more, so a reload never leaves
the import stuck. Only the user whose upload request brought the file can start it.
"""

import asyncio
import logging
import threading

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.models import Module
from rxapp.services.common import upload_store
from rxapp.services.reviews.csv_import import FIELD_KEYS as _KEYS
from rxapp.services.reviews.csv_import import import_purchases_csv
from rxapp.states.base import STAFF, AppState

logger = logging.getLogger(__name__)

FIELD_KEYS = list(_KEYS)
MAX_UPLOAD = 5 * 1024 * 1024
MAX_SHOWN_ERRORS = 200
_RUNNING: set[str] = set()  # upload ids a background task is working on (this process)
_ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16",
              "windows-1252": "Windows-1252"}
_DELIMITERS = {",": "import.delimiter.comma", ";": "import.delimiter.semicolon",
               "\t": "import.delimiter.tab"}


class PurchaseImportState(AppState):
    """Import purchases from a CSV, with a mapping step when headers are unknown."""

    importing: bool = False
    import_done: int = 0
    import_total: int = 0
    import_errors: list[dict[str, str]] = []
    more_errors: int = 0
    import_result: str = ""
    import_message: str = ""
    read_as: str = ""
    map_open: bool = False
    map_columns: list[str] = []
    mapping: list[str] = []
    map_preview: list[list[str]] = []
    map_missing: str = ""
    _upload_id: str = ""
    _upload_user_id: int = 0

    def _guard(self):  # noqa: ANN202
        return self._require_module(Module.REVIEWS.value, *STAFF)

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
        """Start clean; forget a job that no task runs any more (after a reload)."""
        if self.importing and self._upload_id not in _RUNNING:
            self.importing = False
        if not self.importing:
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
        """Keep the uploaded file in the upload store, then check it in the background."""
        # The upload request's own cookie decides, not this tab's socket (finding 13.1).
        principal = self._require_module(Module.REVIEWS.value, *STAFF, upload=True)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        if self.importing:
            return None
        self._reset_view()
        # Reflex does not enforce the type hint: `files` can arrive as anything.
        if not isinstance(files, list) or not files or not hasattr(files[0], "read"):
            return self._refuse("import.no_file")
        data = await files[0].read(MAX_UPLOAD + 1)
        if not isinstance(data, bytes):
            return self._refuse("import.no_file")
        if len(data) > MAX_UPLOAD:
            return self._refuse("reviews.csv_too_big")
        if not data.strip():
            return self._refuse("reviews.csv_empty")
        upload_store.discard(self._upload_id)
        self._upload_id = upload_store.save(data)
        self._upload_user_id = principal.user_id
        return PurchaseImportState.run_import

    @rx.event
    def set_mapping(self, index: str, value: str) -> None:
        """Choose the field a file column fills (``ignore`` leaves it out)."""
        try:
            i = int(index)
        except (TypeError, ValueError):
            return
        if not 0 <= i < len(self.mapping) or not isinstance(value, str):
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
        return PurchaseImportState.run_import

    @rx.event(background=True)
    async def run_import(self):  # noqa: ANN201
        """Check the whole file, then record all purchases or none, showing progress."""
        async with self:
            principal = self._guard()
            upload_id = self._upload_id
            mapping = list(self.mapping) if self.map_open else None
            if principal is None or principal.user_id != self._upload_user_id:
                return None
            if not upload_id or self.importing:
                return None
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
                return import_purchases_csv(
                    session, organization_id=principal.organization_id, data=data,
                    now=clock.now(), progress=progress, mapping=mapping,
                )

        report = None
        try:
            task = asyncio.create_task(asyncio.to_thread(work))
            while not task.done():
                await asyncio.sleep(0.25)
                async with self:
                    with lock:
                        self.import_done, self.import_total = counter["done"], counter["total"]
            report = task.result()
        except Exception:
            logger.exception("purchase import failed")
        finally:
            _RUNNING.discard(upload_id)
            async with self:
                self.importing = False
                if report is None:
                    self._refuse("error.unexpected")
                else:
                    self._show_report(report)
            if report is None or report.ok or not report.needs_mapping:
                upload_store.discard(upload_id)
        if report is not None and report.ok:
            from rxapp.states.reviews.purchases import PurchasesState

            return PurchasesState.reload_list
        return None

    def _row_message(self, error, params: dict) -> str:  # noqa: ANN001
        """The reason, after the field's label when the row names one."""
        if error.code == "import.empty":
            return self._tr("reviews.csv_empty")
        if error.line == 1 and params:
            return self._tr(error.code, **params)
        text = self._tr(error.code)
        if error.field in FIELD_KEYS:
            return f"{self._tr('field.' + error.field)}: {text}"
        return text

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
            self._refuse("import.needs_mapping")
            self.import_errors = []
            return
        self.map_open = False
        self.map_missing = ""
        self.import_errors = [
            {"line": str(e.line), "field": e.field or "", "code": e.code,
             "message": self._row_message(e, report.file_params)}
            for e in report.errors[:MAX_SHOWN_ERRORS]
        ]
        self.more_errors = max(0, len(report.errors) - MAX_SHOWN_ERRORS)
        if report.ok:
            self.import_result = "import.ok"
            self.import_message = self._tr(
                "reviews.csv_result", created=report.imported,
                duplicates=report.duplicates, capped=report.capped)
            self.import_total = self.import_done = report.total_rows
        else:
            self._refuse("import.rejected")
        if report.encoding == "windows-1252":
            self.read_as += " " + self._tr("import.encoding_guessed", encoding=encoding)
