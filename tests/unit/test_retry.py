from datetime import UTC, datetime, timedelta

from rxapp.scheduler.retry import RetryPolicy


def test_r_msg_3_backoff_grows_exponentially_with_a_cap_and_gives_up():
    policy = RetryPolicy(max_attempts=6, base_seconds=60, factor=2, max_seconds=300)
    delays = [policy.delay_after(n) for n in range(1, 7)]
    assert delays[:5] == [timedelta(seconds=s) for s in (60, 120, 240, 300, 300)]
    assert delays[5] is None
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert policy.next_attempt_at(1, now) == now + timedelta(minutes=1)
    assert policy.next_attempt_at(6, now) is None
