"""Organizations, users and the tokens that sign them in (R-ACC-1..5)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from rxapp.models.common import created_at_field


class Role(StrEnum):
    """What a user may do; checked by every handler (R-ACC-3)."""

    ADMIN = "admin"  # everything, plus team invites and settings
    ORGANIZER = "organizer"  # participants, interactions, reviews, events
    PARTNER = "partner"  # a partner company's sales contact: its own meetings only
    AGENT = "agent"  # team member served interactions by attributes
    TEAM_LEADER = "team_leader"  # leads agents
    QUALITY_ASSESSOR = "quality_assessor"  # reviews agents' work
    # The vendor's staff, above every organization: runs plans from the platform console.
    # Created only by ``python -m rxapp.operator``, never by sign-up or invitation.
    OPERATOR = "operator"


class Module(StrEnum):
    """Product modules an organization's plan can include (R-ACC-5)."""

    INTERACTIONS = "interactions"  # participants and assessments
    REVIEWS = "reviews"  # customer review invitations
    MEETINGS = "meetings"  # business meetings at events
    TEAM = "team"  # team invitations and members


class TokenPurpose(StrEnum):
    """What a one-time token may be exchanged for."""

    PASSWORD_RESET = "password_reset"  # noqa: S105 - emailed link that sets a new password
    LOGIN_TICKET = "login_ticket"  # short-lived ticket swapped for the session cookie


class Organization(SQLModel, table=True):
    """A tenant: every other row belongs to exactly one organization."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    slug: str = Field(max_length=80, unique=True, index=True)
    timezone: str = Field(default="Europe/Stockholm", max_length=64)
    default_language: str = Field(default="en", max_length=5)
    sender_name: str = Field(default="", max_length=200)
    # The plan (R-ACC-5): modules, bought interactions, limits and options.
    modules: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    interactions_bought: int = Field(default=0)
    max_interactions_per_participant: int = Field(default=3)
    reports_included: bool = Field(default=True)
    reminders_default: bool = Field(default=False)
    # Send window in local minutes after midnight, in the recipient's zone (R-PLUS-1):
    # time-of-day sends outside [start, end) move to the next start. Default 08:00-21:00.
    send_window_start: int = Field(default=480)
    send_window_end: int = Field(default=1260)
    # Team seats of the plan: active members plus pending invitations (R-PLUS-10).
    team_seats: int = Field(default=25)
    # How long a team invitation link works (R-TEAM-1), an organization setting.
    invitation_days: int = Field(default=7)
    # Where replies to the organization's emails go (Reply-To); empty: no Reply-To.
    contact_email: str = Field(default="", max_length=254)
    # The vendor's own organization that holds operator accounts; never a customer.
    is_platform: bool = Field(default=False)
    created_at: datetime = created_at_field()


class User(SQLModel, table=True):
    """A person who signs in with email and password."""

    __table_args__ = (UniqueConstraint("email", name="uq_user_email"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    email: str = Field(max_length=254)
    full_name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=255)
    role: str = Field(default=Role.ORGANIZER.value, max_length=32)
    language: str = Field(default="en", max_length=5)
    is_active: bool = Field(default=True)
    # Team attributes (R-TEAM-5): channels, class_of_service, services, sites, skills.
    attributes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = created_at_field()


class AuthSession(SQLModel, table=True):
    """A signed-in browser; only the SHA-256 of its random token is stored."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = created_at_field()
    last_seen_at: datetime
    expires_at: datetime  # absolute end, whatever the activity


class OneTimeToken(SQLModel, table=True):
    """A single-use, expiring token (password reset, login ticket), hashed at rest."""

    __tablename__ = "one_time_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    purpose: str = Field(max_length=32)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    # Set for links sent by email: with the server secret it rebuilds the link at send time.
    salt: str = Field(default="", max_length=32)
    # Login tickets: SHA-256 of the id cookie of the browser that signed in; only that
    # browser can redeem the ticket (no login CSRF).
    browser_key: str = Field(default="", max_length=64)
    created_at: datetime = created_at_field()
    expires_at: datetime
    used_at: datetime | None = None


class ThrottleHit(SQLModel, table=True):
    """One counted attempt (a failed sign-in, a reset request, a trusted browser's success).

    ``scope`` says what was counted and ``key`` for whom: an address, a client address,
    a browser (by the SHA-256 of its id cookie). Rows are pruned once out of their window.
    """

    __tablename__ = "throttle_hit"
    __table_args__ = (Index("ix_throttle_hit_scope_key_at", "scope", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=24)
    key: str = Field(max_length=160)
    at: datetime


class TabBinding(SQLModel, table=True):
    """A tab's client token, bound to the browser that first opened the event socket with it.

    Reflex names a tab's state by a token the page keeps in sessionStorage and sends in
    the socket's query string (where proxy logs keep it). Bound to the browser's id
    cookie, a leaked token opens nothing: another browser is refused the socket and
    uploads. Only hashes are stored.
    """

    __tablename__ = "tab_binding"

    token_hash: str = Field(primary_key=True, max_length=64)
    browser_key: str = Field(max_length=64)
    created_at: datetime
