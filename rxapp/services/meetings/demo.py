"""Demo business meetings (issue 10).

An event with 40 slots, 12 partners of four types with contacts and spaces, 300
attendees, two rules and meetings in every state. The demo partner user is the contact
of the first Gold partner, so it lands in its partner space.
"""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlmodel import Session, select

from rxapp.models.accounts import Role, User
from rxapp.models.meetings import Availability, Event, Meeting, Slot
from rxapp.services.accounts.passwords import hash_password
from rxapp.services.common.outbox import cancel_messages
from rxapp.services.common.tokens import new_token
from rxapp.services.meetings import (
    attendee_import,
    attendees,
    events,
    matching,
    partners,
    requests,
    slots,
    spaces,
)
from rxapp.services.meetings.access import PartnerScope

DEMO_PARTNER_EMAIL = "partner@beckon-demo.example"
TYPES = ("Platinum", "Gold", "Silver", "Bronze")
COMPANIES = ("Nordlicht", "Acier Bleu", "Solvik", "Brightwave", "Hanse Logistik", "Terravia",
             "Orbis Data", "Fjord Energy", "Lumen Labs", "Rivage", "Kronberg", "Helix Bio")
FIRST = ("Anna", "Lukas", "Camille", "Erik", "Sofia", "Jonas", "Léa", "Oskar", "Mia", "Hugo",
         "Elin", "Paul", "Clara", "Nils", "Emma", "Felix", "Inès", "Liam", "Maja", "Noah")
LAST = ("Martin", "Schmidt", "Dubois", "Lindqvist", "Bernard", "Weber", "Nilsson", "Moreau",
        "Fischer", "Berg", "Laurent", "Becker", "Holm", "Girard", "Wagner", "Ek", "Roux",
        "Koch", "Sandberg", "Fontaine")
COUNTRIES = ("FR", "DE", "SE", "BE", "CH", "NL")
TITLES = ("Buyer", "CTO", "Engineer", "Head of Purchasing", "Consultant", "CEO")
GOLD_RULE = ([{"field": "type", "op": "in", "values": ["Gold", "Platinum"]}],
             [{"field": "registration_status", "op": "equals", "values": ["registered"]},
              {"field": "has_account", "op": "equals", "values": ["true"]}])
SILVER_RULE = ([{"field": "type", "op": "in", "values": ["Silver", "Bronze"]}],
               [{"field": "registration_status", "op": "equals", "values": ["registered"]}])


def seed_meetings_demo(session: Session, *, organization_id: int, now: datetime) -> bool:
    """Create the demo event once; returns False when the organization has an event already."""
    if session.exec(select(Event.id).where(Event.organization_id == organization_id)).first():
        return False
    rng = random.Random(10)  # noqa: S311 - demo data, not security
    zone = ZoneInfo("Europe/Paris")
    first_day = (now.astimezone(zone) + timedelta(days=21)).date()
    event = events.create_event(session, organization_id=organization_id, name="Demo Expo",
                                venue="Hall 3, Paris Expo", timezone="Europe/Paris",
                                first_day=first_day, last_day=first_day + timedelta(days=1),
                                now=now)
    events.set_module_enabled(session, organization_id=organization_id, event_id=event.id,
                              enabled=True)
    events.update_settings(session, organization_id=organization_id, event_id=event.id,
                           global_quota=10, hold_minutes=48 * 60, cancel_window_hours=24,
                           partners_manage_spaces=True)
    slots.bulk_add_slots(session, organization_id=organization_id, event_id=event.id,
                         days=[first_day, first_day + timedelta(days=1)], from_time=time(9),
                         to_time=time(19), minutes=30)
    slot_ids = list(session.exec(select(Slot.id).where(Slot.event_id == event.id)
                                 .order_by(Slot.starts_at)).all())
    demo_user = session.exec(select(User).where(User.email == DEMO_PARTNER_EMAIL)).first()
    unusable = hash_password(new_token()[0])
    scopes: list[PartnerScope] = []
    space_ids: list[int] = []
    for i, company in enumerate(COMPANIES):
        partner = partners.create_partner(
            session, organization_id=organization_id, event_id=event.id, name=company,
            type=TYPES[i % 4], fields={"sector": rng.choice(("Energy", "Logistics", "IT"))},
            now=now)
        if i == 1 and demo_user is not None:
            user = demo_user
        else:
            user = User(organization_id=organization_id, email=f"sales{i + 1}@beckon-demo.example",
                        full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                        password_hash=unusable, role=Role.PARTNER.value, created_at=now)
            session.add(user)
            session.flush()
        partners.add_contact(session, organization_id=organization_id, partner_id=partner.id,
                             user_id=user.id)
        space = spaces.create_space(session, organization_id=organization_id,
                                    partner_id=partner.id, contact_user_id=user.id, now=now)
        space_ids.append(space.id or 0)
        scopes.append(PartnerScope(organization_id, event.id or 0, partner.id or 0, user.id or 0))
    session.execute(insert(Availability.__table__), [
        {"organization_id": organization_id, "space_id": sid, "slot_id": slot}
        for sid in space_ids for slot in slot_ids
    ])
    for partner_side, attendee_side in (GOLD_RULE, SILVER_RULE):
        matching.save_rule(session, organization_id=organization_id, event_id=event.id, name="",
                           partner_conditions=partner_side, attendee_conditions=attendee_side)
    csv_lines = ["first_name,last_name,email,language,company,job_title,country,interests,"
                 "registration_status,has_account"]
    for n in range(300):
        status = "registered" if n % 10 < 8 else ("pending" if n % 10 == 8 else "cancelled")
        csv_lines.append(",".join((
            rng.choice(FIRST), rng.choice(LAST), f"attendee{n + 1}@beckon-demo.example",
            ("en", "de", "fr", "sv")[n % 4],
            f"{rng.choice(LAST)} {rng.choice(('SA', 'GmbH', 'AB'))}",
            rng.choice(TITLES), rng.choice(COUNTRIES), rng.choice(("energy", "logistics", "ai")),
            status, "yes" if n % 2 == 0 else "no")))
    attendee_import.import_attendees_csv(
        session, organization_id=organization_id, event_id=event.id,
        data="\n".join(csv_lines).encode(), now=now)
    _demo_meetings(session, scopes, slot_ids, now=now)
    return True


def _demo_meetings(session: Session, scopes: list[PartnerScope], slot_ids: list[int], *,
                   now: datetime) -> None:
    from rxapp.models.meetings import Attendee, Partner

    made: list[Meeting] = []
    for k, scope in enumerate(scopes[:6]):
        partner = session.get(Partner, scope.partner_id)
        page = attendees.list_for_partner(session, partner=partner,
                                          event=session.get(Event, scope.event_id), page_size=6)
        space_id = session.exec(select(spaces.MeetingSpace.id).where(
            spaces.MeetingSpace.partner_id == scope.partner_id)).first()
        for j, row in enumerate(page.rows[:5]):
            slot = slot_ids[(k * 5 + j) % len(slot_ids)]
            try:
                if j % 2:
                    made.append(requests.propose_meeting(
                        session, session.get(Attendee, row.id), space_id=space_id, slot_id=slot,
                        message="Looking forward to it", now=now))
                else:
                    made.append(requests.request_meeting(
                        session, scope, attendee_id=row.id, space_id=space_id, slot_id=slot,
                        message="Shall we meet?", now=now))
            except Exception:  # noqa: BLE001, S112 - a demo row that does not fit is skipped
                continue
    # One in each state: confirmed, declined, cancelled, lapsed; the rest stay requested.
    for i, meeting in enumerate(made):
        side = (requests.Proposer.ATTENDEE if meeting.proposed_by == "partner"
                else requests.Proposer.PARTNER)
        state = i % 5
        if state == 1:
            requests.confirm(session, meeting, by=side, now=now)
        elif state == 2:
            requests.decline(session, meeting, by=side, reason="Agenda full", now=now)
        elif state == 3:
            requests.confirm(session, meeting, by=side, now=now)
            requests.cancel(session, meeting, by=side, reason="Travel changed", now=now)
        elif state == 4:
            meeting.hold_until = now
            requests.lapse_due(session, now=now + timedelta(seconds=1))
    session.flush()
    # Demo meetings are history, not news: their emails are not sent (the mailbox would
    # otherwise fill with thirty of them at the first start).
    for meeting in made:
        cancel_messages(session, entity_type=requests.ENTITY, entity_id=meeting.id or 0,
                        now=now, reason="demo data")
