"""Purchases from a CSV file, through the shared import pipeline (§4, issue 11 point 1).

The same reading as every other import (:mod:`rxapp.services.common.csv_import`):
encoding and delimiter detected, headers matched in en/de/fr/sv, a mapping step when
email, order reference or a moment (purchased at or used at) are not found by name. The
whole file is checked before anything is written (all or nothing), every bad row
reported with its line. Then the purchases are recorded through
:func:`record_purchases`, which keeps the rules of every other way in: a repeated order
reference changes nothing, the frequency cap holds, and each purchase's emails are
scheduled in the same transaction.

Cells: moments are ISO 8601 (``2026-03-01T10:00:00+01:00``), ``2026-03-01 10:00`` or
``01.03.2026 10:00``; a moment without a zone is read in the row's time zone, else the
organization's; a date alone is 00:00 UTC. Products are ``SKU:name|SKU:name``.
Empty language and time zone take the organization's.
"""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from rxapp.models import Organization
from rxapp.models.reviews import PurchaseSource
from rxapp.services.common import csv_import
from rxapp.services.common.csv_import import CsvFileError, FieldSpec
from rxapp.services.common.errors import DomainError
from rxapp.services.common.person_fields import clean_language, zone_ok
from rxapp.services.interactions.participant_import import ImportReport, RowError, _unformula
from rxapp.services.reviews.purchase_input import validate_purchase
from rxapp.services.reviews.purchases import MAX_BATCH, PurchaseInput, record_purchases

logger = logging.getLogger(__name__)

FIELDS = (
    FieldSpec("email", required=True),
    FieldSpec(
        "customer_name",
        aliases=(
            "name", "customer", "customer name", "full name", "kunde", "kundenname",
            "name des kunden", "client", "nom", "nom du client", "nom complet", "kund",
            "kundnamn", "namn", "fullständigt namn",
        ),
    ),
    FieldSpec("language"),
    FieldSpec("time_zone"),
    FieldSpec("order_reference", required=True),
    FieldSpec("purchased_at"),
    FieldSpec("used_at"),
    FieldSpec("products"),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
MOMENTS = ("purchased_at", "used_at")  # at least one must be mapped
MAX_ROWS = 20_000
ProgressCallback = Callable[[int, int], None]
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


@dataclass
class PurchaseImportReport(ImportReport):
    """An import's report, with what recording the purchases did."""

    duplicates: int = 0
    capped: int = 0


def _moment(value: str, zone: str) -> datetime:
    """Read a moment; a naive one is in ``zone``.

    Raises:
        ValueError: Not a moment.

    """
    value = value.strip()
    dotted = _DOTTED.fullmatch(value)
    if dotted:
        day, month, year, hour, minute, second = dotted.groups()
        if hour is None:
            return datetime(int(year), int(month), int(day), tzinfo=UTC)
        naive = datetime(int(year), int(month), int(day), int(hour), int(minute),
                         int(second or 0))
        return naive.replace(tzinfo=ZoneInfo(zone))
    if len(value) == 10:
        day_only = date.fromisoformat(value)
        return datetime(day_only.year, day_only.month, day_only.day, tzinfo=UTC)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))


def _products(value: str) -> tuple[tuple[str, str], ...]:
    items = []
    for part in (value or "").split("|"):
        if part.strip():
            sku, _, name = part.partition(":")
            items.append((sku.strip(), _unformula(name.strip())))
    return tuple(items)


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
    if not set(MOMENTS) & set(chosen):
        missing.append(MOMENTS[0])
    if missing:
        report.needs_mapping = True
        report.errors.append(RowError(line=1, field=",".join(missing),
                                      code="import.missing_columns"))
        return None
    return chosen


def _row_purchase(row: dict[str, str], language: str, zone: str) -> PurchaseInput:
    """Check one row.

    Raises:
        DomainError: With the file field at fault.

    """
    lang = clean_language(row.get("language", ""), language)
    if lang is None:
        raise DomainError("reviews.language_invalid", "language")
    row_zone = row.get("time_zone", "").strip()
    if row_zone and not zone_ok(row_zone):
        raise DomainError("reviews.timezone_invalid", "time_zone")
    used = row.get("used_at", "").strip()
    field = "used_at" if used else "purchased_at"
    try:
        occurred = _moment(used or row.get("purchased_at", ""), row_zone or zone)
    except (ValueError, OverflowError):
        raise DomainError("reviews.time_invalid", field) from None
    item = PurchaseInput(
        email=row.get("email", ""),
        order_reference=row.get("order_reference", ""),
        occurred_at=occurred,
        name=_unformula(row.get("customer_name", "")),
        language=lang,
        timezone=row_zone,
        products=_products(row.get("products", "")),
    )
    try:
        return validate_purchase(item)
    except DomainError as exc:
        names = {"timezone": "time_zone", "name": "customer_name", "occurred_at": field}
        raise DomainError(exc.code, names.get(exc.field or "", exc.field)) from None


def check_purchases_csv(
    session: Session,
    *,
    organization_id: int,
    data: bytes,
    progress: ProgressCallback | None = None,
    mapping: list[str] | None = None,
) -> tuple[PurchaseImportReport, list[PurchaseInput]]:
    """Check a whole purchases CSV; nothing is written.

    Args:
        session: The caller's session (reads the organization's defaults).
        organization_id: The organizer's organization.
        data: The file's bytes: UTF-8 (BOM or not), UTF-16 or Windows-1252; comma,
            semicolon or tab; headers in en/de/fr/sv.
        progress: Called as ``progress(done, total)`` while rows are checked.
        mapping: Per file column, the field it fills (``""``: ignored); None matches by
            header name.

    Returns:
        The report (``needs_mapping`` asks for the mapping step, ``ok`` tells whether
        the file can be recorded) and the checked purchases.

    """
    report = PurchaseImportReport()
    try:
        parsed = csv_import.read_csv(data, max_rows=MAX_ROWS)
    except CsvFileError as exc:
        report.errors.append(RowError(line=1, field=None, code=exc.code))
        report.file_params = exc.params
        return report, []
    report.encoding, report.delimiter = parsed.encoding, parsed.delimiter
    report.columns = parsed.columns
    report.preview = csv_import.preview(parsed)
    chosen = _mapping_for(parsed, mapping, report)
    if chosen is None:
        return report, []
    org = session.get(Organization, organization_id)
    language = org.default_language if org else "en"
    zone = org.timezone if org and zone_ok(org.timezone) else "UTC"
    total = report.total_rows = len(parsed.rows)
    if progress:
        progress(0, total)
    good: list[PurchaseInput] = []
    step = max(1, total // 50)
    for done, (line, row) in enumerate(csv_import.records(parsed, chosen), start=1):
        try:
            item = _row_purchase(row, language, zone)
        except DomainError as exc:
            report.errors.append(RowError(line=line, field=exc.field, code=exc.code))
        else:
            if not report.errors:
                good.append(item)
        if progress and (done % step == 0 or done == total):
            progress(done, total)
    return report, ([] if report.errors else good)


def import_purchases_csv(
    session: Session,
    *,
    organization_id: int,
    data: bytes,
    now: datetime,
    progress: ProgressCallback | None = None,
    mapping: list[str] | None = None,
) -> PurchaseImportReport:
    """Import purchases from a CSV file, all or nothing, in the caller's transaction.

    See :func:`check_purchases_csv` for the arguments. When every row is fine, the
    purchases are recorded in batches of :data:`MAX_BATCH` (flushed, not committed);
    repeated order references are counted as duplicates and change nothing.

    Returns:
        The report: ``imported`` new purchases, ``duplicates``, ``capped``.

    """
    report, items = check_purchases_csv(
        session, organization_id=organization_id, data=data, progress=progress,
        mapping=mapping,
    )
    if not report.ok:
        logger.info("purchase import refused",
                    extra={"organization_id": organization_id, "bad_rows": len(report.errors)})
        return report
    for start in range(0, len(items), MAX_BATCH):
        for result in record_purchases(
            session,
            organization_id=organization_id,
            items=items[start : start + MAX_BATCH],
            source=PurchaseSource.CSV.value,
            now=now,
        ):
            if not result.created:
                report.duplicates += 1
            else:
                report.imported += 1
                report.capped += int(result.capped)
        if progress:
            progress(min(start + MAX_BATCH, len(items)), len(items))
    logger.info("purchases imported",
                extra={"organization_id": organization_id, "count": report.imported})
    return report
