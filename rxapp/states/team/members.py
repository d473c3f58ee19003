"""State of the members page: filters and attribute editing (R-TEAM-5)."""

import logging

import reflex as rx

from rxapp.db import session_scope
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


