"""Meeting requests and their answers: request, confirm, decline, cancel, lapse (R-BM-6..9).

Integrity is the database's: two confirmations of one attendee (or one space) into one
slot cannot both commit, whatever the checks before them saw (R-BM-8). The loser's
IntegrityError becomes ``meetings.slot_taken``. A request holds its space and slot
until ``hold_until`` (R-PLUS-5); no change is accepted later than the event's cancel
window before the slot, and a cancellation needs a reason (R-PLUS-9).
"""

import logging
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rxapp.models.meetings import (
    Attendee,
    Availability,
    Event,
    Meeting,
    MeetingSpace,
    MeetingStatus,
    Partner,
    Proposer,
    Slot,
)
from rxapp.models.outbox import StatusKind
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.common.status_log import record_status
from rxapp.services.common.tenancy import owned_row
from rxapp.services.meetings.access import PartnerScope, own_meeting, own_space
from rxapp.services.meetings.matching import can_meet
from rxapp.services.meetings.quotas import ledger

logger = logging.getLogger(__name__)
ENTITY = "meeting"
REASON_MAX = 1000
LIVE = (MeetingStatus.REQUESTED.value, MeetingStatus.CONFIRMED.value)


def _log(session: Session, meeting: Meeting, event: StatusKind, now: datetime,
         detail: str = "") -> None:
    record_status(session, organization_id=meeting.organization_id, entity_type=ENTITY,
                  entity_id=meeting.id or 0, event=event, now=now, detail=detail)


def _lock_partner(session: Session, partner_id: int) -> Partner:
    # One request or confirmation per partner at a time on PostgreSQL, so two of them
    # cannot both pass the quota check; SQLite serializes writers anyway.
    partner = session.exec(
        select(Partner).where(Partner.id == partner_id).with_for_update()
    ).one()
    return partner


def slot_is_held(session: Session, *, space_id: int, slot_id: int, now: datetime,
                 except_id: int | None = None) -> bool:
    """Whether a confirmed meeting or a live request occupies the space in the slot."""
    query = select(Meeting.id).where(
        Meeting.space_id == space_id, Meeting.slot_id == slot_id,
        (Meeting.status == MeetingStatus.CONFIRMED.value)
        | ((Meeting.status == MeetingStatus.REQUESTED.value) & (col(Meeting.hold_until) > now)),
    )
    if except_id is not None:
        query = query.where(Meeting.id != except_id)
    return session.exec(query).first() is not None


def _create(session: Session, *, partner: Partner, space: MeetingSpace, attendee: Attendee,
            slot_id: object, message: str, proposer: Proposer, now: datetime) -> Meeting:
    event = session.get(Event, partner.event_id)
    if event is None or not event.module_enabled:
        raise NotAllowed("meetings.module_off")
    slot = owned_row(session, Slot, slot_id, organization_id=partner.organization_id)
    if slot.event_id != event.id or attendee.event_id != event.id:
        raise NotAllowed()
    if slot.starts_at <= now:
        raise DomainError("meetings.slot_past", "slot_id")
    if not can_meet(session, partner, attendee):
        raise NotAllowed("meetings.not_matched")
    open_ = session.exec(select(Availability.id).where(
        Availability.space_id == space.id, Availability.slot_id == slot.id)).first()
    if open_ is None:
        raise DomainError("meetings.slot_not_open", "slot_id")
    if slot_is_held(session, space_id=space.id or 0, slot_id=slot.id or 0, now=now):
        raise DomainError("meetings.slot_taken", "slot_id")
    busy = session.exec(select(Meeting.id).where(
        Meeting.attendee_id == attendee.id, Meeting.slot_id == slot.id,
        Meeting.status == MeetingStatus.CONFIRMED.value)).first()
    if busy is not None:
        raise DomainError("meetings.attendee_busy", "slot_id")
    _lock_partner(session, partner.id or 0)
    if proposer is Proposer.PARTNER:
        book = ledger(session, partner=partner, event=event)
        if book.left is not None and book.left <= 0:
            raise DomainError("meetings.quota_reached")
    meeting = Meeting(
        organization_id=partner.organization_id, event_id=event.id or 0,
        partner_id=partner.id or 0, space_id=space.id or 0, slot_id=slot.id or 0,
        attendee_id=attendee.id or 0, proposed_by=proposer.value,
        status=MeetingStatus.REQUESTED.value, message=(message or "").strip()[:REASON_MAX],
        hold_until=min(now + timedelta(minutes=event.hold_minutes), slot.starts_at),
        created_at=now, updated_at=now,
    )
    session.add(meeting)
    session.flush()
    _log(session, meeting, StatusKind.REQUESTED, now, f"by {proposer.value}")
    return meeting


def request_meeting(session: Session, scope: PartnerScope, *, attendee_id: object,
                    space_id: object, slot_id: object, message: str = "",
                    now: datetime) -> Meeting:
    """A partner asks an attendee it may see for a meeting in one of its open slots."""
    space = own_space(session, scope, space_id)
    attendee = owned_row(session, Attendee, attendee_id, organization_id=scope.organization_id)
    partner = session.get(Partner, scope.partner_id)
    if partner is None:
        raise NotAllowed()
    return _create(session, partner=partner, space=space, attendee=attendee, slot_id=slot_id,
                   message=message, proposer=Proposer.PARTNER, now=now)


def propose_meeting(session: Session, attendee: Attendee, *, space_id: object,
                    slot_id: object, message: str = "", now: datetime) -> Meeting:
    """An attendee (from the agenda) proposes a meeting in a partner's open slot."""
    space = owned_row(session, MeetingSpace, space_id, organization_id=attendee.organization_id)
    partner = session.get(Partner, space.partner_id)
    if partner is None or partner.event_id != attendee.event_id:
        raise NotAllowed()
    return _create(session, partner=partner, space=space, attendee=attendee, slot_id=slot_id,
                   message=message, proposer=Proposer.ATTENDEE, now=now)


def _expire_if_due(session: Session, meeting: Meeting, now: datetime) -> bool:
    if (meeting.status == MeetingStatus.REQUESTED.value and meeting.hold_until is not None
            and meeting.hold_until <= now):
        meeting.status = MeetingStatus.LAPSED.value
        meeting.updated_at = now
        session.add(meeting)
        _log(session, meeting, StatusKind.EXPIRED, now, "no answer before the hold time")
        from rxapp.services.meetings.mail import schedule_notice  # cycle: mail uses views

        schedule_notice(session, meeting, notice="lapsed", now=now)
        return True
    return False


def confirm(session: Session, meeting: Meeting, *, by: Proposer, now: datetime) -> Meeting:
    """The side that did not propose accepts; the database decides between concurrent ones.

    On a lost race the session's transaction is rolled back and ``meetings.slot_taken``
    (or ``meetings.attendee_busy``) is raised.

    Raises:
        DomainError: Not pending, lapsed, quota reached, or the slot was taken.
        NotAllowed: The proposer tries to confirm its own request.
    """
    if meeting.proposed_by == by.value:
        raise NotAllowed("meetings.own_request")
    if _expire_if_due(session, meeting, now):
        raise DomainError("meetings.request_lapsed")
    if meeting.status != MeetingStatus.REQUESTED.value:
        raise DomainError("meetings.not_pending")
    partner = _lock_partner(session, meeting.partner_id)
    event = session.get(Event, meeting.event_id)
    book = ledger(session, partner=partner, event=event)  # type: ignore[arg-type]
    # This meeting is one of the pending ones; confirming moves it to used.
    if book.quota is not None and book.used >= book.quota:
        raise DomainError("meetings.quota_reached")
    meeting_id = meeting.id
    try:
        result = session.execute(
            update(Meeting)
            .where(col(Meeting.id) == meeting_id, col(Meeting.status) == "requested")
            .values(status=MeetingStatus.CONFIRMED.value, updated_at=now, hold_until=None)
            .execution_options(synchronize_session=False)
        )
    except IntegrityError as exc:
        session.rollback()
        code = "meetings.attendee_busy" if "attendee" in str(exc.orig) else "meetings.slot_taken"
        logger.info("meeting confirmation lost a race", extra={"meeting_id": meeting_id})
        raise DomainError(code) from exc
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError("meetings.not_pending")
    session.refresh(meeting)
    _log(session, meeting, StatusKind.ACCEPTED, now, f"by {by.value}")
    from rxapp.services.meetings.mail import schedule_accepted

    schedule_accepted(session, meeting, now=now)
    return meeting


def _reason(reason: str, *, required: bool) -> str:
    text = (reason or "").strip()[:REASON_MAX]
    if required and not text:
        raise DomainError("meetings.reason_required", "reason")
    return text


def decline(session: Session, meeting: Meeting, *, by: Proposer, reason: str = "",
            now: datetime) -> Meeting:
    """The side that did not propose says no to a pending request; its unit comes back."""
    if meeting.proposed_by == by.value:
        raise NotAllowed("meetings.own_request")
    if _expire_if_due(session, meeting, now):
        raise DomainError("meetings.request_lapsed")
    if meeting.status != MeetingStatus.REQUESTED.value:
        raise DomainError("meetings.not_pending")
    meeting.status = MeetingStatus.DECLINED.value
    meeting.reason = _reason(reason, required=False)
    meeting.updated_at = now
    meeting.hold_until = None
    session.add(meeting)
    session.flush()
    _log(session, meeting, StatusKind.DECLINED, now, f"by {by.value}: {meeting.reason}".strip())
    from rxapp.services.meetings.mail import schedule_notice

    schedule_notice(session, meeting, notice="declined", now=now)
    return meeting


def cancel(session: Session, meeting: Meeting, *, by: Proposer, reason: str,
           now: datetime) -> Meeting:
    """Either side calls off a pending or confirmed meeting, with a reason (R-PLUS-9).

    Raises:
        DomainError: ``meetings.reason_required``; ``meetings.cancel_window_passed`` later
            than the event's window before the slot; ``meetings.not_cancellable``.
    """
    if meeting.status not in LIVE:
        raise DomainError("meetings.not_cancellable")
    text = _reason(reason, required=True)
    event = session.get(Event, meeting.event_id)
    slot = session.get(Slot, meeting.slot_id)
    if event is None or slot is None:
        raise NotAllowed()
    if slot.starts_at - now < timedelta(hours=event.cancel_window_hours):
        raise DomainError("meetings.cancel_window_passed", "reason")
    was_confirmed = meeting.status == MeetingStatus.CONFIRMED.value
    meeting.status = MeetingStatus.CANCELLED.value
    meeting.reason = text
    meeting.updated_at = now
    meeting.hold_until = None
    session.add(meeting)
    session.flush()
    _log(session, meeting, StatusKind.CANCELLED, now, f"by {by.value}: {text}")
    from rxapp.services.meetings.mail import schedule_notice

    schedule_notice(session, meeting, notice="cancelled", now=now, send_ics_cancel=was_confirmed)
    return meeting


def reschedule(session: Session, meeting: Meeting, *, by: Proposer, slot_id: object,
               reason: str, now: datetime) -> Meeting:
    """Move a pending or confirmed meeting to another open slot of its space (R-PLUS-9).

    Refused later than the cancel window before the current slot, without a reason, or
    into a slot that is taken; a confirmed meeting stays confirmed, the database deciding
    between concurrent moves, and the attendee gets the new time and .ics.

    Raises:
        DomainError: As for :func:`cancel`, plus the slot checks of a new request.
    """
    if meeting.status not in LIVE:
        raise DomainError("meetings.not_cancellable")
    text = _reason(reason, required=True)
    event = session.get(Event, meeting.event_id)
    old = session.get(Slot, meeting.slot_id)
    new = owned_row(session, Slot, slot_id, organization_id=meeting.organization_id)
    if event is None or old is None or new.event_id != meeting.event_id:
        raise NotAllowed()
    if old.starts_at - now < timedelta(hours=event.cancel_window_hours):
        raise DomainError("meetings.cancel_window_passed", "reason")
    if new.starts_at <= now:
        raise DomainError("meetings.slot_past", "slot_id")
    if new.id == old.id:
        raise DomainError("meetings.slot_taken", "slot_id")
    open_ = session.exec(select(Availability.id).where(
        Availability.space_id == meeting.space_id, Availability.slot_id == new.id)).first()
    if open_ is None:
        raise DomainError("meetings.slot_not_open", "slot_id")
    if slot_is_held(session, space_id=meeting.space_id, slot_id=new.id or 0, now=now,
                    except_id=meeting.id):
        raise DomainError("meetings.slot_taken", "slot_id")
    meeting_id = meeting.id
    try:
        session.execute(
            update(Meeting).where(col(Meeting.id) == meeting_id)
            .values(slot_id=new.id, updated_at=now, reason=text)
            .execution_options(synchronize_session=False))
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise DomainError("meetings.slot_taken", "slot_id") from exc
    session.refresh(meeting)
    _log(session, meeting, StatusKind.RESCHEDULED, now, f"by {by.value}: {text}")
    from rxapp.services.meetings.mail import schedule_accepted, schedule_notice

    if meeting.status == MeetingStatus.CONFIRMED.value:
        schedule_accepted(session, meeting, now=now)
    else:
        schedule_notice(session, meeting, notice="rescheduled", now=now)
    return meeting


LAPSE_BATCH = 1000


def lapse_due(session: Session, *, now: datetime, event_id: int | None = None) -> int:
    """Lapse every request whose hold time has passed (with its notice); returns how many."""
    query = select(Meeting).where(Meeting.status == MeetingStatus.REQUESTED.value,
                                  col(Meeting.hold_until) <= now)
    if event_id is not None:
        query = query.where(Meeting.event_id == event_id)
    # Several schedulers may tick at once: each takes rows the others have not locked
    # (PostgreSQL; SQLite has one writer anyway), so a request lapses with one notice.
    query = query.order_by(col(Meeting.id)).limit(LAPSE_BATCH).with_for_update(skip_locked=True)
    count = 0
    for meeting in session.exec(query).all():
        count += _expire_if_due(session, meeting, now)
    if count:
        session.flush()
    return count


# --- the same actions, scoped to who acts ------------------------------------------


def own_partner_meeting(session: Session, scope: PartnerScope, meeting_id: object) -> Meeting:
    """A meeting of the scope's partner (else NotAllowed)."""
    return own_meeting(session, scope, meeting_id)


def partner_confirm(session: Session, scope: PartnerScope, *, meeting_id: object,
                    now: datetime) -> Meeting:
    """A partner user confirms an attendee's proposal to its own partner."""
    return confirm(session, own_meeting(session, scope, meeting_id), by=Proposer.PARTNER, now=now)


def partner_decline(session: Session, scope: PartnerScope, *, meeting_id: object,
                    reason: str = "", now: datetime) -> Meeting:
    """A partner user declines an attendee's proposal to its own partner."""
    return decline(session, own_meeting(session, scope, meeting_id), by=Proposer.PARTNER,
                   reason=reason, now=now)


def partner_cancel(session: Session, scope: PartnerScope, *, meeting_id: object, reason: str,
                   now: datetime) -> Meeting:
    """A partner user cancels one of its own partner's meetings."""
    return cancel(session, own_meeting(session, scope, meeting_id), by=Proposer.PARTNER,
                  reason=reason, now=now)


def partner_reschedule(session: Session, scope: PartnerScope, *, meeting_id: object,
                       slot_id: object, reason: str, now: datetime) -> Meeting:
    """A partner user moves one of its own partner's meetings to another open slot."""
    return reschedule(session, own_meeting(session, scope, meeting_id), by=Proposer.PARTNER,
                      slot_id=slot_id, reason=reason, now=now)


def own_attendee_meeting(session: Session, attendee: Attendee, meeting_id: object) -> Meeting:
    """A meeting of this attendee, whatever id was sent (else NotAllowed)."""
    meeting = owned_row(session, Meeting, meeting_id, organization_id=attendee.organization_id)
    if meeting.attendee_id != attendee.id:
        raise NotAllowed()
    return meeting


def attendee_confirm(session: Session, attendee: Attendee, *, meeting_id: object,
                     now: datetime) -> Meeting:
    """An attendee accepts a partner's request from the agenda."""
    return confirm(session, own_attendee_meeting(session, attendee, meeting_id),
                   by=Proposer.ATTENDEE, now=now)


def attendee_decline(session: Session, attendee: Attendee, *, meeting_id: object,
                     reason: str = "", now: datetime) -> Meeting:
    """An attendee declines a partner's request from the agenda."""
    return decline(session, own_attendee_meeting(session, attendee, meeting_id),
                   by=Proposer.ATTENDEE, reason=reason, now=now)


def attendee_cancel(session: Session, attendee: Attendee, *, meeting_id: object, reason: str,
                    now: datetime) -> Meeting:
    """An attendee cancels one of their meetings from the agenda."""
    return cancel(session, own_attendee_meeting(session, attendee, meeting_id),
                  by=Proposer.ATTENDEE, reason=reason, now=now)
