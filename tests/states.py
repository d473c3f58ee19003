"""Build page states outside a browser and call their handlers directly.

A client can send any event with any arguments; these helpers let tests do the
same without a socket, with or without a signed-in session.
"""

import asyncio
import io
from datetime import datetime
from typing import Any

from reflex.istate.data import RouterData
from sqlmodel import Session
from starlette.datastructures import Headers
from starlette.datastructures import UploadFile as StarletteUpload

from rxapp import routes
from rxapp.api.browser import browser_key
from rxapp.api.upload import upload_in_flight
from rxapp.services.accounts import auth

# The hash of the browser id cookie the test "browser" signed in with.
TEST_BROWSER_ID = "test-browser-id-0123456789"
TEST_BROWSER = browser_key(TEST_BROWSER_ID)


def signed_in_token(session: Session, user_id: int, now: datetime) -> str:
    """Create a real session for a user and return its raw token (as the cookie holds it)."""
    ticket = auth.issue_login_ticket(session, user_id=user_id, now=now, browser_key=TEST_BROWSER)
    token = auth.redeem_login_ticket(
        session, ticket=ticket, now=now, browser_key=TEST_BROWSER
    )
    session.commit()
    assert token
    return token


def make_state(
    state_cls: type,
    *,
    token: str | None = None,
    path: str = "/",
    browser: str | None = TEST_BROWSER_ID,
    ip: str = "127.0.0.1",
    client_token: str = "tab-token-1",
):
    """A state instance whose socket handshake carried ``token`` as the session cookie.

    ``browser`` is the browser id cookie the handshake carried (None: none), ``ip`` the
    client address Reflex saw, ``client_token`` the tab's token.
    """
    state = state_cls(_reflex_internal_init=True)
    headers = {"origin": "http://localhost:3000"}
    cookies = ["other=1"]
    if token is not None:
        cookies.insert(0, f"{routes.SESSION_COOKIE}={token}")
    if browser is not None:
        cookies.append(f"{routes.BROWSER_COOKIE}={browser}")
    headers["cookie"] = "; ".join(cookies)
    state.router = RouterData.from_router_data(
        {"headers": headers, "pathname": path, "asPath": path, "ip": ip, "token": client_token}
    )
    return state


def csv_file(data: bytes, filename: str = "p.csv") -> StarletteUpload:
    """An uploaded CSV file, as the upload endpoint hands it to a state."""
    return StarletteUpload(io.BytesIO(data), filename=filename,
                           headers=Headers({"content-type": "text/csv"}))


async def receive_csv(state: Any, data: bytes) -> Any:  # noqa: ANN401 - what the handler returns
    """Upload ``data`` to a page's CSV box the way the upload endpoint does (its cookie)."""
    cookie = f"{routes.SESSION_COOKIE}={state._session_token()}"
    with upload_in_flight(state.router.session.client_token, cookie):
        return await state.receive_csv([csv_file(data)])


def run_import(state: Any) -> Any:  # noqa: ANN401 - the background handler's coroutine
    """The page's ``run_import`` background handler, called directly (await it)."""
    return type(state).event_handlers["run_import"].fn(state)


async def start_import(state: Any, data: bytes) -> "asyncio.Task[Any]":
    """Upload ``data``, start the import and return its task once rows are coming in."""
    assert await receive_csv(state, data) is type(state).run_import
    task = asyncio.create_task(run_import(state))
    for _ in range(200):
        await asyncio.sleep(0.02)
        if state.import_done:
            break
    return task
