"""Every path of the app, in one place; no path literal elsewhere."""

from urllib.parse import urlencode

from rxapp.settings import get_settings

HOME = "/"
LOGIN = "/login"
FORGOT = "/forgot"
RESET = "/reset/[token]"
FORBIDDEN = "/forbidden"
PARTICIPANTS = "/participants"
PARTICIPANT = "/participants/[pid]"
PARTICIPANT_NEW = "/participants/[pid]/new"
TAKE = "/i/[token]"
REVIEWS = "/reviews"
EVENTS = "/events"
EVENT = "/events/[eid]"
EVENT_SLOTS = "/events/[eid]/slots"
EVENT_PARTNERS = "/events/[eid]/partners"
EVENT_RULES = "/events/[eid]/rules"
EVENT_EMAIL = "/events/[eid]/email"
EVENT_ATTENDEES = "/events/[eid]/attendees"
PARTNER_SPACE = "/partner"
PARTNER_MEETINGS = "/partner/meetings"
PARTNER_CALENDAR = "/partner/calendar"
AGENDA = "/agenda/[token]"
TEAM = "/team"
TEAM_INVITATIONS = "/team/invitations"
TEAM_MEMBERS = "/team/members"
TEAM_SETTINGS = "/team/settings"
TEAM_IMPORT = "/team/import"
JOIN = "/join/[token]"
SETTINGS = "/settings"
MAILBOX = "/mailbox"
# Reflex's name for the page shown at any unknown path.
NOT_FOUND = "404"

# Files served from assets/.
LOGO = "/logo.svg"
FAVICON_SVG = "/favicon.svg"

# Backend endpoints (Starlette routes mounted beside the Reflex event socket).
API_SESSION_CLAIM = "/api/session/claim"
API_SESSION_END = "/api/session/end"
API_HEALTH = "/api/health"
API_AGENDA_ICS = "/api/agenda/{token}/meetings/{meeting_id:int}.ics"
API_AGENDA_FEED = "/api/agenda/{token}/feed.ics"
API_EXPORT_RESULTS_CSV = "/api/export/results.csv"
API_EXPORT_RESULTS_XLSX = "/api/export/results.xlsx"
API_INTERACTION_QR = "/api/interactions/{interaction_id:int}/qr.svg"
API_INTERACTION_REPORT = "/api/interactions/{interaction_id:int}/report.pdf"
API_SESSION_BROWSER = "/api/session/browser"

# Reflex's own endpoints (constants.Endpoint), guarded by the middleware in rxapp/api.
EVENT_SOCKET = "/_event"
UPLOAD = "/_upload"

SESSION_COOKIE = "beckon_session"
# A random id per browser, HttpOnly: binds a sign-in ticket to the browser that signed in,
# and lets sign-in throttling tell the usual browser from a guesser's.
BROWSER_COOKIE = "beckon_browser"


def reset_path(token: str) -> str:
    """Path of the page that sets a new password with a reset token."""
    return f"/reset/{token}"


def reset_url(token: str) -> str:
    """Absolute link to the reset page, for emails."""
    return get_settings().base_url.rstrip("/") + reset_path(token)


def join_path(token: str) -> str:
    """Path of the page where an invitee accepts a team invitation."""
    return f"/join/{token}"


def join_url(token: str) -> str:
    """Absolute link to the team invitation page, for emails."""
    return get_settings().base_url.rstrip("/") + join_path(token)


def team_invitations_url() -> str:
    """Absolute link to the admins' invitations page, for emails."""
    return get_settings().base_url.rstrip("/") + TEAM_INVITATIONS


def claim_url(api_origin: str, *, ticket: str, next_url: str) -> str:
    """Backend URL that swaps a login ticket for the HttpOnly session cookie."""
    query = urlencode({"ticket": ticket, "next": next_url})
    return f"{api_origin.rstrip('/')}{API_SESSION_CLAIM}?{query}"


def browser_url(api_origin: str, *, next_url: str) -> str:
    """Backend URL that gives the browser its id cookie and returns to ``next_url``."""
    return f"{api_origin.rstrip('/')}{API_SESSION_BROWSER}?{urlencode({'next': next_url})}"


def end_session_url(api_origin: str, *, next_url: str) -> str:
    """Backend URL that clears the session cookie and returns to ``next_url``."""
    return f"{api_origin.rstrip('/')}{API_SESSION_END}?{urlencode({'next': next_url})}"


def event_path(event_id: int, section: str = "") -> str:
    """Path of an event's organizer page.

    ``section`` is slots, partners, rules, email or attendees; empty for the configuration.
    """
    return f"/events/{event_id}" + (f"/{section}" if section else "")


def agenda_path(token: str) -> str:
    """Path of a participant's personal agenda (R-BM-7)."""
    return f"/agenda/{token}"


def agenda_url(token: str) -> str:
    """Absolute link to a participant's agenda, for emails."""
    return get_settings().base_url.rstrip("/") + agenda_path(token)


def agenda_ics_path(token: str, meeting_id: int) -> str:
    """Backend path of one meeting's .ics for the agenda's owner."""
    return f"/api/agenda/{token}/meetings/{meeting_id}.ics"


def agenda_feed_url(token: str) -> str:
    """Absolute URL of a participant's subscribe-able agenda feed."""
    return get_settings().base_url.rstrip("/") + API_AGENDA_FEED.format(token=token)
# Builders that take a str or a Reflex Var (``"/x/" + var`` works for both), so pages
# compose API links without writing a path literal themselves.


def interaction_qr_path(interaction_id):  # noqa: ANN001, ANN201 - str or rx.Var
    """Path of the QR code of an interaction's participant link."""
    return "/api/interactions/" + interaction_id + "/qr.svg"


def interaction_report_path(interaction_id):  # noqa: ANN001, ANN201 - str or rx.Var
    """Path of a completed interaction's PDF report."""
    return "/api/interactions/" + interaction_id + "/report.pdf"


def event_section_path(event_id, section: str = ""):  # noqa: ANN001, ANN201 - str or rx.Var
    """Path of an event's organizer page for a str or a Reflex Var id."""
    return "/events/" + event_id + (f"/{section}" if section else "")
