"""The vendor's side of plans: change history and organizers' requests (R-ACC-5, R-PLUS-10)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from rxapp.models.common import created_at_field


class PlanField(StrEnum):
    """A part of an organization's plan that an operator can change."""

    MODULES = "modules"  # comma-separated module names
    INTERACTIONS_BOUGHT = "interactions_bought"  # total interactions paid for
    MAX_PER_PARTICIPANT = "max_interactions_per_participant"  # default maximum per person
    REPORTS_INCLUDED = "reports_included"  # individual reports by email
    TEAM_SEATS = "team_seats"  # members plus pending invitations


class RequestKind(StrEnum):
    """What an organizer asks the vendor to unlock."""

    INTERACTIONS = "interactions"  # more bought interactions
    MAX_PER_PARTICIPANT = "max_per_participant"  # a higher maximum per participant
    TEAM_SEATS = "team_seats"  # more seats for team members


class PlanChange(SQLModel, table=True):
    """One change of one plan field, by an operator; the console's change history."""

    __tablename__ = "plan_change"
    __table_args__ = (Index("ix_plan_change_org_at", "organization_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    changed_by: int | None = Field(default=None, foreign_key="user.id")
    changed_by_email: str = Field(default="", max_length=254)
    field: str = Field(max_length=64)
    old_value: str = Field(default="", max_length=500)
    new_value: str = Field(default="", max_length=500)
    note: str = Field(default="", max_length=500)
    at: datetime = created_at_field()


class PlanRequest(SQLModel, table=True):
    """An organizer's "request more", shown in the console until an operator handles it."""

    __tablename__ = "plan_request"
    __table_args__ = (Index("ix_plan_request_org_created", "organization_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    requested_by: int = Field(foreign_key="user.id")
    requested_by_email: str = Field(max_length=254)
    kind: str = Field(max_length=32)
    message: str = Field(default="", max_length=1000)
    created_at: datetime = created_at_field()
    handled_at: datetime | None = None
    handled_by_email: str = Field(default="", max_length=254)
