"""Send-time checks and template values of the review emails (R-REV-4, R-REV-6, R-PLUS-8).

Plain functions ``(session, message, now)`` that the scheduler's kind table lists:

* ``review_invitation``: :func:`check_invitation`, :func:`invitation_context`
* ``review_reminder``: :func:`check_reminder`, :func:`invitation_context`

A check returns a reason to cancel, or None; it may update the invitation (it runs in the
worker's transaction, just before the email goes out).
"""

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from rxapp import routes
from rxapp.models.contact import UnsubscribeScope
from rxapp.models.outbox import OutboxMessage
from rxapp.models.reviews import (
    InvitationKind,
    Purchase,
    ReviewInvitation,
    ReviewInvitationState,
)
from rxapp.services.common.tokens import derive_token
from rxapp.services.common.unsubscribe import check_contact_rules, unsubscribe_context
from rxapp.services.reviews import timing
from rxapp.services.reviews.rules import TOKEN_PURPOSE, get_rules

_SENT_STATES = (
    ReviewInvitationState.SENT.value,
    ReviewInvitationState.OPENED.value,
    ReviewInvitationState.REVIEWED.value,
)


def _invitation(session: Session, message: OutboxMessage) -> ReviewInvitation | None:
    invitation_id = int((message.context or {}).get("invitation_id") or 0)
    invitation = session.get(ReviewInvitation, invitation_id) if invitation_id else None
    if invitation is None or invitation.organization_id != message.organization_id:
        return None
    return invitation


def _recently_invited(session: Session, invitation: ReviewInvitation, now: datetime) -> bool:
    """Frequency cap checked again at send time (R-REV-4).

    True when another purchase's invitation went out within the window.
    """
    rules = get_rules(session, organization_id=invitation.organization_id)
    window = timing.cap_window(rules)
    if window is None:
        return False
    latest = session.exec(
        select(ReviewInvitation.sent_at)
        .where(
            ReviewInvitation.organization_id == invitation.organization_id,
            ReviewInvitation.customer_id == invitation.customer_id,
            ReviewInvitation.purchase_id != invitation.purchase_id,
            col(ReviewInvitation.state).in_(_SENT_STATES),
            col(ReviewInvitation.sent_at).is_not(None),
        )
        .order_by(col(ReviewInvitation.sent_at).desc())
        .limit(1)
    ).first()
    return latest is not None and now < latest + window


def _hold_back(session: Session, invitation: ReviewInvitation, state: str, reason: str) -> str:
    invitation.state = state
    invitation.skip_reason = reason
    session.add(invitation)
    return reason


def check_invitation(session: Session, message: OutboxMessage, now: datetime) -> str | None:
    """Send check of a review invitation; records whether reminders are on (criterion 2).

    Returns:
        Why the invitation must not go out (unsubscribed, contact cap, frequency cap,
        invitation gone), or None; then the invitation is marked sent.

    """
    invitation = _invitation(session, message)
    if invitation is None:
        return "invitation gone"
    if invitation.state != ReviewInvitationState.SCHEDULED.value:
        return f"invitation {invitation.state}"
    reason = check_contact_rules(session, message, now)
    if reason:
        return _hold_back(session, invitation, ReviewInvitationState.CANCELLED.value, reason)
    if invitation.kind != InvitationKind.PRODUCT.value and _recently_invited(
        session, invitation, now
    ):
        return _hold_back(session, invitation, ReviewInvitationState.CAPPED.value, "frequency cap")
    rules = get_rules(session, organization_id=invitation.organization_id)
    invitation.state = ReviewInvitationState.SENT.value
    invitation.sent_at = now
    # Criterion 2 of the seed: reminders must be on when the invitation goes out.
    invitation.reminders_on_at_send = rules.reminders_enabled
    session.add(invitation)
    return None


def check_reminder(session: Session, message: OutboxMessage, now: datetime) -> str | None:
    """Send check of a review reminder: the seed's three criteria, each on its own (R-REV-6).

    1. reminders were on when the invitation was created;
    2. reminders were on when the invitation was sent;
    3. the customer has not reviewed through that invitation's link.

    Reminders turned off since are cancelled when they are turned off; the current setting
    is read here too, for a reminder that was claimed meanwhile.
    """
    invitation = _invitation(session, message)
    if invitation is None:
        return "invitation gone"
    if not invitation.reminders_on_at_creation:
        return "reminders were off when the invitation was created"
    if invitation.reminders_on_at_send is not True:
        if invitation.sent_at is None:
            return "invitation not sent"
        return "reminders were off when the invitation was sent"
    if invitation.reviewed_at is not None:
        return "already reviewed"
    if not get_rules(session, organization_id=invitation.organization_id).reminders_enabled:
        return "reminders turned off"
    return check_contact_rules(session, message, now)


def invitation_link(invitation: ReviewInvitation) -> str:
    """The customer's review link, rebuilt from the stored salt and the server secret."""
    return routes.review_url(derive_token(TOKEN_PURPOSE, invitation.link_salt))


def invitation_context(session: Session, message: OutboxMessage, now: datetime) -> dict[str, Any]:
    """Template values computed at send time: link, products, unsubscribe link and headers.

    ``headers`` carries RFC 8058's ``List-Unsubscribe`` and ``List-Unsubscribe-Post``.
    """
    invitation = _invitation(session, message)
    if invitation is None:
        return {}
    purchase = session.get(Purchase, invitation.purchase_id)
    products = []
    if purchase is not None and invitation.kind != InvitationKind.SERVICE.value:
        products = [str(p.get("name") or p.get("sku") or "") for p in purchase.products]
    return {
        "link": invitation_link(invitation),
        "invitation_kind": invitation.kind,
        "products": products,
        **unsubscribe_context(message, UnsubscribeScope.REVIEWS.value),
    }
