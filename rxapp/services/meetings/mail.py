"""The meeting emails (R-BM-8): queued in the action's transaction, completed at send time.

``meeting_accepted`` goes to the attendee whenever a meeting is confirmed, with the
organizer's template (rendered in the sandbox) and the .ics; ``meeting_notice`` tells
the other side that a request was declined, lapsed or a meeting was cancelled (with the
reason, and METHOD:CANCEL for the attendee of a confirmed meeting). The agenda link is
rebuilt at send time: queued rows hold only ids. The scheduler's kind table lists
:func:`check_meeting_mail`, :func:`meeting_mail_context` and :func:`meeting_mail_attachments`
for both kinds.
"""

import contextlib
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from rxapp.i18n.formats import format_datetime, format_time
from rxapp.models.accounts import User
from rxapp.models.meetings import Attendee, Meeting, MeetingSpace, PartnerContact
from rxapp.models.outbox import OutboxMessage
from rxapp.services.common.attachments import Attachment
from rxapp.services.common.outbox import DuplicateMessage, schedule_message
from rxapp.services.meetings.attendees import agenda_link
from rxapp.services.meetings.ics import IcsMeeting, meeting_ics
from rxapp.services.meetings.templates import (
    get_template,
    placeholder_values,
    render_text,
    sample_values,
)
from rxapp.services.meetings.views import MeetingInfo, meeting_info

KIND_ACCEPTED = "meeting_accepted"
KIND_NOTICE = "meeting_notice"
ENTITY = "meeting"


def _partner_recipients(session: Session, meeting: Meeting) -> list[tuple[str, str, str]]:
    """(email, name, language) of the space's contact, else every contact of the partner."""
    space = session.get(MeetingSpace, meeting.space_id)
    if space is not None and space.contact_user_id is not None:
        user = session.get(User, space.contact_user_id)
        if user is not None and user.is_active:
            return [(user.email, user.full_name, user.language)]
    users = session.exec(
        select(User).join(PartnerContact, col(PartnerContact.user_id) == User.id)
        .where(PartnerContact.partner_id == meeting.partner_id, col(User.is_active).is_(True))
    ).all()
    return [(u.email, u.full_name, u.language) for u in users]


def schedule_accepted(session: Session, meeting: Meeting, *, now: datetime) -> None:
    """Queue the meeting-accepted email to the attendee, in the caller's transaction."""
    attendee = session.get(Attendee, meeting.attendee_id)
    if attendee is None:
        return
    with contextlib.suppress(DuplicateMessage):
        schedule_message(
            session, organization_id=meeting.organization_id, recipient=attendee.email,
            recipient_name=f"{attendee.first_name} {attendee.last_name}", kind=KIND_ACCEPTED,
            language=attendee.language, context={"meeting_id": meeting.id}, due_at=now,
            idempotency_key=f"meeting:{meeting.id}:accepted:{meeting.slot_id}", entity_type=ENTITY,
            entity_id=meeting.id, now=now,
        )


def schedule_notice(session: Session, meeting: Meeting, *, notice: str, now: datetime,
                    send_ics_cancel: bool = False) -> None:
    """Tell the side that did not act that a meeting was declined, cancelled or lapsed.

    A lapsed or declined request is told to its proposer, a moved one to the attendee too;
    a cancellation to both sides
    (the canceller's copy is their receipt, and the attendee's carries METHOD:CANCEL).
    """
    attendee = session.get(Attendee, meeting.attendee_id)
    if attendee is None:
        return
    to_attendee = notice in ("cancelled", "rescheduled") or meeting.proposed_by == "attendee"
    to_partner = notice == "cancelled" or meeting.proposed_by == "partner"
    recipients: list[tuple[str, str, str, bool]] = []
    if to_attendee:
        recipients.append((attendee.email, f"{attendee.first_name} {attendee.last_name}",
                           attendee.language, True))
    if to_partner:
        recipients.extend((e, n, lang, False) for e, n, lang in
                          _partner_recipients(session, meeting))
    for email, name, lang, is_attendee in recipients:
        with contextlib.suppress(DuplicateMessage):
            schedule_message(
                session, organization_id=meeting.organization_id, recipient=email,
                recipient_name=name, kind=KIND_NOTICE, language=lang,
                context={"meeting_id": meeting.id, "notice": notice, "for_attendee": is_attendee,
                         "ics_cancel": bool(send_ics_cancel and is_attendee)},
                due_at=now,
                idempotency_key=f"meeting:{meeting.id}:{notice}:{meeting.slot_id}:{email}",
                entity_type=ENTITY, entity_id=meeting.id, now=now,
            )


def _info(session: Session, message: OutboxMessage) -> MeetingInfo | None:
    meeting_id = (message.context or {}).get("meeting_id")
    if not isinstance(meeting_id, int) or message.entity_id != meeting_id:
        return None
    info = meeting_info(session, meeting_id)
    if info is None or session.get(Meeting, meeting_id).organization_id != message.organization_id:
        return None
    return info


def check_meeting_mail(session: Session, message: OutboxMessage, now: datetime) -> str | None:
    """Send-time check: an acceptance goes out only while the meeting is still confirmed."""
    info = _info(session, message)
    if info is None:
        return "meeting gone"
    if message.kind == KIND_ACCEPTED and info.status != "confirmed":
        return f"meeting {info.status}"
    return None


def ics_of(info: MeetingInfo, *, cancelled: bool = False) -> IcsMeeting:
    """The .ics description of a meeting."""
    return IcsMeeting(
        meeting_id=info.id, starts_at=info.starts_at, ends_at=info.ends_at,
        timezone=info.timezone, summary=f"{info.partner_name} – {info.event_name}",
        location=", ".join(p for p in (info.space_name, info.venue) if p),
        description=info.message, attendee_email=info.attendee_email, cancelled=cancelled,
        sequence=info.sequence,
    )


def accepted_text(session: Session, info: MeetingInfo, *, language: str,
                  link: str) -> tuple[str, str]:
    """Subject and body of the acceptance email from the event's template (or the default)."""
    event_id = session.get(Meeting, info.id).event_id  # type: ignore[union-attr]
    template = get_template(session, event_id=event_id, language=language)
    values = placeholder_values(
        language=template.language, attendee_name=info.attendee_name, partner=info.partner_name,
        space=info.space_name, starts_at=info.starts_at, timezone=info.timezone,
        event=info.event_name, venue=info.venue, agenda_link=link)
    return render_text(template.subject, template.body, values)


def meeting_mail_context(session: Session, message: OutboxMessage,
                         now: datetime) -> dict[str, Any]:
    """Template values computed at send time: the rendered organizer text, the link."""
    info = _info(session, message)
    if info is None:
        return {}
    attendee = session.get(Attendee, info.attendee_id)
    link = agenda_link(attendee) if attendee is not None else ""
    values: dict[str, Any] = {
        "partner": info.partner_name, "space": info.space_name, "event": info.event_name,
        # In the recipient's language and the event's zone, named: a time read on a
        # phone in another country must not be misread.
        "when": (f"{format_datetime(info.starts_at, message.language, info.timezone)}"
                 f"–{format_time(info.ends_at, message.language, info.timezone)}"
                 f" ({info.timezone})"),
        "attendee_name": info.attendee_name, "reason": info.reason,
    }
    if message.kind == KIND_ACCEPTED:
        subject, body = accepted_text(session, info, language=message.language, link=link)
        values.update(custom_subject=subject, custom_body=body, agenda_link=link)
    elif (message.context or {}).get("for_attendee"):
        values["agenda_link"] = link
    return values


def meeting_mail_attachments(session: Session, message: OutboxMessage,
                             now: datetime) -> list[Attachment]:
    """The .ics: METHOD:REQUEST with an acceptance, METHOD:CANCEL with a cancellation."""
    info = _info(session, message)
    if info is None:
        return []
    if message.kind == KIND_ACCEPTED:
        data = meeting_ics(ics_of(info), stamp=now)
    elif (message.context or {}).get("ics_cancel"):
        data = meeting_ics(ics_of(info, cancelled=True), stamp=now)
    else:
        return []
    return [Attachment(filename="meeting.ics", mime="text/calendar", content=data)]


KIND_TEST = "meeting_template_test"


def schedule_template_test(session: Session, *, organization_id: int, event_id: object,
                           language: str, subject: str, body: str, recipient: str,
                           recipient_name: str, now: datetime) -> None:
    """Queue the edited template, filled with sample values, to the organizer themself."""
    from rxapp.services.meetings.events import get_event

    event = get_event(session, organization_id=organization_id, event_id=event_id)
    values = sample_values(language)
    out_subject, out_body = render_text(subject, body, values)
    schedule_message(
        session, organization_id=organization_id, recipient=recipient,
        recipient_name=recipient_name, kind=KIND_TEST, template=KIND_ACCEPTED,
        language=language, context={"custom_subject": out_subject, "custom_body": out_body,
                                    "agenda_link": values["agenda_link"]},
        due_at=now, idempotency_key=f"meeting-test:{event.id}:{language}:{now.isoformat()}",
        now=now)
