"""Participants, questionnaires, interactions and their answers and scores (R-INT-1..10)."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from rxapp.models.common import created_at_field


class InteractionState(StrEnum):
    """Where an interaction is in its life (R-INT-3, R-INT-9, R-INT-10)."""

    INVITED = "invited"  # created; the participant has not answered anything yet
    IN_PROGRESS = "in_progress"  # at least one answer saved, not finished
    COMPLETED = "completed"  # finished; scores computed, reminders stopped
    DELETED = "deleted"  # removed while unfinished; its link no longer works


_SEARCH_KEY = String(100).with_variant(String(100, collation="C"), "postgresql")

UNFINISHED_STATES: tuple[str, ...] = (
    InteractionState.INVITED.value,
    InteractionState.IN_PROGRESS.value,
)


class Participant(SQLModel, table=True):
    """A person an organization invites to interactions."""

    __table_args__ = (
        UniqueConstraint("organization_id", "email", name="uq_participant_org_email"),
        # Search by last and/or first name prefix within one organization (R-INT-1): the
        # stored lower-cased columns let a LIKE 'prefix%' use this index at 100,000 rows.
        Index(
            "ix_participant_org_last_first",
            "organization_id",
            "last_name_lower",
            "first_name_lower",
            "id",
        ),
        Index("ix_participant_org_first", "organization_id", "first_name_lower", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    # Kept in step with the names by the services; only used for searching and sorting.
    # Byte-order collation on PostgreSQL so a prefix range scan uses the btree index
    # whatever the database's locale (SQLite compares bytes already).
    first_name_lower: str = Field(sa_column=Column(_SEARCH_KEY, nullable=False))
    last_name_lower: str = Field(sa_column=Column(_SEARCH_KEY, nullable=False))
    email: str = Field(max_length=254)
    language: str = Field(default="en", max_length=5)
    # IANA zone the person reads emails in; None: the organization's zone (R-PLUS-1).
    time_zone: str | None = Field(default=None, max_length=64)
    # None: the organization's max_interactions_per_participant applies.
    max_interactions_override: int | None = None
    created_at: datetime = created_at_field()


class Questionnaire(SQLModel, table=True):
    """A set of Likert questions; the default one ships as data (rxapp/data)."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    # Per language: {"en": "...", "de": "...", ...}
    titles: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Dimension key -> per-language label.
    dimensions: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = created_at_field()


class Question(SQLModel, table=True):
    """One Likert item (1..5) of a questionnaire, scored into one dimension."""

    __table_args__ = (
        UniqueConstraint("questionnaire_id", "position", name="uq_question_position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    questionnaire_id: int = Field(foreign_key="questionnaire.id", index=True)
    dimension: str = Field(max_length=64)
    position: int
    texts: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Interaction(SQLModel, table=True):
    """One invitation of a participant to answer a questionnaire."""

    __table_args__ = (
        # Latest interaction of a participant, and eligibility counts (R-INT-1, R-INT-3).
        Index("ix_interaction_participant_created", "participant_id", "created_at", "id"),
        Index("ix_interaction_org_state", "organization_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    participant_id: int = Field(foreign_key="participant.id")
    questionnaire_id: int = Field(foreign_key="questionnaire.id")
    state: str = Field(default=InteractionState.INVITED.value, max_length=16)
    # SHA-256 hex of the link token, to find the interaction a link opens.
    token_hash: str = Field(max_length=64, unique=True)
    # With the server secret, rebuilds the token (copy link later, remind now); alone, useless.
    link_salt: str = Field(max_length=32)
    auto_invite: bool = Field(default=True)
    reminders_on: bool = Field(default=False)
    send_report: bool = Field(default=True)
    created_at: datetime = created_at_field()
    completed_at: datetime | None = None
    deleted_at: datetime | None = None


class Answer(SQLModel, table=True):
    """One answer, saved as soon as it is given (R-INT-8, R-PLUS-7)."""

    __table_args__ = (
        UniqueConstraint("interaction_id", "question_id", name="uq_answer_interaction_question"),
    )

    id: int | None = Field(default=None, primary_key=True)
    interaction_id: int = Field(foreign_key="interaction.id")
    question_id: int = Field(foreign_key="question.id")
    value: int  # 1..5, checked by the service
    answered_at: datetime = created_at_field()


class Score(SQLModel, table=True):
    """A completed interaction's mean score in one dimension (R-INT-9)."""

    __table_args__ = (
        UniqueConstraint("interaction_id", "dimension", name="uq_score_interaction_dimension"),
    )

    id: int | None = Field(default=None, primary_key=True)
    interaction_id: int = Field(foreign_key="interaction.id")
    dimension: str = Field(max_length=64)
    value: float
