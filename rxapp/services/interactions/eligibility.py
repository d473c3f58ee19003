"""When a new interaction may be created, and why not (R-INT-3, R-INT-4)."""

import logging

from sqlalchemy import func
from sqlmodel import Session, select

from rxapp.models.accounts import Organization
from rxapp.models.participants import (
    UNFINISHED_STATES,
    Interaction,
    InteractionState,
    Participant,
)
from rxapp.services.interactions.base import (
    REASON_MAX_REACHED,
    REASON_NONE_LEFT,
    REASON_UNFINISHED,
    Eligibility,
    _organization,
    _participant,
)

logger = logging.getLogger(__name__)


# --- creation rules (R-INT-3, R-INT-4) ------------------------------------------------


def _used_interactions(session: Session, organization_id: int) -> int:
    # Only unfinished interactions can be deleted, and a deleted one gives its unit back.
    return session.exec(
        select(func.count())
        .select_from(Interaction)
        .where(
            Interaction.organization_id == organization_id,
            Interaction.state != InteractionState.DELETED.value,
        )
    ).one()


def remaining_interactions(session: Session, *, organization_id: int) -> int:
    """Return how many interactions the organization can still create (bought − used)."""
    org = _organization(session, organization_id)
    return max(0, org.interactions_bought - _used_interactions(session, organization_id))


def max_interactions_for(participant: Participant, org: Organization) -> int:
    """Return a participant's maximum: their own override, else the organization's."""
    if participant.max_interactions_override is not None:
        return participant.max_interactions_override
    return org.max_interactions_per_participant


def _eligibility(session: Session, org: Organization, participant: Participant) -> Eligibility:
    states = session.exec(
        select(Interaction.state).where(Interaction.participant_id == participant.id)
    ).all()
    if any(state in UNFINISHED_STATES for state in states):
        return Eligibility(False, REASON_UNFINISHED)
    counted = sum(1 for state in states if state != InteractionState.DELETED.value)
    if counted >= max_interactions_for(participant, org):
        return Eligibility(False, REASON_MAX_REACHED)
    if org.interactions_bought - _used_interactions(session, org.id or 0) <= 0:
        return Eligibility(False, REASON_NONE_LEFT)
    return Eligibility(True, None)


def can_create_interaction(
    session: Session, *, organization_id: int, participant_id: int
) -> Eligibility:
    """Tell whether a new interaction may be created for a participant, and why not.

    Reasons, in this order: an unfinished interaction exists; the participant's maximum
    is reached (organization setting, overridable per participant); the organization
    has no bought interactions left.

    Raises:
        NotAllowed: The participant belongs to another organization.

    """
    participant = _participant(session, organization_id, participant_id)
    org = _organization(session, organization_id)
    return _eligibility(session, org, participant)


