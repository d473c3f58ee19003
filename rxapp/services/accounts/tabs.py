"""A tab's Reflex client token is usable only from the browser that first used it."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, delete

from rxapp.models import TabBinding

# Tabs stay open for days at most; a binding older than this is forgotten (and redone).
KEEP_FOR = timedelta(days=30)


def _hash(client_token: str) -> str:
    return hashlib.sha256(client_token.encode("utf-8")).hexdigest()


def tab_allowed(session: Session, *, client_token: str, browser_key: str, now: datetime) -> bool:
    """Whether this browser may use this tab token; the first browser to use it binds it.

    A browser without an id cookie yet (a development server's first page) neither binds
    nor may use a bound token.
    """
    if not client_token or len(client_token) > 200:
        return True  # Reflex itself ignores a socket without a token
    key = _hash(client_token)
    row = session.get(TabBinding, key)
    if row is not None and row.created_at > now - KEEP_FOR:
        return bool(browser_key) and hmac.compare_digest(row.browser_key, browser_key)
    if not browser_key:
        return True
    if row is not None:
        session.delete(row)
        session.flush()
    if secrets.randbelow(200) == 0:
        session.exec(delete(TabBinding).where(TabBinding.created_at <= now - KEEP_FOR))  # type: ignore[call-overload]
    try:
        with session.begin_nested():
            session.add(TabBinding(token_hash=key, browser_key=browser_key, created_at=now))
    except IntegrityError:
        # Another socket bound it at the same moment: that binding decides.
        winner = session.get(TabBinding, key)
        return winner is not None and hmac.compare_digest(winner.browser_key, browser_key)
    return True
