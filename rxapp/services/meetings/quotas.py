"""The validated-meetings quota and its ledger per partner (R-BM-4, R-PLUS-6).

Three sources that do not add up: the partner's own quota wins, else the quantity of a
meeting-quota product assigned to it, else the event's global quota. Confirmed meetings
use a unit; pending requests are counted apart; declined, cancelled and lapsed ones give
theirs back simply by no longer being counted.
"""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import Session, col, select

from rxapp.models.meetings import (
    Event,
    Meeting,
    MeetingStatus,
    Partner,
    PartnerProduct,
    Product,
    ProductKind,
)


class QuotaLevel(StrEnum):
    """Which source set a partner's quota."""

    PARTNER = "partner"  # the partner's own quota
    PRODUCT = "product"  # a meeting-quota product assigned to it
    GLOBAL = "global"  # the event's global quota
    NONE = "none"  # no quota anywhere: unlimited


@dataclass(frozen=True)
class Ledger:
    """A partner's quota ledger."""

    level: str
    quota: int | None  # None: unlimited
    used: int  # confirmed meetings
    pending: int  # requests waiting for an answer
    left: int | None  # quota - used - pending (never below 0); None: unlimited


def quota_of(session: Session, partner: Partner, event: Event) -> tuple[str, int | None]:
    """The partner's quota and the level it comes from."""
    if partner.quota is not None:
        return QuotaLevel.PARTNER.value, partner.quota
    product_qty = session.exec(
        select(func.max(Product.quantity))
        .join(PartnerProduct, col(PartnerProduct.product_id) == Product.id)
        .where(PartnerProduct.partner_id == partner.id,
               Product.kind == ProductKind.MEETING_QUOTA.value)
    ).first()
    if product_qty is not None:
        return QuotaLevel.PRODUCT.value, int(product_qty)
    if event.global_quota is not None:
        return QuotaLevel.GLOBAL.value, event.global_quota
    return QuotaLevel.NONE.value, None


def ledger(session: Session, *, partner: Partner, event: Event) -> Ledger:
    """The partner's ledger: level, quota, used, pending and left (R-PLUS-6)."""
    level, quota = quota_of(session, partner, event)
    counts = dict(session.exec(
        select(Meeting.status, func.count())
        .where(Meeting.partner_id == partner.id,
               col(Meeting.status).in_((MeetingStatus.CONFIRMED.value,
                                        MeetingStatus.REQUESTED.value)))
        .group_by(Meeting.status)
    ).all())
    used = int(counts.get(MeetingStatus.CONFIRMED.value, 0))
    pending = int(counts.get(MeetingStatus.REQUESTED.value, 0))
    left = None if quota is None else max(0, quota - used - pending)
    return Ledger(level=level, quota=quota, used=used, pending=pending, left=left)
