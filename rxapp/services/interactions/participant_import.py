"""Participants from a CSV file, through the shared import pipeline (R-INT-1).

The whole file is checked before anything is written; a file whose headers name no
first name, last name or email needs a mapping chosen in the UI (``mapping``).
Language and time zone columns are optional: missing or empty cells take the
organization's defaults.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session, select

from rxapp.models import Organization
from rxapp.models.participants import Participant
from rxapp.services.common import csv_import
from rxapp.services.common.csv_import import CsvFileError, FieldSpec
from rxapp.services.common.errors import DomainError
from rxapp.services.common.person_fields import clean_language, zone_ok
from rxapp.services.common.search import search_key

logger = logging.getLogger(__name__)

FIELDS = (
    FieldSpec("first_name", required=True),
    FieldSpec("last_name", required=True),
    FieldSpec("email", required=True),
    FieldSpec("language"),
    FieldSpec("time_zone"),
)
MAX_ROWS = 200_000
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class RowError:
    """One bad row of an import: its line in the file, the field and a catalogue key."""

    line: int
    field: str | None
    code: str


@dataclass
class ImportReport:
    """What an import did, or why nothing was; and how the file was read."""

    total_rows: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    columns: list[str] = field(default_factory=list)
    mapping: list[str] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)
    needs_mapping: bool = False
    file_params: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the file was imported (an import is all or nothing)."""
        return not self.errors and not self.needs_mapping


def _unformula(value: str) -> str:
    """Undo the apostrophe an export puts before ``= + - @`` (round trip of exports)."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]
    return value


def import_participants_csv(
    session: Session,
    *,
    organization_id: int,
    data: bytes,
    now: datetime,
    progress: ProgressCallback | None = None,
    mapping: list[str] | None = None,
) -> ImportReport:
    """Import participants from a CSV file, all or nothing.

    See :func:`check_participants_csv` for the arguments; when every row is fine they
    are all written (flushed, not committed).
    """
    report, clean_rows = check_participants_csv(
        session, organization_id=organization_id, data=data, now=now, progress=progress,
        mapping=mapping,
    )
    if not report.ok:
        logger.info("participant import refused",
                    extra={"organization_id": organization_id, "bad_rows": len(report.errors)})
        return report
    write_participants(session, clean_rows)
    report.imported = len(clean_rows)
    logger.info("participants imported",
                extra={"organization_id": organization_id, "count": report.imported})
    return report


def write_participants(session: Session, clean_rows: list[dict]) -> None:
    """Insert checked rows in batches (flushed, not committed)."""
    batch = 5000
    for start in range(0, len(clean_rows), batch):
        session.execute(insert(Participant.__table__), clean_rows[start:start + batch])
    session.flush()


def check_participants_csv(
    session: Session,
    *,
    organization_id: int,
    data: bytes,
    now: datetime,
    progress: ProgressCallback | None = None,
    mapping: list[str] | None = None,
) -> tuple[ImportReport, list[dict]]:
    """Check a whole participants CSV; nothing is written.

    Args:
        session: The caller's session; rows are flushed, not committed.
        organization_id: The organizer's organization.
        data: The file's bytes: UTF-8 (BOM or not), UTF-16 or Windows-1252; comma,
            semicolon or tab; headers in en/de/fr/sv.
        now: Current time (aware).
        progress: Called as ``progress(done, total)`` while rows are checked and written.
        mapping: Per file column, the field it fills (``""``: ignored); None matches by
            header name.

    Returns:
        The report (``report.needs_mapping`` asks for the mapping step, ``report.ok``
        tells whether the file can be written) and the checked rows to write.

    """
    # Imported late: participants.py re-exports this function.
    from rxapp.services.interactions.participants import _check_fields

    report = ImportReport()
    try:
        parsed = csv_import.read_csv(data, max_rows=MAX_ROWS)
    except CsvFileError as exc:
        report.errors.append(RowError(line=1, field=None, code=exc.code))
        report.file_params = exc.params
        return report, []
    report.encoding, report.delimiter = parsed.encoding, parsed.delimiter
    report.columns = parsed.columns
    report.preview = csv_import.preview(parsed)
    try:
        if mapping is None:
            mapping = csv_import.auto_mapping(parsed.columns, FIELDS)
            report.mapping = mapping
            missing = csv_import.check_mapping(mapping, FIELDS)
        else:
            mapping = [str(m) for m in mapping][: len(parsed.columns)]
            mapping += [csv_import.IGNORE] * (len(parsed.columns) - len(mapping))
            report.mapping = mapping
            missing = csv_import.check_mapping(mapping, FIELDS)
    except CsvFileError as exc:
        report.errors.append(RowError(line=1, field=None, code=exc.code))
        return report, []
    if missing:
        report.needs_mapping = True
        report.errors.append(RowError(line=1, field=",".join(missing),
                                      code="import.missing_columns"))
        return report, []

    org = session.get(Organization, organization_id)
    default_language = org.default_language if org else "en"
    default_zone = None  # None means "the organization's zone", which may change later
    total = len(parsed.rows)
    report.total_rows = total
    if progress:
        progress(0, total)
    existing = set(
        session.exec(
            select(Participant.email).where(Participant.organization_id == organization_id)
        ).all()
    )
    seen: set[str] = set()
    clean_rows: list[dict] = []
    step = max(1, total // 50)
    for done, (line, row) in enumerate(csv_import.records(parsed, mapping), start=1):
        lang = clean_language(row.get("language", ""), default_language)
        zone = row.get("time_zone", "").strip() or default_zone
        (first, last, email, lang), errors = _check_fields(
            _unformula(row.get("first_name", "")), _unformula(row.get("last_name", "")),
            row.get("email", ""), lang or "?",
        )
        if zone is not None and not zone_ok(zone):
            errors.append(DomainError("participant.time_zone_unknown", field="time_zone"))
        if email and not errors:
            if email in seen:
                errors.append(DomainError("import.email_duplicate_in_file", field="email"))
            elif email in existing:
                errors.append(DomainError("participant.email_taken", field="email"))
        if email:
            seen.add(email)
        for err in errors:
            report.errors.append(RowError(line=line, field=err.field, code=err.code))
        if not errors and not report.errors:
            clean_rows.append({
                "organization_id": organization_id, "first_name": first, "last_name": last,
                "first_name_lower": search_key(first), "last_name_lower": search_key(last),
                "email": email, "language": lang, "time_zone": zone,
                "max_interactions_override": None, "created_at": now,
            })
        if progress and (done % step == 0 or done == total):
            progress(done, total)
    return report, ([] if report.errors else clean_rows)
