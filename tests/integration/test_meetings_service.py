"""Business meetings services on SQLite and PostgreSQL (R-BM-1..9, R-PLUS-5, 6, 9)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from rxapp.models.meetings import Meeting, MeetingStatus, Slot
from rxapp.models.outbox import OutboxMessage, StatusEvent
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.meetings import (
    attendee_import,
    attendees,
    events,
    mail,
    matching,
    partners,
    quotas,
    requests,
    slots,
    spaces,
    templates,
    views,
)
from rxapp.services.meetings.attendees import agenda_token, attendee_by_token
from tests.conftest import START
from tests.meeting_factories import make_world

NOW = START


@pytest.fixture
def world(session):
    return make_world(session, now=NOW)


def test_r_bm_2_bulk_slots_skip_breaks_and_stay_local_across_dst(session):
    w = make_world(session, now=NOW, n_partners=0)
    # 29 March 2026: clocks go forward in Paris at 02:00.
    events.update_settings(session, organization_id=w.org_id, event_id=w.event.id)
    w.event.last_day = date(2026, 3, 30)
    added = slots.bulk_add_slots(
        session, organization_id=w.org_id, event_id=w.event.id,
        days=[date(2026, 3, 28), date(2026, 3, 30)], from_time=time(9), to_time=time(17),
        minutes=30, breaks=[(time(12), time(13, 30))])
    # 16 slots a day minus 3 in the break.
    assert added == 2 * 13
    rows = slots.list_slots(session, organization_id=w.org_id, event_id=w.event.id)
    labels = {(r.day, r.label) for r in rows}
    assert ("2026-03-28", "09:00–09:30") in labels and ("2026-03-30", "09:00–09:30") in labels
    assert ("2026-03-30", "12:00–12:30") not in labels
    utc_starts = {r.starts_at.astimezone(UTC).hour for r in rows if r.label.startswith("09:00")}
    assert utc_starts == {8, 7}  # CET then CEST
    # Adding again creates nothing.
    assert slots.bulk_add_slots(session, organization_id=w.org_id, event_id=w.event.id,
                                days=[date(2026, 3, 28)], from_time=time(9),
                                to_time=time(17), minutes=30,
                                breaks=[(time(12), time(13, 30))]) == 0


def test_r_bm_2_slot_in_dst_gap_refused_and_delete_only_unused(session, world):
    w = world
    w.event.last_day = date(2026, 3, 29)
    with pytest.raises(DomainError) as err:
        slots.add_slot(session, organization_id=w.org_id, event_id=w.event.id,
                       day=date(2026, 3, 29), start=time(2, 30), minutes=30)
    assert err.value.code == "meetings.slot_time_missing"
    extra = slots.add_slot(session, organization_id=w.org_id, event_id=w.event.id,
                           day=date(2026, 3, 11), start=time(8), minutes=30)
    deleted, kept = slots.delete_slots(session, organization_id=w.org_id, event_id=w.event.id,
                                       slot_ids=[extra.id, w.slots[0].id, "x"])
    assert (deleted, kept) == (1, 1)  # slot 0 has availability


def test_r_bm_1_module_needs_the_plan(session):
    from tests.factories import make_org
    org = make_org(session, modules=[])
    event = events.create_event(session, organization_id=org.id, name="E", timezone="UTC",
                                first_day=date(2026, 5, 1), last_day=date(2026, 5, 1), now=NOW)
    with pytest.raises(NotAllowed):
        events.set_module_enabled(session, organization_id=org.id, event_id=event.id,
                                  enabled=True)
    with pytest.raises(DomainError):
        events.create_event(session, organization_id=org.id, name="E", timezone="Mars/Base",
                            first_day=date(2026, 5, 1), last_day=date(2026, 5, 1), now=NOW)


def test_r_bm_5_first_matching_rule_decides_and_sql_filter(session, world):
    w = world
    gold = w.partners["P0"]  # Gold: registered with an account
    silver = w.partners["P1"]  # Silver: registered
    page = attendees.list_for_partner(session, partner=gold, event=w.event)
    assert [r.values["first_name"] for r in page.rows] == ["Vip"]
    page = attendees.list_for_partner(session, partner=silver, event=w.event)
    assert sorted(r.values["first_name"] for r in page.rows) == ["Reg", "Vip"]
    loner = partners.create_partner(session, organization_id=w.org_id, event_id=w.event.id,
                                    name="Loner", type="Startup", now=NOW)
    assert attendees.list_for_partner(session, partner=loner, event=w.event).total == 0
    preview = matching.preview_rules(session, organization_id=w.org_id, event_id=w.event.id)
    assert [(r.partners, r.attendees) for r in preview] == [(1, 1), (2, 2)]
    # Search uses only the organizer's search fields; filters only the allowed ones.
    page = attendees.list_for_partner(session, partner=silver, event=w.event, query="personr")
    assert [r.values["first_name"] for r in page.rows] == ["Reg"]
    with pytest.raises(DomainError):
        matching.save_rule(session, organization_id=w.org_id, event_id=w.event.id, name="",
                           partner_conditions=[], attendee_conditions=[
                               {"field": "password_hash", "op": "is_set", "values": []}])


def test_r_bm_4_quota_levels_do_not_add_up(session, world):
    w = world
    p = w.partners["P0"]
    assert quotas.ledger(session, partner=p, event=w.event).level == "global"
    product = partners.create_product(session, organization_id=w.org_id, event_id=w.event.id,
                                      name="Quota", kind="meeting_quota", quantity=2)
    partners.assign_product(session, organization_id=w.org_id, partner_id=p.id,
                            product_id=product.id)
    book = quotas.ledger(session, partner=p, event=w.event)
    assert (book.level, book.quota) == ("product", 2)
    partners.update_partner(session, organization_id=w.org_id, partner_id=p.id, quota=1)
    book = quotas.ledger(session, partner=p, event=w.event)
    assert (book.level, book.quota, book.left) == ("partner", 1, 1)
    events.update_settings(session, organization_id=w.org_id, event_id=w.event.id,
                           global_quota=None)


def _request(session, w, partner="P0", attendee="vip", slot=0):
    return requests.request_meeting(
        session, w.scope(session, partner), attendee_id=w.attendees[attendee].id,
        space_id=w.spaces[partner].id, slot_id=w.slots[slot].id, message="Hi", now=NOW)


def test_r_bm_8_confirm_queues_email_with_ics_in_event_zone(session, world):
    w = world
    meeting = _request(session, w)
    session.commit()
    book = quotas.ledger(session, partner=w.partners["P0"], event=w.event)
    assert (book.used, book.pending, book.left) == (0, 1, 4)
    requests.attendee_confirm(session, w.attendees["vip"], meeting_id=meeting.id, now=NOW)
    session.commit()
    book = quotas.ledger(session, partner=w.partners["P0"], event=w.event)
    assert (book.used, book.pending, book.left) == (1, 0, 4)
    msg = session.exec(select(OutboxMessage).where(
        OutboxMessage.kind == mail.KIND_ACCEPTED)).one()
    assert msg.recipient == w.attendees["vip"].email and "link" not in str(msg.context)
    assert mail.check_meeting_mail(session, msg, NOW) is None
    ctx = mail.meeting_mail_context(session, msg, NOW)
    assert "Rendez-vous confirmé" in ctx["custom_subject"]
    assert agenda_token(w.attendees["vip"]) in ctx["agenda_link"]
    assert "10 mars 2026" in ctx["custom_body"] and "09:00" in ctx["custom_body"]
    [ics] = mail.meeting_mail_attachments(session, msg, NOW)
    cal = icalendar.Calendar.from_ical(ics.content)
    assert str(cal["method"]) == "REQUEST"
    vevent = next(iter(cal.walk("VEVENT")))
    start = vevent.decoded("dtstart")
    assert start.hour == 9 and str(start.tzinfo) == "Europe/Paris"
    assert str(vevent["uid"]) == f"meeting-{meeting.id}@beckon"
    assert cal.walk("VTIMEZONE")
    statuses = [e.event for e in session.exec(select(StatusEvent).where(
        StatusEvent.entity_type == "meeting", StatusEvent.entity_id == meeting.id)).all()]
    assert statuses[:1] == ["requested"] and "accepted" in statuses


def test_r_plus_9_cancel_window_and_reason_and_cancel_ics(session, world):
    w = world
    meeting = _request(session, w)
    requests.attendee_confirm(session, w.attendees["vip"], meeting_id=meeting.id, now=NOW)
    session.commit()
    scope = w.scope(session, "P0")
    with pytest.raises(DomainError) as err:
        requests.partner_cancel(session, scope, meeting_id=meeting.id, reason=" ", now=NOW)
    assert err.value.code == "meetings.reason_required"
    late = w.slots[0].starts_at - timedelta(hours=2)
    with pytest.raises(DomainError) as err:
        requests.partner_cancel(session, scope, meeting_id=meeting.id, reason="Ill", now=late)
    assert err.value.code == "meetings.cancel_window_passed"
    requests.partner_cancel(session, scope, meeting_id=meeting.id, reason="Ill", now=NOW)
    session.commit()
    assert quotas.ledger(session, partner=w.partners["P0"], event=w.event).used == 0
    notice = session.exec(select(OutboxMessage).where(
        OutboxMessage.kind == mail.KIND_NOTICE,
        OutboxMessage.recipient == w.attendees["vip"].email)).one()
    [ics] = mail.meeting_mail_attachments(session, notice, NOW)
    cal = icalendar.Calendar.from_ical(ics.content)
    assert str(cal["method"]) == "CANCEL"
    assert str(next(iter(cal.walk("VEVENT")))["uid"]) == f"meeting-{meeting.id}@beckon"
    acc = session.exec(select(OutboxMessage).where(
        OutboxMessage.kind == mail.KIND_ACCEPTED)).one()
    assert mail.check_meeting_mail(session, acc, NOW) == "meeting cancelled"
    assert mail.meeting_mail_context(session, notice, NOW)["reason"] == "Ill"


def test_r_plus_5_request_holds_slot_then_lapses(session, world):
    w = world
    w.event.hold_minutes = 60
    meeting = _request(session, w, partner="P1", attendee="reg")
    with pytest.raises(DomainError) as err:
        requests.propose_meeting(session, w.attendees["vip"], space_id=w.spaces["P1"].id,
                                 slot_id=w.slots[0].id, now=NOW)
    assert err.value.code == "meetings.slot_taken"
    later = NOW + timedelta(minutes=61)
    assert requests.lapse_due(session, now=later) == 1
    session.commit()
    assert session.get(Meeting, meeting.id).status == MeetingStatus.LAPSED.value
    again = requests.propose_meeting(session, w.attendees["vip"], space_id=w.spaces["P1"].id,
                                     slot_id=w.slots[0].id, now=later)
    assert again.status == "requested"
    with pytest.raises(DomainError) as err:
        requests.attendee_confirm(session, w.attendees["reg"], meeting_id=meeting.id, now=later)
    assert err.value.code == "meetings.not_pending"


def test_r_bm_6_quota_blocks_requests_and_decline_gives_back(session):
    w = make_world(session, now=NOW, global_quota=1)
    first = _request(session, w)
    with pytest.raises(DomainError) as err:
        _request(session, w, slot=1)
    assert err.value.code == "meetings.quota_reached"
    requests.attendee_decline(session, w.attendees["vip"], meeting_id=first.id, reason="No",
                              now=NOW)
    assert quotas.ledger(session, partner=w.partners["P0"], event=w.event).left == 1
    assert _request(session, w, slot=1).status == "requested"


def test_r_bm_8_database_refuses_two_confirmed_in_one_slot(session, world):
    w = world
    a = _request(session, w, partner="P0")
    b = _request(session, w, partner="P1")
    requests.attendee_confirm(session, w.attendees["vip"], meeting_id=a.id, now=NOW)
    session.commit()
    with pytest.raises(DomainError) as err:
        requests.attendee_confirm(session, w.attendees["vip"], meeting_id=b.id, now=NOW)
    assert err.value.code in ("meetings.attendee_busy", "meetings.slot_taken")
    session.rollback()
    # Even past every service check, the index refuses a second confirmed row.
    session.add(Meeting(organization_id=w.org_id, event_id=w.event.id,
                        partner_id=w.partners["P2"].id, space_id=w.spaces["P2"].id,
                        slot_id=w.slots[0].id, attendee_id=w.attendees["vip"].id,
                        proposed_by="partner", status="confirmed", created_at=NOW,
                        updated_at=NOW))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_tenancy_partner_cannot_touch_another_partners_rows(session, world):
    w = world
    theirs = _request(session, w, partner="P1", attendee="reg")
    mine = w.scope(session, "P0")
    for call in (
        lambda: requests.partner_cancel(session, mine, meeting_id=theirs.id, reason="x", now=NOW),
        lambda: requests.partner_confirm(session, mine, meeting_id=theirs.id, now=NOW),
        lambda: spaces.set_availability(session, mine, space_id=w.spaces["P1"].id,
                                        slot_id=w.slots[3].id, available=False),
        lambda: requests.request_meeting(session, mine, attendee_id=w.attendees["vip"].id,
                                         space_id=w.spaces["P1"].id, slot_id=w.slots[4].id,
                                         now=NOW),
        lambda: requests.partner_confirm(session, mine, meeting_id="1", now=NOW),
    ):
        with pytest.raises(NotAllowed):
            call()
    # Gold partner cannot request a meeting with an attendee its rule hides.
    with pytest.raises(NotAllowed):
        _request(session, w, partner="P0", attendee="reg")
    # An agenda token acts only on its own attendee's meetings.
    with pytest.raises(NotAllowed):
        requests.attendee_confirm(session, w.attendees["vip"], meeting_id=theirs.id, now=NOW)
    token = agenda_token(w.attendees["reg"])
    assert attendee_by_token(session, token).id == w.attendees["reg"].id
    assert attendee_by_token(session, token[:-1] + "x") is None


def test_r_bm_6c_calendar_and_r_bm_7_proposable_spaces(session, world):
    w = world
    m = _request(session, w, partner="P1", attendee="reg", slot=2)
    view = views.partner_calendar(session, w.scope(session, "P1"), now=NOW)
    assert view.cells[(w.slots[2].id, w.spaces["P1"].id)].state == "held"
    assert view.selectable == len(w.slots) - 1 and view.confirmed == 0
    requests.attendee_confirm(session, w.attendees["reg"], meeting_id=m.id, now=NOW)
    view = views.partner_calendar(session, w.scope(session, "P1"), now=NOW)
    assert view.confirmed == 1
    offered = views.proposable_spaces(session, w.attendees["reg"], now=NOW)
    # "reg" has no account: only Silver/Bronze partners (P1, P2) may meet them.
    assert {o.partner_name for o in offered} == {"P1", "P2"}
    p1 = next(o for o in offered if o.partner_name == "P1")
    assert w.slots[2].id not in [s for s, _ in p1.slots]


def test_r_bm_3_spaces_bulk_and_partner_managed(session, world):
    w = world
    assert spaces.bulk_spaces_per_contact(session, organization_id=w.org_id,
                                          event_id=w.event.id, now=NOW) == 0
    scope = w.scope(session, "P0")
    with pytest.raises(NotAllowed):
        spaces.create_space_as_partner(session, scope, theme="Energy", now=NOW)
    events.update_settings(session, organization_id=w.org_id, event_id=w.event.id,
                           partners_manage_spaces=True)
    space = spaces.create_space_as_partner(session, scope, theme="Energy", now=NOW)
    assert space.name == "Energy"
    spaces.delete_space(session, organization_id=w.org_id, space_id=space.id)


def test_r_bm_8_template_sandbox_and_defaults(session, world):
    w = world
    for lang in ("en", "de", "fr", "sv"):
        t = templates.get_template(session, event_id=w.event.id, language=lang)
        subject, body = templates.render_text(t.subject, t.body, templates.sample_values(lang))
        assert "Acme Energy" in subject and "Alex Martin" in body
    with pytest.raises(DomainError):
        templates.save_template(session, organization_id=w.org_id, event_id=w.event.id,
                                language="en", subject="x",
                                body="{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(DomainError):
        templates.save_template(session, organization_id=w.org_id, event_id=w.event.id,
                                language="en", subject="x", body="{{ unknown_thing }}")
    templates.save_template(session, organization_id=w.org_id, event_id=w.event.id,
                            language="en", subject="See {{ partner }}", body="At {{ time }}")
    assert templates.get_template(session, event_id=w.event.id, language="en").custom


def test_attendee_csv_import_all_or_nothing(session, world):
    w = world
    bad = b"first_name,last_name,email,registration_status\nA,B,a@x.com,registered\nC,D,nope,x\n"
    report = attendee_import.import_attendees_csv(session, organization_id=w.org_id,
                                                 event_id=w.event.id, data=bad, now=NOW)
    assert not report.ok and {e.line for e in report.errors} == {3}
    good = b"first_name;last_name;email;has_account;country\nA;B;a@x.com;yes;FR\nC;D;c@x.com;;SE\n"
    report = attendee_import.import_attendees_csv(session, organization_id=w.org_id,
                                                 event_id=w.event.id, data=good, now=NOW)
    assert report.ok and report.imported == 2
    session.commit()
    slot_count = len(session.exec(select(Slot).where(Slot.event_id == w.event.id)).all())
    assert slot_count == 16


def test_tz_of_slots_shown_in_event_zone(session, world):
    w = world
    row = slots.list_slots(session, organization_id=w.org_id, event_id=w.event.id)[0]
    assert row.starts_at.tzinfo == ZoneInfo("Europe/Paris") and row.label == "09:00–09:30"
    assert w.slots[0].starts_at == datetime(2026, 3, 10, 8, tzinfo=UTC)


def test_demo_seed_lands_partner_user_in_its_space(session):
    from rxapp.models import User
    from rxapp.services.accounts.demo import seed_demo
    from rxapp.services.meetings.access import partner_scope
    from rxapp.services.meetings.demo import seed_meetings_demo

    assert seed_demo(session, now=NOW)
    user = session.exec(select(User).where(User.email == "partner@beckon-demo.example")).one()
    assert seed_meetings_demo(session, organization_id=user.organization_id, now=NOW)
    session.commit()
    scope = partner_scope(session, organization_id=user.organization_id, user_id=user.id)
    event = session.get(events.Event, scope.event_id)
    assert len(session.exec(select(Slot).where(Slot.event_id == event.id)).all()) == 40
    counts = views.status_counts(session, event_id=event.id)
    assert {"requested", "confirmed", "declined", "cancelled", "lapsed"} <= set(counts)
    assert views.partner_calendar(session, scope, now=NOW).spaces
    assert not seed_meetings_demo(session, organization_id=user.organization_id, now=NOW)


def test_r_plus_9_reschedule_moves_with_reason_window_and_new_ics(session, world):
    w = world
    meeting = _request(session, w)
    requests.attendee_confirm(session, w.attendees["vip"], meeting_id=meeting.id, now=NOW)
    session.commit()
    scope = w.scope(session, "P0")
    with pytest.raises(DomainError) as err:
        requests.partner_reschedule(session, scope, meeting_id=meeting.id,
                                    slot_id=w.slots[3].id, reason="", now=NOW)
    assert err.value.code == "meetings.reason_required"
    late = w.slots[0].starts_at - timedelta(hours=1)
    with pytest.raises(DomainError) as err:
        requests.partner_reschedule(session, scope, meeting_id=meeting.id,
                                    slot_id=w.slots[3].id, reason="Moved", now=late)
    assert err.value.code == "meetings.cancel_window_passed"
    other = w.scope(session, "P1")
    with pytest.raises(NotAllowed):
        requests.partner_reschedule(session, other, meeting_id=meeting.id,
                                    slot_id=w.slots[3].id, reason="Moved", now=NOW)
    later = NOW + timedelta(minutes=5)
    requests.partner_reschedule(session, scope, meeting_id=meeting.id, slot_id=w.slots[3].id,
                                reason="Stand moved", now=later)
    session.commit()
    assert session.get(Meeting, meeting.id).slot_id == w.slots[3].id
    sent = session.exec(select(OutboxMessage).where(
        OutboxMessage.kind == mail.KIND_ACCEPTED).order_by(OutboxMessage.id)).all()
    assert len(sent) == 2
    first, second = (icalendar.Calendar.from_ical(
        mail.meeting_mail_attachments(session, m, later)[0].content) for m in sent)
    ev1, ev2 = next(iter(first.walk("VEVENT"))), next(iter(second.walk("VEVENT")))
    assert str(ev1["uid"]) == str(ev2["uid"])
    start = ev2.decoded("dtstart")
    assert int(ev2["sequence"]) > 0 and (start.hour, start.minute) == (10, 30)
