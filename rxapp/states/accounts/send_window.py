"""The send window card of the settings page, with its live preview (R-PLUS-1)."""

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.i18n.formats import format_short
from rxapp.services.accounts.org_locale import org_locale, set_send_window, window_preview
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.common.send_time import parse_hhmm, window_label
from rxapp.states.base import ADMIN, AppState


class SendWindowState(AppState):
    """From/until times of the organization's send window and examples of their effect."""

    start: str = "08:00"
    end: str = "21:00"
    zone: str = ""
    preview: list[str] = []
    error_field: str = ""
    error: str = ""

    def _refresh_preview(self) -> None:
        first, last = parse_hhmm(self.start), parse_hhmm(self.end)
        if first is None or last is None or last - first < 60 or not self.zone:
            self.preview = []
            return
        lines = []
        for planned, sent in window_preview(now=clock.now(), zone=self.zone,
                                            window=(first, last)):
            when = format_short(planned, self.language, self.zone)
            if sent == planned:
                lines.append(self._tr("settings.window.example_kept", planned=when))
            else:
                lines.append(self._tr("settings.window.example_moved", planned=when,
                                      sent=format_short(sent, self.language, self.zone)))
        self.preview = lines

    @rx.event
    def load(self) -> None:
        """Read the window and the zone it is shown in."""
        principal = self._require(*ADMIN)
        if principal is None:
            return
        with session_scope() as session:
            found = org_locale(session, organization_id=principal.organization_id)
        self.start, self.end = window_label(found.window)
        self.zone = found.timezone
        self.error = self.error_field = ""
        self._refresh_preview()

    @rx.event
    def set_start(self, value: str) -> None:
        """Opening time typed; the preview follows."""
        if isinstance(value, str):
            self.start = value[:5]
            self._refresh_preview()

    @rx.event
    def set_end(self, value: str) -> None:
        """Closing time typed; the preview follows."""
        if isinstance(value, str):
            self.end = value[:5]
            self._refresh_preview()

    @rx.event
    def save(self):  # noqa: ANN201
        """Store the window; an error shows next to its field."""
        principal = self._require(*ADMIN)
        if principal is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        try:
            with session_scope() as session:
                found = set_send_window(session, principal=principal, start=self.start,
                                        end=self.end)
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            self.error_field, self.error = err.field or "", self._tr(err.code)
            return None
        self.error = self.error_field = ""
        self.start, self.end = window_label(found.window)
        self._refresh_preview()
        return rx.toast.success(self._tr("settings.window.saved"))
