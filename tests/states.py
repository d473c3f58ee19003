"""Build page states outside a browser and call their handlers directly.

A client can send any event with any arguments; these helpers let tests do the
same without a socket, with or without a signed-in session.
"""

from datetime import datetime

from reflex.istate.data import RouterData
from sqlmodel import Session

from rxapp import routes
from rxapp.services.accounts import auth


def signed_in_token(session: Session, user_id: int, now: datetime) -> str:
    """Create a real session for a user and return its raw token (as the cookie holds it)."""
    ticket = auth.issue_login_ticket(session, user_id=user_id, now=now)
    token = auth.redeem_login_ticket(session, ticket=ticket, now=now)
    session.commit()
    assert token
    return token


def make_state(state_cls: type, *, token: str | None = None, path: str = "/"):
    """A state instance whose socket handshake carried ``token`` as the session cookie."""
    state = state_cls(_reflex_internal_init=True)
    headers = {"origin": "http://localhost:3000"}
    if token is not None:
        headers["cookie"] = f"{routes.SESSION_COOKIE}={token}; other=1"
    state.router = RouterData.from_router_data(
        {"headers": headers, "pathname": path, "asPath": path}
    )
    return state
