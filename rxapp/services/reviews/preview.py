"""The settings page's live preview: what the rules do to a purchase made now (R-REV-8)."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from rxapp.models.accounts import Organization
from rxapp.models.reviews import ProductMode, ReviewSettings
from rxapp.services.reviews import timing
from rxapp.services.reviews.purchases import current_hour_choice


@dataclass(frozen=True)
class Preview:
    """The moments a purchase made at ``purchase_at`` would get, and the hour's reason."""

    purchase_at: datetime
    service_at: datetime
    combined: bool
    product_at: datetime | None
    reminder_at: datetime | None
    product_reminder_at: datetime | None
    next_invitation_at: datetime | None
    choice: timing.HourChoice
    zone: str


def preview(
    session: Session, *, organization_id: int, rules: ReviewSettings, now: datetime
) -> Preview:
    """Apply ``rules`` (saved or still being edited) to a purchase made now.

    Args:
        session: Any session (reads the organization and, for "optimize", its history).
        organization_id: The signed-in user's organization.
        rules: The rules to preview; need not be saved.
        now: Current time; also the example purchase's moment.

    """
    org = session.get(Organization, organization_id)
    zone = org.timezone if org else "UTC"
    choice = current_hour_choice(session, organization_id=organization_id, rules=rules, now=now)
    plan = timing.plan_purchase(
        rules, occurred_at=now, choice=choice, customer_tz=None, org_tz=zone, now=now
    )
    window = timing.cap_window(rules)
    return Preview(
        purchase_at=now,
        service_at=plan.service_at,
        combined=ProductMode(rules.product_mode) is ProductMode.TOGETHER,
        product_at=plan.product_at,
        reminder_at=plan.service_reminder_at,
        product_reminder_at=plan.product_reminder_at,
        next_invitation_at=plan.service_at + window if window is not None else None,
        choice=choice,
        zone=zone,
    )
