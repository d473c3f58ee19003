"""The "Timing and frequency" settings page, its live preview and the API keys (R-REV-1..8)."""

import logging

import reflex as rx
from babel.dates import format_datetime

from rxapp import clock
from rxapp.db import session_scope
from rxapp.models import Module
from rxapp.models.reviews import ReviewSettings
from rxapp.services.common.errors import DomainError, NotFound
from rxapp.services.common.unsubscribe import contact_policy, set_contact_policy
from rxapp.services.reviews import api_keys, rules
from rxapp.services.reviews.preview import preview
from rxapp.services.reviews.timing import OPTIMIZE_MIN_ANSWERS
from rxapp.states.base import ADMIN, STAFF, AppState

logger = logging.getLogger(__name__)

_INT_FIELDS = (
    "service_delay",
    "product_delay",
    "send_hour_utc",
    "local_hour",
    "window_start",
    "window_end",
    "frequency_days",
    "reminder_delay",
)
_CHOICE_FIELDS = (
    "service_unit",
    "product_unit",
    "reminder_unit",
    "product_mode",
    "time_mode",
    "frequency_mode",
)
_FORM_FIELDS = (*_INT_FIELDS, *_CHOICE_FIELDS, "cap_max", "cap_days")


def _when(moment, language: str) -> str:
    return format_datetime(moment, "EEE d MMM y, HH:mm", tzinfo="UTC", locale=language) + " UTC"


class ReviewSettingsState(AppState):
    """Form values as text (what the inputs hold), the preview lines, the API keys."""

    service_delay: str = "7"
    service_unit: str = "days"
    product_mode: str = "together"
    product_delay: str = "7"
    product_unit: str = "days"
    time_mode: str = "fixed_utc"
    send_hour_utc: str = "9"
    local_hour: str = "10"
    window_start: str = "8"
    window_end: str = "21"
    frequency_mode: str = "three_years"
    frequency_days: str = "30"
    reminders_enabled: bool = False
    reminder_delay: str = "7"
    reminder_unit: str = "days"
    cap_max: str = "0"
    cap_days: str = "30"

    preview_lines: list[str] = []
    hour_reason: str = ""
    error_field: str = ""
    error_text: str = ""
    saved_text: str = ""
    confirm_cancel: bool = False
    queued_reminders: int = 0

    is_admin: bool = False
    keys: list[dict[str, str]] = []
    key_name: str = ""
    # Shown once in a dialog, cleared when it closes; never stored anywhere else.
    new_key: str = ""
    revoke_id: int = 0
    revoke_label: str = ""

    def _guard(self):  # noqa: ANN202
        return self._require_module(Module.REVIEWS.value, *STAFF)

    def _fill(self, row: ReviewSettings) -> None:
        for name in _INT_FIELDS:
            setattr(self, name, str(getattr(row, name)))
        for name in _CHOICE_FIELDS:
            setattr(self, name, getattr(row, name))
        self.reminders_enabled = row.reminders_enabled

    def _values(self) -> dict:
        values: dict = {name: getattr(self, name) for name in (*_INT_FIELDS, *_CHOICE_FIELDS)}
        values["reminders_enabled"] = self.reminders_enabled
        return values

    def _draft(self) -> ReviewSettings | None:
        """The rules as the form holds them; None (with the error shown) when invalid."""
        try:
            clean = rules.validate_rules(self._values())
        except DomainError as exc:
            self.error_field, self.error_text = exc.field or "", self._tr(exc.code)
            return None
        self.error_field = self.error_text = ""
        return ReviewSettings(organization_id=0, **clean)

    def _refresh_preview(self, organization_id: int) -> None:
        draft = self._draft()
        if draft is None:
            return
        lang = self.language
        with session_scope() as session:
            p = preview(session, organization_id=organization_id, rules=draft, now=clock.now())
        lines = [self._tr("reviews.preview.purchase", when=_when(p.purchase_at, lang))]
        key = "reviews.preview.combined" if p.combined else "reviews.preview.service"
        lines.append(self._tr(key, when=_when(p.service_at, lang)))
        if p.product_at is not None:
            lines.append(self._tr("reviews.preview.product", when=_when(p.product_at, lang)))
        if p.reminder_at is not None:
            lines.append(self._tr("reviews.preview.reminder", when=_when(p.reminder_at, lang)))
        else:
            lines.append(self._tr("reviews.preview.no_reminder"))
        if p.next_invitation_at is not None:
            lines.append(self._tr("reviews.preview.cap", when=_when(p.next_invitation_at, lang)))
        else:
            lines.append(self._tr("reviews.preview.every_purchase"))
        self.preview_lines = lines
        c = p.choice
        if c.reason == "optimized":
            self.hour_reason = self._tr("reviews.hour.optimized", hour=c.hour, n=c.answers)
        elif c.reason == "fallback" and draft.time_mode == "optimize":
            self.hour_reason = self._tr(
                "reviews.hour.fallback", hour=c.hour, n=c.answers, min=OPTIMIZE_MIN_ANSWERS
            )
        elif c.reason == "local":
            self.hour_reason = self._tr("reviews.hour.local", hour=c.hour, zone=p.zone)
        else:
            self.hour_reason = self._tr("reviews.hour.fixed", hour=c.hour)

    def _load_keys(self, organization_id: int) -> None:
        with session_scope() as session:
            rows = api_keys.list_api_keys(session, organization_id=organization_id)
        self.keys = [
            {
                "id": str(k.id),
                "name": k.name or "—",
                "prefix": k.prefix + "…",
                "created": _when(k.created_at, self.language),
                "state": "revoked" if k.revoked else "active",
            }
            for k in rows
        ]

    @rx.event
    def load(self) -> None:
        """Read the saved rules, the contact cap and the keys; draw the preview."""
        principal = self._guard()
        if principal is None:
            return
        with session_scope() as session:
            self._fill(rules.get_rules(session, organization_id=principal.organization_id))
            policy = contact_policy(session, organization_id=principal.organization_id)
            self.cap_max, self.cap_days = str(policy.max_emails), str(policy.per_days)
        self.saved_text = ""
        self.is_admin = principal.role in ADMIN
        self.new_key = ""
        self._refresh_preview(principal.organization_id)
        if self.is_admin:
            self._load_keys(principal.organization_id)

    @rx.event
    def set_field(self, name: str, value: str) -> None:
        """Change one form value and redraw the preview (nothing is saved yet)."""
        principal = self._guard()
        if principal is None or name not in _FORM_FIELDS or not isinstance(value, str):
            return
        setattr(self, name, value[:20])
        self.saved_text = ""
        self._refresh_preview(principal.organization_id)

    @rx.event
    def set_reminders(self, value: bool) -> None:
        """Switch reminders in the form (saved with the rest)."""
        principal = self._guard()
        if principal is None or not isinstance(value, bool):
            return
        self.reminders_enabled = value
        self.saved_text = ""
        self._refresh_preview(principal.organization_id)

    @rx.event
    def save(self) -> None:
        """Save; turning reminders off with reminders queued asks for confirmation first."""
        principal = self._guard()
        if principal is None or self._draft() is None:
            return
        with session_scope() as session:
            current = rules.get_rules(session, organization_id=principal.organization_id)
        if current.reminders_enabled and not self.reminders_enabled:
            with session_scope() as session:
                queued = rules.count_queued_reminders(
                    session, organization_id=principal.organization_id
                )
            if queued:
                self.queued_reminders = queued
                self.confirm_cancel = True
                return
        self._save(principal)

    @rx.event
    def confirm_save(self) -> None:
        """Save after the organizer confirmed that queued reminders will be cancelled."""
        principal = self._guard()
        self.confirm_cancel = False
        if principal is None:
            return
        self._save(principal)

    @rx.event
    def keep_editing(self) -> None:
        """Close the confirmation without saving."""
        self.confirm_cancel = False

    def _save(self, principal) -> None:  # noqa: ANN001
        try:
            cap_max, cap_days = int(self.cap_max or 0), int(self.cap_days or 0)
        except ValueError:
            self.error_field, self.error_text = "cap_max", self._tr("reviews.invalid")
            return
        try:
            with session_scope() as session:
                saved = rules.save_rules(
                    session,
                    organization_id=principal.organization_id,
                    values=self._values(),
                    now=clock.now(),
                )
                set_contact_policy(
                    session,
                    organization_id=principal.organization_id,
                    max_emails=cap_max,
                    per_days=cap_days,
                )
        except DomainError as exc:
            self.error_field, self.error_text = exc.field or "", self._tr(exc.code)
            return
        except ValueError:
            self.error_field, self.error_text = "cap_max", self._tr("reviews.out_of_range")
            return
        self.error_field = self.error_text = ""
        if saved.cancelled_reminders:
            self.saved_text = self._tr("reviews.saved_cancelled", n=saved.cancelled_reminders)
        else:
            self.saved_text = self._tr("reviews.saved")
        self._refresh_preview(principal.organization_id)

    # --- API keys (admins) ------------------------------------------------------

    @rx.event
    def set_key_name(self, value: str) -> None:
        """The name of the next key."""
        if isinstance(value, str):
            self.key_name = value[:100]

    @rx.event
    def create_key(self) -> None:
        """Create a key and show it once."""
        principal = self._require_module(Module.REVIEWS.value, *ADMIN)
        if principal is None:
            return
        with session_scope() as session:
            made = api_keys.create_api_key(
                session,
                organization_id=principal.organization_id,
                name=self.key_name,
                created_by=principal.user_id,
                now=clock.now(),
            )
        self.new_key = made.plaintext
        self.key_name = ""
        self._load_keys(principal.organization_id)

    @rx.event
    def close_new_key(self) -> None:
        """Forget the key's plaintext for good."""
        self.new_key = ""

    @rx.event
    def ask_revoke(self, key_id: str) -> None:
        """Ask for confirmation before revoking a key."""
        if not isinstance(key_id, str) or not key_id.isdigit():
            return
        for key in self.keys:
            if key["id"] == key_id:
                self.revoke_id = int(key_id)
                self.revoke_label = f"{key['name']} ({key['prefix']})"

    @rx.event
    def cancel_revoke(self) -> None:
        """Close the revoke dialog."""
        self.revoke_id = 0

    @rx.event
    def revoke(self) -> None:
        """Revoke the confirmed key; requests with it fail from now on."""
        principal = self._require_module(Module.REVIEWS.value, *ADMIN)
        key_id, self.revoke_id = self.revoke_id, 0
        if principal is None or not key_id:
            return
        try:
            with session_scope() as session:
                api_keys.revoke_api_key(
                    session,
                    organization_id=principal.organization_id,
                    key_id=key_id,
                    now=clock.now(),
                )
        except NotFound:
            return
        self._load_keys(principal.organization_id)
