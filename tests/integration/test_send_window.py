"""Time-moved tests of the send window (R-PLUS-1): reminders and expiry notices go out in
the recipient's local opening hours, DST-correct."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from rxapp.models import OutboxMessage, TeamInvitation
from rxapp.services.accounts.auth import Principal
from rxapp.services.common.send_time import into_send_window
from rxapp.services.interactions import KIND_REMINDER, create_interaction
from rxapp.services.team import invite_many
from rxapp.services.team.base import KIND_EXPIRING
from tests.factories import make_org, make_participant, make_user

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NEW_YORK = ZoneInfo("America/New_York")


def _local(zone, *args):
    return datetime(*args, tzinfo=zone).astimezone(UTC)


def _reminders(s, interaction_id):
    return s.exec(
        select(OutboxMessage.due_at).where(
            OutboxMessage.entity_id == interaction_id, OutboxMessage.kind == KIND_REMINDER)
        .order_by(col(OutboxMessage.due_at))
    ).all()


def _aware(d):
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def _remind(engine, created, **person):
    with Session(engine, expire_on_commit=False) as s:
        org = make_org(s, timezone="Europe/Stockholm")
        p = make_participant(s, organization_id=org.id, now=created, **person)
        made = create_interaction(s, organization_id=org.id, participant_id=p.id, now=created,
                                  reminders_on=True)
        s.commit()
        return [_aware(d) for d in _reminders(s, made.interaction_id)]


def test_created_at_2310_stockholm_first_reminder_at_0800_a_week_later(engine):
    created = _local(STOCKHOLM, 2026, 11, 24, 23, 10)
    due = _remind(engine, created)
    assert len(due) == 7
    local = [d.astimezone(STOCKHOLM) for d in due]
    # A week later is 1 Dec 23:10, outside 08:00-21:00: it moves to the next opening.
    assert local[0].replace(tzinfo=None) == datetime(2026, 12, 2, 8, 0)
    assert all(d.time() == time(8, 0) for d in local)
    assert [(b - a).days for a, b in zip(local, local[1:], strict=False)] == [7] * 6


def test_participant_in_new_york_gets_reminders_at_their_local_time(engine):
    # 16:00 in Stockholm is 10:00 in New York: inside the window there, kept at 10:00.
    created = _local(STOCKHOLM, 2026, 11, 24, 16, 0)
    local = [d.astimezone(NEW_YORK) for d in _remind(engine, created,
                                                     time_zone="America/New_York")]
    assert all(d.time() == time(10, 0) for d in local)
    # 09:30 in Stockholm is 03:30 in New York: moved to 08:00 New York, not Stockholm.
    early = _local(STOCKHOLM, 2026, 11, 24, 9, 30)
    local = [d.astimezone(NEW_YORK) for d in _remind(engine, early,
                                                     time_zone="America/New_York")]
    assert local[0].replace(tzinfo=None) == datetime(2026, 12, 1, 8, 0)
    assert all(d.time() == time(8, 0) for d in local)


def test_reminders_stay_at_0800_local_across_the_march_and_october_dst_changes(engine):
    # Europe: 29 March 2026 and 25 October 2026.
    march = _remind(engine, _local(STOCKHOLM, 2026, 3, 16, 23, 10))
    assert all(d.astimezone(STOCKHOLM).time() == time(8, 0) for d in march)
    assert [d.hour for d in march[:3]] == [7, 6, 6]  # CET = UTC+1, then CEST = UTC+2
    october = _remind(engine, _local(STOCKHOLM, 2026, 10, 12, 23, 10))
    assert all(d.astimezone(STOCKHOLM).time() == time(8, 0) for d in october)
    assert [d.hour for d in october[:3]] == [6, 7, 7]  # CEST, then CET after 25 October
    # United States: 8 March and 1 November 2026.
    ny = _remind(engine, _local(NEW_YORK, 2026, 10, 20, 22, 30), time_zone="America/New_York")
    assert all(d.astimezone(NEW_YORK).time() == time(8, 0) for d in ny)
    assert [d.hour for d in ny[:3]] == [12, 13, 13]  # EDT = UTC-4, then EST = UTC-5


def test_a_narrower_window_of_the_organization_is_used(engine):
    created = _local(STOCKHOLM, 2026, 11, 24, 18, 0)
    with Session(engine, expire_on_commit=False) as s:
        org = make_org(s, timezone="Europe/Stockholm", send_window_start=9 * 60,
                       send_window_end=17 * 60)
        p = make_participant(s, organization_id=org.id, now=created)
        made = create_interaction(s, organization_id=org.id, participant_id=p.id, now=created,
                                  reminders_on=True)
        s.commit()
        first = _aware(_reminders(s, made.interaction_id)[0]).astimezone(STOCKHOLM)
    assert first.replace(tzinfo=None) == datetime(2026, 12, 2, 9, 0)


def test_expiry_notice_of_a_team_invitation_moves_into_the_window(engine):
    created = _local(STOCKHOLM, 2026, 11, 24, 2, 0)
    with Session(engine, expire_on_commit=False) as s:
        org = make_org(s, timezone="Europe/Stockholm", default_language="de")
        admin = make_user(s, org, role="admin")
        principal = Principal(user_id=admin.id, organization_id=org.id, role="admin",
                              email=admin.email, full_name="", language="de",
                              organization_name=org.name, modules=("team",))
        invite_many(s, principal=principal, emails=["a@example.com"], role="agent",
                    attributes={}, now=created, language="sv")
        s.commit()
        inv = s.exec(select(TeamInvitation)).one()
        notice = _aware(s.exec(select(OutboxMessage.due_at).where(
            OutboxMessage.kind == KIND_EXPIRING)).one())
        context = s.exec(select(OutboxMessage.context, OutboxMessage.language).where(
            OutboxMessage.kind == KIND_EXPIRING)).one()
    assert inv.language == "sv"
    assert notice.astimezone(STOCKHOLM).time() == time(8, 0)
    assert notice < _aware(inv.expires_at)
    assert context[1] == "sv" and "UTC" not in context[0]["expires"]


def test_window_function_edges():
    zone = "Europe/Stockholm"
    inside = _local(STOCKHOLM, 2026, 6, 1, 20, 59)
    assert into_send_window(inside, zone) == inside
    closing = _local(STOCKHOLM, 2026, 6, 1, 21, 0)
    assert into_send_window(closing, zone) == _local(STOCKHOLM, 2026, 6, 2, 8, 0)
    early = _local(STOCKHOLM, 2026, 6, 1, 7, 59)
    assert into_send_window(early, zone) == _local(STOCKHOLM, 2026, 6, 1, 8, 0)
    assert into_send_window(early, zone, (0, 0)) == early
    assert into_send_window(early, zone) - early == timedelta(minutes=1)
