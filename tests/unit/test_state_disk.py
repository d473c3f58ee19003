"""Reflex's disk state writer is paced (rxapp.state_disk): at most one pass a second.

Unpaced, the writer wakes whenever its next queued state is due and scans the whole
state folder each time; bench-load measured that at a third of the backend's CPU.
"""

import time
from types import SimpleNamespace

from reflex.istate.manager.disk import StateManagerDisk

from rxapp import state_disk


def _writer_due_now() -> SimpleNamespace:
    # What the delay reads: a queued state that is already past its debounce.
    item = SimpleNamespace(timestamp=time.time() - 60)
    return SimpleNamespace(_write_queue={"token": item}, _write_debounce_seconds=2.0)


async def test_a_due_state_waits_for_the_next_paced_pass(monkeypatch):
    monkeypatch.setattr(state_disk, "MIN_PASS_SECONDS", 0.3)
    started = time.monotonic()
    await state_disk._unpaced(_writer_due_now())
    assert time.monotonic() - started < 0.1  # Reflex's own delay: straight back to scanning
    started = time.monotonic()
    await state_disk._paced_delay(_writer_due_now())
    assert time.monotonic() - started >= 0.3


def test_the_app_installs_the_pacing():
    import rxapp.rxapp  # noqa: F401 - building the app installs it

    assert StateManagerDisk._process_write_queue_delay is state_disk._paced_delay
    state_disk.pace_disk_writes()  # a second call changes nothing
    assert state_disk._unpaced is not state_disk._paced_delay
