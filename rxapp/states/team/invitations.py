"""State of the invitations list and the invite stepper (R-TEAM-1..3, R-PLUS-3)."""

import asyncio
import logging
import time

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.models import LANGUAGES, Module
from rxapp.services import team
from rxapp.services.accounts.auth import Principal
from rxapp.services.accounts.org_locale import org_locale
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.common.person_fields import zone_ok
from rxapp.states import import_runner
from rxapp.states.base import ADMIN
from rxapp.states.team.base import (
    ANY,
    BULK_CHUNK,
    EMPTY_OPTIONS,
    PAGE_SIZE,
    TeamBaseState,
    _empty_attributes,
    _str,
    _toggled,
    _when,
    invitation_rows,
)

logger = logging.getLogger(__name__)

# After a send, the list is read again every few seconds until the scheduler is done.
FOLLOW_SECONDS = 2.0
JOB_KIND = "team_invite"
FOLLOW_ROUNDS = 15


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
    invitee_language: str = "en"
    invitee_zone: str = ""
    org_zone: str = ""
    zone_error: str = ""
    options: dict[str, list[str]] = EMPTY_OPTIONS
    chosen: dict[str, list[str]] = EMPTY_OPTIONS
    class_of_service: str = ""
    draft: str = ""
    draft_key: int = 0
    draft_error: str = ""
    # The plan's seats would be exceeded: said before anything is sent (R-PLUS-10).
    seats_error: str = ""
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
        principal = self._require_module(Module.TEAM.value, *ADMIN)
        if principal is not None and self.has_next:
            self._reload(principal, self.page + 1)

    @rx.event
    def previous_page(self) -> None:
        """Show the previous page of invitations."""
        principal = self._require_module(Module.TEAM.value, *ADMIN)
        if principal is not None and self.page > 0:
            self._reload(principal, self.page - 1)

    @rx.event
    def load(self) -> None:
        """Read the invitations; close any dialog.

        ``sending`` comes from the database: a send whose task is gone (a reload, a
        stopped worker) never blocks the stepper.
        """
        self.step = 0
        self.revoke_id = 0
        principal = self._require_module(Module.TEAM.value, *ADMIN)
        if principal is None:
            self.rows = []
            self.sending = False
            return
        self.sending = import_runner.running_job(
            user_id=principal.user_id, kind=JOB_KIND) is not None
        self._reload(principal, 0)

    # --- resend, revoke, renew ------------------------------------------------

    @rx.event
    def resend(self, invitation_id: int):  # noqa: ANN201
        """Send the same link again; its expiry stays (R-PLUS-3)."""
        principal = self._require_module(Module.TEAM.value, *ADMIN)
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
        with session_scope() as session:
            zone = org_locale(session, organization_id=principal.organization_id).timezone
        return rx.toast.success(self._tr("team.inv.resent",
                                         date=_when(expires, self.language, zone)))

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
        principal = self._require_module(Module.TEAM.value, *ADMIN)
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
        principal = self._require_module(Module.TEAM.value, *ADMIN)
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
        principal = self._require_module(Module.TEAM.value, *ADMIN)
        if principal is None:
            return
        with session_scope() as session:
            self.options = team.list_options(session, principal=principal)
        self.step = 1
        self.role = "agent"
        with session_scope() as session:
            found = org_locale(session, organization_id=principal.organization_id)
        self.invitee_language, self.org_zone = found.language, found.timezone
        self.invitee_zone = self.zone_error = ""
        self.chosen = _empty_attributes()
        self.class_of_service = ""
        self.draft = self.draft_error = self.result = self.seconds = self.seats_error = ""
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
    def choose_invitee_language(self, value: str) -> None:
        """The language of this batch's emails (default: the organization's)."""
        if isinstance(value, str) and value in LANGUAGES:
            self.invitee_language = value

    @rx.event
    def set_invitee_zone(self, value: str) -> None:
        """The batch's time zone (empty: the organization's); checked at once."""
        if not isinstance(value, str):
            return
        self.invitee_zone = value.strip()[:64]
        ok = not self.invitee_zone or zone_ok(self.invitee_zone)
        self.zone_error = "" if ok else self._tr("participant.time_zone_unknown")

    @rx.event
    def choose_role(self, value: str) -> None:
        """Pick the role of the new members."""
        if isinstance(value, str) and value in team.INVITABLE_ROLES:
            self.role = value

    @rx.event
    def go_to(self, step: int) -> None:
        """Move between the steps (1..3); not past the first with an unknown zone."""
        if self.zone_error:
            return
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
        principal = self._require_module(Module.TEAM.value, *ADMIN)
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
        principal = self._require_module(Module.TEAM.value, *ADMIN)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        if self.sending:
            return None
        if not self.chips:
            self.draft_error = self._tr("team.error.no_addresses")
            return None
        self.seats_error = ""
        try:
            with session_scope() as session:
                team.check_seats(session, organization_id=principal.organization_id,
                                 adding=len(self.chips), now=clock.now())
        except team.SeatsExceeded as err:
            self.seats_error = self._tr(err.code, **err.params())
            return None
        self.sending = True
        self.progress = 0
        self.total = len(self.chips)
        self.result = self.seconds = ""
        return InvitationsState.run_send

    def _invite_chunk(self, principal: Principal, emails: list[str], role: str,
                      attributes: dict, language: str | None = None,
                      time_zone: str | None = None) -> int:
        with session_scope() as session:
            results = team.invite_many(session, principal=principal, emails=emails, role=role,
                                       attributes=attributes, now=clock.now(),
                                       language=language, time_zone=time_zone)
        return sum(r.outcome == team.Outcome.INVITED for r in results)

    @rx.event(background=True)
    async def run_send(self):  # noqa: ANN201
        """Create the invitations chunk by chunk; the database work runs outside the lock."""
        async with self:
            principal = self._require_module(Module.TEAM.value, *ADMIN)
            if principal is None or not self.sending:
                self.sending = False
                return
            emails = list(self.chips)
            language = self.language
            role = self.role
            invitee_language = self.invitee_language
            invitee_zone = self.invitee_zone or None
            attributes = {**self.chosen, "class_of_service": self.class_of_service}
        started = time.perf_counter()
        invited = 0
        error = ""
        job_id = await asyncio.to_thread(
            import_runner.open_job, organization_id=principal.organization_id,
            user_id=principal.user_id, kind=JOB_KIND)
        if job_id is None:  # another tab or worker sends this user's invitations
            async with self:
                self.sending = False
                self.seats_error = self._tr("import.already_running")
            return
        ok = False
        try:
            for start in range(0, len(emails), BULK_CHUNK):
                chunk = emails[start:start + BULK_CHUNK]
                try:
                    invited += await asyncio.to_thread(
                        self._invite_chunk, principal, chunk, role, attributes,
                        invitee_language, invitee_zone)
                except team.SeatsExceeded as err:
                    error = self._tr(err.code, **err.params())
                    break
                except (NotAllowed, DomainError) as err:
                    error = self._tr(err.code)
                    break
                done = min(start + len(chunk), len(emails))
                await asyncio.to_thread(import_runner.heartbeat, job_id, done=done,
                                        total=len(emails))
                async with self:
                    self.progress = done
            ok = not error
        finally:
            import_runner.close_job(job_id, ok=ok, result=error[:64] if error else "done")
        elapsed = time.perf_counter() - started
        logger.info("bulk invite", extra={"count": len(emails), "invited": invited,
                                          "seconds": round(elapsed, 2)})
        # Read the first page outside the lock; only the assignment needs it.
        total, rows = await asyncio.to_thread(invitation_rows, principal, language, 0)
        async with self:
            self.sending = False
            self._show_page(total, rows, 0)
            if error:
                self.seats_error = error
                return
            self.result = self._tr("team.step.done", n=invited)
            self.seconds = self._tr("team.step.took", seconds=f"{elapsed:.1f}")
            self.chips = []
            self.reported = []
            self.step = 0
        yield rx.toast.success(self._tr("team.step.done", n=invited))
        yield InvitationsState.follow_sends

    @rx.event(background=True)
    async def follow_sends(self):  # noqa: ANN201
        """Refresh the list while the scheduler sends in the background (R-MSG-5).

        Without it, "sent" stays empty until a reload; this re-reads the shown page a
        few times, outside the state lock, and stops once every row has been sent.
        """
        for _ in range(FOLLOW_ROUNDS):
            await asyncio.sleep(FOLLOW_SECONDS)
            async with self:
                principal = self._require_module(Module.TEAM.value, *ADMIN)
                if principal is None or self.sending:
                    return
                language, page = self.language, self.page
            total, rows = await asyncio.to_thread(invitation_rows, principal, language, page)
            async with self:
                if self.sending or self.page != page:
                    return
                self._show_page(total, rows, page)
            if all(r["sent"] or r["state"] != "pending" for r in rows):
                return


