"""Marking clean deliveries on PostgreSQL from the event loop itself (issue 14.6).

Each connection's next message waits for its previous mark before its final dot (the
duplicate bound, see ``scheduler.worker``), so the mark's latency is the engine's speed
limit. Through a database thread, a one-row mark took ~2.4 ms on a busy worker: the
thread hand-overs and the interpreter lock cost eight times the database's 0.3 ms. Here
the statement goes out on the event loop over an async psycopg connection in autocommit
(one prewritten statement, atomic on its own: one round trip, commit included).
"""

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import datetime

import psycopg
from sqlalchemy.engine import Engine

from rxapp.models.outbox import OutboxMessage
from rxapp.scheduler.marks import PG_MARK_SENT

logger = logging.getLogger(__name__)


class AsyncPgMarks:
    """Async connections that mark clean deliveries sent (one per mark in flight).

    Args:
        engine: The worker's PostgreSQL engine (its URL; the connections are our own).
        connections: Marks in flight at once.

    """

    def __init__(self, engine: Engine, *, connections: int = 1) -> None:
        url = engine.url.set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        self._idle: list[psycopg.AsyncConnection] = []
        self._slots = asyncio.Semaphore(connections)
        self._closed = False

    async def mark_sent(self, messages: Sequence[OutboxMessage], now: datetime) -> set[int]:
        """Mark messages sent and log them, fenced by their claim tokens.

        Args:
            messages: Claimed messages whose send the server accepted.
            now: Time of the marks.

        Returns:
            The ids still ours and now marked; the others need the careful path.

        Raises:
            psycopg.Error: The write failed (the caller retries while the lease holds);
                the connection is dropped and a new one opened next time.

        """
        params = {
            "now": now,
            "ids": [m.id for m in messages],
            "tokens": [m.claim_token for m in messages],
        }
        async with self._slots:
            conn = self._idle.pop() if self._idle else None
            if conn is None or conn.closed:
                conn = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
            try:
                cursor = await conn.execute(PG_MARK_SENT, params)
                marked = {row[0] for row in await cursor.fetchall()}
            except BaseException:
                # The statement may or may not have run: never reuse the connection.
                with contextlib.suppress(Exception):
                    await conn.close()
                raise
            if self._closed:
                await conn.close()
            else:
                self._idle.append(conn)
            return marked

    async def aclose(self) -> None:
        """Close the idle connections (busy ones close when their mark ends)."""
        self._closed = True
        while self._idle:
            with contextlib.suppress(Exception):
                await self._idle.pop().close()
