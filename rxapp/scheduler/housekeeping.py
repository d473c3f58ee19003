"""Periodic housekeeping next to the outbox worker: state that changes with time alone.

Today one step: pending meeting requests whose hold time has passed lapse, with their
notice (R-PLUS-5). It runs as its own small loop beside :class:`Worker` (in the web app's
lifespan task and in ``python -m rxapp.scheduler``), so the send loop stays untouched.
Running it in several processes at once is safe: a request lapses in one transaction
that re-checks its status, and PostgreSQL rows are taken with ``SKIP LOCKED``.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from rxapp.services.meetings import requests

logger = logging.getLogger(__name__)

HOUSEKEEPING_SECONDS = 30.0
MAX_ROUNDS = 20  # at most 20 x 1000 requests a tick; the rest waits for the next one


@dataclass(frozen=True)
class HousekeepingResult:
    """What one housekeeping tick did."""

    lapsed: int = 0


def housekeeping_tick(engine: Engine, *, now: datetime) -> HousekeepingResult:
    """Run every housekeeping step once, each committed on its own.

    Args:
        engine: The database engine.
        now: Current time (aware), from the scheduler's clock.

    Returns:
        How many rows each step changed.

    """
    lapsed = 0
    for _ in range(MAX_ROUNDS):
        with Session(engine) as session:
            count = requests.lapse_due(session, now=now)
            session.commit()
        lapsed += count
        if count < requests.LAPSE_BATCH:
            break
    if lapsed:
        logger.info("meeting requests lapsed", extra={"count": lapsed})
    return HousekeepingResult(lapsed=lapsed)


async def run_housekeeping(
    engine: Engine,
    stop: asyncio.Event,
    *,
    clock: Callable[[], datetime],
    interval: float = HOUSEKEEPING_SECONDS,
) -> None:
    """Tick every ``interval`` seconds until ``stop`` is set; a failed tick is logged.

    Args:
        engine: The database engine.
        stop: Set to end the loop (it ends within one interval, at once when waiting).
        clock: Returns the aware current time.
        interval: Seconds between ticks.

    """
    while not stop.is_set():
        try:
            await asyncio.to_thread(housekeeping_tick, engine, now=clock())
        except Exception:
            # One bad tick must not stop the scheduler; the next one tries again.
            logger.exception("housekeeping tick failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)
