"""Recording purchases and scheduling their review emails, one transaction per call (§4).

A purchase (from the form, a CSV file or the API) finds or creates its customer, gets its
invitations with the exact due moments of the rules, and puts their emails (and reminders)
in the outbox, all in the caller's transaction. Batches are written with a handful of
multi-row INSERTs, so 100,000 purchases through the API take seconds, not minutes.
Idempotent on the order reference: a repeat changes nothing and says so.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlmodel import Session, col

from rxapp.models.accounts import Organization
from rxapp.models.outbox import MessageState, OutboxMessage, StatusEvent, StatusKind
from rxapp.models.reviews import (
    Customer,
    InvitationKind,
    ProductMode,
    Purchase,
    PurchaseSource,
    ReviewInvitation,
    ReviewInvitationState,
    ReviewSettings,
    TimeMode,
)
from rxapp.services.common.errors import DomainError
from rxapp.services.common.outbox import make_message_id
from rxapp.services.common.tokens import derive_token, hash_token, new_salt
from rxapp.services.reviews import timing
from rxapp.services.reviews.purchase_input import PurchaseInput, validate_purchase
from rxapp.services.reviews.rules import (
    ENTITY,
    KIND_INVITATION,
    KIND_REMINDER,
    TOKEN_PURPOSE,
    get_rules,
)

MAX_BATCH = 1000
# Keeps every IN (...) list well under SQLite's bound-parameter limit.
_CHUNK = 500
_NOT_COUNTED = (ReviewInvitationState.CAPPED.value, ReviewInvitationState.CANCELLED.value)
_FIRST_KINDS = (InvitationKind.SERVICE.value, InvitationKind.COMBINED.value)


@dataclass(frozen=True)
class PurchaseOutcome:
    """What recording one purchase did.

    Attributes:
        order_reference: The purchase's reference.
        created: False when the reference was already recorded (nothing changed).
        purchase_id: The new or existing purchase.
        invitations: Invitations scheduled (0 when repeated or capped).
        capped: The frequency cap held the invitation back (R-REV-4).
        first_due_at: When the first email is due, if any.

    """

    order_reference: str
    created: bool
    purchase_id: int
    invitations: int = 0
    capped: bool = False
    first_due_at: datetime | None = None


@dataclass
class _Pending:
    item: PurchaseInput
    customer_id: int = 0
    capped: bool = False
    plan: timing.Plan | None = None
    kinds: list[tuple[str, datetime, datetime | None]] = field(default_factory=list)


def answer_times(session: Session, *, organization_id: int, now: datetime) -> list[datetime]:
    """Moments customers answered past invitations (opened the page or reviewed)."""
    since = now - timedelta(days=timing.OPTIMIZE_HISTORY_DAYS)
    found: list[datetime] = []
    for column in (ReviewInvitation.opened_at, ReviewInvitation.reviewed_at):
        found.extend(
            session.execute(
                select(column).where(
                    ReviewInvitation.organization_id == organization_id, col(column) >= since
                )
            ).scalars()
        )
    return found


def current_hour_choice(
    session: Session, *, organization_id: int, rules: ReviewSettings, now: datetime
) -> timing.HourChoice:
    """The hour sends use now, with the optimized hour read from history when asked."""
    optimized = None
    if TimeMode(rules.time_mode) is TimeMode.OPTIMIZE:
        optimized = timing.optimized_hour(
            answer_times(session, organization_id=organization_id, now=now),
            now=now,
            fallback_hour=rules.send_hour_utc,
        )
    return timing.hour_choice(rules, optimized=optimized)


def _chunks(values: Sequence, size: int = _CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing_purchases(session: Session, org_id: int, refs: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(refs):
        found.update(
            session.execute(
                select(Purchase.order_reference, Purchase.id).where(
                    Purchase.organization_id == org_id, col(Purchase.order_reference).in_(chunk)
                )
            ).all()
        )
    return found


def _customers(session: Session, org_id: int, items: list[PurchaseInput], now: datetime):
    """Email -> (id, timezone), creating new customers and updating changed ones."""
    latest = {item.email: item for item in items}  # the last row of a batch wins
    known: dict[str, tuple[int, str, str, str]] = {}
    for chunk in _chunks(list(latest)):
        for row in session.execute(
            select(
                Customer.email, Customer.id, Customer.name, Customer.language, Customer.timezone
            ).where(Customer.organization_id == org_id, col(Customer.email).in_(chunk))
        ):
            known[row[0]] = (row[1], row[2], row[3], row[4])
    result: dict[str, tuple[int, str]] = {}
    for email, (cid, name, language, tz) in known.items():
        item = latest[email]
        wanted = (item.name or name, item.language, item.timezone or tz)
        if wanted != (name, language, tz):
            session.execute(
                update(Customer)
                .where(col(Customer.id) == cid)
                .values(name=wanted[0], language=wanted[1], timezone=wanted[2])
            )
        result[email] = (cid, wanted[2])
    new = [
        {
            "organization_id": org_id,
            "email": email,
            "name": item.name,
            "language": item.language,
            "timezone": item.timezone,
            "created_at": now,
        }
        for email, item in latest.items()
        if email not in known
    ]
    if new:
        table = Customer.__table__
        rows = session.connection().execute(
            table.insert().returning(table.c.id, table.c.email), new
        )
        for cid, email in rows:
            result[email] = (cid, latest[email].timezone)
    return result


def _previous_invitations(session: Session, org_id: int, customer_ids: list[int]):
    """Customer id -> due moment of their latest invitation that counts for the cap."""
    found: dict[int, datetime] = {}
    for chunk in _chunks(customer_ids):
        found.update(
            session.execute(
                select(ReviewInvitation.customer_id, func.max(ReviewInvitation.due_at))
                .where(
                    ReviewInvitation.organization_id == org_id,
                    col(ReviewInvitation.customer_id).in_(chunk),
                    col(ReviewInvitation.kind).in_(_FIRST_KINDS),
                    col(ReviewInvitation.state).not_in(_NOT_COUNTED),
                )
                .group_by(ReviewInvitation.customer_id)
            ).all()
        )
    return found


def _invitation_kinds(rules: ReviewSettings, item: PurchaseInput, plan: timing.Plan):
    """(kind, due, reminder due) of each invitation a purchase gets."""
    mode = ProductMode(rules.product_mode)
    if mode is ProductMode.TOGETHER and item.products:
        return [(InvitationKind.COMBINED.value, plan.service_at, plan.service_reminder_at)]
    kinds = [(InvitationKind.SERVICE.value, plan.service_at, plan.service_reminder_at)]
    if mode is ProductMode.SEPARATE and item.products and plan.product_at is not None:
        kinds.append((InvitationKind.PRODUCT.value, plan.product_at, plan.product_reminder_at))
    return kinds


def record_purchases(
    session: Session,
    *,
    organization_id: int,
    items: Sequence[PurchaseInput],
    source: str = PurchaseSource.FORM.value,
    now: datetime,
) -> list[PurchaseOutcome]:
    """Record purchases and schedule their emails in the caller's transaction.

    Args:
        session: The caller's session; nothing is committed here.
        organization_id: The organization the purchases belong to (from the API key or
            the signed-in user, never from the client).
        items: Up to :data:`MAX_BATCH` purchases; each is validated.
        source: A :class:`PurchaseSource` value.
        now: Current time.

    Returns:
        One outcome per item, in order. A reference already recorded (or repeated in the
        batch) is ``created=False`` and changes nothing.

    Raises:
        DomainError: An item is invalid (``field`` is ``items[i].<field>``), or the batch
            is too large. Nothing is written then.

    """
    if len(items) > MAX_BATCH:
        raise DomainError("reviews.batch_too_large", "items")
    clean: list[PurchaseInput] = []
    for index, item in enumerate(items):
        try:
            clean.append(validate_purchase(item))
        except DomainError as exc:
            raise DomainError(exc.code, f"items[{index}].{exc.field}") from None
    org = session.get(Organization, organization_id)
    if org is None:
        raise DomainError("error.not_found")
    rules = get_rules(session, organization_id=organization_id)
    choice = current_hour_choice(session, organization_id=organization_id, rules=rules, now=now)

    existing = _existing_purchases(session, organization_id, [i.order_reference for i in clean])
    fresh: list[_Pending] = []
    seen: set[str] = set(existing)
    for item in clean:
        if item.order_reference not in seen:
            seen.add(item.order_reference)
            fresh.append(_Pending(item))
    customers = _customers(session, organization_id, [p.item for p in fresh], now) if fresh else {}
    previous = _previous_invitations(
        session, organization_id, sorted({cid for cid, _ in customers.values()})
    )

    # Oldest purchase first, so the cap keeps the earliest invitation of a batch.
    for pending in sorted(fresh, key=lambda p: p.item.occurred_at):
        cid, tz = customers[pending.item.email]
        pending.customer_id = cid
        plan = timing.plan_purchase(
            rules,
            occurred_at=pending.item.occurred_at,
            choice=choice,
            customer_tz=tz or None,
            org_tz=org.timezone,
            now=now,
        )
        pending.plan = plan
        if timing.is_capped(rules, previous_at=previous.get(cid), due_at=plan.service_at):
            pending.capped = True
            pending.kinds = [
                (_invitation_kinds(rules, pending.item, plan)[0][0], plan.service_at, None)
            ]
        else:
            previous[cid] = plan.service_at
            pending.kinds = _invitation_kinds(rules, pending.item, plan)

    purchase_ids = _insert_purchases(session, organization_id, fresh, source, now)
    _insert_invitations(session, organization_id, fresh, purchase_ids, rules, now)

    by_reference = {p.item.order_reference: p for p in fresh}
    outcomes = []
    reported: set[str] = set()
    for item in clean:
        ref = item.order_reference
        pending = by_reference.get(ref)
        if pending is None or ref in reported:
            outcomes.append(
                PurchaseOutcome(
                    ref, created=False, purchase_id=existing.get(ref) or purchase_ids[ref]
                )
            )
            continue
        reported.add(ref)
        outcomes.append(
            PurchaseOutcome(
                ref,
                created=True,
                purchase_id=purchase_ids[ref],
                invitations=0 if pending.capped else len(pending.kinds),
                capped=pending.capped,
                first_due_at=None if pending.capped else pending.kinds[0][1],
            )
        )
    return outcomes


def _insert_purchases(session, org_id, fresh: list[_Pending], source: str, now) -> dict[str, int]:
    if not fresh:
        return {}
    rows = [
        {
            "organization_id": org_id,
            "customer_id": p.customer_id,
            "order_reference": p.item.order_reference,
            "occurred_at": p.item.occurred_at,
            "products": [{"sku": sku, "name": name} for sku, name in p.item.products],
            "source": source,
            "created_at": now,
        }
        for p in fresh
    ]
    table = Purchase.__table__
    result = session.connection().execute(
        table.insert().returning(table.c.id, table.c.order_reference),
        rows,
    )
    return {ref: pid for pid, ref in result}


def _insert_invitations(session, org_id, fresh, purchase_ids, rules, now) -> None:
    rows, messages = [], []
    for p in fresh:
        for kind, due_at, reminder_at in p.kinds:
            salt = new_salt()
            rows.append(
                {
                    "organization_id": org_id,
                    "customer_id": p.customer_id,
                    "purchase_id": purchase_ids[p.item.order_reference],
                    "kind": kind,
                    "state": (
                        ReviewInvitationState.CAPPED.value
                        if p.capped
                        else ReviewInvitationState.SCHEDULED.value
                    ),
                    "token_hash": hash_token(derive_token(TOKEN_PURPOSE, salt)),
                    "link_salt": salt,
                    "due_at": due_at,
                    "reminders_on_at_creation": rules.reminders_enabled,
                    "skip_reason": "frequency cap" if p.capped else "",
                    "created_at": now,
                }
            )
            messages.append((p, kind, due_at, reminder_at))
    if not rows:
        return
    # Core multi-row inserts (not the ORM's bulk path). Returned ids are matched by a
    # unique column rather than by position: asking SQLite for ordered RETURNING makes
    # SQLAlchemy send one INSERT per row.
    conn = session.connection()
    table = ReviewInvitation.__table__
    by_hash = dict(
        (h, i)
        for i, h in conn.execute(table.insert().returning(table.c.id, table.c.token_hash), rows)
    )
    ids = [by_hash[row["token_hash"]] for row in rows]
    domain = make_message_id().rpartition("@")[2].rstrip(">")
    outbox_rows = []
    for invitation_id, (p, kind, due_at, reminder_at) in zip(ids, messages, strict=True):
        if p.capped:
            continue
        emails = [(KIND_INVITATION, due_at)]
        if reminder_at is not None:
            emails.append((KIND_REMINDER, reminder_at))
        for message_kind, when in emails:
            outbox_rows.append(
                {
                    "organization_id": org_id,
                    "recipient": p.item.email,
                    "recipient_name": p.item.name,
                    "kind": message_kind,
                    "language": p.item.language,
                    "template": message_kind,
                    "context": {"invitation_id": invitation_id, "kind": kind},
                    "due_at": when,
                    "state": MessageState.SCHEDULED.value,
                    "attempts": 0,
                    "last_error": "",
                    "idempotency_key": f"{message_kind}:{invitation_id}",
                    "entity_type": ENTITY,
                    "entity_id": invitation_id,
                    "message_id": make_message_id(domain),
                    "created_at": now,
                }
            )
    if not outbox_rows:
        return
    outbox = OutboxMessage.__table__
    by_key = dict(
        (k, i)
        for i, k in conn.execute(
            outbox.insert().returning(outbox.c.id, outbox.c.idempotency_key), outbox_rows
        )
    )
    message_ids = [by_key[row["idempotency_key"]] for row in outbox_rows]
    conn.execute(
        StatusEvent.__table__.insert(),
        [
            {
                "organization_id": org_id,
                "entity_type": ENTITY,
                "entity_id": row["entity_id"],
                "event": StatusKind.SCHEDULED.value,
                "detail": f"{row['kind']} due {row['due_at'].isoformat()}",
                "message_id": message_id,
                "at": now,
            }
            for row, message_id in zip(outbox_rows, message_ids, strict=True)
        ],
    )
