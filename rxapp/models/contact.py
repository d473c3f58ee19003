"""Unsubscribes and the contact-frequency cap, shared by every kind of invitation (R-PLUS-8)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from rxapp.models.common import created_at_field
from rxapp.models.outbox import OutboxMessage

# Every kind honours an unsubscribe scoped to it, or this one for the whole organization.
ALL_KINDS = "all"


class UnsubscribeScope(StrEnum):
    """Which emails an unsubscribe stops; kinds group outbox kinds (invitation + reminder)."""

    ALL = ALL_KINDS  # every email from this organization that is not transactional
    INTERACTIONS = "interactions"  # interaction invitations and reminders
    REVIEWS = "reviews"  # review invitations and reminders
    TEAM = "team"  # team invitations
    MEETINGS = "meetings"  # meeting requests and confirmations


class Unsubscribe(SQLModel, table=True):
    """A person asked one organization to stop one kind of email, or all of them."""

    __table_args__ = (
        UniqueConstraint(
            "organization_id", "email", "scope", name="uq_unsubscribe_org_email_scope"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    # Lower-cased address: the same person whatever case the organization typed.
    email: str = Field(max_length=254)
    scope: str = Field(max_length=16)
    created_at: datetime = created_at_field()


class ContactPolicy(SQLModel, table=True):
    """At most ``max_emails`` non-transactional emails per person in ``per_days`` days."""

    __tablename__ = "contact_policy"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", unique=True)
    # 0 turns the cap off.
    max_emails: int = Field(default=0)
    per_days: int = Field(default=30)


# The contact cap counts a person's recent emails at send time; this keeps it an index read.
Index(
    "ix_outbox_message_recipient_sent",
    OutboxMessage.__table__.c.organization_id,
    OutboxMessage.__table__.c.recipient,
    OutboxMessage.__table__.c.sent_at,
)
