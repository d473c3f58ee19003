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
API_EXPORT_RESULTS_CSV = "/api/export/results.csv"
API_EXPORT_RESULTS_XLSX = "/api/export/results.xlsx"
API_INTERACTION_QR = "/api/interactions/{interaction_id:int}/qr.svg"
API_INTERACTION_REPORT = "/api/interactions/{interaction_id:int}/report.pdf"

SESSION_COOKIE = "beckon_session"


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


def end_session_url(api_origin: str, *, next_url: str) -> str:
    """Backend URL that clears the session cookie and returns to ``next_url``."""
    return f"{api_origin.rstrip('/')}{API_SESSION_END}?{urlencode({'next': next_url})}"


# Builders that take a str or a Reflex Var (``"/x/" + var`` works for both), so pages
# compose API links without writing a path literal themselves.


def interaction_qr_path(interaction_id):  # noqa: ANN001, ANN201 - str or rx.Var
    """Path of the QR code of an interaction's participant link."""
    return "/api/interactions/" + interaction_id + "/qr.svg"


def interaction_report_path(interaction_id):  # noqa: ANN001, ANN201 - str or rx.Var
    """Path of a completed interaction's PDF report."""
    return "/api/interactions/" + interaction_id + "/report.pdf"
