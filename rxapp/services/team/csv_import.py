"""Bulk invitations from a CSV file, checked whole before anything is sent (R-PLUS-10)."""

import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session

from rxapp.models import LANGUAGES, Organization
from rxapp.models.team import LIST_KINDS
from rxapp.services.accounts.auth import Principal, normalize_email
from rxapp.services.common import csv_import
from rxapp.services.common.csv_import import CsvFileError, FieldSpec
from rxapp.services.common.person_fields import clean_language, zone_ok
from rxapp.services.team.attributes import check_addresses, clean_attributes, list_options
from rxapp.services.team.base import (
    ATTRIBUTE_KINDS,
    CLASSES_OF_SERVICE,
    INVITABLE_ROLES,
    MAX_ADDRESSES,
    CsvReport,
    CsvRow,
    Outcome,
    _require_admin,
)
from rxapp.services.team.invitations import _create_invitation
from rxapp.services.team.seats import SeatsExceeded, check_seats

logger = logging.getLogger(__name__)


# --- bulk from CSV (R-PLUS-10) -------------------------------------------------------

FIELDS = (
    FieldSpec("email", required=True),
    FieldSpec("role"),
    FieldSpec("language"),
    FieldSpec("time_zone"),
    *(FieldSpec(kind) for kind in ATTRIBUTE_KINDS),
)
MAX_CSV_ROWS = MAX_ADDRESSES
# Pasted text travels in one websocket message, and the socket drops any message over
# 1 MB without a word; 240,000 characters stay under that even at 4 bytes a character.
MAX_CSV_CHARS = 240_000
CSV_COLUMNS = tuple(f.key for f in FIELDS)


def _csv_values(cell: str) -> list[str]:
    return [v.strip() for v in re.split(r"[;|,]", cell or "") if v.strip()]


def _as_bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def check_csv(
    session: Session, *, principal: Principal, text: bytes | str, now: datetime,
    mapping: list[str] | None = None, default_role: str = "", default_language: str = "",
) -> CsvReport:
    """Check a whole CSV of team invitees; nothing is written.

    The file goes through the shared pipeline (encoding, delimiter, headers in four
    languages, the same shape as a participants' Excel export): an email column is
    needed; role, language, time zone and attribute columns are optional, empty cells take
    ``default_role`` and ``default_language`` (the batch's choices; the organization's
    language when empty). Every row is checked: address, role, language, zone, each
    attribute value against the organization's lists, duplicates, members and pending
    invitations.
    """
    _require_admin(principal)
    if isinstance(text, str) and len(text) > MAX_CSV_CHARS:
        return CsvReport(rows=[], ok=False, file_problem="team.csv.too_large")
    if not isinstance(text, str | bytes):
        return CsvReport(rows=[], ok=False, file_problem="team.csv.empty")
    try:
        parsed = csv_import.read_csv(_as_bytes(text), max_rows=MAX_CSV_ROWS)
        if mapping is None:
            mapping = csv_import.auto_mapping(parsed.columns, FIELDS)
        else:
            mapping = ([str(m) for m in mapping] + [""] * len(parsed.columns))[
                : len(parsed.columns)]
        missing = csv_import.check_mapping(mapping, FIELDS)
    except CsvFileError as exc:
        problem = {"import.empty": "team.csv.empty",
                   "import.too_many_rows": "team.csv.too_many"}.get(exc.code, exc.code)
        return CsvReport(rows=[], ok=False, file_problem=problem)
    if missing:
        return CsvReport(rows=[], ok=False, file_problem="team.csv.header",
                         columns=parsed.columns, mapping=mapping,
                         preview=csv_import.preview(parsed), needs_mapping=True)
    org = session.get(Organization, principal.organization_id)
    org_language = org.default_language if org else "en"
    batch_language = default_language if default_language in LANGUAGES else org_language
    options = list_options(session, principal=principal)
    rows: list[CsvRow] = []
    for line, raw in csv_import.records(parsed, mapping):
        attrs: dict[str, Any] = {k: _csv_values(raw.get(k, "")) for k in LIST_KINDS}
        attrs["class_of_service"] = raw.get("class_of_service", "").strip()
        role = raw.get("role", "").strip().lower() or default_role
        language = clean_language(raw.get("language", ""), batch_language)
        zone = raw.get("time_zone", "").strip() or None
        row = CsvRow(line=line, email=normalize_email(raw.get("email", "")), role=role,
                     attributes=attrs, language=language or batch_language, time_zone=zone)
        if row.role not in INVITABLE_ROLES:
            row.problems.append("team.csv.unknown_role")
        if language is None:
            row.problems.append("participant.language_unknown")
        if zone is not None and not zone_ok(zone):
            row.problems.append("participant.time_zone_unknown")
        for kind in LIST_KINDS:
            if any(v not in options[kind] for v in attrs[kind]):
                row.problems.append(f"team.csv.unknown_{kind}")
        if attrs["class_of_service"] and attrs["class_of_service"] not in CLASSES_OF_SERVICE:
            row.problems.append("team.csv.unknown_class_of_service")
        rows.append(row)
    if not rows:
        return CsvReport(rows=[], ok=False, file_problem="team.csv.empty")
    checked = check_addresses(session, principal=principal, emails=[r.email for r in rows],
                              now=now)
    for row, result in zip(rows, checked, strict=True):
        row.outcome = result.outcome
        if result.outcome != Outcome.INVITED:
            row.problems.insert(0, f"team.outcome.{result.outcome}")
    report = CsvReport(rows=rows, ok=all(not r.problems for r in rows),
                       columns=parsed.columns, mapping=mapping,
                       preview=csv_import.preview(parsed))
    if report.ok:
        try:
            check_seats(session, organization_id=principal.organization_id, adding=len(rows),
                        now=now)
        except SeatsExceeded as err:
            report.ok = False
            report.file_problem = err.code
            report.problem_params = err.params()
    return report


def invite_csv(
    session: Session, *, principal: Principal, text: bytes | str, now: datetime,
    mapping: list[str] | None = None, default_role: str = "", default_language: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> CsvReport:
    """Check the whole CSV, then invite every row, or nothing at all if any row is wrong.

    ``progress(done, total)`` is called while invitations are written.
    """
    report = check_csv(session, principal=principal, text=text, now=now, mapping=mapping,
                       default_role=default_role, default_language=default_language)
    if not report.ok:
        return report
    org = session.get(Organization, principal.organization_id)
    options = list_options(session, principal=principal)
    total = len(report.rows)
    for done, row in enumerate(report.rows, start=1):
        if progress and (done % 25 == 0 or done == total):
            progress(done, total)
        attrs = clean_attributes(row.attributes, options=options)
        _create_invitation(session, principal=principal, org=org, email=row.email,
                           role=row.role, attributes=attrs, now=now, language=row.language,
                           time_zone=row.time_zone)
    report.sent = True
    return report
