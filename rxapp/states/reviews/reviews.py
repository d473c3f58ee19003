"""Staff's reviews list: filters, average, distribution, export link (R-REV-7)."""

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

import reflex as rx
from babel.dates import format_datetime

from rxapp import routes
from rxapp.db import session_scope
from rxapp.models import LANGUAGES, Module
from rxapp.services.reviews.stats import (
    PAGE_SIZE,
    ReviewFilter,
    list_reviews,
    review_stats,
    subjects_of,
)
from rxapp.states.base import STAFF, AppState

_FILTERS = ("stars", "subject", "language", "since", "until")


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class ReviewsState(AppState):
    """The filtered reviews of the organization."""

    stars: str = "all"
    subject: str = "all"
    filter_language: str = "all"
    since: str = ""
    until: str = ""
    page: int = 0

    rows: list[dict[str, str]] = []
    count: int = 0
    average: str = "—"
    distribution: list[dict[str, str]] = []
    subjects: list[list[str]] = []

    def _guard(self):  # noqa: ANN202
        return self._require_module(Module.REVIEWS.value, *STAFF)

    def _filter(self) -> ReviewFilter:
        since, until = _day(self.since), _day(self.until)
        return ReviewFilter(
            stars=int(self.stars) if self.stars in {"1", "2", "3", "4", "5"} else None,
            subject=None if self.subject == "all" else self.subject,
            language=self.filter_language if self.filter_language in LANGUAGES else None,
            since=datetime.combine(since, time(), tzinfo=UTC) if since else None,
            until=datetime.combine(until, time(), tzinfo=UTC) + timedelta(days=1)
            if until
            else None,
        )

    def _reload(self, organization_id: int) -> None:
        f = self._filter()
        with session_scope() as session:
            stats = review_stats(session, organization_id=organization_id, filters=f)
            rows = list_reviews(session, organization_id=organization_id, filters=f, page=self.page)
            self.subjects = [
                [s, n or s] for s, n in subjects_of(session, organization_id=organization_id)
            ]
        self.count = stats.count
        self.average = f"{stats.average:.2f}" if stats.average is not None else "—"
        top = max(stats.distribution.values()) or 1
        self.distribution = [
            {
                "stars": str(star),
                "n": str(stats.distribution[star]),
                "width": f"{round(100 * stats.distribution[star] / top)}%",
            }
            for star in range(5, 0, -1)
        ]
        lang = self.language
        self.rows = [
            {
                "id": str(r.id),
                "when": format_datetime(r.created_at, "d MMM y", tzinfo="UTC", locale=lang),
                "customer": r.customer_name or r.customer_email,
                "subject": r.product_name
                if r.subject != "service"
                else self._tr("reviews.subject_service"),
                "stars": "★" * r.stars + "☆" * (5 - r.stars),
                "n": str(r.stars),
                "text": r.text,
                "language": r.language,
                "edited": "1" if r.edited else "",
            }
            for r in rows
        ]

    @rx.var
    def export_query(self) -> str:
        """Query string of the export link for the current filters."""
        params = {
            "stars": self.stars if self.stars != "all" else "",
            "subject": self.subject if self.subject != "all" else "",
            "language": self.filter_language if self.filter_language != "all" else "",
            "since": self.since,
            "until": self.until,
        }
        return "?" + urlencode({k: v for k, v in params.items() if v})

    @rx.var
    def export_path(self) -> str:
        """The export endpoint's path."""
        return routes.API_REVIEWS_EXPORT

    @rx.var
    def has_more(self) -> bool:
        """Whether another page follows."""
        return (self.page + 1) * PAGE_SIZE < self.count

    @rx.event
    def load(self) -> None:
        """Every review, newest first."""
        principal = self._guard()
        if principal is None:
            return
        self.page = 0
        self._reload(principal.organization_id)

    @rx.event
    def set_filter(self, name: str, value: str) -> None:
        """Change one filter and reload from the first page."""
        principal = self._guard()
        if principal is None or name not in _FILTERS or not isinstance(value, str):
            return
        attr = "filter_language" if name == "language" else name
        setattr(self, attr, value[:100])
        self.page = 0
        self._reload(principal.organization_id)

    @rx.event
    def go_page(self, delta: int) -> None:
        """Next or previous page."""
        principal = self._guard()
        if principal is None or delta not in (-1, 1):
            return
        self.page = max(self.page + delta, 0)
        self._reload(principal.organization_id)
