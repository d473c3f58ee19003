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
REVIEWS_SETTINGS = "/reviews/settings"
REVIEWS_PURCHASES = "/reviews/purchases"
REVIEW = "/r/[token]"
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
PROFILE = "/profile"
PLATFORM = "/platform"
PLATFORM_ORG = "/platform/org/[oid]"
# Reflex's name for the page shown at any unknown path.
NOT_FOUND = "404"

# Files served from assets/.
LOGO = "/logo.svg"
FAVICON_SVG = "/favicon.svg"

# Backend endpoints (Starlette routes mounted beside the Reflex event socket).
API_SESSION_CLAIM = "/api/session/claim"
API_SESSION_END = "/api/session/end"
API_HEALTH = "/api/health"
API_PURCHASES = "/api/v1/purchases"
API_PURCHASE = "/api/v1/purchases/{order_reference}"
API_OPENAPI = "/api/v1/openapi.json"
API_REVIEWS_EXPORT = "/api/reviews/export.csv"
UNSUBSCRIBE = "/api/unsubscribe/{token}"
# Endpoints called from outside our pages that never read the session cookie, so the
# Origin check (a defence for cookie-carrying requests) does not apply: shops posting
# purchases with an API key, and mail clients' RFC 8058 one-click unsubscribe POST.
CROSS_ORIGIN_PREFIXES = ("/api/v1/", "/api/unsubscribe/")
# Pages and endpoints whose path carries a secret token: they send no Referer to other
# sites and ask search engines not to index them.
TOKEN_PATH_PREFIXES = ("/i/", "/join/", "/reset/", "/r/", "/agenda/", "/api/unsubscribe/",
                       "/api/agenda/")

API_AGENDA_ICS = "/api/agenda/{token}/meetings/{meeting_id:int}.ics"
API_AGENDA_FEED = "/api/agenda/{token}/feed.ics"
API_EXPORT_RESULTS_CSV = "/api/export/results.csv"
API_EXPORT_RESULTS_XLSX = "/api/export/results.xlsx"
API_INTERACTION_QR = "/api/interactions/{interaction_id:int}/qr.svg"
API_INTERACTION_REPORT = "/api/interactions/{interaction_id:int}/report.pdf"
API_MAILBOX_ATTACHMENT = "/api/mailbox/{message_id:int}/attachments/{index:int}"
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


def platform_org_path(organization_id):  # noqa: ANN001, ANN201 - int, str or rx.Var
    """Path of one organization's page in the operator console."""
    if isinstance(organization_id, int):
        organization_id = str(organization_id)
    return "/platform/org/" + organization_id


def platform_org_url(organization_id: int) -> str:
    """Absolute link to one organization in the operator console, for emails."""
    return get_settings().base_url.rstrip("/") + platform_org_path(organization_id)


def mailbox_attachment_path(message_id, index):  # noqa: ANN001, ANN201 - str or rx.Var
    """Path of one attachment of a kept email (the mailbox page)."""
    return "/api/mailbox/" + message_id + "/attachments/" + index


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


def review_path(token: str) -> str:
    """Path of the customer's review page for an invitation token."""
    return f"/r/{token}"


def review_url(token: str) -> str:
    """Absolute link to the review page, for emails."""
    return get_settings().base_url.rstrip("/") + review_path(token)


def unsubscribe_path(token: str) -> str:
    """Path of the unsubscribe endpoint (GET shows a confirm page, POST unsubscribes)."""
    return UNSUBSCRIBE.replace("{token}", token)


def unsubscribe_url(token: str) -> str:
    """Absolute unsubscribe link for emails and the List-Unsubscribe header (RFC 8058)."""
    return get_settings().base_url.rstrip("/") + unsubscribe_path(token)

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
