"""States of the partner space: participant list, meetings by status, calendar (R-BM-6).

Every handler resolves the signed-in partner user's own partner again; ids sent by the
browser are checked by the services against that partner.
"""

from datetime import datetime

import reflex as rx

from rxapp import clock
from rxapp.db import session_scope
from rxapp.i18n.formats import format_short
from rxapp.models.meetings import Event, Proposer
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.common.status_log import get_status_log
from rxapp.services.meetings import attendees, requests, spaces, views
from rxapp.states.meetings.base import form_arg, int_arg, text_arg
from rxapp.states.meetings.partner_base import PartnerBase

ANY = "any"
_EMAIL_EVENTS = ("scheduled", "sent", "failed", "retrying")
PAGE = 25


def _when(info: views.MeetingInfo, language: str) -> str:
    """``10 Mar 09:00–09:30`` in the reader's language, in the event's zone."""
    return views.slot_label(info.starts_at, info.ends_at, language)


class PartnerListState(PartnerBase):
    """Participants the partner's rule lets it see, with search, filters and columns."""

    columns: list[str] = []
    filter_fields: list[str] = []
    filter_options: dict[str, list[str]] = {}
    filters: dict[str, str] = {}
    search_fields: list[str] = []
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    query: str = ""
    req_open: bool = False
    req_attendee_id: int = 0
    req_attendee: str = ""
    req_space: str = ""
    req_slots: list[dict[str, str]] = []
    req_slot: str = ""
    req_error: str = ""

    @rx.var
    def pages(self) -> int:
        """How many pages the matches fill."""
        return max(1, -(-self.total // PAGE))

    def _read(self, *, options: bool = False) -> None:
        found = self._partner()
        if found is None:
            self.no_partner, self.rows, self.total = True, [], 0
            return
        _principal, scope = found
        with session_scope() as session:
            partner, event = self._header(session, scope)
            page = attendees.list_for_partner(session, partner=partner, event=event,
                                              query=self.query, filters=self.filters,
                                              page=self.page, page_size=PAGE)
            if options:
                # The filters' values change only with the attendee list: read them on
                # opening the page, not on every keystroke of the search.
                self.filter_options = attendees.filter_options(session, event=event,
                                                               partner=partner)
        self.no_partner = False
        self.columns = list(event.columns)
        self.filter_fields = list(event.filter_fields)
        self.search_fields = list(event.search_fields)
        self.rows = [r.values | {"id": str(r.id)} for r in page.rows]
        self.total = page.total

    @rx.event
    def load(self) -> None:
        """Open the list on its first page."""
        self.page, self.req_open = 1, False
        self._read(options=True)

    @rx.event
    def search(self, value: str) -> None:
        """Search in the fields the organizer made searchable."""
        self.query, self.page = text_arg(value, 100), 1
        self._read()

    @rx.event
    def set_filter(self, field: str, value: str) -> None:
        """Filter on one of the organizer's filter fields; "any" removes it."""
        if field not in self.filter_fields or not isinstance(value, str):
            return
        filters = {k: v for k, v in self.filters.items() if k != field}
        if value != ANY:
            filters[field] = value[:200]
        self.filters, self.page = filters, 1
        self._read()

    @rx.event
    def go_page(self, delta: int) -> None:
        """Next or previous page."""
        step = int_arg(delta) if not isinstance(delta, int) else delta
        if step in (-1, 1):
            self.page = min(max(1, self.page + step), self.pages)
            self._read()

    def _load_slots(self) -> None:
        found = self._partner()
        space_id = int_arg(self.req_space)
        self.req_slots = []
        if found is None or space_id is None:
            return
        _principal, scope = found
        try:
            with session_scope() as session:
                spaces_ = {int_arg(s.get("id")) for s in self.space_options
                           if isinstance(s, dict)}
                if space_id not in spaces_:
                    return
                event = session.get(Event, scope.event_id)
                free = views.free_slots(session, space_id=space_id, event=event, now=clock.now(),
                                        attendee_id=self.req_attendee_id or None,
                                        language=self.language)
        except DomainError:
            return
        self.req_slots = [{"id": str(i), "label": label} for i, label in free]
        self.req_slot = self.req_slots[0]["id"] if self.req_slots else ""

    @rx.event
    def open_request(self, attendee_id: str) -> None:
        """Open the request dialog for one listed participant."""
        row = next((r for r in self.rows if r["id"] == str(attendee_id)), None)
        if row is None:
            return
        self.req_attendee_id = int(row["id"])
        self.req_attendee = " ".join(v for k, v in row.items()
                                     if k in ("first_name", "last_name")) or row.get("company", "")
        self.req_space = self.space_options[0]["id"] if self.space_options else ""
        self.req_error = ""
        self._load_slots()
        self.req_open = True

    @rx.event
    def set_req_open(self, value: bool) -> None:
        """The dialog's own close."""
        self.req_open = value is True

    @rx.event
    def pick_space(self, value: str) -> None:
        """Choose the space; its free slots follow."""
        self.req_space = text_arg(value, 12)
        self._load_slots()

    @rx.event
    def pick_slot(self, value: str) -> None:
        """Choose the slot."""
        self.req_slot = text_arg(value, 12)

    @rx.event
    def send_request(self, form: dict):  # noqa: ANN201
        """Request the meeting; the quota and the slot are checked again."""
        found = self._partner()
        if found is None:
            return self._refused()
        _principal, scope = found
        try:
            with session_scope() as session:
                requests.request_meeting(
                    session, scope, attendee_id=self.req_attendee_id,
                    space_id=int_arg(self.req_space), slot_id=int_arg(self.req_slot),
                    message=text_arg(form_arg(form).get("message"), 1000), now=clock.now())
        except DomainError as err:
            self.req_error = err.code
            return None
        self.req_open = False
        self._read()
        return rx.toast.success(self._tr("meetings.request_sent"))


class PartnerMeetingsState(PartnerBase):
    """The partner's meetings by status, with confirm, decline and cancel."""

    groups: list[dict] = []
    reason_open: bool = False
    reason_action: str = ""
    reason_meeting: int = 0
    reason_error: str = ""
    reason_slots: list[dict[str, str]] = []

    def _read(self) -> None:
        found = self._partner()
        if found is None:
            self.no_partner, self.groups = True, []
            return
        _principal, scope = found
        now = clock.now()
        with session_scope() as session:
            requests.lapse_due(session, now=now, event_id=scope.event_id)
            self._header(session, scope)
            infos = views.partner_meetings(session, scope)
        self.no_partner = False
        self.groups = [
            {"status": status,
             "rows": [self._row(i, now, self.language) for i in infos
                      if i.status == status]}
            for status in views.STATUS_ORDER
        ]

    @staticmethod
    def _row(info: views.MeetingInfo, now: datetime, language: str) -> dict[str, str]:
        return {"id": str(info.id), "who": info.attendee_name, "company": info.attendee_company,
                "space": info.space_name, "when": _when(info, language), "message": info.message,
                "reason": info.reason, "by": info.proposed_by,
                "answer": "yes" if views.can_answer(info, Proposer.PARTNER) else "no",
                "cancel": "yes" if info.status in ("requested", "confirmed") else "no"}

    @rx.event
    def load(self) -> None:
        """Read the meetings (lapsing requests whose hold time passed)."""
        self.reason_open = False
        self._read()

    @rx.event
    def confirm(self, meeting_id: str):  # noqa: ANN201
        """Accept a participant's proposal."""
        found = self._partner()
        if found is None:
            return self._refused()
        try:
            with session_scope() as session:
                requests.partner_confirm(session, found[1], meeting_id=int_arg(meeting_id),
                                         now=clock.now())
        except DomainError as err:
            self._read()
            return self._error(err)
        self._read()
        return rx.toast.success(self._tr("meetings.confirmed_toast"))

    @rx.event
    def ask_reason(self, action: str, meeting_id: str) -> None:
        """Open the reason dialog before a decline, a cancellation or a move."""
        if action not in ("decline", "cancel", "reschedule"):
            return
        self.reason_action, self.reason_meeting = action, int_arg(meeting_id) or 0
        self.reason_slots = []
        if action == "reschedule":
            found = self._partner()
            if found is None:
                return
            try:
                with session_scope() as session:
                    meeting = requests.own_partner_meeting(session, found[1],
                                                           self.reason_meeting)
                    event = session.get(Event, meeting.event_id)
                    free = views.free_slots(session, space_id=meeting.space_id, event=event,
                                            now=clock.now(), attendee_id=meeting.attendee_id,
                                            language=self.language)
            except DomainError:
                return
            self.reason_slots = [{"id": str(i), "label": label} for i, label in free]
        self.reason_error, self.reason_open = "", True

    @rx.event
    def set_reason_open(self, value: bool) -> None:
        """The dialog's own close."""
        self.reason_open = value is True

    @rx.event
    def submit_reason(self, form: dict):  # noqa: ANN201
        """Decline or cancel with the reason given; a refusal shows in the dialog."""
        found = self._partner()
        if found is None:
            return self._refused()
        form = form_arg(form)
        reason = text_arg(form.get("reason"), 1000)
        # Both vars are the client's to overwrite: only known actions, only a real id.
        action, meeting_id = str(self.reason_action), int_arg(self.reason_meeting)
        fn = {"decline": requests.partner_decline,
              "cancel": requests.partner_cancel}.get(action)
        try:
            with session_scope() as session:
                if action == "reschedule":
                    requests.partner_reschedule(
                        session, found[1], meeting_id=meeting_id,
                        slot_id=int_arg(form.get("slot")), reason=reason, now=clock.now())
                elif fn is not None:
                    fn(session, found[1], meeting_id=meeting_id, reason=reason,
                       now=clock.now())
                else:
                    raise NotAllowed()
        except DomainError as err:
            self.reason_error = err.code
            return None
        self.reason_open = False
        self._read()
        return rx.toast.success(self._tr("meetings.saved"))


class PartnerCalendarState(PartnerBase):
    """Slots down, the partner's spaces across; availability per cell; counters."""

    slot_rows: list[dict] = []
    space_cols: list[dict[str, str]] = []
    selectable: int = 0
    unopened: int = 0
    confirmed: int = 0
    detail: dict[str, str] = {}
    detail_log: list[dict[str, str]] = []
    detail_open: bool = False
    contacts: list[dict[str, str]] = []

    def _read(self) -> None:
        found = self._partner()
        if found is None:
            self.no_partner, self.slot_rows = True, []
            return
        _principal, scope = found
        with session_scope() as session:
            self._header(session, scope)
            view = views.partner_calendar(session, scope, now=clock.now(),
                                          language=self.language)
            self.contacts = [{"id": str(uid), "email": email} for uid, email in
                             spaces.partner_contacts(session, partner_id=scope.partner_id)]
        self.no_partner = False
        self.space_cols = [{"id": str(i), "name": n, "contact": c} for i, n, c in view.spaces]
        self.slot_rows = [
            {"id": str(sid), "day": day, "label": label,
             "cells": [{"space": str(sp), "slot": str(sid),
                        "state": view.cells[(sid, sp)].state,
                        "meeting": str(view.cells[(sid, sp)].meeting_id),
                        "who": view.cells[(sid, sp)].label} for sp, _n, _c in view.spaces]}
            for sid, day, label in view.slots
        ]
        self.selectable, self.unopened, self.confirmed = (view.selectable, view.unopened,
                                                          view.confirmed)

    @rx.event
    def load(self) -> None:
        """Read the calendar."""
        self.detail_open = False
        self._read()

    @rx.event
    def toggle(self, space_id: str, slot_id: str, state: str):  # noqa: ANN201
        """Open a closed cell or close an open one; held and booked cells open details."""
        found = self._partner()
        if found is None:
            return self._refused()
        if state not in ("open", "closed"):
            return None
        return self._write(lambda session: spaces.set_availability(
            session, found[1], space_id=int_arg(space_id), slot_id=int_arg(slot_id),
            available=state == "closed"), toast=None)

    @rx.event
    def open_meeting(self, meeting_id: str):  # noqa: ANN201
        """Show one of the partner's meetings."""
        found = self._partner()
        if found is None:
            return self._refused()
        try:
            with session_scope() as session:
                meeting = requests.own_partner_meeting(session, found[1], int_arg(meeting_id))
                info = views.meeting_info(session, meeting.id)
                log = get_status_log(session, organization_id=meeting.organization_id,
                                     entity_type=requests.ENTITY, entity_id=meeting.id)
        except DomainError as err:
            return self._error(err)
        self.detail = {"who": info.attendee_name, "company": info.attendee_company,
                       "when": _when(info, self.language), "space": info.space_name,
                       "status": info.status,
                       "message": info.message}
        # Email lines keep their word ("scheduled", "sent"); their technical detail (kind,
        # UTC due time, server reply) is for the organizer's outbox, not the partner.
        self.detail_log = [{"event": r.event,
                            "at": format_short(r.at, self.language, info.timezone),
                            "detail": "" if r.event in _EMAIL_EVENTS else r.detail}
                           for r in log]
        self.detail_open = True
        return None

    @rx.event
    def set_detail_open(self, value: bool) -> None:
        """The dialog's own close."""
        self.detail_open = value is True

    @rx.event
    def assign_contact(self, space_id: str, user_id: str):  # noqa: ANN201
        """Tie one of the partner's spaces to one of its contacts (if allowed)."""
        found = self._partner()
        if found is None:
            return self._refused()
        return self._write(lambda session: spaces.assign_contact_as_partner(
            session, found[1], space_id=int_arg(space_id), contact_user_id=int_arg(user_id)),
            toast=None)
