"""Reviews for staff: filtered list, average, distribution and export (R-REV-7)."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from rxapp.models.reviews import Customer, Review

PAGE_SIZE = 50


@dataclass(frozen=True)
class ReviewFilter:
    """Which reviews to show; every field optional."""

    stars: int | None = None
    subject: str | None = None  # "service" or a product SKU
    language: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class ReviewRow:
    """One review as the list and the export show it."""

    id: int
    created_at: datetime
    customer_name: str
    customer_email: str
    subject: str
    product_name: str
    stars: int
    text: str
    language: str
    edited: bool


@dataclass(frozen=True)
class ReviewStats:
    """Count, average stars and the count per star (1..5) of the filtered reviews."""

    count: int
    average: float | None
    distribution: dict[int, int]


def _conditions(organization_id: int, f: ReviewFilter) -> list:
    conds = [Review.organization_id == organization_id]
    if f.stars is not None:
        conds.append(Review.stars == f.stars)
    if f.subject:
        conds.append(Review.subject == f.subject)
    if f.language:
        conds.append(Review.language == f.language)
    if f.since is not None:
        conds.append(col(Review.created_at) >= f.since)
    if f.until is not None:
        conds.append(col(Review.created_at) < f.until)
    return conds


def review_stats(session: Session, *, organization_id: int, filters: ReviewFilter) -> ReviewStats:
    """Average and distribution of the reviews matching the filters (one grouped query)."""
    rows = session.exec(
        select(Review.stars, func.count())
        .where(*_conditions(organization_id, filters))
        .group_by(Review.stars)
    ).all()
    distribution = {star: 0 for star in range(1, 6)}
    for star, n in rows:
        distribution[int(star)] = int(n)
    count = sum(distribution.values())
    total = sum(star * n for star, n in distribution.items())
    return ReviewStats(
        count=count,
        average=round(total / count, 2) if count else None,
        distribution=distribution,
    )


def list_reviews(
    session: Session,
    *,
    organization_id: int,
    filters: ReviewFilter,
    page: int = 0,
    page_size: int = PAGE_SIZE,
) -> list[ReviewRow]:
    """One page of reviews matching the filters, newest first."""
    query = (
        select(Review, Customer.name, Customer.email)
        .join(Customer, col(Customer.id) == Review.customer_id)
        .where(*_conditions(organization_id, filters))
        .order_by(col(Review.created_at).desc(), col(Review.id).desc())
    )
    if page_size:
        query = query.offset(max(page, 0) * page_size).limit(page_size)
    return [
        ReviewRow(
            id=r.id or 0,
            created_at=r.created_at,
            customer_name=name,
            customer_email=email,
            subject=r.subject,
            product_name=r.product_name,
            stars=r.stars,
            text=r.text,
            language=r.language,
            edited=r.edited_at is not None,
        )
        for r, name, email in session.exec(query).all()
    ]


def subjects_of(session: Session, *, organization_id: int) -> list[tuple[str, str]]:
    """The (subject, product name) pairs reviewed so far, for the product filter."""
    rows = session.exec(
        select(Review.subject, func.max(Review.product_name))
        .where(Review.organization_id == organization_id)
        .group_by(Review.subject)
        .order_by(Review.subject)
    ).all()
    return [(s, n or "") for s, n in rows]


def _safe_cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_csv(session: Session, *, organization_id: int, filters: ReviewFilter) -> str:
    """Every review matching the filters as CSV text (formula-safe)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["date", "customer", "email", "subject", "product", "stars", "text", "language", "edited"]
    )
    for r in list_reviews(session, organization_id=organization_id, filters=filters, page_size=0):
        writer.writerow(
            [
                r.created_at.isoformat(),
                _safe_cell(r.customer_name),
                _safe_cell(r.customer_email),
                _safe_cell(r.subject),
                _safe_cell(r.product_name),
                r.stars,
                _safe_cell(r.text),
                r.language,
                "yes" if r.edited else "",
            ]
        )
    return out.getvalue()
