"""The organizer's meeting-accepted email, per event and language (R-BM-8).

Organizers write subject and body with placeholders; they are rendered in Jinja's
sandbox, so a template cannot reach Python internals. A default ships in four languages.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.dates import format_date, format_time
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from sqlmodel import Session, select

from rxapp.models.common import LANGUAGES
from rxapp.models.meetings import MeetingEmailTemplate
from rxapp.services.common.errors import DomainError
from rxapp.services.meetings.events import get_event

PLACEHOLDERS: tuple[str, ...] = ("attendee_name", "partner", "space", "date", "time",
                                 "timezone", "event", "venue", "agenda_link")

DEFAULTS: dict[str, tuple[str, str]] = {
    "en": (
        "Meeting confirmed: {{ partner }}, {{ date }} at {{ time }}",
        "Hello {{ attendee_name }},\n\nYour meeting with {{ partner }} ({{ space }}) at "
        "{{ event }} is confirmed for {{ date }} at {{ time }} ({{ timezone }}), {{ venue }}.\n\n"
        "Your personal agenda: {{ agenda_link }}\n\nThe calendar file is attached.",
    ),
    "de": (
        "Termin bestätigt: {{ partner }}, {{ date }} um {{ time }}",
        "Hallo {{ attendee_name }},\n\nIhr Termin mit {{ partner }} ({{ space }}) bei "
        "{{ event }} ist bestätigt: {{ date }} um {{ time }} ({{ timezone }}), {{ venue }}.\n\n"
        "Ihre persönliche Agenda: {{ agenda_link }}\n\nDie Kalenderdatei ist angehängt.",
    ),
    "fr": (
        "Rendez-vous confirmé : {{ partner }}, le {{ date }} à {{ time }}",
        "Bonjour {{ attendee_name }},\n\nVotre rendez-vous avec {{ partner }} ({{ space }}) à "
        "{{ event }} est confirmé le {{ date }} à {{ time }} ({{ timezone }}), {{ venue }}.\n\n"
        "Votre agenda personnalisé : {{ agenda_link }}\n\nLe fichier calendrier est joint.",
    ),
    "sv": (
        "Möte bekräftat: {{ partner }}, {{ date }} kl. {{ time }}",
        "Hej {{ attendee_name }},\n\nDitt möte med {{ partner }} ({{ space }}) på "
        "{{ event }} är bekräftat {{ date }} kl. {{ time }} ({{ timezone }}), {{ venue }}.\n\n"
        "Din personliga agenda: {{ agenda_link }}\n\nKalenderfilen är bifogad.",
    ),
}

_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


@dataclass(frozen=True)
class TemplateText:
    """A template's subject and body, and whether the organizer wrote it."""

    language: str
    subject: str
    body: str
    custom: bool


def placeholder_values(*, language: str, attendee_name: str, partner: str, space: str,
                       starts_at: datetime, timezone: str, event: str, venue: str,
                       agenda_link: str) -> dict[str, str]:
    """The placeholder values of one meeting, formatted for the attendee's language."""
    return {
        "attendee_name": attendee_name, "partner": partner, "space": space,
        "date": format_date(starts_at.date(), format="long", locale=language),
        "time": format_time(starts_at.time(), format="short", locale=language),
        "timezone": timezone, "event": event, "venue": venue, "agenda_link": agenda_link,
    }


def sample_values(language: str) -> dict[str, str]:
    """Made-up values for the editor's live preview."""
    from zoneinfo import ZoneInfo

    return placeholder_values(
        language=language, attendee_name="Alex Martin", partner="Acme Energy", space="Stand B12",
        starts_at=datetime(2026, 6, 9, 10, 30, tzinfo=ZoneInfo("Europe/Paris")),
        timezone="Europe/Paris", event="Expo 2026", venue="Paris Expo",
        agenda_link="https://beckon.example/agenda/…",
    )


def render_text(subject: str, body: str, values: dict[str, Any]) -> tuple[str, str]:
    """Render subject and body in the sandbox.

    Raises:
        DomainError: ``meetings.template_invalid`` on a syntax error or unknown placeholder.
    """
    try:
        out_subject = " ".join(_ENV.from_string(subject).render(values).split())
        out_body = _ENV.from_string(body).render(values)
    except TemplateError as exc:
        raise DomainError("meetings.template_invalid", "body") from exc
    return out_subject, out_body


def get_template(session: Session, *, event_id: int, language: str) -> TemplateText:
    """The organizer's template for a language, else the shipped default."""
    lang = language if language in LANGUAGES else "en"
    row = session.exec(select(MeetingEmailTemplate).where(
        MeetingEmailTemplate.event_id == event_id, MeetingEmailTemplate.language == lang)).first()
    if row is not None:
        return TemplateText(lang, row.subject, row.body, True)
    subject, body = DEFAULTS[lang]
    return TemplateText(lang, subject, body, False)


def save_template(session: Session, *, organization_id: int, event_id: object, language: str,
                  subject: str, body: str) -> MeetingEmailTemplate:
    """Store an organizer's template after checking it renders with the sample values.

    Raises:
        DomainError: Unknown language, empty subject or body, or a template that fails.
    """
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    if language not in LANGUAGES:
        raise DomainError("participant.language_unknown", "language")
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        raise DomainError("meetings.subject_required", "subject")
    if not body:
        raise DomainError("meetings.body_required", "body")
    if len(subject) > 300 or len(body) > 20_000:
        raise DomainError("meetings.template_too_long", "body")
    render_text(subject, body, sample_values(language))
    row = session.exec(select(MeetingEmailTemplate).where(
        MeetingEmailTemplate.event_id == event.id,
        MeetingEmailTemplate.language == language)).first()
    if row is None:
        row = MeetingEmailTemplate(organization_id=organization_id, event_id=event.id or 0,
                                   language=language, subject=subject, body=body)
    row.subject, row.body = subject, body
    session.add(row)
    session.flush()
    return row


def reset_template(session: Session, *, organization_id: int, event_id: object,
                   language: str) -> None:
    """Go back to the shipped default for a language."""
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    row = session.exec(select(MeetingEmailTemplate).where(
        MeetingEmailTemplate.event_id == event.id,
        MeetingEmailTemplate.language == language)).first()
    if row is not None:
        session.delete(row)
        session.flush()
