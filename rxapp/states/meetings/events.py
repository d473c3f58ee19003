"""States of the organizer's events list and an event's configuration (R-BM-1, R-BM-9)."""

from datetime import date

import reflex as rx

from rxapp import clock, routes
from rxapp.db import session_scope
from rxapp.models.accounts import Role
from rxapp.services.common.errors import DomainError
from rxapp.services.meetings import events, partners, quotas
from rxapp.services.meetings.events import ATTENDEE_FIELDS, FILTERABLE_FIELDS, SEARCHABLE_FIELDS
from rxapp.states.meetings.base import MeetingsState, form_arg, text_arg

OPTION_KINDS = {"search_fields": SEARCHABLE_FIELDS, "filter_fields": FILTERABLE_FIELDS,
                "columns": ATTENDEE_FIELDS}


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(text_arg(value, 10))
    except ValueError:
        return None


class EventsState(MeetingsState):
    """The organization's events and the form that creates one."""

    rows: list[dict[str, str]] = []
    errors: dict[str, str] = {}

    @rx.event
    def load(self):  # noqa: ANN201
        """List the events; a partner user is sent to its partner space."""
        principal = self._principal()
        if principal is not None and principal.role == Role.PARTNER.value:
            return rx.redirect(routes.PARTNER_SPACE)
        principal = self._organizer()
        self.errors = {}
        if principal is None:
            self.rows = []
            return None
        with session_scope() as session:
            found = events.list_events(session, organization_id=principal.organization_id)
        self.rows = [{"id": str(e.id), "name": e.name, "venue": e.venue,
                      "days": self._days(e.first_day, e.last_day),
                      "tz": e.timezone, "on": "yes" if e.module_enabled else "no",
                      "href": routes.event_path(e.id)} for e in found]
        return None

    @rx.event
    def create(self, form: dict):  # noqa: ANN201
        """Create an event from the form; errors show next to their field."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        form = form_arg(form)
        first, last = _day(form.get("first_day")), _day(form.get("last_day"))
        errors = {}
        if first is None:
            errors["first_day"] = "meetings.day_required"
        if last is None:
            errors["last_day"] = "meetings.day_required"
        if errors:
            self.errors = errors
            return None
        try:
            with session_scope() as session:
                event = events.create_event(
                    session, organization_id=principal.organization_id,
                    name=text_arg(form.get("name")), venue=text_arg(form.get("venue")),
                    timezone=text_arg(form.get("timezone"), 64) or "Europe/Paris",
                    first_day=first, last_day=last, now=clock.now())
                event_id = event.id
        except DomainError as err:
            self.errors = {err.field or "name": err.code}
            return None
        self.errors = {}
        return rx.redirect(routes.event_path(event_id))


class EventState(MeetingsState):
    """One event's module switch, settings and partner-space options."""

    found: bool = False
    module_enabled: bool = False
    venue: str = ""
    timezone: str = ""
    days: str = ""
    global_quota: str = ""
    hold_minutes: str = ""
    cancel_window_hours: str = ""
    options: dict[str, list[str]] = {}
    partners_manage_spaces: bool = False
    errors: dict[str, str] = {}
    ledgers: list[dict[str, str]] = []

    def _read(self) -> None:
        principal = self._organizer()
        self.found = False
        if principal is None:
            return
        eid = self._path_event(principal)
        if eid is None:
            return
        with session_scope() as session:
            event = events.get_event(session, organization_id=principal.organization_id,
                                     event_id=eid)
            row = events.event_row(event)
            books = []
            for p in partners.list_partners(session, organization_id=principal.organization_id,
                                            event_id=eid):
                partner = partners.get_partner(session, organization_id=principal.organization_id,
                                               partner_id=p.id)
                b = quotas.ledger(session, partner=partner, event=event)
                books.append({"name": p.name, "type": p.type, "level": b.level,
                              "quota": "∞" if b.quota is None else str(b.quota),
                              "used": str(b.used), "pending": str(b.pending),
                              "left": "∞" if b.left is None else str(b.left)})
        self.found = True
        self.module_enabled = row.module_enabled
        self.venue, self.timezone = row.venue, row.timezone
        self.days = self._days(row.first_day, row.last_day)
        self.global_quota = "" if row.global_quota is None else str(row.global_quota)
        self.hold_minutes = str(row.hold_minutes)
        self.cancel_window_hours = str(row.cancel_window_hours)
        self.options = {"search_fields": list(row.search_fields),
                        "filter_fields": list(row.filter_fields), "columns": list(row.columns)}
        self.partners_manage_spaces = row.partners_manage_spaces
        self.ledgers = books

    @rx.event
    def load(self) -> None:
        """Read the event (the organizer's own only)."""
        self.errors = {}
        self._read()

    @rx.event
    def set_module(self, value: bool):  # noqa: ANN201
        """Switch the business-meetings module of the event on or off (R-BM-1)."""
        principal = self._organizer()
        if principal is None or not isinstance(value, bool):
            return self._refused()
        return self._write(lambda session: events.set_module_enabled(
            session, organization_id=principal.organization_id, event_id=self.event_id,
            enabled=value))

    @rx.event
    def save(self, form: dict):  # noqa: ANN201
        """Store quota, hold time and cancel window; errors go next to their field."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        form = form_arg(form)
        return self._write(lambda session: events.update_settings(
            session, organization_id=principal.organization_id, event_id=self.event_id,
            global_quota=text_arg(form.get("global_quota"), 9),
            hold_minutes=text_arg(form.get("hold_minutes"), 9),
            cancel_window_hours=text_arg(form.get("cancel_window_hours"), 9)), errors="errors")

    @rx.event
    def toggle_option(self, kind: str, field: str):  # noqa: ANN201
        """Add or remove one attendee field of the partner space's search, filters or columns."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        # Strings only: a dict or list as `kind` would not even be hashable.
        if not isinstance(kind, str) or not isinstance(field, str):
            return self._refused()
        if kind not in OPTION_KINDS or field not in OPTION_KINDS[kind]:
            return self._refused()
        # `options` is the client's to overwrite: keep only known field names of it.
        current = self.options.get(kind) if isinstance(self.options, dict) else None
        chosen = [f for f in (current if isinstance(current, list) else [])
                  if isinstance(f, str) and f in OPTION_KINDS[kind]]
        chosen = [f for f in chosen if f != field] if field in chosen else [*chosen, field]
        return self._write(lambda session: events.update_settings(
            session, organization_id=principal.organization_id, event_id=self.event_id,
            **{kind: chosen}), toast=None)

    @rx.event
    def set_partners_manage(self, value: bool):  # noqa: ANN201
        """Let partners create their own spaces and assign contacts (R-BM-9)."""
        principal = self._organizer()
        if principal is None or not isinstance(value, bool):
            return self._refused()
        return self._write(lambda session: events.update_settings(
            session, organization_id=principal.organization_id, event_id=self.event_id,
            partners_manage_spaces=value), toast=None)
