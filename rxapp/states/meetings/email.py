"""State of the meeting-accepted email editor: per language, live preview, test send (R-BM-8)."""

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.models.common import LANGUAGES
from rxapp.services.common.errors import DomainError
from rxapp.services.meetings import mail, templates
from rxapp.states.meetings.base import MeetingsState, text_arg


class EmailTemplateState(MeetingsState):
    """Subject and body of one language, their preview with sample data, save and test."""

    # Not `language`: that name is the UI language of every page (AppState), which the
    # editor's own messages are in.
    template_language: str = "en"
    subject: str = ""
    body: str = ""
    custom: bool = False
    preview_subject: str = ""
    preview_body: str = ""
    error: str = ""
    placeholders: list[str] = list(templates.PLACEHOLDERS)

    def _preview(self) -> None:
        try:
            self.preview_subject, self.preview_body = templates.render_text(
                self.subject, self.body, templates.sample_values(self.template_language))
            self.error = ""
        except DomainError as err:
            self.error = err.code

    def _read(self) -> None:
        principal = self._organizer()
        if principal is None:
            return
        eid = self._page_event(principal)
        if eid is None:
            return
        with session_scope() as session:
            t = templates.get_template(session, event_id=eid, language=self.template_language)
        self.subject, self.body, self.custom = t.subject, t.body, t.custom
        self._preview()

    @rx.event
    def load(self) -> None:
        """Open the editor on the organizer's language."""
        self.event_id = 0
        self.template_language = self.lang if self.lang in LANGUAGES else "en"
        self._read()

    @rx.event
    def pick_language(self, value: str) -> None:
        """Edit another language's template."""
        if value in LANGUAGES:
            self.template_language = value
            self._read()

    @rx.event
    def set_subject(self, value: str) -> None:
        """Typing in the subject updates the preview."""
        self.subject = text_arg(value, 300)
        self._preview()

    @rx.event
    def set_body(self, value: str) -> None:
        """Typing in the body updates the preview."""
        self.body = value[:20_000] if isinstance(value, str) else ""
        self._preview()

    @rx.event
    def save(self):  # noqa: ANN201
        """Store the template for this event and language."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        try:
            with session_scope() as session:
                templates.save_template(session, organization_id=principal.organization_id,
                                        event_id=self.event_id, language=self.template_language,
                                        subject=self.subject, body=self.body)
        except DomainError as err:
            self.error = err.code
            return None
        self.custom = True
        return rx.toast.success(self._tr("meetings.saved"))

    @rx.event
    def reset_default(self):  # noqa: ANN201
        """Go back to the shipped default for this language."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        return self._write(lambda session: templates.reset_template(
            session, organization_id=principal.organization_id, event_id=self.event_id,
            language=self.template_language), toast=None)

    @rx.event
    def send_test(self):  # noqa: ANN201
        """Send the edited text with sample data to the signed-in organizer."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        try:
            with session_scope() as session:
                mail.schedule_template_test(
                    session, organization_id=principal.organization_id, event_id=self.event_id,
                    language=self.template_language, subject=self.subject, body=self.body,
                    recipient=principal.email, recipient_name=principal.full_name,
                    now=clock.now())
        except DomainError as err:
            self.error = err.code
            return None
        return rx.toast.success(self._tr("meetings.test_sent", email=principal.email))
