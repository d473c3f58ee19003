"""The customer's side: open the review page by its link, write or edit reviews (R-REV-7).

One review per link and subject (the service, and each product the invitation asks
about); the customer may change it for a short while, then it is final.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from rxapp.models.accounts import Organization
from rxapp.models.outbox import StatusKind
from rxapp.models.reviews import (
    Customer,
    InvitationKind,
    Purchase,
    Review,
    ReviewInvitation,
    ReviewInvitationState,
)
from rxapp.services.common.errors import DomainError
from rxapp.services.common.outbox import cancel_messages
from rxapp.services.common.status_log import record_status
from rxapp.services.common.tokens import hash_token
from rxapp.services.reviews.rules import ENTITY, KIND_REMINDER

# How long a customer may change a review after first sending it.
EDIT_WINDOW = timedelta(minutes=30)
SERVICE = "service"
MAX_TEXT = 5000


@dataclass(frozen=True)
class Subject:
    """One thing the page asks about: the service or a product, with any review given."""

    key: str  # "service" or the product's SKU
    name: str  # product name; empty for the service
    stars: int = 0
    text: str = ""


@dataclass(frozen=True)
class ReviewPage:
    """What the public review page shows; no ids of other rows, no token."""

    organization_name: str
    customer_name: str
    language: str
    subjects: tuple[Subject, ...]
    reviewed: bool
    editable: bool
    edit_until: datetime | None


def find_invitation(session: Session, *, token: str) -> ReviewInvitation | None:
    """The invitation a link token opens, if it was sent (a capped one never opens)."""
    if not token or len(token) > 200:
        return None
    invitation = session.exec(
        select(ReviewInvitation).where(ReviewInvitation.token_hash == hash_token(token))
    ).first()
    if invitation is None or invitation.state in (
        ReviewInvitationState.CAPPED.value,
        ReviewInvitationState.CANCELLED.value,
    ):
        return None
    return invitation


def _subjects(session: Session, invitation: ReviewInvitation) -> list[tuple[str, str]]:
    subjects = []
    if invitation.kind != InvitationKind.PRODUCT.value:
        subjects.append((SERVICE, ""))
    if invitation.kind != InvitationKind.SERVICE.value:
        purchase = session.get(Purchase, invitation.purchase_id)
        for product in purchase.products if purchase else []:
            sku = str(product.get("sku") or "")
            if sku and sku not in {s for s, _ in subjects}:
                subjects.append((sku, str(product.get("name") or sku)))
    return subjects


def _editable(invitation: ReviewInvitation, now: datetime) -> bool:
    return invitation.reviewed_at is None or now < invitation.reviewed_at + EDIT_WINDOW


def open_review_page(session: Session, *, token: str, now: datetime) -> ReviewPage | None:
    """Load the review page of a link and record the first opening (an "answer" for R-REV-3).

    Returns:
        None for an unknown, capped or cancelled link.

    """
    invitation = find_invitation(session, token=token)
    if invitation is None:
        return None
    if invitation.opened_at is None:
        invitation.opened_at = now
        if invitation.state in (
            ReviewInvitationState.SCHEDULED.value,
            ReviewInvitationState.SENT.value,
        ):
            invitation.state = ReviewInvitationState.OPENED.value
        session.add(invitation)
        record_status(
            session,
            organization_id=invitation.organization_id,
            entity_type=ENTITY,
            entity_id=invitation.id or 0,
            event=StatusKind.OPENED,
            now=now,
        )
    customer = session.get(Customer, invitation.customer_id)
    org = session.get(Organization, invitation.organization_id)
    given = {
        r.subject: r
        for r in session.exec(select(Review).where(Review.invitation_id == invitation.id))
    }
    subjects = tuple(
        Subject(
            key=key,
            name=name,
            stars=given[key].stars if key in given else 0,
            text=given[key].text if key in given else "",
        )
        for key, name in _subjects(session, invitation)
    )
    return ReviewPage(
        organization_name=(org.sender_name or org.name) if org else "",
        customer_name=customer.name if customer else "",
        language=customer.language if customer else "en",
        subjects=subjects,
        reviewed=invitation.reviewed_at is not None,
        editable=_editable(invitation, now),
        edit_until=invitation.reviewed_at + EDIT_WINDOW if invitation.reviewed_at else None,
    )


def submit_review(
    session: Session, *, token: str, ratings: dict[str, tuple[int, str]], now: datetime
) -> int:
    """Write (or, within the edit window, change) the reviews of one link.

    Reviewing through the link cancels its queued reminder (reminder criterion 3).

    Args:
        session: The caller's session; nothing is committed here.
        token: The link token from the URL.
        ratings: Subject key -> (stars 1-5, text); the service needs stars, products may
            be left out.
        now: Current time.

    Returns:
        How many reviews were written or changed.

    Raises:
        DomainError: Unknown link, edit window over, or invalid stars/text (field named).

    """
    invitation = find_invitation(session, token=token)
    if invitation is None:
        raise DomainError("review.link_invalid")
    if not _editable(invitation, now):
        raise DomainError("review.edit_closed")
    subjects = dict(_subjects(session, invitation))
    if not isinstance(ratings, dict) or not ratings:
        # Named after the first thing asked about, so the page shows it next to it.
        raise DomainError("review.stars_required", next(iter(subjects), SERVICE))
    for key, value in ratings.items():
        if key not in subjects:
            raise DomainError("review.unknown_subject", str(key)[:100])
        stars, text = value
        if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
            raise DomainError("review.stars_required", key)
        if not isinstance(text, str) or len(text) > MAX_TEXT:
            raise DomainError("review.text_too_long", key)
    if SERVICE in subjects and SERVICE not in ratings:
        raise DomainError("review.stars_required", SERVICE)
    customer = session.get(Customer, invitation.customer_id)
    existing = {
        r.subject: r
        for r in session.exec(select(Review).where(Review.invitation_id == invitation.id))
    }
    for key, (stars, text) in ratings.items():
        review = existing.get(key)
        if review is None:
            review = Review(
                organization_id=invitation.organization_id,
                invitation_id=invitation.id or 0,
                customer_id=invitation.customer_id,
                subject=key,
                product_name=subjects[key],
                stars=stars,
                text=text.strip(),
                language=customer.language if customer else "en",
                created_at=now,
            )
        else:
            review.stars, review.text, review.edited_at = stars, text.strip(), now
        session.add(review)
    first = invitation.reviewed_at is None
    if first:
        invitation.reviewed_at = now
        invitation.state = ReviewInvitationState.REVIEWED.value
        session.add(invitation)
        record_status(
            session,
            organization_id=invitation.organization_id,
            entity_type=ENTITY,
            entity_id=invitation.id or 0,
            event=StatusKind.REVIEWED,
            now=now,
        )
        cancel_messages(
            session,
            entity_type=ENTITY,
            entity_id=invitation.id or 0,
            kinds=[KIND_REMINDER],
            now=now,
            reason="already reviewed",
        )
    try:
        session.flush()
    except IntegrityError:
        # Two tabs submitted at once: the other one's review stands.
        raise DomainError("review.already_given") from None
    return len(ratings)
