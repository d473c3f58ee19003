"""State of one organization in the console: plan form, usage, history, requests."""

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.services import platform
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.platform.plans import MODULES
from rxapp.states.base import OPERATOR, AppState
from rxapp.states.platform.console import _when, request_rows


def _org_id(path: str) -> int | None:
    parts = (path or "").rstrip("/").split("/")
    if len(parts) >= 4 and parts[-2] == "org" and parts[-1].isdigit():
        return int(parts[-1])
    return None


class PlatformOrgState(AppState):
    """One customer organization's plan, editable by an operator; every change is logged."""

    found: bool = False
    org_id: int = 0
    name: str = ""
    modules: list[str] = []
    interactions_bought: str = ""
    interactions_used: int = 0
    max_per_participant: str = ""
    reports_included: bool = False
    team_seats: str = ""
    seats_used: int = 0
    participants: int = 0
    history: list[dict[str, str]] = []
    requests: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    form_key: int = 0

    def _read(self, principal) -> None:  # noqa: ANN001
        oid = _org_id(self.router.url.path)
        self.found = False
        if oid is None:
            return
        try:
            with session_scope() as session:
                org = platform.get_organization(session, principal=principal,
                                                organization_id=oid, now=clock.now())
                history = platform.plan_history(session, principal=principal,
                                                organization_id=oid)
                requests = platform.list_requests(session, principal=principal,
                                                  organization_id=oid, open_only=False)
        except NotAllowed:
            return
        self.found = True
        self.org_id = org.id
        self.name = org.name
        self.modules = list(org.modules)
        self.interactions_bought = str(org.interactions_bought)
        self.interactions_used = org.interactions_used
        self.max_per_participant = str(org.max_interactions_per_participant)
        self.reports_included = org.reports_included
        self.team_seats = str(org.team_seats)
        self.seats_used = org.seats_used
        self.participants = org.participants
        self.history = [
            {"at": _when(h.at), "field": h.field, "old": h.old_value, "new": h.new_value,
             "by": h.by, "note": h.note}
            for h in history
        ]
        self.requests = request_rows(requests)
        self.form_key += 1

    @rx.event
    def load(self) -> None:
        """Read the organization named in the address (operators only)."""
        self.errors = {}
        principal = self._require(*OPERATOR)
        if principal is None:
            self.found = False
            return
        self._read(principal)

    @rx.event
    def toggle_module(self, module: str) -> None:
        """Add or remove a module in the form (saved with the form)."""
        if module not in MODULES:
            return
        self.modules = ([m for m in self.modules if m != module] if module in self.modules
                        else [*self.modules, module])

    @rx.event
    def set_reports_included(self, value: bool) -> None:
        """Toggle individual reports in the form (saved with the form)."""
        self.reports_included = value is True

    @rx.event
    def save(self, form: dict):  # noqa: ANN201
        """Store the plan; each changed field goes to the history."""
        principal = self._require(*OPERATOR)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        form = form if isinstance(form, dict) else {}
        try:
            with session_scope() as session:
                platform.update_plan(
                    session, principal=principal, organization_id=self.org_id,
                    modules=list(self.modules),
                    interactions_bought=str(form.get("interactions_bought", ""))[:12],
                    max_interactions_per_participant=str(
                        form.get("max_interactions_per_participant", ""))[:12],
                    reports_included=self.reports_included,
                    team_seats=str(form.get("team_seats", ""))[:12],
                    note=str(form.get("note", ""))[:500], now=clock.now())
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            self.errors = {err.field or "form": err.code}
            return None
        self.errors = {}
        self._read(principal)
        return rx.toast.success(self._tr("plans.saved"))

    @rx.event
    def mark_handled(self, request_id: int):  # noqa: ANN201
        """Close one of this organization's requests."""
        principal = self._require(*OPERATOR)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        try:
            with session_scope() as session:
                platform.mark_handled(session, principal=principal, request_id=request_id,
                                      now=clock.now())
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        self._read(principal)
        return None
