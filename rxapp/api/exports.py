"""Downloads for staff: results exports, a participant link's QR code, the PDF report.

R-INT-7, R-INT-9. Each endpoint resolves the HttpOnly session cookie on the server and
serves only the caller's organization: no cookie, or a role other than admin/organizer,
is 403; an interaction of another organization is 404, as if it did not exist.
"""

import asyncio
from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from rxapp import clock, routes
from rxapp.db import session_scope
from rxapp.models.accounts import Module, Role
from rxapp.models.participants import InteractionState
from rxapp.services.accounts import auth
from rxapp.services.common.errors import NotAllowed, NotFound
from rxapp.services.common.qr import qr_svg
from rxapp.services.interactions import get_interaction, link_of
from rxapp.services.interactions.reports import (
    REPORT_FILENAME,
    build_report_pdf,
    results_csv,
    results_xlsx,
)

API_EXPORT_RESULTS_CSV = "/api/export/results.csv"
API_EXPORT_RESULTS_XLSX = "/api/export/results.xlsx"
API_INTERACTION_QR = "/api/interactions/{interaction_id:int}/qr.svg"
API_INTERACTION_REPORT = "/api/interactions/{interaction_id:int}/report.pdf"

STAFF_ROLES = (Role.ADMIN.value, Role.ORGANIZER.value)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

T = TypeVar("T")


class _Denied(Exception):
    """The caller may not see this; answered with the status code."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _staff(session: Session, request: Request) -> auth.Principal:
    principal = auth.resolve_session(
        session, token=request.cookies.get(routes.SESSION_COOKIE), now=clock.now()
    )
    if principal is None or not principal.has_role(*STAFF_ROLES):
        raise _Denied(403)
    if Module.INTERACTIONS.value not in principal.modules:
        raise _Denied(403)
    return principal


async def _guarded(request: Request, work: Callable[[Session, auth.Principal], T]) -> T:
    """Run ``work`` for a staff member in one database session, off the event loop."""

    def _run() -> T:
        with session_scope() as session:
            principal = _staff(session, request)
            try:
                return work(session, principal)
            except (NotFound, NotAllowed) as exc:
                # Another organization's id looks exactly like a missing one.
                raise _Denied(404) from exc

    return await asyncio.to_thread(_run)


def _denied(exc: _Denied) -> Response:
    text = "Forbidden" if exc.status == 403 else "Not found"
    return PlainTextResponse(text, status_code=exc.status, headers={"Cache-Control": "no-store"})


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _language(request: Request, principal: auth.Principal) -> str:
    return request.query_params.get("lang") or principal.language


async def export_results_csv(request: Request) -> Response:
    """Download the organization's results as CSV (R-INT-9)."""
    try:
        content = await _guarded(
            request,
            lambda s, p: results_csv(
                s, organization_id=p.organization_id, language=_language(request, p)
            ),
        )
    except _Denied as exc:
        return _denied(exc)
    return _download(content, "text/csv; charset=utf-8", "results.csv")


async def export_results_xlsx(request: Request) -> Response:
    """Download the organization's results as an Excel workbook (R-INT-9)."""
    try:
        content = await _guarded(
            request,
            lambda s, p: results_xlsx(
                s, organization_id=p.organization_id, language=_language(request, p)
            ),
        )
    except _Denied as exc:
        return _denied(exc)
    return _download(content, XLSX_MIME, "results.xlsx")


async def interaction_qr(request: Request) -> Response:
    """Serve the QR code of an interaction's participant link (R-INT-7)."""
    interaction_id = int(request.path_params["interaction_id"])

    def _work(session: Session, principal: auth.Principal) -> str:
        interaction = get_interaction(
            session, organization_id=principal.organization_id, interaction_id=interaction_id
        )
        if interaction.state == InteractionState.DELETED.value:
            raise NotFound("interaction.not_found")  # its link no longer works (R-INT-10)
        return qr_svg(link_of(interaction))

    try:
        svg = await _guarded(request, _work)
    except _Denied as exc:
        return _denied(exc)
    # The code carries a live link: never kept by a shared cache.
    return Response(
        svg,
        media_type="image/svg+xml",
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )


async def interaction_report(request: Request) -> Response:
    """Download a completed interaction's PDF report (R-INT-9); 404 before completion."""
    interaction_id = int(request.path_params["interaction_id"])

    def _work(session: Session, principal: auth.Principal) -> bytes:
        # No ?lang: the participant's language, as in the report email.
        return build_report_pdf(
            session,
            organization_id=principal.organization_id,
            interaction_id=interaction_id,
            language=request.query_params.get("lang", ""),
        )

    try:
        pdf = await _guarded(request, _work)
    except _Denied as exc:
        return _denied(exc)
    return _download(pdf, "application/pdf", REPORT_FILENAME)


def export_routes() -> list[Route]:
    """Return the download routes, to mount in the API app (rxapp/api.py)."""
    return [
        Route(API_EXPORT_RESULTS_CSV, export_results_csv, methods=["GET"]),
        Route(API_EXPORT_RESULTS_XLSX, export_results_xlsx, methods=["GET"]),
        Route(API_INTERACTION_QR, interaction_qr, methods=["GET"]),
        Route(API_INTERACTION_REPORT, interaction_report, methods=["GET"]),
    ]
