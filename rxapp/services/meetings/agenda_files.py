"""The attendee's .ics downloads behind the agenda token (R-BM-7): one meeting, or the feed."""

from datetime import datetime

from sqlmodel import Session

from rxapp.services.common.errors import NotAllowed
from rxapp.services.meetings.attendees import attendee_by_token
from rxapp.services.meetings.ics import feed_ics, meeting_ics
from rxapp.services.meetings.mail import ics_of
from rxapp.services.meetings.requests import own_attendee_meeting
from rxapp.services.meetings.views import attendee_meetings, meeting_info


def meeting_ics_for_token(session: Session, *, token: object, meeting_id: object,
                          now: datetime) -> bytes | None:
    """The .ics of one of the token's attendee's meetings, or None (anything else)."""
    attendee = attendee_by_token(session, token)
    if attendee is None:
        return None
    try:
        meeting = own_attendee_meeting(session, attendee, meeting_id)
    except NotAllowed:
        return None
    info = meeting_info(session, meeting.id or 0)
    if info is None or info.status not in ("confirmed", "cancelled"):
        return None
    return meeting_ics(ics_of(info, cancelled=info.status == "cancelled"), stamp=now)


def feed_for_token(session: Session, *, token: object, now: datetime) -> bytes | None:
    """Every confirmed meeting of the token's attendee, as a subscribe-able calendar."""
    attendee = attendee_by_token(session, token)
    if attendee is None:
        return None
    infos = [i for i in attendee_meetings(session, attendee) if i.status == "confirmed"]
    name = infos[0].event_name if infos else "Beckon"
    return feed_ics([ics_of(i) for i in infos], name=name, stamp=now)
