"""Pausing the whole outbox while the mail server refuses our sender (issue 14).

The pause lives in the database (``services.common.sending_pause``), so every worker in
every process stops, and admins see it. Each worker, while paused, asks the server now
and then (MAIL FROM, then RSET: nothing is sent) and ends the pause when it answers 2xx.
"""

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from rxapp.mail.outcomes import SendOutcome, SendResult
from rxapp.mail.transport import Transport
from rxapp.services.common import sending_pause

logger = logging.getLogger(__name__)

# While paused, ask the server this often whether it takes our sender again.
PAUSE_PROBE_SECONDS = 30.0
# A running worker reads the shared pause at most this often.
PAUSE_READ_SECONDS = 1.0


class SendingPauseGate:
    """One worker's view of the shared pause.

    Args:
        engine: Database engine.
        transport: The transport; its ``probe_sender`` asks the server (the built-in
            mailbox has none and never refuses a sender).
        sender: Envelope sender address.
        clock: Aware "now" for the stored times.
        monotonic: Times the probes.
        timeout: Deadline of one probe.
        worker_id: For the logs.

    """

    def __init__(
        self,
        *,
        engine: Engine,
        transport: Transport,
        sender: str,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float],
        timeout: float,
        worker_id: str,
    ) -> None:
        self.engine = engine
        self.transport = transport
        self.sender = sender
        self.clock = clock
        self.monotonic = monotonic
        self.timeout = timeout
        self.worker_id = worker_id
        self._last_probe = float("-inf")
        self._read_at = float("-inf")
        self.paused = False

    def pause(self, reply: str) -> None:
        """Pause sending for everyone (database thread); log the alert once."""
        self.paused = True
        with Session(self.engine) as session:
            if sending_pause.pause_sending(session, reply=reply, now=self.clock()):
                logger.error(
                    "sending paused: the mail server refuses the sender %s: %s",
                    self.sender,
                    reply,
                    extra={"worker": self.worker_id},
                )

    def is_paused(self) -> bool:
        """Whether sending is paused (database thread)."""
        with Session(self.engine) as session:
            return sending_pause.get_pause(session) is not None

    def _after_probe(self, answer: SendResult) -> bool:
        with Session(self.engine) as session:
            if answer.accepted:
                if sending_pause.resume_sending(session):
                    logger.warning(
                        "sending resumed: the mail server takes the sender again",
                        extra={"worker": self.worker_id, "reply": answer.detail},
                    )
                return False
            if answer.outcome is SendOutcome.SENDER_REFUSED:
                sending_pause.record_probe(session, reply=answer.detail, now=self.clock())
            return True

    async def probe(self, in_db: Callable[..., Awaitable[Any]], *, force: bool = False) -> bool:
        """Ask the server again when the interval has passed; return whether still paused.

        Args:
            in_db: Runs a function in the worker's database thread.
            force: Probe now, whatever the interval.

        """
        probe_sender = getattr(self.transport, "probe_sender", None)
        if probe_sender is None:
            return await in_db(self._after_probe, SendResult(SendOutcome.ACCEPTED))
        if not force and self.monotonic() - self._last_probe < PAUSE_PROBE_SECONDS:
            return True
        self._last_probe = self.monotonic()
        answer = await probe_sender(self.sender, timeout=self.timeout)
        return await in_db(self._after_probe, answer)

    async def check(self, in_db: Callable[..., Awaitable[Any]], *, force: bool = False) -> bool:
        """Read the shared pause and, when paused, probe the server now and then.

        Args:
            in_db: Runs a function in the worker's database thread.
            force: Read and probe now, whatever the intervals (``run_once``).

        Returns:
            Whether sending is paused.

        """
        recently = self.monotonic() - self._read_at < PAUSE_READ_SECONDS
        if not force and not self.paused and recently:
            return False  # read recently; claims come many times a second under load
        self._read_at = self.monotonic()
        self.paused = await in_db(self.is_paused)
        if self.paused:
            self.paused = await self.probe(in_db, force=force)
        return self.paused
