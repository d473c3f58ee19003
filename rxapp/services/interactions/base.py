"""Interactions: names, view rows, links and tenant-checked loading (R-INT-3..10).

Every function takes the caller's ``organization_id`` and refuses ids of another
organization. Actions and the emails they cause commit in the caller's one transaction
(nothing here commits).
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from rxapp.models.accounts import Organization
from rxapp.models.participants import (
    Answer,
    Interaction,
    InteractionState,
    Participant,
    Question,
)
from rxapp.services.common.errors import DomainError, NotFound
from rxapp.services.common.tenancy import owned_row
from rxapp.services.common.tokens import derive_token
from rxapp.settings import get_settings

logger = logging.getLogger(__name__)



ENTITY = "interaction"
KIND_INVITATION = "interaction_invitation"
KIND_REMINDER = "interaction_reminder"
KIND_REPORT = "interaction_report"
MAX_REMINDERS = 7  # weekly, so at most 8 emails with the invitation (R-INT-6)

REASON_UNFINISHED = "interaction.unfinished_exists"
REASON_MAX_REACHED = "interaction.max_reached"
REASON_NONE_LEFT = "interaction.none_left"


@dataclass(frozen=True)
class Eligibility:
    """Whether a new interaction may be created, and if not, the catalogue key why."""

    allowed: bool
    reason: str | None = None


@dataclass(frozen=True)
class CreatedInteraction:
    """A new interaction and its raw link token, returned once and never stored."""

    interaction_id: int
    token: str
    link: str


@dataclass(frozen=True)
class Progress:
    """How far a participant got (R-PLUS-7)."""

    answered: int
    total: int
    next_position: int | None  # first unanswered question, None when all are answered

    def __str__(self) -> str:
        return f"{self.answered} of {self.total}"


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest stored in place of a link token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def interaction_link(token: str) -> str:
    """Return the participant's link for a raw token."""
    return f"{get_settings().base_url.rstrip('/')}/i/{token}"


TOKEN_PURPOSE = "interaction"  # noqa: S105 - a label mixed into the HMAC, not a secret


def link_of(interaction: Interaction) -> str:
    """Rebuild the participant's link of an interaction (copy link, remind now; R-INT-7)."""
    return interaction_link(derive_token(TOKEN_PURPOSE, interaction.link_salt))


# --- loading with the tenant guard -------------------------------------------------


def _organization(session: Session, organization_id: int, *, lock: bool = False) -> Organization:
    stmt = select(Organization).where(Organization.id == organization_id)
    if lock:
        stmt = stmt.with_for_update()
    org = session.exec(stmt).first()
    if org is None:
        raise NotFound("organization.not_found")
    return org


def _participant(session: Session, organization_id: int, participant_id: int) -> Participant:
    return owned_row(session, Participant, participant_id, organization_id=organization_id,
                     missing="participant.not_found")


def get_interaction(session: Session, *, organization_id: int, interaction_id: int) -> Interaction:
    """Return an interaction of the caller's organization.

    Raises:
        NotFound: No such interaction.
        NotAllowed: It belongs to another organization.

    """
    return owned_row(session, Interaction, interaction_id, organization_id=organization_id,
                     missing="interaction.not_found")


@dataclass(frozen=True)
class InteractionRow:
    """An interaction as the participant's side panel shows it (no token, no hash)."""

    id: int
    state: str
    created_at: datetime
    completed_at: datetime | None
    reminders_on: bool
    auto_invite: bool
    send_report: bool


def list_interactions(
    session: Session, *, organization_id: int, participant_id: int
) -> list[InteractionRow]:
    """Return a participant's interactions, newest first (R-INT-2)."""
    _participant(session, organization_id, participant_id)
    rows = session.exec(
        select(Interaction)
        .where(
            Interaction.organization_id == organization_id,
            Interaction.participant_id == participant_id,
        )
        .order_by(col(Interaction.created_at).desc(), col(Interaction.id).desc())
    ).all()
    return [
        InteractionRow(
            id=i.id or 0,
            state=i.state,
            created_at=i.created_at,
            completed_at=i.completed_at,
            reminders_on=i.reminders_on,
            auto_invite=i.auto_invite,
            send_report=i.send_report,
        )
        for i in rows
    ]


def find_interaction_by_token(session: Session, *, token: str) -> Interaction | None:
    """Return the live interaction a link token opens, or None (unknown or deleted link)."""
    if not token:
        return None
    interaction = session.exec(
        select(Interaction).where(Interaction.token_hash == hash_token(token))
    ).first()
    if interaction is None or interaction.state == InteractionState.DELETED.value:
        return None
    return interaction


def _progress_of(session: Session, interaction: Interaction) -> Progress:
    # One query of two columns, not the question rows and the answers apart: it runs on
    # every answer a participant gives (bench-load's hottest path).
    rows = session.exec(
        select(Question.position, Answer.id)
        .select_from(Question)
        .join(
            Answer,
            (col(Answer.question_id) == col(Question.id))
            & (col(Answer.interaction_id) == interaction.id),
            isouter=True,
        )
        .where(Question.questionnaire_id == interaction.questionnaire_id)
        .order_by(col(Question.position))
    ).all()
    next_position = next((position for position, answer in rows if answer is None), None)
    done = sum(1 for _position, answer in rows if answer is not None)
    return Progress(answered=done, total=len(rows), next_position=next_position)


def _require_unfinished(interaction: Interaction) -> None:
    if interaction.state == InteractionState.COMPLETED.value:
        raise DomainError("interaction.already_completed")
    if interaction.state == InteractionState.DELETED.value:
        raise DomainError("interaction.deleted")
