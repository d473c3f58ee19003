"""Purchases as the staff list shows them, with the state of their invitations."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from rxapp.models.reviews import Customer, Purchase, ReviewInvitation
from rxapp.services.common.errors import NotFound
from rxapp.services.common.status_log import StatusRow, get_status_log
from rxapp.services.reviews.rules import ENTITY

PAGE_SIZE = 50


@dataclass(frozen=True)
class PurchaseRow:
    """One purchase line: who, what, when, and where its invitations are."""

    id: int
    order_reference: str
    customer_name: str
    customer_email: str
    occurred_at: datetime
    products: str
    source: str
    invitation_states: str
    next_due_at: datetime | None


def list_purchases(
    session: Session, *, organization_id: int, search: str = "", page: int = 0
) -> tuple[list[PurchaseRow], int]:
    """A page of the organization's purchases, newest first, and the total count.

    Args:
        session: Any session.
        organization_id: The signed-in user's organization.
        search: Part of an order reference or an email address.
        page: Zero-based page of :data:`PAGE_SIZE` rows.

    """
    conds = [Purchase.organization_id == organization_id]
    search = (search or "").strip().lower()[:100]
    if search:
        like = f"%{search}%"
        conds.append(col(Purchase.order_reference).ilike(like) | col(Customer.email).ilike(like))
    base = select(Purchase, Customer.name, Customer.email).join(
        Customer, col(Customer.id) == Purchase.customer_id
    )
    total = session.exec(
        select(func.count())
        .select_from(Purchase)
        .join(Customer, col(Customer.id) == Purchase.customer_id)
        .where(*conds)
    ).one()
    rows = session.exec(
        base.where(*conds)
        .order_by(col(Purchase.created_at).desc(), col(Purchase.id).desc())
        .offset(max(page, 0) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    ids = [p.id for p, _, _ in rows]
    invitations: dict[int, list[ReviewInvitation]] = {}
    if ids:
        for inv in session.exec(
            select(ReviewInvitation)
            .where(col(ReviewInvitation.purchase_id).in_(ids))
            .order_by(col(ReviewInvitation.id))
        ):
            invitations.setdefault(inv.purchase_id, []).append(inv)
    result = []
    for purchase, name, email in rows:
        invs = invitations.get(purchase.id or 0, [])
        pending = [i.due_at for i in invs if i.state == "scheduled"]
        result.append(
            PurchaseRow(
                id=purchase.id or 0,
                order_reference=purchase.order_reference,
                customer_name=name,
                customer_email=email,
                occurred_at=purchase.occurred_at,
                products=", ".join(
                    str(p.get("name") or p.get("sku") or "") for p in purchase.products
                ),
                source=purchase.source,
                invitation_states=",".join(f"{i.kind}:{i.state}" for i in invs),
                next_due_at=min(pending) if pending else None,
            )
        )
    return result, int(total)


def purchase_log(
    session: Session, *, organization_id: int, purchase_id: int
) -> list[tuple[str, StatusRow]]:
    """The status log of every invitation of one purchase, oldest first (R-PLUS-4).

    Shows what was scheduled, sent, opened, reviewed, and what was cancelled and why
    (reminders turned off, unsubscribed, frequency cap, contact cap).

    Returns:
        (invitation kind, status row) pairs.

    Raises:
        NotFound: No such purchase in this organization.

    """
    purchase = session.get(Purchase, purchase_id) if isinstance(purchase_id, int) else None
    if purchase is None or purchase.organization_id != organization_id:
        raise NotFound("error.not_found")
    rows: list[tuple[str, StatusRow]] = []
    for inv in session.exec(
        select(ReviewInvitation).where(ReviewInvitation.purchase_id == purchase_id)
    ):
        if inv.skip_reason and inv.state == "capped":
            rows.append((inv.kind, StatusRow("cancelled", inv.created_at, inv.skip_reason, None)))
        rows.extend(
            (inv.kind, row)
            for row in get_status_log(
                session, organization_id=organization_id, entity_type=ENTITY, entity_id=inv.id or 0
            )
        )
    return sorted(rows, key=lambda pair: pair[1].at)
