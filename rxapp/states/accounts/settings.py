"""The organization settings page (admins only)."""

import reflex as rx

from rxapp.db import session_scope
from rxapp.services.accounts import organizations
from rxapp.services.common import sending_pause
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.states.base import ADMIN, AppState


class SettingsState(AppState):
    """Organization profile and plan, as view values (no table rows in state)."""

    name: str = ""
    sender_name: str = ""
    timezone: str = ""
    default_language: str = "en"
    reminders_default: bool = False
    modules: list[str] = []
    interactions_bought: int = 0
    max_per_participant: int = 0
    reports_included: bool = False
    errors: dict[str, str] = {}
    saved: bool = False
    # Sending is paused for everyone while the mail server refuses our sender.
    sending_paused: bool = False
    sending_paused_reply: str = ""
    sending_paused_since: str = ""

    def _fill(self, profile: organizations.OrgProfile) -> None:
        self.name = profile.name
        self.sender_name = profile.sender_name
        self.timezone = profile.timezone
        self.default_language = profile.default_language
        self.reminders_default = profile.reminders_default
        self.modules = list(profile.modules)
        self.interactions_bought = profile.interactions_bought
        self.max_per_participant = profile.max_interactions_per_participant
        self.reports_included = profile.reports_included

    @rx.event
    def load(self) -> None:
        """Read the organization's settings."""
        self.errors = {}
        self.saved = False
        principal = self._require(*ADMIN)
        if principal is None:
            return
        with session_scope() as session:
            self._fill(organizations.get_profile(session, principal=principal))
            pause = sending_pause.get_pause(session)
        self.sending_paused = pause is not None
        self.sending_paused_reply = pause.reply if pause else ""
        self.sending_paused_since = pause.since.strftime("%Y-%m-%d %H:%M UTC") if pause else ""

    @rx.event
    def set_reminders_default(self, value: bool) -> None:
        """Toggle the default for reminders on new interactions (saved with the form)."""
        self.reminders_default = value is True

    @rx.event
    def set_default_language(self, value: str) -> None:
        """Pick the default language for new participants (saved with the form)."""
        if isinstance(value, str):
            self.default_language = value

    @rx.event
    def save(self, form: dict):  # noqa: ANN201
        """Validate and store the settings; errors show next to their field."""
        self.saved = False
        principal = self._require(*ADMIN)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        form = form if isinstance(form, dict) else {}
        try:
            with session_scope() as session:
                profile = organizations.update_profile(
                    session,
                    principal=principal,
                    name=str(form.get("name", ""))[:500],
                    sender_name=str(form.get("sender_name", ""))[:500],
                    timezone=str(form.get("timezone", "")).strip()[:64],
                    default_language=self.default_language,
                    reminders_default=self.reminders_default,
                )
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            self.errors = {err.field or "form": err.code}
            return None
        self.errors = {}
        self._fill(profile)
        self.org_name = profile.name
        self.saved = True
        return rx.toast.success(self._tr("settings.saved"))
