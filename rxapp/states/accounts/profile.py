"""States of the user's own profile page and the home page's "about you" card."""

import reflex as rx

from rxapp.db import session_scope
from rxapp.models import LANGUAGES
from rxapp.services.accounts import profile
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.states.base import AppState


def _field(form: object, name: str, limit: int = 1000) -> str:
    value = form.get(name, "") if isinstance(form, dict) else ""
    return value[:limit] if isinstance(value, str) else ""


def attribute_lines(attributes: dict) -> list[dict[str, str]]:
    """Attributes as (kind, values) rows; class of service stays a key for translation."""
    rows = []
    for kind, value in attributes.items():
        if isinstance(value, list) and value:
            rows.append({"kind": kind, "value": ", ".join(str(v) for v in value), "cos": ""})
        elif isinstance(value, str) and value:
            rows.append({"kind": kind, "value": "", "cos": value})
    return rows


class HomeState(AppState):
    """Who the signed-in user is in their organization: role and attributes (R-TEAM-4)."""

    me_role: str = ""
    me_org: str = ""
    me_attributes: list[dict[str, str]] = []

    @rx.event
    def load(self) -> None:
        """Read the signed-in user's own role and attributes."""
        principal = self._require()
        if principal is None:
            return
        try:
            with session_scope() as session:
                me = profile.get_own_profile(session, principal=principal)
        except NotAllowed:
            return
        self.me_role = me.role
        self.me_org = me.organization_name
        self.me_attributes = attribute_lines(me.attributes)


class ProfileState(AppState):
    """Change one's own name, language and password."""

    full_name: str = ""
    email: str = ""
    my_language: str = "en"
    errors: dict[str, str] = {}
    password_key: int = 0

    @rx.event
    def load(self) -> None:
        """Read the signed-in user's profile."""
        self.errors = {}
        principal = self._require()
        if principal is None:
            return
        with session_scope() as session:
            me = profile.get_own_profile(session, principal=principal)
        self.full_name, self.email, self.my_language = me.full_name, me.email, me.language

    @rx.event
    def set_my_language(self, value: str) -> None:
        """Pick the language in the form (saved with the form)."""
        if isinstance(value, str) and value in LANGUAGES:
            self.my_language = value

    @rx.event
    def save(self, form: dict):  # noqa: ANN201
        """Store name and language; the page switches to the new language."""
        principal = self._require()
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        try:
            with session_scope() as session:
                me = profile.update_own_profile(session, principal=principal,
                                                full_name=_field(form, "full_name", 300),
                                                language=self.my_language)
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            self.errors = {err.field or "form": err.code}
            return None
        self.errors = {}
        self.full_name = me.full_name
        self.user_name = me.full_name or me.email
        self.lang = me.language
        return rx.toast.success(self._tr("profile.saved"))

    @rx.event
    def change_password(self, form: dict):  # noqa: ANN201
        """Change the password after checking the current one; other sessions end."""
        principal = self._require()
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        new = _field(form, "new_password")
        if new != _field(form, "confirm_password"):
            self.errors = {"confirm": "error.password_mismatch"}
            return None
        try:
            with session_scope() as session:
                profile.change_own_password(
                    session, principal=principal, current=_field(form, "current_password"),
                    new=new, keep_session_token=self._session_token())
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            self.errors = {err.field or "form": err.code}
            return None
        self.errors = {}
        self.password_key += 1
        return rx.toast.success(self._tr("profile.password_changed"))
