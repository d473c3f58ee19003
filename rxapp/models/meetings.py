"""Business meetings at events: slots, partners, spaces, quotas, rules, meetings (§3, R-BM-1..9).

The database itself refuses two confirmed meetings for one attendee in one slot and two
for one space in one slot (partial unique indexes, R-BM-8): whatever the services check
before, two concurrent confirmations cannot both commit.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from rxapp.models.common import created_at_field

_SEARCH_KEY = String(100).with_variant(String(100, collation="C"), "postgresql")


class MeetingStatus(StrEnum):
    """Where a meeting is in its life (R-BM-6, R-PLUS-5)."""

    REQUESTED = "requested"  # proposed by one side, waiting for the other until hold_until
    CONFIRMED = "confirmed"  # accepted; counts against the partner's quota
    DECLINED = "declined"  # the other side said no; the quota unit comes back
    CANCELLED = "cancelled"  # called off after confirmation (reason kept); unit comes back
    LAPSED = "lapsed"  # nobody answered before hold_until; the slot is free again


class Proposer(StrEnum):
    """Which side proposed a meeting (R-BM-7)."""

    PARTNER = "partner"  # a sales contact, from the partner space
    ATTENDEE = "attendee"  # the participant, from the agenda


class ProductKind(StrEnum):
    """What a product sold to partners is (R-BM-3)."""

    MEETING_QUOTA = "meeting_quota"  # "validated meetings quota": quantity = quota
    OTHER = "other"  # anything else (booth, logo, ...)


class RegistrationStatus(StrEnum):
    """An attendee's registration for the event."""

    REGISTERED = "registered"  # registered and expected
    PENDING = "pending"  # registration not yet complete
    CANCELLED = "cancelled"  # registration withdrawn


CONFIRMED_WHERE = text("status = 'confirmed'")


class Event(SQLModel, table=True):
    """An organization's event, with the business-meetings module settings (R-BM-1, R-BM-9)."""

    __tablename__ = "meeting_event"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    name: str = Field(max_length=200)
    venue: str = Field(default="", max_length=200)
    timezone: str = Field(default="Europe/Paris", max_length=64)
    first_day: date
    last_day: date
    module_enabled: bool = Field(default=False)
    # None: no global quota (unlimited unless a partner or product sets one).
    global_quota: int | None = None
    # How long a pending request holds its slot (R-PLUS-5).
    hold_minutes: int = Field(default=48 * 60)
    # No cancel or reschedule later than this many hours before the slot (R-PLUS-9).
    cancel_window_hours: int = Field(default=24)
    # Partner-space options (R-BM-9): attendee field names.
    search_fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    filter_fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    columns: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    partners_manage_spaces: bool = Field(default=False)
    created_at: datetime = created_at_field()


class Slot(SQLModel, table=True):
    """One time slot of the event's shared grid (R-BM-2); stored in UTC."""

    __tablename__ = "meeting_slot"
    __table_args__ = (
        UniqueConstraint("event_id", "starts_at", "ends_at", name="uq_meeting_slot_time"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    event_id: int = Field(foreign_key="meeting_event.id", index=True)
    starts_at: datetime
    ends_at: datetime


class Partner(SQLModel, table=True):
    """An exhibitor or sponsor company at one event (R-BM-3)."""

    __tablename__ = "meeting_partner"
    __table_args__ = (Index("ix_meeting_partner_event_type", "event_id", "type"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    event_id: int = Field(foreign_key="meeting_event.id")
    name: str = Field(max_length=200)
    type: str = Field(default="", max_length=64)
    # The partner's own validated-meetings quota; wins over product and global (R-BM-4).
    quota: int | None = None
    # Custom fields the organizer defines, e.g. {"sector": "Energy"}.
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = created_at_field()


class PartnerContact(SQLModel, table=True):
    """A sales contact: a user with role partner working for a partner (R-BM-3)."""

    __tablename__ = "meeting_partner_contact"
    __table_args__ = (
        UniqueConstraint("partner_id", "user_id", name="uq_meeting_partner_contact"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    partner_id: int = Field(foreign_key="meeting_partner.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)


class Product(SQLModel, table=True):
    """Something sold to partners; a meeting-quota product carries a quantity (R-BM-4)."""

    __tablename__ = "meeting_product"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    event_id: int = Field(foreign_key="meeting_event.id", index=True)
    name: str = Field(max_length=200)
    kind: str = Field(default=ProductKind.OTHER.value, max_length=32)
    quantity: int | None = None


class PartnerProduct(SQLModel, table=True):
    """A product assigned to a partner."""

    __tablename__ = "meeting_partner_product"
    __table_args__ = (
        UniqueConstraint("partner_id", "product_id", name="uq_meeting_partner_product"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    partner_id: int = Field(foreign_key="meeting_partner.id", index=True)
    product_id: int = Field(foreign_key="meeting_product.id", index=True)


class MeetingSpace(SQLModel, table=True):
    """Where a partner meets: tied to a sales contact or to a theme (R-BM-3)."""

    __tablename__ = "meeting_space"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    event_id: int = Field(foreign_key="meeting_event.id", index=True)
    partner_id: int = Field(foreign_key="meeting_partner.id", index=True)
    name: str = Field(max_length=200)
    contact_user_id: int | None = Field(default=None, foreign_key="user.id")
    theme: str = Field(default="", max_length=200)
    created_at: datetime = created_at_field()


class Availability(SQLModel, table=True):
    """A slot a space is open for (R-BM-6c)."""

    __tablename__ = "meeting_availability"
    __table_args__ = (
        UniqueConstraint("space_id", "slot_id", name="uq_meeting_availability"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    space_id: int = Field(foreign_key="meeting_space.id", index=True)
    slot_id: int = Field(foreign_key="meeting_slot.id", index=True)


class Attendee(SQLModel, table=True):
    """A participant of the event, who meets partners through a tokenized agenda (R-BM-7)."""

    __tablename__ = "meeting_attendee"
    __table_args__ = (
        UniqueConstraint("event_id", "email", name="uq_meeting_attendee_event_email"),
        # The rules filter on these; the list sorts by name within them.
        Index("ix_meeting_attendee_event_status", "event_id", "registration_status",
              "has_account", "last_name_lower", "id"),
        Index("ix_meeting_attendee_event_name", "event_id", "last_name_lower", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    event_id: int = Field(foreign_key="meeting_event.id")
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    # Kept in step with last_name by the services; used for searching and sorting.
    last_name_lower: str = Field(sa_column=Column(_SEARCH_KEY, nullable=False))
    email: str = Field(max_length=254)
    language: str = Field(default="en", max_length=5)
    company: str = Field(default="", max_length=200)
    job_title: str = Field(default="", max_length=200)
    country: str = Field(default="", max_length=64)
    # Comma-separated interests, e.g. "energy, logistics".
    interests: str = Field(default="", max_length=500)
    registration_status: str = Field(default=RegistrationStatus.REGISTERED.value, max_length=16)
    has_account: bool = Field(default=False)
    # SHA-256 of the agenda link token; the salt rebuilds the link with the server secret.
    agenda_token_hash: str = Field(max_length=64, unique=True, index=True)
    agenda_salt: str = Field(max_length=32)
    created_at: datetime = created_at_field()


class MatchingRule(SQLModel, table=True):
    """Which partners see which attendees (R-BM-5); the first matching rule wins.

    Conditions are lists of ``{"field": str, "op": "equals"|"in"|"not_in"|"is_set"|
    "is_not_set", "values": [str, ...]}``, all of which must hold.
    """

    __tablename__ = "meeting_rule"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    event_id: int = Field(foreign_key="meeting_event.id", index=True)
    position: int = Field(default=0)
    name: str = Field(default="", max_length=200)
    partner_conditions: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    attendee_conditions: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class Meeting(SQLModel, table=True):
    """A meeting between a partner's space and an attendee in one slot (R-BM-6..8)."""

    __tablename__ = "meeting"
    __table_args__ = (
        # R-BM-8: the database decides between concurrent confirmations.
        Index("uq_meeting_attendee_slot_confirmed", "attendee_id", "slot_id", unique=True,
              sqlite_where=CONFIRMED_WHERE, postgresql_where=CONFIRMED_WHERE),
        Index("uq_meeting_space_slot_confirmed", "space_id", "slot_id", unique=True,
              sqlite_where=CONFIRMED_WHERE, postgresql_where=CONFIRMED_WHERE),
        Index("ix_meeting_partner_status", "partner_id", "status"),
        Index("ix_meeting_space_slot", "space_id", "slot_id"),
        Index("ix_meeting_attendee", "attendee_id", "slot_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    event_id: int = Field(foreign_key="meeting_event.id", index=True)
    partner_id: int = Field(foreign_key="meeting_partner.id")
    space_id: int = Field(foreign_key="meeting_space.id")
    slot_id: int = Field(foreign_key="meeting_slot.id")
    attendee_id: int = Field(foreign_key="meeting_attendee.id")
    proposed_by: str = Field(max_length=16)
    status: str = Field(default=MeetingStatus.REQUESTED.value, max_length=16)
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # A request holds its slot until then, then lapses (R-PLUS-5).
    hold_until: datetime | None = None
    # Why it was declined or cancelled; sent to the other side (R-PLUS-9).
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class MeetingEmailTemplate(SQLModel, table=True):
    """The organizer's meeting-accepted email for one event and language (R-BM-8)."""

    __tablename__ = "meeting_email_template"
    __table_args__ = (
        UniqueConstraint("event_id", "language", name="uq_meeting_email_template"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    event_id: int = Field(foreign_key="meeting_event.id")
    language: str = Field(max_length=5)
    subject: str = Field(max_length=300)
    body: str = Field(sa_column=Column(Text, nullable=False))
