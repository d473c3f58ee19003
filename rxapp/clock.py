"""Time in one place, so tests can move it instead of waiting."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class FrozenClock:
    """A clock that stands still until a test moves it.

    Args:
        start: The initial aware datetime.

    """

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self._now = start

    def __call__(self) -> datetime:
        """Return the clock's current time."""
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward and return the new time."""
        self._now += delta
        return self._now

    def set(self, when: datetime) -> None:
        """Put the clock at an exact aware time."""
        if when.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self._now = when


_current: Clock = utcnow


def now() -> datetime:
    """Return the app's current time (the real one unless a test installed another)."""
    return _current()


def install(clock: Clock | None) -> None:
    """Replace the app-wide clock (tests only); None restores the real one."""
    global _current
    _current = clock or utcnow
