"""`make bench-meetings`: the partner's participant list and calendar at scale (issue 10).

20,000 attendees, 500 partners, 8 rules and 60 slots; the measured partner has 5 spaces
open in every slot and meetings in some. Times the state handlers the pages call, with a real
session cookie (guard, partner scope, rule, search, filters, one page; and the calendar
of 5 spaces × 60 slots), on SQLite and on PostgreSQL when one answers, and prints the
medians.
"""

import random
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, text
from sqlmodel import Session, select

from benchmarks.harness import on_each_database, timings_ms
from rxapp import db
from rxapp.models import Organization, Role, User
from rxapp.models.meetings import (
    Attendee,
    Availability,
    Event,
    MeetingSpace,
    Partner,
    PartnerContact,
    Slot,
)
from rxapp.services.meetings import attendees, matching, requests
from rxapp.services.meetings.access import partner_scope
from tests.states import make_state, signed_in_token

ATTENDEES, PARTNERS, RULES, SLOTS, SPACES = 20_000, 500, 8, 60, 5
TYPES = ["Platinum", "Gold", "Silver", "Bronze"]
COUNTRIES = ["FR", "DE", "SE", "BE", "CH", "NL", "IT", "ES"]
LAST = ["Martin", "Schmidt", "Dubois", "Lindqvist", "Bernard", "Weber", "Nilsson", "Moreau"]
QUERIES = ["", "mar", "dub", "schm", "lind", "x"]


def _fill(url: str) -> tuple[int, int]:
    db.upgrade(url)
    engine = db.get_engine(url)
    now = datetime(2026, 5, 1, tzinfo=UTC)
    rnd = random.Random(10)
    with Session(engine) as s:
        org = Organization(name="Bench", slug=f"bench-{uuid.uuid4().hex[:6]}",
                           modules=["meetings"])
        s.add(org)
        s.flush()
        event = Event(organization_id=org.id, name="Bench Expo", timezone="Europe/Paris",
                      first_day=date(2026, 6, 1), last_day=date(2026, 6, 2),
                      module_enabled=True, search_fields=["last_name", "company"],
                      filter_fields=["country", "has_account"],
                      columns=["last_name", "first_name", "company", "country"])
        s.add(event)
        s.flush()
        user = User(organization_id=org.id, email=f"p{uuid.uuid4().hex[:6]}@example.com",
                    password_hash="x", role=Role.PARTNER.value)  # noqa: S106 - never signs in
        s.add(user)
        s.commit()
        org_id, event_id, user_id = org.id, event.id, user.id
    with engine.begin() as conn:
        start = datetime(2026, 6, 1, 7, tzinfo=UTC)
        conn.execute(insert(Slot.__table__), [
            {"organization_id": org_id, "event_id": event_id,
             "starts_at": start + timedelta(minutes=20 * i),
             "ends_at": start + timedelta(minutes=20 * i + 20)} for i in range(SLOTS)])
        conn.execute(insert(Partner.__table__), [
            {"organization_id": org_id, "event_id": event_id, "name": f"Partner {i:03}",
             "type": TYPES[i % 4], "fields": {"sector": f"s{i % 8}"}, "created_at": now}
            for i in range(PARTNERS)])
        rows = []
        for i in range(ATTENDEES):
            last = f"{rnd.choice(LAST)}{rnd.choice(['', 'son', 'er', 'i'])}"
            rows.append({
                "organization_id": org_id, "event_id": event_id, "first_name": "A",
                "last_name": last, "last_name_lower": last.lower(),
                "email": f"a{i}@example.com", "language": "en",
                "company": f"{rnd.choice(LAST)} SA", "job_title": "Buyer",
                "country": rnd.choice(COUNTRIES), "interests": "energy",
                "registration_status": "registered" if i % 10 else "pending",
                "has_account": i % 3 == 0, "agenda_token_hash": uuid.uuid4().hex * 2,
                "agenda_salt": uuid.uuid4().hex, "created_at": now})
        for i in range(0, ATTENDEES, 5000):
            conn.execute(insert(Attendee.__table__), rows[i:i + 5000])
    with Session(engine) as s:
        # 8 rules: the first 7 match partners by sector, the last by type.
        for i in range(RULES - 1):
            matching.save_rule(s, organization_id=org_id, event_id=event_id, name=f"r{i}",
                               partner_conditions=[{"field": "sector", "op": "equals",
                                                    "values": [f"s{i + 1}"]}],
                               attendee_conditions=[{"field": "country", "op": "in",
                                                     "values": COUNTRIES[:4]}])
        matching.save_rule(s, organization_id=org_id, event_id=event_id, name="gold",
                           partner_conditions=[{"field": "type", "op": "in",
                                                "values": ["Platinum", "Gold"]}],
                           attendee_conditions=[
                               {"field": "registration_status", "op": "equals",
                                "values": ["registered"]},
                               {"field": "has_account", "op": "equals", "values": ["true"]}])
        # The measured partner: sector s0 (no sector rule), Platinum -> the last rule.
        partner = s.exec(select(Partner).where(Partner.event_id == event_id,
                                               Partner.name == "Partner 000")).one()
        s.add(PartnerContact(organization_id=org_id, partner_id=partner.id, user_id=user_id))
        s.flush()
        space_ids = []
        for k in range(SPACES):
            space = MeetingSpace(organization_id=org_id, event_id=event_id,
                                 partner_id=partner.id, name=f"Table {k}", theme="t",
                                 created_at=now)
            s.add(space)
            s.flush()
            space_ids.append(space.id)
        slot_ids = s.exec(select(Slot.id).where(Slot.event_id == event_id)).all()
        s.execute(insert(Availability.__table__), [
            {"organization_id": org_id, "space_id": sp, "slot_id": sl}
            for sp in space_ids for sl in slot_ids])
        s.commit()
        scope = partner_scope(s, organization_id=org_id, user_id=user_id)
        visible = attendees.list_for_partner(s, partner=partner, event=s.get(Event, event_id),
                                             page_size=100).rows
        for j in range(40):
            requests.request_meeting(s, scope, attendee_id=visible[j].id,
                                     space_id=space_ids[j % SPACES],
                                     slot_id=slot_ids[j % SLOTS], now=now)
        s.commit()
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return org_id, user_id


def _measure(label: str, url: str) -> None:
    from rxapp.states.meetings.partner import PartnerCalendarState, PartnerListState

    t0 = time.perf_counter()
    _org_id, user_id = _fill(url)
    fill_s = time.perf_counter() - t0
    with Session(db.get_engine(url)) as s:
        token = signed_in_token(s, user_id, datetime.now(UTC))
    # The handlers the pages call, with a real session cookie: guard, partner scope,
    # rule, search, filters, one page; and the calendar of 5 spaces x 60 slots.
    listing = make_state(PartnerListState, token=token, path="/partner")
    listing.load()
    calendar = make_state(PartnerCalendarState, token=token, path="/partner/calendar")
    calendar.load()
    # A refused guard would answer instantly with nothing: make sure real rows came back.
    assert listing.total > 3000 and len(listing.rows) == 25, (listing.total, len(listing.rows))
    assert len(calendar.slot_rows) == SLOTS and len(calendar.space_cols) == SPACES
    total = listing.total

    def one_list(i: int) -> None:
        listing.filters = [{}, {"country": "FR"}, {"has_account": "yes"}][i % 3]
        listing.search(QUERIES[i % len(QUERIES)])

    list_ms = statistics.median(timings_ms(one_list, 36))
    cal_ms = statistics.median(timings_ms(lambda _i: calendar.load(), 20))
    print(f"{label}: {ATTENDEES:,} attendees, {PARTNERS} partners, {RULES} rules, {SLOTS} slots "
          f"(filled in {fill_s:.1f} s; the partner sees {total:,})")
    print(f"{label}: partner list median: {list_ms:.1f} ms (goal < 50 ms)")
    print(f"{label}: calendar median: {cal_ms:.1f} ms (goal < 100 ms)")


def main() -> None:
    """Run on SQLite, then on PostgreSQL if a server answers."""
    on_each_database(_measure)


if __name__ == "__main__":
    main()
