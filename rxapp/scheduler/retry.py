"""When to try a message again after a temporary failure (R-MSG-3).

Pure and deterministic, like procrastinate's ``RetryStrategy``: the delay grows
exponentially with the attempt number, is capped, and stops after a maximum of attempts.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with a cap and a maximum number of attempts.

    Attributes:
        max_attempts: Attempts in all (the first send included); after that, failed.
        base_seconds: Delay after the first failed attempt.
        factor: Growth of the delay per further attempt.
        max_seconds: Cap on any single delay.

    """

    max_attempts: int = 8
    base_seconds: float = 60.0
    factor: float = 2.0
    max_seconds: float = 6 * 3600.0

    def delay_after(self, attempts: int) -> timedelta | None:
        """Return how long to wait after ``attempts`` failed attempts, or None to give up.

        Args:
            attempts: Attempts made so far (1 after the first failure).

        """
        if attempts >= self.max_attempts:
            return None
        seconds = self.base_seconds * self.factor ** max(attempts - 1, 0)
        return timedelta(seconds=min(seconds, self.max_seconds))

    def next_attempt_at(self, attempts: int, now: datetime) -> datetime | None:
        """Return when to try again after ``attempts`` failures at ``now``, or None to give up."""
        delay = self.delay_after(attempts)
        return None if delay is None else now + delay
