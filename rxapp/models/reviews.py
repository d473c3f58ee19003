"""Review invitations: settings, customers, purchases, invitations, reviews, API keys (§4).

R-REV-1..8; the seed ``review-invitation-timing.sv`` is the authority on timing.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from rxapp.models.common import created_at_field


class DelayUnit(StrEnum):
    """Unit of a delay; months are calendar months (31 Jan + 1 month = 28/29 Feb)."""

    DAYS = "days"  # N x 24 hours of calendar days
    WEEKS = "weeks"  # N x 7 days
    MONTHS = "months"  # N calendar months, clamped to the month's last day


class ProductMode(StrEnum):
    """How product-review invitations go out (R-REV-2)."""

    OFF = "off"  # no product reviews asked
    TOGETHER = "together"  # one email asks for the service and every product
    SEPARATE = "separate"  # a second email N days/weeks/months after the service invitation


class TimeMode(StrEnum):
    """How the time of day of a send is chosen (R-REV-3, R-PLUS-1)."""

    FIXED_UTC = "fixed_utc"  # the seed's rule: a chosen hour in UTC
    OPTIMIZE = "optimize"  # the hour past invitations were most often answered
    CUSTOMER_LOCAL = "customer_local"  # a chosen local hour of the customer, within the window


class FrequencyMode(StrEnum):
    """How often one customer may be invited (R-REV-4)."""

    EVERY_PURCHASE = "every_purchase"  # an invitation after every purchase
    EVERY_N_DAYS = "every_n_days"  # at most one invitation per N days
    THREE_YEARS = "three_years"  # the default: at most one per 3 years


class InvitationKind(StrEnum):
    """What a review invitation asks for."""

    SERVICE = "service"  # the organization's service only
    PRODUCT = "product"  # the purchase's products only (separate email)
    COMBINED = "combined"  # service and products in one email


class ReviewInvitationState(StrEnum):
    """Where a review invitation is in its life."""

    SCHEDULED = "scheduled"  # its email waits in the outbox
    SENT = "sent"  # the email went out
    OPENED = "opened"  # the customer opened the review page
    REVIEWED = "reviewed"  # the customer reviewed through this link
    CAPPED = "capped"  # not sent: the frequency cap (R-REV-4) held it back
    CANCELLED = "cancelled"  # not sent: unsubscribed, contact cap or removed


class PurchaseSource(StrEnum):
    """How a purchase reached Beckon."""

    FORM = "form"  # typed by staff
    CSV = "csv"  # imported from a file
    API = "api"  # posted to POST /api/v1/purchases


class ReviewSettings(SQLModel, table=True):
    """One organization's timing and frequency rules (R-REV-1..5); defaults follow the seed."""

    __tablename__ = "review_settings"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", unique=True)
    service_delay: int = Field(default=7)
    service_unit: str = Field(default=DelayUnit.DAYS.value, max_length=8)
    product_mode: str = Field(default=ProductMode.TOGETHER.value, max_length=16)
    product_delay: int = Field(default=7)
    product_unit: str = Field(default=DelayUnit.DAYS.value, max_length=8)
    time_mode: str = Field(default=TimeMode.FIXED_UTC.value, max_length=16)
    # The chosen UTC hour, and the fallback of "optimize" when history is thin.
    send_hour_utc: int = Field(default=9)
    # The customer's local hour, kept inside [window_start, window_end).
    local_hour: int = Field(default=10)
    window_start: int = Field(default=8)
    window_end: int = Field(default=21)
    frequency_mode: str = Field(default=FrequencyMode.THREE_YEARS.value, max_length=16)
    frequency_days: int = Field(default=30)
    reminders_enabled: bool = Field(default=False)
    reminder_delay: int = Field(default=7)
    reminder_unit: str = Field(default=DelayUnit.DAYS.value, max_length=8)
    updated_at: datetime = created_at_field()


class Customer(SQLModel, table=True):
    """A buyer of an organization, one per email address."""

    __table_args__ = (UniqueConstraint("organization_id", "email", name="uq_customer_org_email"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    email: str = Field(max_length=254)
    name: str = Field(default="", max_length=200)
    language: str = Field(default="en", max_length=5)
    timezone: str = Field(default="", max_length=64)
    created_at: datetime = created_at_field()


class Purchase(SQLModel, table=True):
    """One purchase or use of a service; the moment invitations are counted from."""

    __table_args__ = (
        # Idempotency: a repeated order reference changes nothing (R-REV, issue point 1).
        UniqueConstraint("organization_id", "order_reference", name="uq_purchase_org_reference"),
        Index("ix_purchase_org_occurred", "organization_id", "occurred_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    customer_id: int = Field(foreign_key="customer.id", index=True)
    order_reference: str = Field(max_length=100)
    # When the purchase was made or the service used: the seed counts from either.
    occurred_at: datetime
    # [{"sku": "...", "name": "..."}]
    products: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    source: str = Field(default=PurchaseSource.FORM.value, max_length=8)
    created_at: datetime = created_at_field()


class ReviewInvitation(SQLModel, table=True):
    """One emailed link asking a customer to review, with its reminder's preconditions."""

    __tablename__ = "review_invitation"
    __table_args__ = (
        Index("ix_review_invitation_customer", "organization_id", "customer_id", "due_at"),
        Index("ix_review_invitation_org_state", "organization_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    customer_id: int = Field(foreign_key="customer.id")
    purchase_id: int = Field(foreign_key="purchase.id", index=True)
    kind: str = Field(max_length=16)
    state: str = Field(default=ReviewInvitationState.SCHEDULED.value, max_length=16)
    # SHA-256 of the link token; with the server secret the salt rebuilds the link.
    token_hash: str = Field(max_length=64, unique=True)
    link_salt: str = Field(max_length=32)
    due_at: datetime
    # Reminder criterion 1: reminders were on when this invitation was created.
    reminders_on_at_creation: bool = Field(default=False)
    # Reminder criterion 2: reminders were on when the invitation went out (None: not yet).
    reminders_on_at_send: bool | None = None
    skip_reason: str = Field(default="", max_length=64)
    sent_at: datetime | None = None
    opened_at: datetime | None = None
    reviewed_at: datetime | None = None
    created_at: datetime = created_at_field()


class Review(SQLModel, table=True):
    """Stars and text for the service or one product, written through one invitation."""

    __table_args__ = (
        # One review per link and subject (service, or each product's SKU).
        UniqueConstraint("invitation_id", "subject", name="uq_review_invitation_subject"),
        Index("ix_review_org_created", "organization_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    invitation_id: int = Field(foreign_key="review_invitation.id")
    customer_id: int = Field(foreign_key="customer.id")
    # "service", or the product's SKU.
    subject: str = Field(max_length=100)
    product_name: str = Field(default="", max_length=200)
    stars: int
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    language: str = Field(default="en", max_length=5)
    created_at: datetime = created_at_field()
    edited_at: datetime | None = None


class ApiKey(SQLModel, table=True):
    """A per-organization key for the purchases API; only its hash is stored."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    name: str = Field(default="", max_length=100)
    # The first characters of the key, shown in lists so staff can tell keys apart.
    prefix: str = Field(max_length=16, index=True)
    key_hash: str = Field(max_length=64, unique=True)
    scope: str = Field(default="purchases", max_length=32)
    created_at: datetime = created_at_field()
    created_by: int | None = Field(default=None, foreign_key="user.id")
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None
