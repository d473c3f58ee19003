"""The participant's agenda behind the tokenized link (R-BM-7): mobile first, no password.

The token in the address is the only credential; it is read from the address on every
event and never copied into state. Only the token's own attendee is ever loaded.
"""

from datetime import datetime

import reflex as rx
from babel.dates import format_date

from rxapp import clock, routes
from rxapp.db import session_scope
from rxapp.models.common import LANGUAGES
from rxapp.models.meetings import Attendee, Proposer
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.meetings import requests, views
from rxapp.services.meetings.attendees import attendee_by_token
from rxapp.states.base import AppState
from rxapp.states.meetings.base import form_arg, int_arg, text_arg


def _when(start: datetime, end: datetime, language: str) -> str:
    """"mar. 15 déc. 09:30–10:00" in the reader's language, in the event's zone."""
    day = format_date(start.date(), format="EEE", locale=language)
    return f"{day} {views.slot_label(start, end, language)}"


class AgendaState(AppState):
    """Requests to answer, the personal agenda, and proposals to partners."""

    status: str = "loading"  # loading | invalid | ready
    name: str = ""
    event_name: str = ""
    timezone: str = ""
    pending: list[dict[str, str]] = []
    agenda: list[dict[str, str]] = []
    history: list[dict[str, str]] = []
    offers: list[dict] = []
    feed_url: str = ""
    ics_base: str = ""
    reason_open: bool = False
    reason_action: str = ""
    reason_meeting: int = 0
    reason_error: str = ""
    propose_error: str = ""

    def _token(self) -> str:
        parts = [p for p in (self.router.url.path or "").split("/") if p]
        return parts[1] if len(parts) >= 2 and parts[0] == "agenda" else ""

    def _attendee(self, session) -> Attendee | None:  # noqa: ANN001
        return attendee_by_token(session, self._token())

    def _read(self) -> None:
        now = clock.now()
        with session_scope() as session:
            attendee = self._attendee(session)
            if attendee is None:
                self.status = "invalid"
                return
            requests.lapse_due(session, now=now, event_id=attendee.event_id)
            infos = views.attendee_meetings(session, attendee)
            # The language this render uses (the link's own on first open, as below).
            lang_now = (attendee.language if self.lang not in LANGUAGES
                        or self.status == "loading" else self.lang)
            offers = views.proposable_spaces(session, attendee, now=now, language=lang_now)
            event = session.get(views.Event, attendee.event_id)
            self.name = attendee.first_name
            language = attendee.language
        if self.lang not in LANGUAGES or self.status == "loading":
            self.lang = language
        self.event_name, self.timezone = event.name, event.timezone
        ui_lang = self.lang if self.lang in LANGUAGES else "en"
        token = self._token()
        self.feed_url = routes.agenda_feed_url(token)
        rows = [{"id": str(i.id), "partner": i.partner_name, "space": i.space_name,
                 "when": _when(i.starts_at, i.ends_at, ui_lang),
                 "status": i.status, "message": i.message, "reason": i.reason,
                 "ics": routes.agenda_ics_path(token, i.id),
                 "answer": "yes" if views.can_answer(i, Proposer.ATTENDEE) else "no"}
                for i in infos]
        self.pending = [r for r in rows if r["status"] == "requested"]
        self.agenda = [r for r in rows if r["status"] == "confirmed"]
        self.history = [r for r in rows if r["status"] not in ("requested", "confirmed")]
        self.offers = [{"space": str(o.space_id), "partner": o.partner_name,
                        "type": o.partner_type, "name": o.space_name,
                        "slots": [{"id": str(s), "label": label} for s, label in o.slots]}
                       for o in offers]
        self.status = "ready"

    @rx.event
    def load(self) -> None:
        """Open the agenda of the link's attendee, in their language."""
        self.status = "loading"
        self.reason_open = False
        self.propose_error = ""
        self._read()

    @rx.event
    def accept(self, meeting_id: str):  # noqa: ANN201
        """Accept a partner's request; the meeting-accepted email follows."""
        try:
            with session_scope() as session:
                attendee = self._attendee(session)
                if attendee is None:
                    raise NotAllowed()
                requests.attendee_confirm(session, attendee, meeting_id=int_arg(meeting_id),
                                          now=clock.now())
        except (DomainError, NotAllowed) as err:
            self._read()
            return rx.toast.error(self._tr(err.code))
        self._read()
        return rx.toast.success(self._tr("meetings.confirmed_toast"))

    @rx.event
    def ask_reason(self, action: str, meeting_id: str) -> None:
        """Ask why before declining or cancelling."""
        if action in ("decline", "cancel"):
            self.reason_action, self.reason_meeting = action, int_arg(meeting_id) or 0
            self.reason_error, self.reason_open = "", True

    @rx.event
    def set_reason_open(self, value: bool) -> None:
        """The dialog's own close."""
        self.reason_open = value is True

    @rx.event
    def submit_reason(self, form: dict):  # noqa: ANN201
        """Decline or cancel with the reason given."""
        reason = text_arg(form_arg(form).get("reason"), 1000)
        # Both vars are the client's to overwrite: only the two actions, only a real id.
        fn = {"decline": requests.attendee_decline,
              "cancel": requests.attendee_cancel}.get(str(self.reason_action))
        try:
            with session_scope() as session:
                attendee = self._attendee(session)
                if attendee is None or fn is None:
                    raise NotAllowed()
                fn(session, attendee, meeting_id=int_arg(self.reason_meeting), reason=reason,
                   now=clock.now())
        except (DomainError, NotAllowed) as err:
            self.reason_error = err.code
            return None
        self.reason_open = False
        self._read()
        return rx.toast.success(self._tr("meetings.saved"))

    @rx.event
    def propose(self, form: dict):  # noqa: ANN201
        """Propose a partner space's slot (from its card); its contact confirms or declines."""
        form = form_arg(form)
        try:
            with session_scope() as session:
                attendee = self._attendee(session)
                if attendee is None:
                    raise NotAllowed()
                requests.propose_meeting(session, attendee, space_id=int_arg(form.get("space")),
                                         slot_id=int_arg(form.get("slot")), now=clock.now())
        except (DomainError, NotAllowed) as err:
            self.propose_error = err.code
            return None
        self.propose_error = ""
        self._read()
        return rx.toast.success(self._tr("meetings.request_sent"))
