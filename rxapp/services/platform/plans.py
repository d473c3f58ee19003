"""Organizations' plans as the vendor runs them: usage, changes and their history.

R-ACC-5 (modules, bought interactions, maximum per participant, reports), R-PLUS-10
(team seats). Every function here is for operators only.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from rxapp.models import (
    Interaction,
    InteractionState,
    Module,
    Organization,
    Participant,
    PlanChange,
    PlanField,
    PlanRequest,
)
from rxapp.services.accounts.auth import Principal
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.platform.operators import require_operator
from rxapp.services.team.seats import seats_used

logger = logging.getLogger(__name__)

MODULES: tuple[str, ...] = tuple(m.value for m in Module)
# Generous bounds that still catch a typo of three extra zeros.
MAX_BOUGHT = 10_000_000
MAX_PER_PARTICIPANT = 1000
MAX_SEATS = 100_000


@dataclass(frozen=True)
class OrgSummary:
    """One organization as the console lists it: plan and usage."""

    id: int
    name: str
    slug: str
    modules: tuple[str, ...]
    interactions_bought: int
    interactions_used: int
    max_interactions_per_participant: int
    reports_included: bool
    team_seats: int
    seats_used: int
    participants: int
    open_requests: int


@dataclass(frozen=True)
class PlanChangeRow:
    """One line of an organization's plan history."""

    at: datetime
    field: str
    old_value: str
    new_value: str
    by: str
    note: str


def _customer(session: Session, organization_id: object) -> Organization:
    if not isinstance(organization_id, int) or isinstance(organization_id, bool):
        raise NotAllowed()
    org = session.get(Organization, organization_id)
    if org is None or org.is_platform:
        raise NotAllowed()
    return org


def _counts(session: Session, column, ids: list[int], *where) -> dict[int, int]:  # noqa: ANN001
    if not ids:
        return {}
    rows = session.exec(
        select(column, func.count()).where(col(column).in_(ids), *where).group_by(column)
    ).all()
    return {org_id: int(n) for org_id, n in rows}


def _summaries(session: Session, orgs: list[Organization], now: datetime) -> list[OrgSummary]:
    ids = [o.id for o in orgs]
    used = _counts(session, Interaction.organization_id, ids,
                   Interaction.state != InteractionState.DELETED.value)
    people = _counts(session, Participant.organization_id, ids)
    requests = _counts(session, PlanRequest.organization_id, ids,
                       col(PlanRequest.handled_at).is_(None))
    return [
        OrgSummary(
            id=o.id, name=o.name, slug=o.slug, modules=tuple(o.modules or ()),
            interactions_bought=o.interactions_bought, interactions_used=used.get(o.id, 0),
            max_interactions_per_participant=o.max_interactions_per_participant,
            reports_included=o.reports_included, team_seats=o.team_seats,
            seats_used=seats_used(session, organization_id=o.id, now=now),
            participants=people.get(o.id, 0), open_requests=requests.get(o.id, 0),
        )
        for o in orgs
    ]


def list_organizations(session: Session, *, principal: Principal, now: datetime,
                       query: str = "") -> list[OrgSummary]:
    """Every customer organization with its plan and usage, by name.

    Raises:
        NotAllowed: the caller is not an operator.

    """
    require_operator(principal)
    stmt = select(Organization).where(Organization.is_platform == False)  # noqa: E712
    query = (query or "").strip()[:100]
    if query:
        stmt = stmt.where(col(Organization.name).icontains(query))
    orgs = list(session.exec(stmt.order_by(Organization.name, Organization.id).limit(500)).all())
    return _summaries(session, orgs, now)


def get_organization(session: Session, *, principal: Principal, organization_id: object,
                     now: datetime) -> OrgSummary:
    """One customer organization's plan and usage.

    Raises:
        NotAllowed: not an operator, or no such customer organization.

    """
    require_operator(principal)
    return _summaries(session, [_customer(session, organization_id)], now)[0]


def _int_in(value: object, low: int, high: int, field: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError("plans.error.number", field=field) from None
    if not low <= number <= high:
        raise DomainError("plans.error.number", field=field)
    return number


def update_plan(
    session: Session,
    *,
    principal: Principal,
    organization_id: object,
    modules: object,
    interactions_bought: object,
    max_interactions_per_participant: object,
    reports_included: object,
    team_seats: object,
    note: str = "",
    now: datetime,
) -> OrgSummary:
    """Change an organization's plan; every changed field is written to its history.

    Raises:
        NotAllowed: not an operator, or no such customer organization.
        DomainError: a value is out of range or a module unknown (``field`` says which).

    """
    require_operator(principal)
    org = _customer(session, organization_id)
    if not isinstance(modules, list | tuple) or any(m not in MODULES for m in modules):
        raise DomainError("plans.error.modules", field="modules")
    new_values = {
        PlanField.MODULES.value: [m for m in MODULES if m in modules],
        PlanField.INTERACTIONS_BOUGHT.value: _int_in(interactions_bought, 0, MAX_BOUGHT,
                                                     "interactions_bought"),
        PlanField.MAX_PER_PARTICIPANT.value: _int_in(max_interactions_per_participant, 0,
                                                     MAX_PER_PARTICIPANT,
                                                     "max_interactions_per_participant"),
        PlanField.REPORTS_INCLUDED.value: reports_included is True,
        PlanField.TEAM_SEATS.value: _int_in(team_seats, 0, MAX_SEATS, "team_seats"),
    }
    note = (note if isinstance(note, str) else "").strip()[:500]
    for name, value in new_values.items():
        old = getattr(org, name)
        if (list(old or []) if name == PlanField.MODULES.value else old) == value:
            continue
        session.add(PlanChange(
            organization_id=org.id, changed_by=principal.user_id,
            changed_by_email=principal.email, field=name, old_value=_text(old),
            new_value=_text(value), note=note, at=now,
        ))
        setattr(org, name, value)
    session.add(org)
    session.flush()
    logger.info("plan changed", extra={"organization_id": org.id, "by": principal.user_id})
    return _summaries(session, [org], now)[0]


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)[:500]


def plan_history(session: Session, *, principal: Principal,
                 organization_id: object) -> list[PlanChangeRow]:
    """An organization's plan changes, newest first.

    Raises:
        NotAllowed: not an operator, or no such customer organization.

    """
    require_operator(principal)
    org = _customer(session, organization_id)
    rows = session.exec(
        select(PlanChange).where(PlanChange.organization_id == org.id)
        .order_by(col(PlanChange.at).desc(), col(PlanChange.id).desc()).limit(500)
    ).all()
    return [PlanChangeRow(at=r.at, field=r.field, old_value=r.old_value, new_value=r.new_value,
                          by=r.changed_by_email, note=r.note) for r in rows]
