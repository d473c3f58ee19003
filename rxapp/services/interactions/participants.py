"""Participants: adding, CSV import and the searchable overview (R-INT-1).

Names are stored exactly as given (markup included: it is text, always shown escaped);
lower-cased copies feed the search index.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from rxapp.models.accounts import Organization
from rxapp.models.common import LANGUAGES
from rxapp.models.participants import Interaction, Participant
from rxapp.services.common.errors import DomainError
from rxapp.services.common.search import search_key
from rxapp.services.common.tenancy import owned_row

logger = logging.getLogger(__name__)

NAME_MAX = 100
EMAIL_MAX = 254
# Larger than any character, so [prefix, prefix + _TOP) is exactly "starts with prefix"
# in byte order (SQLite's default and the "C" collation of the search columns).
_TOP = "\U0010ffff"
SORTS = {"last_name", "first_name", "email", "created_at"}


@dataclass(frozen=True)
class ParticipantRow:
    """A participant as the overview shows it, with the state of the latest interaction."""

    id: int
    first_name: str
    last_name: str
    email: str
    language: str
    latest_state: str | None


@dataclass(frozen=True)
class Page:
    """One page of search results and the total number of matches."""

    rows: list[ParticipantRow]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        """How many pages the matches fill (at least one)."""
        return max(1, -(-self.total // self.page_size))


def normalize_email(email: str) -> str:
    """Return the stored form of an email: trimmed and lower-cased.

    Raises:
        DomainError: ``error.email_required`` when empty, else ``participant.email_invalid``.

    """
    value = (email or "").strip()
    if not value:
        # "Not a valid address" for an empty field sends people looking for a typo.
        raise DomainError("error.email_required", field="email")
    if len(value) > EMAIL_MAX:
        raise DomainError("participant.email_invalid", field="email")
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise DomainError("participant.email_invalid", field="email") from exc
    return value.lower()


class ValidationErrors(DomainError):
    """Several fields are wrong at once; ``code``/``field`` name the first, ``errors`` all."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__(errors[0].code, errors[0].field)
        self.errors = errors


def _has_control_chars(value: str) -> bool:
    """Whether a name holds NUL or another control character (never part of a name)."""
    return any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value)


def _check_fields(
    first_name: str, last_name: str, email: str, language: str
) -> tuple[tuple[str, str, str, str], list[DomainError]]:
    """Validate one participant's fields; return the cleaned values and every error."""
    errors: list[DomainError] = []
    first = (first_name or "").strip()
    last = (last_name or "").strip()
    lang = (language or "").strip().lower()
    if not first:
        errors.append(DomainError("participant.first_name_required", field="first_name"))
    elif len(first) > NAME_MAX:
        errors.append(DomainError("participant.first_name_too_long", field="first_name"))
    elif _has_control_chars(first):
        errors.append(DomainError("participant.name_invalid", field="first_name"))
    if not last:
        errors.append(DomainError("participant.last_name_required", field="last_name"))
    elif len(last) > NAME_MAX:
        errors.append(DomainError("participant.last_name_too_long", field="last_name"))
    elif _has_control_chars(last):
        errors.append(DomainError("participant.name_invalid", field="last_name"))
    clean_email = ""
    try:
        clean_email = normalize_email(email)
    except DomainError as exc:
        errors.append(exc)
    if lang not in LANGUAGES:
        errors.append(DomainError("participant.language_unknown", field="language"))
    return (first, last, clean_email, lang), errors


def _email_taken(session: Session, organization_id: int, email: str) -> bool:
    return (
        session.exec(
            select(Participant.id).where(
                Participant.organization_id == organization_id, Participant.email == email
            )
        ).first()
        is not None
    )


def add_participant(
    session: Session,
    *,
    organization_id: int,
    first_name: str,
    last_name: str,
    email: str,
    language: str,
    now: datetime,
    max_interactions_override: int | None = None,
    time_zone: str | None = None,
) -> Participant:
    """Add one participant to an organization, in the caller's transaction.

    Args:
        session: The caller's session; nothing is committed here.
        organization_id: The organizer's organization.
        first_name: Required; stored as given (trimmed).
        last_name: Required; stored as given (trimmed).
        email: A valid address, unique within the organization (case-insensitive).
        language: One of en, de, fr, sv.
        now: Current time (aware).
        max_interactions_override: Replaces the organization's maximum for this person.
        time_zone: IANA zone of the person; None or empty: the organization's.

    Returns:
        The flushed participant.

    Raises:
        DomainError: The first problem found, with its field.

    """
    (first, last, clean_email, lang), errors = _check_fields(first_name, last_name, email, language)
    zone = (time_zone or "").strip() or None
    if zone is not None and not zone_ok(zone):
        errors.append(DomainError("participant.time_zone_unknown", field="time_zone"))
    if errors:
        raise ValidationErrors(errors)
    if max_interactions_override is not None and max_interactions_override < 0:
        raise DomainError("participant.max_interactions_invalid", field="max_interactions_override")
    if _email_taken(session, organization_id, clean_email):
        raise DomainError("participant.email_taken", field="email")
    participant = Participant(
        organization_id=organization_id,
        first_name=first,
        last_name=last,
        first_name_lower=search_key(first),
        last_name_lower=search_key(last),
        email=clean_email,
        language=lang,
        time_zone=zone,
        max_interactions_override=max_interactions_override,
        created_at=now,
    )
    session.add(participant)
    session.flush()
    return participant


def get_participant(session: Session, *, organization_id: int, participant_id: int) -> Participant:
    """Return a participant of the caller's organization.

    Raises:
        NotFound: No such participant.
        NotAllowed: It belongs to another organization.

    """
    return owned_row(session, Participant, participant_id, organization_id=organization_id,
                     missing="participant.not_found")


def set_max_interactions_override(
    session: Session, *, organization_id: int, participant_id: int, value: int | None
) -> None:
    """Set (or clear with None) a participant's own maximum of interactions (R-INT-3)."""
    if value is not None and value < 0:
        raise DomainError("participant.max_interactions_invalid", field="max_interactions_override")
    participant = get_participant(
        session, organization_id=organization_id, participant_id=participant_id
    )
    participant.max_interactions_override = value
    session.add(participant)
    session.flush()


def organization_max(session: Session, *, organization_id: int) -> int:
    """The organization's maximum of interactions per participant (its plan)."""
    org = session.get(Organization, organization_id)
    return org.max_interactions_per_participant if org is not None else 0


def _prefix(column, value: str):  # noqa: ANN001, ANN202
    return and_(column >= value, column < value + _TOP)


def _name_condition(query: str):  # noqa: ANN202
    """First and/or last name prefixes: "mül", "anna mül", "müller anna"."""
    words = search_key(query).split()
    if not words:
        return None
    first_col = col(Participant.first_name_lower)
    last_col = col(Participant.last_name_lower)
    whole = " ".join(words)
    if len(words) == 1:
        return or_(_prefix(last_col, whole), _prefix(first_col, whole))
    head, rest = words[0], " ".join(words[1:])
    return or_(
        _prefix(last_col, whole),  # compound last names: "van der"
        _prefix(first_col, whole),  # compound first names
        and_(_prefix(first_col, head), _prefix(last_col, rest)),
        and_(_prefix(last_col, head), _prefix(first_col, rest)),
    )


def search_participants(
    session: Session,
    *,
    organization_id: int,
    query: str = "",
    page: int = 1,
    page_size: int = 25,
    sort: str = "last_name",
) -> Page:
    """Return one page of an organization's participants matching a name search (R-INT-1).

    Matching is by prefix of the first and/or last name, case-insensitive; paging and
    sorting happen in the database, and the latest interaction state is fetched for the
    page's rows only, so the cost follows the page, not the organization's size.

    Args:
        session: Any session.
        organization_id: The viewer's organization.
        query: Words typed in the search box; empty lists everyone.
        page: 1-based page number.
        page_size: Rows per page (1..200).
        sort: ``last_name`` (default), ``first_name``, ``email`` or ``created_at``;
            a leading ``-`` sorts descending.

    Returns:
        The page of view rows and the total number of matches.

    """
    page = max(1, int(page))
    page_size = min(200, max(1, int(page_size)))
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        raise DomainError("common.sort_unknown", field="sort")
    conditions = [Participant.organization_id == organization_id]
    name_cond = _name_condition(query or "")
    if name_cond is not None:
        conditions.append(name_cond)

    order_cols = {
        "last_name": [col(Participant.last_name_lower), col(Participant.first_name_lower)],
        "first_name": [col(Participant.first_name_lower), col(Participant.last_name_lower)],
        "email": [col(Participant.email)],
        "created_at": [col(Participant.created_at)],
    }[key] + [col(Participant.id)]
    order_by = [c.desc() for c in order_cols] if descending else order_cols

    total = session.exec(select(func.count()).select_from(Participant).where(*conditions)).one()
    participants = session.exec(
        select(Participant)
        .where(*conditions)
        .order_by(*order_by)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    latest = latest_states(session, participant_ids=[p.id for p in participants if p.id])
    rows = [
        ParticipantRow(
            id=p.id or 0,
            first_name=p.first_name,
            last_name=p.last_name,
            email=p.email,
            language=p.language,
            latest_state=latest.get(p.id or 0),
        )
        for p in participants
    ]
    return Page(rows=rows, total=int(total), page=page, page_size=page_size)


def latest_states(session: Session, *, participant_ids: list[int]) -> dict[int, str]:
    """Return the state of each participant's latest interaction (deleted ones included)."""
    if not participant_ids:
        return {}
    rows = session.exec(
        select(Interaction.participant_id, Interaction.state)
        .where(col(Interaction.participant_id).in_(participant_ids))
        .order_by(col(Interaction.created_at), col(Interaction.id))
    ).all()
    states: dict[int, str] = {}
    for participant_id, state in rows:
        states[participant_id] = state  # later rows overwrite earlier ones
    return states


# The CSV import lives beside this module; callers keep importing it from here.
from rxapp.services.common.person_fields import zone_ok  # noqa: E402
from rxapp.services.interactions.participant_import import (  # noqa: E402, F401
    ImportReport,
    RowError,
    import_participants_csv,
)
