"""Reviews export for staff (R-REV-7): the filtered reviews as CSV, behind the one guard."""

from datetime import UTC, date, datetime, time, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from rxapp import routes
from rxapp.api.guard import Denied, denied_response, guarded
from rxapp.models.accounts import Module
from rxapp.models.common import LANGUAGES
from rxapp.services.reviews.stats import ReviewFilter, export_csv


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filter_from_query(query) -> ReviewFilter:  # noqa: ANN001 - Starlette's QueryParams
    """Read the list's filters from query parameters; bad values are ignored."""
    stars = query.get("stars")
    since, until = _day(query.get("since")), _day(query.get("until"))
    language = query.get("language")
    return ReviewFilter(
        stars=int(stars) if stars in {"1", "2", "3", "4", "5"} else None,
        subject=(query.get("subject") or None) and query.get("subject")[:100],
        language=language if language in LANGUAGES else None,
        since=datetime.combine(since, time(), tzinfo=UTC) if since else None,
        until=datetime.combine(until, time(), tzinfo=UTC) + timedelta(days=1) if until else None,
    )


async def export_reviews_csv(request: Request) -> Response:
    """Download the organization's reviews matching the filters as CSV."""
    filters = filter_from_query(request.query_params)
    try:
        content = await guarded(
            request,
            lambda s, p: export_csv(s, organization_id=p.organization_id, filters=filters),
            module=Module.REVIEWS.value,
        )
    except Denied as exc:
        return denied_response(exc)
    return Response(
        content.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="reviews.csv"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def review_routes() -> list[Route]:
    """The reviews export."""
    return [Route(routes.API_REVIEWS_EXPORT, export_reviews_csv, methods=["GET"])]
