"""The outbox every email goes through, the dev mailbox and the status log (R-MSG-1, R-PLUS-4)."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from rxapp.models.common import created_at_field


class MessageState(StrEnum):
    """Where an outbox message is in its life (R-MSG-1)."""

    SCHEDULED = "scheduled"  # waiting for due_at; a worker may claim it from then on
    SENDING = "sending"  # claimed by a worker that holds a lease (claim_token, lease_until)
    SENT = "sent"  # accepted by the SMTP server (or stored in the built-in mailbox)
    FAILED = "failed"  # refused for good (5xx) or retries exhausted; last_error says why
    CANCELLED = "cancelled"  # no longer wanted (entity revoked, completed, reminders off, ...)


class StatusKind(StrEnum):
    """One entry of an invitation's status log, whatever its kind (R-PLUS-4)."""

    SCHEDULED = "scheduled"  # an email was queued for the invitation
    SENT = "sent"  # an email was accepted by the mail server
    FAILED = "failed"  # an email could not be delivered; detail says why
    OPENED = "opened"  # the invitee opened the link
    COMPLETED = "completed"  # an interaction was finished
    ACCEPTED = "accepted"  # a meeting or team invitation was accepted
    REVIEWED = "reviewed"  # a review was written through the invitation
    EXPIRED = "expired"  # the link expired unused
    REVOKED = "revoked"  # the organizer withdrew the invitation
    CANCELLED = "cancelled"  # a queued email (or a meeting) was cancelled; detail says why
    REQUESTED = "requested"  # a meeting was requested by one side
    DECLINED = "declined"  # a meeting request was declined; detail says why
    RESCHEDULED = "rescheduled"  # a meeting moved to another slot; detail says why


class OutboxMessage(SQLModel, table=True):
    """One email to send, at or after ``due_at``, exactly once per idempotency key."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        UniqueConstraint("idempotency_key", name="uq_outbox_message_idempotency_key"),
        # The claim reads `state = 'scheduled' AND due_at <= now ORDER BY due_at LIMIT n`:
        # equality then range on one index, so its cost follows what is due, not what is queued.
        Index("ix_outbox_message_claim", "state", "due_at"),
        Index("ix_outbox_message_entity", "entity_type", "entity_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    recipient: str = Field(max_length=254)
    recipient_name: str = Field(default="", max_length=200)
    kind: str = Field(max_length=64)
    language: str = Field(default="en", max_length=5)
    # Template folder under rxapp/mail/templates; usually equal to kind.
    template: str = Field(max_length=64)
    context: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # When the next attempt is due: the planned time first, then the backoff time of a retry.
    due_at: datetime
    state: str = Field(default=MessageState.SCHEDULED.value, max_length=16)
    # Claims so far; a message that keeps killing workers ends failed after the retry cap.
    attempts: int = Field(default=0)
    # Set while a retry is pending (equal to due_at then), for display.
    next_attempt_at: datetime | None = None
    last_error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    idempotency_key: str = Field(max_length=200)
    entity_type: str | None = Field(default=None, max_length=64)
    entity_id: int | None = None
    # Fencing: a worker marks only while its claim_token is still on the row.
    claim_token: str | None = Field(default=None, max_length=36)
    lease_until: datetime | None = None
    # RFC 5322 Message-ID, made once at scheduling so every retry carries the same one.
    message_id: str = Field(max_length=255)
    sent_at: datetime | None = None
    created_at: datetime = created_at_field()


class MailboxMessage(SQLModel, table=True):
    """An email kept in the built-in mailbox when no SMTP server is configured (R-MSG-4)."""

    __tablename__ = "mailbox_message"
    # Unique: a retried send of one outbox message lands in the mailbox once.
    __table_args__ = (UniqueConstraint("outbox_id", name="uq_mailbox_message_outbox_id"),)

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int | None = Field(default=None, foreign_key="outbox_message.id")
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    recipient: str = Field(max_length=254)
    subject: str = Field(default="", max_length=998)
    text_body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    html_body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    raw_headers: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    received_at: datetime = created_at_field()


class StatusEvent(SQLModel, table=True):
    """One line of the status log of an invitation, whatever its kind (R-MSG-5, R-PLUS-4)."""

    __tablename__ = "status_event"
    __table_args__ = (
        Index("ix_status_event_entity", "organization_id", "entity_type", "entity_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    entity_type: str = Field(max_length=64)
    entity_id: int
    event: str = Field(max_length=16)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    message_id: int | None = Field(default=None, foreign_key="outbox_message.id", index=True)
    at: datetime
