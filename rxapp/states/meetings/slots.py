"""State of an event's slot grid: add one, bulk add with progress, delete unused (R-BM-2)."""

import asyncio
import logging
import threading
from datetime import date, time, timedelta

import reflex as rx

from rxapp.db import session_scope
from rxapp.i18n.formats import format_date
from rxapp.services.common.errors import DomainError
from rxapp.services.meetings import events, slots
from rxapp.states.meetings.base import MeetingsState, form_arg, int_arg, text_arg

logger = logging.getLogger(__name__)


def _time(value: object) -> time | None:
    try:
        return time.fromisoformat(text_arg(value, 5))
    except ValueError:
        return None


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(text_arg(value, 10))
    except ValueError:
        return None


class SlotsState(MeetingsState):
    """The event's shared slots, grouped by day, in the event's zone."""

    days: list[dict] = []
    total: int = 0
    timezone: str = ""
    first_day: str = ""
    last_day: str = ""
    errors: dict[str, str] = {}
    bulk_errors: dict[str, str] = {}
    running: bool = False
    done: int = 0
    todo: int = 0
    confirm_delete: bool = False
    _bulk: dict = {}

    def _read(self) -> None:
        principal = self._organizer()
        if principal is None:
            self.days, self.total = [], 0
            return
        eid = self._page_event(principal)
        if eid is None:
            return
        with session_scope() as session:
            event = events.get_event(session, organization_id=principal.organization_id,
                                     event_id=eid)
            rows = slots.list_slots(session, organization_id=principal.organization_id,
                                    event_id=eid)
        self.timezone = event.timezone
        self.first_day, self.last_day = event.first_day.isoformat(), event.last_day.isoformat()
        by_day: dict[str, list[dict[str, str]]] = {}
        for r in rows:
            # The day as the reader writes it; r.day (ISO) stays for the form's inputs.
            day = format_date(r.starts_at, self.language, event.timezone)
            by_day.setdefault(day, []).append(
                {"id": str(r.id), "label": r.label, "used": "yes" if r.in_use else "no"})
        self.days = [{"day": d, "slots": s} for d, s in by_day.items()]
        self.total = len(rows)

    @rx.event
    def load(self) -> None:
        """Read the grid of the event in the address."""
        self.event_id = 0
        self.errors, self.bulk_errors = {}, {}
        self.confirm_delete = False
        self._read()

    @rx.event
    def add_one(self, form: dict):  # noqa: ANN201
        """Add one slot: a day, a start time and a length."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        form = form_arg(form)
        day, start = _date(form.get("day")), _time(form.get("start"))
        minutes = int_arg(form.get("minutes"))
        if day is None or start is None or minutes is None:
            self.errors = {"day" if day is None else "start" if start is None else "minutes":
                           "meetings.slot_fields_required"}
            return None
        return self._write(lambda session: slots.add_slot(
            session, organization_id=principal.organization_id, event_id=self.event_id,
            day=day, start=start, minutes=minutes),
            errors="errors", field="day", toast="meetings.slot_added")

    @rx.event
    def start_bulk(self, form: dict):  # noqa: ANN201
        """Check the bulk form, then add the grid in the background with progress."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        form = form_arg(form)
        first, last = _date(form.get("from_day")), _date(form.get("to_day"))
        start, end = _time(form.get("from_time")), _time(form.get("to_time"))
        minutes = int_arg(form.get("minutes"))
        pause_from, pause_to = _time(form.get("break_from")), _time(form.get("break_to"))
        errors = {k: "meetings.slot_fields_required" for k, v in (
            ("from_day", first), ("to_day", last), ("from_time", start), ("to_time", end),
            ("minutes", minutes)) if v is None}
        if not errors and last < first:  # type: ignore[operator]
            errors["to_day"] = "meetings.days_order"
        if not errors and (last - first).days > 31:  # type: ignore[operator]
            errors["to_day"] = "meetings.slot_too_many"
        if errors:
            self.bulk_errors = errors
            return None
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]  # type: ignore
        breaks = [(pause_from, pause_to)] if pause_from and pause_to else []
        try:
            with session_scope() as session:
                event = events.get_event(session, organization_id=principal.organization_id,
                                         event_id=self.event_id)
                planned = slots.plan_bulk(event, days=days, from_time=start, to_time=end,
                                          minutes=minutes, breaks=breaks)
        except DomainError as err:
            self.bulk_errors = {err.field or "minutes": err.code}
            return None
        self.bulk_errors = {}
        self._bulk = {"days": days, "from_time": start, "to_time": end, "minutes": minutes,
                      "breaks": breaks}
        self.todo, self.done = len(planned), 0
        return SlotsState.run_bulk

    @rx.event(background=True)
    async def run_bulk(self):  # noqa: ANN201
        """Add the planned slots off the state lock, publishing progress (R-UI-2)."""
        async with self:
            principal = self._organizer()
            job, self._bulk = self._bulk, {}
            event_id = self.event_id
            if principal is None or not job or self.running:
                return
            self.running = True
        counter = {"done": 0, "total": 0}
        lock = threading.Lock()

        def progress(done: int, total: int) -> None:
            with lock:
                counter["done"], counter["total"] = done, total

        def work() -> int:
            with session_scope() as session:
                return slots.bulk_add_slots(session, organization_id=principal.organization_id,
                                            event_id=event_id, on_progress=progress, **job)

        task = asyncio.create_task(asyncio.to_thread(work))
        while not task.done():
            await asyncio.sleep(0.2)
            async with self:
                with lock:
                    self.done, self.todo = counter["done"], counter["total"] or self.todo
        try:
            added = task.result()
        except DomainError as err:
            async with self:
                self.running = False
            yield rx.toast.error(self._tr(err.code))
            return
        except Exception:
            logger.exception("bulk slot add failed")
            async with self:
                self.running = False
            yield rx.toast.error(self._tr("error.unexpected"))
            return
        async with self:
            self.running = False
            self.done = self.todo
            self._read()
        yield rx.toast.success(self._tr("meetings.slots_added", n=added))

    @rx.event
    def delete_slot(self, slot_id: int):  # noqa: ANN201
        """Delete one slot if nothing uses it."""
        principal = self._organizer()
        if principal is None:
            return self._refused()
        slot = int_arg(slot_id)
        if slot is None:
            return self._refused()
        try:
            with session_scope() as session:
                deleted, _kept = slots.delete_slots(
                    session, organization_id=principal.organization_id,
                    event_id=self.event_id, slot_ids=[slot])
        except DomainError as err:
            return self._error(err)
        self._read()
        if not deleted:
            return rx.toast.error(self._tr("meetings.slot_in_use"))
        return None

    @rx.event
    def ask_delete_unused(self) -> None:
        """Open the confirmation before deleting every unused slot."""
        self.confirm_delete = True

    @rx.event
    def set_confirm_delete(self, value: bool) -> None:
        """The dialog's own open/close."""
        self.confirm_delete = bool(value) if isinstance(value, bool) else False

    @rx.event
    def delete_unused(self):  # noqa: ANN201
        """Delete every slot that no availability or meeting uses."""
        self.confirm_delete = False
        principal = self._organizer()
        if principal is None:
            return self._refused()
        return self._write(lambda session: slots.delete_unused_slots(
            session, organization_id=principal.organization_id, event_id=self.event_id),
            toast="meetings.slots_deleted", count=True)
