"""Health endpoint: does the database answer."""

import asyncio

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from rxapp import routes
from rxapp.db import get_engine


async def health(_request: Request) -> JSONResponse:
    """Report whether the database answers."""

    def _ping() -> None:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))

    try:
        await asyncio.to_thread(_ping)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return JSONResponse({"ok": False}, status_code=503)
    return JSONResponse({"ok": True})


def health_routes() -> list[Route]:
    """The health check."""
    return [Route(routes.API_HEALTH, health, methods=["GET"])]
