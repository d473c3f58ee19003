"""The demo organization's review program: purchases, invitations in every state, reviews.

Purchases of the last four months are recorded as they happened (each with its own
"now"), so the rules decide every due moment; emails due before today are marked sent
(the demo must not flood the mailbox on first start). Some customers opened their link,
many reviewed, a few unsubscribed; repeat buyers show the frequency cap.
"""

import random
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from rxapp.models.outbox import MessageState, OutboxMessage
from rxapp.models.reviews import (
    ApiKey,
    Customer,
    Purchase,
    ReviewInvitation,
    ReviewInvitationState,
)
from rxapp.services.common.outbox import cancel_messages
from rxapp.services.common.tokens import derive_token, hash_token
from rxapp.services.common.unsubscribe import unsubscribe
from rxapp.services.reviews.api_keys import KEY_PREFIX, SCOPE_PURCHASES
from rxapp.services.reviews.purchases import PurchaseInput, record_purchases
from rxapp.services.reviews.reviewing import open_review_page, submit_review
from rxapp.services.reviews.rules import (
    ENTITY,
    KIND_INVITATION,
    KIND_REMINDER,
    TOKEN_PURPOSE,
    save_rules,
)

DEMO_PURCHASES = 300
_FIRST = [
    "Anna",
    "Björn",
    "Chloé",
    "David",
    "Emma",
    "Felix",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Karin",
    "Léa",
    "Mats",
    "Nora",
    "Oskar",
    "Paul",
    "Rita",
    "Sven",
    "Tilda",
    "Ulla",
]
_LAST = [
    "Andersson",
    "Berg",
    "Dubois",
    "Eriksson",
    "Fischer",
    "Lindqvist",
    "Martin",
    "Müller",
    "Nilsson",
    "Weber",
]
_PRODUCTS = [
    ("KET-1", "Kettle"),
    ("MUG-2", "Mug"),
    ("TEA-3", "Tea sampler"),
    ("PRS-4", "French press"),
    ("GRN-5", "Coffee grinder"),
]
_TEXTS = {
    "en": ["Fast delivery, lovely product.", "Good, but the box was damaged.", "Great service!"],
    "de": ["Schnelle Lieferung, tolles Produkt.", "Gut, aber die Verpackung war beschädigt."],
    "fr": ["Livraison rapide, très bon produit.", "Bien, mais le carton était abîmé."],
    "sv": ["Snabb leverans, fin produkt.", "Bra, men kartongen var skadad.", "Toppenservice!"],
}


def demo_api_key() -> str:
    """The demo organization's API key, derived from the server secret.

    Derived rather than random so ``make run`` can print it on every start while the
    database stores only its hash, like any other key.
    """
    return KEY_PREFIX + derive_token("demo_api_key", "demo")


def demo_api_key_active(session: Session) -> bool:
    """Whether the demo key is stored and not revoked (so printing it is useful)."""
    key = session.exec(select(ApiKey).where(ApiKey.key_hash == hash_token(demo_api_key()))).first()
    return key is not None and key.revoked_at is None


def _stars(rnd: random.Random) -> int:
    return rnd.choices([5, 4, 3, 2, 1], weights=[50, 25, 12, 8, 5])[0]


def seed_reviews_demo(session: Session, *, organization_id: int, now: datetime) -> None:
    """Fill the demo organization's review program in the caller's transaction.

    Idempotent: an organization that already has purchases gets nothing more.
    """
    if session.exec(select(Purchase.id).where(Purchase.organization_id == organization_id)).first():
        return
    rnd = random.Random(11)
    start = now - timedelta(days=120)
    # At most one invitation a month per customer, so repeat buyers show both outcomes.
    save_rules(
        session,
        organization_id=organization_id,
        values={"frequency_mode": "every_n_days", "frequency_days": 30},
        now=start,
    )
    customers = [
        (
            f"{f} {ln}",
            f"{f.lower()}.{ln.lower()}{n}@demo-customer.example".replace("é", "e")
            .replace("ö", "o")
            .replace("ü", "u"),
            rnd.choice(["en", "de", "fr", "sv"]),
        )
        for n, (f, ln) in enumerate((f, ln) for f in _FIRST for ln in _LAST)
    ]
    moments = sorted(
        start + timedelta(minutes=rnd.randrange(120 * 24 * 60)) for _ in range(DEMO_PURCHASES)
    )
    by_day: dict[object, list[PurchaseInput]] = {}
    for n, moment in enumerate(moments):
        # Some customers buy again: the monthly cap holds some of their invitations back.
        name, email, language = customers[
            n if n < len(customers) else rnd.randrange(len(customers))
        ]
        products = tuple(rnd.sample(_PRODUCTS, rnd.choice([1, 1, 2])))
        by_day.setdefault(moment.date(), []).append(
            PurchaseInput(
                email=email,
                name=name,
                language=language,
                order_reference=f"DEMO-{10000 + n}",
                occurred_at=moment,
                products=products,
            )
        )
    # One batch per day, recorded as that day's shop would have posted it.
    for items in by_day.values():
        record_purchases(
            session,
            organization_id=organization_id,
            items=items,
            source=rnd.choice(["api", "api", "csv", "form"]),
            now=items[0].occurred_at,
        )
    # Emails due before today went out (as the scheduler would have done).
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.organization_id == organization_id,
            OutboxMessage.state == MessageState.SCHEDULED.value,
            col(OutboxMessage.kind).in_([KIND_INVITATION, KIND_REMINDER]),
            col(OutboxMessage.due_at) <= now,
        )
        .values(state=MessageState.SENT.value, sent_at=OutboxMessage.due_at, attempts=1)
    )
    past = session.exec(
        select(ReviewInvitation).where(
            ReviewInvitation.organization_id == organization_id,
            ReviewInvitation.state == ReviewInvitationState.SCHEDULED.value,
            col(ReviewInvitation.due_at) <= now,
        )
    ).all()
    for inv in past:
        inv.state, inv.sent_at, inv.reminders_on_at_send = "sent", inv.due_at, False
        session.add(inv)
    session.flush()
    for inv in past:
        roll = rnd.random()
        if roll > 0.75:
            continue  # sent, never opened
        token = derive_token(TOKEN_PURPOSE, inv.link_salt)
        answered = min(inv.due_at + timedelta(hours=rnd.choice([1, 2, 3, 8, 20, 30])), now)
        page = open_review_page(session, token=token, now=answered)
        if page is None or roll > 0.6:
            continue  # opened only
        ratings = {
            s.key: (_stars(rnd), rnd.choice(_TEXTS[page.language]) if rnd.random() < 0.7 else "")
            for s in page.subjects
        }
        submit_review(session, token=token, ratings=ratings, now=answered + timedelta(minutes=3))
    # A few customers with invitations still queued unsubscribed; those are cancelled.
    queued = session.exec(
        select(ReviewInvitation, Customer.email)
        .join(Customer, col(Customer.id) == ReviewInvitation.customer_id)
        .where(
            ReviewInvitation.organization_id == organization_id,
            ReviewInvitation.state == ReviewInvitationState.SCHEDULED.value,
        )
        .limit(3)
    ).all()
    for inv, email in queued:
        unsubscribe(
            session,
            organization_id=organization_id,
            email=email,
            scope="reviews",
            now=now - timedelta(hours=2),
        )
        cancel_messages(
            session, entity_type=ENTITY, entity_id=inv.id or 0, now=now, reason="unsubscribed"
        )
        inv.state, inv.skip_reason = ReviewInvitationState.CANCELLED.value, "unsubscribed"
        session.add(inv)
    session.add(
        ApiKey(
            organization_id=organization_id,
            name="Demo web shop",
            prefix=demo_api_key()[:10],
            key_hash=hash_token(demo_api_key()),
            scope=SCOPE_PURCHASES,
            created_at=now,
        )
    )
    session.flush()
