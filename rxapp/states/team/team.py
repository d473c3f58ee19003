"""Team pages: dashboard, invitations, stepper, CSV, members, lists, join page (§5).

Handlers are thin: guard, service, view rows. State holds only view values: no
token, no password hash, nothing of another organization.
"""

import asyncio
import logging
import time
from datetime import datetime

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.i18n import translate
from rxapp.models import LANGUAGES
from rxapp.services import team
from rxapp.services.accounts.auth import Principal
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.common.status_log import StatusRow
from rxapp.states.base import ADMIN, AppState

logger = logging.getLogger(__name__)

# Invitations are created this many per transaction, so the progress bar moves.
BULK_CHUNK = 100
# Invitations shown per page: a bulk invite of thousands stays quick to render.
PAGE_SIZE = 50
ANY = "__any__"
FILTER_KINDS = ("role", *team.ATTRIBUTE_KINDS)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def _empty_attributes() -> dict[str, list[str]]:
    return {kind: [] for kind in team.LIST_KINDS}


# Defaults with every kind present, so the page never reads a missing list before load.
EMPTY_OPTIONS: dict[str, list[str]] = {kind: [] for kind in team.ATTRIBUTE_KINDS}


def _str(value: object, limit: int = 1000) -> str:
    return value[:limit] if isinstance(value, str) else ""


def attributes_text(language: str, attributes: dict) -> str:
    """One line such as "Channels: Chat, Phone · Skills: Swedish" in ``language``."""
    parts = []
    for kind in team.ATTRIBUTE_KINDS:
        value = attributes.get(kind)
        label = translate(language, f"team.kind.{kind}")
        if kind == "class_of_service":
            if value:
                parts.append(f"{label}: {translate(language, 'team.cos.' + value)}")
        elif value:
            parts.append(f"{label}: {', '.join(value)}")
    return " · ".join(parts)


def _log_rows(rows: list[StatusRow]) -> list[dict[str, str]]:
    return [{"event": r.event, "at": _when(r.at), "detail": r.detail} for r in rows]


def invitation_rows(principal: Principal, language: str, page: int) -> tuple[int, list[dict]]:
    """One page of the invitations list as view rows, and the total (no state touched)."""
    now = clock.now()
    with session_scope() as session:
        total = team.count_invitations(session, principal=principal)
        rows = team.list_invitations(session, principal=principal, now=now,
                                     offset=page * PAGE_SIZE, limit=PAGE_SIZE)
    return total, [
        {
            "id": r.id, "email": r.email, "role": r.role,
            "attributes": attributes_text(language, r.attributes), "state": r.state,
            "sent": _when(r.last_sent_at), "expires": _when(r.expires_at),
            "renewal": r.renewal_requested_at is not None,
            "log": _log_rows(r.log),
        }
        for r in rows
    ]



def _toggled(chosen: dict[str, list[str]], kind: str, value: str) -> dict[str, list[str]]:
    """A copy of an attribute selection with ``value`` added to or removed from ``kind``."""
    values = list(chosen.get(kind, []))
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return {**chosen, kind: values}

class TeamBaseState(AppState):
    """Shared helpers of the admin team pages (not a page state of its own)."""

    def _attributes_text(self, attributes: dict) -> str:
        return attributes_text(self.language, attributes)


class TeamDashboardState(TeamBaseState):
    """The admin's team dashboard: the Invitations tile and a members summary (R-TEAM-1)."""

    pending: int = 0
    renewals: int = 0
    members: int = 0
    agents: int = 0

    @rx.event
    def load(self) -> None:
        """Count pending invitations and members."""
        principal = self._require(*ADMIN)
        if principal is None:
            return
        now = clock.now()
        with session_scope() as session:
            self.pending = team.pending_count(session, principal=principal, now=now)
            self.renewals = team.count_renewal_requests(session, principal=principal, now=now)
            members = team.list_members(session, principal=principal)
        self.members = len(members)
        self.agents = sum(1 for m in members if m.role == "agent")


class InvitationsState(TeamBaseState):
    """The invitations list, resend and revoke, and the "+" stepper (R-TEAM-1..3)."""

    rows: list[dict] = []
    row_count: int = 0
    page: int = 0
    # Revoke confirmation dialog.
    revoke_id: int = 0
    revoke_email: str = ""
    # The stepper: 0 closed, then 1 role, 2 attributes, 3 addresses.
    step: int = 0
    role: str = "agent"
    options: dict[str, list[str]] = EMPTY_OPTIONS
    chosen: dict[str, list[str]] = EMPTY_OPTIONS
    class_of_service: str = ""
    draft: str = ""
    draft_key: int = 0
    draft_error: str = ""
    chips: list[str] = []
    reported: list[dict[str, str]] = []
    # Bulk sending (R-UI-2).
    sending: bool = False
    progress: int = 0
    total: int = 0
    result: str = ""
    seconds: str = ""

    @rx.var
    def progress_percent(self) -> int:
        """How far the current send is, 0..100."""
        return int(self.progress * 100 / self.total) if self.total else 0

    @rx.var
    def revoke_open(self) -> bool:
        """Whether the revoke confirmation shows."""
        return self.revoke_id != 0

    def _fetch(self, principal: Principal, page: int) -> tuple[int, list[dict]]:
        return invitation_rows(principal, self.language, page)

    def _show_page(self, total: int, rows: list[dict], page: int) -> None:
        self.row_count = total
        self.page = page
        self.rows = rows

    def _reload(self, principal: Principal, page: int | None = None) -> None:
        page = self.page if page is None else page
        total, rows = self._fetch(principal, page)
        if not rows and page > 0:
            page = max(0, (total - 1) // PAGE_SIZE)
            total, rows = self._fetch(principal, page)
        self._show_page(total, rows, page)

    @rx.var
    def page_label(self) -> str:
        """"51–100 / 2003" above the list."""
        if not self.row_count:
            return ""
        first = self.page * PAGE_SIZE + 1
        last = min(self.row_count, first + PAGE_SIZE - 1)
        return f"{first}–{last} / {self.row_count}"

    @rx.var
    def has_next(self) -> bool:
        """Whether a later page exists."""
        return (self.page + 1) * PAGE_SIZE < self.row_count

    @rx.event
    def next_page(self) -> None:
        """Show the next page of invitations."""
        principal = self._require(*ADMIN)
        if principal is not None and self.has_next:
            self._reload(principal, self.page + 1)

    @rx.event
    def previous_page(self) -> None:
        """Show the previous page of invitations."""
        principal = self._require(*ADMIN)
        if principal is not None and self.page > 0:
            self._reload(principal, self.page - 1)

    @rx.event
    def load(self) -> None:
        """Read the invitations; close any dialog."""
        self.step = 0
        self.revoke_id = 0
        principal = self._require(*ADMIN)
        if principal is None:
            self.rows = []
            return
        self._reload(principal, 0)

    # --- resend, revoke, renew ------------------------------------------------

    @rx.event
    def resend(self, invitation_id: int):  # noqa: ANN201
        """Send the same link again; its expiry stays (R-PLUS-3)."""
        principal = self._require(*ADMIN)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        try:
            with session_scope() as session:
                expires = team.resend(session, principal=principal,
                                      invitation_id=invitation_id, now=clock.now())
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            return rx.toast.error(self._tr(err.code))
        self._reload(principal)
        return rx.toast.success(self._tr("team.inv.resent", date=_when(expires)))

    @rx.event
    def ask_revoke(self, invitation_id: int) -> None:
        """Open the confirmation for one row."""
        row = next((r for r in self.rows if r["id"] == invitation_id), None)
        if row is not None:
            self.revoke_id = row["id"]
            self.revoke_email = row["email"]

    @rx.event
    def cancel_revoke(self) -> None:
        """Close the confirmation without revoking."""
        self.revoke_id = 0

    @rx.event
    def confirm_revoke(self):  # noqa: ANN201
        """Revoke the invitation named in the dialog."""
        invitation_id, self.revoke_id = self.revoke_id, 0
        principal = self._require(*ADMIN)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        try:
            with session_scope() as session:
                team.revoke(session, principal=principal, invitation_id=invitation_id,
                            now=clock.now())
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            return rx.toast.error(self._tr(err.code))
        self._reload(principal)
        return rx.toast.success(self._tr("team.inv.revoked"))

    @rx.event
    def revoke(self, invitation_id: int):  # noqa: ANN201
        """Revoke by id (what the dialog's button does; also callable by id)."""
        self.revoke_id = invitation_id if isinstance(invitation_id, int) else 0
        return self.confirm_revoke()

    @rx.event
    def renew(self, invitation_id: int):  # noqa: ANN201
        """Send a fresh link to an invitee whose link expired (R-PLUS-2)."""
        principal = self._require(*ADMIN)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        try:
            with session_scope() as session:
                result = team.renew(session, principal=principal,
                                    invitation_id=invitation_id, now=clock.now())
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            return rx.toast.error(self._tr(err.code))
        self._reload(principal)
        if result.outcome != team.Outcome.INVITED:
            return rx.toast.info(self._tr(f"team.outcome.{result.outcome}"))
        return rx.toast.success(self._tr("team.inv.renewed"))

    # --- the stepper --------------------------------------------------------------

    @rx.event
    def open_stepper(self) -> None:
        """Start a new invite at the role step."""
        principal = self._require(*ADMIN)
        if principal is None:
            return
        with session_scope() as session:
            self.options = team.list_options(session, principal=principal)
        self.step = 1
        self.role = "agent"
        self.chosen = _empty_attributes()
        self.class_of_service = ""
        self.draft = self.draft_error = self.result = self.seconds = ""
        self.draft_key += 1
        self.chips = []
        self.reported = []
        self.progress = self.total = 0

    @rx.event
    def close_stepper(self) -> None:
        """Close the stepper (not while sending)."""
        if not self.sending:
            self.step = 0

    @rx.event
    def set_step_open(self, value: bool) -> None:
        """The dialog's own open/close (Escape, overlay click)."""
        if value is False:
            self.close_stepper()

    @rx.event
    def choose_role(self, value: str) -> None:
        """Pick the role of the new members."""
        if isinstance(value, str) and value in team.INVITABLE_ROLES:
            self.role = value

    @rx.event
    def go_to(self, step: int) -> None:
        """Move between the steps (1..3)."""
        if isinstance(step, int) and 1 <= step <= 3 and self.step and not self.sending:
            self.step = step

    @rx.event
    def toggle_option(self, kind: str, value: str) -> None:
        """Add or remove one attribute value from the selection."""
        if kind not in team.LIST_KINDS or value not in self.options.get(kind, []):
            return
        self.chosen = _toggled(self.chosen, kind, value)

    @rx.event
    def set_class_of_service(self, value: str) -> None:
        """Pick the class of service (or none)."""
        if value == ANY:
            self.class_of_service = ""
        elif isinstance(value, str) and value in team.CLASSES_OF_SERVICE:
            self.class_of_service = value

    @rx.event
    def add_addresses(self, form: dict) -> None:
        """Turn typed or pasted text into chips; invalid ones stay in the field, flagged."""
        principal = self._require(*ADMIN)
        if principal is None:
            return
        text = _str((form or {}).get("addresses") if isinstance(form, dict) else "", 400_000)
        candidates = team.split_addresses(text)[: team.MAX_ADDRESSES]
        with session_scope() as session:
            results = team.check_addresses(session, principal=principal,
                                           emails=[*self.chips, *candidates], now=clock.now())
        results = results[len(self.chips):]
        invalid = [r.email for r in results if r.outcome == team.Outcome.INVALID]
        chips = list(self.chips)
        reported = list(self.reported)
        for r in results:
            if r.outcome == team.Outcome.INVITED:
                chips.append(r.email)
            elif r.outcome not in (team.Outcome.INVALID, team.Outcome.DUPLICATE) and all(
                x["email"] != r.email for x in reported
            ):
                reported.append({"email": r.email, "outcome": r.outcome})
        self.chips = chips
        self.reported = reported
        self.draft = " ".join(invalid)
        self.draft_key += 1
        self.draft_error = (self._tr("team.step.invalid_at_field", list=", ".join(invalid))
                            if invalid else "")

    @rx.event
    def remove_chip(self, email: str) -> None:
        """Take one address out before sending."""
        self.chips = [c for c in self.chips if c != email]

    @rx.event
    def clear_chips(self) -> None:
        """Take every address out."""
        self.chips = []

    @rx.event
    def send(self):  # noqa: ANN201
        """Check the request, then invite in the background with progress (R-UI-2)."""
        principal = self._require(*ADMIN)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        if self.sending:
            return None
        if not self.chips:
            self.draft_error = self._tr("team.error.no_addresses")
            return None
        self.sending = True
        self.progress = 0
        self.total = len(self.chips)
        self.result = self.seconds = ""
        return InvitationsState.run_send

    def _invite_chunk(self, principal: Principal, emails: list[str], role: str,
                      attributes: dict) -> int:
        with session_scope() as session:
            results = team.invite_many(session, principal=principal, emails=emails, role=role,
                                       attributes=attributes, now=clock.now())
        return sum(r.outcome == team.Outcome.INVITED for r in results)

    @rx.event(background=True)
    async def run_send(self):  # noqa: ANN201
        """Create the invitations chunk by chunk; the database work runs outside the lock."""
        async with self:
            principal = self._require(*ADMIN)
            if principal is None or not self.sending:
                self.sending = False
                return
            emails = list(self.chips)
            language = self.language
            role = self.role
            attributes = {**self.chosen, "class_of_service": self.class_of_service}
        started = time.perf_counter()
        invited = 0
        error = ""
        for start in range(0, len(emails), BULK_CHUNK):
            chunk = emails[start:start + BULK_CHUNK]
            try:
                invited += await asyncio.to_thread(self._invite_chunk, principal, chunk, role,
                                                   attributes)
            except (NotAllowed, DomainError) as err:
                error = err.code
                break
            async with self:
                self.progress = min(start + len(chunk), len(emails))
        elapsed = time.perf_counter() - started
        logger.info("bulk invite", extra={"count": len(emails), "invited": invited,
                                          "seconds": round(elapsed, 2)})
        # Read the first page outside the lock; only the assignment needs it.
        total, rows = await asyncio.to_thread(invitation_rows, principal, language, 0)
        async with self:
            self.sending = False
            self._show_page(total, rows, 0)
            if error:
                self.result = self._tr(error)
                return
            self.result = self._tr("team.step.done", n=invited)
            self.seconds = self._tr("team.step.took", seconds=f"{elapsed:.1f}")
            self.chips = []
            self.reported = []
            self.step = 0
        yield rx.toast.success(self._tr("team.step.done", n=invited))


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
        """Keep the pasted CSV; any change needs a new check before sending."""
        self.csv_text = _str(value, 2_000_000)
        self.ok = False

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


class MembersState(TeamBaseState):
    """Members with role and attributes, filterable by each (R-TEAM-5), editable by an admin."""

    rows: list[dict] = []
    filters: dict[str, str] = {}
    options: dict[str, list[str]] = EMPTY_OPTIONS
    edit_id: int = 0
    edit_name: str = ""
    edit_chosen: dict[str, list[str]] = EMPTY_OPTIONS
    edit_cos: str = ""
    edit_error: str = ""

    @rx.var
    def edit_open(self) -> bool:
        """Whether the edit dialog shows."""
        return self.edit_id != 0

    def _reload(self, principal: Principal) -> None:
        with session_scope() as session:
            self.options = team.list_options(session, principal=principal)
            members = team.list_members(session, principal=principal, filters=self.filters)
        self.rows = [
            {"id": m.id, "name": m.full_name, "email": m.email, "role": m.role,
             "attributes": self._attributes_text(m.attributes),
             "raw": {k: m.attributes.get(k) or ([] if k in team.LIST_KINDS else "")
                     for k in team.ATTRIBUTE_KINDS}}
            for m in members
        ]

    @rx.event
    def load(self) -> None:
        """Read the members with the current filters."""
        self.edit_id = 0
        principal = self._require(*ADMIN)
        if principal is None:
            self.rows = []
            return
        self._reload(principal)

    @rx.event
    def set_filter(self, kind: str, value: str) -> None:
        """Filter by role or one attribute; "any" removes the filter."""
        if kind not in FILTER_KINDS or not isinstance(value, str):
            return
        filters = dict(self.filters)
        if value == ANY or not value:
            filters.pop(kind, None)
        else:
            filters[kind] = value[:100]
        self.filters = filters
        principal = self._require(*ADMIN)
        if principal is not None:
            self._reload(principal)

    @rx.event
    def clear_filters(self) -> None:
        """Show every member."""
        self.filters = {}
        principal = self._require(*ADMIN)
        if principal is not None:
            self._reload(principal)

    @rx.event
    def start_edit(self, user_id: int) -> None:
        """Open the attribute editor for one member."""
        row = next((r for r in self.rows if r["id"] == user_id), None)
        if row is None:
            return
        self.edit_id = row["id"]
        self.edit_name = row["name"] or row["email"]
        self.edit_chosen = {k: list(row["raw"].get(k) or []) for k in team.LIST_KINDS}
        self.edit_cos = row["raw"].get("class_of_service") or ""
        self.edit_error = ""

    @rx.event
    def cancel_edit(self) -> None:
        """Close the editor without saving."""
        self.edit_id = 0

    @rx.event
    def set_edit_open(self, value: bool) -> None:
        """The dialog's own close."""
        if value is False:
            self.edit_id = 0

    @rx.event
    def toggle_edit(self, kind: str, value: str) -> None:
        """Add or remove one value in the editor."""
        if kind not in team.LIST_KINDS or value not in self.options.get(kind, []):
            return
        self.edit_chosen = _toggled(self.edit_chosen, kind, value)

    @rx.event
    def set_edit_cos(self, value: str) -> None:
        """Pick the member's class of service."""
        if value == ANY:
            self.edit_cos = ""
        elif isinstance(value, str) and value in team.CLASSES_OF_SERVICE:
            self.edit_cos = value

    @rx.event
    def save_edit(self):  # noqa: ANN201
        """Store the member's attributes (admin only, own organization)."""
        principal = self._require(*ADMIN)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        try:
            with session_scope() as session:
                team.update_member_attributes(
                    session, principal=principal, user_id=self.edit_id,
                    attributes={**self.edit_chosen, "class_of_service": self.edit_cos})
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            self.edit_error = self._tr(err.code)
            return None
        self.edit_id = 0
        self._reload(principal)
        return rx.toast.success(self._tr("team.members.saved"))


class AttributeListsState(TeamBaseState):
    """The organization's attribute lists (admins only)."""

    options: dict[str, list[str]] = EMPTY_OPTIONS
    errors: dict[str, str] = {}
    form_key: int = 0

    @rx.event
    def load(self) -> None:
        """Read the lists."""
        self.errors = {}
        principal = self._require(*ADMIN)
        if principal is None:
            self.options = dict(EMPTY_OPTIONS)
            return
        with session_scope() as session:
            self.options = team.list_options(session, principal=principal)

    @rx.event
    def add(self, form: dict) -> None:
        """Add the value typed under one list."""
        principal = self._require(*ADMIN)
        if principal is None:
            return
        form = form if isinstance(form, dict) else {}
        kind = _str(form.get("kind"), 40)
        try:
            with session_scope() as session:
                team.add_option(session, principal=principal, kind=kind,
                                value=_str(form.get("value"), 200))
        except NotAllowed:
            return
        except DomainError as err:
            self.errors = {kind: err.code}
            return
        self.errors = {}
        self.form_key += 1
        with session_scope() as session:
            self.options = team.list_options(session, principal=principal)

    @rx.event
    def remove(self, kind: str, value: str) -> None:
        """Remove one value from a list."""
        principal = self._require(*ADMIN)
        if principal is None or not isinstance(kind, str) or not isinstance(value, str):
            return
        with session_scope() as session:
            team.remove_option(session, principal=principal, kind=kind, value=value)
            self.options = team.list_options(session, principal=principal)


class JoinState(AppState):
    """The invitee's page behind the emailed link (R-TEAM-4, R-PLUS-2)."""

    checked: bool = False
    status: str = ""
    invite_org: str = ""
    invite_role: str = ""
    invite_email: str = ""
    done: bool = False
    asked: bool = False
    name_error: str = ""
    password_error: str = ""
    confirm_error: str = ""
    form_error: str = ""

    def _token(self) -> str:
        path = self.router.url.path or ""
        return path.rstrip("/").rsplit("/", 1)[-1] if path.startswith("/join/") else ""

    @rx.event
    def load(self) -> None:
        """Tell at once what the link is worth; speak the invitation's language."""
        self.done = False
        self.name_error = self.password_error = self.confirm_error = self.form_error = ""
        with session_scope() as session:
            info = team.link_status(session, token=self._token(), now=clock.now())
        self.status = info.status
        self.invite_org = info.organization_name
        self.invite_role = info.role
        self.invite_email = info.email
        self.asked = info.renewal_requested
        if info.status != team.LinkStatus.UNKNOWN and info.language in LANGUAGES:
            self.lang = info.language
        self.checked = True

    @rx.event
    def submit(self, form: dict) -> None:
        """Create the member's account; the link works once."""
        form = form if isinstance(form, dict) else {}
        name = _str(form.get("full_name"), 300)
        password = _str(form.get("password"), 1000)
        confirm = _str(form.get("confirm"), 1000)
        self.name_error = self.password_error = self.form_error = ""
        self.confirm_error = "" if password == confirm else "error.password_mismatch"
        if not name.strip():
            self.name_error = "team.error.name_required"
        if self.confirm_error or self.name_error:
            return
        try:
            with session_scope() as session:
                team.accept(session, token=self._token(), full_name=name, password=password,
                            now=clock.now())
        except DomainError as err:
            if err.field == "full_name":
                self.name_error = err.code
            elif err.field == "password":
                self.password_error = err.code
            else:
                self.status = err.code.rsplit(".", 1)[-1]
            return
        self.done = True

    @rx.event
    def ask_new_link(self) -> None:
        """An expired link: tell the organization's admins (R-PLUS-2)."""
        try:
            with session_scope() as session:
                team.request_renewal(session, token=self._token(), now=clock.now())
        except DomainError as err:
            self.status = err.code.rsplit(".", 1)[-1]
            return
        self.asked = True


__all__ = [
    "AttributeListsState",
    "CsvImportState",
    "InvitationsState",
    "JoinState",
    "MembersState",
    "TeamDashboardState",
]
