"""State of the invite page after creating an interaction (R-INT-5, R-INT-7)."""

import json
from urllib.parse import quote

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.i18n import translate
from rxapp.models import Module
from rxapp.services import interactions
from rxapp.services.common.errors import DomainError, NotAllowed, NotFound
from rxapp.services.interactions import participants
from rxapp.services.interactions.questionnaires import ensure_default_questionnaire
from rxapp.states.base import STAFF, AppState
from rxapp.states.interactions.common import _path_id


class InviteState(AppState):
    """The invite page: options, creation, then inviting by hand if wanted (R-INT-5, R-INT-7)."""

    participant_id: int = 0
    participant_name: str = ""
    found: bool = False
    reports_offered: bool = False
    auto_invite: bool = True
    reminders: bool = False
    send_report: bool = True
    created_id: int = 0
    error: str = ""
    # The questionnaire the participant will answer, in the organizer's language.
    questionnaire: str = ""
    participant_email: str = ""
    # Set after an automatic invite: the confirmation with "Back to overview" shows.
    auto_sent: bool = False

    def _guard(self):  # noqa: ANN202
        return self._require_module(Module.INTERACTIONS.value, *STAFF)

    @rx.event
    def load(self) -> None:
        """Defaults: invite and report on; reminders follow the organization setting."""
        self.created_id = 0
        self.error = ""
        self.found = False
        self.auto_sent = False
        principal = self._guard()
        pid = _path_id(self.router.url.path, "participants")
        if principal is None or pid is None:
            return
        from rxapp.services.accounts.organizations import get_profile

        try:
            with session_scope() as session:
                person = participants.get_participant(
                    session, organization_id=principal.organization_id, participant_id=pid
                )
                profile = get_profile(session, principal=principal)
                eligibility = interactions.can_create_interaction(
                    session, organization_id=principal.organization_id, participant_id=pid
                )
                titles = dict(ensure_default_questionnaire(session).titles or {})
        except (NotFound, NotAllowed):
            return
        self.found = True
        self.questionnaire = titles.get(self.language) or titles.get("en") or ""
        self.participant_email = person.email
        self.participant_id = pid
        self.participant_name = f"{person.first_name} {person.last_name}"
        self.reports_offered = profile.reports_included
        self.auto_invite = True
        self.send_report = profile.reports_included
        self.reminders = profile.reminders_default
        self.error = "" if eligibility.allowed else (eligibility.reason or "")

    @rx.event
    def set_auto_invite(self, value: bool) -> None:
        """Invite automatically by email."""
        self.auto_invite = value is True

    @rx.event
    def set_reminders_opt(self, value: bool) -> None:
        """Weekly reminders."""
        self.reminders = value is True

    @rx.event
    def set_send_report(self, value: bool) -> None:
        """Email the report on completion (only offered when the plan has reports)."""
        self.send_report = value is True and self.reports_offered

    @rx.event
    def create(self):  # noqa: ANN201
        """Create the interaction; the server checks the rules again (R-INT-4)."""
        principal = self._guard()
        if principal is None or not self.participant_id:
            return rx.toast.error(self._tr("error.not_allowed"))
        try:
            with session_scope() as session:
                created = interactions.create_interaction(
                    session, organization_id=principal.organization_id,
                    participant_id=self.participant_id, now=clock.now(),
                    auto_invite=self.auto_invite, reminders_on=self.reminders,
                    send_report=self.send_report,
                )
        except NotAllowed:
            return rx.toast.error(self._tr("error.not_allowed"))
        except DomainError as err:
            self.error = err.code
            return None
        self.created_id = created.interaction_id
        # Automatic invite: a confirmation with "Back to overview" (the seed's flow);
        # by hand: the copy link / mail program / QR choices.
        self.auto_sent = self.auto_invite
        return None

    @rx.event
    def copy_link(self):  # noqa: ANN201
        """Copy the new interaction's link (sent to the clipboard, never kept in state)."""
        link = self._link()
        if link is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        return [rx.set_clipboard(link), rx.toast.success(self._tr("invite.copied"))]

    @rx.event
    def open_mail_program(self):  # noqa: ANN201
        """Open the organizer's mail program with a prepared text in the participant's language."""
        principal = self._guard()
        link = self._link()
        if principal is None or link is None:
            return rx.toast.error(self._tr("error.not_allowed"))
        with session_scope() as session:
            person = participants.get_participant(
                session, organization_id=principal.organization_id,
                participant_id=self.participant_id,
            )
        lang = person.language
        subject = translate(lang, "mailto.subject", org=principal.organization_name)
        body = translate(lang, "mailto.body", name=person.first_name, link=link,
                         sender=principal.full_name or principal.organization_name)
        href = f"mailto:{quote(person.email)}?subject={quote(subject)}&body={quote(body)}"
        return rx.call_script(f"window.location.href = {json.dumps(href)}")

    def _link(self) -> str | None:
        principal = self._guard()
        if principal is None or not self.created_id:
            return None
        try:
            with session_scope() as session:
                return interactions.participant_link(
                    session, organization_id=principal.organization_id,
                    interaction_id=self.created_id,
                )
        except DomainError:
            return None
