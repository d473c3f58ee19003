"""State of the console's start page: every organization and the open requests."""

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.services import platform
from rxapp.services.common.errors import NotAllowed
from rxapp.states.base import OPERATOR, AppState


def _when(value) -> str:  # noqa: ANN001
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def request_rows(rows: list[platform.RequestRow]) -> list[dict[str, str]]:
    """Requests as view rows."""
    return [
        {"id": str(r.id), "org_id": str(r.organization_id), "org": r.organization_name,
         "kind": r.kind, "by": r.by, "message": r.message, "at": _when(r.created_at),
         "handled": _when(r.handled_at)}
        for r in rows
    ]


class PlatformState(AppState):
    """Organizations with plan and usage, and requests waiting for the vendor."""

    orgs: list[dict[str, str]] = []
    requests: list[dict[str, str]] = []
    query: str = ""

    def _reload(self, principal) -> None:  # noqa: ANN001
        with session_scope() as session:
            orgs = platform.list_organizations(session, principal=principal, now=clock.now(),
                                               query=self.query)
            requests = platform.list_requests(session, principal=principal)
        self.orgs = [
            {"id": str(o.id), "name": o.name, "modules": ",".join(o.modules),
             "interactions": f"{o.interactions_used} / {o.interactions_bought}",
             "max": str(o.max_interactions_per_participant),
             "seats": f"{o.seats_used} / {o.team_seats}",
             "participants": str(o.participants), "requests": str(o.open_requests)}
            for o in orgs
        ]
        self.requests = request_rows(requests)

    @rx.event
    def load(self) -> None:
        """Read every organization and the open requests (operators only)."""
        principal = self._require(*OPERATOR)
        if principal is None:
            self.orgs, self.requests = [], []
            return
        self._reload(principal)

    @rx.event
    def search(self, form: dict) -> None:
        """Filter organizations by name."""
        principal = self._require(*OPERATOR)
        if principal is None:
            return
        value = form.get("q", "") if isinstance(form, dict) else ""
        self.query = value.strip()[:100] if isinstance(value, str) else ""
        self._reload(principal)

    @rx.event
    def mark_handled(self, request_id: int):  # noqa: ANN201
        """Close a request from the list."""
        principal = self._require(*OPERATOR)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        try:
            with session_scope() as session:
                platform.mark_handled(session, principal=principal, request_id=request_id,
                                      now=clock.now())
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        self._reload(principal)
        return None
