"""Bulk invitations from a CSV file, checked whole before anything is sent (R-PLUS-10)."""

import csv
import io
import logging
import re
from datetime import datetime
from typing import Any

from sqlmodel import Session

from rxapp.models import (
    Organization,
)
from rxapp.models.team import LIST_KINDS
from rxapp.services.accounts.auth import Principal, normalize_email
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

logger = logging.getLogger(__name__)


# --- bulk from CSV (R-PLUS-10) -------------------------------------------------------

CSV_COLUMNS = ("email", "role", *ATTRIBUTE_KINDS)
MAX_CSV_ROWS = MAX_ADDRESSES
# The pasted text travels in one websocket message, and the socket drops any message over
# 1 MB without a word; 240,000 characters stay under that even at 4 bytes a character.
MAX_CSV_CHARS = 240_000


def _csv_values(cell: str) -> list[str]:
    return [v.strip() for v in re.split(r"[;|]", cell or "") if v.strip()]


def check_csv(session: Session, *, principal: Principal, text: str, now: datetime) -> CsvReport:
    """Check a whole CSV (email, role, channels, class_of_service, services, sites, skills).

    Every row is checked (address, role, each attribute value against the organization's
    lists, duplicates, members and pending invitations) and nothing is written.
    """
    _require_admin(principal)
    if not isinstance(text, str) or not text.strip():
        return CsvReport(rows=[], ok=False, file_problem="team.csv.empty")
    if len(text) > MAX_CSV_CHARS:
        return CsvReport(rows=[], ok=False, file_problem="team.csv.too_large")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "email" not in header or "role" not in header:
        return CsvReport(rows=[], ok=False, file_problem="team.csv.header")
    reader.fieldnames = header
    options = list_options(session, principal=principal)
    rows: list[CsvRow] = []
    for index, raw in enumerate(reader, start=2):
        if len(rows) >= MAX_CSV_ROWS:
            return CsvReport(rows=[], ok=False, file_problem="team.csv.too_many")
        raw = {k: (v or "") for k, v in raw.items() if isinstance(k, str)}
        if not any(v.strip() for v in raw.values()):
            continue
        attrs: dict[str, Any] = {k: _csv_values(raw.get(k, "")) for k in LIST_KINDS}
        attrs["class_of_service"] = raw.get("class_of_service", "").strip()
        row = CsvRow(line=index, email=normalize_email(raw.get("email", "")),
                     role=raw.get("role", "").strip().lower(), attributes=attrs)
        if row.role not in INVITABLE_ROLES:
            row.problems.append("team.csv.unknown_role")
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
    return CsvReport(rows=rows, ok=all(not r.problems for r in rows))


def invite_csv(session: Session, *, principal: Principal, text: str, now: datetime) -> CsvReport:
    """Check the whole CSV, then invite every row, or nothing at all if any row is wrong."""
    report = check_csv(session, principal=principal, text=text, now=now)
    if not report.ok:
        return report
    org = session.get(Organization, principal.organization_id)
    options = list_options(session, principal=principal)
    for row in report.rows:
        attrs = clean_attributes(row.attributes, options=options)
        _create_invitation(session, principal=principal, org=org, email=row.email,
                           role=row.role, attributes=attrs, now=now)
    report.sent = True
    return report


