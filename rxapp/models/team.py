"""Team invitations, the organization's attribute lists, and class of service (§5, R-TEAM-1..5)."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from rxapp.models.common import created_at_field


class InvitationState(StrEnum):
    """Where a team invitation is in its life (R-TEAM-1, R-TEAM-4)."""

    PENDING = "pending"  # sent, link usable until expires_at
    ACCEPTED = "accepted"  # the invitee registered; the link is used up
    REVOKED = "revoked"  # an admin withdrew it; the link is dead
    EXPIRED = "expired"  # the link ran out unused (also derived from expires_at at read time)


class AttributeKind(StrEnum):
    """The kinds of member attribute an organization keeps lists of (R-TEAM-2)."""

    CHANNELS = "channels"  # how agents talk to customers: phone, chat, email, ...
    CLASS_OF_SERVICE = "class_of_service"  # which private calls a member may make (fixed list)
    SERVICES = "services"  # what members do: sales, collections, client services, ...
    SITES = "sites"  # region settings of a member
    SKILLS = "skills"  # languages, product knowledge, ...


class ClassOfService(StrEnum):
    """The fixed class-of-service values; not managed per organization."""

    INTERNAL_ONLY = "internal_only"  # internal calls only
    LOCAL_WITHOUT_MOBILE = "local_without_mobile"  # local landlines and internal
    LOCAL_WITH_MOBILE = "local_with_mobile"  # local landlines, mobiles and internal
    LOCAL_AND_INTERNATIONAL = "local_and_international"  # everything, international included


# The kinds whose values an organization manages itself (class of service is fixed).
LIST_KINDS: tuple[str, ...] = (
    AttributeKind.CHANNELS.value,
    AttributeKind.SERVICES.value,
    AttributeKind.SITES.value,
    AttributeKind.SKILLS.value,
)


class TeamInvitation(SQLModel, table=True):
    """One invitation of one address to join the organization with a role and attributes."""

    __tablename__ = "team_invitation"
    __table_args__ = (
        Index("ix_team_invitation_org_state", "organization_id", "state"),
        Index("ix_team_invitation_org_email", "organization_id", "email"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    email: str = Field(max_length=254)
    role: str = Field(max_length=32)
    language: str = Field(default="en", max_length=5)
    # IANA zone of the invitee; None: the organization's zone (R-PLUS-1).
    time_zone: str | None = Field(default=None, max_length=64)
    # {channels: [...], class_of_service: str, services: [...], sites: [...], skills: [...]}
    attributes: dict[str, Any] = Field(default_factory=dict,
                                       sa_column=Column(JSON, nullable=False))
    # SHA-256 of the random link token; the token itself is stored nowhere but the email.
    token_hash: str = Field(max_length=64, unique=True, index=True)
    # With the server secret, rebuilds the join link when an email is rendered; alone, useless.
    link_salt: str = Field(default="", max_length=32)
    state: str = Field(default=InvitationState.PENDING.value, max_length=16)
    invited_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
    expires_at: datetime
    accepted_at: datetime | None = None
    accepted_user_id: int | None = Field(default=None, foreign_key="user.id")
    revoked_at: datetime | None = None
    renewal_requested_at: datetime | None = None


class AttributeOption(SQLModel, table=True):
    """One value of one attribute list of an organization (e.g. skills: "Swedish")."""

    __tablename__ = "attribute_option"
    __table_args__ = (
        UniqueConstraint("organization_id", "kind", "value", name="uq_attribute_option"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    kind: str = Field(max_length=32)
    value: str = Field(max_length=80)
