"""Participants: adding, CSV import and the searchable overview (R-INT-1).

Names are stored exactly as given (markup included: it is text, always shown escaped);
lower-cased copies feed the search index.
"""

import csv
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import and_, func, insert, or_
from sqlmodel import Session, col, select

from rxapp.models.common import LANGUAGES
from rxapp.models.participants import Interaction, Participant
from rxapp.services.common.errors import DomainError
from rxapp.services.common.tenancy import owned_row

logger = logging.getLogger(__name__)

NAME_MAX = 100
EMAIL_MAX = 254
# Larger than any character, so [prefix, prefix + _TOP) is exactly "starts with prefix"
# in byte order (SQLite's default and the "C" collation of the search columns).
_TOP = "\U0010ffff"
SORTS = {"last_name", "first_name", "email", "created_at"}
CSV_COLUMNS = ("first_name", "last_name", "email", "language")

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class RowError:
    """One bad row of an import: its line in the file, the field and a catalogue key."""

    line: int
    field: str | None
    code: str


@dataclass
class ImportReport:
    """What an import did: how many rows were imported, or why nothing was."""

    total_rows: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file was imported (an import is all or nothing)."""
        return not self.errors


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
        DomainError: ``participant.email_invalid``.

    """
    value = (email or "").strip()
    if not value or len(value) > EMAIL_MAX:
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

    Returns:
        The flushed participant.

    Raises:
        DomainError: The first problem found, with its field.

    """
    (first, last, clean_email, lang), errors = _check_fields(first_name, last_name, email, language)
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
        first_name_lower=first.lower(),
        last_name_lower=last.lower(),
        email=clean_email,
        language=lang,
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


def import_participants_csv(
    session: Session,
    *,
    organization_id: int,
    data: bytes,
    now: datetime,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import participants from a CSV file, all or nothing.

    The whole file is checked first; if any row is bad nothing is written and every bad
    row is reported with its line number (the header is line 1) and reason. A name with
    markup is not an error: it is stored as text.

    Args:
        session: The caller's session; rows are flushed, not committed.
        organization_id: The organizer's organization.
        data: The file's bytes (UTF-8, with or without BOM); columns first_name,
            last_name, email, language.
        now: Current time (aware).
        progress: Called as ``progress(done, total)`` while rows are checked and written.

    Returns:
        The report; ``report.ok`` tells whether anything was imported.

    """
    report = ImportReport()
    if not data or not data.strip():
        report.errors.append(RowError(line=1, field=None, code="import.empty"))
        return report
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append(RowError(line=1, field=None, code="import.not_utf8"))
        return report
    try:
        return _import_text(session, report, organization_id=organization_id, text=text,
                            now=now, progress=progress)
    except csv.Error:
        # E.g. a field over the csv module's limit (131,072 characters) or a stray quote.
        report.errors.append(RowError(line=1, field=None, code="import.malformed"))
        return report


def _import_text(
    session: Session,
    report: ImportReport,
    *,
    organization_id: int,
    text: str,
    now: datetime,
    progress: ProgressCallback | None,
) -> ImportReport:
    # Spreadsheets in German, French and Swedish locales save CSV with semicolons.
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        report.errors.append(
            RowError(line=1, field=",".join(missing), code="import.missing_columns")
        )
        return report
    reader.fieldnames = header
    rows = [(reader.line_num, row) for row in reader]
    # A blank line (no values at all) is skipped rather than reported.
    rows = [
        (line, row)
        for line, row in rows
        if any((v or "").strip() for v in row.values() if isinstance(v, str))
    ]
    total = len(rows)
    report.total_rows = total
    if progress:
        progress(0, total)

    existing = set(
        session.exec(
            select(Participant.email).where(Participant.organization_id == organization_id)
        ).all()
    )
    seen: dict[str, int] = {}
    clean_rows: list[dict] = []
    step = max(1, total // 20)
    for done, (line, row) in enumerate(rows, start=1):
        values, errors = _check_fields(
            row.get("first_name") or "",
            row.get("last_name") or "",
            row.get("email") or "",
            row.get("language") or "",
        )
        first, last, email, lang = values
        if email and not errors:
            if email in seen:
                errors.append(DomainError("import.email_duplicate_in_file", field="email"))
            elif email in existing:
                errors.append(DomainError("participant.email_taken", field="email"))
        if email and email not in seen:
            seen[email] = line
        for err in errors:
            report.errors.append(RowError(line=line, field=err.field, code=err.code))
        if not errors:
            clean_rows.append(
                {
                    "organization_id": organization_id,
                    "first_name": first,
                    "last_name": last,
                    "first_name_lower": first.lower(),
                    "last_name_lower": last.lower(),
                    "email": email,
                    "language": lang,
                    "max_interactions_override": None,
                    "created_at": now,
                }
            )
        if progress and (done % step == 0 or done == total):
            progress(done, total)

    if report.errors:
        logger.info(
            "participant import refused",
            extra={"organization_id": organization_id, "bad_rows": len(report.errors)},
        )
        return report
    if clean_rows:
        session.execute(insert(Participant.__table__), clean_rows)
        session.flush()
    report.imported = len(clean_rows)
    logger.info(
        "participants imported",
        extra={"organization_id": organization_id, "count": report.imported},
    )
    return report


def _prefix(column, value: str):  # noqa: ANN001, ANN202
    return and_(column >= value, column < value + _TOP)


def _name_condition(query: str):  # noqa: ANN202
    """First and/or last name prefixes: "mül", "anna mül", "müller anna"."""
    words = query.lower().split()
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
