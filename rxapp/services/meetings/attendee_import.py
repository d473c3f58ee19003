"""Event attendees from a CSV file, through the shared import pipeline (R-BM-1).

The same reading as every other import (:mod:`rxapp.services.common.csv_import`):
encoding and delimiter detected, headers matched in en/de/fr/sv, a mapping step when
first name, last name or email are not found by name. The whole file is checked before
anything is written (all or nothing), every bad row reported with its line.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session, select

from rxapp.models.meetings import Attendee, Event
from rxapp.services.common import csv_import
from rxapp.services.common.csv_import import CsvFileError, FieldSpec
from rxapp.services.common.errors import DomainError
from rxapp.services.interactions.participant_import import ImportReport, RowError, _unformula
from rxapp.services.meetings.attendees import clean_attendee, with_token
from rxapp.services.meetings.events import get_event

logger = logging.getLogger(__name__)

FIELDS = (
    FieldSpec("first_name", required=True),
    FieldSpec("last_name", required=True),
    FieldSpec("email", required=True),
    FieldSpec("language"),
    FieldSpec("company"),
    FieldSpec("job_title"),
    FieldSpec("country"),
    FieldSpec("interests"),
    FieldSpec("registration_status"),
    FieldSpec("has_account"),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
MAX_ROWS = 100_000
_BATCH = 5000
_TEXT_FIELDS = ("first_name", "last_name", "company", "job_title", "interests")


def _mapping_for(parsed: csv_import.CsvFile, mapping: list[str] | None,
                 report: ImportReport) -> list[str] | None:
    """The mapping to use (None and ``report`` filled when the file cannot go on)."""
    try:
        if mapping is None:
            chosen = csv_import.auto_mapping(parsed.columns, FIELDS)
        else:
            chosen = [m if isinstance(m, str) else "" for m in mapping][: len(parsed.columns)]
            chosen += [csv_import.IGNORE] * (len(parsed.columns) - len(chosen))
        report.mapping = chosen
        missing = csv_import.check_mapping(chosen, FIELDS)
    except CsvFileError as exc:
        report.errors.append(RowError(line=1, field=None, code=exc.code))
        return None
    if missing:
        report.needs_mapping = True
        report.errors.append(RowError(line=1, field=",".join(missing),
                                      code="import.missing_columns"))
        return None
    return chosen


def import_attendees_csv(
    session: Session,
    *,
    organization_id: int,
    event_id: object,
    data: bytes,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
    mapping: list[str] | None = None,
) -> ImportReport:
    """Import an event's attendees from a CSV file, all or nothing.

    Args:
        session: The caller's session; rows are flushed, not committed.
        organization_id: The organizer's organization (the event must be one of its).
        event_id: The event, as the client sent it.
        data: The file's bytes (UTF-8 with or without BOM, UTF-16, Windows-1252; comma,
            semicolon or tab; headers in en/de/fr/sv).
        now: Current time (aware).
        progress: Called as ``progress(done, total)`` while rows are checked.
        mapping: Per file column, the field it fills (``""``: ignored); None matches by
            header name.

    Returns:
        The report: ``needs_mapping`` asks for the mapping step, ``ok`` tells whether the
        rows were written.

    Raises:
        NotAllowed: The event is not the organization's.

    """
    event: Event = get_event(session, organization_id=organization_id, event_id=event_id)
    report = ImportReport()
    try:
        parsed = csv_import.read_csv(data, max_rows=MAX_ROWS)
    except CsvFileError as exc:
        report.errors.append(RowError(line=1, field=None, code=exc.code))
        report.file_params = exc.params
        return report
    report.encoding, report.delimiter = parsed.encoding, parsed.delimiter
    report.columns = parsed.columns
    report.preview = csv_import.preview(parsed)
    chosen = _mapping_for(parsed, mapping, report)
    if chosen is None:
        return report
    total = report.total_rows = len(parsed.rows)
    if progress:
        progress(0, total)
    existing = set(session.exec(select(Attendee.email).where(
        Attendee.event_id == event.id)).all())
    seen: set[str] = set()
    clean_rows: list[dict] = []
    step = max(1, total // 50)
    for done, (line, row) in enumerate(csv_import.records(parsed, chosen), start=1):
        for key in _TEXT_FIELDS:
            if key in row:
                row[key] = _unformula(row[key])
        clean, errors = clean_attendee(row)
        email = clean["email"]
        if email and not errors:
            if email in seen:
                errors.append(DomainError("import.email_duplicate_in_file", "email"))
            elif email in existing:
                errors.append(DomainError("participant.email_taken", "email"))
        if email:
            seen.add(email)
        report.errors.extend(RowError(line=line, field=e.field, code=e.code) for e in errors)
        if not report.errors:
            clean_rows.append({"organization_id": organization_id, "event_id": event.id,
                               "created_at": now, **with_token(clean)})
        if progress and (done % step == 0 or done == total):
            progress(done, total)
    if report.errors:
        logger.info("attendee import refused",
                    extra={"event_id": event.id, "bad_rows": len(report.errors)})
        return report
    for start in range(0, len(clean_rows), _BATCH):
        session.execute(insert(Attendee.__table__), clean_rows[start:start + _BATCH])
    session.flush()
    report.imported = len(clean_rows)
    logger.info("attendees imported", extra={"event_id": event.id, "count": report.imported})
    return report
