"""Downloads for staff: results exports, a participant link's QR code, the PDF report.

R-INT-7, R-INT-9. Each endpoint resolves the HttpOnly session cookie on the server and
serves only the caller's organization: no cookie, or a role other than admin/organizer,
is 403; an interaction of another organization is 404, as if it did not exist.
"""


from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from rxapp import routes
from rxapp.api.guard import Denied, denied_response, guarded
from rxapp.models.accounts import Module
from rxapp.models.participants import InteractionState
from rxapp.services.accounts import auth
from rxapp.services.common.errors import NotFound
from rxapp.services.common.qr import qr_svg
from rxapp.services.interactions import get_interaction, link_of
from rxapp.services.interactions.reports import (
    REPORT_FILENAME,
    build_report_pdf,
    results_csv,
    results_xlsx,
)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        content = await guarded(
            request,
            lambda s, p: results_csv(
                s, organization_id=p.organization_id, language=_language(request, p),
                separator=request.query_params.get("sep", ""),
            ),
            module=Module.INTERACTIONS.value,
        )
    except Denied as exc:
        return denied_response(exc)
    return _download(content, "text/csv; charset=utf-8", "results.csv")


async def export_results_xlsx(request: Request) -> Response:
    """Download the organization's results as an Excel workbook (R-INT-9)."""
    try:
        content = await guarded(
            request,
            lambda s, p: results_xlsx(
                s, organization_id=p.organization_id, language=_language(request, p)
            ),
            module=Module.INTERACTIONS.value,
        )
    except Denied as exc:
        return denied_response(exc)
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
        svg = await guarded(request, _work, module=Module.INTERACTIONS.value)
    except Denied as exc:
        return denied_response(exc)
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
        pdf = await guarded(request, _work, module=Module.INTERACTIONS.value)
    except Denied as exc:
        return denied_response(exc)
    return _download(pdf, "application/pdf", REPORT_FILENAME)


def export_routes() -> list[Route]:
    """Return the download routes, to mount in the API app (rxapp/api.py)."""
    return [
        Route(routes.API_EXPORT_RESULTS_CSV, export_results_csv, methods=["GET"]),
        Route(routes.API_EXPORT_RESULTS_XLSX, export_results_xlsx, methods=["GET"]),
        Route(routes.API_INTERACTION_QR, interaction_qr, methods=["GET"]),
        Route(routes.API_INTERACTION_REPORT, interaction_report, methods=["GET"]),
    ]
