"""The partner space's shared part: the event switcher, the quota counter, the spaces.

Every handler resolves the signed-in partner user's own partner again, in the event the
user chose (kept in this session's state and checked on every call, R-BM-6).
"""

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.models.accounts import Role
from rxapp.models.meetings import Event, Partner
from rxapp.services.accounts.auth import Principal
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.meetings import quotas, spaces
from rxapp.services.meetings.access import PartnerScope, partner_events, partner_scope
from rxapp.states.meetings.base import MEETINGS, MeetingsState, form_arg, int_arg, text_arg


class PartnerBase(MeetingsState):
    """The quota counter and spaces every partner page shows."""

    partner_name: str = ""
    quota_level: str = ""
    quota_left: str = ""
    quota_used: int = 0
    quota_pending: int = 0
    space_options: list[dict[str, str]] = []
    can_manage_spaces: bool = False
    no_partner: bool = False
    # The event the partner works in, for this user's session; checked on every handler
    # (a partner exhibiting at several events switches, R-BM-6). 0: the newest.
    partner_event_id: int = 0
    partner_events: list[dict[str, str]] = []

    def _partner(self) -> tuple[Principal, PartnerScope] | None:
        """The signed-in partner user and its partner in the chosen event, checked again.

        A chosen event the user no longer works in (contact removed, module off) falls
        back to the newest one they do.
        """
        principal = self._require_module(MEETINGS, Role.PARTNER.value)
        if principal is None:
            return None
        with session_scope() as session:
            scope = None
            for wanted in ((self.partner_event_id or None), None):
                try:
                    scope = partner_scope(session, organization_id=principal.organization_id,
                                          user_id=principal.user_id, event_id=wanted)
                    break
                except NotAllowed:
                    continue
        if scope is None:
            self.partner_event_id = 0
            return None
        self.partner_event_id = scope.event_id
        return principal, scope

    @rx.event
    def switch_event(self, event_id: str):  # noqa: ANN201
        """Work in another event this partner user is a sales contact in."""
        principal = self._require_module(MEETINGS, Role.PARTNER.value)
        wanted = int_arg(event_id)
        if principal is None or wanted is None:
            return self._refused()
        try:
            with session_scope() as session:
                partner_scope(session, organization_id=principal.organization_id,
                              user_id=principal.user_id, event_id=wanted)
        except NotAllowed:
            return self._refused()
        self.partner_event_id = wanted
        return type(self).load

    def _header(self, session, scope: PartnerScope) -> tuple[Partner, Event]:  # noqa: ANN001
        partner = session.get(Partner, scope.partner_id)
        event = session.get(Event, scope.event_id)
        book = quotas.ledger(session, partner=partner, event=event)
        self.partner_name, self.event_name = partner.name, event.name
        self.quota_level = book.level
        self.quota_left = "∞" if book.left is None else str(book.left)
        self.quota_used, self.quota_pending = book.used, book.pending
        own = spaces.list_spaces(session, organization_id=scope.organization_id,
                                 event_id=scope.event_id, partner_id=scope.partner_id)
        self.space_options = [{"id": str(s.id), "name": s.name} for s in own]
        self.can_manage_spaces = event.partners_manage_spaces or not own
        self.partner_events = [
            {"id": str(eid), "name": name} for eid, name in partner_events(
                session, organization_id=scope.organization_id, user_id=scope.user_id)]
        return partner, event

    @rx.event
    def create_first_space(self, form: dict):  # noqa: ANN201
        """Create a space from the partner side (its first one, or any when allowed)."""
        found = self._partner()
        if found is None:
            return self._refused()
        principal, scope = found
        form = form_arg(form)
        contact = int_arg(form.get("contact")) if form.get("contact") else None
        try:
            with session_scope() as session:
                spaces.create_space_as_partner(
                    session, scope, name=text_arg(form.get("name")),
                    contact_user_id=contact if contact is not None else principal.user_id,
                    theme=text_arg(form.get("theme")), now=clock.now())
        except DomainError as err:
            return self._error(err)
        return type(self).load
