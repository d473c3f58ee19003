"""Purchases from a CSV file: check every row first, then record the good ones (§4).

Columns (header row, any order; ``;`` or ``,`` separated): ``email``, ``order_reference``,
``purchased_at`` or ``used_at`` (ISO 8601 with zone, or a date, read as 00:00 UTC),
and optionally ``name``, ``language``, ``timezone``, ``products`` (``SKU:name|SKU:name``).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlmodel import Session

from rxapp.models.reviews import PurchaseSource
from rxapp.services.common.errors import DomainError
from rxapp.services.reviews.purchases import (
    MAX_BATCH,
    PurchaseInput,
    record_purchases,
    validate_purchase,
)

MAX_ROWS = 20_000
REQUIRED = ("email", "order_reference")


@dataclass
class CsvOutcome:
    """What a file holds or did: counts, and the first problems by line."""

    rows: int = 0
    valid: int = 0
    created: int = 0
    duplicates: int = 0
    capped: int = 0
    # (line number, field, catalogue key)
    errors: list[tuple[int, str, str]] = field(default_factory=list)


def _moment(value: str) -> datetime:
    value = value.strip()
    if len(value) == 10:
        day = date.fromisoformat(value)
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _products(value: str) -> tuple[tuple[str, str], ...]:
    items = []
    for part in (value or "").split("|"):
        if part.strip():
            sku, _, name = part.partition(":")
            items.append((sku.strip(), name.strip()))
    return tuple(items)


def parse_csv(text: str) -> tuple[list[PurchaseInput], CsvOutcome]:
    """Read and check every row; nothing is written.

    Returns:
        The valid purchases, and the outcome with counts and per-line errors.

    """
    outcome = CsvOutcome()
    text = (text or "").lstrip("\ufeff")
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    headers = {(h or "").strip().lower() for h in reader.fieldnames or []}
    missing = [h for h in REQUIRED if h not in headers]
    if missing or not ({"purchased_at", "used_at"} & headers):
        outcome.errors.append((1, missing[0] if missing else "purchased_at", "reviews.csv_header"))
        return [], outcome
    good: list[PurchaseInput] = []
    for line, raw in enumerate(reader, start=2):
        if outcome.rows >= MAX_ROWS:
            outcome.errors.append((line, "", "reviews.csv_too_long"))
            break
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        outcome.rows += 1
        try:
            when = row.get("used_at") or row.get("purchased_at") or ""
            try:
                occurred = _moment(when)
            except ValueError:
                raise DomainError("reviews.time_invalid", "purchased_at") from None
            item = validate_purchase(
                PurchaseInput(
                    email=row.get("email", ""),
                    order_reference=row.get("order_reference", ""),
                    occurred_at=occurred,
                    name=row.get("name", ""),
                    language=row.get("language") or "en",
                    timezone=row.get("timezone", ""),
                    products=_products(row.get("products", "")),
                )
            )
        except DomainError as exc:
            if len(outcome.errors) < 100:
                outcome.errors.append((line, exc.field or "", exc.code))
            continue
        good.append(item)
    outcome.valid = len(good)
    return good, outcome


def import_csv(session: Session, *, organization_id: int, text: str, now: datetime) -> CsvOutcome:
    """Record the file's valid purchases in the caller's transaction (batches of 1,000).

    Rows with errors are reported and skipped; repeated order references are counted
    as duplicates and change nothing.
    """
    items, outcome = parse_csv(text)
    for start in range(0, len(items), MAX_BATCH):
        for result in record_purchases(
            session,
            organization_id=organization_id,
            items=items[start : start + MAX_BATCH],
            source=PurchaseSource.CSV.value,
            now=now,
        ):
            if not result.created:
                outcome.duplicates += 1
            elif result.capped:
                outcome.created += 1
                outcome.capped += 1
            else:
                outcome.created += 1
    return outcome
