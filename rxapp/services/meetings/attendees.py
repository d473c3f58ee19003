"""Event attendees: by form or CSV, their agenda link, the partner's list (R-BM-6a, R-BM-7)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from rxapp import routes
from rxapp.models.common import LANGUAGES
from rxapp.models.meetings import Attendee, Event, Partner, RegistrationStatus
from rxapp.services.common.errors import DomainError
from rxapp.services.common.tokens import derive_token, hash_token, new_salt
from rxapp.services.interactions.participants import normalize_email
from rxapp.services.meetings.events import FILTERABLE_FIELDS, SEARCHABLE_FIELDS, get_event
from rxapp.services.meetings.matching import visible_filter

TOKEN_PURPOSE = "meeting_agenda"  # noqa: S105 - a label mixed into the HMAC, not a secret
PAGE_SIZE = 25
STATUSES = tuple(s.value for s in RegistrationStatus)
# Registration statuses as exports in de/fr/sv (and en variants) write them.
STATUS_WORDS = {
    "canceled": "cancelled", "angemeldet": "registered", "registriert": "registered",
    "ausstehend": "pending", "offen": "pending", "storniert": "cancelled",
    "abgesagt": "cancelled", "inscrit": "registered", "inscrite": "registered",
    "en attente": "pending", "annulé": "cancelled", "annulée": "cancelled",
    "registrerad": "registered", "anmäld": "registered", "väntande": "pending",
    "avbokad": "cancelled", "inställd": "cancelled",
}


@dataclass(frozen=True)
class AttendeeRow:
    """An attendee as a list shows it (only the fields the viewer may see are filled)."""

    id: int
    values: dict[str, str]


@dataclass(frozen=True)
class AttendeePage:
    """One page of a partner's (or the organizer's) attendee list."""

    rows: list[AttendeeRow]
    total: int
    page: int
    page_size: int


def agenda_token(attendee: Attendee) -> str:
    """The attendee's agenda token, rebuilt from the salt and the server secret."""
    return derive_token(TOKEN_PURPOSE, attendee.agenda_salt)


def agenda_link(attendee: Attendee) -> str:
    """Absolute link to the attendee's agenda."""
    return routes.agenda_url(agenda_token(attendee))


def attendee_by_token(session: Session, token: object) -> Attendee | None:
    """The attendee whose agenda link this is, or None (any other input)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 200:
        return None
    return session.exec(
        select(Attendee).where(Attendee.agenda_token_hash == hash_token(token))
    ).first()


def _truthy(value: object) -> bool:
    return str(value or "").strip().lower() in ("1", "true", "yes", "ja", "oui", "y", "x")


def clean_attendee(values: dict[str, Any]) -> tuple[dict[str, Any], list[DomainError]]:
    """Check one attendee's fields (form or CSV row): the clean values and every error."""
    errors: list[DomainError] = []
    first = str(values.get("first_name") or "").strip()
    last = str(values.get("last_name") or "").strip()
    if not first:
        errors.append(DomainError("participant.first_name_required", "first_name"))
    if not last:
        errors.append(DomainError("participant.last_name_required", "last_name"))
    email = ""
    try:
        email = normalize_email(str(values.get("email") or ""))
    except DomainError as exc:
        errors.append(exc)
    lang = str(values.get("language") or "en").strip().lower() or "en"
    if lang not in LANGUAGES:
        errors.append(DomainError("participant.language_unknown", "language"))
    status = str(values.get("registration_status") or "registered").strip().lower()
    status = STATUS_WORDS.get(status, status)
    if status not in STATUSES:
        errors.append(DomainError("meetings.bad_registration_status", "registration_status"))
    has_account = values.get("has_account")
    clean = {
        "first_name": first[:100], "last_name": last[:100], "last_name_lower": last.lower()[:100],
        "email": email, "language": lang,
        "company": str(values.get("company") or "").strip()[:200],
        "job_title": str(values.get("job_title") or "").strip()[:200],
        "country": str(values.get("country") or "").strip()[:64],
        "interests": str(values.get("interests") or "").strip()[:500],
        "registration_status": status,
        "has_account": has_account if isinstance(has_account, bool) else _truthy(has_account),
    }
    return clean, errors


def with_token(clean: dict[str, Any]) -> dict[str, Any]:
    """The clean values plus a fresh agenda-link salt and its token hash."""
    salt = new_salt()
    return {**clean, "agenda_salt": salt,
            "agenda_token_hash": hash_token(derive_token(TOKEN_PURPOSE, salt))}


def add_attendee(
    session: Session, *, organization_id: int, event_id: object, now: datetime, **values: Any
) -> Attendee:
    """Add one attendee by form; flushed, not committed.

    Raises:
        DomainError: The first bad field, or ``participant.email_taken`` in this event.
    """
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    clean, errors = clean_attendee(values)
    if errors:
        raise errors[0]
    taken = session.exec(select(Attendee.id).where(
        Attendee.event_id == event.id, Attendee.email == clean["email"])).first()
    if taken is not None:
        raise DomainError("participant.email_taken", "email")
    attendee = Attendee(organization_id=organization_id, event_id=event.id or 0,
                        created_at=now, **with_token(clean))
    session.add(attendee)
    session.flush()
    return attendee


def _value(attendee: Attendee, field: str) -> str:
    value = getattr(attendee, field)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value or "")


def _search_clause(event: Event, query: str):  # noqa: ANN202
    words = query.strip().lower().split()
    if not words:
        return None
    clauses = []
    for word in words[:5]:
        like = f"%{word.replace('%', '').replace('_', '')}%"
        per_word = []
        for field in event.search_fields or ["last_name"]:
            if field == "last_name":
                per_word.append(col(Attendee.last_name_lower).like(f"{word}%"))
            elif field in SEARCHABLE_FIELDS:
                per_word.append(func.lower(getattr(Attendee, field)).like(like))
        clauses.append(or_(*per_word))
    return clauses


def list_for_partner(
    session: Session,
    *,
    partner: Partner,
    event: Event,
    query: str = "",
    filters: dict[str, str] | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> AttendeePage:
    """One page of the attendees the partner's rule lets it see (R-BM-6a, R-BM-9).

    Searched and filtered on the fields the organizer allows, with only the chosen columns.
    """
    conditions = [Attendee.event_id == event.id, visible_filter(session, partner)]
    search = _search_clause(event, query or "")
    if search:
        conditions.extend(search)
    for field, value in (filters or {}).items():
        if field not in event.filter_fields or field not in FILTERABLE_FIELDS or not value:
            continue
        if field == "has_account":
            conditions.append(col(Attendee.has_account).is_(_truthy(value)))
        else:
            conditions.append(getattr(Attendee, field) == str(value))
    total = session.exec(select(func.count()).select_from(Attendee).where(*conditions)).one()
    page = max(1, int(page)) if isinstance(page, int) else 1
    rows = session.exec(
        select(Attendee).where(*conditions)
        .order_by(col(Attendee.last_name_lower), col(Attendee.id))
        .offset((page - 1) * page_size).limit(page_size)
    ).all()
    columns = list(event.columns) or ["last_name", "first_name"]
    return AttendeePage(
        rows=[AttendeeRow(id=a.id or 0, values={c: _value(a, c) for c in columns}) for a in rows],
        total=int(total), page=page, page_size=page_size,
    )


def filter_options(session: Session, *, event: Event, partner: Partner) -> dict[str, list[str]]:
    """Distinct values of each filter field among the attendees the partner may see."""
    options: dict[str, list[str]] = {}
    for field in event.filter_fields:
        if field not in FILTERABLE_FIELDS:
            continue
        if field == "has_account":
            options[field] = ["yes", "no"]
            continue
        column = getattr(Attendee, field)
        values = session.exec(
            select(column).where(Attendee.event_id == event.id, visible_filter(session, partner),
                                 column != "").distinct().order_by(column).limit(200)
        ).all()
        options[field] = [str(v) for v in values]
    return options


ORGANIZER_COLUMNS = ("last_name", "first_name", "email", "company", "country",
                     "registration_status", "has_account", "language")


def list_for_organizer(session: Session, *, organization_id: int, event_id: object,
                       query: str = "", page: int = 1,
                       page_size: int = PAGE_SIZE) -> AttendeePage:
    """One page of an event's attendees for its organizer, by last-name prefix."""
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    conditions = [Attendee.event_id == event.id]
    prefix = (query or "").strip().lower()
    if prefix:
        conditions.append(col(Attendee.last_name_lower).like(
            prefix.replace("%", "").replace("_", "") + "%"))
    total = session.exec(select(func.count()).select_from(Attendee).where(*conditions)).one()
    rows = session.exec(select(Attendee).where(*conditions)
                        .order_by(col(Attendee.last_name_lower), col(Attendee.id))
                        .offset((max(1, page) - 1) * page_size).limit(page_size)).all()
    return AttendeePage(
        rows=[AttendeeRow(id=a.id or 0, values={c: _value(a, c) for c in ORGANIZER_COLUMNS})
              for a in rows],
        total=int(total), page=page, page_size=page_size)
