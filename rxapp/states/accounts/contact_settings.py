"""State of the settings page's "team and email" card (admins only)."""

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.services.accounts import contact
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.states.base import ADMIN, AppState


class ContactSettingsState(AppState):
    """Invitation expiry, reply address and team seats, as view values."""

    invitation_days: str = "7"
    contact_email: str = ""
    seats: str = ""
    errors: dict[str, str] = {}

    def _fill(self, values: contact.ContactSettings) -> None:
        self.invitation_days = str(values.invitation_days)
        self.contact_email = values.contact_email
        self.seats = f"{values.seats_used} / {values.team_seats}"

    @rx.event
    def load(self) -> None:
        """Read the settings."""
        self.errors = {}
        principal = self._require(*ADMIN)
        if principal is None:
            return
        with session_scope() as session:
            self._fill(contact.get_contact_settings(session, principal=principal,
                                                    now=clock.now()))

    @rx.event
    def save(self, form: dict):  # noqa: ANN201
        """Validate and store; errors show next to their field."""
        principal = self._require(*ADMIN)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        form = form if isinstance(form, dict) else {}
        try:
            with session_scope() as session:
                values = contact.update_contact_settings(
                    session, principal=principal,
                    invitation_days=str(form.get("invitation_days", ""))[:6],
                    contact_email=str(form.get("contact_email", ""))[:254], now=clock.now())
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            self.errors = {err.field or "form": err.code}
            return None
        self.errors = {}
        self._fill(values)
        return rx.toast.success(self._tr("settings.saved"))
