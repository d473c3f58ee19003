from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from rxapp.services.common.send_time import (
    apply_quiet_hours,
    in_quiet_hours,
    local_to_utc,
    next_local_time,
    resolve_zone,
    weekly_occurrences,
)

BERLIN = ZoneInfo("Europe/Berlin")


def test_r_plus_1_weekly_berlin_reminder_stays_at_0900_local_across_dst():
    # 2026-03-29 is the spring-forward night in Europe; 2026-10-25 the fall-back one.
    spring = weekly_occurrences(date(2026, 3, 16), time(9, 0), "Europe/Berlin", 4)
    assert [d.tzinfo for d in spring] == [UTC] * 4
    assert [d.astimezone(BERLIN).time() for d in spring] == [time(9, 0)] * 4
    assert [d.hour for d in spring] == [8, 8, 7, 7]  # CET = UTC+1, CEST = UTC+2
    autumn = weekly_occurrences(date(2026, 10, 19), time(9, 0), BERLIN, 2)
    assert [d.hour for d in autumn] == [7, 8]
    assert all(d.astimezone(BERLIN).time() == time(9, 0) for d in autumn)


def test_r_plus_1_nonexistent_local_time_shifts_forward_and_repeated_takes_first():
    gap = local_to_utc(datetime(2026, 3, 29, 2, 30), BERLIN)
    assert gap.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 3, 29, 3, 30)
    fold = local_to_utc(datetime(2026, 10, 25, 2, 30), BERLIN)
    assert fold == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # first 02:30 (CEST)


def test_r_plus_1_quiet_hours_move_sends_to_next_0800_local():
    late = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)  # 22:30 Berlin
    moved = apply_quiet_hours(late, BERLIN)
    assert moved.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 3, 3, 8, 0)
    early = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # 06:00 Berlin
    assert apply_quiet_hours(early, BERLIN).astimezone(BERLIN).time() == time(8, 0)
    assert apply_quiet_hours(early, BERLIN).date() == date(2026, 3, 2)
    noon = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
    assert apply_quiet_hours(noon, BERLIN) is noon
    # Exactly 08:00 is allowed, exactly 21:00 is quiet.
    assert not in_quiet_hours(datetime(2026, 3, 2, 7, 0, tzinfo=UTC), BERLIN)
    assert in_quiet_hours(datetime(2026, 3, 2, 20, 0, tzinfo=UTC), BERLIN)


def test_r_plus_1_quiet_hours_across_dst_night_land_on_local_0800():
    # 23:00 Berlin the evening before spring-forward: next 08:00 is CEST (06:00 UTC).
    evening = datetime(2026, 3, 28, 22, 0, tzinfo=UTC)
    assert apply_quiet_hours(evening, BERLIN) == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


def test_r_plus_1_custom_and_disabled_quiet_hours():
    when = datetime(2026, 3, 2, 12, 30, tzinfo=UTC)  # 13:30 Berlin
    moved = apply_quiet_hours(when, BERLIN, start=time(12), end=time(14))
    assert moved.astimezone(BERLIN).time() == time(14, 0)
    assert apply_quiet_hours(when, BERLIN, start=time(8), end=time(8)) == when


def test_r_plus_1_zone_is_recipient_else_organization_else_utc():
    assert resolve_zone("America/New_York", "Europe/Berlin").key == "America/New_York"
    assert resolve_zone(None, "Europe/Berlin").key == "Europe/Berlin"
    assert resolve_zone("Not/AZone", "Europe/Berlin").key == "Europe/Berlin"
    assert resolve_zone("", "../etc").key == "UTC"


def test_r_rev_3_next_local_time_is_strictly_after():
    after = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 Berlin
    assert next_local_time(after, 9, 0, BERLIN) == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    assert next_local_time(after, 10, 15, BERLIN) == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    # Asking for 02:30 on the spring-forward day gives 03:30 local.
    gap_day = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    got = next_local_time(gap_day, 2, 30, BERLIN).astimezone(BERLIN)
    assert (got.date(), got.time()) == (date(2026, 3, 29), time(3, 30))
