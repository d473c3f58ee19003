"""A small business-meetings world for tests: an event, slots, partners, rules, attendees."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlmodel import Session

from rxapp.models import Role
from rxapp.models.meetings import Attendee, Event, MeetingSpace, Partner, Slot
from rxapp.services.meetings import attendees, events, matching, partners, slots, spaces
from rxapp.services.meetings.access import PartnerScope, partner_scope
from tests.factories import make_org, make_user

GOLD_RULE = {
    "partner": [{"field": "type", "op": "in", "values": ["Gold", "Platinum"]}],
    "attendee": [
        {"field": "registration_status", "op": "equals", "values": ["registered"]},
        {"field": "has_account", "op": "equals", "values": ["true"]},
    ],
}
SILVER_RULE = {
    "partner": [{"field": "type", "op": "in", "values": ["Silver", "Bronze"]}],
    "attendee": [{"field": "registration_status", "op": "equals", "values": ["registered"]}],
}


@dataclass
class World:
    """Everything a meetings test needs, by name."""

    org_id: int
    event: Event
    slots: list[Slot]
    partners: dict[str, Partner] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    spaces: dict[str, MeetingSpace] = field(default_factory=dict)
    attendees: dict[str, Attendee] = field(default_factory=dict)

    def scope(self, session: Session, name: str) -> PartnerScope:
        """The partner scope of the named partner's first contact."""
        return partner_scope(session, organization_id=self.org_id, user_id=self.users[name])


def make_world(session: Session, *, now: datetime, n_partners: int = 3,
               global_quota: int | None = 5) -> World:
    """An event on 2026-03-10/11 in Paris, 16 half-hour slots a day from 09:00, partners
    Gold/Silver/Bronze..., each with one contact and one space open in every slot, the two
    rules of the seed, and attendees: registered+account, registered, pending."""
    org = make_org(session)
    event = events.create_event(session, organization_id=org.id, name="Expo", venue="Hall 1",
                                timezone="Europe/Paris", first_day=date(2026, 3, 10),
                                last_day=date(2026, 3, 11), now=now)
    events.set_module_enabled(session, organization_id=org.id, event_id=event.id, enabled=True)
    events.update_settings(session, organization_id=org.id, event_id=event.id,
                           global_quota=global_quota)
    slots.bulk_add_slots(session, organization_id=org.id, event_id=event.id,
                         days=[date(2026, 3, 10)], from_time=time(9), to_time=time(17),
                         minutes=30)
    all_slots = list(session.exec(Slot.__table__.select().where(
        Slot.__table__.c.event_id == event.id).order_by(Slot.__table__.c.starts_at)).all())
    slot_rows = [session.get(Slot, r.id) for r in all_slots]
    world = World(org_id=org.id, event=event, slots=slot_rows)
    types = ["Gold", "Silver", "Bronze", "Platinum"]
    for i in range(n_partners):
        name = f"P{i}"
        partner = partners.create_partner(session, organization_id=org.id, event_id=event.id,
                                          name=name, type=types[i % 4], now=now)
        user = make_user(session, org, role=Role.PARTNER.value, email=f"p{i}-{org.id}@ex.com")
        partners.add_contact(session, organization_id=org.id, partner_id=partner.id,
                             user_id=user.id)
        space = spaces.create_space(session, organization_id=org.id, partner_id=partner.id,
                                    contact_user_id=user.id, now=now)
        world.partners[name], world.users[name], world.spaces[name] = partner, user.id, space
    session.commit()
    for name in world.partners:
        scope = world.scope(session, name)
        for slot in slot_rows:
            spaces.set_availability(session, scope, space_id=world.spaces[name].id,
                                    slot_id=slot.id, available=True)
    for rule in (GOLD_RULE, SILVER_RULE):
        matching.save_rule(session, organization_id=org.id, event_id=event.id, name="",
                           partner_conditions=rule["partner"],
                           attendee_conditions=rule["attendee"])
    for key, status, account in (("vip", "registered", True), ("reg", "registered", False),
                                 ("pend", "pending", True)):
        world.attendees[key] = attendees.add_attendee(
            session, organization_id=org.id, event_id=event.id, now=now, first_name=key.title(),
            last_name=f"Person{key}", email=f"{key}-{org.id}@ex.com", language="fr",
            registration_status=status, has_account=account, company=f"{key} Inc")
    session.commit()
    return world
