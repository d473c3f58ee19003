"""State of the members page: filters and attribute editing (R-TEAM-5)."""

import logging

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.models import Module
from rxapp.services import team
from rxapp.services.accounts.auth import Principal
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.states.base import ADMIN
from rxapp.states.team.base import ANY, EMPTY_OPTIONS, FILTER_KINDS, TeamBaseState, _toggled

logger = logging.getLogger(__name__)


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
    # The member whose deactivation waits for confirmation (0: none).
    confirm_deactivate_id: int = 0
    confirm_deactivate_name: str = ""

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
             "active": m.active, "me": m.id == principal.user_id,
             "attributes": self._attributes_text(m.attributes),
             "raw": {k: m.attributes.get(k) or ([] if k in team.LIST_KINDS else "")
                     for k in team.ATTRIBUTE_KINDS}}
            for m in members
        ]

    @rx.event
    def load(self) -> None:
        """Read the members with the current filters."""
        self.edit_id = 0
        principal = self._require_module(Module.TEAM.value, *ADMIN)
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
        principal = self._require_module(Module.TEAM.value, *ADMIN)
        if principal is not None:
            self._reload(principal)

    @rx.event
    def clear_filters(self) -> None:
        """Show every member."""
        self.filters = {}
        principal = self._require_module(Module.TEAM.value, *ADMIN)
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
        principal = self._require_module(Module.TEAM.value, *ADMIN)
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



    def _member_action(self, action):  # noqa: ANN001, ANN202
        """Run ``action(session, principal)`` for an admin; return an error toast or None."""
        principal = self._require_module(Module.TEAM.value, *ADMIN)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        try:
            with session_scope() as session:
                action(session, principal)
        except team.SeatsExceeded as err:
            return rx.toast.error(self._tr(err.code, **err.params()))
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            return rx.toast.error(self._tr(err.code))
        self._reload(principal)
        return None

    @rx.event
    def change_role(self, user_id: int, role: str):  # noqa: ANN201
        """Give another member a new role (admin only, own organization)."""
        error = self._member_action(lambda session, principal: team.set_member_role(
            session, principal=principal, user_id=user_id, role=role))
        return error or rx.toast.success(self._tr("team.members.role_changed"))

    @rx.event
    def ask_deactivate(self, user_id: int) -> None:
        """Ask before deactivating: the member's sessions end at once."""
        row = next((r for r in self.rows if r["id"] == user_id and not r["me"]), None)
        if row is not None:
            self.confirm_deactivate_id = user_id
            self.confirm_deactivate_name = row["name"] or row["email"]

    @rx.event
    def cancel_deactivate(self) -> None:
        """Keep the member active."""
        self.confirm_deactivate_id = 0

    @rx.event
    def deactivate(self):  # noqa: ANN201
        """Deactivate the confirmed member: sessions end, their pending invitations stop."""
        user_id, self.confirm_deactivate_id = self.confirm_deactivate_id, 0
        error = self._member_action(lambda session, principal: team.deactivate_member(
            session, principal=principal, user_id=user_id, now=clock.now()))
        return error or rx.toast.success(self._tr("team.members.deactivated"))

    @rx.event
    def reactivate(self, user_id: int):  # noqa: ANN201
        """Let a deactivated member sign in again (needs a free seat)."""
        error = self._member_action(lambda session, principal: team.reactivate_member(
            session, principal=principal, user_id=user_id, now=clock.now()))
        return error or rx.toast.success(self._tr("team.members.reactivated"))
