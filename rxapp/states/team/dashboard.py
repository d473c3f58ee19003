"""State of the team dashboard (R-TEAM-1)."""

import logging

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.models import Module
from rxapp.services import team
from rxapp.states.base import ADMIN
from rxapp.states.team.base import TeamBaseState

logger = logging.getLogger(__name__)


class TeamDashboardState(TeamBaseState):
    """The admin's team dashboard: the Invitations tile and a members summary (R-TEAM-1)."""

    pending: int = 0
    renewals: int = 0
    members: int = 0
    agents: int = 0

    @rx.event
    def load(self) -> None:
        """Count pending invitations and members."""
        principal = self._require_module(Module.TEAM.value, *ADMIN)
        if principal is None:
            return
        now = clock.now()
        with session_scope() as session:
            self.pending = team.pending_count(session, principal=principal, now=now)
            self.renewals = team.count_renewal_requests(session, principal=principal, now=now)
            members = team.list_members(session, principal=principal)
        self.members = len(members)
        self.agents = sum(1 for m in members if m.role == "agent")


