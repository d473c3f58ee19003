"""Keep one repeated warning from turning an overload into a log storm.

Under load every Reflex event that waits for the CPU holds its state lock past Reflex's
one-second warning threshold, and each warning is rendered through rich: at 1,500 tabs on
three workers that printing was 9 % of a worker's CPU, taken exactly when there was none
to spare. The first warning of a kind is kept; repeats within the interval are counted and
reported with the next one that passes.
"""

import logging
import time
from collections.abc import Callable

# Reflex's state manager warns here when an event held a tab's lock too long.
REFLEX_LOCK_LOGGER = "reflex.istate.manager.redis"
LOCK_HELD_PREFIX = "Lock for token"


class OncePerInterval(logging.Filter):
    """Pass one record whose message starts with ``prefix`` per ``seconds``; count the rest.

    Args:
        prefix: The start of the messages to thin out (others always pass).
        seconds: At most one such record per this many seconds.
        clock: Monotonic seconds (tests pass their own).

    """

    def __init__(
        self, prefix: str, seconds: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.prefix = prefix
        self.seconds = seconds
        self.clock = clock
        self.suppressed = 0
        self._next_at: float | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        """Whether to emit ``record``; a passing record tells how many were held back."""
        if not str(record.msg).startswith(self.prefix):
            return True
        now = self.clock()
        if self._next_at is not None and now < self._next_at:
            self.suppressed += 1
            return False
        self._next_at = now + self.seconds
        if self.suppressed:
            record.msg = f"{record.msg} ({self.suppressed} more like it in the last interval)"
            record.args = None
            self.suppressed = 0
        return True


def thin_out_lock_warnings(seconds: float = 60.0) -> OncePerInterval:
    """Attach the filter to Reflex's lock warning (once per process; idempotent)."""
    logger = logging.getLogger(REFLEX_LOCK_LOGGER)
    for existing in logger.filters:
        if isinstance(existing, OncePerInterval) and existing.prefix == LOCK_HELD_PREFIX:
            return existing
    storm_filter = OncePerInterval(LOCK_HELD_PREFIX, seconds)
    logger.addFilter(storm_filter)
    return storm_filter
