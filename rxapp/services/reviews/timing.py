"""When review invitations, product invitations and reminders are due (R-REV-1..5, R-PLUS-1).

Pure functions: no session, no clock. The seed (``review-invitation-timing.sv``) is the
authority: the invitation goes out N days, weeks or calendar months after the purchase or
the use of the service, on that day at the chosen hour; 7 days by default.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from dateutil.relativedelta import relativedelta

from rxapp.models.reviews import DelayUnit, FrequencyMode, ProductMode, TimeMode
from rxapp.services.common.send_time import local_to_utc, resolve_zone

# "Optimize automatically" needs this many recorded answers before it trusts them.
OPTIMIZE_MIN_ANSWERS = 20
# An answer counts half as much after this many days: recent months weigh most.
OPTIMIZE_HALF_LIFE_DAYS = 90
# Answers older than this are not read at all.
OPTIMIZE_HISTORY_DAYS = 365
# The seed's default cap: at most one invitation per 3 years.
DEFAULT_CAP = relativedelta(years=3)


class TimingRules(Protocol):
    """What the timing functions read: a ``ReviewSettings`` row or any look-alike."""

    service_delay: int
    service_unit: str
    product_mode: str
    product_delay: int
    product_unit: str
    time_mode: str
    send_hour_utc: int
    local_hour: int
    window_start: int
    window_end: int
    frequency_mode: str
    frequency_days: int
    reminders_enabled: bool
    reminder_delay: int
    reminder_unit: str


@dataclass(frozen=True)
class HourChoice:
    """The hour of day sends go out at, and why (shown on the settings page).

    Attributes:
        hour: Hour 0-23; UTC, or the customer's local hour when ``local`` is true.
        reason: ``fixed``, ``optimized``, ``fallback`` (too few answers) or ``local``.
        answers: How many recorded answers the choice rests on (optimize only).
        local: Whether ``hour`` is read in the customer's zone.

    """

    hour: int
    reason: str
    answers: int = 0
    local: bool = False


@dataclass(frozen=True)
class Plan:
    """The due moments of one purchase's emails (aware UTC).

    Attributes:
        service_at: The service (or combined) invitation.
        product_at: The separate product invitation, or None.
        service_reminder_at: Its reminder, when reminders are on.
        product_reminder_at: The product invitation's reminder, when both apply.

    """

    service_at: datetime
    product_at: datetime | None
    service_reminder_at: datetime | None
    product_reminder_at: datetime | None


def add_delay(moment: datetime, amount: int, unit: str) -> datetime:
    """Add N days, weeks or calendar months (31 Jan + 1 month = 28 or 29 Feb).

    Args:
        moment: Start (aware or naive; kept as given).
        amount: How many units, >= 0.
        unit: A :class:`DelayUnit` value.

    """
    if amount < 0:
        raise ValueError("delay must not be negative")
    match DelayUnit(unit):
        case DelayUnit.DAYS:
            return moment + timedelta(days=amount)
        case DelayUnit.WEEKS:
            return moment + timedelta(weeks=amount)
        case DelayUnit.MONTHS:
            # relativedelta clamps to the month's last day instead of overflowing.
            return moment + relativedelta(months=amount)
    raise AssertionError("unreachable")


def optimized_hour(
    answered_at: Iterable[datetime],
    *,
    now: datetime,
    fallback_hour: int,
    min_answers: int = OPTIMIZE_MIN_ANSWERS,
    half_life_days: int = OPTIMIZE_HALF_LIFE_DAYS,
) -> HourChoice:
    """The UTC hour at which past invitations were most often answered (R-REV-3).

    Each answer (a review page opened or a review written) counts ``0.5 ** (age /
    half_life)``, so last month's habits outweigh last year's. Ties go to the earlier hour.

    Args:
        answered_at: Moments of recorded answers (aware).
        now: Current time.
        fallback_hour: Used when fewer than ``min_answers`` answers exist.
        min_answers: Threshold under which history is too thin to trust.
        half_life_days: Age at which an answer counts half.

    """
    weights: dict[int, float] = defaultdict(float)
    count = 0
    for moment in answered_at:
        age_days = max((now - moment).total_seconds() / 86400, 0.0)
        if age_days > OPTIMIZE_HISTORY_DAYS:
            continue
        count += 1
        weights[moment.astimezone(UTC).hour] += 0.5 ** (age_days / half_life_days)
    if count < min_answers:
        return HourChoice(hour=fallback_hour, reason="fallback", answers=count)
    best = max(sorted(weights), key=lambda h: weights[h])
    return HourChoice(hour=best, reason="optimized", answers=count)


def clamp_to_window(hour: int, window_start: int, window_end: int) -> int:
    """Keep a local hour inside the send window [start, end) (R-PLUS-1 quiet hours)."""
    if window_start >= window_end:
        return hour
    return min(max(hour, window_start), window_end - 1)


def hour_choice(rules: TimingRules, *, optimized: HourChoice | None = None) -> HourChoice:
    """The hour sends use under the rules; ``optimized`` is the result of :func:`optimized_hour`.

    Args:
        rules: The organization's settings.
        optimized: Needed when the time mode is ``optimize``; None falls back.

    """
    mode = TimeMode(rules.time_mode)
    if mode is TimeMode.OPTIMIZE:
        return optimized or HourChoice(hour=rules.send_hour_utc, reason="fallback")
    if mode is TimeMode.CUSTOMER_LOCAL:
        hour = clamp_to_window(rules.local_hour, rules.window_start, rules.window_end)
        return HourChoice(hour=hour, reason="local", local=True)
    return HourChoice(hour=rules.send_hour_utc, reason="fixed")


def _on_day_at(day: date, choice: HourChoice, zone_name: str | None, org_tz: str | None):
    if choice.local:
        return local_to_utc(
            datetime.combine(day, time(choice.hour)), resolve_zone(zone_name, org_tz)
        )
    return datetime.combine(day, time(choice.hour), tzinfo=UTC)


def _day_of(moment: datetime, choice: HourChoice, zone_name: str | None, org_tz: str | None):
    if choice.local:
        return moment.astimezone(resolve_zone(zone_name, org_tz)).date()
    return moment.astimezone(UTC).date()


def send_moment(
    base: datetime,
    choice: HourChoice,
    *,
    customer_tz: str | None,
    org_tz: str | None,
    not_before: datetime,
) -> datetime:
    """The send moment on ``base``'s day at the chosen hour, never before ``not_before``.

    The seed counts in days: a purchase at 14:10 with a 7-day delay is invited on the
    seventh day at the chosen hour (09:00 even though 14:10 has not come yet). A moment
    already past (a purchase recorded late) moves to the next day that hour comes round.

    Args:
        base: The purchase moment plus the delay.
        choice: The hour to use.
        customer_tz: The customer's zone (local mode).
        org_tz: The organization's zone (local mode, when the customer has none).
        not_before: Earliest acceptable moment (usually now).

    """
    day = _day_of(base, choice, customer_tz, org_tz)
    moment = _on_day_at(day, choice, customer_tz, org_tz)
    if moment >= not_before:
        return moment
    day = _day_of(not_before, choice, customer_tz, org_tz)
    for offset in range(3):
        moment = _on_day_at(day + timedelta(days=offset), choice, customer_tz, org_tz)
        if moment >= not_before:
            return moment
    raise AssertionError("unreachable: an hour recurs within two days")


def plan_purchase(
    rules: TimingRules,
    *,
    occurred_at: datetime,
    choice: HourChoice,
    customer_tz: str | None,
    org_tz: str | None,
    now: datetime,
) -> Plan:
    """Every due moment of one purchase's emails under the rules (R-REV-1, -2, -3, -5).

    Args:
        rules: The organization's settings.
        occurred_at: When the purchase was made or the service used (aware).
        choice: The hour of day (see :func:`hour_choice`).
        customer_tz: The customer's zone, if known.
        org_tz: The organization's zone.
        now: Current time; nothing is due before it.

    """
    where = {"customer_tz": customer_tz, "org_tz": org_tz}
    service_at = send_moment(
        add_delay(occurred_at, rules.service_delay, rules.service_unit),
        choice,
        not_before=now,
        **where,
    )
    product_at = None
    if ProductMode(rules.product_mode) is ProductMode.SEPARATE:
        product_at = send_moment(
            add_delay(service_at, rules.product_delay, rules.product_unit),
            choice,
            not_before=service_at,
            **where,
        )
    service_reminder_at = product_reminder_at = None
    if rules.reminders_enabled:
        service_reminder_at = reminder_moment(rules, service_at, choice, **where)
        if product_at is not None:
            product_reminder_at = reminder_moment(rules, product_at, choice, **where)
    return Plan(service_at, product_at, service_reminder_at, product_reminder_at)


def reminder_moment(
    rules: TimingRules,
    invitation_at: datetime,
    choice: HourChoice,
    *,
    customer_tz: str | None,
    org_tz: str | None,
) -> datetime:
    """The reminder's moment: N days or weeks after the invitation, same hour (R-REV-5)."""
    return send_moment(
        add_delay(invitation_at, rules.reminder_delay, rules.reminder_unit),
        choice,
        customer_tz=customer_tz,
        org_tz=org_tz,
        not_before=invitation_at,
    )


def cap_window(rules: TimingRules) -> relativedelta | None:
    """How long after one invitation the same customer may not get another (R-REV-4).

    Returns:
        None when every purchase is invited.

    """
    mode = FrequencyMode(rules.frequency_mode)
    if mode is FrequencyMode.EVERY_PURCHASE:
        return None
    if mode is FrequencyMode.EVERY_N_DAYS:
        return relativedelta(days=rules.frequency_days)
    return DEFAULT_CAP


def is_capped(rules: TimingRules, *, previous_at: datetime | None, due_at: datetime) -> bool:
    """Whether an invitation due at ``due_at`` comes too soon after the previous one.

    With "at most one per N days", a purchase whose invitation falls N-1 days after the
    previous invitation is held back; one falling N days after it is invited.

    Args:
        rules: The organization's settings.
        previous_at: Due or send moment of the customer's latest invitation, if any.
        due_at: The new invitation's due moment.

    """
    window = cap_window(rules)
    if window is None or previous_at is None:
        return False
    return due_at < previous_at + window
