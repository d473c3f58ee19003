"""Download an attachment of an email kept in the built-in mailbox (admins only, R-MSG-4).

The file is always served as a download (never rendered inline), so an attached HTML
or SVG file cannot run in the app's origin.
"""

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from rxapp import routes
from rxapp.api.guard import ADMIN, Denied, denied_response, guarded
from rxapp.services.accounts import mailbox


def _ascii_name(filename: str) -> str:
    cleaned = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                      for c in filename)
    return cleaned or "attachment"


async def mailbox_attachment(request: Request) -> Response:
    """One attachment of a kept email of the caller's organization."""
    message_id = request.path_params["message_id"]
    index = request.path_params["index"]
    try:
        found = await guarded(
            request,
            lambda s, p: mailbox.get_attachment(s, organization_id=p.organization_id,
                                                mailbox_id=message_id, position=index),
            roles=ADMIN,
        )
    except Denied as exc:
        return denied_response(exc)
    disposition = (f'attachment; filename="{_ascii_name(found.filename)}"; '
                   f"filename*=UTF-8''{quote(found.filename)}")
    return Response(
        found.content,
        media_type="application/octet-stream" if found.mime.startswith("text/") else found.mime,
        headers={
            "Content-Disposition": disposition,
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def mailbox_routes() -> list[Route]:
    """The mailbox's attachment download."""
    return [Route(routes.API_MAILBOX_ATTACHMENT, mailbox_attachment, methods=["GET"])]
