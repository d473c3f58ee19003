"""Business meetings pages (§3): organizer, partner space and participant agenda."""

from rxapp.pages.meetings import agenda, attendees, email, events, partner, partners, rules, slots

__all__ = ["agenda", "attendees", "email", "events", "partner", "partners", "rules", "slots"]
