"""State of the organization's attribute lists (R-TEAM-2)."""

import logging

import reflex as rx

from rxapp.db import session_scope
from rxapp.models import Module
from rxapp.services import team
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.states.base import ADMIN
from rxapp.states.team.base import EMPTY_OPTIONS, TeamBaseState, _str

logger = logging.getLogger(__name__)


class AttributeListsState(TeamBaseState):
    """The organization's attribute lists (admins only)."""

    options: dict[str, list[str]] = EMPTY_OPTIONS
    errors: dict[str, str] = {}
    form_key: int = 0

    @rx.event
    def load(self) -> None:
        """Read the lists."""
        self.errors = {}
        principal = self._require_module(Module.TEAM.value, *ADMIN)
        if principal is None:
            self.options = dict(EMPTY_OPTIONS)
            return
        with session_scope() as session:
            self.options = team.list_options(session, principal=principal)

    @rx.event
    def add(self, form: dict) -> None:
        """Add the value typed under one list."""
        principal = self._require_module(Module.TEAM.value, *ADMIN)
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
        principal = self._require_module(Module.TEAM.value, *ADMIN)
        if principal is None or not isinstance(kind, str) or not isinstance(value, str):
            return
        with session_scope() as session:
            team.remove_option(session, principal=principal, kind=kind, value=value)
            self.options = team.list_options(session, principal=principal)


