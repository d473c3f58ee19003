"""State of an event's matching rules with their preview counts (R-BM-5)."""

import reflex as rx

from rxapp.db import session_scope
from rxapp.services.meetings import matching
from rxapp.states.meetings.base import MeetingsState, form_arg, int_arg, text_arg

NONE = "none"


def _condition(form: dict, prefix: str) -> list[dict]:
    field = text_arg(form.get(f"{prefix}_field"), 64)
    if not field or field == NONE:
        return []
    return [{"field": field, "op": text_arg(form.get(f"{prefix}_op"), 16) or "equals",
             "values": text_arg(form.get(f"{prefix}_values"), 500)}]


def _describe(conditions: tuple[dict, ...], tr) -> str:  # noqa: ANN001
    """Conditions in words of the UI language, e.g. "Type is one of Gold, Platinum"."""
    words = []
    for c in conditions:
        key = f"meetings.field.{c['field']}"
        field = tr(key) if tr(key) != key else c["field"]
        words.append(f"{field} {tr('meetings.op.' + c['op'])} {', '.join(c['values'])}".strip())
    return " · ".join(words)


class RulesState(MeetingsState):
    """Ordered rules: which partners see which participants; each with its counts."""

    rows: list[dict[str, str]] = []
    errors: dict[str, str] = {}

    def _read(self) -> None:
        principal = self._organizer()
        if principal is None:
            self.rows = []
            return
        eid = self._page_event(principal)
        if eid is None:
            return
        with session_scope() as session:
            rules = matching.preview_rules(session, organization_id=principal.organization_id,
                                           event_id=eid)
        self.rows = [{"id": str(r.id), "position": str(i + 1), "name": r.name,
                      "partner": _describe(r.partner_conditions, self._tr),
                      "attendee": _describe(r.attendee_conditions, self._tr),
                      "partners": str(r.partners), "attendees": str(r.attendees)}
                     for i, r in enumerate(rules)]

    @rx.event
    def load(self) -> None:
        """Read the rules of the event in the address."""
        self.event_id = 0
        self.errors = {}
        self._read()

    @rx.event
    def add_rule(self, form: dict):  # noqa: ANN201
        """Add a rule at the end: one partner condition, up to two participant conditions."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        form = form_arg(form)
        # The form shows one message, whichever condition it is about.
        return self._write(lambda session: matching.save_rule(
            session, organization_id=principal.organization_id, event_id=self.event_id,
            name=text_arg(form.get("name")), partner_conditions=_condition(form, "p"),
            attendee_conditions=_condition(form, "a1") + _condition(form, "a2")),
            errors="errors", field="rule", by_field=False)

    @rx.event
    def delete_rule(self, rule_id: str):  # noqa: ANN201
        """Delete a rule."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        return self._write(lambda session: matching.delete_rule(
            session, organization_id=principal.organization_id, rule_id=int_arg(rule_id)),
            toast=None)

    @rx.event
    def move(self, rule_id: str, up: bool):  # noqa: ANN201
        """Move a rule up or down; the first matching rule wins."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        return self._write(lambda session: matching.move_rule(
            session, organization_id=principal.organization_id, rule_id=int_arg(rule_id),
            up=up is True), toast=None)
