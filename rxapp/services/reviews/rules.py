"""An organization's review timing and frequency rules, and turning reminders off (R-REV-1..6)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col
from sqlmodel import select as sm_select

from rxapp.models.outbox import MessageState, OutboxMessage
from rxapp.models.reviews import (
    DelayUnit,
    FrequencyMode,
    ProductMode,
    ReviewSettings,
    TimeMode,
)
from rxapp.services.common.errors import DomainError

KIND_INVITATION = "review_invitation"
KIND_REMINDER = "review_reminder"
ENTITY = "review_invitation"
TOKEN_PURPOSE = "review"  # noqa: S105 - a label mixed into the HMAC, not a secret

_QUEUED = (MessageState.SCHEDULED.value, MessageState.SENDING.value)
# Field -> (low, high) for the whole-number settings.
_RANGES: dict[str, tuple[int, int]] = {
    "service_delay": (0, 365),
    "product_delay": (0, 365),
    "send_hour_utc": (0, 23),
    "local_hour": (0, 23),
    "window_start": (0, 23),
    "window_end": (1, 24),
    "frequency_days": (1, 3650),
    "reminder_delay": (1, 365),
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "service_unit": tuple(u.value for u in DelayUnit),
    "product_unit": tuple(u.value for u in DelayUnit),
    "reminder_unit": (DelayUnit.DAYS.value, DelayUnit.WEEKS.value),
    "product_mode": tuple(m.value for m in ProductMode),
    "time_mode": tuple(m.value for m in TimeMode),
    "frequency_mode": tuple(m.value for m in FrequencyMode),
}
EDITABLE = (*_RANGES, *_CHOICES, "reminders_enabled")


@dataclass(frozen=True)
class RulesSaved:
    """What saving the rules did: the rules, and how many queued reminders it cancelled."""

    rules: ReviewSettings
    cancelled_reminders: int


def get_rules(session: Session, *, organization_id: int) -> ReviewSettings:
    """The organization's rules; the seed's defaults (unsaved) when never set."""
    row = session.exec(
        sm_select(ReviewSettings).where(ReviewSettings.organization_id == organization_id)
    ).first()
    return row or ReviewSettings(organization_id=organization_id)


def validate_rules(values: dict[str, Any]) -> dict[str, Any]:
    """Check and convert submitted settings; unknown keys are ignored.

    Raises:
        DomainError: ``reviews.invalid`` with the field at fault.

    """
    clean: dict[str, Any] = {}
    for name, (low, high) in _RANGES.items():
        if name not in values:
            continue
        raw = values[name]
        if isinstance(raw, bool):
            raise DomainError("reviews.invalid", name)
        try:
            number = int(raw)
        except (TypeError, ValueError):
            raise DomainError("reviews.invalid", name) from None
        if not low <= number <= high:
            raise DomainError("reviews.out_of_range", name)
        clean[name] = number
    for name, options in _CHOICES.items():
        if name in values:
            if values[name] not in options:
                raise DomainError("reviews.invalid", name)
            clean[name] = str(values[name])
    if "reminders_enabled" in values:
        if not isinstance(values["reminders_enabled"], bool):
            raise DomainError("reviews.invalid", "reminders_enabled")
        clean["reminders_enabled"] = values["reminders_enabled"]
    return clean


def save_rules(
    session: Session, *, organization_id: int, values: dict[str, Any], now: datetime
) -> RulesSaved:
    """Validate and store the rules; turning reminders off cancels every queued one (R-REV-6).

    Args:
        session: The caller's session; nothing is committed here.
        organization_id: The signed-in user's organization.
        values: Field -> new value (see :data:`EDITABLE`).
        now: Current time.

    Raises:
        DomainError: A value is invalid or out of range (field named).

    """
    clean = validate_rules(values)
    rules = get_rules(session, organization_id=organization_id)
    merged = {name: getattr(rules, name) for name in EDITABLE} | clean
    if merged["window_start"] >= merged["window_end"]:
        raise DomainError("reviews.window_empty", "window_end")
    was_on = rules.reminders_enabled
    for name, value in clean.items():
        setattr(rules, name, value)
    rules.updated_at = now
    session.add(rules)
    session.flush()
    cancelled = 0
    if was_on and not rules.reminders_enabled:
        cancelled = cancel_queued_reminders(session, organization_id=organization_id, now=now)
    return RulesSaved(rules=rules, cancelled_reminders=cancelled)


def cancel_queued_reminders(session: Session, *, organization_id: int, now: datetime) -> int:
    """Cancel every queued review reminder of the organization in one UPDATE (R-REV-6).

    Each cancelled row keeps its reason ("reminders turned off"), which the invitation's
    status log shows beside its scheduled emails; no row-by-row work, so 100,000 queued
    reminders are cancelled well under a second.

    Returns:
        How many reminders were cancelled.

    """
    queued = (
        OutboxMessage.organization_id == organization_id,
        OutboxMessage.kind == KIND_REMINDER,
        col(OutboxMessage.state).in_(_QUEUED),
    )
    result = session.execute(
        update(OutboxMessage)
        .where(*queued)
        .values(
            state=MessageState.CANCELLED.value,
            claim_token=None,
            lease_until=None,
            next_attempt_at=None,
            last_error="reminders turned off",
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def count_queued_reminders(session: Session, *, organization_id: int) -> int:
    """How many review reminders of the organization wait in the outbox."""
    return session.exec(
        sm_select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.organization_id == organization_id,
            OutboxMessage.kind == KIND_REMINDER,
            col(OutboxMessage.state).in_(_QUEUED),
        )
    ).one()
