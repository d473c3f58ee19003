"""The attendee's calendar files (R-BM-7): one meeting's .ics and a subscribe-able feed.

The agenda token in the path is the only credential, as on the agenda page: an unknown
token, or a meeting of another attendee, is 404 without telling which.
"""

import asyncio

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from rxapp import clock, routes
from rxapp.db import session_scope
from rxapp.services.meetings.agenda_files import feed_for_token, meeting_ics_for_token

ICS_MIME = "text/calendar; charset=utf-8"


def _ics(content: bytes, filename: str, *, download: bool) -> Response:
    disposition = "attachment" if download else "inline"
    return Response(content, media_type=ICS_MIME, headers={
        "Content-Disposition": f'{disposition}; filename="{filename}"',
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer"})


async def meeting_ics(request: Request) -> Response:
    """One meeting's .ics (METHOD:REQUEST, or METHOD:CANCEL once cancelled)."""
    token = request.path_params["token"]
    meeting_id = request.path_params["meeting_id"]

    def work() -> bytes | None:
        with session_scope() as session:
            return meeting_ics_for_token(session, token=token, meeting_id=meeting_id,
                                         now=clock.now())

    content = await asyncio.to_thread(work)
    if content is None:
        return PlainTextResponse("Not found", status_code=404)
    return _ics(content, f"meeting-{meeting_id}.ics", download=True)


async def agenda_feed(request: Request) -> Response:
    """The attendee's confirmed meetings as a calendar a phone can subscribe to."""
    token = request.path_params["token"]

    def work() -> bytes | None:
        with session_scope() as session:
            return feed_for_token(session, token=token, now=clock.now())

    content = await asyncio.to_thread(work)
    if content is None:
        return PlainTextResponse("Not found", status_code=404)
    return _ics(content, "agenda.ics", download=False)


def meetings_routes() -> list[Route]:
    """The meetings feature's HTTP endpoints."""
    return [
        Route(routes.API_AGENDA_ICS, meeting_ics, methods=["GET"]),
        Route(routes.API_AGENDA_FEED, agenda_feed, methods=["GET"]),
    ]
