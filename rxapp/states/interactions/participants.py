"""Participant overview, participant page and the new-interaction (invite) page (R-INT-1..7)."""

import asyncio
import json
import logging
import threading
from urllib.parse import quote

import reflex as rx

from rxapp import clock, routes
from rxapp.db import session_scope
from rxapp.i18n import translate
from rxapp.models import LANGUAGES, Module
from rxapp.services import interactions
from rxapp.services.common.errors import DomainError, NotAllowed, NotFound
from rxapp.services.common.outbox import list_messages_for
from rxapp.services.common.status_log import get_status_log
from rxapp.services.interactions import participants
from rxapp.services.interactions.questionnaires import ensure_default_questionnaire
from rxapp.states.base import STAFF, AppState

logger = logging.getLogger(__name__)
PAGE_SIZE = 25
SORTS = ("last_name", "first_name", "email", "created_at")
MAX_CSV_BYTES = 5 * 1024 * 1024


def _int(value: object) -> int | None:
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _date(value) -> str:  # noqa: ANN001
    return value.strftime("%Y-%m-%d") if value else ""


def _path_id(path: str, after: str) -> int | None:
    """Read the numeric id that follows ``after`` in a path like /participants/12/new."""
    parts = [p for p in (path or "").split("/") if p]
    if after in parts and parts.index(after) + 1 < len(parts):
        return _int(parts[parts.index(after) + 1])
    return None


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
        if self._guard() is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        if not files:
            return None
        data = await files[0].read(MAX_CSV_BYTES + 1)
        if len(data) > MAX_CSV_BYTES:
            self.import_result = "import.too_large"
            return None
        self._upload = data
        self.import_errors = []
        self.import_result = ""
        return ParticipantsState.run_import

    @rx.event(background=True)
    async def run_import(self):  # noqa: ANN201
        """Check the whole file, then import all rows or none, showing progress (R-UI-2)."""
        async with self:
            principal = self._guard()
            data, self._upload = self._upload, b""
            if principal is None or not data or self.importing:
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


class ParticipantState(AppState):
    """One participant: results dashboard, interactions side panel, creation rules (R-INT-2..4)."""

    found: bool = False
    participant_id: int = 0
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    p_language: str = ""
    can_create: bool = False
    reason: str = ""
    remaining: int = 0
    completed_count: int = 0
    scores: list[dict[str, str | float]] = []
    history: list[dict[str, str]] = []
    items: list[dict[str, str]] = []
    panel_open: bool = False
    open_log_id: int = 0
    log: list[dict[str, str]] = []
    queued: list[dict[str, str]] = []
    confirm_delete_id: int = 0

    def _guard(self):  # noqa: ANN202
        return self._require_module(Module.INTERACTIONS.value, *STAFF)

    def _read(self) -> None:
        principal = self._guard()
        pid = _path_id(self.router.url.path, "participants")
        self.found = False
        if principal is None or pid is None:
            return
        try:
            with session_scope() as session:
                person = participants.get_participant(
                    session, organization_id=principal.organization_id, participant_id=pid
                )
                rows = interactions.list_interactions(
                    session, organization_id=principal.organization_id, participant_id=pid
                )
                eligibility = interactions.can_create_interaction(
                    session, organization_id=principal.organization_id, participant_id=pid
                )
                self.remaining = interactions.remaining_interactions(
                    session, organization_id=principal.organization_id
                )
                completed = [r for r in rows if r.state == "completed"]
                labels = ensure_default_questionnaire(session).dimensions.get("labels", {})
                latest_scores = (
                    interactions.scores_of(session, organization_id=principal.organization_id,
                                           interaction_id=completed[0].id)
                    if completed else {}
                )
        except (NotFound, NotAllowed):
            return
        self.found = True
        self.participant_id = pid
        self.first_name, self.last_name = person.first_name, person.last_name
        self.email, self.p_language = person.email, person.language
        self.can_create = eligibility.allowed
        self.reason = eligibility.reason or ""
        self.completed_count = len(completed)
        ui = self.lang if self.lang in LANGUAGES else "en"
        self.scores = [
            {"dimension": (labels.get(k) or {}).get(ui) or k, "score": round(v, 2)}
            for k, v in latest_scores.items()
        ]
        self.history = [
            {"id": str(r.id), "completed": _date(r.completed_at)} for r in completed
        ]
        self.items = [
            {"id": str(r.id), "state": r.state, "created": _date(r.created_at),
             "completed": _date(r.completed_at), "reminders": "on" if r.reminders_on else "off",
             "open": "yes" if r.state in ("invited", "in_progress") else ""}
            for r in rows if r.state != "deleted"
        ]

    @rx.event
    def load(self) -> None:
        """Read the participant named in the address."""
        self.panel_open = False
        self.open_log_id = 0
        self.confirm_delete_id = 0
        self._read()

    @rx.event
    def toggle_panel(self, value: bool) -> None:
        """Open or close the "manage participant and interactions" side panel."""
        self.panel_open = value is True

    def _act(self, interaction_id: object, action):  # noqa: ANN001, ANN202
        principal = self._guard()
        iid = _int(interaction_id)
        if principal is None or iid is None:
            return None, rx.toast.error(self._tr("error.not_allowed"))
        try:
            with session_scope() as session:
                result = action(session, principal.organization_id, iid)
        except NotAllowed:
            return None, rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            return None, rx.toast.error(self._tr(err.code))
        return result, None

    @rx.event
    def remind(self, interaction_id: str):  # noqa: ANN201
        """Send the link again now (the same link)."""
        _, error = self._act(interaction_id, lambda s, org, iid: interactions.remind_now(
            s, organization_id=org, interaction_id=iid, now=clock.now()))
        if error:
            return error
        self._read()
        return rx.toast.success(self._tr("participant.reminded"))

    @rx.event
    def copy_link(self, interaction_id: str):  # noqa: ANN201
        """Put the participant's link on the clipboard; it never enters the page state."""
        link, error = self._act(interaction_id, lambda s, org, iid: interactions.participant_link(
            s, organization_id=org, interaction_id=iid))
        if error:
            return error
        return [rx.set_clipboard(link), rx.toast.success(self._tr("invite.copied"))]

    @rx.event
    def set_reminders(self, interaction_id: str, on: bool):  # noqa: ANN201
        """Turn weekly reminders on or off until completion (R-INT-6)."""
        _, error = self._act(interaction_id, lambda s, org, iid: interactions.set_reminders(
            s, organization_id=org, interaction_id=iid, on=on is True, now=clock.now()))
        self._read()
        return error

    @rx.event
    def ask_delete(self, interaction_id: str) -> None:
        """Ask for confirmation before deleting an unfinished interaction."""
        self.confirm_delete_id = _int(interaction_id) or 0

    @rx.event
    def cancel_delete(self) -> None:
        """Keep the interaction."""
        self.confirm_delete_id = 0

    @rx.event
    def delete(self):  # noqa: ANN201
        """Delete the unfinished interaction that was confirmed (R-INT-10)."""
        iid, self.confirm_delete_id = self.confirm_delete_id, 0
        _, error = self._act(iid, lambda s, org, i: interactions.delete_interaction(
            s, organization_id=org, interaction_id=i, now=clock.now()))
        if error:
            return error
        self._read()
        return rx.toast.success(self._tr("participant.deleted"))

    @rx.event
    def show_log(self, interaction_id: str) -> None:
        """Show the status log of one interaction (R-MSG-5)."""
        principal = self._guard()
        iid = _int(interaction_id)
        if principal is None or iid is None:
            return
        if self.open_log_id == iid:
            self.open_log_id = 0
            return
        try:
            with session_scope() as session:
                interactions.get_interaction(
                    session, organization_id=principal.organization_id, interaction_id=iid
                )
                rows = get_status_log(session, organization_id=principal.organization_id,
                                      entity_type=interactions.ENTITY, entity_id=iid)
                messages = list_messages_for(session, organization_id=principal.organization_id,
                                             entity_type=interactions.ENTITY, entity_id=iid)
        except (NotFound, NotAllowed):
            return
        # What is still to come (R-MSG-5): queued emails with their planned time.
        self.queued = [
            {"kind": m.kind, "due": m.due_at.strftime("%Y-%m-%d %H:%M UTC")}
            for m in sorted(messages, key=lambda m: m.due_at) if m.state == "scheduled"
        ]
        self.open_log_id = iid
        self.log = [
            {"event": r.event, "at": r.at.strftime("%Y-%m-%d %H:%M UTC"),
             "detail": r.detail if r.event in ("failed", "cancelled") else ""}
            for r in rows
        ]


class InviteState(AppState):
    """The invite page: options, creation, then inviting by hand if wanted (R-INT-5, R-INT-7)."""

    participant_id: int = 0
    participant_name: str = ""
    found: bool = False
    reports_offered: bool = False
    auto_invite: bool = True
    reminders: bool = False
    send_report: bool = True
    created_id: int = 0
    error: str = ""

    def _guard(self):  # noqa: ANN202
        return self._require_module(Module.INTERACTIONS.value, *STAFF)

    @rx.event
    def load(self) -> None:
        """Defaults: invite and report on; reminders follow the organization setting."""
        self.created_id = 0
        self.error = ""
        self.found = False
        principal = self._guard()
        pid = _path_id(self.router.url.path, "participants")
        if principal is None or pid is None:
            return
        from rxapp.services.accounts.organizations import get_profile

        try:
            with session_scope() as session:
                person = participants.get_participant(
                    session, organization_id=principal.organization_id, participant_id=pid
                )
                profile = get_profile(session, principal=principal)
                eligibility = interactions.can_create_interaction(
                    session, organization_id=principal.organization_id, participant_id=pid
                )
        except (NotFound, NotAllowed):
            return
        self.found = True
        self.participant_id = pid
        self.participant_name = f"{person.first_name} {person.last_name}"
        self.reports_offered = profile.reports_included
        self.auto_invite = True
        self.send_report = profile.reports_included
        self.reminders = profile.reminders_default
        self.error = "" if eligibility.allowed else (eligibility.reason or "")

    @rx.event
    def set_auto_invite(self, value: bool) -> None:
        """Invite automatically by email."""
        self.auto_invite = value is True

    @rx.event
    def set_reminders_opt(self, value: bool) -> None:
        """Weekly reminders."""
        self.reminders = value is True

    @rx.event
    def set_send_report(self, value: bool) -> None:
        """Email the report on completion (only offered when the plan has reports)."""
        self.send_report = value is True and self.reports_offered

    @rx.event
    def create(self):  # noqa: ANN201
        """Create the interaction; the server checks the rules again (R-INT-4)."""
        principal = self._guard()
        if principal is None or not self.participant_id:
            return rx.toast.error(self._tr("error.not_allowed"))
        try:
            with session_scope() as session:
                created = interactions.create_interaction(
                    session, organization_id=principal.organization_id,
                    participant_id=self.participant_id, now=clock.now(),
                    auto_invite=self.auto_invite, reminders_on=self.reminders,
                    send_report=self.send_report,
                )
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            self.error = err.code
            return None
        self.created_id = created.interaction_id
        if self.auto_invite:
            return [rx.toast.success(self._tr("invite.sent")),
                    rx.redirect(f"{routes.PARTICIPANTS}/{self.participant_id}")]
        return None

    @rx.event
    def copy_link(self):  # noqa: ANN201
        """Copy the new interaction's link (sent to the clipboard, never kept in state)."""
        link = self._link()
        if link is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        return [rx.set_clipboard(link), rx.toast.success(self._tr("invite.copied"))]

    @rx.event
    def open_mail_program(self):  # noqa: ANN201
        """Open the organizer's mail program with a prepared text in the participant's language."""
        principal = self._guard()
        link = self._link()
        if principal is None or link is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        with session_scope() as session:
            person = participants.get_participant(
                session, organization_id=principal.organization_id,
                participant_id=self.participant_id,
            )
        lang = person.language
        subject = translate(lang, "mailto.subject", org=principal.organization_name)
        body = translate(lang, "mailto.body", name=person.first_name, link=link,
                         sender=principal.full_name or principal.organization_name)
        href = f"mailto:{quote(person.email)}?subject={quote(subject)}&body={quote(body)}"
        return rx.call_script(f"window.location.href = {json.dumps(href)}")

    def _link(self) -> str | None:
        principal = self._guard()
        if principal is None or not self.created_id:
            return None
        try:
            with session_scope() as session:
                return interactions.participant_link(
                    session, organization_id=principal.organization_id,
                    interaction_id=self.created_id,
                )
        except DomainError:
            return None
