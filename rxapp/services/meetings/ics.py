"""iCalendar files for meetings (R-BM-8): METHOD:REQUEST, a stable UID, the event's zone.

A cancellation is METHOD:CANCEL with the same UID and a higher SEQUENCE, so calendars
that imported the invitation remove it.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Beckon//Business meetings//EN"


@dataclass(frozen=True)
class IcsMeeting:
    """What an .ics needs to know about one meeting."""

    meeting_id: int
    starts_at: datetime  # aware
    ends_at: datetime
    timezone: str
    summary: str
    location: str
    description: str
    organizer_email: str = "no-reply@beckon.example"
    attendee_email: str = ""
    cancelled: bool = False
    sequence: int = 0


def meeting_uid(meeting_id: int) -> str:
    """The UID every .ics of one meeting carries."""
    return f"meeting-{meeting_id}@beckon"


def _vevent(m: IcsMeeting, stamp: datetime) -> Event:
    zone = ZoneInfo(m.timezone)
    ev = Event()
    ev.add("uid", meeting_uid(m.meeting_id))
    ev.add("dtstamp", stamp)
    ev.add("dtstart", m.starts_at.astimezone(zone))
    ev.add("dtend", m.ends_at.astimezone(zone))
    ev.add("summary", m.summary)
    ev.add("location", m.location)
    ev.add("description", m.description)
    ev.add("sequence", m.sequence)
    ev.add("status", "CANCELLED" if m.cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{m.organizer_email}")
    organizer.params["cn"] = vText("Beckon")
    ev["organizer"] = organizer
    if m.attendee_email:
        attendee = vCalAddress(f"mailto:{m.attendee_email}")
        attendee.params["partstat"] = vText("ACCEPTED")
        ev.add("attendee", attendee, encode=0)
    return ev


def meeting_ics(m: IcsMeeting, *, stamp: datetime) -> bytes:
    """One meeting as an .ics: METHOD:REQUEST, or METHOD:CANCEL when cancelled."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if m.cancelled else "REQUEST")
    cal.add_component(_vevent(m, stamp))
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_ics(meetings: list[IcsMeeting], *, name: str, stamp: datetime) -> bytes:
    """A subscribe-able agenda: every confirmed meeting, METHOD:PUBLISH."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for m in meetings:
        cal.add_component(_vevent(m, stamp))
    cal.add_missing_timezones()
    return cal.to_ical()
