"""State of the team CSV import (R-PLUS-10): the shared pipeline, mapping step, progress.

The file is kept in a temporary file (only its id is in the state); the batch's role
and language fill rows whose file has no such column (a participants' Excel export works
as it is). Checking and writing run as background tasks that hold the state lock only
to publish progress (a 5,000-row send outlasts Redis's lock), the job's status lives in
the database (rxapp/states/import_runner.py) so a reload never leaves it stuck, and the
state keeps one page of report rows, never the file.
"""

import asyncio
import logging
from typing import ClassVar

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.models import LANGUAGES, Module
from rxapp.services import team
from rxapp.services.accounts.auth import Principal
from rxapp.services.accounts.org_locale import org_locale
from rxapp.services.common import upload_store
from rxapp.services.team.csv_import import FIELDS
from rxapp.states import import_runner
from rxapp.states.base import ADMIN
from rxapp.states.csv_import import CsvMappingMixin
from rxapp.states.team.base import TeamBaseState

logger = logging.getLogger(__name__)

FIELD_KEYS = [f.key for f in FIELDS]
MAX_CSV_BYTES = 2 * 1024 * 1024
# For the page's text box (pages do not import services).
CSV_MAX_CHARS = team.MAX_CSV_CHARS
# One page of report rows (problems first) travels in the state; counts say the rest.
MAX_SHOWN = 50
JOB_KIND = "team"


class CsvImportState(CsvMappingMixin, TeamBaseState):
    """Bulk invites from a CSV, checked whole before anything is sent (R-PLUS-10)."""

    import_fields: ClassVar[tuple[str, ...]] = tuple(FIELD_KEYS)

    report: list[dict] = []
    ok: bool = False
    problem: str = ""
    problem_text: str = ""
    problems_count: int = 0
    rows_count: int = 0
    sent: str = ""
    file_name: str = ""
    default_role: str = "agent"
    batch_language: str = "en"
    importing: bool = False
    checking: bool = False
    done: int = 0
    total: int = 0

    def _import_guard(self, *, upload: bool = False) -> Principal | None:
        return self._require(*ADMIN, upload=upload)

    def _mapping_changed(self) -> None:
        self.ok = False  # the file must be checked again with the new mapping

    @rx.event
    def load(self) -> None:
        """Start empty, or show the user's send still running (any worker, after a reload)."""
        principal = self._require(*ADMIN)
        job = None if principal is None else import_runner.running_job(
            user_id=principal.user_id, kind=JOB_KIND)
        self.importing, self.checking = job is not None, False
        if job is not None:
            self.done, self.total = job
            return
        self._clear()
        if principal is not None:
            with session_scope() as session:
                self.batch_language = org_locale(
                    session, organization_id=principal.organization_id).language

    def _clear(self) -> None:
        self.report = []
        self.ok = self.map_open = False
        self.problem = self.sent = self.file_name = ""
        self.problems_count = self.rows_count = self.done = self.total = 0
        self.map_columns, self.mapping, self.map_preview = [], [], []

    @rx.event
    def set_default_role(self, value: str) -> None:
        """The role of rows without a role column; any change needs a new check."""
        if value in team.INVITABLE_ROLES:
            self.default_role = value
            self.ok = False

    @rx.event
    def set_batch_language(self, value: str) -> None:
        """The language of the invitees' emails when the file has no language column."""
        if value in LANGUAGES:
            self.batch_language = value
            self.ok = False

    @rx.event
    def cancel_mapping(self) -> None:
        """Drop the file and start again."""
        upload_store.discard(self._upload_id)
        self._upload_id = ""
        self._clear()

    @rx.event
    async def receive_csv(self, files: list[rx.UploadFile]):  # noqa: ANN201
        """Keep the uploaded file and check it at once (nothing is sent)."""
        # The upload request's own cookie decides, not this tab's socket (finding 13.1).
        if self._require(*ADMIN, upload=True) is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        if self.importing:
            return None
        self._clear()
        if not isinstance(files, list) or not files or not hasattr(files[0], "read"):
            self.problem = "import.no_file"
            return None
        data = await files[0].read(MAX_CSV_BYTES + 1)
        if not isinstance(data, bytes) or not data.strip():
            self.problem = "team.csv.empty"
            return None
        if len(data) > MAX_CSV_BYTES:
            self.problem = "team.csv.too_many"
            return None
        self._keep(data, (getattr(files[0], "name", "") or "")[:120])
        return self._check()

    def _keep(self, data: bytes, name: str) -> None:
        upload_store.discard(self._upload_id)
        self._upload_id = upload_store.save(data)
        self.file_name = name or "CSV"

    @rx.event
    def set_csv_text(self, value: str) -> None:
        """Keep a pasted CSV instead of a file; any change needs a new check before sending.

        Text over the limit is refused with a message, not cut: a cut file would silently
        lose rows (one socket message stays under 1 MB).
        """
        if self.importing:
            return
        self._clear()
        if not isinstance(value, str) or not value.strip():
            upload_store.discard(self._upload_id)
            self._upload_id = ""
            return
        if len(value) > team.MAX_CSV_CHARS:
            self.problem = "team.csv.too_large"
            return
        self._keep(value.encode("utf-8"), "")

    def _options(self) -> dict:
        return {"mapping": list(self.mapping) if self.map_open else None,
                "default_role": self.default_role, "default_language": self.batch_language}

    def _check(self):  # noqa: ANN202
        if self._require_module(Module.TEAM.value, *ADMIN) is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        if not self._upload_id:
            self._clear()
            return None
        self.checking = True
        return CsvImportState.run_check

    @rx.event
    def check(self):  # noqa: ANN201
        """Check the kept file again (after a change of role, language or mapping)."""
        return self._check()

    @rx.event(background=True)
    async def run_check(self) -> None:
        """Check every row outside the state lock (5,000 rows take seconds)."""
        async with self:
            principal = self._require_module(Module.TEAM.value, *ADMIN)
            upload_id, options = self._upload_id, self._options()
            if principal is None or not upload_id or self.importing:
                self.checking = False
                return

        def work():  # noqa: ANN202
            data = upload_store.load(upload_id)
            if not data:
                return None
            with session_scope() as session:
                return team.check_csv(session, principal=principal, text=data,
                                      now=clock.now(), **options)

        report = None
        try:
            report = await asyncio.to_thread(work)
        except Exception:
            logger.exception("team csv check failed")
        finally:
            async with self:
                self.checking = False
                if self._upload_id == upload_id:  # not replaced by a newer file meanwhile
                    if report is None:
                        self._clear()
                    else:
                        self._show(report)

    def _show(self, report) -> None:  # noqa: ANN001
        self.problem = report.file_problem
        # A problem with numbers in it (the seats message) is translated here.
        self.problem_text = (self._tr(report.file_problem, **report.problem_params)
                             if report.problem_params else "")
        self.map_columns, self.mapping = report.columns, report.mapping
        self.map_preview = report.preview
        if report.needs_mapping:
            self.map_open = True
        self.ok = report.ok
        self.rows_count = len(report.rows)
        self.problems_count = sum(1 for r in report.rows if r.problems)
        shown = sorted(report.rows, key=lambda r: (not r.problems, r.line))[:MAX_SHOWN]
        self.report = [
            {"line": r.line, "email": r.email, "role": self._tr(f"team.role.{r.role}")
             if r.role in team.INVITABLE_ROLES else r.role,
             "language": r.language.upper(),
             "problems": ", ".join(self._tr(p) for p in r.problems), "ok": not r.problems}
            for r in shown
        ]

    @rx.event
    def send_all(self):  # noqa: ANN201
        """Check the file again and, if every row is fine, invite them all in the background."""
        if self._require(*ADMIN) is None or not self._upload_id or self.importing:
            return None
        return CsvImportState.run_send

    @rx.event(background=True)
    async def run_send(self):  # noqa: ANN201
        """Invite every row or none, showing progress (R-UI-2)."""
        async with self:
            principal = self._require(*ADMIN)
            upload_id, options = self._upload_id, self._options()
            if principal is None or not upload_id or self.importing:
                return
            job_id = await asyncio.to_thread(
                import_runner.open_job, organization_id=principal.organization_id,
                user_id=principal.user_id, kind=JOB_KIND)
            if job_id is None:  # another tab or worker sends this user's file
                self.problem = "import.already_running"
                return
            self.importing = True
            self.done = self.total = 0

        def work(progress):  # noqa: ANN001, ANN202
            data = upload_store.load(upload_id)
            with session_scope() as session:
                return team.invite_csv(session, principal=principal, text=data,
                                       now=clock.now(), progress=progress, **options)

        async def publish(done: int, total: int) -> None:
            async with self:
                self.done, self.total = done, total

        report = None
        try:
            report = await import_runner.run_import(job_id, work, publish)
        except Exception:
            logger.exception("team csv import failed")
        finally:
            async with self:
                self.importing = False
                if report is None:
                    self.problem = "error.unexpected"
                else:
                    self._show(report)
                    if report.sent:
                        self.sent = self._tr("team.csv.sent", n=len(report.rows))
                        upload_store.discard(upload_id)
                        self._upload_id = ""
