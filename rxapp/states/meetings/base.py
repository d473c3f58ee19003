"""What every meetings page state shares: the organizer and partner guards, the event id.

Organizer handlers accept admins and organizers of an organization whose plan has the
meetings module; partner handlers accept only partner users, scoped to the one partner
they are a contact of. Every id a client sends is checked again by the services.
"""

import logging
from collections.abc import Callable
from datetime import date

import reflex as rx
from sqlmodel import Session

from rxapp import routes
from rxapp.db import session_scope
from rxapp.i18n.formats import format_date
from rxapp.models.accounts import Module, Role
from rxapp.services.accounts.auth import Principal
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.common.tenancy import MAX_ID
from rxapp.services.meetings.access import PartnerScope, partner_scope
from rxapp.services.meetings.events import get_event
from rxapp.states.base import STAFF, AppState

logger = logging.getLogger(__name__)
MEETINGS = Module.MEETINGS.value
SAVED = "meetings.saved"


def path_int(path: str, after: str) -> int | None:
    """The number that follows ``after`` in a path such as /events/12/slots."""
    parts = [p for p in (path or "").split("/") if p]
    if after in parts and parts.index(after) + 1 < len(parts):
        value = parts[parts.index(after) + 1]
        if value.isdigit() and len(value) < 12:
            return int(value)
    return None


def text_arg(value: object, limit: int = 200) -> str:
    """A client-sent string, trimmed and cut; anything else becomes empty."""
    return value.strip()[:limit] if isinstance(value, str) else ""


def int_arg(value: object) -> int | None:
    """A client-sent id as an int, or None (bools, floats, dicts and junk refused).

    Ints outside the database's id range are refused too, so a driver never raises
    (OverflowError, DataError) on a huge or negative number.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= MAX_ID else None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 12:
        return int(value.strip())
    return None


def form_arg(value: object) -> dict[str, object]:
    """A client-sent form as a dict; anything else (None, a list, a string) is empty.

    Reflex does not enforce type hints: a hand-written socket client can send any JSON
    as the form, and its values are read with :func:`text_arg` / :func:`int_arg`.
    """
    return value if isinstance(value, dict) else {}


class MeetingsState(AppState):
    """Base of the meetings page states."""

    event_id: int = 0
    event_name: str = ""

    def _organizer(self) -> Principal | None:
        return self._require_module(MEETINGS, *STAFF)

    def _partner(self) -> tuple[Principal, PartnerScope] | None:
        principal = self._require_module(MEETINGS, Role.PARTNER.value)
        if principal is None:
            return None
        try:
            with session_scope() as session:
                scope = partner_scope(session, organization_id=principal.organization_id,
                                      user_id=principal.user_id)
        except NotAllowed:
            return None
        return principal, scope

    def _path_event(self, principal: Principal) -> int | None:
        """The event in the address, if it is the organizer's; sets the header vars."""
        eid = path_int(self.router.url.path, "events")
        if eid is None:
            return None
        try:
            with session_scope() as session:
                event = get_event(session, organization_id=principal.organization_id,
                                  event_id=eid)
                self.event_id, self.event_name = event.id or 0, event.name
        except NotAllowed:
            return None
        return eid

    def _page_event(self, principal: Principal) -> int | None:
        """The event a page works on: the address's on its first read, then the one kept."""
        return self._path_event(principal) if not self.event_id else self.event_id

    def _days(self, first: date, last: date) -> str:
        """An event's days as the reader writes dates: ``10.03.2026 – 11.03.2026``."""
        return f"{format_date(first, self.language)} – {format_date(last, self.language)}"

    def _error(self, err: DomainError):  # noqa: ANN202
        logger.info("meetings action refused", extra={"code": err.code})
        return rx.toast.error(self._tr(err.code))

    def _refused(self):  # noqa: ANN202
        return rx.toast.error(self._tr("error.not_allowed"))

    def _write(  # noqa: ANN202
        self, write: Callable[[Session], object], *, errors: str | None = None,
        field: str = "form", by_field: bool = True, toast: str | None = SAVED,
        count: bool = False,
    ):
        """Run one write in its own transaction, then re-read the page and say so.

        The handler has checked the signed-in user and the ids first; the services check
        the ids again inside ``write``.

        Args:
            write: The service call, given the open session.
            errors: The dict var of a form's errors: a refusal goes there under its field
                and the var is emptied on success. None shows a refusal as an error toast.
            field: The key of a refusal that names no field (of every one if not by_field).
            by_field: False for a form that shows all its errors in one place.
            toast: The key of the message shown on success; None for no message.
            count: The write returns a count, given to the message as ``n``.

        Returns:
            The toast to show, or None.
        """
        try:
            with session_scope() as session:
                result = write(session)
        except DomainError as err:
            if errors is None:
                return self._error(err)
            setattr(self, errors, {(err.field if by_field else None) or field: err.code})
            return None
        if errors is not None:
            setattr(self, errors, {})
        self._read()
        if toast is None:
            return None
        return rx.toast.success(self._tr(toast, n=result) if count else self._tr(toast))


class PartnerLanding(AppState):
    """Sends a partner user from the home page to its partner space."""

    @rx.event
    def redirect_partner(self):  # noqa: ANN201
        """On load of the home page: partner users have no home but their space."""
        principal = self._principal()
        if principal is not None and principal.role == Role.PARTNER.value:
            return rx.redirect(routes.PARTNER_SPACE)
        return None
