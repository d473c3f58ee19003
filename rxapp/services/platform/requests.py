"""Organizers' "request more": recorded, emailed to the operators, shown in the console."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from rxapp import routes
from rxapp.i18n import translate
from rxapp.models import Organization, PlanRequest, RequestKind, Role
from rxapp.services.accounts.auth import Principal
from rxapp.services.common import outbox
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.platform.operators import (
    operators,
    platform_organization,
    require_operator,
)

logger = logging.getLogger(__name__)

ENTITY = "plan_request"
KIND_PLAN_REQUEST = "plan_request"
REQUEST_KINDS: tuple[str, ...] = tuple(k.value for k in RequestKind)
# Who may ask: the people who meet the limits in their daily work.
REQUESTERS = (Role.ADMIN.value, Role.ORGANIZER.value)
# A second click within this time adds nothing (no second email to the vendor).
REPEAT_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class RequestRow:
    """A request as the console lists it."""

    id: int
    organization_id: int
    organization_name: str
    kind: str
    by: str
    message: str
    created_at: datetime
    handled_at: datetime | None


def request_more(
    session: Session, *, principal: Principal, kind: object, message: object = "",
    now: datetime,
) -> tuple[PlanRequest, bool]:
    """Record a request to unlock more and email every operator, in one transaction.

    Returns:
        The request and whether it is new (False: the same request is already open
        from the last 24 hours, and nothing more is sent).

    Raises:
        NotAllowed: not an admin or organizer of a customer organization.
        DomainError: an unknown kind.

    """
    if principal.role not in REQUESTERS:
        raise NotAllowed()
    if not isinstance(kind, str) or kind not in REQUEST_KINDS:
        raise DomainError("plans.error.kind", field="kind")
    org = session.get(Organization, principal.organization_id)
    if org is None or org.is_platform:
        raise NotAllowed()
    open_one = session.exec(
        select(PlanRequest).where(
            PlanRequest.organization_id == org.id, PlanRequest.kind == kind,
            col(PlanRequest.handled_at).is_(None),
            PlanRequest.created_at > now - REPEAT_WINDOW,
        )
    ).first()
    if open_one is not None:
        return open_one, False
    text = (message if isinstance(message, str) else "").strip()[:1000]
    request = PlanRequest(organization_id=org.id, requested_by=principal.user_id,
                          requested_by_email=principal.email, kind=kind, message=text,
                          created_at=now)
    session.add(request)
    session.flush()
    platform = platform_organization(session, now=now)
    for operator in operators(session):
        context = {
            "customer": org.name,
            "requester": principal.full_name or principal.email,
            "requester_email": principal.email,
            "what": translate(operator.language, f"plans.request.kind.{kind}"),
            "message": text,
            "link": routes.platform_org_url(org.id),
        }
        outbox.schedule_message(
            session, organization_id=platform.id, recipient=operator.email,
            recipient_name=operator.full_name, kind=KIND_PLAN_REQUEST,
            language=operator.language, context=context, due_at=now,
            idempotency_key=f"{ENTITY}:{request.id}:{operator.id}", entity_type=ENTITY,
            entity_id=request.id, now=now,
        )
    logger.info("plan request", extra={"organization_id": org.id, "kind": kind})
    return request, True


def open_request_kinds(session: Session, *, organization_id: int) -> set[str]:
    """The kinds an organization has asked for and the vendor has not handled yet."""
    return set(session.exec(
        select(PlanRequest.kind).where(PlanRequest.organization_id == organization_id,
                                       col(PlanRequest.handled_at).is_(None))
    ).all())


def list_requests(session: Session, *, principal: Principal, organization_id: int | None = None,
                  open_only: bool = True) -> list[RequestRow]:
    """Requests, newest first: the open ones, or every one of one organization.

    Raises:
        NotAllowed: the caller is not an operator.

    """
    require_operator(principal)
    stmt = select(PlanRequest, Organization.name).join(
        Organization, Organization.id == PlanRequest.organization_id)
    if organization_id is not None:
        stmt = stmt.where(PlanRequest.organization_id == organization_id)
    if open_only:
        stmt = stmt.where(col(PlanRequest.handled_at).is_(None))
    rows = session.exec(
        stmt.order_by(col(PlanRequest.created_at).desc(), col(PlanRequest.id).desc()).limit(500)
    ).all()
    return [RequestRow(id=r.id, organization_id=r.organization_id, organization_name=name,
                       kind=r.kind, by=r.requested_by_email, message=r.message,
                       created_at=r.created_at, handled_at=r.handled_at) for r, name in rows]


def mark_handled(session: Session, *, principal: Principal, request_id: object,
                 now: datetime) -> None:
    """Close a request once the plan was changed (or the customer was answered).

    Raises:
        NotAllowed: not an operator, or no such request.

    """
    require_operator(principal)
    if not isinstance(request_id, int) or isinstance(request_id, bool):
        raise NotAllowed()
    request = session.get(PlanRequest, request_id)
    if request is None:
        raise NotAllowed()
    if request.handled_at is None:
        request.handled_at = now
        request.handled_by_email = principal.email
        session.add(request)
        session.flush()
