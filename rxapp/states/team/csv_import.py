"""State of the team CSV import (R-PLUS-10)."""

import logging

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.services import team
from rxapp.states.base import ADMIN
from rxapp.states.team.base import TeamBaseState, _str

logger = logging.getLogger(__name__)
# For the page's text box (pages do not import services).
CSV_MAX_CHARS = team.MAX_CSV_CHARS


class CsvImportState(TeamBaseState):
    """Bulk invites from a CSV, checked whole before anything is sent (R-PLUS-10)."""

    report: list[dict] = []
    ok: bool = False
    problem: str = ""
    problems_count: int = 0
    sent: str = ""
    csv_text: str = ""

    @rx.event
    def load(self) -> None:
        """Start empty."""
        self.report = []
        self.ok = False
        self.problem = self.sent = self.csv_text = ""
        self.problems_count = 0

    @rx.event
    def set_csv_text(self, value: str) -> None:
        """Keep the pasted CSV; any change needs a new check before sending.

        Text over the limit is refused with a message, not cut: a cut file would
        silently lose rows.
        """
        self.ok = False
        self.report = []
        if isinstance(value, str) and len(value) > team.MAX_CSV_CHARS:
            self.csv_text = ""
            self.problem = "team.csv.too_large"
            return
        self.csv_text = _str(value, team.MAX_CSV_CHARS)
        self.problem = ""

    def _run(self, *, send: bool):  # noqa: ANN202
        principal = self._require(*ADMIN)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        text = self.csv_text
        with session_scope() as session:
            fn = team.invite_csv if send else team.check_csv
            report = fn(session, principal=principal, text=text, now=clock.now())
        self.problem = report.file_problem
        self.ok = report.ok
        self.problems_count = sum(1 for r in report.rows if r.problems)
        self.report = [
            {
                "line": r.line, "email": r.email, "role": r.role,
                "problems": ", ".join(self._tr(p) for p in r.problems),
                "ok": not r.problems,
            }
            for r in report.rows
        ]
        self.sent = self._tr("team.csv.sent", n=len(report.rows)) if report.sent else ""
        return None

    @rx.event
    def check(self):  # noqa: ANN201
        """Check the file; nothing is written."""
        return self._run(send=False)

    @rx.event
    def send_all(self):  # noqa: ANN201
        """Check the file again and, if every row is fine, invite them all."""
        return self._run(send=True)


