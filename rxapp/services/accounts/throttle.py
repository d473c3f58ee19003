"""Slowing down password guessing and reset-mail floods, without locking anyone out.

Failed sign-ins are counted three ways: per address, per client (network address) and
per browser (its id cookie). Each count is free up to a threshold, then every further
failure makes the next attempt wait longer (2 s, 4 s, 8 s ... up to 15 minutes); there
is no hard lock. A browser in which the user signed in successfully before (a trusted
browser) is held only to its own count, so a guesser hammering an admin's address, even
from the same network, does not keep the admin out of their usual browser.

Reset requests are limited per address (emails actually sent), per client, and in all.
Every key is stored as a SHA-256, so this table names no address.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, func, select

from rxapp.models import ThrottleHit

# Scopes of ThrottleHit rows.
FAIL_ADDRESS = "fail_address"
FAIL_CLIENT = "fail_client"
FAIL_BROWSER = "fail_browser"
TRUSTED = "trusted_browser"
RESET_ADDRESS = "reset_address"
RESET_CLIENT = "reset_client"

FAILURE_WINDOW = timedelta(hours=1)
TRUSTED_FOR = timedelta(days=180)
FREE_FAILURES = {FAIL_ADDRESS: 5, FAIL_BROWSER: 10, FAIL_CLIENT: 30}
FIRST_DELAY_SECONDS = 2
MAX_DELAY_SECONDS = 15 * 60

RESET_WINDOW = timedelta(hours=1)
RESET_EMAILS_PER_ADDRESS = 3
RESET_REQUESTS_PER_CLIENT = 20
# Across all addresses and clients: a flood from many networks cannot turn the app into
# a mail cannon either.
RESET_EMAILS_PER_HOUR = 500


@dataclass(frozen=True)
class Client:
    """Where an attempt comes from: network address and browser key ("" when unknown)."""

    address: str = ""
    browser: str = ""


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def delay_after(failures: int, free: int) -> int:
    """Seconds to wait after ``failures`` failures when ``free`` of them cost nothing."""
    if failures < free:
        return 0
    return min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** min(failures - free, 20))


def _wait(session: Session, scope: str, key: str, now: datetime) -> int:
    count, last = session.exec(
        select(func.count(), func.max(ThrottleHit.at)).where(
            ThrottleHit.scope == scope,
            ThrottleHit.key == key,
            ThrottleHit.at > now - FAILURE_WINDOW,
        )
    ).one()
    delay = delay_after(int(count or 0), FREE_FAILURES[scope])
    if not delay or last is None:
        return 0
    remaining = (last + timedelta(seconds=delay) - now).total_seconds()
    return max(0, int(remaining + 0.999))


def is_trusted(session: Session, *, email: str, client: Client, now: datetime) -> bool:
    """Whether the user of ``email`` signed in from this browser before (within 180 days)."""
    if not client.browser:
        return False
    found = session.exec(
        select(ThrottleHit.id).where(
            ThrottleHit.scope == TRUSTED,
            ThrottleHit.key == _key(email, client.browser),
            ThrottleHit.at > now - TRUSTED_FOR,
        )
    ).first()
    return found is not None


def sign_in_wait(session: Session, *, email: str, client: Client, now: datetime) -> int:
    """Seconds before this client may try this address again (0: go ahead)."""
    waits = [0]
    if client.browser:
        waits.append(_wait(session, FAIL_BROWSER, _key(client.browser), now))
    if not is_trusted(session, email=email, client=client, now=now):
        waits.append(_wait(session, FAIL_ADDRESS, _key(email), now))
        if client.address:
            waits.append(_wait(session, FAIL_CLIENT, _key(client.address), now))
    return max(waits)


def record_failure(session: Session, *, email: str, client: Client, now: datetime) -> None:
    """Count one failed sign-in for the address, the client and the browser."""
    session.exec(  # type: ignore[call-overload]
        delete(ThrottleHit).where(
            col(ThrottleHit.scope).in_(tuple(FREE_FAILURES)),
            ThrottleHit.at <= now - FAILURE_WINDOW,
        )
    )
    session.add(ThrottleHit(scope=FAIL_ADDRESS, key=_key(email), at=now))
    if client.address:
        session.add(ThrottleHit(scope=FAIL_CLIENT, key=_key(client.address), at=now))
    if client.browser:
        session.add(ThrottleHit(scope=FAIL_BROWSER, key=_key(client.browser), at=now))


def record_success(session: Session, *, email: str, client: Client, now: datetime) -> None:
    """Trust this browser for this address from now on, and forget its own failures."""
    if not client.browser:
        return
    trusted = _key(email, client.browser)
    session.exec(  # type: ignore[call-overload]
        delete(ThrottleHit).where(
            (ThrottleHit.scope == TRUSTED) & (ThrottleHit.key == trusted)
            | (ThrottleHit.scope == FAIL_BROWSER) & (ThrottleHit.key == _key(client.browser))
        )
    )
    session.add(ThrottleHit(scope=TRUSTED, key=trusted, at=now))


def _count(session: Session, scope: str, key: str, since: datetime) -> int:
    return int(
        session.exec(
            select(func.count()).where(
                ThrottleHit.scope == scope, ThrottleHit.key == key, ThrottleHit.at > since
            )
        ).one()
    )


def reset_allowed(session: Session, *, email: str, client: Client, now: datetime) -> bool:
    """Count a reset request; whether it may send an email (per address and per client).

    Called the same way for known and unknown addresses, so the work (and the time it
    takes) says nothing about which addresses exist.
    """
    session.exec(  # type: ignore[call-overload]
        delete(ThrottleHit).where(
            col(ThrottleHit.scope).in_((RESET_ADDRESS, RESET_CLIENT)),
            ThrottleHit.at <= now - RESET_WINDOW,
        )
    )
    since = now - RESET_WINDOW
    by_address = _count(session, RESET_ADDRESS, _key(email), since)
    by_client = _count(session, RESET_CLIENT, _key(client.address), since) if client.address else 0
    in_all = int(
        session.exec(
            select(func.count()).where(ThrottleHit.scope == RESET_ADDRESS, ThrottleHit.at > since)
        ).one()
    )
    allowed = (
        by_address < RESET_EMAILS_PER_ADDRESS
        and by_client < RESET_REQUESTS_PER_CLIENT
        and in_all < RESET_EMAILS_PER_HOUR
    )
    if client.address:
        session.add(ThrottleHit(scope=RESET_CLIENT, key=_key(client.address), at=now))
    if allowed:
        session.add(ThrottleHit(scope=RESET_ADDRESS, key=_key(email), at=now))
    return allowed
