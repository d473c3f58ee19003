"""The participant's page behind the emailed link (R-INT-8): mobile first, no password.

The token in the address is the only credential. It is read from the address on
every event and never copied into state; nothing of other people is ever loaded.
"""

import reflex as rx

from rxapp import clock
from rxapp.db import in_session, session_scope
from rxapp.services.common.errors import DomainError
from rxapp.services.interactions import taking
from rxapp.services.interactions.reports import build_report_pdf
from rxapp.states.base import AppState


class TakeState(AppState):
    """One question at a time; answers saved as given; resume on reopening."""

    status: str = "loading"  # loading | invalid | welcome | question | review | done
    org: str = ""
    first_name: str = ""
    title: str = ""
    scale: list[str] = []
    questions: list[dict[str, str]] = []
    answers: dict[str, int] = {}
    index: int = 0
    report_available: bool = False
    report_emailed: bool = False
    saving: bool = False

    def _token(self) -> str:
        parts = [p for p in (self.router.url.path or "").split("/") if p]
        return parts[1] if len(parts) >= 2 and parts[0] == "i" else ""

    @rx.var
    def total(self) -> int:
        """Number of questions."""
        return len(self.questions)

    @rx.var
    def answered(self) -> int:
        """Number of answers saved."""
        return len(self.answers)

    @rx.var
    def current(self) -> dict[str, str]:
        """The question on screen."""
        if 0 <= self.index < len(self.questions):
            return self.questions[self.index]
        return {"id": "", "text": "", "number": ""}

    @rx.var
    def current_value(self) -> int:
        """The saved answer of the question on screen (0 when none)."""
        return self.answers.get(self.current.get("id", ""), 0)

    # The handlers below are the page hundreds of invitees use at once (bench-load): their
    # database work runs on a worker thread (in_session) so the event loop keeps serving
    # the other tabs while one waits on the database.

    @rx.event
    async def load(self) -> None:
        """Open the link: unknown or deleted links get a clear page; others resume."""
        self.status = "loading"
        view = await in_session(taking.open_by_token, token=self._token(), now=clock.now())
        if view is None:
            self.status = "invalid"
            return
        self.lang = view.language
        self.org = view.organization_name
        self.first_name = view.first_name
        self.title = view.title
        self.scale = view.scale
        self.report_available = view.report_available
        self.report_emailed = view.report_emailed
        self.questions = [
            {"id": str(q.id), "text": q.text, "number": str(i + 1)}
            for i, q in enumerate(view.questions)
        ]
        self.answers = {str(k): v for k, v in view.answers.items()}
        if view.completed:
            self.status = "done"
        elif view.next_position is None:
            self.status = "review"
        elif view.answers:
            # Resume where the participant stopped.
            self.index = next(
                (i for i, q in enumerate(view.questions) if q.id not in view.answers), 0
            )
            self.status = "question"
        else:
            self.index = 0
            self.status = "welcome"

    @rx.event
    def start(self) -> None:
        """From the welcome screen to the first unanswered question."""
        self.index = next(
            (i for i, q in enumerate(self.questions) if q["id"] not in self.answers), 0
        )
        self.status = "question"

    @rx.event
    async def answer(self, value: int):  # noqa: ANN201
        """Save the answer to the question on screen at once, then move on."""
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            return None
        question = self.current
        if not question.get("id"):
            return None
        try:
            await in_session(taking.answer_by_token, autocommit=True, token=self._token(),
                             question_id=int(question["id"]), value=value, now=clock.now())
        except DomainError as err:
            if err.code in ("take.link_invalid", "interaction.deleted"):
                self.status = "invalid"
                return None
            if err.code == "interaction.already_completed":
                self.status = "done"
                return None
            return rx.toast.error(self._tr(err.code))
        self.answers = {**self.answers, question["id"]: value}
        nxt = next(
            (i for i in range(self.index + 1, len(self.questions))
             if self.questions[i]["id"] not in self.answers),
            None,
        )
        if nxt is None:
            nxt = next(
                (i for i, q in enumerate(self.questions) if q["id"] not in self.answers), None
            )
        if nxt is None:
            self.status = "review"
        else:
            self.index = nxt
        return None

    @rx.event
    def back(self) -> None:
        """To the previous question (its answer can be changed)."""
        if self.status == "review":
            self.status = "question"
            self.index = len(self.questions) - 1
        elif self.index > 0:
            self.index -= 1

    @rx.event
    def download_report(self):  # noqa: ANN201
        """Hand the participant their report as a download (the plan must include reports)."""
        with session_scope() as session:
            view = taking.open_by_token(session, token=self._token(), now=clock.now())
            if view is None or not view.completed or not view.report_available:
                return None
            pdf = build_report_pdf(session, organization_id=view.organization_id,
                                   interaction_id=view.interaction_id, language=view.language)
        return rx.download(data=pdf, filename="report.pdf")

    @rx.event
    async def finish(self):  # noqa: ANN201
        """Send the answers in: results are computed and the report goes out if chosen."""
        try:
            await in_session(taking.finish_by_token, token=self._token(), now=clock.now())
        except DomainError as err:
            if err.code == "interaction.already_completed":
                self.status = "done"
                return None
            if err.code in ("take.link_invalid", "interaction.deleted"):
                self.status = "invalid"
                return None
            return rx.toast.error(self._tr(err.code))
        self.status = "done"
        return None
