"""The seed's timing rules (review-invitation-timing.sv), as pure functions (R-REV-1..4)."""

from datetime import UTC, datetime, timedelta

from rxapp.models.reviews import ReviewSettings
from rxapp.services.reviews import timing

NOW = datetime(2026, 11, 24, 14, 10, tzinfo=UTC)  # a Tuesday


def _rules(**kw) -> ReviewSettings:
    return ReviewSettings(organization_id=1, **kw)


def _plan(rules, occurred_at=NOW, *, optimized=None, customer_tz=None, now=NOW):
    choice = timing.hour_choice(rules, optimized=optimized)
    return timing.plan_purchase(
        rules, occurred_at=occurred_at, choice=choice, customer_tz=customer_tz,
        org_tz="Europe/Stockholm", now=now,
    )


def test_r_rev_1_default_is_7_days_at_the_chosen_utc_hour():
    plan = _plan(_rules())
    # Today 14:10 -> Tue 1 Dec at 09:00 UTC (the seventh day, at the chosen hour).
    assert plan.service_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert plan.product_at is None and plan.service_reminder_at is None


def test_r_rev_1_weeks():
    plan = _plan(_rules(service_delay=2, service_unit="weeks"))
    assert plan.service_at == datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


def test_r_rev_1_calendar_months_31_jan_plus_1_month_is_end_of_february():
    jan31 = datetime(2027, 1, 31, 8, 0, tzinfo=UTC)
    plan = _plan(_rules(service_delay=1, service_unit="months"), jan31, now=jan31)
    assert plan.service_at == datetime(2027, 2, 28, 9, 0, tzinfo=UTC)
    leap = datetime(2028, 1, 31, 8, 0, tzinfo=UTC)
    plan = _plan(_rules(service_delay=1, service_unit="months"), leap, now=leap)
    assert plan.service_at == datetime(2028, 2, 29, 9, 0, tzinfo=UTC)
    assert timing.add_delay(datetime(2027, 3, 31, tzinfo=UTC), 1, "months").day == 30


def test_r_rev_2_product_together_is_one_invitation():
    plan = _plan(_rules(product_mode="together"))
    assert plan.product_at is None


def test_r_rev_2_product_separate_n_days_after_the_service_invitation():
    plan = _plan(_rules(product_mode="separate", product_delay=3, product_unit="days"))
    assert plan.service_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert plan.product_at == datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    plan = _plan(_rules(product_mode="separate", product_delay=1, product_unit="months"))
    assert plan.product_at == datetime(2027, 1, 1, 9, 0, tzinfo=UTC)


def test_r_rev_3_fixed_utc_hour():
    plan = _plan(_rules(send_hour_utc=17))
    assert plan.service_at == datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    # A purchase recorded late never gets a moment in the past: the next 17:00 UTC.
    old = NOW - timedelta(days=30)
    assert _plan(_rules(send_hour_utc=17), old).service_at == datetime(
        2026, 11, 24, 17, 0, tzinfo=UTC
    )


def test_r_rev_3_optimized_hour_from_made_up_history():
    # 30 answers at 19:xx UTC last month, 40 at 07:xx UTC a year ago: recent habits win.
    history = [NOW - timedelta(days=20, hours=h % 3) for h in range(30)]
    history = [h.replace(hour=19) for h in history]
    history += [(NOW - timedelta(days=330)).replace(hour=7, minute=m) for m in range(40)]
    choice = timing.optimized_hour(history, now=NOW, fallback_hour=9)
    assert choice == timing.HourChoice(hour=19, reason="optimized", answers=70)
    plan = _plan(_rules(time_mode="optimize"), optimized=choice)
    assert plan.service_at == datetime(2026, 12, 1, 19, 0, tzinfo=UTC)


def test_r_rev_3_optimized_hour_falls_back_when_history_is_thin():
    history = [NOW.replace(hour=22) - timedelta(days=d) for d in range(5)]
    choice = timing.optimized_hour(history, now=NOW, fallback_hour=9)
    assert choice.hour == 9 and choice.reason == "fallback" and choice.answers == 5
    # Answers older than a year are not read at all.
    ancient = [NOW - timedelta(days=400)] * 50
    assert timing.optimized_hour(ancient, now=NOW, fallback_hour=9).reason == "fallback"


def test_r_plus_1_customer_local_hour_within_the_send_window():
    rules = _rules(time_mode="customer_local", local_hour=6, window_start=8, window_end=21)
    plan = _plan(rules, customer_tz="America/New_York")
    # 06:00 is before the window: 08:00 in New York on 1 Dec = 13:00 UTC.
    assert plan.service_at == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    # No customer zone: the organization's (Stockholm, UTC+1 in winter).
    plan = _plan(_rules(time_mode="customer_local", local_hour=10))
    assert plan.service_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_r_rev_5_reminder_n_days_or_weeks_after_the_invitation():
    plan = _plan(_rules(reminders_enabled=True, reminder_delay=1, reminder_unit="weeks"))
    assert plan.service_reminder_at == datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    plan = _plan(_rules(reminders_enabled=True, reminder_delay=3, product_mode="separate"))
    assert plan.service_reminder_at == datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    assert plan.product_reminder_at == plan.product_at + timedelta(days=3)


def test_r_rev_4_cap_at_day_n_minus_1_and_day_n():
    rules = _rules(frequency_mode="every_n_days", frequency_days=30)
    first = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert timing.is_capped(rules, previous_at=first, due_at=first + timedelta(days=29))
    assert not timing.is_capped(rules, previous_at=first, due_at=first + timedelta(days=30))


def test_r_rev_4_default_cap_is_3_years():
    rules = _rules()
    first = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert timing.is_capped(rules, previous_at=first, due_at=datetime(2029, 11, 30, 9, tzinfo=UTC))
    later = datetime(2029, 12, 1, 9, tzinfo=UTC)
    assert not timing.is_capped(rules, previous_at=first, due_at=later)


def test_r_rev_4_every_purchase_is_never_capped():
    rules = _rules(frequency_mode="every_purchase")
    first = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert not timing.is_capped(rules, previous_at=first, due_at=first)
