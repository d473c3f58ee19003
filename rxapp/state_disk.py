"""Pace Reflex's disk state manager: one pass over its write queue per second at most.

With the embedded defaults (one worker, no Redis) Reflex keeps each tab's state in
files. Its writer task wakes whenever the next queued state is due and, on every
wake, lists and stats every state file to purge expired ones. With hundreds of tabs
the wakes come hundreds of times a second, and bench-load measured that scanning at a
third of the backend's CPU. Waiting at least a second between passes writes the same
states (each at most a second later) in batches and scans the folder once a second.
"""

import asyncio
import time

from reflex.istate.manager.disk import StateManagerDisk

MIN_PASS_SECONDS = 1.0

# Reflex's own delay, even if this module is imported again after installing the pacing.
_unpaced = getattr(StateManagerDisk._process_write_queue_delay, "unpaced",
                   StateManagerDisk._process_write_queue_delay)


async def _paced_delay(self: StateManagerDisk) -> None:
    started = time.monotonic()
    await _unpaced(self)
    rest = MIN_PASS_SECONDS - (time.monotonic() - started)
    if rest > 0:
        await asyncio.sleep(rest)


_paced_delay.unpaced = _unpaced  # type: ignore[attr-defined]


def pace_disk_writes() -> None:
    """Install the paced delay (idempotent)."""
    StateManagerDisk._process_write_queue_delay = _paced_delay  # type: ignore[method-assign]
